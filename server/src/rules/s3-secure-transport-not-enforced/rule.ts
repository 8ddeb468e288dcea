import type { FixRecipe, NewValue } from '../../fixes/recipe';
import { providedWherever, whenAbsent } from '../../model/cfn';
import type { Resource, TemplateDocument } from '../../model/document';
import { parseJson } from '../../parse/json';
import type { MapNode, Node, ScalarNode } from '../../parse/tree';
import { entryOf, get, items, toPlain } from '../../parse/tree';
import { knownStrings, resolve, ResourceRef } from '../../resolve/values';
import { knownTexts } from '../../resolve/properties';
import { S3_TRANSPORT_CONTROLS } from '../transport/controls';
import type { FindingInput, Rule } from '../types';
import docs from './rule.md?raw';

type Service = 's3' | 'sqs' | 'sns';

/** Where a policy lives and what it protects. */
interface PolicySource {
  service: Service;
  /** The resource holding the policy (undefined for a standalone policy file). */
  resource: Resource | undefined;
  /** The protected bucket in this document, when known. */
  bucket: Resource | undefined;
  /** The bucket's literal name, when known. */
  bucketName: string | undefined;
  /**
   * CloudFormation: the shape of the bucket's name expression when it cannot be resolved to a literal
   * (`${AWS::StackName}-logs`, `${BucketNameParam}`): ARNs written with the same shape name the bucket.
   */
  bucketShape?: string;
  /** The policy tree (for Terraform: parsed from the JSON string); undefined when it cannot be read. */
  policy: Node | undefined;
  /** Terraform: the JSON string holding the policy. */
  string?: ScalarNode;
  /** Where a finding points. */
  anchor: Node;
}

const BUCKET_TYPES = ['AWS::S3::Bucket', 'aws_s3_bucket'];
const B = '\u0001BUCKET\u0001';
const UNKNOWN_PART = '\u0000';

export const s3SecureTransportNotEnforced: Rule = {
  meta: {
    id: 's3-secure-transport-not-enforced',
    summary: 'A bucket (or queue, or topic) policy does not deny requests over plain HTTP',
    category: 'transport',
    severity: 'warning',
    formats: ['cfn', 'tf', 'iam'],
    resourceTypes: [
      'AWS::S3::Bucket',
      'AWS::S3::BucketPolicy',
      'AWS::SQS::QueuePolicy',
      'AWS::SNS::TopicPolicy',
      'aws_s3_bucket',
      'aws_s3_bucket_policy',
      'aws_sqs_queue',
      'aws_sqs_queue_policy',
      'aws_sns_topic',
      'aws_sns_topic_policy',
    ],
    fixSafety: 'safe',
    doesNotReport:
      'Policies it cannot read (data sources, values unknown until deploy); a bucket whose policy is linked by reference, literal name or the same name expression and denies HTTP on the bucket and bucket/* (a deny on one prefix is reported)',
    references: {
      aws: [
        'https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit',
        'https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-5',
        'https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html#enforce-encryption-data-in-transit',
      ],
      cwe: ['CWE-319'],
      securityHub: ['S3.5'],
    },
  },
  docs,
  controls: S3_TRANSPORT_CONTROLS,
  check({ doc, report }) {
    if (doc.format === 'iam') {
      const source = standalone(doc);
      if (source?.policy) checkPolicy(doc, source, source.policy, report);
      return;
    }
    const sources = policySources(doc);
    const covered = new Map<Resource, Resource[]>();
    for (const source of sources) {
      if (source.bucket) {
        const list = covered.get(source.bucket) ?? [];
        if (source.resource) list.push(source.resource);
        covered.set(source.bucket, list);
      }
      if (source.policy) checkPolicy(doc, source, source.policy, report);
    }
    for (const bucket of doc.resources) {
      if (!BUCKET_TYPES.includes(bucket.type)) continue;
      const policies = covered.get(bucket);
      if (policies) {
        // A bucket policy under a `Condition:` denies HTTP only in the deployments where it exists.
        // No fix: a second policy for the bucket would replace the first where both exist.
        const { conditional } = providedWherever(policies, [bucket], doc);
        if (conditional)
          report({
            span: bucket.keyNode,
            resource: bucket,
            message: `Bucket ${bucket.id} has no bucket policy ${whenAbsent(conditional)}, so nothing then denies requests over plain HTTP: S3 accepts HTTP unless a policy denies aws:SecureTransport = false. Give the policy the bucket's condition (or none), so that it exists wherever the bucket does.`,
            related: [
              { span: conditional.condition!.node, message: `Condition of bucket policy ${conditional.id}` },
            ],
            fixes: [],
          });
        continue;
      }
      report({
        span: bucket.keyNode,
        resource: bucket,
        message: `Bucket ${bucket.id} has no bucket policy in this ${doc.format === 'cfn' ? 'template' : 'configuration'}, so nothing denies requests over plain HTTP: S3 accepts HTTP unless a policy denies aws:SecureTransport = false. Add a bucket policy with that deny.`,
        fixes: [newPolicyFix(doc, bucket)],
      });
    }
  },
};

