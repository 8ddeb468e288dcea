import { viaEvidence } from '../../resolve/values';
import type { FixOp, NewValue } from '../../fixes/recipe';
import type { Resource, TemplateDocument } from '../../model/document';
import type { Node } from '../../parse/tree';
import { get, toPlain } from '../../parse/tree';
import { ResourceRef } from '../../resolve/values';
import type { Hit, Prop } from '../../resolve/properties';
import {
  because,
  blocks,
  findBad,
  isOneOf,
  keyOf,
  knownTexts,
  prop,
  text,
  unknownInPlan,
  verbOf,
} from '../../resolve/properties';
import { fixes, setOnResource } from '../../fixes/setProperty';
import { DATABASE_CONTROLS } from '../transport/controls';
import type { FindingInput, Rule } from '../types';
import docs from './rule.md?raw';

type Report = (finding: FindingInput) => void;

/** What forces TLS for an engine family. */
interface Requirement {
  param: string;
  /** The value the fix writes. */
  secure: string;
  good: string[];
  bad: string[];
  /** The default forces TLS (RDS for PostgreSQL 15 and later). */
  forcedByDefault: boolean;
  engine: string;
  /** SQL Server's rds.force_ssl is static: Terraform must apply it at reboot. */
  static?: boolean;
}

const ON = ['1', 'on', 'true'];
const OFF = ['0', 'off', 'false'];

/** `[major, minor]` of a version text (`8.4.3`, `11.8`, `8.0.mysql_aurora.3.05.2`), undefined when unreadable. */
function versionOf(text: string | undefined): [number, number] | undefined {
  const m = text === undefined ? null : /^(\d+)(?:\.(\d+))?/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2] ?? 0)] : undefined;
}

function atLeast(version: [number, number] | undefined, major: number, minor = 0): boolean {
  return !!version && (version[0] > major || (version[0] === major && version[1] >= minor));
}

/**
 * Engine (or parameter-group family, which carries the major version: `mysql8.4`, `postgres15`,
 * `aurora-mysql8.4`) -> requirement; undefined when the engine is not covered. The version is the
 * database's `EngineVersion` when known. Defaults that force TLS (RDS docs):
 *   RDS for PostgreSQL 15+ (`rds.force_ssl` = 1), RDS for MySQL 9.7+ and Aurora MySQL 8.4+
 *   (`require_secure_transport` = ON), RDS for MariaDB 11.8+ (`require_secure_transport` = ON).
 * Without a version RDS picks its current default: PostgreSQL 15 or later; MySQL 8.x, MariaDB
 * and Aurora MySQL 3 (8.0) do not force TLS.
 */
function requirement(engine: string, versionText?: string): Requirement | undefined {
  const e = engine.toLowerCase();
  const fromName = (prefix: RegExp) => versionOf(e.replace(prefix, ''));
  if (/^aurora-mysql|^aurora(\d|$)/.test(e)) {
    const version = versionOf(versionText) ?? fromName(/^aurora(-mysql)?/);
    return {
      param: 'require_secure_transport',
      secure: 'ON',
      good: ON,
      bad: OFF,
      forcedByDefault: atLeast(version, 8, 4),
      engine: 'Aurora MySQL',
    };
  }
  if (/^(mysql|mariadb)/.test(e)) {
    const maria = e.startsWith('mariadb');
    const version = versionOf(versionText) ?? fromName(/^(mysql|mariadb)/);
    return {
      param: 'require_secure_transport',
      secure: '1',
      good: ON,
      bad: OFF,
      forcedByDefault: maria ? atLeast(version, 11, 8) : atLeast(version, 9, 7),
      engine: maria ? 'MariaDB' : 'MySQL',
    };
  }
  if (/^aurora-postgresql/.test(e))
    return {
      param: 'rds.force_ssl',
      secure: '1',
      good: ON,
      bad: OFF,
      forcedByDefault: false,
      engine: 'Aurora PostgreSQL',
    };
  if (/^postgres/.test(e)) {
    const version = versionOf(versionText) ?? fromName(/^postgres(ql)?/);
    // Without a version RDS picks the current default, which is 15 or later.
    return {
      param: 'rds.force_ssl',
      secure: '1',
      good: ON,
      bad: OFF,
      forcedByDefault: !version || atLeast(version, 15),
      engine: 'PostgreSQL',
    };
  }
  if (/^sqlserver/.test(e))
    return {
      param: 'rds.force_ssl',
      secure: '1',
      good: ON,
      bad: OFF,
      forcedByDefault: false,
      engine: 'SQL Server',
      static: true,
    };
  return undefined;
}

