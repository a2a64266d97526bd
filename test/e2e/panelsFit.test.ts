/**
 * What a new user sees first in the panels, in the real workbench: Inspect Layer on a 32×32 input
 * (the grids label the rows and columns that fit, no two labels run into each other), Inspect Layer
 * where the code states no size (an example that fits the view), and the stack view's table, inside
 * the panel or scrolling in its own box.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { frameWith, goTo, openFile, runCommand } from './driver';
import { e2eResults, openSamples } from './setup';

const FILE = 'first_hour.py';
const TEXT = [
  'import torch.nn as nn',
  '',
  'up = nn.Sequential(',
  '    # 16 x 32 x 32',
  '    nn.ConvTranspose2d(16, 8, 3, stride=2),',
  ')',
  'down = nn.Sequential(',
  '    # 16 x 32 x 32',
  '    nn.Conv2d(16, 8, 3, padding=1),',
  ')',
  'unsized = nn.Conv2d(16, 8, 3, padding=1)',
  '',
].join('\n');

interface Label {
  readonly text: string;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** The written row and column labels of the first grid `role` draws, with the boxes of their text (not of their cells). */
async function labels(frame: Frame, role: string): Promise<{ rows: Label[]; columns: Label[] }> {
  return frame.locator(`[data-grid="${role}"] .grid`).first().evaluate((grid) => {
    const read = (kind: string) =>
      Array.from(grid.querySelectorAll(`.grid-index[role="${kind}"]`))
        .filter((label) => (label.textContent ?? '') !== '')
        .map((label) => {
          const range = document.createRange();
          range.selectNodeContents(label);
          const box = range.getBoundingClientRect();
          return { text: label.textContent ?? '', left: box.left, right: box.right, top: box.top, bottom: box.bottom };
        });
    return { rows: read('rowheader'), columns: read('columnheader') };
  });
}

/** Labels touching are read as one number ("1011121314"): at least this much room between two, in pixels. */
const MIN_ROOM = 2;

/** Labels are written at 0 and every `step`-th index after it, with room between any two. */
function assertReadable(found: Label[], count: number, axis: 'columns' | 'rows', where: string): void {
  assert.ok(found.length >= 4, `${where}: only ${found.length} ${axis} labelled`);
  const indices = found.map((label) => Number(label.text));
  const step = indices[1] as number;
  assert.equal(indices[0], 0, `${where}: the first of the ${axis} is labelled`);
  assert.ok([1, 2, 5, 10, 20].includes(step), `${where}: ${axis} labelled every ${step}`);
  assert.deepEqual(indices, Array.from({ length: Math.ceil(count / step) }, (_, i) => i * step), `${where}: ${axis} labels`);
  for (let i = 1; i < found.length; i++) {
    const [a, b] = [found[i - 1] as Label, found[i] as Label];
    if (axis === 'columns') assert.ok(b.left - a.right >= MIN_ROOM, `${where}: column labels ${a.text} (ends at ${a.right}) and ${b.text} (starts at ${b.left}) run into each other`);
    else assert.ok(b.top - a.bottom >= 0, `${where}: row labels ${a.text} (ends at ${a.bottom}) and ${b.text} (starts at ${b.top}) overlap`);
  }
}

