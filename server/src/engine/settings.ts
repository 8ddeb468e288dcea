// Settings shared by the editor and the CLI: the repository file `.iac-netsec.yaml` with
// VS Code settings layered on top. Everything here is plain data.

import type { Severity } from '../rules/types';

export type RuleSetting = 'off' | Severity;

export interface PortEntry {
  from: number;
  to: number;
  name: string;
}

export interface Settings {
  /** Per rule: off, or a severity that replaces the default. */
  rules: Record<string, RuleSetting>;
  /** CIDRs treated as not public (corporate ranges, VPN egress). */
  trustedCidrs: string[];
  /** Ports that `sensitive-port-open-to-internet` reports. */
  sensitivePorts: PortEntry[];
  /** Ports that `port-open-to-internet` leaves alone. */
  webPorts: number[];
  /** Glob patterns of paths the CLI skips. */
  exclude: string[];
  /** Show suppressed findings as hints (editor). */
  showSuppressed: boolean;
}

export const DEFAULT_SENSITIVE_PORTS: PortEntry[] = [
  { from: 20, to: 21, name: 'FTP' },
  { from: 23, to: 23, name: 'Telnet' },
  { from: 25, to: 25, name: 'SMTP' },
  { from: 110, to: 110, name: 'POP3' },
  { from: 135, to: 135, name: 'RPC' },
  { from: 137, to: 139, name: 'NetBIOS' },
  { from: 445, to: 445, name: 'SMB' },
  { from: 1433, to: 1434, name: 'SQL Server' },
  { from: 1521, to: 1521, name: 'Oracle' },
  { from: 2483, to: 2484, name: 'Oracle' },
  { from: 2049, to: 2049, name: 'NFS' },
  { from: 2375, to: 2376, name: 'Docker' },
  { from: 3306, to: 3306, name: 'MySQL' },
  { from: 5432, to: 5432, name: 'PostgreSQL' },
  { from: 5601, to: 5601, name: 'Kibana' },
  { from: 5984, to: 5984, name: 'CouchDB' },
  { from: 6379, to: 6379, name: 'Redis' },
  { from: 7001, to: 7001, name: 'Cassandra/WebLogic' },
  { from: 8020, to: 8020, name: 'HDFS' },
  { from: 9042, to: 9042, name: 'Cassandra' },
  { from: 9092, to: 9092, name: 'Kafka' },
  { from: 9200, to: 9200, name: 'Elasticsearch' },
  { from: 9300, to: 9300, name: 'Elasticsearch' },
  { from: 11211, to: 11211, name: 'Memcached' },
  { from: 27017, to: 27018, name: 'MongoDB' },
];

export function defaultSettings(): Settings {
  return {
    rules: {},
    trustedCidrs: [],
    sensitivePorts: DEFAULT_SENSITIVE_PORTS.map((p) => ({ ...p })),
    webPorts: [80, 443],
    exclude: [],
    showSuppressed: false,
  };
}

/** Layers partial settings (config file, then editor settings) over the defaults. */
export function mergeSettings(base: Settings, ...layers: Partial<Settings>[]): Settings {
  let out: Settings = { ...base, rules: { ...base.rules } };
  for (const layer of layers) {
    out = {
      ...out,
      ...Object.fromEntries(Object.entries(layer).filter(([, v]) => v !== undefined)),
      rules: { ...out.rules, ...(layer.rules ?? {}) },
    };
  }
  return out;
}
