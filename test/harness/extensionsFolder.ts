/**
 * A folder of development extensions: symlinks to Layer Lens and to test-only companions (the
 * `debugpy` debug type of test/fixtures/debugpy-extension). VS Code loads every extension in a
 * folder without a package.json given as the one `extensionDevelopmentPath`; a second
 * `extensionDevelopmentPath` entry in the payload would replace the first (the workbench reads the
 * payload into a Map), so this is how two development extensions load side by side.
 */
import { createHash } from 'node:crypto';
import { mkdir, readlink, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheDir, repoRoot } from './prerequisites';

/** The test-only extensions the integration suites load beside Layer Lens. */
export const COMPANION_EXTENSIONS = [join(repoRoot, 'test', 'fixtures', 'debugpy-extension')];

/**
 * The folder holding Layer Lens and `companions` (made on first use). Links already in place are
 * kept, so that an integration run and an end-to-end run started together share it safely. The
 * folder is named after the checkout, so git worktrees that share one `.cache/` (a symlink) each
 * get their own links.
 */
export async function extensionsFolder(companions: readonly string[] = COMPANION_EXTENSIONS): Promise<string> {
  const checkout = createHash('sha256').update(repoRoot).digest('hex').slice(0, 12);
  const folder = join(cacheDir, 'development-extensions', checkout);
  await mkdir(folder, { recursive: true });
  const links: [string, string][] = [['layer-lens', repoRoot], ...companions.map((companion, index): [string, string] => [`companion-${index}`, companion])];
  for (const [name, target] of links) {
    const path = join(folder, name);
    const existing = await readlink(path).catch(() => undefined);
    if (existing === target) continue;
    if (existing !== undefined) throw new Error(`${path} links to ${existing}, not ${target}: remove the folder ${folder}`);
    await symlink(target, path, 'dir').catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
  return folder;
}
