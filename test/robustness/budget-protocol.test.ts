// Over the protocol (issue 16, item 7): every request on a document has a time budget of
// REQUEST_BUDGET_MS; past it the server answers with what it has and logs what it left out.
// On today's main, Fix all on 10,000 findings held the server for over ten seconds.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, Hover } from 'vscode-languageserver-protocol';
import { REQUEST_BUDGET_MS } from '../../server/src/service/budget';
import { ensureBuilt, TestClient } from '../protocol/support';

const COUNT = 10_000;
const URI = 'file:///robustness/budget/huge.yaml';

function template(count: number): string {
  const parts = ['AWSTemplateFormatVersion: "2010-09-09"', 'Resources:'];
  for (let i = 0; i < count; i++)
    parts.push(`  R${i}:`, '    Type: AWS::EC2::Instance', '    Properties:', '      ImageId: ami-1234');
  return parts.join('\n') + '\n';
}

beforeAll(() => ensureBuilt(), 120_000);

describe('per-request time budget', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await TestClient.start({ initializationOptions: { diagnosticsDelayMs: 0 } });
    await client.open(URI, template(COUNT));
    const published = await client.diagnostics(URI, (p) => p.diagnostics.length > 0, 240_000);
    expect(published.diagnostics).toHaveLength(COUNT);
  }, 300_000);
  afterAll(() => client.stop());

  it('Fix all answers within the budget with the fixes it reached, and the log says so', async () => {
    const at = { line: 2, character: 3 };
    const started = performance.now();
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: { start: at, end: at },
      context: { diagnostics: [], only: ['source.fixAll.iacNetsec'] },
    });
    const ms = performance.now() - started;
    expect(REQUEST_BUDGET_MS).toBe(100);
    // ~100 ms on an idle machine; generous for a busy one (main: over ten seconds).
    expect(ms).toBeLessThan(2_000);
    expect(actions).toHaveLength(1);
    // A fast machine may fix all 10,000 within the budget; otherwise the answer is partial.
    if (actions[0]!.title === 'Fix all safe iac-netsec problems') {
      expect(actions[0]!.edit!.changes![URI]).toHaveLength(COUNT);
      return;
    }
    const fixed = Number(
      /^Fix the first (\d+) safe iac-netsec problems \(run again for the rest\)$/.exec(
        actions[0]!.title,
      )?.[1],
    );
    expect(fixed).toBeGreaterThan(0);
    expect(fixed).toBeLessThan(COUNT);
    expect(actions[0]!.edit!.changes![URI]).toHaveLength(fixed);
    expect(client.logs).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^iac-netsec: codeAction on ${URI} answered partially \\(time budget 100 ms, took \\d+ ms\\): fix all: the first ${fixed} fixes \\(the rest on the next run\\)$`,
        ),
      ),
    );
  });

  it('the lightbulb asks again: the same partial answer at once, not a second run', async () => {
    const at = { line: 6, character: 3 };
    const started = performance.now();
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: { start: at, end: at },
      context: { diagnostics: [] },
    });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(actions.map((a) => a.title)).toEqual([
      'Set HttpTokens to required (IMDSv2 only)',
      // Within the budget or not, depending on the machine: both answers are right.
      expect.stringMatching(
        /^Fix (all|the first \d+) imdsv1-allowed problems in this file( \(run again for the rest\))?$/,
      ),
      'Suppress imdsv1-allowed for R1 (with a reason)',
      'Show documentation for imdsv1-allowed',
      expect.stringMatching(
        /^Fix (all|the first \d+) safe iac-netsec problems( \(run again for the rest\))?$/,
      ),
    ]);
  });

  it('hover on a finding answers at once', async () => {
    const started = performance.now();
    const hover = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: URI },
      position: { line: 4 * 9_999 + 2, character: 3 },
    });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(hover?.range).toEqual({
      start: { line: 4 * 9_999 + 2, character: 2 },
      end: { line: 4 * 9_999 + 2, character: 7 },
    });
  });
});
