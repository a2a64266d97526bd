/**
 * The checkpoint editor in the real workbench, on a DCGAN generator exported by `torch.onnx.export`
 * (test/golden/checkpoint-onnx-keras.py): the tensor list a person reads, with statistics and search,
 * the audit with the uneven layers first, and a click that opens the trained kernel in the
 * transposed-convolution panel. In Node's extension host and in the browser's (as on vscode.dev).
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { canWriteOnnxKerasFixtures, onnxKerasFixtures } from '../shared/onnxKerasFixtures';
import { frameWith, gridTexts, quickOpen } from './driver';
import { e2eResults, openSamples } from './setup';

/** Opens a checkpoint by its absolute path through Quick Open, as a person would, and returns the checkpoint editor's document. */
async function openCheckpoint(page: Page, path: string): Promise<Frame> {
  await quickOpen(page, path);
  return frameWith(page, '.ckpt-audit', 'checkpoint editor');
}

for (const host of ['node', 'browser'] as const) {
  (canWriteOnnxKerasFixtures() ? describe : describe.skip)(`The checkpoint editor in the real workbench (${host} extension host)`, function () {
    this.timeout(180_000);
    let page: Page;

    before(async () => {
      onnxKerasFixtures();
      ({ page } = await openSamples({ webExtensionHost: host === 'browser' }));
    });

    it('lists the tensors with statistics, searches them, audits the uneven layers first and opens one with its trained kernel', async () => {
      const view = await openCheckpoint(page, join(onnxKerasFixtures().dir, 'dcgan.onnx'));
      const rows = view.locator('.ckpt-table tbody tr');
      await rows.nth(4).waitFor();
      assert.deepEqual(await rows.locator('td:first-child').allInnerTexts(), ['main.0.weight', 'main.2.weight', 'main.2.bias', 'main.4.weight', 'main.4.bias']);
      // Statistics come a moment after the list, computed as the rows are shown.
      await rows.nth(4).locator('td.stat', { hasText: /\d/ }).first().waitFor();
      assert.deepEqual((await rows.nth(0).locator('td').allInnerTexts()).slice(0, 8), ['main.0.weight', '[8, 6, 4, 4]', 'FLOAT', '768', '0.1250', '0.1250', '0.1250', '0.000']);
      assert.match(await view.locator('.ckpt-summary').innerText(), /^onnx · 5 tensors · 1,064 values · listed in \d+ ms$/);
      await view.locator('.ckpt-layer').nth(2).waitFor();
      // The audit: the two uneven layers (dilation 2 on stride 2 leaves phases empty; k3 s2), then the even k4 s2.
      assert.deepEqual(await view.locator('.ckpt-layer .ckpt-layer-name').allInnerTexts(), ['main.4', 'main.2', 'main.0']);
      assert.deepEqual(await view.locator('.ckpt-layer .ckpt-verdict').allInnerTexts(), ['UNEVEN', 'UNEVEN', 'EVEN']);
      assert.match(await view.locator('.ckpt-layer').nth(1).innerText(), /stride 2×2 \(from the file\) · 19\.0 % periodic energy/);
      assert.deepEqual(await view.locator('.ckpt-layer').nth(1).locator('.ckpt-phases').first().locator('td').allInnerTexts(), ['6.00', '3.00', '3.00', '1.50']);
      await page.screenshot({ path: join(e2eResults, `checkpoint-dcgan-${host}.png`) });

      await view.locator('.ckpt-search').fill('main.2');
      await rows.nth(1).waitFor();
      assert.equal(await rows.count(), 2);
      assert.equal(await view.locator('.ckpt-count').innerText(), '2 of 5');

      await view.locator('.ckpt-layer').nth(1).locator('.ckpt-button').click();
      const panel = await frameWith(page, '[data-grid="output"]', 'transposed-convolution panel');
      // main.2's trained kernel: 0.25 everywhere (the export's constant kernel), stride 2.
      assert.deepEqual(await gridTexts(panel, 'kernel'), [['0.25', '0.25', '0.25'], ['0.25', '0.25', '0.25'], ['0.25', '0.25', '0.25']]);
      await page.locator('.tabs-container .tab', { hasText: 'Transposed Convolution' }).waitFor();
      await page.screenshot({ path: join(e2eResults, `checkpoint-open-layer-${host}.png`) });
    });
  });
}
