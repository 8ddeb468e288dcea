// The language server: a thin shell around the pure IacService (invariant 1: the only code
// that knows the connection). Document sync, debounced diagnostics that newer edits cancel,
// per-resource settings (defaults <- .iac-netsec.yaml <- editor settings), config file
// watching, and the feature handlers. Every handler is guarded: the server never crashes.

import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  DiagnosticSeverity,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isConfigFile, settingsFromPlain } from '../config/config';
import { defaultSettings, mergeSettings, type Settings } from '../engine/settings';
import { LineIndex } from '../model/lines';
import { isHclUri, syntaxOf } from '../parse/detect';
import { hclReady, initHcl } from '../parse/hcl';
import { ALL_RULES, ruleById } from '../rules';
import { docsUrl, FIX_ALL_KIND, IacService, SHOW_DOCS_COMMAND, SOURCE } from '../service/service';
import { networkMapOf, NETWORK_MAP_REQUEST } from '../service/networkMap';
import { Budget, REQUEST_BUDGET_MS } from '../service/budget';
import { ConfigFiles, type ConfigState } from './configFiles';
import { ModuleFiles } from './moduleFiles';
import { StackFiles } from './stackFiles';
import { version } from '../../../package.json';

export const DEFAULT_DELAY_MS = 150;
export const RULE_DOCS_REQUEST = 'iacNetsec/ruleDocs';
export const RULES_REQUEST = 'iacNetsec/rules';
/** What the editor's language status item shows for a document. */
export const STATUS_REQUEST = 'iacNetsec/status';

export interface StatusResult {
  /** False when the document is not a template, plan or policy (nothing is checked). */
  checked: boolean;
  /** Findings shown (suppressed ones left out unless shown). */
  findings: number;
  /** The config file in force for the document, or null. */
  configFile: string | null;
  configProblems: number;
}
export const CONFIG_PROBLEM_CODE = 'invalid-config';

export interface RuleDocsParams {
  ruleId: string;
}
export interface RuleDocsResult {
  ruleId: string;
  markdown: string;
  url: string;
}

interface Resolved {
  settings: Settings;
  delayMs: number;
}

interface Pending {
  token: number;
  cancel?: () => void;
}

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface ServerOptions {
  /** Where the HCL parser's wasm files are (next to the bundle); else found in node_modules. */
  wasmDir?: string;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  new Server(connection, options).listen();
}

/**
 * Whether analysing the document may parse HCL: a `.tf` file (or one the editor calls
 * Terraform), and a `.tf.json` file, whose module folder may hold `.tf` files.
 */
function needsHcl(uri: string, languageId: string | undefined): boolean {
  return /\.tf\.json$/i.test(uri) || isHclUri(uri) || syntaxOf(uri, '', languageId) === 'hcl';
}

class Server {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly service: IacService;
  private readonly configs: ConfigFiles;
  private readonly stackFiles: StackFiles;
  private readonly resolved = new Map<string, Promise<Resolved>>();
  private readonly pending = new Map<string, Pending>();
  private readonly openedVersion = new Map<string, number>();
  private readonly moduleFiles: ModuleFiles;
  private readonly loggedProblems = new Set<string>();
  private roots: string[] = [];
  private canPullConfiguration = false;
  private initOptions: Plain = {};
  private pushedSettings: unknown;

  constructor(
    private readonly connection: Connection,
    private readonly options: ServerOptions = {},
  ) {
    this.service = new IacService((message) => this.connection.console.error(message));
    // Terraform: a document is analysed with the other files of its folder (its module).
    this.moduleFiles = new ModuleFiles(
      () => this.documents.all(),
      () => this.roots,
      (message) => this.connection.console.warn(message),
    );
    this.service.setModuleFiles(this.moduleFiles.provider);
    // CloudFormation: a template is analysed with the local templates of its nested stacks.
    this.stackFiles = new StackFiles(
      () => this.documents.all(),
      () => this.roots,
      (message) => this.connection.console.warn(message),
    );
    this.service.setStackTemplates(this.stackFiles.provider);
    this.configs = new ConfigFiles({
      openText: (file) => this.openConfigText(file),
      roots: () => this.roots,
      problemsChanged: (state) => this.publishConfigProblems(state),
      log: (message) => this.connection.console.warn(message),
    });
  }

