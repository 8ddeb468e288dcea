// "IaC Network Security: Show Network Map": a webview beside the template showing the network
// map the language server builds from its analysis (request `iacNetsec/networkGraph`). The
// drawing script is bundled (dist/networkMap.js): no CDN, a strict CSP with a nonce, theme
// colours through CSS variables, so it works offline, in Restricted Mode and in every theme.
// The map follows the template: after each analysis (the server publishes diagnostics for it)
// it is requested again and redrawn in one step. Clicking a node reveals its element (in the
// file it is written in, for a Terraform module split over several files).

import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export const SHOW_MAP_COMMAND = 'iacNetsec.showNetworkMap';
export const NETWORK_MAP_REQUEST = 'iacNetsec/networkGraph';

interface Position {
  line: number;
  character: number;
}

interface MapNode {
  id: string;
  type: string;
  label: string;
  line: number | null;
  range: { start: Position; end: Position } | null;
  /** The URI of the file the node is written in, when it is another file of the Terraform module. */
  file?: string;
  severity?: string;
}

interface NetworkMapResult {
  uri: string;
  version: number;
  map: {
    nodes: MapNode[];
    edges: { from: string; to: string; kind: string; label?: string }[];
    exposures: { path: string[]; port: number; toPort?: number; protocol: string }[];
  };
}

