// Layered left-to-right layout of the network map (no dependency, bundled into the webview):
// each node's column is its longest distance from a source (the internet first), nodes in a
// column are ordered by the mean row of their predecessors (two sweeps), ties exposed first then by id, so the
// same map always gets the same picture and a small edit moves little. Beyond a threshold,
// workloads that are not on an exposure path are collapsed per subnet and type ("14
// instances"), so a 2,000-node template stays responsive.

export interface LayoutNodeIn {
  id: string;
  type: string;
  label: string;
  severity?: string;
}

export interface LayoutEdgeIn {
  from: string;
  to: string;
  kind: string;
  label?: string;
}

export interface LayoutMapIn {
  nodes: LayoutNodeIn[];
  edges: LayoutEdgeIn[];
  exposures: { path: string[]; port: number; toPort?: number; protocol: string }[];
}

export interface PlacedNode extends LayoutNodeIn {
  x: number;
  y: number;
  /** Ids of the nodes collapsed into this one (empty for an ordinary node). */
  members: string[];
  exposed: boolean;
}

export interface PlacedEdge {
  from: string;
  to: string;
  kind: string;
  label?: string;
  exposed: boolean;
}

export interface Layout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

export const NODE_WIDTH = 180;
export const NODE_HEIGHT = 44;
export const COLUMN_GAP = 90;
export const ROW_GAP = 22;
/** Above this many nodes, workloads off the exposure paths are collapsed per subnet. */
export const COLLAPSE_THRESHOLD = 300;

const WORKLOADS = new Set([
  'instance',
  'auto-scaling-group',
  'launch-template',
  'launch-configuration',
  'network-interface',
  'ecs-service',
  'eks-nodegroup',
  'lambda',
  'load-balancer',
  'database',
  'vpc-endpoint',
]);

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Collapses workloads off the exposure paths into one node per (subnet, type) when the map is big. */
export function collapse(
  map: LayoutMapIn,
  threshold = COLLAPSE_THRESHOLD,
): { nodes: PlacedNode[]; edges: PlacedEdge[] } {
  const onPath = new Set(map.exposures.flatMap((x) => x.path));
  const exposedPairs = new Set<string>();
  for (const x of map.exposures)
    for (let i = 1; i < x.path.length; i++) exposedPairs.add(`${x.path[i - 1]}\u0000${x.path[i]}`);
  const into = new Map<string, string>();
  const groups = new Map<string, PlacedNode>();
  if (map.nodes.length > threshold) {
    const subnetOf = new Map<string, string>();
    for (const e of map.edges) if (e.kind === 'subnet' && !subnetOf.has(e.to)) subnetOf.set(e.to, e.from);
    for (const node of map.nodes) {
      if (!WORKLOADS.has(node.type) || onPath.has(node.id)) continue;
      const key = `group:${subnetOf.get(node.id) ?? 'none'}:${node.type}`;
      let group = groups.get(key);
      if (!group) {
        group = { id: key, type: node.type, label: '', x: 0, y: 0, members: [], exposed: false };
        groups.set(key, group);
      }
      group.members.push(node.id);
      const rank = (s: string | undefined) => ['hint', 'info', 'warning', 'error'].indexOf(s ?? '');
      if (rank(node.severity) > rank(group.severity)) group.severity = node.severity;
      into.set(node.id, key);
    }
    for (const [key, group] of groups) {
      if (group.members.length === 1) {
        into.delete(group.members[0]!);
        groups.delete(key);
        continue;
      }
      const subnet = key.slice(6, key.lastIndexOf(':'));
      group.label = `${group.members.length} × ${group.type}${subnet === 'none' ? '' : ` in ${subnet}`}`;
    }
  }
  const nodes: PlacedNode[] = map.nodes
    .filter((n) => !into.has(n.id))
    .map((n) => ({ ...n, x: 0, y: 0, members: [], exposed: onPath.has(n.id) }));
  nodes.push(...groups.values());
  const seen = new Set<string>();
  const edges: PlacedEdge[] = [];
  const push = (from: string, to: string, kind: string, label: string | undefined, exposed: boolean) => {
    if (from === to) return;
    const key = `${from}\u0000${to}`;
    if (seen.has(key)) return;
    seen.add(key);
    edges.push(label ? { from, to, kind, label, exposed } : { from, to, kind, exposed });
  };
  // Exposed hops first (the structural edge between the same nodes is left out).
  for (const x of map.exposures)
    for (let i = 1; i < x.path.length; i++) {
      const last = i === x.path.length - 1;
      const port = `${x.protocol.toUpperCase()} ${x.port}${x.toPort !== undefined ? `-${x.toPort}` : ''}`;
      const key = `${x.path[i - 1]}\u0000${x.path[i]}`;
      if (last && seen.has(key)) {
        const edge = edges.find((e) => e.from === x.path[i - 1] && e.to === x.path[i])!;
        if (!edge.label?.split(', ').includes(port))
          edge.label = edge.label ? `${edge.label}, ${port}` : port;
        continue;
      }
      push(x.path[i - 1]!, x.path[i]!, 'exposure', last ? port : undefined, true);
    }
  for (const e of map.edges)
    push(
      into.get(e.from) ?? e.from,
      into.get(e.to) ?? e.to,
      e.kind,
      e.label,
      exposedPairs.has(`${e.from}\u0000${e.to}`),
    );
  return { nodes, edges };
}

