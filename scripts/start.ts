/**
 * `npm start [-- FOLDER] [--code-server] [--port=N]` (run after the build by scripts/start.mjs):
 * opens a VS Code with Layer Lens loaded on FOLDER (`samples/` unless given). The desktop `code`
 * when it is on PATH; otherwise the cached code-server on 127.0.0.1, whose URL is printed (Ctrl+C
 * stops it). code-server runs as a person's VS Code (no smoke-test driver, so notifications pop
 * up as toasts), with this repository as an installed extension.
 */
import { spawn, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startCodeServer } from '../test/harness/codeServer';
import { ensureCodeServer, MissingPrerequisite, repoRoot } from '../test/harness/prerequisites';
import { workbenchUrl } from '../test/harness/workbench';

function desktopCode(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path ? path : undefined;
}

/**
 * The folder to open: the first argument that is not an option, relative to the directory `npm
 * start` was typed in (npm runs scripts from the package root and says where it was called from in
 * INIT_CWD); `samples/` without one.
 */
function folderToOpen(args: readonly string[]): string {
  const given = args.find((a) => !a.startsWith('--'));
  if (given === undefined) return join(repoRoot, 'samples');
  const folder = resolve(process.env.INIT_CWD ?? process.cwd(), given);
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    // Reported below.
  }
  if (!isFolder) throw new MissingPrerequisite(`${folder} is not a folder: \`npm start -- FOLDER\` opens an existing folder (samples/ when none is given).`);
  return folder;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const folder = folderToOpen(args);
  const code = desktopCode();
  if (code && !args.includes('--code-server')) {
    console.log(`[start] Opening ${folder} in ${code} with Layer Lens under development…`);
    spawn(code, [`--extensionDevelopmentPath=${repoRoot}`, folder], { stdio: 'inherit', detached: true }).unref();
    return;
  }
  await ensureCodeServer();
  const portArgument = args.find((a) => a.startsWith('--port='));
  const port = Number(portArgument?.slice('--port='.length) ?? process.env.PORT ?? 0) || undefined;
  console.log('[start] Starting code-server with Layer Lens installed from this repository…');
  const server = await startCodeServer({ port, extensionLoading: 'installed' });
  const url = workbenchUrl(server, { folder });
  console.log(`\nLayer Lens is loaded in VS Code (code-server), on ${folder}, at:\n\n  ${url}\n\nOpen it in a browser on this machine. Ctrl+C stops the server.`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof MissingPrerequisite ? `[start] ${error.message}` : error);
  process.exit(1);
});