// ---------- finding the policies ----------

function policySources(doc: TemplateDocument): PolicySource[] {
  const out: PolicySource[] = [];
  const tfPolicy = (
    resource: Resource,
    service: Service,
    bucket: Resource | undefined,
    bucketName?: string,
  ) => {
    const node = get(resource.properties, 'policy');
    if (!node) return;
    // HCL `jsonencode({ ... })`: the object is the policy, with its own ranges.
    const encoded =
      node.kind === 'scalar' && node.expr?.type === 'call' && node.expr.name === 'jsonencode'
        ? node.expr.args[0]
        : undefined;
    const parsed =
      encoded?.kind === 'map'
        ? encoded
        : node.kind === 'scalar' && typeof node.value === 'string' && !encoded
          ? parseTfPolicy(node.value)
          : undefined;
    out.push({
      service,
      resource,
      bucket,
      bucketName,
      // A policy built elsewhere (a data source, jsonencode) is unknown: the bucket is covered, nothing reported.
      policy: parsed,
      string: node.kind === 'scalar' && !encoded ? node : undefined,
      anchor: node,
    });
  };
  for (const resource of doc.resources) {
    // The type first: reading every resource's properties would tie the findings to all of them
    // (engine/incremental.ts re-runs the rule when any of them is edited).
    if (!POLICY_HOLDERS.has(resource.type)) continue;
    const p = resource.properties;
    switch (resource.type) {
      case 'AWS::S3::BucketPolicy': {
        const [bucket, bucketName] = bucketOf(doc, get(p, 'Bucket'));
        const source = cfnSource(resource, 's3', bucket, bucketName);
        if (bucket && !bucketName) source.bucketShape = nameShape(doc, get(bucket.properties, 'BucketName'));
        out.push(source);
        break;
      }
      case 'AWS::SQS::QueuePolicy':
        out.push(cfnSource(resource, 'sqs', undefined, undefined));
        break;
      case 'AWS::SNS::TopicPolicy':
        out.push(cfnSource(resource, 'sns', undefined, undefined));
        break;
      case 'aws_s3_bucket_policy': {
        const [bucket, bucketName] = bucketOf(doc, get(p, 'bucket'));
        tfPolicy(resource, 's3', bucket, bucketName);
        break;
      }
      case 'aws_s3_bucket':
        tfPolicy(resource, 's3', resource, knownTexts(doc, p, 'bucket')[0]);
        break;
      case 'aws_sqs_queue':
      case 'aws_sqs_queue_policy':
        tfPolicy(resource, 'sqs', undefined);
        break;
      case 'aws_sns_topic':
      case 'aws_sns_topic_policy':
        tfPolicy(resource, 'sns', undefined);
        break;
    }
  }
  return out;
}

const POLICY_HOLDERS = new Set([
  'AWS::S3::BucketPolicy',
  'AWS::SQS::QueuePolicy',
  'AWS::SNS::TopicPolicy',
  'aws_s3_bucket_policy',
  'aws_s3_bucket',
  'aws_sqs_queue',
  'aws_sqs_queue_policy',
  'aws_sns_topic',
  'aws_sns_topic_policy',
]);

function cfnSource(
  resource: Resource,
  service: Service,
  bucket: Resource | undefined,
  bucketName: string | undefined,
): PolicySource {
  const policy = get(resource.properties, 'PolicyDocument');
  const anchor =
    entryOf(policy, 'Statement')?.key ??
    entryOf(resource.properties, 'PolicyDocument')?.key ??
    resource.keyNode;
  return {
    service,
    resource,
    bucket,
    bucketName,
    policy: policy?.kind === 'map' ? policy : undefined,
    anchor,
  };
}

