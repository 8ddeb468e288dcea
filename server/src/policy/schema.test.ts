import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLICY_ELEMENTS, STATEMENT_ELEMENTS, PRINCIPAL_TYPES, VERSIONS } from './grammar';

const root = path.resolve(__dirname, '../../..');
const schema = JSON.parse(readFileSync(path.join(root, 'schemas/iam-policy.schema.json'), 'utf8')) as {
  properties: Record<string, { enum?: string[] }>;
  definitions: Record<
    string,
    { properties?: Record<string, { enum?: string[] }>; anyOf?: { properties?: object }[] }
  >;
};

describe('schemas/iam-policy.schema.json', () => {
  it('is contributed for standalone policy files', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      contributes: { jsonValidation?: { fileMatch: string[]; url: string }[] };
    };
    const entry = pkg.contributes.jsonValidation?.find((v) => v.url === './schemas/iam-policy.schema.json');
    expect(entry?.fileMatch).toContain('*policy.json');
  });

  it('describes the same elements the diagnostics know', () => {
    expect(Object.keys(schema.properties).sort()).toEqual([...POLICY_ELEMENTS].sort());
    expect(schema.properties.Version!.enum).toEqual([...VERSIONS]);
    const statement = schema.definitions.statement!.properties!;
    expect(Object.keys(statement).sort()).toEqual([...STATEMENT_ELEMENTS].sort());
    expect(statement.Effect!.enum).toEqual(['Allow', 'Deny']);
    expect(Object.keys(schema.definitions.principal!.anyOf![1]!.properties!).sort()).toEqual(
      [...PRINCIPAL_TYPES].sort(),
    );
  });

  it('complements the diagnostics: it forbids no unknown element and requires nothing', () => {
    const text = readFileSync(path.join(root, 'schemas/iam-policy.schema.json'), 'utf8');
    expect(text).not.toContain('"required"');
    expect(text).not.toContain('"additionalProperties": false');
  });
});
