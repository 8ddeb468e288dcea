// Flow collections indented less than their key, as CloudFormation and cfn-lint accept them:
//
//   SecurityGroupIngress: [
//     {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
//   ]
//
// YAML 1.2 (the `yaml` package) requires a flow collection's lines to be indented more than the
// block it sits in ("Flow sequence in block collection must be sufficiently indented"); PyYAML,
// which cfn-lint and (as far as templates show) CloudFormation read with, ignores indentation
// inside flow collections. We read such a template by parsing a copy in which every line break
// inside a multi-line flow collection is a space (comments there are blanked): the copy has the
// same length, so every offset and range still points into the user's text.

/** True when a YAML problem is the one the relaxed reading can help with. */
export function isFlowIndentProblem(message: string): boolean {
  return /must be sufficiently indented/.test(message);
}

/** The text with multi-line flow collections on one line (same length), or undefined if there is none. */
export function flattenFlowCollections(text: string): string | undefined {
  const out = text.split('');
  let depth = 0;
  let quote: '"' | "'" | undefined;
  let changed = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (quote === '"' && c === '\\') {
        i++;
        continue;
      }
      if (c === quote) {
        if (quote === "'" && text[i + 1] === "'") i++;
        else quote = undefined;
      } else if ((c === '\n' || c === '\r') && depth > 0) {
        out[i] = ' ';
        changed = true;
      }
      continue;
    }
    const prev = i > 0 ? text[i - 1]! : '\n';
    const tokenStart = prev === ' ' || prev === '\t' || prev === '\n' || prev === '\r';
    if (c === '#' && tokenStart) {
      // A comment runs to the end of the line; inside a collection it is blanked.
      let j = i;
      while (j < text.length && text[j] !== '\n' && text[j] !== '\r') {
        if (depth > 0) out[j] = ' ';
        j++;
      }
      i = j - 1;
      continue;
    }
    if (depth === 0) {
      if ((c === '[' || c === '{') && tokenStart) depth = 1;
      else if ((c === '"' || c === "'") && tokenStart) quote = c;
      continue;
    }
    if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === '"' || c === "'") {
      if (tokenStart || prev === '[' || prev === '{' || prev === ',' || prev === ':') quote = c;
    } else if (c === '\n' || c === '\r') {
      out[i] = ' ';
      changed = true;
    }
  }
  return changed ? out.join('') : undefined;
}
