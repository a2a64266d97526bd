/**
 * Layer Lens's activation time as VS Code itself measures it: "Developer: Show Running Extensions"
 * in the real workbench (code-server in Debian's Chromium). Its "Activation: N ms" is the extension
 * host's `codeLoadingTime + activateCallTime` (read in code-server 4.139.1's extension host and
 * runtime extensions editor, VS Code 1.139): from before the extension host looks up the extension's
 * translations (an `await`) to the end of the `require` of its `main` bundle, which includes VS
 * Code building that extension's `vscode` API object on its first `require('vscode')`; plus the
 * synchronous part of `activate`. Preparing the extension context runs alongside and is not in it.
 *
 * Activation comes from opening a Python file (the `onLanguage:python` event); the window is
 * reloaded between samples, so each is a fresh extension host loading the development build
 * (`npm run build`: unminified, with source maps; the packaged extension is minified). The same is
 * measured for an extension that does nothing but `require('vscode')` and return from `activate`:
 * the share of the figure that is VS Code's, whatever the extension.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { openFile, runCommand } from '../../test/e2e/driver';
import { summary, type PanelFigure } from './panel';
import { inBenchWorkbench } from './workbench';

const SAMPLES = 5;

/** Opens a Python file, waits for `ready`, then reads "Activation: N ms" of the extension whose Running Extensions row contains `rowText`. */
async function activationMs(page: Page, rowText: string, ready: (page: Page) => Promise<void>): Promise<number> {
  await openFile(page, 'textbook.py');
  await ready(page);
  await runCommand(page, 'Developer: Show Running Extensions');
  // "Activating..." until the extension host reports the times.
  const row = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: rowText }).filter({ hasText: /Activation:\s*\d+\s*ms/ });
  await findInList(page, row);
  const text = await row.first().innerText();
  const match = /Activation:\s*(\d+)\s*ms/.exec(text);
  if (!match) throw new Error(`no activation time in the Running Extensions row: ${text}`);
  return Number(match[1]);
}

/**
 * Scrolls the Running Extensions list (slowest first, and only the rows on screen exist) page by
 * page until `row` is among them.
 */
async function findInList(page: Page, row: Locator): Promise<void> {
  const list = page.locator('.runtime-extensions-editor .monaco-list').first();
  await list.waitFor({ timeout: 30_000 });
  await list.focus();
  const deadline = Date.now() + 30_000;
  for (;;) {
    await page.keyboard.press('Home');
    for (let pageDown = 0; pageDown < 6; pageDown++) {
      if ((await row.count()) > 0) return;
      await page.keyboard.press('PageDown');
    }
    if (Date.now() > deadline) throw new Error('the extension has no activation time in the Running Extensions list after 30 s');
    await page.waitForTimeout(250);
  }
}

async function samples(page: Page, rowText: string, ready: (page: Page) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let k = 0; k <= SAMPLES; k++) {
    const ms = await activationMs(page, rowText, ready);
    if (k > 0) times.push(ms); // the first load also fills the browser's caches
    // A new workbench page: a new extension host, the extension not yet active.
    await page.reload();
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  }
  return times;
}

/** An extension that activates on Python files as Layer Lens does, and does nothing. */
const EMPTY_EXTENSION = {
  'package.json': JSON.stringify({
    name: 'activation-floor',
    publisher: 'layer-lens-bench',
    version: '0.0.1',
    engines: { vscode: '^1.100.0' },
    activationEvents: ['onLanguage:python'],
    main: './extension.js',
  }),
  'extension.js': "require('vscode');\nexports.activate = function () {};\n",
};

export async function activationFigures(): Promise<PanelFigure[]> {
  // Layer Lens has activated once its CodeLens is on the page.
  const codeLens = (page: Page) => page.locator('.contentWidgets .codelens-decoration, .codelens-decoration').first().waitFor({ timeout: 60_000 });
  const layerLens = await inBenchWorkbench({}, (page) => samples(page, 'layer-lens', codeLens));
  const folder = await mkdtemp(join(tmpdir(), 'layer-lens-activation-floor-'));
  try {
    for (const [name, text] of Object.entries(EMPTY_EXTENSION)) await writeFile(join(folder, name), text);
    const empty = await inBenchWorkbench({}, (page) => samples(page, 'activation-floor', async () => undefined), folder);
    return [
      summary('activation, as Show Running Extensions reports it (code loading and activate)', layerLens),
      summary('the same for an extension that does nothing (VS Code’s own share)', empty),
    ];
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
