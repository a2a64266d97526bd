/**
 * `npm start`: opens a VS Code with Layer Lens loaded on `samples/`. The desktop `code` when it is on
 * PATH; otherwise the cached code-server on 127.0.0.1, whose URL is printed (Ctrl+C stops it).
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startCodeServer } from '../test/harness/codeServer';
import { ensureCodeServer, MissingPrerequisite, repoRoot } from '../test/harness/prerequisites';
import { workbenchUrl } from '../test/harness/workbench';

const samples = join(repoRoot, 'samples');

function desktopCode(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  return found.status === 0 && path ? path : undefined;
}

async function main(): Promise<void> {
  const code = desktopCode();
  if (code && !process.argv.includes('--code-server')) {
    console.log(`Opening ${samples} in ${code} with Layer Lens under development…`);
    spawn(code, [`--extensionDevelopmentPath=${repoRoot}`, samples], { stdio: 'inherit', detached: true }).unref();
    return;
  }
  await ensureCodeServer();
  const portArgument = process.argv.find((a) => a.startsWith('--port='));
  const port = Number(portArgument?.slice('--port='.length) ?? process.env.PORT ?? 0) || undefined;
  const server = await startCodeServer({ port });
  const url = workbenchUrl(server, { folder: samples });
  console.log(`\nLayer Lens is loaded in VS Code (code-server) at:\n\n  ${url}\n\nOpen it in a browser on this machine. Ctrl+C stops the server.`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof MissingPrerequisite ? error.message : error);
  process.exit(1);
});
