/**
 * Layer Lens's activation time as VS Code itself measures it: "Developer: Show Running Extensions"
 * in the real workbench (code-server in Debian's Chromium), which shows, for each extension, the
 * time to load its code and run its `activate`. Activation comes from opening a Python file (the
 * `onLanguage:python` event); the window is reloaded between samples, so each is a fresh
 * extension host loading the development build (`npm run build`: unminified, with source maps;
 * the packaged extension is minified).
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openFile, runCommand } from '../../test/e2e/driver';
import { startCodeServer } from '../../test/harness/codeServer';
import { ensureCodeServer, repoRoot } from '../../test/harness/prerequisites';
import { launchBrowser, openWorkbench } from '../../test/harness/workbench';
import type { PanelFigure } from './panel';

const SAMPLES = 5;

/** Opens a Python file, then reads Layer Lens's "Activation: N ms" from the Running Extensions editor. */
async function activationMs(page: Page): Promise<number> {
  await openFile(page, 'textbook.py');
  // The CodeLens appears once the extension has activated and answered.
  await page.locator('.contentWidgets .codelens-decoration, .codelens-decoration').first().waitFor({ timeout: 60_000 });
  await runCommand(page, 'Developer: Show Running Extensions');
  const row = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'layer-lens' });
  await row.first().waitFor({ timeout: 30_000 });
  const text = await row.first().innerText();
  const match = /Activation:\s*(\d+)\s*ms/.exec(text);
  if (!match) throw new Error(`no activation time in the Running Extensions row: ${text}`);
  return Number(match[1]);
}

export async function activationFigures(): Promise<PanelFigure[]> {
  await ensureCodeServer();
  const folder = join(await mkdtemp(join(tmpdir(), 'layer-lens-bench-')), 'samples');
  await cp(join(repoRoot, 'samples'), folder, { recursive: true });
  const server = await startCodeServer();
  const browser = await launchBrowser();
  try {
    const { page, context } = await openWorkbench(browser, server, { folder });
    const times: number[] = [];
    for (let k = 0; k <= SAMPLES; k++) {
      const ms = await activationMs(page);
      if (k > 0) times.push(ms); // the first load also fills the browser's caches
      // A new workbench page: a new extension host, Layer Lens not yet active.
      await page.reload();
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    }
    await context.close();
    const sorted = [...times].sort((a, b) => a - b);
    return [
      {
        name: 'activation (code loading and activate), as Show Running Extensions reports it',
        medianMs: sorted[Math.floor(sorted.length / 2)] as number,
        maxMs: sorted[sorted.length - 1] as number,
        samples: sorted.length,
      },
    ];
  } finally {
    await browser.close();
    await server.stop();
    await rm(folder, { recursive: true, force: true });
  }
}
