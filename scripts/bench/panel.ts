/**
 * The panel's speed in a real browser (Debian's Chromium through Playwright): the built
 * `dist/transposed.js` and `.css` in a page whose `acquireVsCodeApi` is a stand-in, sent the same
 * `show` message the extension sends. Measured inside the page, from posting the message (or the
 * key press, or the scrubber move) to the end of the frame that paints the result.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findChromium, repoRoot } from '../../test/harness/prerequisites';
import { seeded } from './cases';

export interface PanelFigure {
  readonly name: string;
  /** Median and slowest, milliseconds. */
  readonly medianMs: number;
  readonly maxMs: number;
  readonly samples: number;
}

/** Raw operands for the page, which builds the Float64Arrays itself (they do not survive `evaluate` as such). */
interface LayerSpec {
  readonly input: { rows: number; cols: number; values: number[] };
  readonly kernel: { rows: number; cols: number; values: number[] };
  readonly stride: number;
  readonly padding: number;
}

function spec(inputSize: number, kernelSize: number, stride: number, padding: number): LayerSpec {
  const matrix = (n: number, seed: number) => ({ rows: n, cols: n, values: Array.from(seeded(n * n, seed)) });
  return { input: matrix(inputSize, 3), kernel: matrix(kernelSize, 5), stride, padding };
}

async function openPanelPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  // Like the real panel's policy, this one does not allow WebAssembly, so the engine runs its TypeScript kernels as it does there.
  const policy = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'";
  await page.setContent(`<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="${policy}"></head><body><main id="app"></main></body></html>`);
  await page.addStyleTag({ content: readFileSync(join(repoRoot, 'dist/transposed.css'), 'utf8') });
  // What VS Code gives a webview: here only a stand-in, since the page talks to no host.
  await page.addScriptTag({ content: 'window.acquireVsCodeApi = () => ({ postMessage() {}, getState: () => undefined, setState() {} });' });
  await page.addScriptTag({ content: readFileSync(join(repoRoot, 'dist/transposed.js'), 'utf8') });
  page.on('pageerror', (error) => console.error(`panel page error: ${error.message}`));
  return page;
}

/** Posts `show` and resolves with the milliseconds until the frame after it has painted. */
function showAndTime(page: Page, layer: LayerSpec): Promise<number> {
  return page.evaluate(async (l) => {
    const matrix = (m: LayerSpec['input']) => ({ rows: m.rows, cols: m.cols, data: Float64Array.from(m.values) });
    const pair = (n: number) => [n, n];
    const message = {
      type: 'show',
      snapshot: { kind: 'ready', layer: { input: matrix(l.input), kernel: matrix(l.kernel), params: { stride: pair(l.stride), padding: pair(l.padding), outputPadding: pair(0), dilation: pair(1) } } },
    };
    const start = performance.now();
    window.postMessage(message, '*');
    // The first frame whose callbacks find the output drawn is the one that paints it; a task queued
    // from there runs once that frame is on screen.
    const elapsed = await new Promise<number>((resolve, reject) => {
      const deadline = start + 10_000;
      const frame = () => {
        if (document.querySelector('[data-grid="output"]')) setTimeout(() => resolve(performance.now() - start), 0);
        else if (performance.now() > deadline) reject(new Error(`the panel drew no output: ${document.getElementById('app')?.innerText.slice(0, 200) ?? ''}`));
        else requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    return elapsed;
  }, layer);
}

/** Times `count` player moves made by `move` (a key press or a scrubber jump), each to the end of its painted frame. */
function timeMoves(page: Page, kind: 'step' | 'scrub', count: number): Promise<number[]> {
  return page.evaluate(
    async ({ kind, count }) => {
      const scrubber = document.querySelector('.scrubber') as HTMLInputElement;
      const max = Number(scrubber.max);
      const times: number[] = [];
      let seed = 7;
      for (let k = 0; k < count; k++) {
        const start = performance.now();
        if (kind === 'step') {
          document.body.dispatchEvent(new KeyboardEvent('keydown', { key: k % 2 === 0 ? 'ArrowRight' : 'ArrowLeft', bubbles: true }));
        } else {
          seed = (seed * 1103515245 + 12345) % 2147483648;
          scrubber.value = String(seed % (max + 1));
          scrubber.dispatchEvent(new Event('input', { bubbles: true }));
        }
        await new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
        times.push(performance.now() - start);
      }
      return times;
    },
    { kind, count },
  );
}

/** The median and slowest of `times`, as a figure. */
export function summary(name: string, times: readonly number[]): PanelFigure {
  const sorted = [...times].sort((a, b) => a - b);
  return { name, medianMs: sorted[Math.floor(sorted.length / 2)] as number, maxMs: sorted[sorted.length - 1] as number, samples: sorted.length };
}

export async function panelFigures(): Promise<PanelFigure[]> {
  const browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const figures: PanelFigure[] = [];
    // First paint of a fresh page, as when the panel opens: 64×64 input, 4×4 kernel, stride 2, padding 1 (a 128×128 output).
    const first: number[] = [];
    for (let k = 0; k < 5; k++) {
      const page = await openPanelPage(browser);
      first.push(await showAndTime(page, spec(64, 4, 2, 1)));
      await page.close();
    }
    figures.push(summary('first paint, 64×64 input, 4×4 kernel (fresh page)', first));

    // A 256×256 output: 128×128 input, 4×4 kernel, stride 2, padding 1.
    const page = await openPanelPage(browser);
    const big = spec(128, 4, 2, 1);
    figures.push(summary('first paint, 128×128 input → 256×256 output', [await showAndTime(page, big)]));
    await timeMoves(page, 'step', 10); // warm-up
    figures.push(summary('one step (← / →), 256×256 output', await timeMoves(page, 'step', 60)));
    figures.push(summary('a scrubber jump to a random step, 256×256 output', await timeMoves(page, 'scrub', 60)));
    await page.close();
    return figures;
  } finally {
    await browser.close();
  }
}
