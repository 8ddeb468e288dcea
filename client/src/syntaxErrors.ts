// One syntax error, once: when another extension already reports YAML syntax errors for a
// document (Red Hat YAML), ours are left out in the editor. The CLI, and editors without such an
// extension, keep them. Pure, so that it is tested without VS Code.

/** Extensions that report YAML syntax errors for every YAML document they validate. */
export const YAML_SYNTAX_REPORTERS = ['redhat.vscode-yaml'];

export interface CodedDiagnostic {
  code?: string | number | { value: string | number } | undefined;
}

function codeOf(d: CodedDiagnostic): string | undefined {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return code === undefined ? undefined : String(code);
}

/** The diagnostics to show for a document of `languageId` when `reporterActive` tells whether another extension reports its syntax errors. */
export function withoutDuplicateSyntaxErrors<T extends CodedDiagnostic>(
  languageId: string | undefined,
  diagnostics: T[],
  reporterActive: boolean,
): T[] {
  if (languageId !== 'yaml' || !reporterActive) return diagnostics;
  return diagnostics.filter((d) => codeOf(d) !== 'syntax-error');
}