export class NetworkMapPanel {
  private static current: NetworkMapPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private map: NetworkMapResult | undefined;
  private ready = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** Opens the map of a document beside it, or points the open map at it. */
  static show(
    context: vscode.ExtensionContext,
    client: () => LanguageClient | undefined,
    uri?: vscode.Uri,
  ): void {
    const editor =
      (uri && vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString())) ??
      vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage(
        'Open a CloudFormation or Terraform template to see its network map.',
      );
      return;
    }
    if (NetworkMapPanel.current) {
      NetworkMapPanel.current.document = editor.document;
      NetworkMapPanel.current.column = editor.viewColumn ?? vscode.ViewColumn.One;
      NetworkMapPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      void NetworkMapPanel.current.refresh();
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      'iacNetsec.networkMap',
      `Network Map: ${path.basename(editor.document.uri.path)}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true,
        retainContextWhenHidden: false,
        localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist')],
      },
    );
    NetworkMapPanel.current = new NetworkMapPanel(
      panel,
      context,
      client,
      editor.document,
      editor.viewColumn ?? vscode.ViewColumn.One,
    );
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    private readonly client: () => LanguageClient | undefined,
    private document: vscode.TextDocument,
    private column: vscode.ViewColumn,
  ) {
    panel.webview.html = html(panel.webview, context.extensionUri);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: { type?: string; id?: unknown }) => {
        if (message.type === 'ready') {
          this.ready = true;
          void this.refresh();
        } else if (message.type === 'reveal' && typeof message.id === 'string') void this.reveal(message.id);
      }),
      // A new analysis of the document: the server published its diagnostics.
      vscode.languages.onDidChangeDiagnostics((event) => {
        if (event.uris.some((u) => u.toString() === this.document.uri.toString())) this.schedule();
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document.uri.toString() === this.document.uri.toString()) this.schedule(600);
      }),
    );
  }

  private schedule(delay = 50): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delay);
  }

  async refresh(): Promise<void> {
    if (!this.ready) return;
    const client = this.client();
    const document = this.document;
    this.panel.title = `Network Map: ${path.basename(document.uri.path)}`;
    let result: NetworkMapResult | null = null;
    try {
      result =
        (await client?.sendRequest<NetworkMapResult | null>(NETWORK_MAP_REQUEST, {
          uri: document.uri.toString(),
        })) ?? null;
    } catch {
      result = null;
    }
    if (document !== this.document) return; // pointed at another document meanwhile
    if (!result || !result.map.nodes.length) {
      this.map = undefined;
      void this.panel.webview.postMessage({
        type: 'empty',
        text: `${path.basename(document.uri.path)} has no network (no VPC, subnet, gateway, security group or workload) to draw.`,
      });
      return;
    }
    if (this.map && result.version < this.map.version && this.map.uri === result.uri) return; // stale answer
    this.map = result;
    void this.panel.webview.postMessage({
      type: 'map',
      title: path.basename(document.uri.path),
      version: result.version,
      map: result.map,
    });
  }

  private async reveal(id: string): Promise<void> {
    const node = this.map?.map.nodes.find((n) => n.id === id);
    if (!node?.range) return;
    const range = new vscode.Range(
      node.range.start.line,
      node.range.start.character,
      node.range.end.line,
      node.range.end.character,
    );
    // A node of another file of the module opens that file; the map stays on this document.
    const document = node.file
      ? await vscode.workspace.openTextDocument(vscode.Uri.parse(node.file))
      : this.document;
    const editor = await vscode.window.showTextDocument(document, {
      viewColumn: this.column,
      selection: range,
      preserveFocus: false,
    });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private dispose(): void {
    NetworkMapPanel.current = undefined;
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function html(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'networkMap.js'));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Network Map</title>
<style nonce="${nonce}">
  body { padding: 0 12px; color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
  #status { margin: 8px 0; color: var(--vscode-descriptionForeground); }
  svg text { fill: var(--vscode-editor-foreground); font-family: var(--vscode-font-family); }
  .node rect { fill: var(--vscode-editorWidget-background); stroke: var(--vscode-contrastBorder, var(--vscode-editorWidget-border, var(--vscode-panel-border))); stroke-width: 1.5; }
  .node { cursor: pointer; }
  .node:hover rect, .node:focus rect { stroke: var(--vscode-focusBorder); stroke-width: 2.5; }
  .node:focus { outline: none; }
  .node .name { font-weight: 600; font-size: 12px; }
  .node .kind { font-size: 11px; fill: var(--vscode-descriptionForeground); }
  .node.severity-warning rect { stroke: var(--vscode-editorWarning-foreground); stroke-width: 2; }
  .node.severity-error rect { stroke: var(--vscode-editorError-foreground); stroke-width: 2; }
  .node.severity-info rect { stroke: var(--vscode-editorInfo-foreground); }
  .node.exposed rect, .node.type-internet rect { stroke: var(--vscode-editorError-foreground); stroke-width: 3; }
  .node.group rect { stroke-dasharray: 5 3; }
  .edge path { fill: none; stroke: var(--vscode-editorLineNumber-foreground, var(--vscode-descriptionForeground)); stroke-width: 1.2; }
  .edge text { font-size: 10px; fill: var(--vscode-descriptionForeground); }
  .edge.exposed path { stroke: var(--vscode-editorError-foreground); stroke-width: 3; }
  .edge.exposed text { fill: var(--vscode-editorError-foreground); font-weight: 600; }
  path.arrow { fill: var(--vscode-editorLineNumber-foreground, var(--vscode-descriptionForeground)); stroke: none; }
  path.arrow-exposed { fill: var(--vscode-editorError-foreground); stroke: none; }
</style>
</head>
<body>
<div id="status">Loading the network map…</div>
<div id="map"></div>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

const NETWORK_TYPES = new Set(['vpc', 'subnet', 'internet-gateway', 'route-table']);

/**
 * A code lens on the first line of templates that have a network (a VPC, subnet, internet
 * gateway or route table): "Show network map", with the number of exposed paths. Refreshed
 * after each analysis.
 */
export class NetworkMapLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription = vscode.languages.onDidChangeDiagnostics(() => this.changed.fire());

  constructor(private readonly client: () => LanguageClient | undefined) {}

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    let result: NetworkMapResult | null = null;
    try {
      result =
        (await this.client()?.sendRequest<NetworkMapResult | null>(NETWORK_MAP_REQUEST, {
          uri: document.uri.toString(),
        })) ?? null;
    } catch {
      return [];
    }
    if (!result?.map.nodes.some((n) => NETWORK_TYPES.has(n.type))) return [];
    const exposed = result.map.exposures.length;
    const title = exposed
      ? `$(type-hierarchy) Show network map (${exposed} exposed path${exposed === 1 ? '' : 's'})`
      : '$(type-hierarchy) Show network map';
    return [
      new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
        title,
        command: SHOW_MAP_COMMAND,
        arguments: [document.uri],
      }),
    ];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
