/**
 * A folder of development extensions: symlinks to Layer Lens and to test-only companions (the
 * `debugpy` debug type of test/fixtures/debugpy-extension). VS Code loads every extension in a
 * folder without a package.json given as the one `extensionDevelopmentPath`; a second
 * `extensionDevelopmentPath` entry in the payload would replace the first (the workbench reads the
 * payload into a Map), so this is how two development extensions load side by side.
 */
import { mkdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheDir, repoRoot } from './prerequisites';

/** The test-only extensions the integration suites load beside Layer Lens. */
export const COMPANION_EXTENSIONS = [join(repoRoot, 'test', 'fixtures', 'debugpy-extension')];

/** Makes (afresh) a folder holding Layer Lens and `companions`, and returns its path. */
export async function extensionsFolder(companions: readonly string[] = COMPANION_EXTENSIONS): Promise<string> {
  const folder = join(cacheDir, 'development-extensions');
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  await symlink(repoRoot, join(folder, 'layer-lens'), 'dir');
  for (const [index, companion] of companions.entries()) await symlink(companion, join(folder, `companion-${index}`), 'dir');
  return folder;
}