  listen(): void {
    const { connection, documents } = this;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => this.initialized());
    connection.onDidChangeConfiguration((params) =>
      this.guard('didChangeConfiguration', undefined, () => {
        this.pushedSettings = params.settings;
        this.settingsChanged();
      }),
    );
    connection.onDidChangeWatchedFiles((params) =>
      this.guard('didChangeWatchedFiles', undefined, () => {
        let changed = false;
        for (const change of params.changes) {
          const file = this.pathOf(change.uri);
          if (file && ModuleFiles.isModuleFile(file)) this.recheckFolder(file, change.uri);
          if (file) this.recheckParents(file);
          if (!file || !isConfigFile(file)) continue;
          this.configs.forgetLookups();
          if (this.configs.reload(file)) changed = true;
        }
        if (changed) this.settingsChanged();
      }),
    );

    documents.onDidOpen((event) =>
      this.guard('didOpen', undefined, () => {
        this.openedVersion.set(event.document.uri, event.document.version);
        if (isConfigFile(event.document.uri)) this.configDocumentChanged(event.document);
        else this.schedule(event.document.uri, true);
      }),
    );
    documents.onDidChangeContent((event) =>
      this.guard('didChange', undefined, () => {
        const { uri, version } = event.document;
        if (this.openedVersion.get(uri) === version) return; // the open event handled it
        this.openedVersion.delete(uri);
        if (isConfigFile(uri)) this.configDocumentChanged(event.document);
        else {
          this.schedule(uri, false);
          const file = this.pathOf(uri);
          if (file && ModuleFiles.isModuleFile(file)) this.recheckFolder(file, uri);
          if (file) this.recheckParents(file);
        }
      }),
    );
    documents.onDidClose((event) =>
      this.guard('didClose', undefined, () => {
        const uri = event.document.uri;
        this.cancel(uri);
        this.pending.delete(uri);
        this.openedVersion.delete(uri);
        this.resolved.delete(uri);
        this.service.close(uri);
        this.stackFiles.forget(uri);
        if (isConfigFile(uri)) {
          // Back to the file on disk.
          const file = this.pathOf(uri);
          if (file && this.configs.reload(file)) this.settingsChanged();
        } else {
          void connection.sendDiagnostics({ uri, diagnostics: [] });
          // A nested template closed unsaved: its open parents read it from disk again.
          const file = this.pathOf(uri);
          if (file) this.recheckParents(file);
        }
      }),
    );

