// Booleans as CloudFormation reads them. CloudFormation's YAML parser is YAML 1.1: an unquoted
// `yes`, `no`, `on`, `off` (lower case, capitalised or upper case, as YAML 1.1 lists them) is a
// boolean, and it is also accepted where a boolean property is written as a string ("true",
// "false" in any case). cfn-lint (PyYAML) reads the same set; `y` and `n`, which the YAML 1.1
// type repository also lists, are left out as PyYAML and cfn-lint do. Our YAML parser is YAML 1.2
// (`yes` stays the string "yes", which keeps enum values such as `Mode: OFF` intact), so the
// reading happens here, where a rule asks for a boolean.

const TRUE = new Set(['yes', 'Yes', 'YES', 'on', 'On', 'ON']);
const FALSE = new Set(['no', 'No', 'NO', 'off', 'Off', 'OFF']);

/** true/false for a text CloudFormation takes as a boolean, else undefined. */
export function booleanText(text: string): boolean | undefined {
  const t = text.trim();
  const lower = t.toLowerCase();
  if (lower === 'true' || TRUE.has(t)) return true;
  if (lower === 'false' || FALSE.has(t)) return false;
  return undefined;
}
