// A CloudFormation resource an edit did not change keeps its model object in the next version
// (model/document.ts), so a keystroke does not rebuild thousands of them; the edited one is new.

import { describe, expect, it } from 'vitest';
import { DocumentParsers, loadDocument } from './load';

/** Large enough to be parsed in pieces, one per resource (parse/yaml.ts). */
function template(transform = ''): string {
  const groups = Array.from(
    { length: 300 },
    (_, i) =>
      `  Sg${i}:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: group ${i}\n`,
  );
  return `AWSTemplateFormatVersion: '2010-09-09'\n${transform}Resources:\n${groups.join('')}`;
}

function versions(text: string) {
  const parsers = new DocumentParsers();
  const load = (t: string) => loadDocument('file:///template.yaml', t, { yamlParser: parsers.yaml })!;
  const before = load(text);
  const after = load(text.replace('group 7\n', 'group 7x\n'));
  return { before, after };
}

describe('resources across versions', () => {
  it('keeps the objects of the resources the edit did not change, and builds the edited one anew', () => {
    const { before, after } = versions(template());
    expect(after.resources).toHaveLength(300);
    expect(after.resources[6]).toBe(before.resources[6]);
    expect(after.resources[8]).toBe(before.resources[8]);
    expect(after.resourcesById.get('Sg299')).toBe(before.resourcesById.get('Sg299'));
    expect(after.resources[7]).not.toBe(before.resources[7]);
    expect(after.resources[7]!.properties!.entries[0]!.value).toMatchObject({ value: 'group 7x' });
  });

  it('builds every resource anew where the model rewrites properties (AWS::LanguageExtensions)', () => {
    const { before, after } = versions(template('Transform: AWS::LanguageExtensions\n'));
    expect(after.resources[6]).not.toBe(before.resources[6]);
    expect(after.resources[6]).toEqual(before.resources[6]);
  });
});
