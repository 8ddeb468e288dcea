import { describe, expect, it } from 'vitest';
import { withoutDuplicateSyntaxErrors } from '../../client/src/syntaxErrors';

const diagnostics = [
  { code: 'syntax-error', message: 'Missing closing "quote' },
  { code: { value: 'ssh-open-to-internet' }, message: 'SSH ...' },
];

describe('YAML syntax errors are not shown twice', () => {
  it('left out for YAML when another extension reports them', () => {
    expect(withoutDuplicateSyntaxErrors('yaml', diagnostics, true).map((d) => d.message)).toEqual([
      'SSH ...',
    ]);
  });
  it('kept without such an extension, and for JSON', () => {
    expect(withoutDuplicateSyntaxErrors('yaml', diagnostics, false)).toEqual(diagnostics);
    expect(withoutDuplicateSyntaxErrors('json', diagnostics, true)).toEqual(diagnostics);
  });
});
