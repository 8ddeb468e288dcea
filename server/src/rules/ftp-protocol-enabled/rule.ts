import { viaEvidence } from '../../resolve/values';
import type { FixRecipe } from '../../fixes/recipe';
import { get } from '../../parse/tree';
import { resolveItems } from '../../resolve/values';
import { because, isOneOf } from '../../resolve/properties';
import { fixes } from '../../fixes/setProperty';
import { FTP_CONTROLS } from '../transport/controls';
import type { Rule } from '../types';
import docs from './rule.md?raw';

const TYPES = ['AWS::Transfer::Server', 'aws_transfer_server'];

export const ftpProtocolEnabled: Rule = {
  meta: {
    id: 'ftp-protocol-enabled',
    summary: 'A Transfer Family server accepts plain FTP',
    category: 'transport',
    severity: 'warning',
    formats: ['cfn', 'tf'],
    resourceTypes: TYPES,
    fixSafety: 'unsafe',
    references: {
      aws: [
        'https://docs.aws.amazon.com/transfer/latest/userguide/create-server-ftp.html',
        'https://docs.aws.amazon.com/securityhub/latest/userguide/transfer-controls.html#transfer-2',
      ],
      cwe: ['CWE-319'],
      checkov: ['CKV_AWS_164'],
      securityHub: ['Transfer.2'],
    },
  },
  docs,
  controls: FTP_CONTROLS,
  check({ doc, report }) {
    for (const resource of doc.resources) {
      if (!TYPES.includes(resource.type)) continue;
      const key = resource.type.startsWith('AWS::') ? 'Protocols' : 'protocols';
      const list = get(resource.properties, key);
      const entries = resolveItems(doc, list);
      for (const item of entries) {
        const ftp = item.possibilities.find((p) => isOneOf(p.value, 'FTP'));
        if (!ftp) continue;
        const others = entries.filter(
          (e) => e !== item && !e.possibilities.some((p) => isOneOf(p.value, 'FTP')),
        );
        const ownItem = list?.kind === 'seq' && list.items.includes(item.node);
        let fix: FixRecipe | undefined;
        if (ownItem && others.length && list?.kind === 'seq')
          fix = {
            title: 'Remove FTP from the protocols',
            safety: 'unsafe',
            ops: [{ op: 'removeItem', seq: list, item: item.node }],
          };
        else if (ownItem)
          fix = {
            title: 'Replace FTP with SFTP',
            safety: 'unsafe',
            ops: [{ op: 'replace', node: item.node, value: 'SFTP' }],
          };
        const conditional =
          ftp.via.some((v) => v.kind !== 'parameter-default') || item.possibilities.length > 1;
        report({
          span: item.node,
          resource,
          message: `Transfer Family server ${resource.id} ${conditional ? 'can accept' : 'accepts'} plain FTP${because(ftp.via)}: user names, passwords and files cross the network in cleartext. Use SFTP or FTPS instead.`,
          related: viaEvidence(ftp.via),
          fixes: fixes(doc, fix),
        });
      }
    }
  },
};
