// `source_policy_documents` / `override_policy_documents` of `data "aws_iam_policy_document"`
// are merged as the AWS provider merges them (policy/dataSource.ts): sources first, then the
// block's own statements, then overrides; a statement with the same sid replaces the earlier one.

import { describe, expect, it } from 'vitest';
import { analyze } from '../../server/src/engine/analyze';
import { defaultSettings } from '../../server/src/engine/settings';
import { loadDocument } from '../../server/src/model/load';

function found(text: string, file = 'file:///m/main.tf'): [string, string, number][] {
  const doc = loadDocument(file, text)!;
  expect(doc.problems).toEqual([]);
  return analyze(doc, defaultSettings())
    .findings.filter((f) => f.ruleId !== 's3-secure-transport-not-enforced')
    .map((f) => [f.ruleId, text.slice(f.start, f.end), text.slice(0, f.start).split('\n').length]);
}

const BASE = `data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Send"
    actions   = ["sqs:SendMessage"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

data "aws_iam_policy_document" "account" {
  statement {
    sid       = "Send"
    actions   = ["sqs:SendMessage"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
}

resource "aws_sqs_queue" "jobs" {
  name   = "jobs"
  policy = data.aws_iam_policy_document.merged.json
}
`;

describe('aws_iam_policy_document merging', () => {
  it('source statements are part of the policy: the finding lands on the source statement', () => {
    const text = `${BASE}
data "aws_iam_policy_document" "merged" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
}
`;
    expect(found(text)).toEqual([['public-principal-without-condition', '"*"', 8]]);
  });

  it('an override statement with the same sid replaces it', () => {
    const text = `${BASE}
data "aws_iam_policy_document" "merged" {
  source_policy_documents   = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [data.aws_iam_policy_document.account.json]
}
`;
    expect(found(text)).toEqual([]);
  });

  it("the block's own statement replaces a source statement with the same sid; an override with another sid is added", () => {
    const text = `${BASE}
data "aws_iam_policy_document" "merged" {
  source_policy_documents   = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [jsonencode({
    Statement = [{
      Sid       = "Other"
      Effect    = "Allow"
      Action    = "sqs:ReceiveMessage"
      Resource  = "*"
      Principal = "*"
    }]
  })]

  statement {
    sid       = "Send"
    actions   = ["sqs:SendMessage"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
}
`;
    expect(found(text)).toEqual([['public-principal-without-condition', '"*"', 38]]);
  });

  it('a document that cannot be read makes the whole policy unknown', () => {
    const text = `${BASE}
variable "extra" {
  type = string
}

data "aws_iam_policy_document" "merged" {
  source_policy_documents   = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [var.extra]
}
`;
    expect(found(text)).toEqual([]);
  });

  it('Terraform JSON: "${data.aws_iam_policy_document.x.json}" in the lists', () => {
    const json = JSON.stringify(
      {
        data: {
          aws_iam_policy_document: {
            base: {
              statement: [
                {
                  sid: 'Send',
                  actions: ['sqs:SendMessage'],
                  resources: ['*'],
                  principals: [{ type: '*', identifiers: ['*'] }],
                },
              ],
            },
            merged: { source_policy_documents: ['${data.aws_iam_policy_document.base.json}'] },
          },
        },
        resource: {
          aws_sqs_queue: { jobs: { name: 'jobs', policy: '${data.aws_iam_policy_document.merged.json}' } },
        },
      },
      null,
      2,
    );
    expect(found(json, 'file:///m/main.tf.json')).toEqual([
      ['public-principal-without-condition', '"*"', 18],
    ]);
  });
});