function parseTfPolicy(text: string): Node | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  const parsed = parseJson(text);
  return parsed.problems.length || parsed.root?.kind !== 'map' ? undefined : parsed.root;
}

/** The bucket a policy names: a bucket resource of this document and/or a literal name. */
function bucketOf(doc: TemplateDocument, node: Node | undefined): [Resource | undefined, string | undefined] {
  if (doc.format === 'cfn' && node && node.kind === 'map') {
    // The same name expression as a bucket's BucketName (`!Sub "${AWS::StackName}-logs"`, a
    // parameter, `!Join`) names that bucket, whatever it resolves to at deploy time.
    const shape = nameShape(doc, node);
    if (shape !== undefined && shape.includes('${')) {
      const bucket = doc.resources.find(
        (r) => r.type === 'AWS::S3::Bucket' && nameShape(doc, get(r.properties, 'BucketName')) === shape,
      );
      if (bucket) return [bucket, literalBucketName(doc, bucket)];
    }
    // A name derived from one bucket's attributes (`!Select [5, !Split [":", !GetAtt B.Arn]]`).
    const derived = new Set(
      referencedIds(node).filter((id) => doc.resourcesById.get(id)?.type === 'AWS::S3::Bucket'),
    );
    if (
      derived.size === 1 &&
      !(node.entries[0]!.key.value === 'Ref' || node.entries[0]!.key.value === 'Fn::GetAtt')
    ) {
      const bucket = doc.resourcesById.get([...derived][0]!)!;
      return [bucket, literalBucketName(doc, bucket)];
    }
  }
  for (const p of resolve(doc, node)) {
    if (p.value instanceof ResourceRef) {
      const bucket = doc.resourcesById.get(p.value.id);
      if (bucket && BUCKET_TYPES.includes(bucket.type)) return [bucket, literalBucketName(doc, bucket)];
    } else if (typeof p.value === 'string') {
      const name = p.value;
      const bucket = doc.resources.find(
        (r) => BUCKET_TYPES.includes(r.type) && literalBucketName(doc, r) === name,
      );
      return [bucket, name];
    }
  }
  return [undefined, undefined];
}

const PSEUDO = /^AWS::(StackName|StackId|AccountId|Region|Partition|URLSuffix)$/;

/**
 * The shape of a CloudFormation string expression: literals as written, parameters and pseudo
 * parameters as `${Name}`, `Fn::Sub` / `Fn::Join` put together. Two expressions with the same
 * shape have the same value in every deployment. Undefined for anything else (a resource attribute,
 * `Fn::If`, an import), which has no comparable shape.
 */
function nameShape(doc: TemplateDocument, node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind === 'scalar') return typeof node.value === 'string' ? node.value : undefined;
  if (node.kind !== 'map' || node.entries.length !== 1) return undefined;
  const { key, value } = node.entries[0]!;
  switch (key.value) {
    case 'Ref': {
      const name = String(toPlain(value));
      return PSEUDO.test(name) || doc.parameters.has(name) ? `\${${name}}` : undefined;
    }
    case 'Fn::Sub': {
      const template = value.kind === 'seq' ? value.items[0] : value;
      if (template?.kind !== 'scalar' || typeof template.value !== 'string') return undefined;
      const vars = value.kind === 'seq' ? value.items[1] : undefined;
      let ok = true;
      const out = template.value.replace(/\$\{(?!!)([^}]+)\}/g, (_m, name: string) => {
        const local = get(vars, name);
        if (local) {
          const inner = nameShape(doc, local);
          if (inner === undefined) ok = false;
          return inner ?? '';
        }
        if (PSEUDO.test(name) || doc.parameters.has(name)) return `\${${name}}`;
        ok = false;
        return '';
      });
      return ok ? out : undefined;
    }
    case 'Fn::Join': {
      const [delimiter, list] = items(value);
      if (delimiter?.kind !== 'scalar' || list?.kind !== 'seq') return undefined;
      const parts = list.items.map((i) => nameShape(doc, i));
      return parts.every((p) => p !== undefined) ? parts.join(String(delimiter.value ?? '')) : undefined;
    }
    default:
      return undefined;
  }
}

