// Local modules (`source = "./modules/x"`): the module's variables take the caller's arguments,
// its resources join the analysis as module.<name>.<address>, and a finding inside the module
// that rests on an argument is shown on the argument the user wrote (unit/module.ts).

import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { defaultSettings } from '../../server/src/engine/settings';
import { IacService } from '../../server/src/service/service';
import type { ModuleFile } from '../../server/src/unit/module';
import { RULES_MODULE_TF, WEB_MODULE_TF } from '../support/terraform';

const ROOT = 'file:///work/live';
const TREE: Record<string, string> = {
  'main.tf': `module "web" {
  source     = "./modules/web"
  admin_cidr = "0.0.0.0/0"
  web_cidr   = "0.0.0.0/0"
}

module "registry" {
  source  = "terraform-aws-modules/security-group/aws"
  ingress = "0.0.0.0/0"
}
`,
  'modules/web/main.tf': WEB_MODULE_TF,
  'modules/rules/main.tf': RULES_MODULE_TF,
};

function folderOf(uri: string): string {
  return uri.slice(0, uri.lastIndexOf('/'));
}

function service(): IacService {
  const s = new IacService();
  const all = Object.entries(TREE).map(([name, text]) => ({ uri: `${ROOT}/${name}`, text }));
  s.setModuleFiles((uri) => ({
    files: all.filter((f) => f.uri !== uri && folderOf(f.uri) === folderOf(uri)),
    signature: '1',
    readModule: (from: string, source: string) => {
      const parts = `${folderOf(from)}/${source}`.split('/');
      const out: string[] = [];
      for (const p of parts) {
        if (p === '.' || p === '') continue;
        if (p === '..') out.pop();
        else out.push(p);
      }
      const dir = out.join('/').replace(/^file:/, 'file://');
      const files: ModuleFile[] = all.filter((f) => folderOf(f.uri) === dir);
      return files.length ? { key: dir, files } : undefined;
    },
  }));
  return s;
}

describe('local modules', () => {
  it('reports a finding two modules deep on the argument the caller wrote', () => {
    const main = TextDocument.create(`${ROOT}/main.tf`, 'terraform', 1, TREE['main.tf']!);
    const diagnostics = service().diagnostics(main, defaultSettings());
    const found = diagnostics.map((d) => [d.code, main.getText(d.range), d.range.start.line + 1]);
    expect(found).toContainEqual(['ssh-open-to-internet', '"0.0.0.0/0"', 3]);
    const ssh = diagnostics.find((d) => d.code === 'ssh-open-to-internet')!;
    expect(ssh.message).toMatch(/^In module web: /);
    expect(ssh.relatedInformation?.map((r) => r.location.uri)).toContain(`${ROOT}/modules/rules/main.tf`);
    // HTTPS open to the world is not a finding; a registry module's inputs are unknown.
    expect(found.filter((f) => f[2] !== 3)).toEqual([]);
  });

  it('the module file alone: its variables have no value, so nothing rests on them', () => {
    const rules = TextDocument.create(
      `${ROOT}/modules/rules/main.tf`,
      'terraform',
      1,
      TREE['modules/rules/main.tf']!,
    );
    expect(
      service()
        .diagnostics(rules, defaultSettings())
        .map((d) => d.code),
    ).toEqual([]);
  });
});
