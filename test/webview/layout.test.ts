// The network map's bundled layout: columns by distance from the internet, stable rows,
// exposed hops marked, and collapsing of big maps (2,000 nodes stay fast).

import { describe, expect, it } from 'vitest';
import type { LayoutMapIn } from '../../client/src/webview/layout';
import {
  collapse,
  COLUMN_GAP,
  layout,
  NODE_HEIGHT,
  NODE_WIDTH,
  ROW_GAP,
} from '../../client/src/webview/layout';

const STEP_X = NODE_WIDTH + COLUMN_GAP;
const STEP_Y = NODE_HEIGHT + ROW_GAP;

const MAP: LayoutMapIn = {
  nodes: [
    { id: 'internet', type: 'internet', label: 'Internet' },
    { id: 'Igw', type: 'internet-gateway', label: 'Igw' },
    { id: 'Routes', type: 'route-table', label: 'Routes' },
    { id: 'Public', type: 'subnet', label: 'Public' },
    { id: 'Sg', type: 'security-group', label: 'Sg', severity: 'error' },
    { id: 'Web', type: 'instance', label: 'Web' },
    { id: 'Other', type: 'instance', label: 'Other' },
  ],
  edges: [
    { from: 'internet', to: 'Igw', kind: 'internet' },
    { from: 'Igw', to: 'Routes', kind: 'route', label: '0.0.0.0/0' },
    { from: 'Routes', to: 'Public', kind: 'association' },
    { from: 'Public', to: 'Web', kind: 'subnet' },
    { from: 'Public', to: 'Other', kind: 'subnet' },
    { from: 'Sg', to: 'Web', kind: 'security-group' },
  ],
  exposures: [{ path: ['internet', 'Igw', 'Routes', 'Public', 'Sg', 'Web'], port: 22, protocol: 'tcp' }],
};

describe('layout', () => {
  it('puts each node in the column of its longest distance from the internet', () => {
    const placed = layout(MAP);
    const at = Object.fromEntries(placed.nodes.map((n) => [n.id, [n.x / STEP_X, n.y / STEP_Y]]));
    expect(at).toEqual({
      internet: [0, 0],
      Igw: [1, 0],
      Routes: [2, 0],
      Public: [3, 0],
      // The exposed hop Public → Sg puts the security group after the subnet; on a tie the
      // node on the exposed path takes the upper row.
      Sg: [4, 0],
      Other: [4, 1],
      Web: [5, 0],
    });
    expect(placed.width).toBe(5 * STEP_X + NODE_WIDTH);
    expect(placed.height).toBe(STEP_Y + NODE_HEIGHT);
  });

  it('places other sources (a security group) just before what they feed', () => {
    const placed = layout({
      nodes: ['internet', 'Igw', 'Routes', 'Subnet', 'App', 'AppSg'].map((id) => ({
        id,
        type: 'x',
        label: id,
      })),
      edges: [
        { from: 'internet', to: 'Igw', kind: 'internet' },
        { from: 'Igw', to: 'Routes', kind: 'route' },
        { from: 'Routes', to: 'Subnet', kind: 'association' },
        { from: 'Subnet', to: 'App', kind: 'subnet' },
        { from: 'AppSg', to: 'App', kind: 'security-group' },
      ],
      exposures: [],
    });
    const column = Object.fromEntries(placed.nodes.map((n) => [n.id, n.x / STEP_X]));
    expect(column).toEqual({ internet: 0, Igw: 1, Routes: 2, Subnet: 3, App: 4, AppSg: 3 });
  });

  it('marks exposed hops, labels the last with its port and keeps one edge per pair', () => {
    const { edges, nodes } = collapse(MAP);
    expect(edges).toEqual([
      { from: 'internet', to: 'Igw', kind: 'exposure', exposed: true },
      { from: 'Igw', to: 'Routes', kind: 'exposure', exposed: true },
      { from: 'Routes', to: 'Public', kind: 'exposure', exposed: true },
      { from: 'Public', to: 'Sg', kind: 'exposure', exposed: true },
      { from: 'Sg', to: 'Web', kind: 'exposure', label: 'TCP 22', exposed: true },
      // Placement edges stay (the instance is in the subnet); the hops above are drawn thick.
      { from: 'Public', to: 'Web', kind: 'subnet', exposed: false },
      { from: 'Public', to: 'Other', kind: 'subnet', exposed: false },
    ]);
    expect(nodes.filter((n) => n.exposed).map((n) => n.id)).toEqual([
      'internet',
      'Igw',
      'Routes',
      'Public',
      'Sg',
      'Web',
    ]);
  });

  it('collapses workloads off the exposure paths per subnet and type above the threshold', () => {
    const { nodes, edges } = collapse(MAP, 3);
    // `Other` alone in its group stays itself; add two more to see a group.
    expect(nodes.map((n) => n.id)).toContain('Other');
    const big: LayoutMapIn = {
      ...MAP,
      nodes: [
        ...MAP.nodes,
        { id: 'A', type: 'instance', label: 'A', severity: 'warning' },
        { id: 'B', type: 'instance', label: 'B' },
      ],
      edges: [
        ...MAP.edges,
        { from: 'Public', to: 'A', kind: 'subnet' },
        { from: 'Public', to: 'B', kind: 'subnet' },
      ],
    };
    const grouped = collapse(big, 3);
    expect(grouped.nodes.map((n) => n.id)).toEqual([
      'internet',
      'Igw',
      'Routes',
      'Public',
      'Sg',
      'Web',
      'group:Public:instance',
    ]);
    expect(grouped.nodes.at(-1)).toMatchObject({
      label: '3 × instance in Public',
      members: ['Other', 'A', 'B'],
      severity: 'warning',
    });
    expect(grouped.edges.at(-1)).toEqual({
      from: 'Public',
      to: 'group:Public:instance',
      kind: 'subnet',
      exposed: false,
    });
    expect(edges).toHaveLength(7);
  });

  it('lays out 2,000 nodes quickly and deterministically', () => {
    const nodes: LayoutMapIn['nodes'] = [{ id: 'internet', type: 'internet', label: 'Internet' }];
    const edges: LayoutMapIn['edges'] = [];
    for (let s = 0; s < 40; s++) {
      nodes.push({ id: `Subnet${s}`, type: 'subnet', label: `Subnet${s}` });
      edges.push({ from: 'internet', to: `Subnet${s}`, kind: 'association' });
      for (let i = 0; i < 49; i++) {
        nodes.push({ id: `I${s}_${i}`, type: 'instance', label: `I${s}_${i}` });
        edges.push({ from: `Subnet${s}`, to: `I${s}_${i}`, kind: 'subnet' });
      }
    }
    expect(nodes.length).toBe(2001);
    const start = performance.now();
    const placed = layout({ nodes, edges, exposures: [] });
    const ms = performance.now() - start;
    expect(placed.nodes).toHaveLength(1 + 40 + 40); // every subnet's instances in one group
    expect(ms).toBeLessThan(500);
    expect(layout({ nodes, edges, exposures: [] })).toEqual(placed);
    // Without collapsing it still lays out every node.
    expect(layout({ nodes, edges, exposures: [] }, Infinity).nodes).toHaveLength(2001);
  });
});
