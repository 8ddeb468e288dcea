// The network map request (`iacNetsec/networkGraph`) over stdio, as the editor's map uses it:
// the map of the current version, with each node's range for "reveal", and a new map after an
// edit that closes the exposure.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT, TestClient } from './support';

interface Result {
  uri: string;
  version: number;
  map: {
    nodes: { id: string; type: string; line: number | null; range: unknown; severity?: string }[];
    edges: { from: string; to: string; kind: string }[];
    exposures: { port: number; path: string[] }[];
  };
}

const TEXT = readFileSync(path.join(ROOT, 'test-fixtures/cfn-yaml/network-public-private.yaml'), 'utf8');
const URI = 'untitled:network.yaml';

beforeAll(() => ensureBuilt(), 120_000);

describe('iacNetsec/networkGraph', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await TestClient.start({ initializationOptions: { diagnosticsDelayMs: 0 } });
  });
  afterAll(() => client.stop());

  it('answers with the map of the open version, ranges included, and follows edits', async () => {
    await client.open(URI, TEXT);
    await client.forVersion(URI, 1);
    const first = await client.request<Result>('iacNetsec/networkGraph', { uri: URI });
    expect(first.uri).toBe(URI);
    expect(first.version).toBe(1);
    expect(first.map.exposures).toEqual([
      {
        rule: 'ssh-open-to-internet',
        severity: 'error',
        port: 22,
        protocol: 'tcp',
        service: 'SSH',
        path: [
          'internet',
          'InternetGateway',
          'PublicRouteTable',
          'PublicSubnet',
          'BastionSecurityGroup',
          'Bastion',
        ],
      },
    ]);
    const bastion = first.map.nodes.find((n) => n.id === 'Bastion');
    // `  Bastion:` is on line 83 (0-based 82); the range covers the logical id.
    expect(bastion).toMatchObject({
      type: 'instance',
      line: 83,
      range: { start: { line: 82, character: 2 }, end: { line: 82, character: 9 } },
    });
    expect(first.map.nodes[0]).toMatchObject({ id: 'internet', line: null, range: null });

    // Close SSH to the world on the bastion: the path disappears in version 2.
    const line = TEXT.split('\n').findIndex((l, i) => i > 72 && l.includes('CidrIp: 0.0.0.0/0'));
    const character = TEXT.split('\n')[line]!.indexOf('0.0.0.0/0');
    await client.change(URI, 2, [
      {
        range: { start: { line, character }, end: { line, character: character + 9 } },
        text: '10.0.0.0/8',
      },
    ]);
    await client.forVersion(URI, 2);
    const second = await client.request<Result>('iacNetsec/networkGraph', { uri: URI });
    expect(second.version).toBe(2);
    expect(second.map.exposures).toEqual([]);
    expect(second.map.nodes.map((n) => n.id)).toEqual(first.map.nodes.map((n) => n.id));
  });

  it('bundles the webview script for the browser (no require, no Node globals)', () => {
    const script = readFileSync(path.join(ROOT, 'dist/networkMap.js'), 'utf8');
    expect(script).toMatch(/^"use strict";\s*\(\(\)\s*=>\s*\{/);
    expect(script).not.toMatch(/\brequire\(|__filename|process\.env/);
  });

  it('answers null for a document that is not open or not a template', async () => {
    expect(await client.request('iacNetsec/networkGraph', { uri: 'untitled:nothing.yaml' })).toBeNull();
    expect(await client.request('iacNetsec/networkGraph', {})).toBeNull();
    await client.open('untitled:plain.yaml', 'name: not a template\n');
    expect(await client.request('iacNetsec/networkGraph', { uri: 'untitled:plain.yaml' })).toBeNull();
  });
});
