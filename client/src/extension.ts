// The VS Code extension: starts the bundled language server (dist/server.js) over IPC, passes
// the `iacNetsec.*` settings, and shows rule docs offline. No analysis happens here, no other
// language server is started, and user settings are never written.

import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { isCleanExit, recordingChannel } from './output';
// Node flags the language server runs with (V8 heap sizes, see bench/README.md); the benchmark
// starts the server with the same list, so it measures what the editor runs.
import SERVER_NODE_ARGS from './serverNodeArgs.json';
import { withoutDuplicateSyntaxErrors, YAML_SYNTAX_REPORTERS } from './syntaxErrors';

/** HashiCorp's Terraform extension: its language server gives .tf files their outline. */
const TERRAFORM_EXTENSION = 'hashicorp.terraform';
import { NetworkMapLensProvider, NetworkMapPanel, SHOW_MAP_COMMAND } from './networkMap';

const SECTION = 'iacNetsec';
const SHOW_DOCS_COMMAND = 'iacNetsec.showRuleDocs';
const RESTART_COMMAND = 'iacNetsec.restartServer';
const SELECT_RANGE_COMMAND = 'iacNetsec.selectRange';
const SHOW_OUTPUT_COMMAND = 'iacNetsec.showOutput';
const STATUS_REQUEST = 'iacNetsec/status';
const FIX_ALL_COMMAND = 'iacNetsec.fixAll';
const FIX_ALL_OF_RULE_COMMAND = 'iacNetsec.fixAllOfRule';
const FIX_ALL_KIND = 'source.fixAll.iacNetsec';
const DOCS_SCHEME = 'iac-netsec-docs';
const RULE_DOCS_REQUEST = 'iacNetsec/ruleDocs';
const RULES_REQUEST = 'iacNetsec/rules';

/** Settings that layer over `.iac-netsec.yaml`: only sent when the user set them. */
const LAYERED_KEYS = ['rules', 'trustedCidrs', 'sensitivePorts', 'webPorts', 'showSuppressed'] as const;

interface RuleDocs {
  ruleId: string;
  markdown: string;
  url: string;
}

interface RuleSummary {
  id: string;
  summary: string;
  severity: string;
}

/** The language client, except that the server's clean exit (code 0: a stop or restart) is not an error. */
class IacLanguageClient extends LanguageClient {
  override error(message: string, data?: unknown, showNotification: boolean | 'force' = true): void {
    if (isCleanExit(message)) this.info(message, data, false);
    else super.error(message, data, showNotification);
  }
}

let client: LanguageClient | undefined;

export interface IacNetsecApi {
  /** The running language client (for tests). */
  readonly client: LanguageClient | undefined;
  /** What the language status item shows, undefined while hidden (for tests). */
  readonly status: { text: string; detail: string } | undefined;
  /** The last lines written to the output channel (for tests). */
  readonly outputLines: readonly string[];
}

