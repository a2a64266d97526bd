#!/usr/bin/env node
// `npm start [-- FOLDER] [--code-server] [--port=N]`: builds Layer Lens, saying so and how long it
// took, then opens it in VS Code with out/scripts/start.js, which that build compiles from
// scripts/start.ts (so this step cannot be TypeScript itself).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

console.log('[start] Building Layer Lens (npm run build: type-check with tsc -b, then the bundles and tools with esbuild)…');
const started = Date.now();
const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('[start] The build failed (its messages are above); nothing was opened.');
  process.exit(build.status ?? 1);
}
console.log(`[start] Built in ${Math.round((Date.now() - started) / 1000)} s.`);

// Same process, same arguments: start.js reads process.argv.
await import(pathToFileURL(join(root, 'out/scripts/start.js')).href);
