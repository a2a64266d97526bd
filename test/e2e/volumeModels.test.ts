/**
 * The volume panel from layer calls in real-style model files, in the real workbench:
 * test/fixtures/volumes/wavegan.py (WaveGAN's generator, `nn.ConvTranspose1d(…, 25, stride=4, padding=11,
 * output_padding=1)`, and its discriminator's `nn.Conv1d` and `nn.AvgPool1d`) and unet3d.py
 * (a 3-D U-Net: `nn.MaxPool3d`, `nn.Conv3d`, trilinear `nn.Upsample`, and a decoder
 * `nn.ConvTranspose3d`). The transposed convolutions open from their CodeLens ("Inspect",
 * "Overlap: …", which scrolls the panel to the overlap map); the gathering layers from Inspect
 * Layer at the cursor and from their own "Inspect" CodeLens, into the gather player: the window
 * read (across slices for a volume), the kernel, the products and the value written, stepped with
 * the keys, the buttons and the scrubber. The panel comes back at its step after the window reloads.
 * Screenshots go to test-results/e2e/ (volume-wavegan.png, volume-1d-gather.png,
 * volume-3d-gather.png and volume-unet3d-overlap.png are the README's).
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { frameWith, goTo, openFile, runCommand } from './driver';
import { repoRoot } from '../harness/prerequisites';
import { e2eResults, openSamples } from './setup';
import { until } from '../shared/until';

function volumeFrame(page: Page, op: string, timeoutMs?: number): Promise<Frame> {
  return frameWith(page, `#app:has(h1.panel-title:text-matches("^${op} ")) .step-label`, `${op} volume panel`, timeoutMs);
}

async function stepLabel(panel: Frame, expected: string): Promise<void> {
  await panel.locator('.step-label', { hasText: expected }).waitFor({ timeout: 5_000 });
}

/** The CodeLens `title` on the line whose lenses include `lineLens` (the layer's own "Overlap: …"). */
async function clickLens(page: Page, title: string, lineLens = title): Promise<void> {
  const line = page.locator('.monaco-editor .codelens-decoration', { has: page.locator('a', { hasText: lineLens }) }).first();
  await line.waitFor({ timeout: 30_000 });
  await line.locator('a', { hasText: title }).first().click();
}

/** How many volume panel pages the workbench holds now. */
async function volumePages(page: Page): Promise<number> {
  let count = 0;
  for (const frame of page.frames()) count += await frame.locator('#app:has(h1.panel-title) .step-label').count().catch(() => 0);
  return count;
}

/** Moves the player with its scrubber, as a drag does (an `input` event on the range). */
async function scrubTo(panel: Frame, step: number): Promise<void> {
  await panel.locator('.scrubber').evaluate((node, value) => {
    const range = node as HTMLInputElement;
    range.value = String(value);
    range.dispatchEvent(new Event('input', { bubbles: true }));
  }, step);
}

/** Whether `selector` is the page's focused element, and scrolled to: at the top of the viewport, or as near as the page's end lets it. */
function revealed(panel: Frame, selector: string): Promise<{ focused: boolean; top: number; scrolled: number; atTop: boolean }> {
  return panel.locator(selector).evaluate((node) => {
    const page = document.scrollingElement as Element;
    const top = node.getBoundingClientRect().top;
    const atEnd = page.scrollTop + window.innerHeight >= page.scrollHeight - 2;
    return { focused: document.activeElement === node, top, scrolled: page.scrollTop, atTop: Math.abs(top) < 2 || (atEnd && top >= 0 && top < window.innerHeight) };
  });
}

/** Puts the cursor in the `nn.` call on the fixture's line that holds `text` (Go to Line). */
async function cursorAt(page: Page, file: string, text: string): Promise<void> {
  const lines = fixture(file).split('\n');
  const line = lines.findIndex((l) => l.includes(text));
  assert.ok(line >= 0, `"${text}" is not in ${file}`);
  await goTo(page, line + 1, (lines[line] as string).indexOf('nn.', lines[line]?.indexOf(text)) + 3);
}

/** Runs Inspect Layer on the call on the line holding `text` and returns the volume panel showing `op`. */
async function inspectAt(page: Page, file: string, text: string, op: string): Promise<Frame> {
  // Quick Open clicks the workbench first, which could land on a CodeLens of the file shown: only switch files when needed.
  if ((await page.locator('.tabs-container .tab.active', { hasText: file }).count()) === 0) await openFile(page, file);
  else await runCommand(page, 'View: Focus First Editor Group');
  await cursorAt(page, file, text);
  await runCommand(page, 'Layer Lens: Inspect Layer');
  return volumeFrame(page, op);
}

