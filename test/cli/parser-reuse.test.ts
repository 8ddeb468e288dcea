// The CLI parses the `.tf` files a thread checks with one HCL parser (cli/check.ts), which reuses
// the top-level blocks of the previous file written alike. A reused block must be reported at its
// place in the new file, exactly as when the file is parsed afresh.

import { describe, expect, it } from 'vitest';
import { checkText } from '../../server/src/cli/check';
import { defaultSettings } from '../../server/src/engine/settings';

const SSH = `resource "aws_security_group" "ssh" {
  name = "ssh"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;

const FIRST = `${SSH}`;
// The same block after another one: 8 lines further down, at another offset.
const SECOND = `resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}

${SSH}`;
const UNRELATED = `variable "x" {
  default = "y"
}
`;

describe('one HCL parser for the files of a thread', () => {
  it('reports a block reused from the previous file where it is in the next one', () => {
    const settings = defaultSettings();
    const check = (name: string, text: string) => checkText(name, `/project/${name}/main.tf`, text, settings);
    check('a', FIRST);
    const reused = check('b', SECOND);
    check('c', UNRELATED);
    const fresh = check('b', SECOND);
    expect(reused).toEqual(fresh);
    const ssh = reused.findings.filter((f) => f.rule === 'ssh-open-to-internet');
    expect(ssh.map((f) => [f.line, f.column, f.endLine, f.endColumn, f.lineText])).toEqual([
      [15, 20, 15, 31, '    cidr_blocks = ["0.0.0.0/0"]'],
    ]);
  });
});