    connection.onCodeAction((params) =>
      this.withDocument(
        'codeAction',
        params.textDocument.uri,
        [],
        // The service's types come from a newer vscode-languageserver-types (same shapes).
        (document, settings, budget) =>
          this.service.codeActions(
            document,
            params.range,
            params.context,
            settings,
            budget,
          ) as unknown as CodeAction[],
      ),
    );
    connection.onHover((params) =>
      this.withDocument('hover', params.textDocument.uri, null, (document, settings, budget) =>
        this.service.hover(document, params.position, settings, budget),
      ),
    );
    connection.onDocumentSymbol((params) =>
      this.withDocument('documentSymbol', params.textDocument.uri, [], (document, settings) =>
        this.service.documentSymbols(document, settings),
      ),
    );
    connection.onDefinition((params) =>
      this.withDocument('definition', params.textDocument.uri, [], (document, settings, budget) =>
        this.service.definition(document, params.position, settings, budget),
      ),
    );
    connection.onCompletion((params) =>
      this.withDocument('completion', params.textDocument.uri, [], (document, settings, budget) =>
        this.service.completion(document, params.position, settings, budget),
      ),
    );
    connection.onExecuteCommand((params) =>
      this.guard('executeCommand', null, () => {
        if (params.command !== SHOW_DOCS_COMMAND) return null;
        const [ruleId, url] = (params.arguments ?? []) as unknown[];
        const docs = typeof ruleId === 'string' ? this.ruleDocs(ruleId) : null;
        const href = typeof url === 'string' ? url : docs?.url;
        if (href && this.canShowDocument) void connection.window.showDocument({ uri: href, external: true });
        return docs;
      }),
    );
    connection.onRequest(RULE_DOCS_REQUEST, (params: RuleDocsParams) =>
      this.guard('ruleDocs', null, () => this.ruleDocs(params?.ruleId)),
    );
    connection.onRequest(NETWORK_MAP_REQUEST, (params: { uri?: unknown }) =>
      typeof params?.uri === 'string'
        ? this.withDocument('networkGraph', params.uri, null, (document, settings) =>
            networkMapOf(this.service, document, settings),
          )
        : null,
    );
    connection.onRequest(STATUS_REQUEST, (params: { uri?: string }) =>
      this.withDocument<StatusResult>(
        'status',
        typeof params?.uri === 'string' ? params.uri : '',
        { checked: false, findings: 0, configFile: null, configProblems: 0 },
        (document, settings) => {
          const file = this.pathOf(document.uri);
          const dir = file ? path.dirname(file) : this.roots[0];
          const config = dir ? this.configs.statusFor(dir) : { file: null, problems: 0 };
          return {
            checked: this.service.analysis(document, settings) !== undefined,
            findings: this.service.diagnosticCount(document, settings),
            configFile: config.file,
            configProblems: config.problems,
          };
        },
      ),
    );
    connection.onRequest(RULES_REQUEST, () =>
      this.guard('rules', [], () =>
        ALL_RULES.map((r) => ({ id: r.meta.id, summary: r.meta.summary, severity: r.meta.severity })),
      ),
    );
    connection.onShutdown(() => {
      for (const uri of this.pending.keys()) this.cancel(uri);
    });