let shownStatus: { text: string; detail: string } | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<IacNetsecApi> {
  // The output channel exists from activation: startup, the config in force and its errors.
  const { channel: output, lines: outputLines } = recordingChannel(
    vscode.window.createOutputChannel('IaC Network Security'),
  );
  context.subscriptions.push(output);
  output.appendLine(
    `IaC Network Security ${String((context.extension.packageJSON as { version?: unknown }).version)} activating`,
  );
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_ARGS] } },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: [...SERVER_NODE_ARGS, '--nolazy', '--inspect=6019'] },
    },
  };

  // Terraform: HashiCorp's extension and ours call the language `terraform`; others use `tf`
  // or `hcl`; the pattern catches a .tf file that another extension gave some other id.
  const documentSelector = [
    ...['yaml', 'json', 'jsonc', 'terraform', 'tf', 'hcl'].flatMap((language) =>
      ['file', 'untitled'].map((scheme) => ({ language, scheme })),
    ),
    { scheme: 'file', pattern: '**/*.tf' },
  ];

  const clientOptions: LanguageClientOptions = {
    documentSelector,
    diagnosticCollectionName: 'iac-netsec',
    // Rule links in hovers are command links to the bundled docs (offline); only that command runs.
    markdown: { isTrusted: { enabledCommands: [SHOW_DOCS_COMMAND] } },
    outputChannel: output,
    synchronize: {
      configurationSection: SECTION,
      fileEvents: vscode.workspace.createFileSystemWatcher('**/.iac-netsec.yaml'),
    },
    initializationOptions: {
      // The client shows rule docs itself (offline, in a Markdown preview).
      clientCommands: [SHOW_DOCS_COMMAND, SELECT_RANGE_COMMAND],
      diagnosticsDelayMs: vscode.workspace.getConfiguration(SECTION).get<number>('diagnosticsDelayMs'),
    },
    middleware: {
      // With the Red Hat YAML extension active, YAML syntax errors are its to report.
      handleDiagnostics: (uri, diagnostics, next) => {
        const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        const reporter = YAML_SYNTAX_REPORTERS.some((id) => vscode.extensions.getExtension(id)?.isActive);
        next(uri, withoutDuplicateSyntaxErrors(document?.languageId, diagnostics, reporter));
      },
      // One outline per document: for YAML, Red Hat YAML's outline is already there.
      // For Terraform, HashiCorp's extension (terraform-ls) has the outline.
      provideDocumentSymbols: (document, token, next) =>
        (document.languageId === 'yaml' &&
          YAML_SYNTAX_REPORTERS.some((id) => vscode.extensions.getExtension(id)?.isActive)) ||
        (document.languageId === 'terraform' && vscode.extensions.getExtension(TERRAFORM_EXTENSION)?.isActive)
          ? []
          : next(document, token),
      workspace: {
        // Answer workspace/configuration with what the user set, so that an unset setting's
        // default never hides the repository's .iac-netsec.yaml.
        configuration: (params, token, next) => {
          if (!params.items.every((item) => item.section === SECTION)) return next(params, token);
          return params.items.map((item) => explicitSettings(item.scopeUri));
        },
      },
    },
  };

  client = new IacLanguageClient(SECTION, 'IaC Network Security', serverOptions, clientOptions);

  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(DOCS_SCHEME, {
      provideTextDocumentContent: async (uri) => {
        const ruleId = path.posix.basename(uri.path, '.md');
        const docs = await client?.sendRequest<RuleDocs | null>(RULE_DOCS_REQUEST, { ruleId });
        return docs?.markdown ?? `# ${ruleId}\n\nNo documentation is bundled for this rule.\n`;
      },
    }),
    vscode.commands.registerCommand(SHOW_DOCS_COMMAND, (ruleId?: unknown, url?: unknown) =>
      showRuleDocs(
        typeof ruleId === 'string' ? ruleId : undefined,
        typeof url === 'string' ? url : undefined,
      ),
    ),
    // After "Suppress ... (with a reason)": select the placeholder so the user types over it.
    vscode.commands.registerCommand(SELECT_RANGE_COMMAND, (uri?: unknown, range?: unknown) =>
      selectRange(uri, range),
    ),
    vscode.commands.registerCommand(SHOW_MAP_COMMAND, (uri?: unknown) =>
      NetworkMapPanel.show(context, () => client, uri instanceof vscode.Uri ? uri : undefined),
    ),
    vscode.languages.registerCodeLensProvider(documentSelector, new NetworkMapLensProvider(() => client)),
    // Fix all, from the command palette too (the same code actions as the lightbulb and on save).
    vscode.commands.registerCommand(FIX_ALL_COMMAND, () => fixAll()),
    vscode.commands.registerCommand(FIX_ALL_OF_RULE_COMMAND, () => fixAllOfRule()),
    vscode.commands.registerCommand(RESTART_COMMAND, async () => {
      output.appendLine('Restarting the language server');
      await client?.restart();
      output.appendLine('Language server restarted');
    }),
  );

  try {
    await client.start();
    output.appendLine('Language server started');
    context.subscriptions.push(statusItem(client, output));
  } catch (error) {
    void vscode.window.showErrorMessage(
      `IaC Network Security: the language server did not start: ${String(error)}`,
    );
  }
  return {
    get client() {
      return client;
    },
    get status() {
      return shownStatus;
    },
    outputLines,
  };
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  await running?.stop();
}

/** The `iacNetsec` settings the user set (folder, workspace or user level), plus the delay. */
function explicitSettings(scopeUri: string | undefined): Record<string, unknown> {
  let scope: vscode.Uri | undefined;
  try {
    scope = scopeUri ? vscode.Uri.parse(scopeUri) : undefined;
  } catch {
    scope = undefined;
  }
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const out: Record<string, unknown> = { diagnosticsDelayMs: config.get<number>('diagnosticsDelayMs') };
  for (const key of LAYERED_KEYS) {
    const inspected = config.inspect(key);
    const value = inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
    if (value !== undefined && value !== null) out[key] = value;
  }
  return out;
}

async function fixAll(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return;
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      editor.document.uri,
      new vscode.Range(0, 0, 0, 0),
      FIX_ALL_KIND,
    )) ?? [];
  const action = actions.find((a) => a.kind?.value === FIX_ALL_KIND && a.edit);
  if (!action?.edit) {
    void vscode.window.showInformationMessage('IaC Network Security: no safe fix applies to this file.');
    return;
  }
  await vscode.workspace.applyEdit(action.edit);
}

