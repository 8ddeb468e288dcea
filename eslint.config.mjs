// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      '.e2e-cache/**',
      '.bench-results/**',
      'test-fixtures/**',
      'scratch/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Layering (ARCHITECTURE.md invariant 1): only server/src/lsp may talk to the connection,
    // only client/ may import vscode.
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/lsp/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'Only client/ may import vscode.' },
            {
              name: 'vscode-languageserver',
              message:
                'Only server/src/lsp may import vscode-languageserver; use vscode-languageserver-types.',
            },
            {
              name: 'vscode-languageserver/node',
              message: 'Only server/src/lsp may import vscode-languageserver.',
            },
          ],
        },
      ],
    },
  },
  {
    // Rules are pure: no IO (ARCHITECTURE.md invariant 6).
    files: [
      'server/src/rules/**/*.ts',
      'server/src/facts/**/*.ts',
      'server/src/model/**/*.ts',
      'server/src/resolve/**/*.ts',
    ],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'path', 'child_process', 'vscode*'] }],
    },
  },
);
