/**
 * The volume panel in the real workbench: a 1-D transposed convolution drawn as strips (input,
 * kernel, output rows), the step player walking it with partial sums, the overlap counts and the
 * all-ones response as bars; a 3-D one drawn as slices with a depth slider each, the slices
 * following the step through the lattice, the overlap as a stack of slices and the per-phase table;
 * and the 1-D checkerboard lab: the layer on a sweep or a constant, with the output's spectrum.
 * The commands run with arguments through keybindings (test/e2e/keybindings.ts). Screenshots go to
 * test-results/e2e/ (volume-1d.png and volume-3d.png are the README's).
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { frameWith, goTo, openFile } from './driver';
import { VOLUME_1D_KEY, VOLUME_3D_KEY, VOLUME_GROUPED_KEY, VOLUME_LITERAL_KEY } from './keybindings';
import { e2eResults, openSamples } from './setup';

function volumeFrame(page: Page, op: string): Promise<Frame> {
  return frameWith(page, `#app:has(h1.panel-title:text-matches("^${op}")) [data-grid="output"]`, `${op} volume panel`);
}

async function stepLabel(panel: Frame, expected: string): Promise<void> {
  await panel.locator('.step-label', { hasText: expected }).waitFor({ timeout: 5_000 });
}

describe('The volume panel in the real workbench', function () {
  this.timeout(180_000);
  let page: Page;

  before(async () => {
    ({ page } = await openSamples());
  });

  it('draws a 1-D transposed convolution as strips and steps through it', async () => {
    await openFile(page, 'textbook.py');
    await page.keyboard.press(VOLUME_1D_KEY.playwright);
    const panel = await volumeFrame(page, 'convTranspose1d');
    assert.equal(await panel.locator('.layer-shapes').innerText(), '1×1×8 with 1×1×3 → 1×1×17');
    // Strips: one row each, no depth slider.
    assert.equal(await panel.locator('[data-grid="input"] [role="row"]').count(), 1);
    assert.equal(await panel.locator('[data-grid="input"] [role="gridcell"]').count(), 8);
    assert.equal(await panel.locator('[data-grid="kernel"] [role="gridcell"]').count(), 3);
    assert.equal(await panel.locator('[data-grid="output"] [role="gridcell"]').count(), 17);
    assert.equal(await panel.locator('.depth-slider').count(), 0);
    await stepLabel(panel, 'Step 8 of 8');

    await panel.locator('button[data-action="start"]').click();
    await stepLabel(panel, 'Step 0 of 8');
    await page.keyboard.press('ArrowRight');
    await stepLabel(panel, 'Step 1 of 8');
    await page.keyboard.press('ArrowRight');
    await stepLabel(panel, 'Step 2 of 8');
    // Step 2 scatters x[1] = 0.59 into output 2, 3, 4: the kernel's three taps.
    assert.equal(await panel.locator('[data-grid="input"] .mark-current').getAttribute('aria-label'), 'Input [1] = 0.59');
    assert.equal(await panel.locator('[data-grid="output"] .mark-window').count(), 3);
    // Output [2] has both its products by now: x[0]·w[2] from step 1, x[1]·w[0] from step 2.
    assert.equal(await panel.locator('.partial-sums li').count(), 2);
    assert.match(await panel.locator('.partial-sums h2').innerText(), /^Output \[2\]: 2 of 2 products added$/);
    // The overlap: 1, 2, 1 products in steady state; the all-ones response as 17 bars.
    const counts = await panel.locator('[data-grid="counts"] [role="gridcell"]').allInnerTexts();
    assert.deepEqual(counts.slice(0, 5), ['1', '1', '2', '1', '2']);
    assert.equal(await panel.locator('.bar-chart rect.bar').count(), 17);
    assert.match(await panel.locator('.overlap h2').innerText(), /^Overlap — uneven: kernel 3, stride 2/);
    await page.screenshot({ path: join(e2eResults, 'volume-1d.png') });

    // The lab in 1-D: a sweep by default; a constant leaves only the artifact, a tone at half the rate.
    assert.equal(await panel.locator('.signal-lab .waveform polyline').count(), 1);
    assert.equal(await panel.locator('.signal-lab .spectrum line.tone').count(), 1);
    await panel.locator('.signal-lab').screenshot({ path: join(e2eResults, 'volume-1d-sweep.png') });
    await panel.locator('.signal-kind').selectOption('constant');
    await panel.locator('.signal-summary', { hasText: 'cycles per output sample' }).waitFor();
    const share = Number((await panel.locator('.signal-summary').innerText()).match(/^([\d.]+)%/)?.[1]);
    assert.ok(share > 90, `a constant's output is mostly the stride tone: ${share}%`);
    assert.match(await panel.locator('.signal-summary').innerText(), /at the stride's tones, 0\.500 cycles per output sample/);
    await panel.locator('.signal-lab').screenshot({ path: join(e2eResults, 'volume-1d-signal.png') });
  });

  it('draws a 3-D transposed convolution as slices with depth sliders that follow the step', async () => {
    await openFile(page, 'textbook.py');
    await page.keyboard.press(VOLUME_3D_KEY.playwright);
    const panel = await volumeFrame(page, 'convTranspose3d');
    assert.equal(await panel.locator('.layer-shapes').innerText(), '1×1×2×2×2 with 1×1×3×3×3 → 1×1×5×5×5');
    assert.equal(await panel.locator('.depth-slider').count(), 3);
    assert.equal(await panel.locator('.depth-slider[data-role="output"]').getAttribute('max'), '4');
    assert.equal(await panel.locator('[data-grid="output"] [role="gridcell"]').count(), 25);
    // The overlap map as a stack of 5 slices, and the 2×2×2 lattice's phases in the table.
    assert.equal(await panel.locator('.count-slice').count(), 5);
    assert.equal(await panel.locator('.phase-table tr').count(), 1 + 8);
    assert.deepEqual(await panel.locator('.phase-table tr').nth(1).locator('td').allInnerTexts().then((t) => t.slice(0, 3)), ['(0, 0, 0)', '8', '8']);

    await panel.locator('button[data-action="start"]').click();
    await stepLabel(panel, 'Step 0 of 8');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    await stepLabel(panel, 'Step 5 of 8');
    // Step 5 scatters x[1, 0, 0] = 5: the input slider moves to slice 1, the output's to slice 2.
    assert.equal(await panel.locator('.depth-slider[data-role="input"]').inputValue(), '1');
    assert.equal(await panel.locator('.depth-slider[data-role="output"]').inputValue(), '2');
    assert.equal(await panel.locator('[data-grid="input"] .mark-current').getAttribute('aria-label'), 'Input [1, 0, 0] = 5');
    assert.equal(await panel.locator('[data-grid="output"] .mark-window').count(), 9);
    // The depth slider by keyboard: focus it and step one slice up.
    await panel.locator('.depth-slider[data-role="output"]').focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await panel.locator('.depth-slider[data-role="output"]').inputValue(), '3');
    await stepLabel(panel, 'Step 5 of 8');
    assert.match((await panel.locator('[data-grid="output"]').getAttribute('aria-label')) ?? '', /^Output, slice 3: 5×5$/);
    await page.screenshot({ path: join(e2eResults, 'volume-3d.png') });
  });

  it('draws a grouped 1-D convolution with the groups map, which follows the step player and takes it to the output channel chosen', async () => {
    await openFile(page, 'textbook.py');
    await page.keyboard.press(VOLUME_GROUPED_KEY.playwright);
    const panel = await volumeFrame(page, 'conv1d');
    assert.equal(await panel.locator('.layer-shapes').innerText(), '1×4×6 with 2×2×3 → 1×2×4');
    assert.match(await panel.locator('.groups-sentence').innerText(), /^Grouped \(groups 2\): 4 input channels → 2 output channels in 2 groups of 2 in → 1 out/);
    // Two blocks: in 0, 1 → out 0 and in 2, 3 → out 1. The player opens at its last step, a value of output channel 1.
    assert.equal(await panel.locator('.groups-edge').count(), 4);
    await panel.locator('.step-label', { hasText: 'Step 8 of 8' }).waitFor({ timeout: 5_000 });
    const active = async () => panel.locator('.groups-edge.active').evaluateAll((edges) => edges.map((e) => e.getAttribute('data-edge')));
    assert.deepEqual(await active(), ['2-1', '3-1']);
    // Output channel 0 on the map: the player goes to its first step, which reads input channels 0 and 1.
    await panel.locator('.groups-label', { hasText: 'out 0' }).click();
    await panel.locator('.step-label', { hasText: 'Step 1 of 8' }).waitFor({ timeout: 5_000 });
    await panel.locator('.groups-edge.active[data-edge="0-0"]').waitFor({ state: 'attached', timeout: 5_000 });
    assert.deepEqual(await active(), ['0-0', '1-0']);
    await page.screenshot({ path: join(e2eResults, 'volume-grouped.png') });
  });

  it('runs the literal at the cursor through a 1-D layer and says how its axes were read', async () => {
    await openFile(page, 'textbook.py');
    await goTo(page, 5, 8); // x = [[1, 2], [3, 4]]
    await page.keyboard.press(VOLUME_LITERAL_KEY.playwright);
    const panel = await volumeFrame(page, 'conv1d');
    // One volume panel, updated in place (it may still show the grouped convolution of the test before).
    await panel.locator('.layer-shapes', { hasText: '1×2×2 with 1×2×2 → 1×1×1' }).waitFor({ timeout: 10_000 });
    assert.match(await panel.locator('.source').innerText(), /^the literal at textbook\.py:5, read as \[C, L\] = 2×2: 2 channels of 2 samples, unbatched, as PyTorch's conv1d reads a 2-D input/);
    assert.deepEqual(await panel.locator('[data-grid="output"] [role="gridcell"]').allInnerTexts(), ['10']);
  });
});
