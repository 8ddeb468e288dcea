#!/usr/bin/env node
'use strict';
/* global require */
// The language server for any LSP editor: iac-netsec-server --stdio
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../dist/server.js');
