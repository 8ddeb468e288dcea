import type { TemplateDocument } from '../../model/document';
import type { FixRecipe } from '../../fixes/recipe';
import { parseCidr } from '../../facts/cidr';
import type { Entry, Node, ScalarNode } from '../../parse/tree';
import { describeVia } from '../../resolve/values';
import { catalog } from '../../policy/catalog';
import { isApiGatewayPolicy, policies, type PolicyDocument, type Statement } from '../../policy/extract';
import { canFix, replaceScalarOp, setInPolicyOps } from '../../policy/fix';
import {
  allOperators,
  compatible,
  familyFor,
  nearest,
  parseOperator,
  POLICY_ELEMENTS,
  PRINCIPAL_TYPES,
  STATEMENT_ELEMENTS,
  spell,
  VERSIONS,
} from '../../policy/grammar';
import { POLICY_CONTROLS } from '../../policy/controls';
import { literalString, valueItems, type ValueItem } from '../../policy/read';
import type { FindingInput, Rule } from '../types';
import docs from './rule.md?raw';

const CURRENT_VERSION = '2012-10-17';

/** Policies whose service validates every action on save (S3 answers "Policy has invalid action"). */
const VALIDATING_TYPES = new Set(['AWS::S3::BucketPolicy', 'aws_s3_bucket_policy', 'aws_s3_bucket']);

export const iamPolicyInvalid: Rule = {
  meta: {
    id: 'iam-policy-invalid',
    summary: 'A policy that fails to deploy or silently does not apply',
    category: 'policy',
    severity: 'error',
    formats: ['cfn', 'tf', 'plan', 'iam'],
    resourceTypes: ['*'],
    fixSafety: 'unsafe',
    doesNotReport:
      'a missing or 2008-10-17 Version when the policy has no policy variables; execute-api:/ resources in API Gateway policies; ARNs whose trailing * spans colons; unknown services or actions as errors (IAM accepts them: warning)',
    references: {
      aws: [
        'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html',
        'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html',
        'https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html',
      ],
      cwe: ['CWE-1188'],
      cfnLint: ['E3510', 'E3512', 'W3037'],
    },
  },
  docs,
  controls: POLICY_CONTROLS,
  check({ doc, facts, report }) {
    for (const policy of policies(facts)) new PolicyChecker(doc, policy, report).check();
  },
};

class PolicyChecker {
  private readonly fixable: boolean;
  private readonly hasVariables: boolean;

