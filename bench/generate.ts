// Benchmark inputs derived from the three CloudFormation YAML templates:
//   - CloudFormation JSON: the same template, short tags written in long form.
//   - Terraform JSON: the same resources (VPC, subnets, security groups, load balancers,
//     target groups, listeners, instances) as aws_* resources, at a similar size.
//   - A directory of 1,000 templates (small and medium-size variants in all three formats).
// Deterministic: the same input gives the same files.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseYaml } from '../server/src/parse/yaml';
import { toPlain } from '../server/src/parse/tree';
import { toHcl } from '../scripts/tfjson-to-hcl.mjs';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonMap = { [key: string]: Json };

function plain(value: unknown): Json {
  // toPlain builds prototype-less maps; copy into ordinary objects so JSON.stringify and
  // property access behave as usual.
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    const out: JsonMap = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v);
    return out;
  }
  return value as Json;
}

/** CloudFormation YAML -> CloudFormation JSON value (long-form intrinsics). */
export function cfnYamlToValue(yamlText: string): JsonMap {
  const parsed = parseYaml(yamlText);
  if (parsed.problems.length) throw new Error(`template does not parse: ${parsed.problems[0]!.message}`);
  const value = plain(toPlain(parsed.root));
  return longGetAtt(value) as JsonMap;
}

/** `!GetAtt A.B` is a string in the short form; JSON templates write ["A", "B"]. */
function longGetAtt(value: Json): Json {
  if (Array.isArray(value)) return value.map(longGetAtt);
  if (value !== null && typeof value === 'object') {
    const out: JsonMap = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Fn::GetAtt' && typeof v === 'string' && v.includes('.')) {
        const dot = v.indexOf('.');
        out[k] = [v.slice(0, dot), v.slice(dot + 1)];
      } else out[k] = longGetAtt(v);
    }
    return out;
  }
  return value;
}

export function cfnYamlToJson(yamlText: string): string {
  return JSON.stringify(cfnYamlToValue(yamlText), null, 2) + '\n';
}

function snake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

const TF_TYPES: Record<string, string> = {
  'AWS::EC2::VPC': 'aws_vpc',
  'AWS::EC2::Subnet': 'aws_subnet',
  'AWS::EC2::SecurityGroup': 'aws_security_group',
  'AWS::EC2::Instance': 'aws_instance',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'aws_lb',
  'AWS::ElasticLoadBalancingV2::TargetGroup': 'aws_lb_target_group',
  'AWS::ElasticLoadBalancingV2::Listener': 'aws_lb_listener',
};

/** Attribute a `Ref` to a resource of this type stands for in Terraform. */
const REF_ATTRIBUTE: Record<string, string> = {
  aws_lb: 'arn',
  aws_lb_target_group: 'arn',
  aws_lb_listener: 'arn',
};

/**
 * CloudFormation template value -> Terraform JSON text: every resource of a known type becomes
 * the matching aws_* resource, references become `${type.name.attr}` interpolations, template
 * parameters become variables.
 */
