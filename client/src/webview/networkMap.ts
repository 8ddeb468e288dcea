/// <reference lib="dom" />
// The network map webview (bundled by esbuild into dist/networkMap.js, loaded under a strict
// CSP with a nonce; no network). Draws the map the extension posts as SVG with the bundled
// layout, colours from the theme's CSS variables, exposed paths highlighted, and asks the
// extension to reveal a node's element when it is clicked. A new map replaces the drawing in
// one step (no flicker) and keeps the scroll position.

import type { Layout, LayoutMapIn, PlacedNode } from './layout';
import { layout, NODE_HEIGHT, NODE_WIDTH } from './layout';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface MapMessage {
  type: 'map';
  title: string;
  version: number;
  map: LayoutMapIn;
}
interface EmptyMessage {
  type: 'empty';
  text: string;
}

const vscode = acquireVsCodeApi();
const SVG = 'http://www.w3.org/2000/svg';
const MARGIN = 20;

const TYPE_NAMES: Record<string, string> = {
  internet: 'internet',
  vpc: 'VPC',
  'internet-gateway': 'internet gateway',
  'nat-gateway': 'NAT gateway',
  'egress-only-gateway': 'egress-only gateway',
  'vpn-gateway': 'VPN gateway',
  'route-table': 'route table',
  'network-acl': 'network ACL',
  subnet: 'subnet',
  'security-group': 'security group',
  'auto-scaling-group': 'Auto Scaling group',
  'load-balancer': 'load balancer',
  'vpc-endpoint': 'VPC endpoint',
};

function svg<K extends keyof SVGElementTagNameMap>(
  name: K,
  attrs: Record<string, string | number>,
  parent?: Element,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  parent?.appendChild(el);
  return el;
}

function truncate(text: string, max = 26): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function nodeClass(node: PlacedNode): string {
  const classes = ['node', `type-${node.type}`];
  if (node.exposed) classes.push('exposed');
  if (node.severity) classes.push(`severity-${node.severity}`);
  if (node.members.length) classes.push('group');
  return classes.join(' ');
}

/** Below this zoom the map keeps its size and scrolls instead of shrinking further. */
const MIN_SCALE = 0.55;

function draw(placed: Layout): SVGSVGElement {
  const width = placed.width + 2 * MARGIN;
  const height = placed.height + 2 * MARGIN;
  // Fit the view's width when that keeps the text readable.
  const available = Math.max(200, document.documentElement.clientWidth - 24);
  const fit = Math.min(1, available / width);
  const scale = fit >= MIN_SCALE ? fit : 1;
  const root = svg('svg', {
    width: Math.ceil(width * scale),
    height: Math.ceil(height * scale),
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
  });
  const defs = svg('defs', {}, root);
  for (const id of ['arrow', 'arrow-exposed']) {
    const marker = svg(
      'marker',
      {
        id,
        viewBox: '0 0 10 10',
        refX: 10,
        refY: 5,
        markerWidth: 7,
        markerHeight: 7,
        orient: 'auto-start-reverse',
      },
      defs,
    );
    svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: id }, marker);
  }
  const scene = svg('g', { transform: `translate(${MARGIN} ${MARGIN})` }, root);
  const byId = new Map(placed.nodes.map((n) => [n.id, n]));
  const edgeLayer = svg('g', { class: 'edges' }, scene);
  // Exposed edges last so they are drawn on top.
  for (const edge of [...placed.edges].sort((a, b) => Number(a.exposed) - Number(b.exposed))) {
    const from = byId.get(edge.from)!;
    const to = byId.get(edge.to)!;
    const x1 = from.x + NODE_WIDTH;
    const y1 = from.y + NODE_HEIGHT / 2;
    const x2 = to.x;
    const y2 = to.y + NODE_HEIGHT / 2;
    const back = x2 <= x1;
    const d = back
      ? `M ${from.x + NODE_WIDTH / 2} ${from.y + NODE_HEIGHT} C ${from.x + NODE_WIDTH / 2} ${y2 + 60}, ${to.x + NODE_WIDTH / 2} ${y2 + 60}, ${to.x + NODE_WIDTH / 2} ${to.y + NODE_HEIGHT}`
      : `M ${x1} ${y1} C ${(x1 + x2) / 2} ${y1}, ${(x1 + x2) / 2} ${y2}, ${x2} ${y2}`;
    const group = svg('g', { class: `edge kind-${edge.kind}${edge.exposed ? ' exposed' : ''}` }, edgeLayer);
    svg('path', { d, 'marker-end': `url(#${edge.exposed ? 'arrow-exposed' : 'arrow'})` }, group);
    const title = svg('title', {}, group);
    title.textContent = `${edge.from} → ${edge.to} (${edge.kind}${edge.label ? `: ${edge.label}` : ''})`;
    if (edge.label) {
      const label = svg(
        'text',
        { x: back ? x1 : (x1 + x2) / 2, y: (y1 + y2) / 2 - 4, 'text-anchor': 'middle' },
        group,
      );
      label.textContent = edge.label;
    }
  }
  const nodeLayer = svg('g', { class: 'nodes' }, scene);
  for (const node of placed.nodes) {
    const group = svg(
      'g',
      {
        class: nodeClass(node),
        transform: `translate(${node.x} ${node.y})`,
        tabindex: 0,
        'data-id': node.id,
      },
      nodeLayer,
    );
    svg('rect', { width: NODE_WIDTH, height: NODE_HEIGHT, rx: node.type === 'internet' ? 22 : 6 }, group);
    const name = svg('text', { x: 10, y: 18, class: 'name' }, group);
    name.textContent = truncate(node.type === 'internet' ? 'Internet' : node.label);
    const kind = svg('text', { x: 10, y: 34, class: 'kind' }, group);
    kind.textContent = node.members.length
      ? 'collapsed: click to reveal the first'
      : `${TYPE_NAMES[node.type] ?? node.type.replace(/-/g, ' ')}${node.severity ? ` · ${node.severity}` : ''}`;
    const title = svg('title', {}, group);
    title.textContent = node.members.length ? node.members.join('\n') : node.label;
  }
  return root;
}

