/**
 * The checkerboard lab in the real workbench: run from the Command Palette through its quick picks,
 * then read what the page really drew. On a constant input the transposed convolution's output
 * alternates (a checkerboard) and the other two are flat; on a gradient the transposed output's
 * neighbours go up and down while the other two only rise. Screenshots of both are saved (and were
 * looked at: the checkerboard is visible in the first column only). "Why?" opens the step player.
 */
import * as assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { frameWith, openFile, quickInput, runCommand } from './driver';
import { e2eResults, openSamples } from './setup';


/** The lab's document among the page's frames. */
function labFrame(page: Page, timeoutMs = 20_000): Promise<Frame> {
  return frameWith(page, '.lab-title', 'checkerboard lab', timeoutMs);
}

/** Accepts the quick pick's active row once it offers a row reading `row`. */
async function acceptWhenOffered(page: Page, row: string): Promise<void> {
  await page.locator(`${quickInput} .monaco-list-row`, { hasText: row }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * The grey levels of the interior of a method's output picture, one per output cell (the centre
 * pixel of its block), row by row: what a person sees, read from the canvas the page drew.
 */
async function drawnInterior(lab: Frame, method: string): Promise<number[][]> {
  return lab.locator(`.lab-method[data-method="${method}"] canvas.lab-output`).evaluate((canvas: HTMLCanvasElement) => {
    const label = canvas.getAttribute('aria-label') ?? '';
    const [, rows, cols] = /the (\d+)×(\d+) output/.exec(label) ?? [];
    const scale = canvas.width / Number(cols);
    const ctx = canvas.getContext('2d');
    if (!ctx) return [];
    const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    const grid: number[][] = [];
    // A margin of 4 cells keeps clear of the borders every method has.
    for (let r = 4; r < Number(rows) - 4; r++) {
      const row: number[] = [];
      for (let c = 4; c < Number(cols) - 4; c++) {
        const x = Math.floor(c * scale + scale / 2);
        const y = Math.floor(r * scale + scale / 2);
        row.push(pixels[4 * (y * canvas.width + x)] as number);
      }
      grid.push(row);
    }
    return grid;
  });
}

/** A PNG of `width × height` RGB pixels from `pixel(x, y)`, written by hand (no image library in the tests). */
function png(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter, no interlace
  const rows = Buffer.alloc(height * (1 + 3 * width));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set(pixel(x, y), y * (1 + 3 * width) + 1 + 3 * x);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

const spread = (grid: number[][]) => Math.max(...grid.flat()) - Math.min(...grid.flat());

/** How often, along the rows, the step to the next cell changes sign (up then down): 0 for a monotone image. */
function reversals(grid: number[][]): number {
  let count = 0;
  for (const row of grid) {
    let last = 0;
    for (let c = 1; c < row.length; c++) {
      const step = Math.sign((row[c] as number) - (row[c - 1] as number));
      if (step !== 0 && last !== 0 && step !== last) count++;
      if (step !== 0) last = step;
    }
  }
  return count;
}

async function waitForReady(lab: Frame, caption: RegExp): Promise<void> {
  await lab.locator('#app[data-state="ready"] .lab-caption', { hasText: caption }).waitFor({ timeout: 30_000 });
}

describe('The checkerboard lab in the real workbench', function () {
  this.timeout(180_000);
  let page: Page;
  let lab: Frame;

  before(async () => {
    ({ page } = await openSamples());
    // Room for the three columns with their pictures, as on a large monitor.
    await page.setViewportSize({ width: 1600, height: 1150 });
  });

  /** Picks "Image file…" in the lab and answers the open dialog with `name`, written into the workspace folder it offers. */
  async function pickImage(frame: Frame, name: string, bytes: Buffer): Promise<void> {
    await frame.locator('#lab-input').selectOption('pick-image');
    const path = page.locator(`${quickInput} input`);
    await path.waitFor({ state: 'visible' });
    let folder = '';
    const deadline = Date.now() + 10_000;
    while (!/\/samples\/?$/.test(folder) && Date.now() < deadline) {
      await page.waitForTimeout(100);
      folder = await path.inputValue();
    }
    const file = join(folder, name);
    await writeFile(file, bytes);
    await path.fill(file);
    await page.keyboard.press('Enter');
  }

  it('runs from the Command Palette: factor 2, kernel 3, constant → the transposed output is a checkerboard, the others are flat', async () => {
    // Opening a Python file, as a person starts, also lets the workbench finish loading the extensions.
    await openFile(page, 'textbook.py');
    await runCommand(page, 'Layer Lens: Compare Upsampling Methods');
    await acceptWhenOffered(page, '×2');
    await acceptWhenOffered(page, 'not divisible by 2');
    await acceptWhenOffered(page, 'Constant');
    await waitForReady(await labFrame(page), /constant 32×32 input by 2 with a 3×3 kernel/);
    // One editor group, so the three columns sit side by side as a person would arrange them. Moving
    // the panel rebuilds its page, which asks the host again and redraws the same comparison.
    await runCommand(page, 'View: Single Column Editor Layout');
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await page.locator('.tabs-container .tab', { hasText: 'Layer Lens: Checkerboard Lab' }).click();
    lab = await labFrame(page);
    await waitForReady(lab, /constant 32×32 input by 2 with a 3×3 kernel/);

    assert.equal(await lab.locator('.lab-method[data-method="transposed"]').getAttribute('data-verdict'), 'checkerboard');
    assert.equal(await lab.locator('.lab-method[data-method="resize"]').getAttribute('data-verdict'), 'flat');
    assert.equal(await lab.locator('.lab-method[data-method="subPixel"]').getAttribute('data-verdict'), 'flat');
    assert.equal(await lab.locator('.lab-method[data-method="transposed"] .lab-share-value').innerText(), '19.0%');

    const transposed = await drawnInterior(lab, 'transposed');
    assert.ok(transposed.length > 40, 'the output picture was not drawn');
    // Drawn on the scale the three share (black 1 to white 9, the others' flat value): 1, 2 and 4 are three distinct dark greys.
    assert.equal(new Set(transposed.flat()).size, 3);
    assert.ok(spread(transposed) > 60, `the transposed output should alternate visibly (grey levels spread ${spread(transposed)})`);
    // Neighbouring cells differ across the whole interior: the 2×2 tile 1, 2 / 2, 4 repeats.
    assert.notEqual(transposed[0]?.[0], transposed[0]?.[1]);
    assert.notEqual(transposed[0]?.[0], transposed[1]?.[0]);
    assert.equal(transposed[0]?.[0], transposed[2]?.[2]);
    for (const method of ['resize', 'subPixel']) assert.equal(spread(await drawnInterior(lab, method)), 0, `${method} should be flat on a constant input`);

    await page.screenshot({ path: join(e2eResults, 'lab-constant.png') });
  });

  it('switches to the gradient in the panel (keyboard): only the transposed output goes up and down', async () => {
    const input = lab.locator('#lab-input');
    await input.focus();
    await input.selectOption('gradient');
    await waitForReady(lab, /32×32 gradient/);
    const transposed = await drawnInterior(lab, 'transposed');
    assert.ok(reversals(transposed) > 100, `the transposed output should zigzag (${reversals(transposed)} reversals)`);
    for (const method of ['resize', 'subPixel']) {
      const grid = await drawnInterior(lab, method);
      assert.equal(reversals(grid), 0, `${method} should rise smoothly on a gradient`);
      assert.ok(spread(grid) > 100, `${method} should show the gradient`);
    }
    assert.equal(await lab.locator('.lab-method[data-method="transposed"]').getAttribute('data-verdict'), 'checkerboard');
    await page.screenshot({ path: join(e2eResults, 'lab-gradient.png') });
  });

  it('exports the numbers as CSV through the save dialog, into the workspace', async () => {
    await lab.locator('button[data-action="export-csv"]').click();
    // code-server's save dialog is VS Code's simple file dialog: a quick input holding the path.
    const path = page.locator(`${quickInput} input`);
    await path.waitFor({ state: 'visible' });
    // The dialog fills in the suggested path after it opens.
    let target = '';
    const deadline = Date.now() + 10_000;
    while (!/checkerboard-lab\.csv$/.test(target) && Date.now() < deadline) {
      await page.waitForTimeout(100);
      target = await path.inputValue();
    }
    assert.match(target, /\/samples\/checkerboard-lab\.csv$/, 'the dialog suggests checkerboard-lab.csv in the workspace folder');
    await page.keyboard.press('Enter');
    await lab.locator('.export-status', { hasText: 'Saved checkerboard-lab.csv' }).waitFor({ timeout: 15_000 });
    // code-server runs on this machine: the path in the dialog is the file on disk.
    const lines = (await readFile(target, 'utf8')).trimEnd().split('\r\n');
    assert.equal(lines.length, 4);
    assert.match(lines[1] ?? '', /^transposed,checkerboard,0\.19,0\.15\d*,4,gradient,32,32,2,3,3,nearest,1,/);
    assert.match(lines[2] ?? '', /^resize,flat,0,/);
  });

  it('takes a PNG from the workspace, decoded by the browser in the panel: grey, then its red channel', async () => {
    // Red rises left to right, green is a constant half, blue is 0: grey and red differ.
    await pickImage(lab, 'ramp.png', png(40, 24, (x) => [Math.round((255 * x) / 39), 128, 0]));
    await waitForReady(lab, /ramp\.png \(grey\) by 2/);
    assert.equal(await lab.locator('.lab-method[data-method="transposed"]').getAttribute('data-verdict'), 'checkerboard');
    assert.equal(reversals(await drawnInterior(lab, 'resize')), 0, 'a ramp stays a ramp through resize-convolution');
    await lab.locator('#lab-channel').selectOption('red');
    await waitForReady(lab, /ramp\.png \(red\) by 2/);
  });

  it('refuses an image whose header claims 30000×30000 pixels before reading or decoding it, saying so, and keeps the image in use', async () => {
    // A 1×1 PNG whose header is changed to say 30000×30000: 70 bytes that would decode to 3.6 GB.
    const huge = png(1, 1, () => [0, 0, 0]);
    huge.writeUInt32BE(30000, 16);
    huge.writeUInt32BE(30000, 20);
    await pickImage(lab, 'huge.png', huge);
    await lab.locator('.export-status', { hasText: 'huge.png is 30000×30000 pixels, more than the 50 megapixels the lab decodes' }).waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(e2eResults, 'lab-huge-image-refused.png') });
    assert.match(await lab.locator('.lab-caption').innerText(), /ramp\.png \(red\)/, 'the image in use stays');
  });

  it('a click on a cell of the transposed output lists the products that made it in the step player', async () => {
    lab = await labFrame(page);
    const output = lab.locator('.lab-method[data-method="transposed"] canvas.lab-output');
    const box = await output.boundingBox();
    assert.ok(box, 'the transposed output is not drawn');
    // The output's size is in its label (the red channel of ramp.png, 24×40, gives 48×80). In the
    // interior, kernel 3 and stride 2 give alternate rows, and alternate columns, 1 and 2 products,
    // so the cells (10, 10), (10, 11) and (11, 11) get 1, 2 and 4 between them.
    const [, rowsText, colsText] = /the (\d+)×(\d+) output/.exec((await output.getAttribute('aria-label')) ?? '') ?? [];
    const rows = Number(rowsText);
    const cols = Number(colsText);
    assert.ok(rows > 20 && cols > 20, `unexpected output size ${rowsText}×${colsText}`);
    const productsOf = async (row: number, col: number): Promise<number> => {
      await output.click({ position: { x: ((col + 0.5) / cols) * box.width, y: ((row + 0.5) / rows) * box.height } });
      const stepPlayer = await frameWith(page, `.cell-view:has-text("output[${row}, ${col}]")`, `step player listing the products of output[${row}, ${col}]`);
      return stepPlayer.locator('.cell-products li').count();
    };
    const counts: number[] = [];
    for (const [row, col] of [[10, 10], [10, 11], [11, 11]] as const) counts.push(await productsOf(row, col));
    assert.deepEqual([...counts].sort(), [1, 2, 4], `products listed for the three cells: ${counts.join(', ')}`);
    await page.screenshot({ path: join(e2eResults, 'lab-cell-why.png') });
  });

  it('“Why?” opens the step player on the resize-convolution written as one transposed convolution', async () => {
    lab = await labFrame(page);
    await lab.locator('.lab-method[data-method="resize"] button[data-action="why"]').click();
    const deadline = Date.now() + 20_000;
    let found = false;
    while (!found && Date.now() < deadline) {
      for (const frame of page.frames()) {
        if (await frame.locator('.source', { hasText: 'lab: resize-convolution on ramp.png (red)' }).count().catch(() => 0)) found = true;
      }
      if (!found) await page.waitForTimeout(200);
    }
    assert.ok(found, 'the step panel did not open on the lab’s layer');
  });

  it('the step panel’s beaker button opens the lab on that layer: its 24×40 input, its 4×4 kernel, its stride', async () => {
    let stepPanel: Frame | undefined;
    for (const frame of page.frames()) {
      if (await frame.locator('.source', { hasText: 'lab: resize-convolution' }).count().catch(() => 0)) stepPanel = frame;
    }
    assert.ok(stepPanel, 'the step panel is not open');
    await stepPanel.locator('button[data-action="compare-upsampling"]').click();
    await page.locator('.tabs-container .tab', { hasText: 'Layer Lens: Checkerboard Lab' }).click();
    lab = await labFrame(page);
    await waitForReady(lab, /your 24×40 matrix by 2 with your 4×4 kernel/);
    // Resize-convolution's kernel, now used by all three: even counts with kernel 4, and uniform
    // phase sums (it is a box filter over the stride), so even the transposed convolution is flat.
    assert.equal(await lab.locator('.lab-method[data-method="transposed"]').getAttribute('data-verdict'), 'flat');
  });
  it('offers disabled, with the reason, what the lab would refuse: 3 stages of a 256×256 input', async () => {
    lab = await labFrame(page);
    await lab.locator('#lab-input').selectOption('pattern');
    await waitForReady(lab, /test pattern/);
    await lab.locator('#lab-size').selectOption('256');
    await waitForReady(lab, /256×256 test pattern/);
    const three = lab.locator('#lab-stages option[value="3"]');
    assert.equal(await three.isDisabled(), true);
    assert.match((await three.getAttribute('title')) ?? '', /would take about \d(\.\d)? billion multiply-adds, more than the 600 million Layer Lens spends on one comparison/);
    assert.equal(await lab.locator('#lab-stages option[value="2"]').isDisabled(), false);
  });

  it('decodes a larger image at the size it uses (128 pixels a side)', async () => {
    lab = await labFrame(page);
    await pickImage(lab, 'wide.png', png(300, 180, (x, y) => [x % 256, y % 256, 0]));
    await waitForReady(lab, /wide\.png \(grey, scaled to 128×77\)/);
  });
});

describe('The checkerboard lab in the browser’s extension host (as on vscode.dev)', function () {
  this.timeout(180_000);

  it('computes there (the engine worker is a Web Worker) and draws the same verdicts', async () => {
    const { page } = await openSamples({ webExtensionHost: true });
    await openFile(page, 'textbook.py');
    await runCommand(page, 'Layer Lens: Compare Upsampling Methods');
    await acceptWhenOffered(page, '×2');
    await acceptWhenOffered(page, 'not divisible by 2');
    await acceptWhenOffered(page, 'Constant');
    const lab = await labFrame(page);
    await waitForReady(lab, /constant 32×32 input by 2 with a 3×3 kernel/);
    assert.deepEqual(
      await lab.locator('.lab-method').evaluateAll((cards) => cards.map((card) => (card as HTMLElement).dataset.verdict)),
      ['checkerboard', 'flat', 'flat'],
    );
    assert.equal(await lab.locator('.lab-method[data-method="transposed"] .lab-share-value').innerText(), '19.0%');
  });
});