/** Resource ids referenced anywhere inside a CloudFormation expression (Ref, GetAtt, Sub). */
function referencedIds(node: Node | undefined): string[] {
  if (!node) return [];
  if (node.kind === 'seq') return node.items.flatMap(referencedIds);
  if (node.kind === 'scalar') return [];
  return node.entries.flatMap(({ key, value }) => {
    if (key.value === 'Ref') return [String(toPlain(value))];
    if (key.value === 'Fn::GetAtt')
      return [
        value.kind === 'seq' ? String(toPlain(value.items[0]!)) : String(toPlain(value)).split('.')[0]!,
      ];
    if (key.value === 'Fn::Sub') {
      const template = value.kind === 'seq' ? value.items[0] : value;
      const text = template?.kind === 'scalar' ? String(template.value) : '';
      return [...text.matchAll(/\$\{(?!!)([^}.]+)/g)].map((m) => m[1]!).concat(referencedIds(value));
    }
    return referencedIds(value);
  });
}

function literalBucketName(doc: TemplateDocument, bucket: Resource): string | undefined {
  return knownTexts(doc, bucket.properties, bucket.type === 'AWS::S3::Bucket' ? 'BucketName' : 'bucket')[0];
}

/** A standalone policy file: a resource policy (it has a Principal) on S3, SQS or SNS resources. */
function standalone(doc: TemplateDocument): PolicySource | undefined {
  const root = doc.root;
  if (root?.kind !== 'map') return undefined;
  const statements = items(get(root, 'Statement')).filter((s): s is MapNode => s.kind === 'map');
  if (!statements.some((s) => get(s, 'Principal') !== undefined)) return undefined;
  const resources = statements
    .flatMap((s) => items(get(s, 'Resource')))
    .flatMap((r) => (r.kind === 'scalar' ? [String(r.value)] : []));
  const service = (['s3', 'sqs', 'sns'] as const).find((svc) =>
    resources.some((r) => r.startsWith(`arn:aws:${svc}:`)),
  );
  if (!service) return undefined;
  const bucketName =
    service === 's3'
      ? resources.map((r) => /^arn:aws:s3:::([^/*?]+)/.exec(r)?.[1]).find((n) => n !== undefined)
      : undefined;
  return {
    service,
    resource: undefined,
    bucket: undefined,
    bucketName,
    policy: root,
    anchor: entryOf(root, 'Statement')?.key ?? root,
  };
}

// ---------- reading the policy ----------

function checkPolicy(
  doc: TemplateDocument,
  source: PolicySource,
  policy: Node,
  report: (f: FindingInput) => void,
): void {
  const statements = items(get(policy, 'Statement')).filter((s): s is MapNode => s.kind === 'map');
  const render = renderer(doc, source);
  let bucketCovered = false;
  let objectsCovered = false;
  let unknown = false;
  const partial: string[] = [];
  for (const statement of statements) {
    const verdict = denyVerdict(doc, source, statement, render);
    if (verdict === 'unknown') unknown = true;
    if (verdict === 'no') continue;
    if (verdict === 'unknown') continue;
    if (source.service !== 's3') return; // any deny on insecure transport protects a queue or topic
    bucketCovered ||= verdict.bucket;
    objectsCovered ||= verdict.objects;
    unknown ||= verdict.unknown;
    partial.push(...verdict.partial);
  }
  if (source.service === 's3' && bucketCovered && objectsCovered) return;
  if (unknown) return; // a value we cannot know might complete the deny: never a finding by itself
  const what =
    source.service === 's3'
      ? source.resource
        ? `The bucket policy ${source.resource.id}`
        : 'This bucket policy'
      : source.resource
        ? `The ${source.service === 'sqs' ? 'queue' : 'topic'} policy ${source.resource.id}`
        : 'This policy';
  const name = source.bucketName ?? source.bucketShape ?? source.bucket?.id ?? 'bucket';
  const prefixes = [...new Set(partial.map((p) => p.replace(B, name)))].join(', ');
  const missing =
    source.service !== 's3'
      ? 'has no Deny for requests with aws:SecureTransport = false'
      : !objectsCovered && prefixes
        ? `denies plain HTTP only on part of the bucket (${prefixes}), not on every object (${name}/*)${bucketCovered ? '' : ' nor on the bucket itself'}: that does not enforce TLS for the bucket`
        : bucketCovered
          ? 'denies plain HTTP on the bucket but not on its objects (bucket/*)'
          : objectsCovered
            ? 'denies plain HTTP on the objects (bucket/*) but not on the bucket itself'
            : 'has no Deny for requests with aws:SecureTransport = false covering the bucket and its objects';
  report({
    span: source.anchor,
    resource: source.resource,
    message: `${what} ${missing}, so requests over plain HTTP ${!objectsCovered && prefixes ? 'to its other keys ' : ''}are accepted. An Allow that requires aws:SecureTransport does not block HTTP; append a Deny statement for aws:SecureTransport = false.`,
    fixes: appendFix(doc, source),
  });
}

type Verdict = 'no' | 'unknown' | { bucket: boolean; objects: boolean; unknown: boolean; partial: string[] };

/** Whether a statement denies everyone on insecure transport, and which parts of the bucket it covers. */
function denyVerdict(
  doc: TemplateDocument,
  source: PolicySource,
  statement: MapNode,
  render: (node: Node) => string,
): Verdict {
  const effect = texts(doc, get(statement, 'Effect'));
  if (!effect.length) return 'unknown';
  if (!effect.some((e) => e.toLowerCase() === 'deny')) return 'no';
  if (!insecureTransportCondition(doc, get(statement, 'Condition'))) return 'no';
  if (!everyone(doc, get(statement, 'Principal'))) return 'no';
  if (source.service !== 's3') return { bucket: true, objects: true, unknown: false, partial: [] };
  const actions = texts(doc, get(statement, 'Action'));
  if (!actions.some((a) => a === '*' || a.toLowerCase() === 's3:*')) return 'no';
  const resources = items(get(statement, 'Resource')).map(render);
  const targets = bucketTargets(source, resources);
  let bucket = false;
  let objects = false;
  let unknown = false;
  const partial: string[] = [];
  for (const r of resources) {
    if (r.includes(UNKNOWN_PART)) {
      unknown = true;
      continue;
    }
    for (const t of targets) {
      const coversBucket = glob(r, t.bucket);
      const coversObjects = glob(r, t.objects);
      bucket ||= coversBucket;
      objects ||= coversObjects;
      // A prefix of the bucket (`bucket/logs/*`): only those keys.
      if (!coversBucket && !coversObjects && r.startsWith(t.bucket + '/'))
        partial.push(r.slice('arn:aws:s3:::'.length));
    }
  }
  return { bucket, objects, unknown, partial };
}

/** The ARNs to cover: the policy's bucket, or (unknown bucket) every bucket its resources name. */
function bucketTargets(source: PolicySource, resources: string[]): { bucket: string; objects: string }[] {
  const names =
    source.bucket || source.bucketName
      ? [B]
      : resources
          .map((r) => /^arn:aws:s3:::([^/]+)/.exec(r)?.[1])
          .filter((n): n is string => n !== undefined && !/[*?]/.test(n));
  return names.map((n) => ({ bucket: `arn:aws:s3:::${n}`, objects: `arn:aws:s3:::${n}/*` }));
}

function insecureTransportCondition(doc: TemplateDocument, condition: Node | undefined): boolean {
  if (condition?.kind !== 'map') return false;
  for (const op of condition.entries) {
    if (!['bool', 'boolifexists'].includes(op.key.value.toLowerCase()) || op.value.kind !== 'map') continue;
    for (const key of op.value.entries)
      if (
        key.key.value.toLowerCase() === 'aws:securetransport' &&
        texts(doc, key.value).some((v) => v.toLowerCase() === 'false')
      )
        return true;
  }
  return false;
}

function everyone(doc: TemplateDocument, principal: Node | undefined): boolean {
  if (!principal) return false;
  if (texts(doc, principal).includes('*')) return true;
  return principal.kind === 'map' && texts(doc, get(principal, 'AWS')).includes('*');
}

/** Known string values of a node or list (scalars as written; CloudFormation intrinsics resolved). */
function texts(doc: TemplateDocument, node: Node | undefined): string[] {
  return items(node).flatMap((item) => {
    if (item.kind === 'scalar') return item.value === null ? [] : [String(item.value)];
    if (item.kind === 'map' && doc.format === 'cfn') return knownStrings(resolve(doc, item));
    return [];
  });
}

/** Renders a Resource element to an ARN pattern, with the policy's bucket written as B. */
function renderer(doc: TemplateDocument, source: PolicySource): (node: Node) => string {
  const bucketId = source.bucket?.id;
  const literal = (s: string): string => {
    let out = s;
    if (doc.format === 'tf' || doc.format === 'iam')
      out = out.replace(/\$\{([^}]*)\}/g, (_m, expr: string) => {
        const e = expr.trim();
        if (bucketId && e === `${bucketId}.arn`) return `arn:aws:s3:::${B}`;
        if (bucketId && (e === `${bucketId}.id` || e === `${bucketId}.bucket`)) return B;
        return UNKNOWN_PART;
      });
    if (source.bucketName) {
      const escaped = source.bucketName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      out = out.replace(new RegExp(`^(arn:[^:]*:s3:::)${escaped}(?=/|$)`), `$1${B}`);
    }
    return out.replace(/^arn:aws-[a-z-]+:s3:::/, 'arn:aws:s3:::');
  };
  const shaped = (node: Node): string | undefined => {
    const shape = source.bucketShape;
    if (!shape || node.kind !== 'map') return undefined;
    const text = nameShape(doc, node);
    const m = text && /^arn:(?:aws|\$\{AWS::Partition\}):s3:::(.*)$/.exec(text);
    if (!m || !(m[1] === shape || m[1]!.startsWith(shape + '/'))) return undefined;
    const rest = m[1]!.slice(shape.length);
    // Anything else that is only known at deploy time may be anything.
    return rest.includes('${') ? UNKNOWN_PART : `arn:aws:s3:::${B}${rest}`;
  };
  const render = (node: Node): string => {
    if (node.kind === 'scalar') return typeof node.value === 'string' ? literal(node.value) : UNKNOWN_PART;
    const byShape = shaped(node);
    if (byShape !== undefined) return byShape;
    if (doc.format !== 'cfn' || node.kind !== 'map' || node.entries.length !== 1) return UNKNOWN_PART;
    const { key, value } = node.entries[0]!;
    switch (key.value) {
      case 'Ref': {
        const name = String(toPlain(value));
        if (name === bucketId) return B;
        return oneString(doc, node) ?? UNKNOWN_PART;
      }
      case 'Fn::GetAtt': {
        const parts =
          value.kind === 'seq'
            ? value.items.map((i) => String(toPlain(i)))
            : String(toPlain(value)).split('.');
        return parts[0] === bucketId && parts[1] === 'Arn' ? `arn:aws:s3:::${B}` : UNKNOWN_PART;
      }
      case 'Fn::Sub': {
        const template = value.kind === 'seq' ? value.items[0] : value;
        if (template?.kind !== 'scalar' || typeof template.value !== 'string') return UNKNOWN_PART;
        const vars = value.kind === 'seq' ? value.items[1] : undefined;
        return literal(
          template.value.replace(/\$\{(?!!)([^}]+)\}/g, (_m, name: string) => {
            if (name === 'AWS::Partition') return 'aws';
            if (name === bucketId) return B;
            if (name === `${bucketId}.Arn`) return `arn:aws:s3:::${B}`;
            const local = get(vars, name);
            if (local) return render(local);
            const parameter = doc.parameters.get(name)?.default;
            return (parameter && oneString(doc, parameter)) ?? UNKNOWN_PART;
          }),
        );
      }
      case 'Fn::Join': {
        const [delimiter, list] = items(value);
        if (delimiter?.kind !== 'scalar' || list?.kind !== 'seq') return UNKNOWN_PART;
        return list.items.map(render).join(String(delimiter.value ?? ''));
      }
      default:
        return oneString(doc, node) ?? UNKNOWN_PART;
    }
  };
  return render;
}

/** A node that resolves to exactly one known string. */
function oneString(doc: TemplateDocument, node: Node): string | undefined {
  const values = resolve(doc, node);
  return values.length === 1 && typeof values[0]!.value === 'string' ? values[0]!.value : undefined;
}

/** IAM wildcard match (`*`, `?`) of a pattern against a literal ARN. */
function glob(pattern: string, target: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
  );
  return re.test(target);
}

// ---------- fixes ----------

/** The canonical deny statement, in the document's own reference style. */
function denyStatement(doc: TemplateDocument, source: PolicySource): { [key: string]: NewValue } | undefined {
  let resource: NewValue;
  if (source.service !== 's3') {
    const first = items(get(source.policy, 'Statement')).find((s) => get(s, 'Resource') !== undefined);
    if (!first) return undefined;
    resource = toPlain(get(first, 'Resource')) as NewValue;
  } else if (source.bucket && doc.format === 'cfn') {
    resource = [{ $resource: source.bucket.id, attribute: 'Arn' }, { $sub: `\${${source.bucket.id}.Arn}/*` }];
  } else if (source.bucket && doc.format === 'tf') {
    resource = [`\${${source.bucket.id}.arn}`, `\${${source.bucket.id}.arn}/*`];
  } else if (source.bucketName) {
    resource =
      doc.format === 'cfn'
        ? [
            { $sub: `arn:\${AWS::Partition}:s3:::${source.bucketName}` },
            { $sub: `arn:\${AWS::Partition}:s3:::${source.bucketName}/*` },
          ]
        : [`arn:aws:s3:::${source.bucketName}`, `arn:aws:s3:::${source.bucketName}/*`];
  } else return undefined;
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: source.service === 's3' ? 's3:*' : source.service === 'sqs' ? 'sqs:*' : 'sns:Publish',
    Resource: resource,
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

const FIX_TITLE = 'Append a statement denying requests over plain HTTP (aws:SecureTransport = false)';

function appendFix(doc: TemplateDocument, source: PolicySource): FixRecipe[] {
  const statement = denyStatement(doc, source);
  if (!statement) return [];
  if (source.string) {
    // Terraform: the policy is a JSON string; write it back whole with the statement appended.
    let plain: { Statement?: unknown };
    try {
      plain = JSON.parse(String(source.string.value)) as { Statement?: unknown };
    } catch {
      return [];
    }
    const list = Array.isArray(plain.Statement) ? plain.Statement : plain.Statement ? [plain.Statement] : [];
    plain.Statement = [...list, statement];
    const pretty = String(source.string.value).includes('\n');
    return [
      {
        title: FIX_TITLE,
        safety: 'safe',
        ops: [
          { op: 'replace', node: source.string, value: JSON.stringify(plain, null, pretty ? 2 : undefined) },
        ],
      },
    ];
  }
  const list = get(source.policy, 'Statement');
  if (list?.kind === 'seq')
    return [{ title: FIX_TITLE, safety: 'safe', ops: [{ op: 'append', seq: list, value: statement }] }];
  if (list?.kind === 'map')
    return [
      {
        title: FIX_TITLE,
        safety: 'safe',
        ops: [{ op: 'replace', node: list, value: [toPlain(list) as NewValue, statement] }],
      },
    ];
  return [];
}

function newPolicyFix(doc: TemplateDocument, bucket: Resource): FixRecipe {
  const source: PolicySource = {
    service: 's3',
    resource: undefined,
    bucket,
    bucketName: undefined,
    policy: bucket.node,
    anchor: bucket.keyNode,
  };
  const statement = denyStatement(doc, source)!;
  const policy = { Version: '2012-10-17', Statement: [statement] };
  const cfnName = unique(doc, `${bucket.id}Policy`);
  const tfName = unique(doc, `${bucket.tfName ?? 'bucket'}_secure_transport`, 'aws_s3_bucket_policy.');
  return {
    title: `Add a bucket policy denying requests over plain HTTP (aws:SecureTransport = false)`,
    safety: 'safe',
    ops: [
      {
        op: 'addResource',
        name: doc.format === 'cfn' ? cfnName : tfName,
        spec: {
          cfn: {
            Type: 'AWS::S3::BucketPolicy',
            Properties: { Bucket: { $resource: bucket.id }, PolicyDocument: policy },
          },
          tf: {
            type: 'aws_s3_bucket_policy',
            body: { bucket: `\${${bucket.id}.id}`, policy: JSON.stringify(policy, null, 2) },
          },
        },
      },
    ],
  };
}

function unique(doc: TemplateDocument, name: string, prefix = ''): string {
  let candidate = name;
  for (let i = 2; doc.resourcesById.has(prefix + candidate); i++) candidate = `${name}${i}`;
  return candidate;
}
