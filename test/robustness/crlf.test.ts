// CRLF line ends (issue 16, item 6): no diagnostic range may start or end between the \r and
// the \n of a line end (past the last character of the line, as the editor counts).

import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { defaultSettings } from '../../server/src/engine/settings';
import { IacService } from '../../server/src/service/service';
import { fixtures, int, pick, rangeProblems, rng, SEED, TIMEOUT } from './support';

const service = new IacService(() => undefined);
let version = 0;

function diagnose(name: string, text: string): { diagnostics: Diagnostic[]; document: TextDocument } {
  const document = TextDocument.create(
    `file:///crlf/${name}`,
    name.endsWith('.json') ? 'json' : 'yaml',
    ++version,
    text,
  );
  const diagnostics = service.diagnostics(document, defaultSettings());
  service.close(document.uri);
  return { diagnostics, document };
}

const crlf = (lines: string[]) => lines.join('\r\n') + '\r\n';

describe('CRLF broken templates', () => {
  it('an unterminated quote at the end of a line: the range is the quote', () => {
    const text = crlf([
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Resources:',
      '  Sg:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: "ssh',
      '      VpcId: vpc-1',
    ]);
    const { diagnostics, document } = diagnose('quote.yaml', text);
    const syntax = diagnostics.filter((d) => d.code === 'syntax-error');
    expect(syntax.map((d) => [d.message, d.range])).toEqual([
      [
        'This string is not closed: add the closing ".',
        { start: { line: 5, character: 24 }, end: { line: 5, character: 25 } },
      ],
    ]);
    expect(
      rangeProblems(
        document,
        diagnostics.map((d) => d.range),
      ),
    ).toEqual([]);
  });

  it(
    'seeded breakage of every YAML and JSON fixture in CRLF: every range inside its lines',
    () => {
      const random = rng(SEED);
      const inserts = ['"', "'", ':', '[', '{', ']', '}', ' ', '\t', '- ', '&a', '*', '!Ref', '#', ','];
      const bad: string[] = [];
      for (const [name, original] of fixtures()) {
        if (!/\.(ya?ml|json)$/.test(name)) continue;
        const text = original.replace(/\r?\n/g, '\r\n');
        for (let k = 0; k < 12; k++) {
          const at = int(random, text.length);
          const insert = pick(random, inserts);
          const broken = text.slice(0, at) + insert + text.slice(at + (random() < 0.5 ? 1 : 0));
          const { diagnostics, document } = diagnose(name, broken);
          for (const problem of rangeProblems(
            document,
            diagnostics.map((d) => d.range),
          ))
            bad.push(`${name} ${JSON.stringify(insert)} at ${at}: ${problem}`);
        }
      }
      expect(bad).toEqual([]);
    },
    TIMEOUT,
  );
});
