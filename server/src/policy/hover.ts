// Hover inside policies: an action (service, what it does, access level, resource types), a
// condition key (type, single- or multi-valued, when it is present), a condition operator, and
// the policy elements. Works in every place a policy appears, inside Terraform strings too.

import { Facts } from '../facts';
import type { TemplateDocument } from '../model/document';
import type { Entry, Node } from '../parse/tree';
import { items } from '../parse/tree';
import { catalog } from './catalog';
import { policies, type PolicyDocument } from './extract';
import { BASE_OPERATORS, parseOperator, type Operator } from './grammar';

export interface PolicyHover {
  markdown: string;
  start: number;
  end: number;
}

const REFERENCE =
  'https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html';
const GLOBAL_KEYS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html';
const OPERATORS =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html';

const facts = new WeakMap<TemplateDocument, Facts>();

/** Hover at an offset of a document, with the document's policy facts cached per version. */
export function policyHoverAt(doc: TemplateDocument, offset: number): PolicyHover | undefined {
  let f = facts.get(doc);
  if (!f) {
    f = new Facts(doc);
    facts.set(doc, f);
  }
  return policyHover(doc, f, offset);
}

export function policyHover(doc: TemplateDocument, f: Facts, offset: number): PolicyHover | undefined {
  for (const policy of policies(f)) {
    const outer = policy.embedded?.stringNode ?? policy.node;
    if (offset < outer.start || offset > outer.end) continue;
    const hit = hoverIn(policy, offset);
    if (hit) return hit;
  }
  return undefined;
}

const inside = (node: { start: number; end: number }, offset: number): boolean =>
  node.start <= offset && offset <= node.end;

function hoverIn(policy: PolicyDocument, offset: number): PolicyHover | undefined {
  const root = policy.node;
  if (root.kind !== 'map') return undefined;
  for (const entry of root.entries) {
    if (inside(entry.key, offset)) return element(entry);
    if (entry.key.value === 'Version' && inside(entry.value, offset)) return element(entry, entry.value);
  }
  for (const statement of policy.statements) {
    if (!inside(statement.node, offset)) continue;
    for (const entry of statement.node.entries) {
      if (inside(entry.key, offset)) return element(entry);
      if (!inside(entry.value, offset)) continue;
      const name = entry.key.value;
      if (name === 'Action' || name === 'NotAction') {
        for (const item of items(entry.value))
          if (
            item.kind === 'scalar' &&
            typeof item.value === 'string' &&
            inside(item, offset) &&
            !policy.embedded?.unknown.has(item)
          )
            return at(item, actionMarkdown(item.value));
      }
      if (name === 'Condition' && entry.value.kind === 'map') {
        for (const operatorEntry of entry.value.entries) {
          if (inside(operatorEntry.key, offset)) {
            const md = operatorMarkdown(operatorEntry.key.value);
            return md ? at(operatorEntry.key, md) : undefined;
          }
          if (operatorEntry.value.kind !== 'map' || !inside(operatorEntry.value, offset)) continue;
          for (const keyEntry of operatorEntry.value.entries)
            if (inside(keyEntry.key, offset)) {
              const md = keyMarkdown(keyEntry.key.value);
              return md ? at(keyEntry.key, md) : undefined;
            }
        }
      }
      return undefined;
    }
  }
  return undefined;
}

function at(node: Node, markdown: string): PolicyHover {
  return { markdown, start: node.start, end: node.end };
}

