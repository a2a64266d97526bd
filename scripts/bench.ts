/**
 * `npm run bench`: how long the engine and the parsers take, through the same `dist/core.js` that
 * other tools use. Median of repeated calls after a warm-up, single-threaded; it measures and
 * prints, it asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type * as Core from '../src/core';

// The built library, loaded at run time as a consumer would (scripts compile to out/scripts/).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const core = require(join(__dirname, '../../dist/core.js')) as typeof Core;

interface Measurement {
  readonly name: string;
  readonly medianMs: number;
  readonly runs: number;
}

/** Calls `fn` until `budgetMs` is spent (at least 5 times, after 2 warm-ups); returns the median. */
function measure(name: string, fn: () => unknown, budgetMs = 1500): Measurement {
  fn();
  fn();
  const times: number[] = [];
  const started = performance.now();
  while (times.length < 5 || (performance.now() - started < budgetMs && times.length < 200)) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { name, medianMs: times[Math.floor(times.length / 2)] as number, runs: times.length };
}

/** Deterministic pseudo-random values in [-1, 1), so every run measures the same data. */
function seeded(n: number, seed = 1): Float64Array {
  const data = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 31 - 1;
  }
  return data;
}

function randomTensor(shape: number[], seed: number): Core.Tensor {
  return core.tensor(shape, seeded(shape.reduce((a, b) => a * b, 1), seed));
}

interface ConvCase {
  readonly label: string;
  readonly input: number[];
  readonly weight: number[];
  readonly options: { stride: number; padding?: number; outputPadding?: number };
}

const convCases: ConvCase[] = [
  { label: '1×1×2×2, k2 s1', input: [1, 1, 2, 2], weight: [1, 1, 2, 2], options: { stride: 1 } },
  { label: '1×1×64×64, k3 s2', input: [1, 1, 64, 64], weight: [1, 1, 3, 3], options: { stride: 2 } },
  { label: '1×1×256×256, k4 s2 p1', input: [1, 1, 256, 256], weight: [1, 1, 4, 4], options: { stride: 2, padding: 1 } },
  { label: '1×16×64×64 → 8, k4 s2 p1', input: [1, 16, 64, 64], weight: [16, 8, 4, 4], options: { stride: 2, padding: 1 } },
  { label: '1×64×32×32 → 32, k3 s2 p1 op1', input: [1, 64, 32, 32], weight: [64, 32, 3, 3], options: { stride: 2, padding: 1, outputPadding: 1 } },
  { label: '1×1×1024×1024, k3 s2', input: [1, 1, 1024, 1024], weight: [1, 1, 3, 3], options: { stride: 2 } },
];

function pythonMatrix(rows: number, cols: number): string {
  const data = seeded(rows * cols, 7);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    lines.push(`[${Array.from(data.subarray(r * cols, (r + 1) * cols), (v) => v.toFixed(6)).join(', ')}]`);
  }
  return `[${lines.join(',\n ')}]`;
}

function pythonFile(lines: number): { text: string; offset: number } {
  const chunk = ['import numpy as np', '', 'def f(x):', '    # a comment with [brackets]', '    return x * 2', 'k = np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16', ''];
  const all: string[] = [];
  while (all.length < lines) all.push(...chunk);
  const text = all.slice(0, lines).join('\n');
  const target = text.lastIndexOf('[[1, 2, 1]');
  return { text, offset: target + 3 };
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function main(): void {
  console.log(`Layer Lens benchmarks — Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, median of repeated calls\n`);

  console.log(row(['transposed convolution (float64)', 'ms per call', 'runs']));
  console.log(row(['---', '---:', '---:']));
  for (const c of convCases) {
    const input = randomTensor(c.input, 11);
    const weight = randomTensor(c.weight, 13);
    const m = measure(c.label, () => core.convTranspose2d(input, weight, c.options));
    console.log(row([c.label, m.medianMs.toFixed(3), String(m.runs)]));
  }

  console.log('\n' + row(['parsing', 'ms per call', 'runs']));
  console.log(row(['---', '---:', '---:']));
  const big = pythonMatrix(1000, 1000);
  const parse = measure(`parseMatrix, 1000×1000 Python literal (${(big.length / 1e6).toFixed(1)} MB)`, () => core.parseMatrix(big), 4000);
  console.log(row([parse.name, parse.medianMs.toFixed(1), String(parse.runs)]));
  const file = pythonFile(10_000);
  const found = core.findMatrixAt(file.text, file.offset, 'python');
  if (!found) throw new Error('findMatrixAt found no matrix in the benchmark file');
  const at = measure('findMatrixAt, cursor in a literal at the end of a 10,000-line file', () => core.findMatrixAt(file.text, file.offset, 'python'));
  console.log(row([at.name, at.medianMs.toFixed(3), String(at.runs)]));
}

main();
