import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { goTo, openFile } from './driver';
import { e2eResults, openSamples } from './setup';

/**
 * Shows the hover at the cursor with the keyboard (Ctrl+K Ctrl+I) and waits for it to hold
 * `expected`. Asked again every few seconds, as a person would: a hover asked for while the
 * extension is still activating (the first Python file of the window activates it) comes back
 * without Layer Lens's part, and VS Code does not ask again by itself.
 */
async function showHover(page: Page, expected: string) {
  const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: expected }).first();
  const deadline = Date.now() + 30_000;
  for (;;) {
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    try {
      await hover.waitFor({ state: 'visible', timeout: 4_000 });
      return hover;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

/** Whether every picture in the hover has loaded and has a size (a broken data: URI has none). */
async function picturesLoaded(hover: ReturnType<Page['locator']>): Promise<boolean[]> {
  const images = hover.locator('img');
  await images.first().waitFor();
  return images.evaluateAll((nodes) => nodes.map((node) => (node as HTMLImageElement).complete && (node as HTMLImageElement).naturalWidth > 0));
}

describe('Hovers in the real workbench', function () {
  this.timeout(120_000);
  let page: Page;

  before(async () => {
    ({ page } = await openSamples());
  });

  it('shows a transposed convolution hover with its formula, overlap tile and verdict', async () => {
    await openFile(page, 'upsampling_layers.py');
    await goTo(page, 5, 10); // up = nn.ConvTranspose2d(16, 8, 3, stride=2)
    const hover = await showHover(page, 'Overlap: uneven 1:2');
    const text = await hover.innerText();
    assert.match(text, /Output 65×65 for an input 32×32/);
    assert.match(text, /Inspect in Layer Lens/);
    assert.deepEqual(await picturesLoaded(hover), [true]);
    await page.screenshot({ path: join(e2eResults, 'hover-conv-transpose.png') });
    await page.keyboard.press('Escape');
  });

  it('shows a NumPy matrix hover with its heatmap and command links', async () => {
    await openFile(page, 'kernels_numpy.py');
    await goTo(page, 11, 20); // inside sobel_x
    const hover = await showHover(page, 'Matrix 3×3');
    const text = await hover.innerText();
    assert.match(text, /min −2 · max 2 · mean 0/);
    assert.match(text, /Transposed convolution… · Use as kernel · Open in Layer Lens/);
    assert.deepEqual(await picturesLoaded(hover), [true]);
    await page.screenshot({ path: join(e2eResults, 'hover-numpy-matrix.png') });
    await page.keyboard.press('Escape');
  });
});