const ELEMENTS: Record<string, string> = {
  Version:
    'The policy language version. Use `2012-10-17`; the legacy `2008-10-17` does not replace policy variables such as `${aws:username}`.',
  Id: 'An optional identifier for the policy.',
  Statement:
    'One statement or a list of statements. Each is evaluated on its own; an explicit `Deny` in any statement wins.',
  Sid: 'An optional statement id, unique within the policy.',
  Effect:
    '`Allow` or `Deny`. Requests are denied unless a statement allows them; an explicit `Deny` overrides any `Allow`.',
  Principal:
    'Who the statement applies to (resource-based and trust policies only): `"*"` (everyone, including anonymous callers), or `{"AWS": account / ARN}`, `{"Service": "x.amazonaws.com"}`, `{"Federated": provider}`, `{"CanonicalUser": id}`.',
  NotPrincipal:
    'Everyone *except* the listed principals. With `Allow` it grants access to the whole world minus a list; use it only with `Deny`, and prefer a `Principal` with conditions on `aws:PrincipalArn`.',
  Action: 'The actions the statement covers, as `service:ActionName`; `*` and `?` are wildcards.',
  NotAction: 'Every action *except* the ones listed. With `Allow` it also grants actions added to AWS later.',
  Resource: 'The resources (ARNs) the statement covers; `*` for all.',
  NotResource: 'Every resource *except* the ones listed.',
  Condition:
    'When the statement applies: `{"Operator": {"key": value(s)}}`. Keys under one operator, and operators, must all match (AND); values of one key are alternatives (OR).',
};