export function layout(map: LayoutMapIn, threshold = COLLAPSE_THRESHOLD): Layout {
  const { nodes, edges } = collapse(map, threshold);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const preds = new Map<string, string[]>();
  const succs = new Map<string, string[]>();
  for (const n of nodes) {
    preds.set(n.id, []);
    succs.set(n.id, []);
  }
  for (const e of edges) {
    if (!byId.has(e.from) || !byId.has(e.to)) continue;
    preds.get(e.to)!.push(e.from);
    succs.get(e.from)!.push(e.to);
  }
  // Columns: longest path from a source (Kahn's order; nodes on cycles keep what they reached).
  const column = new Map<string, number>();
  const indegree = new Map(nodes.map((n) => [n.id, preds.get(n.id)!.length]));
  const queue = nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  for (const id of queue) column.set(id, 0);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    for (const next of succs.get(id)!) {
      column.set(next, Math.max(column.get(next) ?? 0, column.get(id)! + 1));
      const left = indegree.get(next)! - 1;
      indegree.set(next, left);
      if (left === 0) queue.push(next);
    }
  }
  for (const n of nodes) if (!column.has(n.id)) column.set(n.id, 0);
  // Other sources (security groups, launch templates, VPCs) sit just before what they feed.
  for (const n of nodes) {
    if (n.type === 'internet' || preds.get(n.id)!.length) continue;
    const next = succs.get(n.id)!.map((s) => column.get(s)!);
    if (next.length) column.set(n.id, Math.max(0, Math.min(...next) - 1));
  }
  const columns: string[][] = [];
  // Nodes on exposed paths first, so a path runs along the top row where it can.
  const first = (a: PlacedNode, b: PlacedNode) =>
    Number(b.exposed) - Number(a.exposed) || compare(a.id, b.id);
  for (const n of [...nodes].sort(first)) {
    const c = column.get(n.id)!;
    (columns[c] ??= []).push(n.id);
  }
  // Rows: barycentre of the predecessors' rows, two left-to-right sweeps.
  const row = new Map<string, number>();
  columns.forEach((ids) => ids?.forEach((id, i) => row.set(id, i)));
  for (let sweep = 0; sweep < 2; sweep++) {
    for (let c = 1; c < columns.length; c++) {
      const ids = columns[c];
      if (!ids) continue;
      const score = (id: string) => {
        const ps = preds.get(id)!.filter((p) => column.get(p)! < c);
        return ps.length ? ps.reduce((sum, p) => sum + row.get(p)!, 0) / ps.length : row.get(id)!;
      };
      const scored = ids.map((id) => ({ id, score: score(id) }));
      scored.sort((a, b) => a.score - b.score || first(byId.get(a.id)!, byId.get(b.id)!));
      columns[c] = scored.map((s) => s.id);
      columns[c]!.forEach((id, i) => row.set(id, i));
    }
  }
  let height = 0;
  columns.forEach((ids, c) => {
    ids?.forEach((id, i) => {
      const node = byId.get(id)!;
      node.x = c * (NODE_WIDTH + COLUMN_GAP);
      node.y = i * (NODE_HEIGHT + ROW_GAP);
      height = Math.max(height, node.y + NODE_HEIGHT);
    });
  });
  const width = columns.length ? (columns.length - 1) * (NODE_WIDTH + COLUMN_GAP) + NODE_WIDTH : 0;
  return { nodes, edges: edges.filter((e) => byId.has(e.from) && byId.has(e.to)), width, height };
}
