/**
 * Layer Lens as a web extension: the workbench runs it in the browser's extension host (a web
 * worker, as vscode.dev does) from the `browser` entry, and its engine worker as a Web Worker.
 * code-server serves both hosts; the development payload asks for the web one.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expectQuickInput, frameWith, goTo, gridTexts, openFile, runCommand, transposedConvolutionAt } from './driver';
import { e2eResults, openSamples } from './setup';

/** A 300×300 input and a 5×5 kernel: 2.25 million multiply-adds, past the 2 million the host computes inline. */
function largeFile(): string {
  const row = (n: number, value: (c: number) => number) => `[${Array.from({ length: n }, (_, c) => value(c)).join(', ')}]`;
  const input = `[${Array.from({ length: 300 }, (_, r) => row(300, (c) => (r + c) % 3)).join(',\n     ')}]`;
  return `x = ${input}\nk = [${Array.from({ length: 5 }, () => row(5, () => 1)).join(', ')}]\n`;
}

describe('Layer Lens as a web extension (the browser’s extension host)', function () {
  this.timeout(180_000);
  let page: Page;

  before(async () => {
    ({ page } = await openSamples({ webExtensionHost: true, extraFiles: { 'large.py': largeFile() } }));
  });

  it('loads the browser entry and computes the textbook case into the panel', async () => {
    const panel = await transposedConvolutionAt(page, 'textbook.py', 5, 9, '1');
    assert.deepEqual(await gridTexts(panel, 'output'), [['1', '3', '2'], ['4', '10', '6'], ['3', '7', '4']]);
    // The development payload marks Layer Lens as a web extension, so only the browser's extension
    // host (a worker of the workbench page) loads it: no Node host could answer the command.
    const workerNames = await Promise.all(page.workers().map((worker) => worker.evaluate(() => (self as unknown as { name?: string }).name ?? '')));
    assert.ok(workerNames.includes('ExtensionHostWorker'), `no web extension host among the page's workers: ${workerNames.join(', ')}`);

    await page.screenshot({ path: join(e2eResults, 'web-extension-textbook.png') });
  });

  it('runs Pool in the browser’s extension host and steps through it in the layer panel', async () => {
    await openFile(page, 'textbook.py');
    await goTo(page, 18, 10);
    await runCommand(page, 'Layer Lens: Pool');
    await expectQuickInput(page, 'Layer Lens: Pool');
    await page.keyboard.press('Enter');
    await expectQuickInput(page, 'Max pooling window');
    await page.keyboard.press('Enter');
    const panel = await frameWith(page, '.steps-host [data-grid="output"]', 'layer panel');
    assert.equal(await panel.locator('.layer-shapes').innerText(), '4×4 → 2×2');
    assert.deepEqual(await gridTexts(panel, 'output'), [['1', '1'], ['1', '1']]);
  });

  // Past 2 million multiply-adds the command always asks the engine worker (there is no inline
  // fallback), so a result here means the Web Worker started from dist/web/engineWorker.js answered.
  it('hands a large computation to its Web Worker and shows the result', async () => {
    await runCommand(page, 'View: Close All Editors');
    const panel = await transposedConvolutionAt(page, 'large.py', 1, 7, '1', 60_000);
    assert.match(await panel.locator('[data-grid="output"]').innerText(), /304 × 304|304×304/);
    await page.screenshot({ path: join(e2eResults, 'web-extension-large.png') });
  });
});