  constructor(
    private readonly doc: TemplateDocument,
    private readonly policy: PolicyDocument,
    private readonly sink: (finding: FindingInput) => void,
  ) {
    this.fixable = canFix(doc, policy);
    // Policy variables (`${aws:username}`; Terraform `$${...}`, Fn::Sub `${!...}`) are the only
    // thing whose meaning changes with the Version.
    this.hasVariables = /\$\$\{|\$\{!|\$\{(?!AWS::)[A-Za-z0-9-]+:/.test(
      doc.text.slice(policy.node.start, policy.node.end),
    );
  }

  private report(
    span: Node,
    message: string,
    fixes: (FixRecipe | undefined)[] = [],
    severity?: 'warning' | 'error',
  ): void {
    const finding: FindingInput = { span, message, resource: this.policy.resource };
    const usable = this.fixable ? fixes.filter((f): f is FixRecipe => f !== undefined) : [];
    if (usable.length) finding.fixes = usable;
    if (severity) finding.severity = severity;
    this.sink(finding);
  }

  /** A spelling correction is a guess at what the policy means, and changes what it grants: unsafe. */
  private replaceFix(
    title: string,
    node: ScalarNode,
    value: string,
    safety: FixRecipe['safety'] = 'unsafe',
  ): FixRecipe {
    return { title, safety, ops: [replaceScalarOp(this.policy, node, value)] };
  }

  /** Where to report something absent from the whole policy. */
  private anchor(): Node {
    const root = this.policy.node;
    return this.policy.hostKey ?? (root.kind === 'map' ? root.entries[0]?.key : undefined) ?? root;
  }

  check(): void {
    const policy = this.policy;
    for (const problem of policy.problems.slice(0, 1))
      this.sink({
        span: problem,
        message: `The policy in this string is not valid JSON: ${problem.message} IAM rejects it.`,
        resource: policy.resource,
      });
    const root = policy.node;
    if (root.kind !== 'map') {
      this.report(root, 'A policy document must be a JSON object with Version and Statement.');
      return;
    }
    if (policy.embedded && !root.entries.length && policy.problems.length) return;
    const keys = new Set(root.entries.map((e) => e.key.value));
    for (const entry of root.entries) {
      if ((POLICY_ELEMENTS as readonly string[]).includes(entry.key.value)) continue;
      this.unknownElement(
        entry,
        POLICY_ELEMENTS,
        keys,
        'policy element',
        'A policy has only Version, Id and Statement',
      );
    }
    this.version(root.entries.find((e) => e.key.value === 'Version'));
    const statement = root.entries.find((e) => e.key.value === 'Statement');
    if (!statement) {
      this.report(
        this.anchor(),
        'The policy has no Statement, so it allows and denies nothing. IAM rejects it.',
      );
      return;
    }
    if (statement.value.kind === 'scalar' && !policy.embedded?.unknown.has(statement.value)) {
      this.report(statement.value, 'Statement must be a statement object or a list of them.');
      return;
    }
    if (statement.value.kind === 'seq')
      for (const item of statement.value.items)
        if (item.kind !== 'map')
          this.report(item, 'Each statement must be an object with Effect, Action and Resource.');
    for (const s of policy.statements) this.statement(s);
  }

  private unknownElement(
    entry: Entry,
    known: readonly string[],
    present: Set<string>,
    what: string,
    list: string,
  ): void {
    const name = entry.key.value;
    const exact = known.find((k) => k.toLowerCase() === name.toLowerCase());
    const guess = exact ?? nearest(name, known);
    if (guess && !present.has(guess)) {
      this.report(
        entry.key,
        `Unknown ${what} "${name}": did you mean "${guess}"? IAM rejects the policy (element names are case-sensitive).`,
        [this.replaceFix(`Rename ${name} to ${guess}`, entry.key, guess)],
      );
      return;
    }
    this.report(entry.key, `Unknown ${what} "${name}". ${list}; IAM rejects the policy.`);
  }

  private version(entry: Entry | undefined): void {
    // Without Version a policy is read as 2008-10-17. That language differs from 2012-10-17 only
    // where the policy uses policy variables (taken literally in 2008-10-17), so a missing or old
    // Version is reported only then, as an error: the variables do not do what they say.
    if (!entry) {
      if (!this.hasVariables) return;
      const root = this.policy.node;
      const fix: FixRecipe | undefined =
        root.kind === 'map'
          ? {
              title: `Add Version ${CURRENT_VERSION}`,
              safety: 'safe',
              ops: setInPolicyOps(this.doc, this.policy, root, ['Version'], CURRENT_VERSION),
            }
          : undefined;
      this.report(
        this.anchor(),
        `The policy uses policy variables such as \${aws:username} but has no Version, so IAM reads it as version 2008-10-17 and takes the variables literally: they match only the text "\${...}". Add "Version": "${CURRENT_VERSION}".`,
        [fix],
      );
      return;
    }
    const value = literalString(this.policy, entry.value);
    if (value === undefined || value === CURRENT_VERSION) return;
    const node = entry.value as ScalarNode;
    if (value === '2008-10-17') {
      if (!this.hasVariables) return;
      this.report(
        node,
        `Version 2008-10-17 takes policy variables such as \${aws:username} literally: they match only the text "\${...}". Use ${CURRENT_VERSION}.`,
        [this.replaceFix(`Change Version to ${CURRENT_VERSION}`, node, CURRENT_VERSION, 'safe')],
      );
      return;
    }
    const guess =
      nearest(value, VERSIONS) ?? (/^\d{4}-\d{2}-\d{2}$/.test(value) ? CURRENT_VERSION : undefined);
    this.report(
      node,
      `Version "${value}" is not a policy language version: use ${CURRENT_VERSION}. IAM rejects the policy.`,
      [
        guess === CURRENT_VERSION
          ? this.replaceFix(`Change Version to ${CURRENT_VERSION}`, node, CURRENT_VERSION, 'safe')
          : undefined,
      ],
    );
  }

  private statement(statement: Statement): void {
    const node = statement.node;
    const where = node.entries[0]?.key ?? node;
    const present = new Set(statement.entries.keys());
    for (const entry of node.entries) {
      if ((STATEMENT_ELEMENTS as readonly string[]).includes(entry.key.value)) continue;
      this.unknownElement(
        entry,
        STATEMENT_ELEMENTS,
        present,
        'statement element',
        'A statement has Sid, Effect, Principal/NotPrincipal, Action/NotAction, Resource/NotResource and Condition',
      );
    }
    const has = (name: string): boolean => present.has(name);
    const effect = statement.entries.get('Effect');
    if (!effect)
      this.report(
        where,
        'The statement has no Effect: add "Effect": "Allow" or "Deny". IAM rejects the policy.',
      );
    else this.effect(effect);
    this.pair(statement, 'Action', 'NotAction', true, where);
    this.pair(statement, 'Principal', 'NotPrincipal', false, where);
    this.pair(statement, 'Resource', 'NotResource', false, where);

    const kind = this.policy.kind;
    const principal = statement.entries.get('Principal') ?? statement.entries.get('NotPrincipal');
    if (kind === 'identity' && principal)
      this.report(
        principal.key,
        `An identity-based policy (attached to a user, group or role) cannot name a ${principal.key.value}: IAM rejects it. Remove it, or put the statement in the resource's policy.`,
      );
    if ((kind === 'resource' || kind === 'trust') && !principal)
      this.report(
        where,
        kind === 'trust'
          ? 'A trust policy statement needs a Principal: who may assume the role. IAM rejects it without one.'
          : 'A resource-based policy statement needs a Principal (or NotPrincipal): who the statement applies to.',
      );
    if (kind === 'trust') {
      const resource = statement.entries.get('Resource') ?? statement.entries.get('NotResource');
      if (resource)
        this.report(
          resource.key,
          `A trust policy cannot have ${resource.key.value}: the resource is the role itself. IAM rejects it.`,
        );
    }
    for (const name of ['Action', 'NotAction'] as const) {
      const entry = statement.entries.get(name);
      if (entry) for (const item of valueItems(this.doc, this.policy, entry.value)) this.action(item, name);
    }
    if (principal) this.principal(principal);
    for (const name of ['Resource', 'NotResource']) {
      const entry = statement.entries.get(name);
      if (entry) for (const item of valueItems(this.doc, this.policy, entry.value)) this.arn(item);
    }
    if (kind === 'identity' && !has('Resource') && !has('NotResource'))
      this.report(
        where,
        'The statement has no Resource or NotResource: IAM rejects an identity-based policy statement without one. Add "Resource": "*" or the ARNs it applies to.',
      );
    if (has('Condition')) this.condition(statement.entries.get('Condition')!);
  }

  private pair(statement: Statement, a: string, b: string, required: boolean, where: Node): void {
    const first = statement.entries.get(a);
    const second = statement.entries.get(b);
    if (first && second)
      this.report(second.key, `A statement cannot have both ${a} and ${b}: IAM rejects it. Keep one.`);
    else if (required && !first && !second)
      this.report(where, `The statement has no ${a} or ${b}, so it applies to nothing. IAM rejects it.`);
  }

  private effect(entry: Entry): void {
    const value = literalString(this.policy, entry.value);
    if (value === undefined) {
      if (entry.value.kind === 'scalar' && !this.policy.embedded?.unknown.has(entry.value))
        this.report(entry.value, 'Effect must be "Allow" or "Deny".');
      return;
    }
    if (value === 'Allow' || value === 'Deny') return;
    const guess =
      ['Allow', 'Deny'].find((e) => e.toLowerCase() === value.toLowerCase()) ??
      nearest(value, ['Allow', 'Deny']);
    const node = entry.value as ScalarNode;
    this.report(
      node,
      `Effect "${value}" is not valid: it must be exactly "Allow" or "Deny". IAM rejects the policy.`,
      [guess ? this.replaceFix(`Change Effect to ${guess}`, node, guess) : undefined],
    );
  }

  private action(item: ValueItem, element: 'Action' | 'NotAction'): void {
    const literal = literalString(this.policy, item.node);
    for (const p of item.possibilities) {
      if (typeof p.value !== 'string') {
        if (typeof p.value === 'number' || typeof p.value === 'boolean')
          this.report(item.node, `Action "${String(p.value)}" is not a "service:action" name.`);
        continue;
      }
      const via = p.via.length ? ` (${describeVia(p.via)})` : '';
      const fixable = literal !== undefined && !p.via.length && item.node.kind === 'scalar';
      this.actionValue(p.value, item.node, via, fixable, element);
    }
  }

  private actionValue(
    value: string,
    node: Node,
    via: string,
    fixable: boolean,
    element: 'Action' | 'NotAction',
  ): void {
    if (value === '*' || value.includes('${')) return;
    const m = /^([A-Za-z0-9*?-]+):([A-Za-z0-9*?_-]+)$/.exec(value);
    if (!m) {
      this.report(
        node,
        `Action "${value}"${via} is malformed: write "service:ActionName" (for example "s3:GetObject"), or "*". IAM rejects the policy.`,
      );
      return;
    }
    const [, service = '', name = ''] = m;
    const cat = catalog();
    const source = `(bundled IAM catalogue of ${cat.stamp.updatedAt.slice(0, 10) || cat.version})`;
    // IAM accepts actions it does not know (they are inert), so these are warnings; S3 validates
    // the actions of a bucket policy and rejects the whole policy.
    const validating = VALIDATING_TYPES.has(this.policy.resource?.type ?? '');
    const severity = validating ? 'error' : 'warning';
    const consequence = validating
      ? 'S3 rejects the bucket policy ("Policy has invalid action")'
      : element === 'NotAction'
        ? 'IAM accepts it, but it excludes nothing from the statement, which applies to every other action'
        : 'IAM accepts it, but the statement grants or denies nothing through it';
    if (/[*?]/.test(service)) {
      if (!cat.matchServices(service).length)
        this.report(
          node,
          `Action "${value}"${via} matches no AWS service: ${consequence} ${source}.`,
          [],
          severity,
        );
      return;
    }
    if (!cat.hasService(service)) {
      const guess = nearest(service, cat.servicePrefixes());
      const fix =
        guess && fixable && (/[*?]/.test(name) || cat.action(guess, name))
          ? this.replaceFix(`Change to ${guess}:${name}`, node as ScalarNode, `${guess}:${name}`)
          : undefined;
      this.report(
        node,
        `Unknown service prefix "${service}" in action "${value}"${via}${guess ? `: did you mean "${guess}"?` : '.'} ${consequence} ${source}.`,
        [fix],
        severity,
      );
      return;
    }
    const serviceName = cat.serviceName(service) ?? service;
    if (/[*?]/.test(name)) {
      if (!cat.matchActions(service, name).length)
        this.report(
          node,
          `Action "${value}"${via} matches no ${serviceName} action: ${consequence} ${source}.`,
          [],
          severity,
        );
      return;
    }
    if (cat.action(service, name)) return;
    const guess = cat.nearestAction(service, name);
    this.report(
      node,
      `Unknown action "${value}"${via}: ${serviceName} has no action "${name}"${guess ? `. Did you mean "${service}:${guess}"?` : '.'} ${consequence} ${source}.`,
      [
        guess && fixable
          ? this.replaceFix(`Change to ${service}:${guess}`, node as ScalarNode, `${service}:${guess}`)
          : undefined,
      ],
      severity,
    );
  }

  private principal(entry: Entry): void {
    const value = entry.value;
    if (this.policy.embedded?.unknown.has(value)) return;
    if (value.kind === 'scalar') {
      const text = literalString(this.policy, value);
      if (text !== undefined && text !== '*')
        this.report(
          value,
          `${entry.key.value} must be "*" or an object such as {"AWS": "${text}"}: a plain string other than "*" is rejected.`,
        );
      return;
    }
    if (value.kind !== 'map') {
      this.report(
        value,
        `${entry.key.value} must be "*" or an object with AWS, Service, Federated or CanonicalUser.`,
      );
      return;
    }
    if (
      value.entries.length === 1 &&
      this.doc.format === 'cfn' &&
      /^(Ref|Fn::)/.test(value.entries[0]!.key.value)
    )
      return;
    const present = new Set(value.entries.map((e) => e.key.value));
    for (const typeEntry of value.entries) {
      const type = typeEntry.key.value;
      if (!(PRINCIPAL_TYPES as readonly string[]).includes(type)) {
        this.unknownElement(
          typeEntry,
          PRINCIPAL_TYPES,
          present,
          'principal type',
          'Principal types are AWS, Service, Federated and CanonicalUser',
        );
        continue;
      }
      for (const item of valueItems(this.doc, this.policy, typeEntry.value)) {
        for (const p of item.possibilities) {
          if (typeof p.value !== 'string') continue;
          const problem = principalProblem(type, p.value);
          if (problem) this.report(item.node, `${problem}${p.via.length ? ` (${describeVia(p.via)})` : ''}`);
        }
      }
    }
  }

  private arn(item: ValueItem): void {
    for (const p of item.possibilities) {
      if (typeof p.value !== 'string') continue;
      const value = p.value;
      if (value === '*' || value.includes('${')) continue;
      const via = p.via.length ? ` (${describeVia(p.via)})` : '';
      if (value.startsWith('execute-api:/')) {
        // API Gateway's short form, expanded to the API's ARN when the policy is saved.
        if (!isApiGatewayPolicy(this.policy))
          this.report(
            item.node,
            `Resource "${value}"${via} is API Gateway's short form, which only a REST API's resource policy accepts: elsewhere write the ARN, arn:aws:execute-api:region:account:api-id/stage/METHOD/path.`,
          );
        continue;
      }
      if (!value.startsWith('arn:')) {
        this.report(
          item.node,
          `Resource "${value}"${via} is not an ARN: write "arn:partition:service:region:account:resource", or "*".`,
        );
        continue;
      }
      const parts = value.split(':');
      // A `*` that ends a segment also matches across the colons after it (arn:aws:logs:*).
      const spans = parts.slice(2).some((segment) => segment.endsWith('*'));
      if ((parts.length < 6 && !spans) || !parts[1] || !parts[2])
        this.report(
          item.node,
          `Malformed ARN "${value}"${via}: an ARN has six parts, "arn:partition:service:region:account:resource" (region and account may be empty, as in arn:aws:s3:::bucket).`,
        );
    }
  }

  private condition(entry: Entry): void {
    const condition = entry.value;
    if (condition.kind !== 'map') {
      if (
        !this.policy.embedded?.unknown.has(condition) &&
        !(condition.kind === 'scalar' && condition.value === null)
      )
        this.report(condition, 'Condition must be an object: {"Operator": {"key": value}}.');
      return;
    }
    if (
      condition.entries.length === 1 &&
      this.doc.format === 'cfn' &&
      /^(Ref|Fn::)/.test(condition.entries[0]!.key.value)
    )
      return;
    const cat = catalog();
    for (const operatorEntry of condition.entries) {
      const text = operatorEntry.key.value;
      const operator = parseOperator(text);
      if (!operator) {
        const found = nearestOperator(text);
        const guess = found && !condition.entries.some((e) => e.key.value === found) ? found : undefined;
        this.report(
          operatorEntry.key,
          `Unknown condition operator "${text}"${guess ? `: did you mean "${guess}"?` : '.'} IAM rejects the policy.`,
          [guess ? this.replaceFix(`Change operator to ${guess}`, operatorEntry.key, guess) : undefined],
        );
      }
      const block = operatorEntry.value;
      if (block.kind !== 'map') {
        if (!this.policy.embedded?.unknown.has(block))
          this.report(
            block,
            `${text} must map condition keys to values: {"${text}": {"aws:SourceVpce": "vpce-1a2b3c4d"}}.`,
          );
        continue;
      }
      for (const keyEntry of block.entries) {
        const key = keyEntry.key.value;
        const info = cat.conditionKey(key);
        if (!info) {
          if (key.toLowerCase().startsWith('aws:')) {
            const found = nearest(
              key,
              cat.globalKeys().filter((k) => !/[$<]|tag-key/.test(k)),
            );
            const guess =
              found && !block.entries.some((e) => e.key.value.toLowerCase() === found.toLowerCase())
                ? found
                : undefined;
            this.report(
              keyEntry.key,
              `Unknown global condition key "${key}"${guess ? `: did you mean "${guess}"?` : '.'} A key that is never in the request makes the condition never match (or, with ...IfExists, always match).`,
              [guess ? this.replaceFix(`Change key to ${guess}`, keyEntry.key, guess) : undefined],
            );
          }
          continue;
        }
        // A string operator on an IP key is network-condition-ineffective's finding (with its fix):
        // one problem, one diagnostic.
        if (operator && !compatible(operator.family, info.type) && info.type !== 'IPAddress')
          this.report(
            keyEntry.key,
            `${spell(operator)} cannot compare ${info.key}, which is of type ${info.type}: the condition never matches as intended. Use ${familyFor(info.type)} operators.`,
          );
        if (operator?.family === 'Ip') {
          for (const item of valueItems(this.doc, this.policy, keyEntry.value))
            for (const p of item.possibilities)
              if (typeof p.value === 'string' && !p.value.includes('${') && !parseCidr(p.value))
                this.report(
                  item.node,
                  `"${p.value}" is not an IP address or CIDR range, so ${spell(operator)} cannot match it.`,
                );
        }
      }
    }
  }
}

function nearestOperator(text: string): string | undefined {
  const colon = text.indexOf(':');
  let prefix = '';
  let rest = text;
  if (colon >= 0) {
    const set = nearest(text.slice(0, colon), ['ForAllValues', 'ForAnyValue']);
    if (!set) return undefined;
    prefix = `${set}:`;
    rest = text.slice(colon + 1);
  }
  const exact = allOperators().find((o) => o.toLowerCase() === rest.toLowerCase());
  const guess = exact ?? nearest(rest, allOperators());
  if (!guess) return undefined;
  const result = prefix + guess;
  return parseOperator(result) && result !== text ? result : undefined;
}

function principalProblem(type: string, value: string): string | undefined {
  if (value === '*' || value.includes('${')) return undefined;
  switch (type) {
    case 'AWS':
      if (/^\d{12}$/.test(value)) return undefined;
      if (/^arn:aws[a-z-]*:(iam|sts)::(\d{12}|aws)?:.+/.test(value)) return undefined;
      // A legacy CloudFront origin access identity, as AWS documents it for bucket policies.
      if (/^arn:aws[a-z-]*:iam::cloudfront:user\/CloudFront Origin Access Identity [A-Z0-9]+$/.test(value))
        return undefined;
      if (value.startsWith('arn:'))
        return `AWS principal "${value}" is not an IAM or STS ARN such as arn:aws:iam::123456789012:root or arn:aws:iam::123456789012:role/name.`;
      return `AWS principal "${value}" must be "*", a 12-digit account id or an IAM ARN.`;
    case 'Service':
      if (/^[a-z0-9][a-z0-9.-]*\.[a-z0-9.-]+$/.test(value)) return undefined;
      return `Service principal "${value}" is not a service name such as lambda.amazonaws.com.`;
    case 'CanonicalUser':
      return /^[0-9a-f]{64}$/i.test(value)
        ? undefined
        : `CanonicalUser "${value}" is not a 64-character canonical user id.`;
    default:
      return undefined;
  }
}
