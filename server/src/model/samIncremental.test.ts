import { describe, expect, it } from 'vitest';
import { analyze, type Analysis } from '../engine/analyze';
import { IncrementalState } from '../engine/incremental';
import { defaultSettings } from '../engine/settings';
import { DocumentParsers, loadDocument } from './load';

// What SAM derives from a function (an event's resource policy, which belongs to its API) is
// re-checked when the function is edited: incremental analysis equals a fresh one.
const template = [
  'Transform: AWS::Serverless-2016-10-31',
  'Globals:',
  '  Api:',
  '    EndpointConfiguration: PRIVATE',
  'Resources:',
  '  Api:',
  '    Type: AWS::Serverless::Api',
  '    Properties:',
  '      StageName: prod',
  '  Fn:',
  '    Type: AWS::Serverless::Function',
  '    Properties:',
  '      Handler: app.handler',
  '      Runtime: python3.12',
  '      Events:',
  '        Explicit:',
  '          Type: Api',
  '          Properties:',
  '            RestApiId: !Ref Api',
  '            Path: /a',
  '            Method: get',
  '            Auth:',
  '              ResourcePolicy:',
  '                CustomStatements:',
  "                  - {Effect: Allow, Principal: '*', Action: execute-api:Invoke, Resource: execute-api:/*}",
  '        Implicit:',
  '          Type: Api',
  '          Properties:',
  '            Path: /b',
  '            Method: get',
  '            Auth:',
  '              ResourcePolicy:',
  '                CustomStatements:',
  "                  - {Effect: Allow, Principal: '*', Action: execute-api:Invoke, Resource: execute-api:/*}",
  '',
].join('\n');

const settings = defaultSettings();
const summary = (a: Analysis | undefined) =>
  (a?.findings ?? []).map((f) => `${f.ruleId} ${f.start}-${f.end} ${f.message.slice(0, 60)}`);

describe('SAM event policies under incremental analysis', () => {
  it('an edit of a statement inside the function re-checks the API policy it belongs to', () => {
    const parsers = new DocumentParsers();
    const state = new IncrementalState();
    const versions = [
      template,
      template.replace("Principal: '*'", "Principal: 'arn:aws:iam::111122223333:root'"),
      template.replace(/Principal: '\*'/g, "Principal: 'arn:aws:iam::111122223333:root'"),
      template,
    ];
    const counts: number[] = [];
    for (const text of versions) {
      const doc = loadDocument('file:///t.yaml', text, { yamlParser: parsers.yaml })!;
      const incremental = analyze(doc, settings, undefined, state);
      const fresh = analyze(loadDocument('file:///t.yaml', text)!, settings);
      expect(summary(incremental)).toEqual(summary(fresh));
      counts.push(fresh.findings.filter((f) => f.ruleId === 'public-principal-without-condition').length);
    }
    parsers.dispose();
    expect(counts).toEqual([2, 1, 0, 2]);
  });
});