export function cfnToTerraformJson(template: JsonMap): string {
  const resources = (template.Resources ?? {}) as JsonMap;
  const addresses = new Map<string, string>();
  for (const [id, body] of Object.entries(resources)) {
    const type = TF_TYPES[String((body as JsonMap).Type)];
    if (type) addresses.set(id, `${type}.${snake(id)}`);
  }
  const ref = (value: Json, attribute?: string): Json => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      if (typeof value.Ref === 'string') {
        const address = addresses.get(value.Ref);
        if (address) {
          const type = address.slice(0, address.indexOf('.'));
          return `\${${address}.${attribute ?? REF_ATTRIBUTE[type] ?? 'id'}}`;
        }
        return `\${var.${snake(value.Ref)}}`;
      }
      const getAtt = value['Fn::GetAtt'];
      if (Array.isArray(getAtt)) {
        const address = addresses.get(String(getAtt[0]));
        return address ? `\${${address}.${snake(String(getAtt[1]))}}` : null;
      }
      if (value['Fn::Select']) return '${data.aws_availability_zones.available.names[0]}';
      return null;
    }
    return value;
  };
  const refs = (value: Json | undefined): Json[] => (Array.isArray(value) ? value.map((v) => ref(v)) : []);
  const out: Record<string, JsonMap> = {};
  for (const [id, body] of Object.entries(resources)) {
    const type = TF_TYPES[String((body as JsonMap).Type)];
    if (!type) continue;
    const p = ((body as JsonMap).Properties ?? {}) as JsonMap;
    let tf: JsonMap;
    switch (type) {
      case 'aws_vpc':
        tf = { cidr_block: ref(p.CidrBlock ?? null), enable_dns_support: true, tags: { Name: id } };
        break;
      case 'aws_subnet':
        tf = {
          vpc_id: ref(p.VpcId ?? null),
          cidr_block: ref(p.CidrBlock ?? null),
          availability_zone: ref(p.AvailabilityZone ?? null),
          tags: { Name: id },
        };
        break;
      case 'aws_security_group': {
        const rule = (r: Json): JsonMap => {
          const m = r as JsonMap;
          return {
            description:
              (m.Description as string | undefined) ?? `${String(m.IpProtocol)} ${String(m.FromPort)}`,
            from_port: m.FromPort ?? 0,
            to_port: m.ToPort ?? 0,
            protocol: m.IpProtocol ?? '-1',
            cidr_blocks: m.CidrIp ? [ref(m.CidrIp)] : [],
            ipv6_cidr_blocks: m.CidrIpv6 ? [ref(m.CidrIpv6)] : [],
            prefix_list_ids: [],
            security_groups: [],
            self: false,
          };
        };
        tf = {
          name: snake(id),
          description: p.GroupDescription ?? id,
          vpc_id: ref(p.VpcId ?? null),
          ingress: Array.isArray(p.SecurityGroupIngress) ? p.SecurityGroupIngress.map(rule) : [],
          egress: Array.isArray(p.SecurityGroupEgress) ? p.SecurityGroupEgress.map(rule) : [],
          tags: { Name: id },
        };
        break;
      }
      case 'aws_lb':
        tf = {
          name: snake(id).replace(/_/g, '-'),
          internal: p.Scheme === 'internal',
          load_balancer_type: 'application',
          subnets: refs(p.Subnets),
          security_groups: refs(p.SecurityGroups),
        };
        break;
      case 'aws_lb_target_group':
        tf = { port: p.Port ?? 80, protocol: p.Protocol ?? 'HTTP', vpc_id: ref(p.VpcId ?? null) };
        break;
      case 'aws_lb_listener':
        tf = {
          load_balancer_arn: ref(p.LoadBalancerArn ?? null),
          port: p.Port ?? 80,
          protocol: p.Protocol ?? 'HTTP',
          default_action: (Array.isArray(p.DefaultActions) ? p.DefaultActions : []).map((a) => ({
            type: (a as JsonMap).Type ?? 'forward',
            target_group_arn: ref((a as JsonMap).TargetGroupArn ?? null),
          })),
        };
        break;
      default:
        tf = {
          ami: ref(p.ImageId ?? 'ami-12345678'),
          instance_type: ref(p.InstanceType ?? 't3.micro'),
          subnet_id: ref(p.SubnetId ?? null),
          vpc_security_group_ids: refs(p.SecurityGroupIds),
        };
    }
    (out[type] ??= {})[snake(id)] = tf;
  }
  const variables: JsonMap = {};
  for (const [name, spec] of Object.entries((template.Parameters ?? {}) as JsonMap)) {
    const s = spec as JsonMap;
    variables[snake(name)] = { type: 'string', ...(s.Default !== undefined ? { default: s.Default } : {}) };
  }
  const doc: JsonMap = {
    terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '~> 5.0' } } },
    provider: { aws: { region: 'us-east-1' } },
    data: { aws_availability_zones: { available: { state: 'available' } } },
    ...(Object.keys(variables).length ? { variable: variables } : {}),
    resource: out,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** A small template in the shape of small.yaml, with its own names and a few variations. */
export function smallVariant(base: string, n: number): string {
  const ports = [22, 3389, 443, 8080, 5432, 80];
  const port = ports[n % ports.length]!;
  const cidr = n % 3 === 0 ? '10.1.0.0/16' : '0.0.0.0/0';
  return base
    .replace(/WebSg\b/g, `WebSg${n}`)
    .replace(/\bAlb\b/g, `Alb${n}`)
    .replace(
      /FromPort: 22\n(\s+)ToPort: 22\n(\s+)CidrIp: 0\.0\.0\.0\/0/,
      `FromPort: ${port}\n$1ToPort: ${port}\n$2CidrIp: ${cidr}`,
    )
    .replace('web and ssh', `web and ssh ${n}`);
}

/** A medium-size variant: the first `resources` resources of medium.yaml (plus the header). */
export function mediumVariant(medium: string, blocks: number): string {
  const lines = medium.split('\n');
  // Cut after `blocks` security-group blocks (each block is 5 resources, 45 lines).
  const cut = lines.findIndex((l, i) => i > 20 && l === `  WebSg${blocks + 1}:`);
  const body = cut > 0 ? lines.slice(0, cut).join('\n') + '\n' : medium;
  return body + 'Outputs:\n  AlbDns:\n    Value: !GetAtt Alb1.DNSName\n';
}