async function fixAllOfRule(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return;
  const uri = editor.document.uri;
  const ours = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'iac-netsec');
  const byRule = new Map<string, vscode.Diagnostic[]>();
  for (const d of ours) {
    const code = typeof d.code === 'object' ? String(d.code.value) : String(d.code);
    byRule.set(code, [...(byRule.get(code) ?? []), d]);
  }
  const picked = await vscode.window.showQuickPick(
    [...byRule].map(([rule, list]) => ({ label: rule, description: `${list.length} in this file` })),
    { placeHolder: 'Fix all problems of which rule?' },
  );
  if (!picked) return;
  const first = byRule.get(picked.label)![0]!;
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      first.range,
      vscode.CodeActionKind.QuickFix.value,
    )) ?? [];
  const action =
    actions.find((a) => a.title === `Fix all ${picked.label} problems in this file`) ??
    actions.find((a) => a.isPreferred && a.edit);
  if (!action?.edit) {
    void vscode.window.showInformationMessage(
      `IaC Network Security: ${picked.label} has no safe fix to apply in bulk; use the lightbulb on each problem.`,
    );
    return;
  }
  await vscode.workspace.applyEdit(action.edit);
}

interface StatusResult {
  checked: boolean;
  findings: number;
  configFile: string | null;
  configProblems: number;
}

/**
 * A language status item on templates: "IaC Network Security: N findings", the config file in
 * force, and a link to the output channel. Shown only while the active document is checked.
 */
function statusItem(languageClient: LanguageClient, output: vscode.OutputChannel): vscode.Disposable {
  let item: vscode.LanguageStatusItem | undefined;
  const showOutput = vscode.commands.registerCommand(SHOW_OUTPUT_COMMAND, () => output.show(true));
  let token = 0;
  const update = async (): Promise<void> => {
    const mine = ++token;
    const document = vscode.window.activeTextEditor?.document;
    let status: StatusResult | undefined;
    if (document && ['yaml', 'json', 'jsonc'].includes(document.languageId)) {
      try {
        status = await languageClient.sendRequest<StatusResult>(STATUS_REQUEST, {
          uri: document.uri.toString(),
        });
      } catch {
        status = undefined;
      }
    }
    if (mine !== token) return;
    if (!document || !status?.checked) {
      item?.dispose();
      item = undefined;
      shownStatus = undefined;
      return;
    }
    item ??= vscode.languages.createLanguageStatusItem('iacNetsec.status', [
      { language: document.languageId },
    ]);
    item.selector = { language: document.languageId, pattern: document.uri.fsPath };
    item.name = 'IaC Network Security';
    item.text = `IaC Network Security: ${status.findings} finding${status.findings === 1 ? '' : 's'}`;
    const config = status.configFile
      ? `config ${vscode.workspace.asRelativePath(status.configFile)}${status.configProblems ? ` (${status.configProblems} problem${status.configProblems === 1 ? '' : 's'})` : ''}`
      : 'no .iac-netsec.yaml (defaults)';
    item.detail = config;
    item.severity =
      status.configProblems > 0
        ? vscode.LanguageStatusSeverity.Warning
        : vscode.LanguageStatusSeverity.Information;
    item.command = { title: 'Show output', command: SHOW_OUTPUT_COMMAND };
    shownStatus = { text: item.text, detail: config };
  };
  const schedule = (): void => void update();
  const subscriptions = [
    showOutput,
    vscode.window.onDidChangeActiveTextEditor(schedule),
    vscode.languages.onDidChangeDiagnostics((event) => {
      const active = vscode.window.activeTextEditor?.document.uri.toString();
      if (event.uris.some((u) => u.toString() === active)) schedule();
    }),
  ];
  schedule();
  return {
    dispose: () => {
      for (const s of subscriptions) s.dispose();
      item?.dispose();
    },
  };
}

interface PlainRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

function selectRange(uri: unknown, range: unknown): void {
  if (typeof uri !== 'string' || typeof range !== 'object' || range === null) return;
  const { start, end } = range as PlainRange;
  const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri);
  if (!editor || !start || !end) return;
  const selection = new vscode.Selection(start.line, start.character, end.line, end.character);
  editor.selection = selection;
  editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

async function showRuleDocs(ruleId: string | undefined, url: string | undefined): Promise<void> {
  let id = ruleId;
  if (!id) {
    const rules = (await client?.sendRequest<RuleSummary[]>(RULES_REQUEST, {})) ?? [];
    const picked = await vscode.window.showQuickPick(
      rules.map((r) => ({ label: r.id, description: r.severity, detail: r.summary })),
      { placeHolder: 'Show the documentation of an iac-netsec rule' },
    );
    id = picked?.label;
    if (!id) return;
  }
  const docs = await client?.sendRequest<RuleDocs | null>(RULE_DOCS_REQUEST, { ruleId: id });
  if (!docs) {
    if (url) await vscode.env.openExternal(vscode.Uri.parse(url));
    return;
  }
  const uri = vscode.Uri.from({ scheme: DOCS_SCHEME, path: `/${id}.md` });
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: true });
  }
}