/** The side of an output `1×1×S×S×S` (or the length of `1×1×L`) the panel's header states. */
async function outputSide(panel: Frame): Promise<number> {
  return Number((await panel.locator('.layer-shapes').innerText()).match(/→ 1×1×(\d+)/)?.[1]);
}

const fixture = (name: string) => readFileSync(join(repoRoot, 'test/fixtures/volumes', name), 'utf8');

describe('The volume panel from layer calls in model files', function () {
  this.timeout(240_000);
  let page: Page;

  before(async () => {
    // The model files beside the samples, as a person's workspace holds them.
    ({ page } = await openSamples({ extraFiles: { 'wavegan.py': fixture('wavegan.py'), 'unet3d.py': fixture('unet3d.py') } }));
  });

  it('WaveGAN: the ConvTranspose1d CodeLens opens the scatter player; "Overlap" scrolls to the overlap map', async () => {
    await openFile(page, 'wavegan.py');
    await clickLens(page, 'Inspect', 'Overlap: uneven');
    let panel = await volumeFrame(page, 'convTranspose1d');
    // Kernel 25, stride 4, padding 11, output_padding 1: L in, 4·L out.
    const shapes = (await panel.locator('.layer-shapes').innerText()).match(/^1×1×(\d+) with 1×1×25 → 1×1×(\d+)$/);
    assert.ok(shapes, 'the example and its shapes');
    const length = Number(shapes[1]);
    assert.equal(Number(shapes[2]), 4 * length);
    await stepLabel(panel, `Step ${length} of ${length}`);
    await panel.locator('button[data-action="start"]').click();
    await stepLabel(panel, `Step 0 of ${length}`);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await stepLabel(panel, `Step 2 of ${length}`);
    // Step 2 scatters x[1] into output 4·1 − 11 = −7 … 17: the taps that land past the padding are cropped.
    assert.equal(await panel.locator('[data-grid="input"] .mark-current').getAttribute('aria-label'), 'Input [1] = 1');
    assert.equal(await panel.locator('[data-grid="output"] .mark-window').count(), 18);
    await page.screenshot({ path: join(e2eResults, 'volume-wavegan.png') });

    // "Overlap: uneven …" on the same call: the panel scrolls to the overlap map and focuses it.
    await clickLens(page, 'Overlap: uneven');
    panel = await volumeFrame(page, 'convTranspose1d');
    await panel.locator('section.overlap').waitFor();
    await until('the overlap map scrolled to and focused', () => revealed(panel, 'section.overlap'), (r) => r.focused && r.scrolled > 0 && r.atTop);
    assert.match(await panel.locator('section.overlap h2').innerText(), /^Overlap — uneven/);
  });

  it('WaveGAN discriminator: Inspect Layer on a Conv1d steps its window, the kernel and the sum into each output value', async () => {
    const panel = await inspectAt(page, 'wavegan.py', 'self.conv1 = nn.Conv1d', 'conv1d');
    const shapes = (await panel.locator('.layer-shapes').innerText()).match(/^1×1×(\d+) with 1×1×25 → 1×1×(\d+)$/);
    assert.ok(shapes);
    const [length, outputs] = [Number(shapes[1]), Number(shapes[2])];
    assert.equal(outputs, Math.floor((length + 22 - 25) / 4) + 1, 'PyTorch’s output length');
    assert.match(await panel.locator('.steps .section-title').innerText(), /each output value is its window of the sequence times the kernel/);
    await stepLabel(panel, `Step ${outputs} of ${outputs}`);
    // Strips: the input, the kernel and the output are one row each.
    assert.equal(await panel.locator('[data-grid="input"] .grid-row[role="row"]:not(:first-child)').count(), 1);
    assert.equal(await panel.locator('[data-grid="kernel"] .cell').count(), 25);
    await panel.locator('button[data-action="start"]').click();
    await stepLabel(panel, `Step 0 of ${outputs}`);
    assert.equal(await panel.locator('[data-grid="output"] .cell.mark-pending').count(), outputs);
    await page.keyboard.press('ArrowRight');
    await stepLabel(panel, `Step 1 of ${outputs}`);
    // out[0]'s window starts 11 before the sequence: 25 products, 11 over the zero padding (more past a short example's end).
    const sentence = await panel.locator('.step-sentence').innerText();
    const padded = Number(sentence.match(/^Step 1: out\[0\] = the sum of 25 products of its window with the kernel \((\d+) of them over the zero padding\) = /)?.[1]);
    assert.ok(padded >= 11, sentence);
    assert.equal(await panel.locator('.step-products li').count(), 25);
    assert.equal(await panel.locator('.step-products li.cropped').count(), padded);
    assert.equal(await panel.locator('[data-grid="input"] .cell.mark-window').count(), 25 - padded);
    assert.equal(await panel.locator('[data-grid="output"] .cell.mark-current').count(), 1);
    assert.equal(await panel.locator('[data-grid="output"] .cell.mark-pending').count(), outputs - 1);
    // The value written is the sum the last product line ends on.
    const last = await panel.locator('.step-products li:not(.cropped)').last().innerText();
    assert.equal(sentence.match(/= (\S+)\.$/)?.[1], last.match(/\(sum (\S+)\)$/)?.[1]);
    // A click on a later output value goes to the step that computes it.
    await panel.locator(`[data-grid="output"] .cell[data-row="0"][data-col="${outputs - 1}"]`).click();
    await stepLabel(panel, `Step ${outputs} of ${outputs}`);
  });

  it('WaveGAN discriminator: an AvgPool1d step marks its window and says the divisor', async () => {
    const panel = await inspectAt(page, 'wavegan.py', 'self.pool = nn.AvgPool1d', 'avgPool1d');
    await panel.locator('button[data-action="start"]').click();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await stepLabel(panel, 'Step 2 of');
    // Kernel 4, stride 2, padding 2: out[1] reads x[0] to x[3], and PyTorch divides by 4.
    assert.match(await panel.locator('.step-sentence').innerText(), /^Step 2: out\[1\] = \(sum of 4 cells = \S+\) \/ 4 = \S+\.$/);
    assert.equal(await panel.locator('[data-grid="input"] .cell.mark-window').count(), 4);
    assert.deepEqual(await panel.locator('.step-products li').allInnerTexts().then((lines) => lines.map((l) => l.split(' = ')[0])), ['x[0]', 'x[1]', 'x[2]', 'x[3]']);
    await page.screenshot({ path: join(e2eResults, 'volume-1d-gather.png') });

    // The code's group maximized hides the panel, whose page is then gone; shown again, it opens at step 2.
    await runCommand(page, 'View: Focus First Editor Group');
    await runCommand(page, 'View: Toggle Maximize Editor Group');
    await until('the panel to be hidden', () => volumePages(page), (n) => n === 0);
    await runCommand(page, 'View: Toggle Maximize Editor Group');
    const back = await volumeFrame(page, 'avgPool1d');
    await stepLabel(back, 'Step 2 of');
    assert.match(await back.locator('.step-sentence').innerText(), /^Step 2: out\[1\]/);
  });

  it('3-D U-Net: the ConvTranspose3d CodeLens opens its slices; "Overlap" scrolls to the stack of count slices', async () => {
    // From an empty editor area: Quick Open's first click lands on no CodeLens of the previous file.
    await runCommand(page, 'View: Close All Editors');
    await openFile(page, 'unet3d.py');
    await clickLens(page, 'Inspect', 'Overlap: uneven');
    let panel = await volumeFrame(page, 'convTranspose3d');
    assert.match(await panel.locator('.layer-shapes').innerText(), /^1×1×(\d+)×\1×\1 with 1×1×3×3×3 → 1×1×(\d+)×\2×\2$/);
    assert.equal(await panel.locator('.depth-slider').count(), 3);
    await panel.locator('button[data-action="start"]').click();
    await page.keyboard.press('ArrowRight');
    await stepLabel(panel, 'Step 1 of');
    assert.equal(await panel.locator('[data-grid="input"] .mark-current').getAttribute('aria-label'), 'Input [0, 0, 0] = 1');
    await clickLens(page, 'Overlap: uneven');
    panel = await volumeFrame(page, 'convTranspose3d');
    await panel.locator('section.overlap').waitFor();
    await until('the count slices scrolled to and focused', () => revealed(panel, 'section.overlap'), (r) => r.focused && r.scrolled > 0 && r.atTop);
    // The lattice of kernel 3, stride 2: phases with 1, 2, 4 and 8 products.
    const counts = await panel.locator('.phase-table tr td:nth-child(2)').allInnerTexts();
    assert.deepEqual([...new Set(counts)].sort(), ['1', '2', '4', '8']);
    await page.screenshot({ path: join(e2eResults, 'volume-unet3d-overlap.png') });
  });

  it('3-D U-Net: a MaxPool3d step reads its window across two slices and marks the largest', async () => {
    const panel = await inspectAt(page, 'unet3d.py', 'self.pool = nn.MaxPool3d', 'maxPool3d');
    const shapes = (await panel.locator('.layer-shapes').innerText()).match(/^1×1×(\d+)×\1×\1 → 1×1×(\d+)×\2×\2$/);
    assert.ok(shapes);
    const side = Number(shapes[2]);
    const steps = side ** 3;
    await stepLabel(panel, `Step ${steps} of ${steps}`);
    // Into the second output slice: out[1, 0, 1] reads input slices 2 and 3.
    await scrubTo(panel, side * side + 2);
    await stepLabel(panel, `Step ${side * side + 2} of ${steps}`);
    assert.match(await panel.locator('.step-sentence').innerText(), /^Step \d+: out\[1, 0, 1\] = the largest of its window's 8 cells = \S+, at x\[[23], [01], [23]\]\.$/);
    assert.deepEqual(await panel.locator('[data-grid="input"]').evaluateAll((grids) => grids.map((g) => (g as HTMLElement).dataset.plane)), ['2', '3']);
    assert.equal(await panel.locator('[data-grid="input"][data-plane="2"] .cell.mark-window').count(), 4);
    assert.equal(await panel.locator('[data-grid="input"][data-plane="3"] .cell.mark-window').count(), 4);
    assert.equal(await panel.locator('[data-grid="input"] .cell.mark-current').count(), 1);
    assert.match(await panel.locator('[data-grid="output"] .matrix-title').innerText(), /^Output slice 1/);
    assert.match(await panel.locator('.plane-note').innerText(), /^Showing 2 of the input's \d+ slices: the ones this step reads\.$/);
    // On a large monitor with the side bar closed, the panel has room for the two slices side by side (the README's screenshot).
    const size = page.viewportSize();
    await page.setViewportSize({ width: 1920, height: 1200 });
    await runCommand(page, 'View: Focus First Editor Group');
    await page.keyboard.press('Control+B');
    await panel.locator('[data-grid="input"][data-plane="3"]').waitFor();
    await page.screenshot({ path: join(e2eResults, 'volume-3d-gather.png') });
    await page.keyboard.press('Control+B');
    if (size) await page.setViewportSize(size);

    // The output's depth slider looks at slice 0, all computed by now, without moving the player.
    const slider = panel.locator('.depth-slider[data-role="output"]');
    assert.equal(await slider.inputValue(), '1');
    await slider.focus();
    await page.keyboard.press('ArrowLeft');
    await panel.locator('[data-grid="output"] .matrix-title', { hasText: 'Output slice 0' }).waitFor({ timeout: 5_000 });
    assert.equal(await panel.locator('[data-grid="output"] .cell.mark-pending').count(), 0);
    assert.equal(await panel.locator('[data-grid="output"] .cell.mark-current').count(), 0);
    await stepLabel(panel, `Step ${side * side + 2} of ${steps}`);
    // The next step brings the slider back to the step's slice.
    await panel.locator('button[data-action="forward"]').click();
    await panel.locator('[data-grid="output"] .matrix-title', { hasText: 'Output slice 1' }).waitFor({ timeout: 5_000 });
    assert.equal(await slider.inputValue(), '1');
  });

  it('3-D U-Net: a Conv3d step shows the three slices under its window, the kernel’s three slices and the sum', async () => {
    const panel = await inspectAt(page, 'unet3d.py', 'self.smooth = nn.Conv3d', 'conv3d');
    const side = await outputSide(panel);
    // out[2, 1, 1]: kernel 3 with padding 1 reads slices 1, 2 and 3, rows and columns 0 to 2.
    await scrubTo(panel, 2 * side * side + side + 1 + 1);
    assert.match(await panel.locator('.step-sentence').innerText(), /^Step \d+: out\[2, 1, 1\] = the sum of 27 products of its window with the kernel = \S+\.$/);
    assert.deepEqual(await panel.locator('[data-grid="input"]').evaluateAll((grids) => grids.map((g) => (g as HTMLElement).dataset.plane)), ['1', '2', '3']);
    assert.equal(await panel.locator('[data-grid="input"] .cell.mark-window').count(), 27);
    assert.equal(await panel.locator('[data-grid="kernel"]').count(), 3);
    assert.equal(await panel.locator('.step-products li').count(), 27);
    assert.match(await panel.locator('.step-products li').first().innerText(), /^x\[1, 0, 0\] × w\[0, 0, 0\] = /);
    // Play moves the player on by itself; Space on the focused button pauses it.
    await panel.locator('button[data-action="togglePlay"]').click();
    await panel.locator('button[data-action="togglePlay"][aria-pressed="true"]').waitFor({ timeout: 5_000 });
    await until('the player to move on', () => panel.locator('.step-label').innerText(), (text) => !text.startsWith(`Step ${2 * side * side + side + 2} `));
    await page.keyboard.press('Space');
    await panel.locator('button[data-action="togglePlay"][aria-pressed="false"]').waitFor({ timeout: 5_000 });
  });

  it('3-D U-Net: a trilinear Upsample step blends the front and back slices’ corners', async () => {
    const panel = await inspectAt(page, 'unet3d.py', 'self.resize = nn.Upsample', 'upsample3d');
    const side = await outputSide(panel);
    // out[1, 1, 1] falls a quarter of the way between input cells 0 and 1 on every axis.
    await scrubTo(panel, side * side + side + 1 + 1);
    assert.match(await panel.locator('.step-sentence').innerText(), /^Step \d+: out\[1, 1, 1\] blends the input slices 0 and 1, rows 0 and 1 and columns 0 and 1/);
    const lines = await panel.locator('.step-products li').allInnerTexts();
    assert.equal(lines.length, 3);
    assert.match(lines[2] ?? '', /^out\[1, 1, 1\] = front × 0\.75 \+ back × 0\.25 = /);
    assert.equal(await panel.locator('[data-grid="input"] .cell.mark-window').count(), 8);
  });

  it('WaveGAN discriminator: the CodeLens above a Conv1d opens the gather player for the length its comment states; after the window reloads the panel comes back at its step', async () => {
    // Opened from the Explorer: after the 3-D tests Quick Open lists unet3d.py first, and a keystroke lost on a busy machine would open that instead.
    await runCommand(page, 'View: Focus First Editor Group');
    await runCommand(page, 'View: Close All Editors');
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'wavegan.py' }).first().click();
    await page.locator('.tabs-container .tab.active', { hasText: 'wavegan.py' }).waitFor();
    await page.locator('.monaco-editor .view-lines').first().waitFor();
    // The comment above conv1 states 16384 samples: the lens's example is cut to 32 (the other Conv1d assume 8).
    await cursorAt(page, 'wavegan.py', 'self.conv1 = nn.Conv1d');
    const lens = page.locator('.monaco-editor .codelens-decoration a[title="Step through this layer in Layer Lens on an example sequence 32 long"]');
    await lens.waitFor({ timeout: 30_000 });
    assert.equal(await lens.innerText(), 'Inspect');
    await lens.click();
    const panel = await volumeFrame(page, 'conv1d');
    assert.equal(await panel.locator('.layer-shapes').innerText(), '1×1×32 with 1×1×25 → 1×1×8');
    assert.equal(await panel.locator('.source').innerText(), 'nn.Conv1d at wavegan.py:48, on an example 32 input');
    await stepLabel(panel, 'Step 8 of 8');
    await panel.locator('button[data-action="start"]').click();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await stepLabel(panel, 'Step 3 of 8');
    await page.waitForTimeout(600); // the page keeps its layer and step after a short debounce

    await runCommand(page, 'Developer: Reload Window');
    await page.waitForEvent('load');
    await page.locator('.monaco-workbench').waitFor();
    const back = await volumeFrame(page, 'conv1d', 60_000);
    await stepLabel(back, 'Step 3 of 8');
    assert.match(await back.locator('.step-sentence').innerText(), /^Step 3: out\[2\] = the sum of 25 products of its window with the kernel/);
    assert.equal(await back.locator('.layer-shapes').innerText(), '1×1×32 with 1×1×25 → 1×1×8');
    assert.equal(await back.locator('.source').innerText(), 'nn.Conv1d at wavegan.py:48, on an example 32 input');
    // The restored player still steps.
    await back.locator('button[data-action="forward"]').click();
    await stepLabel(back, 'Step 4 of 8');
  });
});