const GROUP_TYPES: Record<string, { cluster: boolean }> = {
  'AWS::RDS::DBParameterGroup': { cluster: false },
  'AWS::RDS::DBClusterParameterGroup': { cluster: true },
  aws_db_parameter_group: { cluster: false },
  aws_rds_cluster_parameter_group: { cluster: true },
};

const DB_TYPES: Record<string, { kind: string; group: string; groupTypes: string[] }> = {
  'AWS::RDS::DBInstance': {
    kind: 'DB instance',
    group: 'DBParameterGroupName',
    groupTypes: ['AWS::RDS::DBParameterGroup'],
  },
  'AWS::RDS::DBCluster': {
    kind: 'DB cluster',
    group: 'DBClusterParameterGroupName',
    groupTypes: ['AWS::RDS::DBClusterParameterGroup'],
  },
  aws_db_instance: {
    kind: 'DB instance',
    group: 'parameter_group_name',
    groupTypes: ['aws_db_parameter_group'],
  },
  aws_rds_cluster: {
    kind: 'DB cluster',
    group: 'db_cluster_parameter_group_name',
    groupTypes: ['aws_rds_cluster_parameter_group'],
  },
};

/**
 * DMS engines where `SslMode` does not apply (DMS docs, "Using SSL with AWS DMS" and each
 * endpoint's settings): S3, DynamoDB, Kinesis, Kafka, OpenSearch / Elasticsearch, Neptune, Timestream
 * connect over AWS APIs or their own settings (Kafka `SecurityProtocol`); an Amazon Redshift
 * endpoint "already uses an SSL connection and does not require an SSL connection set up by AWS DMS".
 */
const DMS_ENGINES_WITHOUT_SSL_MODE = [
  's3',
  'dynamodb',
  'kinesis',
  'kafka',
  'elasticsearch',
  'opensearch',
  'neptune',
  'timestream',
  'redshift',
  'redshift-serverless',
];

const DMS_DATABASE_ENGINES = [
  'mysql',
  'mariadb',
  'aurora',
  'aurora-postgresql',
  'aurora-serverless',
  'postgres',
  'oracle',
  'sqlserver',
  'sybase',
  'db2',
  'db2-zos',
  'mongodb',
  'docdb',
  'babelfish',
  'azuredb',
  'azure-sql-managed-instance',
];

export const databaseTlsNotEnforced: Rule = {
  meta: {
    id: 'database-tls-not-enforced',
    summary: 'A database accepts connections without TLS',
    category: 'transport',
    severity: 'warning',
    formats: ['cfn', 'tf', 'plan'],
    resourceTypes: [
      ...Object.keys(GROUP_TYPES),
      ...Object.keys(DB_TYPES),
      'AWS::Redshift::ClusterParameterGroup',
      'AWS::Redshift::Cluster',
      'AWS::DocDB::DBClusterParameterGroup',
      'AWS::DMS::Endpoint',
      'aws_redshift_parameter_group',
      'aws_redshift_cluster',
      'aws_docdb_cluster_parameter_group',
      'aws_dms_endpoint',
    ],
    fixSafety: 'unsafe',
    doesNotReport:
      'Engine versions whose default forces TLS (PostgreSQL 15+, MySQL 9.7+, MariaDB 11.8+, Aurora MySQL 8.4+), unknown versions, parameter groups from outside the document, DMS engines without an SSL mode (S3, DynamoDB, Kinesis, Kafka, OpenSearch, Neptune, Redshift)',
    references: {
      aws: [
        'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html',
        'https://docs.aws.amazon.com/redshift/latest/mgmt/connecting-ssl-support.html',
        'https://docs.aws.amazon.com/securityhub/latest/userguide/redshift-controls.html#redshift-2',
      ],
      cwe: ['CWE-319'],
      checkov: ['CKV_AWS_105'],
      securityHub: ['Redshift.2', 'DMS.9'],
    },
  },
  docs,
  controls: DATABASE_CONTROLS,
  check({ doc, report }) {
    const linked = new Map<Resource, Resource[]>();
    for (const db of doc.resources) {
      const spec = DB_TYPES[db.type];
      if (!spec || memberOfCluster(doc, db)) continue;
      const engineText = engineOf(doc, db);
      if (engineText === undefined) continue;
      const link = groupLink(doc, db, spec.group, spec.groupTypes, [
        'DBParameterGroupName',
        'DBClusterParameterGroupName',
        'name',
      ]);
      if (link.kind === 'group') {
        linked.set(link.group, [...(linked.get(link.group) ?? []), db]);
        continue;
      }
      if (link.kind === 'external') continue;
      const versionText = knownTexts(
        doc,
        db.properties,
        db.type.startsWith('AWS::') ? 'EngineVersion' : 'engine_version',
      )[0];
      const versionNode = get(
        db.properties,
        db.type.startsWith('AWS::') ? 'EngineVersion' : 'engine_version',
      );
      // A version that cannot be known may be one whose default forces TLS.
      if (versionNode && versionText === undefined && /^(postgres|mysql|mariadb|aurora)/i.test(engineText))
        continue;
      const req = requirement(engineText, versionText);
      if (!req || req.forcedByDefault) continue;
      if (unknownInPlan(db, [spec.group])) continue;
      report({
        span: link.kind === 'default' && link.node ? link.node : db.keyNode,
        resource: db,
        message: `TLS is not enforced on ${req.engine} ${spec.kind} ${db.id}: it uses the default parameter group, where ${req.param} is ${req.engine === 'Aurora MySQL' ? 'OFF' : '0'}, so clients can connect without TLS. Attach a parameter group that sets ${req.param} = ${req.secure}.`,
      });
    }

    for (const group of doc.resources) {
      const groupType = GROUP_TYPES[group.type];
      if (groupType) checkRdsGroup(doc, group, groupType.cluster, linked.get(group) ?? [], report);
    }
    checkRedshift(doc, report);
    checkDocDb(doc, report);
    checkDms(doc, report);
  },
};