/** Top-level blocks dealt round-robin into `count` files. */
export function splitModule(hcl: string, count: number): string[] {
  const cuts = [...hcl.matchAll(/^(resource|data|variable|locals|output|module|provider|terraform)\b/gm)].map(
    (m) => m.index,
  );
  const parts: string[][] = Array.from({ length: count }, () => []);
  cuts.forEach((start, i) => parts[i % count]!.push(hcl.slice(start, cuts[i + 1] ?? hcl.length)));
  return parts.map((blocks) => blocks.join(''));
}

export interface GeneratedSet {
  /** name -> path, e.g. 'large.json' */
  files: Record<string, string>;
  /** The directory of 1,000 templates. */
  dir: string;
  dirCount: number;
}

/** Writes the JSON and Terraform JSON equivalents and the directory of 1,000 templates. */
export function generate(sources: Record<string, string>, outDir: string, count = 1000): GeneratedSet {
  mkdirSync(outDir, { recursive: true });
  const files: Record<string, string> = {};
  for (const [name, text] of Object.entries(sources)) {
    const yamlPath = path.join(outDir, `${name}.yaml`);
    writeFileSync(yamlPath, text);
    files[`${name}.yaml`] = yamlPath;
    const value = cfnYamlToValue(text);
    const jsonPath = path.join(outDir, `${name}.json`);
    writeFileSync(jsonPath, JSON.stringify(value, null, 2) + '\n');
    files[`${name}.json`] = jsonPath;
    // Each Terraform file in a folder of its own: a folder is a module, and these are separate
    // configurations (the same resources in each), not one module.
    mkdirSync(path.join(outDir, `${name}-tf-json`), { recursive: true });
    mkdirSync(path.join(outDir, `${name}-tf`), { recursive: true });
    const tfPath = path.join(outDir, `${name}-tf-json`, `${name}.tf.json`);
    writeFileSync(tfPath, cfnToTerraformJson(value));
    files[`${name}.tf.json`] = tfPath;
    const hclPath = path.join(outDir, `${name}-tf`, `${name}.tf`);
    const hcl = toHcl(JSON.parse(cfnToTerraformJson(value)));
    writeFileSync(hclPath, hcl);
    files[`${name}.tf`] = hclPath;
    // The same configuration as a module split over many files (50 for medium, 500 for large).
    const parts = name === 'medium' ? 50 : name === 'large' ? 500 : 0;
    if (parts) {
      const moduleDir = path.join(outDir, `${name}-module${parts}`);
      mkdirSync(moduleDir, { recursive: true });
      splitModule(hcl, parts).forEach((part, i) =>
        writeFileSync(path.join(moduleDir, `part-${String(i).padStart(3, '0')}.tf`), part),
      );
      files[`${name}-module${parts}.tf`] = path.join(moduleDir, 'part-000.tf');
    }
  }
  const dir = path.join(outDir, 'many');
  mkdirSync(dir, { recursive: true });
  const small = sources.small!;
  const medium = sources.medium!;
  for (let i = 0; i < count; i++) {
    // Four in five small, one in five medium-size (100 to 500 lines); a quarter each YAML, JSON,
    // Terraform JSON and HCL.
    const yamlText = i % 5 === 4 ? mediumVariant(medium, 2 + ((i * 7) % 10)) : smallVariant(small, i);
    const sub = path.join(dir, `team${i % 10}`);
    mkdirSync(sub, { recursive: true });
    const stem = `stack-${String(i).padStart(4, '0')}`;
    switch (i % 4) {
      case 0:
        writeFileSync(path.join(sub, `${stem}.yaml`), yamlText);
        break;
      case 1:
        writeFileSync(path.join(sub, `${stem}.json`), cfnYamlToJson(yamlText));
        break;
      // A Terraform stack is a folder (a module) of its own, as in real repositories.
      case 2:
        mkdirSync(path.join(sub, stem), { recursive: true });
        writeFileSync(path.join(sub, stem, 'main.tf.json'), cfnToTerraformJson(cfnYamlToValue(yamlText)));
        break;
      default:
        mkdirSync(path.join(sub, stem), { recursive: true });
        writeFileSync(
          path.join(sub, stem, 'main.tf'),
          toHcl(JSON.parse(cfnToTerraformJson(cfnYamlToValue(yamlText)))),
        );
    }
  }
  return { files, dir, dirCount: count };
}
