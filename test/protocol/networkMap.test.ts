// The network map request (`iacNetsec/networkGraph`) over stdio, as the editor's map uses it:
// the map of the current version, with each node's range for "reveal", and a new map after an
// edit that closes the exposure.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fileUri, ROOT, TestClient } from './support';

interface Result {
  uri: string;
  version: number;
  map: {
    nodes: {
      id: string;
      type: string;
      line: number | null;
      range: unknown;
      file?: string;
      severity?: string;
    }[];
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

  it('places each node of a Terraform module split over files in its own file, for reveal', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'iac-netsec-map-module-'));
    try {
      const network = [
        'resource "aws_vpc" "main" {',
        '  cidr_block = "10.0.0.0/16"',
        '}',
        '',
        'resource "aws_internet_gateway" "main" {',
        '  vpc_id = aws_vpc.main.id',
        '}',
        '',
        'resource "aws_subnet" "public" {',
        '  vpc_id                  = aws_vpc.main.id',
        '  cidr_block              = "10.0.1.0/24"',
        '  map_public_ip_on_launch = true',
        '}',
        '',
        'resource "aws_route_table" "public" {',
        '  vpc_id = aws_vpc.main.id',
        '  route {',
        '    cidr_block = "0.0.0.0/0"',
        '    gateway_id = aws_internet_gateway.main.id',
        '  }',
        '}',
        '',
        'resource "aws_route_table_association" "public" {',
        '  subnet_id      = aws_subnet.public.id',
        '  route_table_id = aws_route_table.public.id',
        '}',
        '',
      ].join('\n');
      const compute = [
        'resource "aws_security_group" "admin" {',
        '  vpc_id = aws_vpc.main.id',
        '  ingress {',
        '    from_port   = 22',
        '    to_port     = 22',
        '    protocol    = "tcp"',
        '    cidr_blocks = ["0.0.0.0/0"]',
        '  }',
        '}',
        '',
        'resource "aws_instance" "bastion" {',
        '  ami                    = "ami-12345678"',
        '  instance_type          = "t3.micro"',
        '  subnet_id              = aws_subnet.public.id',
        '  vpc_security_group_ids = [aws_security_group.admin.id]',
        '}',
        '',
      ].join('\n');
      writeFileSync(path.join(dir, 'network.tf'), network);
      writeFileSync(path.join(dir, 'compute.tf'), compute);
      const uri = fileUri(path.join(dir, 'compute.tf'));
      await client.open(uri, compute, 'terraform');
      await client.forVersion(uri, 1);
      const result = await client.request<Result>('iacNetsec/networkGraph', { uri });
      const byId = new Map(result.map.nodes.map((n) => [n.id, n]));
      const networkUri = fileUri(path.join(dir, 'network.tf'));
      // A node of the other file: its URI, and its line and range in that file.
      expect(byId.get('aws_route_table.public')).toMatchObject({
        type: 'route-table',
        file: networkUri,
        line: 15,
      });
      const table = byId.get('aws_route_table.public') as {
        range: { start: { line: number; character: number }; end: { line: number; character: number } };
      };
      expect(table.range.start.line).toBe(14);
      expect(
        network.split('\n')[14]!.slice(table.range.start.character, table.range.end.character),
      ).toContain('public');
      expect(byId.get('aws_vpc.main')).toMatchObject({ file: networkUri, line: 1 });
      // A node of the document itself has no file.
      const bastion = byId.get('aws_instance.bastion')!;
      expect(bastion).toMatchObject({ type: 'instance', line: 11 });
      expect(bastion.file).toBeUndefined();
      // The exposure the document reports crosses both files.
      expect(result.map.exposures.map((x) => x.path)).toEqual([
        [
          'internet',
          'aws_internet_gateway.main',
          'aws_route_table.public',
          'aws_subnet.public',
          'aws_security_group.admin',
          'aws_instance.bastion',
        ],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
