/**
 * The libraries the benchmark compares Layer Lens with (tfjs-core with its CPU and WebAssembly
 * backends, onnxruntime-node) are a package of their own, `bench/` with its own lockfile, so the
 * root `npm install` never fetches them: onnxruntime-node alone is about 290 MB. `npm run bench`
 * and `npm run test:bench` install it into `bench/node_modules` on first use (`npm ci`, exactly the
 * lockfile's versions) and again whenever that lockfile changes; the peers load from there.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot, run, withoutNpmContext } from '../../../test/harness/prerequisites';

export const benchDir = join(repoRoot, 'bench');
/** Holds the hash of the lockfile the installed `node_modules` came from; written last. */
const installedMarker = join(benchDir, 'node_modules', '.layer-lens-installed');

function lockHash(): string {
  return createHash('sha256').update(readFileSync(join(benchDir, 'package-lock.json'))).digest('hex');
}

export function benchPackageInstalled(): boolean {
  return existsSync(installedMarker) && readFileSync(installedMarker, 'utf8') === lockHash();
}

/** Installs `bench/` unless its current lockfile is installed already. */
export async function ensureBenchPackage(): Promise<void> {
  if (benchPackageInstalled()) return;
  console.log('[bench] Installing the benchmark\'s peer libraries (tfjs-core, tfjs-backend-cpu, tfjs-backend-wasm, onnxruntime-node; about 360 MB) into bench/node_modules: first run only…');
  const started = Date.now();
  await run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: benchDir,
    // allowScripts in bench/package.json already denies onnxruntime-node's install script (it would
    // download CUDA providers from outside npm); the variable says the same to that script.
    env: { ...withoutNpmContext(process.env), ONNXRUNTIME_NODE_INSTALL: 'skip' },
  });
  await writeFile(installedMarker, lockHash());
  console.log(`[bench] Peer libraries installed in ${Math.round((Date.now() - started) / 1000)} s.`);
}

/** `require` as from `bench/`: the peer libraries resolve from `bench/node_modules`. */
export const benchRequire = createRequire(join(benchDir, 'package.json'));
