/**
 * Audit Live Model as a person uses it: samples/live_dcgan.py stopped in the generator's `forward`
 * under the real debug adapter (the `debugpy` type of the test-only extension), the command run
 * from the palette with the cursor on `self`, and the checkpoint editor's view on the live weights:
 * the layers with the strides the module states, and a click that opens a layer's trained kernel
 * in the transposed-convolution panel. Screenshot: test-results/e2e/live-audit.png.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { frameWith, goTo, openFile, runCommand } from './driver';
import { e2eResults, openSamples } from './setup';
import { repoRoot } from '../harness/prerequisites';

const launch = {
  version: '0.2.0',
  configurations: [
    { type: 'debugpy', request: 'launch', name: 'Live DCGAN', program: '${workspaceFolder}/live_dcgan.py', python: '/usr/bin/python3', console: 'internalConsole', justMyCode: true },
  ],
};

describe('Audit Live Model in the real workbench', function () {
  this.timeout(240_000);
  let page: Page;
  const lines = readFileSync(join(repoRoot, 'samples', 'live_dcgan.py'), 'utf8').split('\n');
  const stopLine = lines.findIndex((line) => line.includes("the audit tests' breakpoint")) + 1;

  before(async () => {
    ({ page } = await openSamples({ companions: true, extraFiles: { '.vscode/launch.json': JSON.stringify(launch, null, 2) } }));
  });

  after(async () => {
    await page.keyboard.press('Shift+F5').catch(() => undefined);
  });

  it('audits self from the palette: the live layers with the module\'s strides, and a click opens the trained kernel', async () => {
    await openFile(page, 'live_dcgan.py');
    await goTo(page, stopLine, 9);
    await runCommand(page, 'Debug: Toggle Breakpoint');
    await page.locator('.codicon-debug-breakpoint').first().waitFor({ timeout: 10_000 });
    await runCommand(page, 'Debug: Start Debugging');
    const configuration = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Live DCGAN' }).first();
    if (await configuration.waitFor({ timeout: 3_000 }).then(() => true, () => false)) await page.keyboard.press('Enter');
    await page.locator('.view-line', { hasText: 'z: [1, 16, 1, 1] float32 cpu' }).first().waitFor({ timeout: 60_000 });

    await goTo(page, stopLine, lines[stopLine - 1]!.indexOf('self') + 2);
    await runCommand(page, 'Layer Lens: Audit Live Model for Checkerboard Artifacts (Debug Session)');
    const view = await frameWith(page, '.ckpt-audit', 'live audit view', 60_000);
    await view.locator('.ckpt-layer').nth(3).waitFor({ timeout: 60_000 });
    assert.match(await view.locator('.ckpt-title').innerText(), /^self \(live(, paused at live_dcgan\.py:\d+)?\)$/);
    assert.match(await view.locator('.ckpt-summary').innerText(), /^live model \(debug session\) · 5 tensors · [\d,]+ values · read in \d+ ms$/);
    assert.deepEqual((await view.locator('.ckpt-layer .ckpt-layer-name').allInnerTexts()).sort(), ['main.0', 'main.3', 'main.6', 'main.8']);
    const card = view.locator('.ckpt-layer[data-layer="main.3"]');
    assert.match(await card.innerText(), /ConvTranspose2d · weight \[32, 16, 4, 4\] · stride 2×2 \(from the module\)/);
    assert.match(await view.locator('.ckpt-layer[data-layer="main.0"]').innerText(), /EVEN[\s\S]*stride 1×1 \(from the module\)/);
    await page.screenshot({ path: join(e2eResults, 'live-audit.png') });

    await card.locator('.ckpt-button').click();
    const panel = await frameWith(page, '[data-grid="output"]', 'transposed-convolution panel', 60_000);
    await panel.locator('[data-grid="kernel"]').first().waitFor({ timeout: 30_000 });
    await page.locator('.tabs-container .tab', { hasText: 'Transposed Convolution' }).waitFor();
  });
});