    documents.listen(connection);
    connection.listen();
  }

  private canShowDocument = false;

  private initialize(params: InitializeParams): InitializeResult {
    this.connection.console.info(
      `iac-netsec ${version} starting (Node ${process.version}, ${ALL_RULES.length} rules)`,
    );
    const init = isPlain(params.initializationOptions) ? params.initializationOptions : {};
    // Settings may come at the top level or under `iacNetsec` (as editors nest them).
    this.initOptions = isPlain(init.iacNetsec) ? { ...init, ...init.iacNetsec } : init;
    const capabilities = params.capabilities;
    this.canPullConfiguration = capabilities.workspace?.configuration === true;
    this.canShowDocument = capabilities.window?.showDocument?.support === true;
    this.watchDynamically = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    this.roots = (params.workspaceFolders ?? [])
      .map((folder) => this.pathOf(folder.uri))
      .filter((p): p is string => p !== undefined);
    if (!this.roots.length) {
      const root = params.rootUri ? this.pathOf(params.rootUri) : (params.rootPath ?? undefined);
      if (root) this.roots = [root];
    }
    const clientCommands = Array.isArray(this.initOptions.clientCommands)
      ? this.initOptions.clientCommands
      : [];
    const commands = [SHOW_DOCS_COMMAND].filter((c) => !clientCommands.includes(c));
    this.service.clientCommands = new Set(clientCommands.filter((c): c is string => typeof c === 'string'));
    return {
      capabilities: {
        textDocumentSync: {
          openClose: true,
          change: TextDocumentSyncKind.Incremental,
        },
        codeActionProvider: {
          codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, CodeActionKind.Source],
          resolveProvider: false,
        },
        hoverProvider: true,
        documentSymbolProvider: { label: 'iac-netsec' },
        definitionProvider: true,
        // Completion of actions, condition operators and keys inside policies.
        completionProvider: { triggerCharacters: [':', '"'] },
        ...(commands.length ? { executeCommandProvider: { commands } } : {}),
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'iac-netsec', version },
    };
  }

  private watchDynamically = false;

  private initialized(): void {
    this.guard('initialized', undefined, () => {
      if (this.watchDynamically)
        void this.connection.client.register(DidChangeWatchedFilesNotification.type, {
          watchers: [
            { globPattern: '**/.iac-netsec.yaml' },
            // The files of Terraform modules: an edit on disk re-checks the open files beside it.
            { globPattern: '**/*.{tf,tf.json,tfvars,tfvars.json}' },
            // Nested stack templates: an edit on disk re-checks the open parents that read them.
            { globPattern: '**/*.{yaml,yml,json,template}' },
          ],
        });
      try {
        this.connection.workspace.onDidChangeWorkspaceFolders((event) =>
          this.guard('didChangeWorkspaceFolders', undefined, () => {
            const removed = new Set(event.removed.map((f) => this.pathOf(f.uri)));
            this.roots = [
              ...this.roots.filter((r) => !removed.has(r)),
              ...event.added.map((f) => this.pathOf(f.uri)).filter((p): p is string => p !== undefined),
            ];
            this.configs.forgetLookups();
            this.settingsChanged();
          }),
        );
      } catch {
        // The client does not support workspace folders.
      }
    });
  }

  // ---- settings ---------------------------------------------------------------------------

  /** Settings and delay for a document; one object per URI until settings change. */
  private resolve(uri: string): Promise<Resolved> {
    let promise = this.resolved.get(uri);
    if (!promise) {
      promise = this.computeSettings(uri);
      this.resolved.set(uri, promise);
    }
    return promise;
  }

  private hclLoading: Promise<void> | undefined;

  /**
   * Resolves once the document can be analysed: at once, unless it is Terraform and the HCL
   * parser (wasm: ~34 MB of external memory reserved) is not loaded yet, which the first such
   * document starts.
   * Awaited before every analysis: one made without the parser would be cached for that version.
   */
  private parserFor(uri: string): Promise<void> | undefined {
    if (hclReady() || !needsHcl(uri, this.documents.get(uri)?.languageId)) return undefined;
    if (!this.hclLoading) {
      const started = performance.now();
      this.hclLoading = initHcl(this.options.wasmDir).then(() =>
        // When it fails, each .tf document says so (a parse problem naming the reason); the log once.
        hclReady()
          ? this.connection.console.info(
              `iac-netsec: Terraform parser loaded in ${Math.round(performance.now() - started)} ms`,
            )
          : this.connection.console.error('iac-netsec: the Terraform parser could not be loaded'),
      );
    }
    return this.hclLoading;
  }

  private async computeSettings(uri: string): Promise<Resolved> {
    let pulled: unknown;
    if (this.canPullConfiguration) {
      try {
        pulled = await this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'iacNetsec' });
      } catch (error) {
        this.logOnce(`iac-netsec: workspace/configuration failed: ${String(error)}`);
      }
    } else {
      pulled = this.pushed();
    }
    const base = this.editorLayer(this.initOptions);
    const editor = this.editorLayer(pulled);
    const file = this.pathOf(uri);
    const dir = file ? path.dirname(file) : this.roots[0];
    const config = dir ? this.configs.layerFor(dir) : {};
    const settings = mergeSettings(defaultSettings(), config, base.layer, editor.layer);
    const delayMs = editor.delayMs ?? base.delayMs ?? DEFAULT_DELAY_MS;
    return { settings, delayMs };
  }

  /** Pushed settings (didChangeConfiguration): `{ iacNetsec: {...} }` or the section itself. */
  private pushed(): unknown {
    const settings = this.pushedSettings;
    if (!isPlain(settings)) return undefined;
    return isPlain(settings.iacNetsec) ? settings.iacNetsec : settings;
  }

  private editorLayer(raw: unknown): { layer: Partial<Settings>; delayMs: number | undefined } {
    if (!isPlain(raw)) return { layer: {}, delayMs: undefined };
    const result = settingsFromPlain(raw);
    for (const problem of result.problems) this.logOnce(`iac-netsec: ignoring setting ${problem.message}`);
    const delay = raw.diagnosticsDelayMs;
    const delayMs =
      typeof delay === 'number' && Number.isFinite(delay) && delay >= 0 ? Math.min(delay, 10_000) : undefined;
    return { layer: result.settings, delayMs };
  }

  private settingsChanged(): void {
    this.resolved.clear();
    for (const document of this.documents.all()) {
      if (!isConfigFile(document.uri)) this.schedule(document.uri, true);
    }
  }

  // ---- config files -----------------------------------------------------------------------

  private openConfigText(file: string): string | undefined {
    for (const document of this.documents.all()) {
      if (isConfigFile(document.uri) && this.pathOf(document.uri) === file) return document.getText();
    }
    return undefined;
  }

  private readonly configTimers = new Map<string, NodeJS.Timeout>();

  private configDocumentChanged(document: TextDocument): void {
    const file = this.pathOf(document.uri);
    if (!file) return;
    const previous = this.configTimers.get(file);
    if (previous) clearTimeout(previous);
    const delay =
      typeof this.initOptions.diagnosticsDelayMs === 'number' ? this.initOptions.diagnosticsDelayMs : 0;
    this.configTimers.set(
      file,
      setTimeout(
        () =>
          this.guard('config', undefined, () => {
            this.configTimers.delete(file);
            const changed = this.configs.reload(file);
            // Make sure an open config file always shows its state, even if unchanged.
            if (changed) this.settingsChanged();
          }),
        Math.max(0, Math.min(delay, 1000)),
      ),
    );
  }

  private publishConfigProblems(state: ConfigState): void {
    const lines = new LineIndex(state.text ?? '');
    const diagnostics: Diagnostic[] = state.problems.map((problem) => ({
      range: { start: lines.positionAt(problem.start), end: lines.positionAt(problem.end) },
      severity: problem.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      source: SOURCE,
      code: CONFIG_PROBLEM_CODE,
      message:
        problem.severity !== 'error'
          ? problem.message
          : problem.path === ''
            ? `${problem.message} (the last valid configuration stays in force)`
            : `${problem.message} (ignored; the rest of the file is in force)`,
    }));
    const uri = this.uriOf(state.path);
    const document = this.documents.get(uri);
    void this.connection.sendDiagnostics({
      uri,
      diagnostics,
      ...(document ? { version: document.version } : {}),
    });
  }

  // ---- diagnostics --------------------------------------------------------------------------

  private cancel(uri: string): void {
    const pending = this.pending.get(uri);
    pending?.cancel?.();
    if (pending) pending.cancel = undefined;
  }

  /**
   * Re-checks the open documents in the folder of a changed Terraform module file (but itself),
   * and in the folders that call it as a local module.
   */
  private recheckFolder(file: string, changedUri: string): void {
    const dir = path.dirname(file);
    const dirs = new Set([dir, ...this.moduleFiles.callersOf(dir)]);
    for (const document of this.documents.all()) {
      if (document.uri === changedUri) continue;
      const other = this.pathOf(document.uri);
      if (other && dirs.has(path.dirname(other)) && ModuleFiles.isModuleFile(other))
        this.schedule(document.uri, false);
    }
  }

  /** Re-checks the open templates whose nested stacks read this file (CloudFormation). */
  private recheckParents(file: string): void {
    const open = new Set(this.documents.all().map((d) => d.uri));
    for (const uri of this.stackFiles.parentsOf(file)) if (open.has(uri)) this.schedule(uri, false);
  }

  /** Checks a document after the delay (or at once); a newer call for the same URI wins. */
  private schedule(uri: string, immediate: boolean): void {
    let pending = this.pending.get(uri);
    if (!pending) {
      pending = { token: 0 };
      this.pending.set(uri, pending);
    }
    this.cancel(uri);
    const token = ++pending.token;
    const state = pending;
    Promise.all([this.resolve(uri), this.parserFor(uri)])
      .then(([{ settings, delayMs }]) => {
        if (state.token !== token) return;
        const run = (): void => {
          state.cancel = undefined;
          if (state.token !== token) return;
          this.guard('diagnostics', undefined, () => this.publish(uri, settings));
        };
        if (immediate || delayMs <= 0) {
          const handle = setImmediate(run);
          state.cancel = () => clearImmediate(handle);
        } else {
          const handle = setTimeout(run, delayMs);
          state.cancel = () => clearTimeout(handle);
        }
      })
      .catch((error: unknown) =>
        this.connection.console.error(`iac-netsec: settings failed: ${String(error)}`),
      );
  }

  private publish(uri: string, settings: Settings): void {
    const document = this.documents.get(uri);
    if (!document) return;
    // The service's types come from a newer vscode-languageserver-types; its messages are strings.
    const diagnostics = this.service.diagnostics(document, settings) as unknown as Diagnostic[];
    if (this.documents.get(uri)?.version !== document.version) return;
    void this.connection.sendDiagnostics({ uri, version: document.version, diagnostics });
  }

  // ---- helpers ------------------------------------------------------------------------------

  private ruleDocs(ruleId: unknown): RuleDocsResult | null {
    if (typeof ruleId !== 'string') return null;
    const rule = ruleById(ruleId);
    if (!rule) return null;
    return { ruleId, markdown: rule.docs, url: docsUrl(ruleId) };
  }

  /**
   * A request on a document, within a time budget (REQUEST_BUDGET_MS): the service answers with
   * what it has when the budget is spent; a partial or slow answer is logged.
   */
  private async withDocument<T>(
    name: string,
    uri: string,
    fallback: T,
    run: (document: TextDocument, settings: Settings, budget: Budget) => T,
  ): Promise<T> {
    try {
      const document = this.documents.get(uri);
      if (!document || isConfigFile(uri)) return fallback;
      const { settings } = await this.resolve(uri);
      await this.parserFor(uri);
      const current = this.documents.get(uri);
      if (!current) return fallback;
      const budget = new Budget(REQUEST_BUDGET_MS);
      const started = performance.now();
      const result = run(current, settings, budget);
      const ms = Math.round(performance.now() - started);
      if (budget.cut.length)
        this.connection.console.info(
          `iac-netsec: ${name} on ${uri} answered partially (time budget ${REQUEST_BUDGET_MS} ms, took ${ms} ms): ${budget.cut.join('; ')}`,
        );
      else if (ms > 2 * REQUEST_BUDGET_MS)
        this.connection.console.info(`iac-netsec: ${name} on ${uri} took ${ms} ms`);
      return result;
    } catch (error) {
      this.connection.console.error(`iac-netsec: ${name} failed: ${errorText(error)}`);
      return fallback;
    }
  }

  private guard<T>(name: string, fallback: T, run: () => T): T {
    try {
      return run();
    } catch (error) {
      this.connection.console.error(`iac-netsec: ${name} failed: ${errorText(error)}`);
      return fallback;
    }
  }

  private logOnce(message: string): void {
    if (this.loggedProblems.has(message)) return;
    this.loggedProblems.add(message);
    this.connection.console.warn(message);
  }

  private pathOf(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    try {
      return path.resolve(fileURLToPath(uri));
    } catch {
      return undefined;
    }
  }

  /** The URI the client uses for a file (an open document's), else a file URI. */
  private uriOf(file: string): string {
    for (const document of this.documents.all()) if (this.pathOf(document.uri) === file) return document.uri;
    return pathToFileURL(file).href;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