/**
 * A name wider than its box (a long Terraform address) is narrowed to fit it: the text must be
 * in the page to be measured. The full name stays the node's tooltip.
 */
function fitLabels(): void {
  const room = NODE_WIDTH - 20;
  for (const text of Array.from(host.querySelectorAll<SVGTextElement>('g.node text'))) {
    let length: number;
    try {
      length = text.getComputedTextLength();
    } catch {
      continue;
    }
    if (length > room) {
      text.setAttribute('textLength', String(room));
      text.setAttribute('lengthAdjust', 'spacingAndGlyphs');
    }
  }
}

function reveal(target: EventTarget | null): void {
  const group = (target as Element | null)?.closest?.('g.node');
  const id = group?.getAttribute('data-id');
  if (!id || id === 'internet') return;
  vscode.postMessage({ type: 'reveal', id });
}

const host = document.getElementById('map')!;
const status = document.getElementById('status')!;
host.addEventListener('click', (event) => reveal(event.target));
host.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    reveal(event.target);
  }
});

let lastVersion = -1;
let lastLayout: Layout | undefined;
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  if (resizeTimer) clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    if (lastLayout) {
      host.replaceChildren(draw(lastLayout));
      fitLabels();
    }
  }, 100);
});
window.addEventListener('message', (event: MessageEvent<MapMessage | EmptyMessage>) => {
  const message = event.data;
  if (message.type === 'empty') {
    host.replaceChildren();
    lastLayout = undefined;
    status.textContent = message.text;
    return;
  }
  if (message.type !== 'map') return;
  lastVersion = message.version;
  const placed = layout(message.map);
  lastLayout = placed;
  const exposures = message.map.exposures.length;
  status.textContent = `${message.title} · ${message.map.nodes.length} resources · ${
    exposures
      ? `${exposures} exposed path${exposures === 1 ? '' : 's'}`
      : 'no path from the internet to an admin or sensitive port'
  }`;
  const scroll = {
    left: document.scrollingElement?.scrollLeft ?? 0,
    top: document.scrollingElement?.scrollTop ?? 0,
  };
  host.replaceChildren(draw(placed));
  fitLabels();
  document.scrollingElement?.scrollTo(scroll.left, scroll.top);
  vscode.setState({ version: lastVersion });
});

vscode.postMessage({ type: 'ready' });
