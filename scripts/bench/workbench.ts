/**
 * The panel's first paint as a user meets it: in the real workbench (code-server in Debian's
 * Chromium), from the last answer to "Layer Lens: Transposed Convolution (ConvTranspose2d)" (Enter in its stride box)
 * to the end of the first frame in which the panel shows the output, for a 64×64 input with a
 * 4×4 kernel. The panel opens while the stride box is up, so how long the person takes to answer
 * matters: the bench answers after a second, as a person reading the prompt and typing "2" does,
 * and also at once, as a script does (then creating the webview and loading its page fall inside
 * the span). The start is read on this machine's clock just before the key press, the end inside
 * the panel's frame on the same clock (Date.now), polled every animation frame.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { expectQuickInput, goTo, openFile, runCommand } from '../../test/e2e/driver';
import { startCodeServer } from '../../test/harness/codeServer';
import { ensureCodeServer, repoRoot } from '../../test/harness/prerequisites';
import { launchBrowser, openWorkbench } from '../../test/harness/workbench';
import { seeded } from './cases';
import { summary, type PanelFigure } from './panel';

const SAMPLES = 5;

/** A Python file with the 64×64 input on line 3 and the 4×4 kernel on line 4 (the nearest matrix, so the kernel pick offers it first). */
function benchFile(): string {
  const literal = (n: number, seed: number) => {
    const values = Array.from(seeded(n * n, seed), (v) => v.toFixed(3));
    return `[${Array.from({ length: n }, (_, r) => `[${values.slice(r * n, r * n + n).join(', ')}]`).join(', ')}]`;
  };
  return `import numpy as np\n\nx = np.array(${literal(64, 3)})\nk = np.array(${literal(4, 5)})\n`;
}

/** Resolves with Date.now() in the first frame of a webview document that shows the output grid; never, for other frames. */
function paintedAt(frame: Frame): Promise<number> {
  return frame
    .waitForFunction(() => document.querySelector('#app [data-grid="output"]') !== null, undefined, { polling: 'raf', timeout: 60_000 })
    .then(() => frame.evaluate(() => new Promise<number>((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(Date.now()), 0)))))
    .catch(() => new Promise<number>(() => undefined));
}

/** The milliseconds from the stride's Enter, `thinkMs` after the stride box appeared, to the panel's first painted output. */
async function commandToPaint(page: Page, thinkMs: number): Promise<number> {
  await openFile(page, 'bench64.py');
  await goTo(page, 3, 20);
  await runCommand(page, 'Layer Lens: Transposed Convolution (ConvTranspose2d)');
  await expectQuickInput(page, 'Layer Lens: Kernel');
  await page.keyboard.press('Enter');
  await expectQuickInput(page, 'Layer Lens: Stride');
  await page.locator('.quick-input-widget input').fill('2');
  await page.waitForTimeout(thinkMs);
  // Watch the frames already there (the panel's page may still be loading, even still be about:blank), and any that attaches from now on.
  const webviews = page.frames().filter((frame) => frame !== page.mainFrame());
  const painted = new Promise<number>((resolve) => {
    for (const frame of webviews) void paintedAt(frame).then(resolve);
    page.on('frameattached', (frame) => void paintedAt(frame).then(resolve));
  });
  const start = Date.now();
  await page.keyboard.press('Enter');
  const end = await Promise.race([painted, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('the panel did not paint its output within 60 s')), 60_000))]);
  page.removeAllListeners('frameattached');
  // Close the panel and the editor, so the next sample creates a new webview.
  await runCommand(page, 'View: Close All Editors');
  return end - start;
}

/**
 * Runs `measure` on a workbench (code-server in Chromium) opened on a copy of samples/ with
 * `extraFiles` added, and cleans up after it. The extension under development is Layer Lens
 * unless `extensionPath` names another.
 */
export async function inBenchWorkbench<T>(extraFiles: Readonly<Record<string, string>>, measure: (page: Page) => Promise<T>, extensionPath?: string): Promise<T> {
  await ensureCodeServer();
  const folder = join(await mkdtemp(join(tmpdir(), 'layer-lens-bench-')), 'samples');
  await cp(join(repoRoot, 'samples'), folder, { recursive: true });
  for (const [name, text] of Object.entries(extraFiles)) await writeFile(join(folder, name), text);
  const server = await startCodeServer();
  const browser = await launchBrowser();
  try {
    const { page, context } = await openWorkbench(browser, server, { folder, ...(extensionPath ? { extensionPath } : {}) });
    const result = await measure(page);
    await context.close();
    return result;
  } finally {
    await browser.close();
    await server.stop();
    await rm(folder, { recursive: true, force: true });
  }
}

export function workbenchFigures(): Promise<PanelFigure[]> {
  return inBenchWorkbench({ 'bench64.py': benchFile() }, async (page) => {
    await commandToPaint(page, 1000); // warm-up: the extension activates, the engine and the webview bundle load for the first time
    const afterASecond: number[] = [];
    const atOnce: number[] = [];
    for (let k = 0; k < SAMPLES; k++) {
      afterASecond.push(await commandToPaint(page, 1000));
      atOnce.push(await commandToPaint(page, 0));
    }
    return [
      summary('command to first paint in the workbench, 64×64 input, 4×4 kernel, stride answered after 1 s (new panel each time)', afterASecond),
      summary('the same, stride answered at once (webview creation inside the span)', atOnce),
    ];
  });
}
