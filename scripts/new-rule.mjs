#!/usr/bin/env node
// Scaffolds a rule folder: npm run new-rule -- <rule-id> [category]
// Creates server/src/rules/<id>/{rule.ts,rule.md,rule.test.ts} and registers the rule.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [id, category = 'exposure'] = process.argv.slice(2);
if (!id || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) {
  console.error(
    'usage: npm run new-rule -- <kebab-case-rule-id> [exposure|imds|transport|public|connectivity|policy]',
  );
  process.exit(2);
}
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'server/src/rules', id);
if (existsSync(dir)) {
  console.error(`${dir} exists`);
  process.exit(2);
}
const camel = id.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
mkdirSync(dir, { recursive: true });
writeFileSync(
  path.join(dir, 'rule.ts'),
  `import type { Rule } from '../types';
import docs from './rule.md?raw';

export const ${camel}: Rule = {
  meta: {
    id: '${id}',
    summary: 'TODO: one line, what it flags',
    category: '${category}',
    severity: 'warning',
    formats: ['cfn', 'tf', 'plan'],
    resourceTypes: ['TODO'],
    fixSafety: 'none',
    references: {},
  },
  docs,
  check({ doc, report }) {
    for (const resource of doc.resources) {
      void resource;
      void report;
    }
  },
};
`,
);
writeFileSync(
  path.join(dir, 'rule.md'),
  `# ${id}

TODO: summary line.

## What it does

## Why is this bad?

## Example

\`\`\`yaml
\`\`\`

## Use instead

\`\`\`yaml
\`\`\`

## Fix safety

## Options

None.

## References
`,
);
writeFileSync(
  path.join(dir, 'rule.test.ts'),
  `import { lines, ruleTester } from '../../testing/ruleTester';
import { ${camel} } from './rule';

ruleTester(${camel}, {
  valid: [{ file: 'template.yaml', code: lines('Resources: {}') }],
  invalid: [],
});
`,
);
const index = path.join(root, 'server/src/rules/index.ts');
let text = readFileSync(index, 'utf8');
text = text.replace(
  /(import type \{ Rule \} from '\.\/types';)/,
  `import { ${camel} } from './${id}/rule';\n$1`,
);
text = text.replace(
  /export const ALL_RULES: readonly Rule\[\] = \[/,
  `export const ALL_RULES: readonly Rule[] = [\n  ${camel},`,
);
writeFileSync(index, text);
console.log(`created ${path.relative(root, dir)} and registered ${camel} in server/src/rules/index.ts`);
