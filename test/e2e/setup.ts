/**
 * Mocha root hooks for the end-to-end suites: one code-server and one Chromium for the whole run,
 * a fresh workbench page per suite (see `openSamples`), and a screenshot of every failing test under
 * `test-results/e2e/failures/`.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startCodeServer, type CodeServer } from '../harness/codeServer';
import { E2E_KEYBINDINGS } from './keybindings';
import { extensionsFolder } from '../harness/extensionsFolder';
import { ensureCodeServer, MissingPrerequisite, repoRoot, resultsDir } from '../harness/prerequisites';
import { launchBrowser, openWorkbench, type Workbench } from '../harness/workbench';

export const e2eResults = join(resultsDir, 'e2e');

let server: CodeServer | undefined;
let browser: Browser | undefined;
let current: Workbench | undefined;

export interface SamplesOptions {
  /** Files to add to the copy, by name, with their text. */
  readonly extraFiles?: Readonly<Record<string, string>>;
  /** Run Layer Lens in the browser's extension host, as on vscode.dev. */
  readonly webExtensionHost?: boolean;
  /** Load the test-only extensions beside Layer Lens (the `debugpy` debug type; see harness/extensionsFolder.ts). */
  readonly companions?: boolean;
}

/**
 * Opens a new workbench on a fresh copy of `samples/` with Layer Lens loaded; the previous one is
 * closed. A copy, because tests type into the samples and the workbench saves what they type.
 */
export async function openSamples(options: SamplesOptions = {}): Promise<Workbench> {
  if (!server || !browser) throw new Error('the e2e root hooks did not start code-server');
  await current?.context.close();
  const folder = join(await mkdtemp(join(tmpdir(), 'layer-lens-e2e-')), 'samples');
  await cp(join(repoRoot, 'samples'), folder, { recursive: true });
  for (const [name, text] of Object.entries(options.extraFiles ?? {})) {
    await mkdir(dirname(join(folder, name)), { recursive: true });
    await writeFile(join(folder, name), text);
  }
  const extensionPath = options.companions ? await extensionsFolder() : undefined;
  current = await openWorkbench(browser, server, { folder, webExtensionHost: options.webExtensionHost, extensionPath });
  return current;
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(10 * 60_000); // The first run installs code-server.
    try {
      await ensureCodeServer();
    } catch (error) {
      if (error instanceof MissingPrerequisite) throw new Error(error.message);
      throw error;
    }
    await rm(e2eResults, { recursive: true, force: true });
    await mkdir(join(e2eResults, 'failures'), { recursive: true });
    server = await startCodeServer({ keybindings: E2E_KEYBINDINGS });
    browser = await launchBrowser();
  },
  async afterEach(this: Mocha.Context) {
    const test = this.currentTest;
    if (test?.state === 'failed' && current) {
      const name = test.fullTitle().replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      const path = join(e2eResults, 'failures', `${name}.png`);
      await current.page.screenshot({ path }).catch(() => undefined);
      console.error(`      screenshot of the failure: ${path}`);
    }
  },
  async afterAll() {
    await current?.context.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
  },
};
