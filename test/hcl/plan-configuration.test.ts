// Plans (`terraform show -json`): an attribute the configuration does not write is omitted (the
// provider default applies), not unknown, even when `after_unknown` marks it; one it writes with a
// reference stays unknown (model/planConfiguration.ts).

import { describe, expect, it } from 'vitest';
import { analyze } from '../../server/src/engine/analyze';
import { defaultSettings } from '../../server/src/engine/settings';
import { isUnknownInPlan } from '../../server/src/model/document';
import { loadDocument } from '../../server/src/model/load';

function plan(workerExpressions: object | undefined): string {
  const resource = (name: string) => ({
    address: `module.app.aws_instance.${name}["a"]`,
    mode: 'managed',
    type: 'aws_instance',
    name,
    index: 'a',
    values: { ami: 'ami-0abcdef1234567890', instance_type: 't3.micro' },
  });
  return JSON.stringify(
    {
      format_version: '1.2',
      planned_values: {
        root_module: {
          child_modules: [{ address: 'module.app', resources: [resource('worker')] }],
        },
      },
      resource_changes: [
        {
          address: 'module.app.aws_instance.worker["a"]',
          mode: 'managed',
          type: 'aws_instance',
          name: 'worker',
          change: { actions: ['create'], after_unknown: { metadata_options: true, id: true } },
        },
      ],
      ...(workerExpressions && {
        configuration: {
          root_module: {
            module_calls: {
              app: {
                source: './app',
                module: {
                  resources: [
                    {
                      address: 'aws_instance.worker',
                      mode: 'managed',
                      type: 'aws_instance',
                      name: 'worker',
                      expressions: workerExpressions,
                      for_each_expression: { constant_value: ['a'] },
                    },
                  ],
                },
              },
            },
          },
        },
      }),
    },
    null,
    2,
  );
}

function imds(text: string): [string, string][] {
  const doc = loadDocument('file:///p/plan.json', text)!;
  expect(doc.format).toBe('plan');
  return analyze(doc, defaultSettings())
    .findings.filter((f) => f.ruleId === 'imdsv1-allowed')
    .map((f) => [f.ruleId, text.slice(f.start, f.end)]);
}

describe('plan configuration', () => {
  it('without configuration, an attribute unknown until apply stays unknown: no finding', () => {
    expect(imds(plan(undefined))).toEqual([]);
  });

  it('omitted in the configuration (through a module call and a for_each key): the default applies', () => {
    const text = plan({
      ami: { constant_value: 'ami-0abcdef1234567890' },
      instance_type: { constant_value: 't3.micro' },
    });
    const doc = loadDocument('file:///p/plan.json', text)!;
    const worker = doc.resources[0]!;
    expect(worker.id).toBe('module.app.aws_instance.worker["a"]');
    expect(isUnknownInPlan(worker, ['metadata_options'])).toBe(false);
    // The id is not known until apply, whatever the configuration says.
    expect(isUnknownInPlan(worker, ['id'])).toBe(true);
    expect(imds(text)).toEqual([['imdsv1-allowed', '"module.app.aws_instance.worker[\\"a\\"]"']]);
  });

  it('written in the configuration with a reference: stays unknown', () => {
    const text = plan({
      ami: { constant_value: 'ami-0abcdef1234567890' },
      metadata_options: [{ http_tokens: { references: ['var.tokens'] } }],
    });
    const doc = loadDocument('file:///p/plan.json', text)!;
    expect(isUnknownInPlan(doc.resources[0]!, ['metadata_options'])).toBe(true);
    expect(imds(text)).toEqual([]);
  });
});
