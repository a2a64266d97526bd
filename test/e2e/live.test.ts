/**
 * Live tensors as a person uses them: a breakpoint set from the palette in samples/live_generator.py,
 * the debugger started from it (the `debugpy` type of the test-only extension, Debian's real adapter),
 * the tensor shapes drawn inline in the editor, then Run Live Layer on `self.up` from the palette,
 * the input picked among the frame's tensors, and the transposed-convolution panel on the real
 * tensors: a screenshot of it is kept as test-results/e2e/live-layer.png.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expectQuickInput, goTo, notificationMatching, openFile, quickInput, quickPickRows, runCommand, transposedPanelFrame } from './driver';
import { e2eResults, openSamples } from './setup';
import { repoRoot } from '../harness/prerequisites';

const launch = {
  version: '0.2.0',
  configurations: [
    { type: 'debugpy', request: 'launch', name: 'Live generator', program: '${workspaceFolder}/live_generator.py', python: '/usr/bin/python3', console: 'internalConsole', justMyCode: true },
  ],
};

describe('Live tensors in the real workbench', function () {
  this.timeout(240_000);
  let page: Page;
  const lines = readFileSync(join(repoRoot, 'samples', 'live_generator.py'), 'utf8').split('\n');
  const stopLine = lines.findIndex((line) => line.includes("the tests' first breakpoint")) + 1;

  before(async () => {
    ({ page } = await openSamples({ companions: true, extraFiles: { '.vscode/launch.json': JSON.stringify(launch, null, 2) } }));
  });

  after(async () => {
    await page.keyboard.press('Shift+F5').catch(() => undefined);
  });

  it('stops in forward with the shapes inline, runs self.up live on x and opens the panel on the real tensors', async () => {
    await openFile(page, 'live_generator.py');
    await goTo(page, stopLine, 9);
    await runCommand(page, 'Debug: Toggle Breakpoint');
    await page.locator('.codicon-debug-breakpoint').first().waitFor({ timeout: 10_000 });
    await runCommand(page, 'Debug: Start Debugging');
    // The palette may offer the configurations to choose from first: there is one.
    const configuration = page.locator(`${quickInput} .monaco-list-row`, { hasText: 'Live generator' }).first();
    if (await configuration.waitFor({ timeout: 3_000 }).then(() => true, () => false)) await page.keyboard.press('Enter');
    // The inline value, drawn by the editor after the line that uses x.
    await page.locator('.view-line', { hasText: 'x: [1, 64, 64, 64] float32 cpu' }).first().waitFor({ timeout: 60_000 });

    await goTo(page, stopLine, lines[stopLine - 1]!.indexOf('up(') + 2);
    await runCommand(page, 'Layer Lens: Run Live Layer (Debug Session)');
    await expectQuickInput(page, 'Layer Lens: the input to run self.up on');
    const rows = await quickPickRows(page);
    assert.match(rows[0] ?? '', /^x: \[1, 64, 64, 64\] float32 cpu/);
    await page.keyboard.press('Enter');

    // The panel on the real tensors: the caption names the module, the shapes are the live ones.
    const panel = await transposedPanelFrame(page, 60_000);
    await panel.locator('text=self.up (live').first().waitFor({ timeout: 60_000 });
    await panel.locator('text=weight [64, 32, 4, 4]').first().waitFor({ timeout: 60_000 });
    // Read once the panel has taken the focus (the Notification Center closes when it loses it).
    await notificationMatching(page, /self\.up \(ConvTranspose2d\) on x \[1, 64, 64, 64\]: Layer Lens's output matches PyTorch's float32 output to [0-9.]+e-[678] relative/, 60_000);
    await page.locator('[id="status.notifications"]').click();
    await page.screenshot({ path: join(e2eResults, 'live-layer.png') });
  });
});
