// Policies written as `data "aws_iam_policy_document"` are read as the policy they render, with
// every finding on the written value (policy/dataSource.ts), in HCL and Terraform JSON.

import { describe, expect, it } from 'vitest';
import { analyze } from '../../server/src/engine/analyze';
import { defaultSettings } from '../../server/src/engine/settings';
import { recipeToEdits } from '../../server/src/fixes/edits';
import { loadDocument } from '../../server/src/model/load';

const HCL = `data "aws_iam_policy_document" "queue" {
  statement {
    sid       = "Anyone"
    actions   = ["sqs:SendMessage"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }

  statement {
    sid       = "Office"
    effect    = "Allow"
    actions   = ["sqs:ReceiveMessage", "sqs:RecieveMessage"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    condition {
      test     = "StringLike"
      variable = "aws:SourceIp"
      values   = ["203.0.113.0/24"]
    }
  }
}

resource "aws_sqs_queue" "jobs" {
  name   = "jobs"
  policy = data.aws_iam_policy_document.queue.json
}

resource "aws_sqs_queue_policy" "again" {
  queue_url = aws_sqs_queue.jobs.id
  policy    = data.aws_iam_policy_document.queue.json
}
`;

function run(file: string, text: string) {
  const doc = loadDocument(file, text)!;
  const findings = analyze(doc, defaultSettings()).findings.filter(
    (f) => f.ruleId !== 's3-secure-transport-not-enforced',
  );
  return { doc, findings };
}

describe('aws_iam_policy_document', () => {
  it('every policy rule reports on the written value, once per data source', () => {
    const { findings } = run('file:///m/main.tf', HCL);
    expect(
      findings
        .map((f) => [f.ruleId, HCL.slice(f.start, f.end), HCL.slice(0, f.start).split('\n').length])
        .sort(),
    ).toEqual([
      ['iam-policy-invalid', '"sqs:RecieveMessage"', 15],
      ['network-condition-ineffective', '"aws:SourceIp"', 23],
      ['public-principal-without-condition', '"*"', 8],
    ]);
  });

  it('fixes edit the written values, never the rendered maps', () => {
    const { doc, findings } = run('file:///m/main.tf', HCL);
    const typo = findings.find((f) => f.ruleId === 'iam-policy-invalid')!;
    const [fix] = typo.fixes;
    const edits = recipeToEdits(doc, fix!);
    expect(edits).toEqual([
      {
        start: HCL.indexOf('"sqs:RecieveMessage"'),
        end: HCL.indexOf('"sqs:RecieveMessage"') + 20,
        newText: '"sqs:ReceiveMessage"',
      },
    ]);
    for (const finding of findings)
      for (const recipe of finding.fixes)
        for (const e of recipeToEdits(doc, recipe)) expect(e.end).toBeLessThanOrEqual(HCL.length);
  });

  it('Terraform JSON reads the same data source', () => {
    const json = JSON.stringify(
      {
        data: {
          aws_iam_policy_document: {
            queue: {
              statement: [
                {
                  actions: ['sqs:SendMessage'],
                  resources: ['*'],
                  principals: [{ type: '*', identifiers: ['*'] }],
                },
              ],
            },
          },
        },
        resource: {
          aws_sqs_queue: { jobs: { name: 'jobs', policy: '${data.aws_iam_policy_document.queue.json}' } },
        },
      },
      null,
      2,
    );
    const { findings } = run('file:///m/main.tf.json', json);
    expect(findings.map((f) => [f.ruleId, json.slice(f.start, f.end)])).toEqual([
      ['public-principal-without-condition', '"*"'],
    ]);
  });
});
