/**
 * The checkpoint editor in the real workbench, on a DCGAN generator exported by `torch.onnx.export`
 * (test/golden/checkpoint-onnx-keras.py): the tensor list a person reads, with statistics and search,
 * the audit with the uneven layers first, and a click that opens the trained kernel in the
 * transposed-convolution panel. In Node's extension host and in the browser's (as on vscode.dev).
 * And a safetensors state dict, which has no strides: the stride picker audits its weights. A
 * checkpoint paired with its source gives that source's hover and CodeLens the trained verdicts,
 * also after the window reloads.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { onnxKerasFixtures } from '../shared/onnxKerasFixtures';
import { frameWith, goTo, gridTexts, quickInput, quickOpen, runCommand } from './driver';
import { e2eResults, openSamples } from './setup';
import { repoRoot } from '../harness/prerequisites';

/** Opens a checkpoint by its absolute path through Quick Open, as a person would, and returns the checkpoint editor's document. */
async function openCheckpoint(page: Page, path: string): Promise<Frame> {
  await quickOpen(page, path);
  return frameWith(page, '.ckpt-audit', 'checkpoint editor');
}

for (const host of ['node', 'browser'] as const) {
  describe(`The checkpoint editor in the real workbench (${host} extension host)`, function () {
    this.timeout(180_000);
    let page: Page;

    before(async () => {
      onnxKerasFixtures();
      ({ page } = await openSamples({ webExtensionHost: host === 'browser' }));
      // A file opened before the workbench has read the extensions' contributions opens as text: wait
      // until the palette lists Layer Lens's checkpoint command, which comes with the editor's. The
      // palette lists what it knew when it opened, so it is opened again until it knows.
      await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
      const row = page.locator(`${quickInput} .monaco-list-row`, { hasText: 'Audit Checkpoint for Checkerboard Artifacts' });
      for (let attempt = 0; ; attempt++) {
        await page.keyboard.press('F1');
        await page.locator(`${quickInput} input`).waitFor({ state: 'visible' });
        await page.locator(`${quickInput} input`).fill('>Layer Lens: Audit Checkpoint');
        const listed = await row.first().waitFor({ timeout: 2_000 }).then(() => true, () => false);
        await page.keyboard.press('Escape');
        if (listed) break;
        assert.ok(attempt < 30, 'the command palette never listed Layer Lens: Audit Checkpoint');
      }
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

    it('draws a 1-D layer\'s phase sums as bars and a 3-D layer\'s as depth-phase heatmaps, and opens a trained 1-D kernel in the volume panel', async () => {
      const volume = await openCheckpoint(page, join(onnxKerasFixtures().dir, 'volume.onnx'));
      const even = volume.locator('.ckpt-layer[data-layer="up1"]');
      await even.waitFor();
      assert.match(await even.innerText(), /ConvTranspose3d · weight \[4, 4, 2, 2, 2\] · stride 2×2×2 \(from the file\)/);
      // Two depth phases of 2×2 per channel, each labelled.
      assert.deepEqual(await even.locator('.ckpt-channel').first().locator('.ckpt-depth-phase .ckpt-label').allInnerTexts(), ['depth phase 0', 'depth phase 1']);
      assert.equal(await even.locator('.ckpt-channel').first().locator('.ckpt-phases td').count(), 8);
      await page.screenshot({ path: join(e2eResults, `checkpoint-3d-${host}.png`) });

      const wave = await openCheckpoint(page, join(onnxKerasFixtures().dir, 'wave.onnx'));
      const card = wave.locator('.ckpt-layer[data-layer="main.0"]');
      await card.waitFor();
      assert.match(await card.innerText(), /ConvTranspose1d · weight \[8, 4, 25\] · stride 4 \(from the file\)/);
      assert.equal(await card.locator('.ckpt-channel').first().locator('.ckpt-phase-bar').count(), 4, 'one bar per phase of stride 4');
      await page.screenshot({ path: join(e2eResults, `checkpoint-1d-${host}.png`) });
      await card.locator('.ckpt-button', { hasText: 'Open in the volume panel' }).click();
      const panel = await frameWith(page, '#app:has(h1.panel-title:text-matches("^convTranspose1d")) [data-grid="output"]', 'convTranspose1d volume panel');
      assert.ok(await panel.locator('[data-grid="output"]').count() > 0);
      await page.screenshot({ path: join(e2eResults, `checkpoint-open-1d-${host}.png`) });
    });

    it('audits a safetensors state dict with the stride picked for a weight nothing describes', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'layer-lens-safetensors-'));
      execFileSync('/usr/bin/python3', [join(repoRoot, 'test', 'golden', 'checkpoints.py'), folder, join(folder, 'marker')], { stdio: 'ignore' });
      const view = await openCheckpoint(page, join(folder, 'dcgan.safetensors'));
      const card = view.locator('.ckpt-layer[data-layer="main.3"]');
      await card.waitFor();
      assert.match(await card.innerText(), /^UNKNOWN\s*main\.3\s*ConvTranspose2d · weight \[32, 16, 4, 4\] · stride unknown/);
      assert.deepEqual(await card.locator('select option').allInnerTexts(), ['—', '2', '4']);
      assert.equal(await view.locator('.ckpt-button', { hasText: 'Pair with model source…' }).count(), 1);
      await card.locator('select').selectOption('2');
      await view.locator('.ckpt-layer[data-layer="main.3"] .ckpt-verdict.uneven, .ckpt-layer[data-layer="main.3"] .ckpt-verdict.even').waitFor();
      assert.match(await view.locator('.ckpt-layer[data-layer="main.3"]').innerText(), /stride 2×2 \(chosen\) · [\d.]+ % periodic energy/);
      await page.screenshot({ path: join(e2eResults, `checkpoint-stride-picker-${host}.png`) });
    });

    // Once, in Node's host: the pairing dialog and the hover are the same in the browser's.
    if (host === 'node') it('paired through "Pair with model source…", the source\'s hover and CodeLens give the trained verdict of each layer call', async () => {
      const folder = mkdtempSync(join(tmpdir(), 'layer-lens-paired-'));
      execFileSync('/usr/bin/python3', [join(repoRoot, 'test', 'golden', 'checkpoints.py'), folder, join(folder, 'marker')], { stdio: 'ignore' });
      // A name of its own: Quick Open would offer the previous test's dcgan.safetensors first.
      copyFileSync(join(folder, 'dcgan.safetensors'), join(folder, 'G_epoch200.safetensors'));
      const view = await openCheckpoint(page, join(folder, 'G_epoch200.safetensors'));
      await view.locator('.ckpt-button', { hasText: 'Pair with model source…' }).click();
      // code-server's open dialog is VS Code's simple file dialog: a quick input holding the path.
      const path = page.locator(`${quickInput} input`);
      await path.waitFor({ state: 'visible' });
      // The dialog fills in its starting folder after it opens: the path is typed once it has.
      await page.locator(`${quickInput} .monaco-list-row`, { hasText: 'dcgan.py' }).first().waitFor();
      await path.fill(join(folder, 'dcgan.py'));
      await page.waitForTimeout(300);
      await page.keyboard.press('Enter');
      await page.locator(quickInput).waitFor({ state: 'hidden' });
      await view.locator('.ckpt-layer[data-layer="main.3"]', { hasText: 'from the model source' }).waitFor({ timeout: 20_000 });
      await quickOpen(page, join(folder, 'dcgan.py'));
      await page.locator('.codelens-decoration', { hasText: 'Trained main.3 (G_epoch200.safetensors)' }).first().waitFor({ timeout: 20_000 });
      await goTo(page, 17, 16);
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'trained weights in G_epoch200.safetensors' }).first();
      for (let attempt = 0; ; attempt++) {
        await page.keyboard.press('Control+K');
        await page.keyboard.press('Control+I');
        if (await hover.waitFor({ state: 'visible', timeout: 4_000 }).then(() => true, () => false)) break;
        assert.ok(attempt < 8, 'the hover never gave the trained verdict');
        await page.keyboard.press('Escape');
      }
      assert.match(await hover.innerText(), /Trained: trained weights in G_epoch200\.safetensors: uneven, [\d.]+ % periodic energy, worst output channel \d+ · Open main\.3 in the audit/);
      await page.screenshot({ path: join(e2eResults, 'checkpoint-trained-hover.png') });
      // The link opens the checkpoint editor scrolled to the layer, marked.
      await hover.locator('a', { hasText: 'Open main.3 in the audit' }).click();
      await page.locator('.tabs-container .tab.active', { hasText: 'G_epoch200.safetensors' }).waitFor();
      // The page was hidden behind dcgan.py and loads again: a new frame.
      await frameWith(page, '.ckpt-layer.revealed[data-layer="main.3"]', 'the checkpoint editor at main.3');

      // The verdicts outlive the window: with no editor open to audit the checkpoint again, the
      // reloaded window's CodeLens still gives them, from the workspace's storage.
      // The palette's key goes to the workbench, not to the checkpoint editor's page.
      await page.locator('.part.sidebar .composite.title').click();
      await runCommand(page, 'View: Close All Editors');
      for (let attempt = 0; (await page.locator('.tabs-container .tab').count()) > 0; attempt++) {
        assert.ok(attempt < 50, 'the editors never closed');
        await page.waitForTimeout(100);
      }
      await page.waitForTimeout(300);
      await runCommand(page, 'Developer: Reload Window');
      await page.waitForEvent('load');
      await page.locator('.monaco-workbench').waitFor();
      // Quick Open's history now offers the checkpoint for this folder's path too: the source's row is clicked.
      await page.keyboard.press('Control+P');
      await page.locator(`${quickInput} input`).fill(join(folder, 'dcgan.py'));
      await page.locator(`${quickInput} .monaco-list-row`, { hasText: /^dcgan\.py/ }).first().click();
      await page.locator('.tabs-container .tab.active', { hasText: 'dcgan.py' }).waitFor();
      await page.locator('.codelens-decoration', { hasText: 'Trained main.3 (G_epoch200.safetensors)' }).first().waitFor({ timeout: 30_000 });
      assert.equal(await page.locator('.tabs-container .tab', { hasText: 'G_epoch200.safetensors' }).count(), 0, 'the checkpoint was not opened again');
    });
  });
}
