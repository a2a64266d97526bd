// Lint rules. The `no-restricted-imports` blocks keep the architecture honest alongside the
// per-part tsconfigs: the pure core never reaches for `vscode` or Node, the webview never for Node.
import tseslint from 'typescript-eslint';
import { noImportCycle } from './scripts/lint/importCycles.mjs';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'util', 'events', 'stream', 'url'];

export default tseslint.config(
  // src/core/engine/wasm/assembly is AssemblyScript (decorators on functions, i32/f64/v128), compiled by asc, which checks it.
  { ignores: ['dist/**', 'out/**', '.cache/**', 'node_modules/**', 'test-results/**', 'samples/**', 'src/core/engine/wasm/assembly/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    // No import circles in the extension and its pages (scripts/lint/importCycles.mjs).
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    plugins: { 'layer-lens': { rules: { 'no-import-cycle': noImportCycle } } },
    rules: { 'layer-lens/no-import-cycle': 'error' },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The pure core must not depend on VS Code: pass data in, return data out.' }],
        patterns: [{ group: nodeBuiltins, message: 'The pure core runs in the browser and web workers too: no Node modules.' }],
      }],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The command-line programs run in plain Node, outside VS Code.' }],
        patterns: [{ group: ['**/host/**', '**/webview/**'], message: 'The command-line programs reach the pure core only (src/core), as the extension host does.' }],
      }],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The webview talks to the host only through src/protocol messages.' }],
        patterns: [{ group: nodeBuiltins, message: 'The webview runs in a browser: no Node modules.' }],
      }],
    },
  },
);
