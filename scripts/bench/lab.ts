/**
 * The checkerboard lab's benchmark: a 256×256 input through all three methods and their spectra,
 * in process (the engine alone, and its parts) and as the extension runs it, in the engine worker
 * thread (`dist/engineWorker.js`): from posting the request to holding the result, the first job of
 * a fresh worker and warm ones, while the main thread's event loop is watched for stalls. It
 * measures and prints; it asserts nothing.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { LabSettings } from '../../src/core/protocol/lab';
import { core } from './core';
import { median, medianMs } from './measure';

export interface LabFigure {
  readonly name: string;
  readonly ms: number;
  /** For worker jobs: the longest gap between main-thread timer ticks while the jobs ran. */
  readonly mainThreadStallMs?: number;
}

const SIZE = 256;
const workerScript = join(__dirname, '../../../dist/engineWorker.js');

export async function labFigures(budgetMs: number): Promise<LabFigure[]> {
  const figures: LabFigure[] = [];
  const input = core.labInput('pattern', [SIZE, SIZE], 1);
  for (const kernel of [3, 4]) {
    const options = { factor: 2, kernel };
    figures.push({ name: `${SIZE}×${SIZE} pattern, ×2, k${kernel}: all three methods and spectra, in process`, ms: await medianMs(() => core.runCheckerboardLab(input, options), budgetMs) });
  }
  const c = core.compareUpsampling(input, { factor: 2, kernel: 3 });
  figures.push({ name: '  of which the three methods, counts and measures (compareUpsampling)', ms: await medianMs(() => core.compareUpsampling(input, { factor: 2, kernel: 3 }), budgetMs) });
  const window = c.transposed.measures?.window;
  figures.push({ name: `  of which one exact spectrum (${window ? `${window.rows.end - window.rows.start}×${window.cols.end - window.cols.start}, Bluestein` : 'no window'})`, ms: await medianMs(() => core.powerSpectrum2d(c.transposed.output, window), budgetMs) });
  figures.push(...(await workerFigures()));
  return figures;
}

/** The lab as the extension runs it: in the engine worker, with the main thread free. */
async function workerFigures(): Promise<LabFigure[]> {
  const settings: LabSettings = { factor: 2, kernelSize: 3, input: 'pattern', size: SIZE, mode: 'nearest', stages: 1, seed: 1 };
  const worker = new Worker(workerScript);
  let id = 0;
  const job = () =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      const mine = ++id;
      const listener = (message: { id: number; ok: boolean; failure?: { message: string } }) => {
        if (message.id !== mine) return;
        worker.off('message', listener);
        if (message.ok) resolve(performance.now() - started);
        else reject(new Error(message.failure?.message));
      };
      worker.on('message', listener);
      worker.postMessage({ id: mine, op: 'checkerboardLab', settings });
    });
  // The main thread ticks every millisecond; the longest gap between ticks is its longest stall.
  let stall = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last);
    last = now;
  }, 1);
  try {
    // The baseline: the longest gap with no job at all, over as long as the warm jobs will take.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const idleStall = stall;
    stall = 0;
    const first = await job();
    const firstStall = stall;
    stall = 0;
    const warm: number[] = [];
    for (let i = 0; i < 7; i++) warm.push(await job());
    return [
      { name: 'the main thread idle for 2 s, no job (the timer’s own jitter on this machine)', ms: 2000, mainThreadStallMs: idleStall },
      { name: `${SIZE}×${SIZE} pattern, ×2, k3 in the engine worker: first job of a fresh worker, request to result`, ms: first, mainThreadStallMs: firstStall },
      { name: `${SIZE}×${SIZE} pattern, ×2, k3 in the engine worker: warm, request to result (median of 7)`, ms: median(warm), mainThreadStallMs: stall },
    ];
  } finally {
    clearInterval(ticker);
    await worker.terminate();
  }
}
