// Outline of huge templates (issue 16, item 7): documentSymbols is linear (it used to copy a list
// per resource: 50,000 resources took 23 s and blocked the server) and bounded: at most
// MAX_SYMBOLS resources are listed, the rest is summed up in one last symbol.

import { describe, expect, it } from 'vitest';
import { loadDocument } from '../../server/src/model/load';
import { documentSymbols, MAX_SYMBOLS } from '../../server/src/service/navigation';

function template(count: number): string {
  const parts = ['AWSTemplateFormatVersion: "2010-09-09"', 'Resources:'];
  for (let i = 0; i < count; i++)
    parts.push(`  R${i}:`, i % 2 ? '    Type: AWS::S3::Bucket' : '    Type: AWS::EC2::SecurityGroup');
  return parts.join('\n') + '\n';
}

describe('document symbols', () => {
  it('50,000 resources: answered fast, the first 25,000 listed, the rest summed up', () => {
    const doc = loadDocument('file:///symbols/big.yaml', template(50_000))!;
    expect(MAX_SYMBOLS).toBe(25_000);
    const started = performance.now();
    const symbols = documentSymbols(doc);
    const ms = performance.now() - started;
    // ~50 ms on an idle machine; generous for a busy one (the quadratic version took 23 s).
    expect(ms).toBeLessThan(2_000);
    expect(symbols.map((s) => [s.name, s.children?.length, s.range.start.line, s.range.end.line])).toEqual([
      ['AWS::EC2::SecurityGroup', 12_500, 2, 49_999],
      ['AWS::S3::Bucket', 12_500, 4, 50_001],
      ['25000 more resources (not listed: the outline shows the first 25000)', undefined, 50_002, 100_001],
    ]);
    const buckets = symbols[1]!.children!;
    expect([buckets[0]!.name, buckets[12_499]!.name, buckets[12_499]!.selectionRange]).toEqual([
      'R1',
      'R24999',
      { start: { line: 50_000, character: 2 }, end: { line: 50_000, character: 8 } },
    ]);
  }, 120_000);

  it('a small template: every resource, grouped by type in order', () => {
    const doc = loadDocument('file:///symbols/small.yaml', template(3))!;
    expect(documentSymbols(doc).map((s) => [s.name, s.children?.map((c) => c.name)])).toEqual([
      ['AWS::EC2::SecurityGroup', ['R0', 'R2']],
      ['AWS::S3::Bucket', ['R1']],
    ]);
  });
});