function engineOf(doc: TemplateDocument, db: Resource): string | undefined {
  const cfn = db.type.startsWith('AWS::');
  const engine = knownTexts(doc, db.properties, cfn ? 'Engine' : 'engine')[0];
  if (engine) return engine;
  // Terraform's aws_rds_cluster defaults to Aurora MySQL.
  if (db.type === 'aws_rds_cluster' && !prop(doc, db.properties, 'engine')) return 'aurora';
  return undefined;
}

/** An instance of an Aurora (or Multi-AZ) cluster takes TLS settings from the cluster. */
function memberOfCluster(doc: TemplateDocument, db: Resource): boolean {
  if (db.type !== 'AWS::RDS::DBInstance') return false;
  if (prop(doc, db.properties, 'DBClusterIdentifier')) return true;
  return /^aurora/i.test(knownTexts(doc, db.properties, 'Engine')[0] ?? '');
}

type Link = { kind: 'group'; group: Resource } | { kind: 'default'; node?: Node } | { kind: 'external' };

function groupLink(
  doc: TemplateDocument,
  db: Resource,
  key: string,
  types: string[],
  nameKeys: string[],
): Link {
  const node = get(db.properties, key);
  const p = prop(doc, db.properties, key);
  if (!p || !node) return { kind: 'default' };
  for (const possibility of p.possibilities) {
    const v = possibility.value;
    if (v instanceof ResourceRef) {
      const group = doc.resourcesById.get(v.id);
      if (group && types.includes(group.type)) return { kind: 'group', group };
      return { kind: 'external' };
    }
    if (typeof v !== 'string') return { kind: 'external' };
    const byName = doc.resources.find(
      (r) => types.includes(r.type) && nameKeys.some((k) => knownTexts(doc, r.properties, k).includes(v)),
    );
    if (byName) return { kind: 'group', group: byName };
    if (v.startsWith('default.')) return { kind: 'default', node };
    return { kind: 'external' };
  }
  return { kind: 'external' };
}

/** The value node of a parameter: CFN `Parameters: {name: value}`, TF `parameter [{name, value}]`. */
function parameterValue(doc: TemplateDocument, group: Resource, name: string): Prop | undefined {
  if (group.type.startsWith('AWS::')) return prop(doc, get(group.properties, 'Parameters'), name);
  for (const block of blocks(group.properties, 'parameter'))
    if (knownTexts(doc, block, 'name').some((n) => n.toLowerCase() === name.toLowerCase()))
      return prop(doc, block, 'value');
  return undefined;
}

