/**
 * Starts a throw-away code-server (the real VS Code workbench and extension host) bound to
 * loopback, with its own user-data and extensions folders so runs never share state.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeServerEntry, node24Binary, repoRoot } from './prerequisites';

/**
 * How the workbench gets Layer Lens.
 * - `'payload'` (the tests): the page names it as the extension under development in the URL's
 *   payload (see `workbenchUrl`), which a built workbench honours only with code-server's
 *   `enable-smoke-test-driver` option; that driver also lets a test module report its exit code,
 *   and it keeps notifications from showing as toasts (they go only to the Notification Center).
 * - `'installed'` (`npm start`): the VS Code a person gets, without that driver. This repository is
 *   linked into the session's extensions folder, where code-server finds it as an installed
 *   extension (and reads `dist/` from the repository, so a window reload picks up a rebuild).
 */
export type ExtensionLoading = 'payload' | 'installed';

export interface CodeServer {
  readonly port: number;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly extensionLoading: ExtensionLoading;
  /** Everything code-server printed, for failure reports. */
  readonly log: () => string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  /** User settings (settings.json) for the session, e.g. the colour theme. */
  readonly settings?: Record<string, unknown>;
  /** User keybindings (keybindings.json): the end-to-end tests run commands with arguments through them. */
  readonly keybindings?: readonly unknown[];
  /** Bind to this port instead of a free one (for `npm start`, where the URL is printed). */
  readonly port?: number;
  /** `'payload'` unless given: see `ExtensionLoading`. */
  readonly extensionLoading?: ExtensionLoading;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Settings that keep a test workbench quiet and deterministic. */
const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.enabled': false,
};

/**
 * Links this repository into `extensionsDir` under the folder name an installed copy would have
 * (`publisher.name-version`); code-server lists it in the folder's `extensions.json` at start.
 */
async function linkAsInstalled(extensionsDir: string): Promise<void> {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  await mkdir(extensionsDir, { recursive: true });
  await symlink(repoRoot, join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`), 'dir');
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const extensionLoading = options.extensionLoading ?? 'payload';
  const home = await mkdtemp(join(tmpdir(), 'layer-lens-code-server-'));
  const userDataDir = join(home, 'user-data');
  const extensionsDir = join(home, 'extensions');
  await mkdir(join(userDataDir, 'User'), { recursive: true });
  await writeFile(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...quietSettings, ...options.settings }, null, 2));
  if (options.keybindings) await writeFile(join(userDataDir, 'User', 'keybindings.json'), JSON.stringify(options.keybindings, null, 2));
  await writeFile(join(home, 'config.yaml'), 'auth: none\n');
  if (extensionLoading === 'installed') await linkAsInstalled(extensionsDir);
  const port = options.port ?? (await freePort());

  const args = [
    codeServerEntry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--config', join(home, 'config.yaml'),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    // Without this a built workbench ignores the extension-development payload the tests pass.
    ...(extensionLoading === 'payload' ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  let output = '';
  const child: ChildProcess = spawn(node24Binary, args, {
    env: { ...process.env, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start within 60 s. Its output:\n${output}`)), 60_000);
    const onData = () => {
      if (output.includes('HTTP server listening')) {
        clearTimeout(timer);
        resolveReady();
      }
    };
    child.stdout?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code} before it was ready. Its output:\n${output}`));
    });
  });

  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    extensionLoading,
    log: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((done) => setTimeout(done, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await rm(home, { recursive: true, force: true });
    },
  };
}
