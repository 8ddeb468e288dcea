// The bundled language server (dist/server.js --stdio) driven by a real JSON-RPC client, as an
// editor would: open, type, diagnostics, code actions, hover, settings, config files.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, Hover, TextEdit } from 'vscode-languageserver-protocol';
import { ensureBuilt, fileUri, TestClient } from './support';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  WebSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
`;
const CIDR_LINE = 10;
const CIDR_START = 18;
const CIDR_RANGE = {
  start: { line: CIDR_LINE, character: CIDR_START },
  end: { line: CIDR_LINE, character: CIDR_START + '0.0.0.0/0'.length },
};

const ssh = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.code === 'ssh-open-to-internet');

beforeAll(() => ensureBuilt(), 120_000);

describe('language server over stdio', () => {
  let client: TestClient;
  let settings: Record<string, unknown> = {};

  beforeAll(async () => {
    client = await TestClient.start({
      initializationOptions: { diagnosticsDelayMs: 0 },
      configuration: (section) => (section === 'iacNetsec' ? settings : null),
    });
  });
  afterAll(() => client.stop());

  it('announces its capabilities', () => {
    const caps = client.initializeResult.capabilities;
    expect(caps.hoverProvider).toBe(true);
    expect(caps.codeActionProvider).toMatchObject({
      codeActionKinds: ['quickfix', 'source.fixAll.iacNetsec', 'source'],
    });
    expect(caps.documentSymbolProvider).toBeTruthy();
    expect(caps.definitionProvider).toBe(true);
    expect(caps.completionProvider).toBeTruthy();
    expect(client.initializeResult.serverInfo?.name).toBe('iac-netsec');
  });

  it('publishes the finding on open, with identity, exact range and version', async () => {
    const uri = 'untitled:open.yaml';
    await client.open(uri, TEMPLATE);
    const diagnostics = await client.forVersion(uri, 1);
    expect(ssh(diagnostics)).toHaveLength(1);
    const d = ssh(diagnostics)[0]!;
    expect(d.range).toEqual(CIDR_RANGE);
    expect(d.source).toBe('iac-netsec');
    expect(d.severity).toBe(1);
    expect(d.codeDescription?.href).toContain('ssh-open-to-internet');
    expect(d.message).toMatch(/SSH/);
  });

  it('follows a person deleting and retyping the CIDR, keeping up with every version', async () => {
    const uri = 'untitled:typing.yaml';
    await client.open(uri, TEMPLATE);
    await client.forVersion(uri, 1);
    let version = 1;
    // Delete "0.0.0.0/0" from its end, one character at a time.
    for (let i = '0.0.0.0/0'.length; i > 0; i--) {
      version++;
      await client.change(uri, version, [
        {
          range: {
            start: { line: CIDR_LINE, character: CIDR_START + i - 1 },
            end: { line: CIDR_LINE, character: CIDR_START + i },
          },
          text: '',
        },
      ]);
    }
    const cleared = await client.forVersion(uri, version);
    expect(ssh(cleared)).toEqual([]);
    // Retype it.
    const typed = '0.0.0.0/0';
    for (let i = 0; i < typed.length; i++) {
      version++;
      await client.change(uri, version, [
        {
          range: {
            start: { line: CIDR_LINE, character: CIDR_START + i },
            end: { line: CIDR_LINE, character: CIDR_START + i },
          },
          text: typed[i]!,
        },
      ]);
      if (typed.slice(0, i + 1) === '0.0.0.0/') {
        // A half-typed CIDR is not a finding.
        expect(ssh(await client.forVersion(uri, version))).toEqual([]);
      }
    }
    const back = await client.forVersion(uri, version);
    expect(ssh(back).map((d) => d.range)).toEqual([CIDR_RANGE]);
    // Versions are published in order, never an older one after a newer one.
    const versions = client.published.filter((p) => p.uri === uri).map((p) => p.version!);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
  });

  it('keeps the finished parts of a half-typed template checked and reports the syntax error', async () => {
    const uri = 'untitled:half.yaml';
    await client.open(uri, TEMPLATE);
    await client.forVersion(uri, 1);
    const tail = '  Db:\n    Type: "AWS::RDS::DBInstance\n    Properties: {\n';
    let version = 1;
    let line = TEMPLATE.split('\n').length - 1;
    let character = 0;
    for (const ch of tail) {
      version++;
      await client.change(uri, version, [
        { range: { start: { line, character }, end: { line, character } }, text: ch },
      ]);
      if (ch === '\n') {
        line++;
        character = 0;
      } else character++;
    }
    const diagnostics = await client.forVersion(uri, version);
    expect(ssh(diagnostics).map((d) => d.range)).toEqual([CIDR_RANGE]);
    const syntax = diagnostics.filter((d) => d.code === 'syntax-error');
    expect(syntax.length).toBeGreaterThan(0);
    expect(syntax.every((d) => d.range.start.line >= 12)).toBe(true);
  });

  it('offers the fix as a code action, and applying it removes the finding', async () => {
    const uri = 'untitled:fix.yaml';
    await client.open(uri, TEMPLATE);
    const diagnostic = ssh(await client.forVersion(uri, 1))[0]!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only: ['quickfix'] },
    });
    const titles = actions.map((a) => a.title);
    expect(titles.some((t) => /parameter/i.test(t))).toBe(true);
    expect(titles).toContain('Show documentation for ssh-open-to-internet');
    expect(titles.some((t) => /^Suppress/.test(t))).toBe(true);
    const fix = actions.find((a) => a.edit?.changes?.[uri] && /parameter/i.test(a.title))!;
    expect(fix.kind).toBe('quickfix');
    const edits = fix.edit!.changes![uri] as TextEdit[];
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, TEMPLATE), edits);
    expect(fixed).not.toBe(TEMPLATE);
    await client.change(uri, 2, [{ text: fixed }]);
    const after = await client.forVersion(uri, 2);
    expect(ssh(after)).toEqual([]);
    expect(after.filter((d) => d.code === 'syntax-error')).toEqual([]);
  });

  it('offers fix-all and source actions only when asked for them', async () => {
    const uri = 'untitled:source.yaml';
    await client.open(uri, TEMPLATE);
    await client.forVersion(uri, 1);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    // The SSH fixes change behaviour (unsafe), so fix-all has nothing to do here.
    expect(actions.every((a) => a.kind === 'source.fixAll.iacNetsec')).toBe(true);
  });

  it('completes action names inside a policy', async () => {
    const uri = 'untitled:policy.json';
    const text =
      '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObj", "Resource": "*"}]}';
    await client.open(uri, text, 'json');
    await client.forVersion(uri, 1);
    const at = text.indexOf('GetObj') + 'GetObj'.length;
    const items = await client.request<{ label: string }[]>('textDocument/completion', {
      textDocument: { uri },
      position: { line: 0, character: at },
    });
    expect(items.map((i) => i.label)).toContain('s3:GetObject');
  });

  it('answers hover on a finding with the rule docs', async () => {
    const uri = 'untitled:hover.yaml';
    await client.open(uri, TEMPLATE);
    await client.forVersion(uri, 1);
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: { line: CIDR_LINE, character: CIDR_START + 2 },
    });
    const value = (hover.contents as { kind: string; value: string }).value;
    expect(value).toContain('ssh-open-to-internet');
    expect(value).toContain('**Why:**');
    expect(value).toContain('**Fix:**');
    expect(hover.range).toEqual(CIDR_RANGE);
    const nothing = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 0, character: 0 },
    });
    expect(nothing).toBeNull();
  });

  it('answers document symbols and the rule docs request', async () => {
    const uri = 'untitled:symbols.yaml';
    await client.open(uri, TEMPLATE);
    const symbols = await client.request<{ name: string }[]>('textDocument/documentSymbol', {
      textDocument: { uri },
    });
    expect(JSON.stringify(symbols)).toContain('WebSg');
    const docs = await client.request<{ markdown: string } | null>('iacNetsec/ruleDocs', {
      ruleId: 'ssh-open-to-internet',
    });
    expect(docs?.markdown).toMatch(/^# ssh-open-to-internet/);
    expect(await client.request('iacNetsec/ruleDocs', { ruleId: 'nope' })).toBeNull();
  });

  it('stays silent on YAML and JSON that are not templates', async () => {
    await client.open('untitled:compose.yaml', 'services:\n  web:\n    image: nginx\n    ports: ["22:22"]\n');
    expect(await client.forVersion('untitled:compose.yaml', 1)).toEqual([]);
    await client.open('untitled:package.json', '{"name": "x", "version": "1.0.0"}', 'json');
    expect(await client.forVersion('untitled:package.json', 1)).toEqual([]);
    await client.open('untitled:broken-other.yaml', 'a: [\n', 'yaml');
    expect(await client.forVersion('untitled:broken-other.yaml', 1)).toEqual([]);
  });

  it('re-checks open documents when the editor settings change', async () => {
    const uri = 'untitled:settings.yaml';
    await client.open(uri, TEMPLATE);
    expect(ssh(await client.forVersion(uri, 1))).toHaveLength(1);
    const before = client.published.length;
    settings = { rules: { 'ssh-open-to-internet': 'off' } };
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    const off = await client.diagnostics(uri, (p) => client.published.indexOf(p) >= before);
    expect(ssh(off.diagnostics)).toEqual([]);
    expect(off.version).toBe(1);
    const mark = client.published.length;
    settings = { rules: { 'ssh-open-to-internet': 'warning' } };
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    const warning = await client.diagnostics(uri, (p) => client.published.indexOf(p) >= mark);
    expect(ssh(warning.diagnostics).map((d) => d.severity)).toEqual([2]);
    settings = {};
    await client.notify('workspace/didChangeConfiguration', { settings: null });
  });

  it('survives garbage and unknown documents', async () => {
    await client.open('untitled:garbage.json', '\u0000\u0001{"AWSTemplateFormatVersion": [[[[', 'json');
    await client.forVersion('untitled:garbage.json', 1);
    const hover = await client.request('textDocument/hover', {
      textDocument: { uri: 'untitled:not-open.yaml' },
      position: { line: 0, character: 0 },
    });
    expect(hover).toBeNull();
    // Still answering.
    await client.open('untitled:after.yaml', TEMPLATE);
    expect(ssh(await client.forVersion('untitled:after.yaml', 1))).toHaveLength(1);
  });
});

describe('debounce', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await TestClient.start({ initializationOptions: { diagnosticsDelayMs: 120 } });
  });
  afterAll(() => client.stop());

  it('publishes only the latest version of a burst of edits', async () => {
    const uri = 'untitled:burst.yaml';
    await client.open(uri, TEMPLATE);
    await client.forVersion(uri, 1); // opening is not delayed
    for (let v = 2; v <= 8; v++) {
      await client.change(uri, v, [
        { range: { start: { line: 5, character: 24 }, end: { line: 5, character: 24 } }, text: 'x' },
      ]);
    }
    await client.forVersion(uri, 8);
    await new Promise((r) => setTimeout(r, 300));
    const versions = client.published.filter((p) => p.uri === uri).map((p) => p.version);
    expect(versions).toEqual([1, 8]);
  });
});

describe('repository config file', () => {
  let client: TestClient;
  let dir: string;
  let templateUri: string;
  let configPath: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'iac-netsec-lsp-'));
    configPath = path.join(dir, '.iac-netsec.yaml');
    writeFileSync(configPath, 'rules:\n  ssh-open-to-internet: warning\n');
    writeFileSync(path.join(dir, 'template.yaml'), TEMPLATE);
    templateUri = fileUri(path.join(dir, 'template.yaml'));
    client = await TestClient.start({
      initializationOptions: { diagnosticsDelayMs: 0 },
      workspaceFolders: [dir],
    });
  });
  afterAll(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies .iac-netsec.yaml, reports a typo on itself and applies the rest of the file', async () => {
    await client.open(templateUri, TEMPLATE);
    expect(ssh(await client.forVersion(templateUri, 1)).map((d) => d.severity)).toEqual([2]);

    // Broken on disk.
    const broken =
      'rules:\n  ssh-open-to-internet: info\n  rdp-open-to-internet: loud\ntrustedCidrs: [10.0.0.0/33]\n';
    writeFileSync(configPath, broken);
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: fileUri(configPath), type: 2 }],
    });
    const problems = await client.diagnostics(fileUri(configPath), (p) => p.diagnostics.length > 0);
    expect(problems.diagnostics.map((d) => [d.range, d.severity])).toEqual([
      [{ start: { line: 2, character: 24 }, end: { line: 2, character: 28 } }, 1],
      [{ start: { line: 3, character: 15 }, end: { line: 3, character: 26 } }, 1],
    ]);
    expect(problems.diagnostics[0]!.message).toContain('(ignored; the rest of the file is in force)');

    // The typos are ignored and the rest of the file is in force: ssh-open-to-internet is info.
    await client.change(templateUri, 2, [
      { range: { start: { line: 5, character: 24 }, end: { line: 5, character: 24 } }, text: 's' },
    ]);
    expect(ssh(await client.forVersion(templateUri, 2)).map((d) => d.severity)).toEqual([3]);

    // Fixed in the editor (an open config document wins over the disk), with the rule off.
    const mark = client.published.length;
    await client.open(fileUri(configPath), 'rules:\n  ssh-open-to-internet: off\n');
    const cleared = await client.diagnostics(fileUri(configPath), (p) => client.published.indexOf(p) >= mark);
    expect(cleared.diagnostics).toEqual([]);
    const rechecked = await client.diagnostics(
      templateUri,
      (p) => client.published.indexOf(p) >= mark && p.version === 2,
    );
    expect(ssh(rechecked.diagnostics)).toEqual([]);

    // A typo while editing the open config file: reported at the key, rule stays off.
    await client.change(fileUri(configPath), 2, [
      { text: 'rules:\n  ssh-open-to-internet: off\nexlude: [x]\n' },
    ]);
    const typo = await client.diagnostics(fileUri(configPath), (p) => p.version === 2);
    expect(typo.diagnostics).toHaveLength(1);
    expect(typo.diagnostics[0]!.range).toEqual({
      start: { line: 2, character: 0 },
      end: { line: 2, character: 6 },
    });
    expect(typo.diagnostics[0]!.message).toContain('exclude');

    // Closing the config document goes back to the file on disk: its valid parts are in force.
    await client.close(fileUri(configPath));
    await client.change(templateUri, 3, [
      { range: { start: { line: 5, character: 24 }, end: { line: 5, character: 24 } }, text: 's' },
    ]);
    expect(ssh(await client.forVersion(templateUri, 3)).map((d) => d.severity)).toEqual([3]);

    // Deleting the file: the defaults apply.
    rmSync(configPath);
    const mark2 = client.published.length;
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: fileUri(configPath), type: 3 }],
    });
    const defaults = await client.diagnostics(templateUri, (p) => client.published.indexOf(p) >= mark2);
    expect(ssh(defaults.diagnostics).map((d) => d.severity)).toEqual([1]);
  });
});
