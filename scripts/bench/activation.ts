/**
 * Layer Lens's activation time as VS Code itself measures it: "Developer: Show Running Extensions"
 * in the real workbench (code-server in Debian's Chromium), which shows, for each extension, the
 * time to load its code and run its `activate`. Activation comes from opening a Python file (the
 * `onLanguage:python` event); the window is reloaded between samples, so each is a fresh
 * extension host loading the development build (`npm run build`: unminified, with source maps;
 * the packaged extension is minified).
 */
import type { Page } from 'playwright-core';
import { openFile, runCommand } from '../../test/e2e/driver';
import { summary, type PanelFigure } from './panel';
import { inBenchWorkbench } from './workbench';

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

export function activationFigures(): Promise<PanelFigure[]> {
  return inBenchWorkbench({}, async (page) => {
    const times: number[] = [];
    for (let k = 0; k <= SAMPLES; k++) {
      const ms = await activationMs(page);
      if (k > 0) times.push(ms); // the first load also fills the browser's caches
      // A new workbench page: a new extension host, Layer Lens not yet active.
      await page.reload();
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    }
    return [summary('activation (code loading and activate), as Show Running Extensions reports it', times)];
  });
}
