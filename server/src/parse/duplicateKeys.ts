// A key written twice in one YAML map or JSON object. CloudFormation accepts the template and
// uses the last value (YAML and JSON alike); cfn-lint stops with E0000 ("Duplicate found", its
// YAML and JSON decoders both refuse duplicates). We keep reading (the rest of the template
// still gets findings), use the last value like CloudFormation, and warn at the earlier key,
// naming both places. JSON that is not a CloudFormation template (Terraform JSON, policies,
// plans) is left as it was read: both entries kept, no warning (json.ts).

import type { ScalarNode, SyntaxProblem } from './tree';

/** The warning for `earlier`, overridden by `later`; `text` starts at document offset `base`. */
export function duplicateKeyProblem(
  text: string,
  base: number,
  earlier: ScalarNode,
  later: ScalarNode,
): SyntaxProblem {
  const line = (offset: number) => {
    let n = 1;
    for (let i = 0; i < offset - base && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
    return n;
  };
  const name = String(earlier.value);
  return {
    start: earlier.start,
    end: earlier.end,
    severity: 'warning',
    message: `Duplicate key "${name}" (line ${line(earlier.start)} and line ${line(later.start)}): CloudFormation uses the last one (line ${line(later.start)}) and ignores this one.`,
  };
}