function element(entry: Entry, node?: Node): PolicyHover | undefined {
  const text = ELEMENTS[entry.key.value];
  if (!text) return undefined;
  return at(
    node ?? entry.key,
    `**${entry.key.value}** (policy element)\n\n${text}\n\n[IAM JSON policy elements](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html)`,
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function actionMarkdown(value: string): string {
  if (value === '*') return '**`*`**: every action of every AWS service.';
  const colon = value.indexOf(':');
  if (colon < 0) return `**${value}**: not a \`service:Action\` name.`;
  const service = value.slice(0, colon);
  const name = value.slice(colon + 1);
  const cat = catalog();
  if (!cat.hasService(service)) return `**${value}**: \`${service}\` is not a known AWS service prefix.`;
  const serviceName = cat.serviceName(service) ?? service;
  if (/[*?]/.test(name)) {
    const matched = cat.matchActions(service, name);
    const shown = matched
      .slice(0, 12)
      .map((n) => `\`${n}\``)
      .join(', ');
    const more = matched.length > 12 ? `, and ${matched.length - 12} more` : '';
    return `**${value}**: ${matched.length} ${serviceName} action${matched.length === 1 ? '' : 's'}${matched.length ? `: ${shown}${more}` : ''}.\n\n[Actions, resources and condition keys](${REFERENCE})`;
  }
  const action = cat.action(service, name);
  if (!action) return `**${value}**: ${serviceName} has no action \`${name}\`.`;
  const lines = [
    `**${action.service}:${action.name}** (${action.serviceName})`,
    `${capitalise(action.description)}.`,
    `Access level: **${action.accessLevel}**${action.resourceTypes.length ? ` · Resource types: ${action.resourceTypes.map((t) => `\`${t}\``).join(', ')}` : ' · Resource: `*` only'}`,
    `[Actions, resources and condition keys](${REFERENCE})`,
  ];
  return lines.join('\n\n');
}

const KEY_NOTES: Record<string, string> = {
  'aws:sourcevpce':
    'The id of the VPC endpoint (`vpce-...`) the request came through. **Present only on requests made through a VPC endpoint**: requests over the internet, through a NAT gateway, or made by AWS services on your behalf do not carry it. A negated operator (`StringNotEquals`) therefore matches them all; pair a `Deny` with an `aws:PrincipalIsAWSService` / `aws:ViaAWSService` exception.',
  'aws:sourcevpc':
    'The id of the VPC (`vpc-...`) the request came from. **Present only on requests made through a VPC endpoint**; requests through the internet or a NAT gateway, and requests AWS services make for you, do not carry it.',
  'aws:sourcevpcarn':
    'The ARN of the VPC the request came from; present only on requests through a VPC endpoint.',
  'aws:sourceip':
    "The requester's **public** IP address. It never holds a private address: requests through a VPC endpoint carry no `aws:SourceIp` (use `aws:VpcSourceIp`), and requests through a NAT or internet gateway carry the gateway's public address. Compare it with `IpAddress` / `NotIpAddress`, never with string operators.",
  'aws:vpcsourceip':
    "The requester's private IP address, **present only on requests through a VPC endpoint**. Use it with `aws:SourceVpc` or `aws:SourceVpce`; compare with `IpAddress` / `NotIpAddress`.",
  'aws:principalisawsservice':
    'True when the caller is an AWS service principal (for example CloudTrail writing to a bucket). Used as an exception in network-perimeter `Deny` statements: `"BoolIfExists": {"aws:PrincipalIsAWSService": "false"}`.',
  'aws:viaawsservice':
    'True when an AWS service makes the request on behalf of a principal (forward access sessions, for example Athena reading S3). Used as an exception in network-perimeter `Deny` statements.',
  'aws:securetransport':
    'True when the request came over TLS. Enforce HTTPS with `"Deny"` + `"Bool": {"aws:SecureTransport": "false"}`; an `Allow` with `true` does not block plain HTTP.',
  'aws:principalorgid':
    'The AWS Organizations id of the caller’s account. The simplest way to keep a public-looking resource policy inside your organization.',
  'aws:principalaccount': 'The account id of the caller.',
  'aws:sourceaccount':
    'The account of the resource that makes a service-to-service request (confused-deputy protection with service principals).',
  'aws:sourcearn':
    'The ARN of the resource that makes a service-to-service request (confused-deputy protection with service principals).',
  'aws:calledvia': 'The services that made the request on the principal’s behalf, in order (multi-valued).',
};

export function keyMarkdown(key: string): string | undefined {
  const info = catalog().conditionKey(key);
  const note = KEY_NOTES[key.toLowerCase()];
  if (!info && !note) return undefined;
  const head = info
    ? `**${info.key}**: ${info.type}, ${info.multiValued ? 'multi-valued (use `ForAnyValue:` / `ForAllValues:`)' : 'single-valued'}, ${info.global ? 'global condition key' : `${key.slice(0, key.indexOf(':'))} condition key`}`
    : `**${key}**`;
  const parts = [head];
  if (note) parts.push(note);
  parts.push(`[Condition keys](${info && !info.global ? REFERENCE : GLOBAL_KEYS})`);
  return parts.join('\n\n');
}

const FAMILY_TEXT: Record<string, string> = {
  String: 'compares strings',
  Numeric: 'compares numbers',
  Date: 'compares dates (ISO 8601 or epoch seconds)',
  Bool: 'compares `true` / `false`',
  Binary: 'compares base-64 encoded binary values',
  Ip: 'compares IP addresses with CIDR ranges (`aws:SourceIp`, `aws:VpcSourceIp`)',
  Arn: 'compares ARNs part by part',
  Null: 'tests whether the key is absent (`true`) or present (`false`)',
};

export function operatorMarkdown(text: string): string | undefined {
  const op: Operator | undefined = parseOperator(text);
  if (!op) return undefined;
  const base = BASE_OPERATORS[op.base]!;
  const parts = [
    `**${text}**: condition operator; ${FAMILY_TEXT[op.family] ?? ''}${base.negated ? ' and matches when the value is *not* listed (also when the key is absent)' : ''}${/IgnoreCase/.test(op.base) ? ', ignoring case' : ''}${/Like/.test(op.base) ? ', with `*` and `?` wildcards' : ''}.`,
  ];
  if (op.ifExists) parts.push('`...IfExists`: also true when the request does not have the key at all.');
  if (op.set === 'ForAllValues')
    parts.push(
      '`ForAllValues:` is true when every value of a multi-valued key matches, **and also when the key is absent or empty**. On a single-valued key it lets requests without the key through.',
    );
  if (op.set === 'ForAnyValue')
    parts.push(
      '`ForAnyValue:` is true when at least one value of a multi-valued key matches; false when the key is absent.',
    );
  parts.push(`[Condition operators](${OPERATORS})`);
  return parts.join('\n\n');
}