describe('The panels at first sight in the real workbench', function () {
  this.timeout(180_000);
  let page: Page;

  before(async () => {
    ({ page } = await openSamples({ extraFiles: { [FILE]: TEXT } }));
  });

  it('Inspect Layer on a 32×32 input: the grids label every few rows and columns, with room between any two labels', async () => {
    await openFile(page, FILE);
    await goTo(page, 5, 10);
    await runCommand(page, 'Layer Lens: Inspect Layer');
    const transposed = await frameWith(page, '#app [data-grid="input"] .grid', 'transposed-convolution panel');
    assert.match(await transposed.locator('[data-grid="input"] .matrix-shape').first().innerText(), /^32 × 32$/);
    const input = await labels(transposed, 'input');
    assertReadable(input.columns, 32, 'columns', 'transposed panel, input');
    assertReadable(input.rows, 32, 'rows', 'transposed panel, input');
    await page.screenshot({ path: join(e2eResults, 'inspect-layer-32.png') });

    await goTo(page, 9, 10);
    await runCommand(page, 'Layer Lens: Inspect Layer');
    const layer = await frameWith(page, '#app:has(h1.panel-title:text-is("Convolution")) .steps-host [data-grid="output"] .grid', 'layer panel');
    for (const role of ['input', 'output']) {
      const found = await labels(layer, role);
      assertReadable(found.columns, 32, 'columns', `layer panel, ${role}`);
      assertReadable(found.rows, 32, 'rows', `layer panel, ${role}`);
    }
    await page.screenshot({ path: join(e2eResults, 'inspect-conv-32.png') });
  });

  it('Inspect Layer where the code states no input size: an 8×8 example, every label and number written, said so', async () => {
    await goTo(page, 11, 14);
    await runCommand(page, 'Layer Lens: Inspect Layer');
    const layer = await frameWith(page, '#app .source:text-matches("first_hour.py:11")', 'layer panel on line 7');
    assert.equal(await layer.locator('.source').innerText(), 'nn.Conv2d at first_hour.py:11, on an example 8×8 input (the code does not state its input size)');
    assert.equal(await layer.locator('[data-grid="input"] .matrix-shape').innerText(), '8 × 8');
    const found = await labels(layer, 'input');
    assert.deepEqual(found.columns.map((l) => l.text), ['0', '1', '2', '3', '4', '5', '6', '7']);
    // Cells this large show their numbers.
    assert.equal(await layer.locator('[data-grid="input"] .cell').first().innerText(), '0');
    await page.screenshot({ path: join(e2eResults, 'inspect-conv-unsized.png') });
  });

  it('the stack view’s table stays inside the panel: wider, it scrolls in its own box with the scroll bar right under it', async () => {
    await openFile(page, 'keras_generator.py');
    await goTo(page, 12, 20);
    await runCommand(page, 'Layer Lens: Inspect Stack');
    const view = await frameWith(page, '.stack-header', 'stack view');
    await view.locator('.stack-row').nth(10).waitFor();
    // The input is not known (a Dense layer comes first); the summary says what is, and where from.
    assert.match(await view.locator('.stack-summary').innerText(), /^11 layers · input \[N, \?, \?, \?\] \(not known: shapes start at layers\.Reshape on line 15, which states \[N, 7, 7, 256\]\) → output \[N, 28, 28, 1\]/);
    const geometry = await view.locator('.stack-table').evaluate((table) => {
      let box: HTMLElement | null = table.parentElement;
      while (box && box.scrollWidth <= box.clientWidth) box = box.parentElement;
      const t = table.getBoundingClientRect();
      const note = (table.querySelector('.stack-detail-text') as HTMLElement).getBoundingClientRect();
      return {
        viewWidth: document.documentElement.clientWidth,
        table: { right: t.right, bottom: t.bottom },
        note: { right: note.right },
        scroller: box && {
          right: box.getBoundingClientRect().right,
          bottom: box.getBoundingClientRect().bottom,
          owns: box.querySelectorAll('table').length === 1,
          shadow: box.parentElement?.className ?? '',
        },
      };
    });
    // The panel beside the editor is narrower than the table here (a 1440-pixel window).
    if (geometry.table.right > geometry.viewWidth) {
      assert.ok(geometry.scroller, 'the table is wider than the panel and nothing scrolls it');
      assert.ok(geometry.scroller.owns, 'the table scrolls in a box of its own');
      assert.ok(geometry.scroller.right <= geometry.viewWidth, `the table's box ends at ${geometry.scroller.right}, past the panel's ${geometry.viewWidth}`);
      // The scroll bar's place (headless Chromium draws none): right under the table.
      assert.ok(geometry.scroller.bottom - geometry.table.bottom <= 20, `the table's box ends ${geometry.scroller.bottom - geometry.table.bottom} px under it`);
      // A shadow on the right says more is there; scrolled to the end, it moves to the left.
      assert.match(geometry.scroller.shadow, /\bmore-right\b/);
      assert.doesNotMatch(geometry.scroller.shadow, /\bmore-left\b/);
      await page.screenshot({ path: join(e2eResults, 'stack-table-width.png') });
      await view.locator('.stack-table-scroll').evaluate((box) => box.scrollTo({ left: box.scrollWidth }));
      await view.locator('.stack-table-frame.more-left:not(.more-right)').waitFor();
      assert.equal(await view.locator('.stack-row').first().locator('td').last().isVisible(), true);
      await page.screenshot({ path: join(e2eResults, 'stack-table-scrolled.png') });
    }
    // The note under layers.Dense wraps inside the panel.
    assert.ok(geometry.note.right <= geometry.viewWidth, `the note ends at ${geometry.note.right}, past the panel's ${geometry.viewWidth}`);
  });
});
