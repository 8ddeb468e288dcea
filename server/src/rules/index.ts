// The rule registry. Add a rule: create its folder (npm run new-rule <id>) and list it here.

import { sshOpenToInternet } from './ssh-open-to-internet/rule';
import type { Rule } from './types';

export const ALL_RULES: readonly Rule[] = [sshOpenToInternet];

const byId = new Map(ALL_RULES.map((r) => [r.meta.id, r]));

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}