/** Adds a parameter to a group: a CFN map entry, or a Terraform `parameter` block. */
function addParameterOps(
  group: Resource,
  name: string,
  value: string,
  extra: { [k: string]: NewValue } = {},
): FixOp {
  if (group.type.startsWith('AWS::')) return setOnResource(group, ['Parameters', name], value);
  const entry = { name, value, ...extra };
  const existing = get(group.properties, 'parameter');
  if (existing?.kind === 'seq') return { op: 'append', seq: existing, value: entry };
  if (existing?.kind === 'map')
    return { op: 'replace', node: existing, value: [toPlain(existing) as NewValue, entry] };
  return setOnResource(group, ['parameter'], [entry]);
}

function checkRdsGroup(
  doc: TemplateDocument,
  group: Resource,
  cluster: boolean,
  users: Resource[],
  report: Report,
): void {
  const cfn = group.type.startsWith('AWS::');
  const family = knownTexts(doc, group.properties, cfn ? 'Family' : 'family')[0];
  let req = family ? requirement(family) : undefined;
  if (!family && users.length) {
    // The family cannot be read: follow the databases that use the group.
    const db = users[0]!;
    const version = knownTexts(doc, db.properties, cfn ? 'EngineVersion' : 'engine_version')[0];
    const engine = engineOf(doc, db);
    req = engine ? requirement(engine, version) : undefined;
  }
  if (!req) return;
  // Aurora keeps these parameters in the cluster parameter group; instance groups do not carry them.
  if (!cluster && /^Aurora/.test(req.engine)) return;
  const current = parameterValue(doc, group, req.param);
  const label = `parameter group ${group.id} (${req.engine}${users.length ? `, used by ${users.map((u) => u.id).join(', ')}` : ''})`;
  if (current) {
    const hit = findBad(current, (v) => req!.bad.includes((text(v) ?? '').toLowerCase()));
    if (hit) reportValue(doc, group, label, req.param, hit, req.secure, report);
    return;
  }
  if (req.forcedByDefault || unknownInPlan(group, [cfn ? 'Parameters' : 'parameter'])) return;
  report({
    span: keyOf(group.properties, cfn ? 'Parameters' : 'parameter') ?? group.keyNode,
    resource: group,
    message: `TLS is not enforced: ${label} does not set ${req.param}, which defaults to ${req.engine === 'Aurora MySQL' ? 'OFF' : '0'}, so clients can connect without TLS. Set ${req.param} = ${req.secure}.`,
    fixes: fixes(doc, {
      title: `Set ${req.param} = ${req.secure} in ${group.id}`,
      safety: 'unsafe',
      ops: [
        addParameterOps(
          group,
          req.param,
          req.secure,
          req.static && !cfn ? { apply_method: 'pending-reboot' } : {},
        ),
      ],
    }),
  });
}

function reportValue(
  doc: TemplateDocument,
  resource: Resource,
  label: string,
  param: string,
  hit: Hit,
  secure: string,
  report: Report,
): void {
  report({
    span: hit.node,
    resource,
    message: `TLS ${verbOf(hit) === 'is' ? 'is' : 'can be'} not enforced: ${label} sets ${param} to ${text(hit.value) ?? String(hit.value)}${because(hit.via)}, so clients can connect without TLS. Set it to ${secure}.`,
    related: viaEvidence(hit.via),
    fixes: fixes(doc, {
      title: `Set ${param} to ${secure}`,
      safety: 'unsafe',
      ops: [{ op: 'replace', node: hit.node, value: secure }],
    }),
  });
}

