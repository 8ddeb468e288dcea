#!/usr/bin/env node
'use strict';
/* global require */
// The command-line program: iac-netsec check [paths...]
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../dist/cli.js');