function checkRedshift(doc: TemplateDocument, report: Report): void {
  const groupUsers = new Map<Resource, Resource[]>();
  for (const cluster of doc.resources) {
    if (cluster.type !== 'AWS::Redshift::Cluster' && cluster.type !== 'aws_redshift_cluster') continue;
    const cfn = cluster.type.startsWith('AWS::');
    const link = groupLink(
      doc,
      cluster,
      cfn ? 'ClusterParameterGroupName' : 'cluster_parameter_group_name',
      ['AWS::Redshift::ClusterParameterGroup', 'aws_redshift_parameter_group'],
      ['ParameterGroupName', 'name'],
    );
    if (link.kind === 'group') groupUsers.set(link.group, [...(groupUsers.get(link.group) ?? []), cluster]);
    if (link.kind !== 'default' || unknownInPlan(cluster, ['cluster_parameter_group_name'])) continue;
    report({
      span: link.node ?? cluster.keyNode,
      resource: cluster,
      message: `TLS is not enforced by this template on Redshift cluster ${cluster.id}: it uses a default parameter group, so require_ssl is not set to true here and clients may connect without TLS. Attach a parameter group with require_ssl = true.`,
    });
  }
  for (const group of doc.resources) {
    if (
      group.type !== 'AWS::Redshift::ClusterParameterGroup' &&
      group.type !== 'aws_redshift_parameter_group'
    )
      continue;
    const cfn = group.type.startsWith('AWS::');
    const users = groupUsers.get(group) ?? [];
    const label = `Redshift parameter group ${group.id}${users.length ? ` (used by ${users.map((u) => u.id).join(', ')})` : ''}`;
    let current: Prop | undefined;
    for (const p of blocks(group.properties, cfn ? 'Parameters' : 'parameter'))
      if (knownTexts(doc, p, cfn ? 'ParameterName' : 'name').some((n) => n.toLowerCase() === 'require_ssl'))
        current = prop(doc, p, cfn ? 'ParameterValue' : 'value');
    if (current) {
      const hit = findBad(current, (v) => OFF.includes((text(v) ?? String(v)).toLowerCase()));
      if (hit) reportValue(doc, group, label, 'require_ssl', hit, 'true', report);
      continue;
    }
    const listKey = cfn ? 'Parameters' : 'parameter';
    if (unknownInPlan(group, [listKey])) continue;
    const entry: { [key: string]: NewValue } = cfn
      ? { ParameterName: 'require_ssl', ParameterValue: 'true' }
      : { name: 'require_ssl', value: 'true' };
    const list = get(group.properties, listKey);
    const op: FixOp =
      list?.kind === 'seq'
        ? { op: 'append', seq: list, value: entry }
        : list?.kind === 'map'
          ? { op: 'replace', node: list, value: [toPlain(list) as NewValue, entry] }
          : setOnResource(group, [listKey], [entry]);
    report({
      span: keyOf(group.properties, listKey) ?? group.keyNode,
      resource: group,
      message: `TLS is not enforced: ${label} does not set require_ssl, which defaults to false, so clients can connect without TLS. Set require_ssl = true.`,
      fixes: fixes(doc, { title: `Set require_ssl = true in ${group.id}`, safety: 'unsafe', ops: [op] }),
    });
  }
}

function checkDocDb(doc: TemplateDocument, report: Report): void {
  for (const group of doc.resources) {
    if (
      group.type !== 'AWS::DocDB::DBClusterParameterGroup' &&
      group.type !== 'aws_docdb_cluster_parameter_group'
    )
      continue;
    const current = parameterValue(doc, group, 'tls');
    const hit = findBad(current, (v) => isOneOf(v, 'disabled'));
    if (hit) reportValue(doc, group, `DocumentDB parameter group ${group.id}`, 'tls', hit, 'enabled', report);
  }
}

function checkDms(doc: TemplateDocument, report: Report): void {
  for (const endpoint of doc.resources) {
    if (endpoint.type !== 'AWS::DMS::Endpoint' && endpoint.type !== 'aws_dms_endpoint') continue;
    const cfn = endpoint.type.startsWith('AWS::');
    const key = cfn ? 'SslMode' : 'ssl_mode';
    const engine = knownTexts(doc, endpoint.properties, cfn ? 'EngineName' : 'engine_name')[0]?.toLowerCase();
    // SslMode has no effect on these engines, whatever it says.
    if (engine && DMS_ENGINES_WITHOUT_SSL_MODE.includes(engine)) continue;
    const mode = prop(doc, endpoint.properties, key);
    if (mode) {
      const hit = findBad(mode, (v) => isOneOf(v, 'none'));
      if (hit) reportValue(doc, endpoint, `DMS endpoint ${endpoint.id}`, key, hit, 'require', report);
      continue;
    }
    if (!engine || !DMS_DATABASE_ENGINES.includes(engine) || unknownInPlan(endpoint, [key])) continue;
    report({
      span: endpoint.keyNode,
      resource: endpoint,
      message: `TLS is not enforced: DMS endpoint ${endpoint.id} (${engine}) does not set ${key}, which defaults to none, so migrated data travels without TLS. Set ${key} to require (or verify-full).`,
      fixes: fixes(doc, {
        title: `Set ${key} to require`,
        safety: 'unsafe',
        ops: [setOnResource(endpoint, [key], 'require')],
      }),
    });
  }
}
