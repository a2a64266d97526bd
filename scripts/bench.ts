/**
 * `npm run bench`: how long the engine and the parsers take, through the same `dist/core.js` that
 * other tools use. Median of repeated calls after a warm-up, single-threaded; it measures and
 * prints, it asserts nothing.
 */
import { spawnSync } from 'node:child_process';
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
}

/**
 * Calls `fn` until `budgetMs` is spent (at least 5 times) and returns the median. It first warms up
 * for a third of the budget (at least 3 calls), so the JIT has optimised the code being measured:
 * a couple of warm-up calls leave most timed calls running unoptimised code.
 */
function measure(name: string, fn: () => unknown, budgetMs = 1500): Measurement {
  const warmUntil = performance.now() + budgetMs / 3;
  for (let calls = 0; calls < 3 || performance.now() < warmUntil; calls++) fn();
  const times: number[] = [];
  const started = performance.now();
  while (times.length < 5 || (performance.now() - started < budgetMs && times.length < 200)) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { name, medianMs: times[Math.floor(times.length / 2)] as number };
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

/** The same n×n matrix of seeded values written in several notations. */
function bigLiterals(n: number): [Core.Notation, string][] {
  const data = seeded(n * n, 7);
  const rows: string[][] = [];
  for (let r = 0; r < n; r++) rows.push(Array.from(data.subarray(r * n, (r + 1) * n), (v) => v.toFixed(6)));
  return [
    ['python', `[${rows.map((r) => `[${r.join(', ')}]`).join(',\n ')}]`],
    ['matlab', `[${rows.map((r) => r.join(' ')).join(';\n ')}]`],
    ['csv', rows.map((r) => r.join(',')).join('\n')],
    ['latex', `\\begin{bmatrix}\n${rows.map((r) => r.join(' & ')).join(' \\\\\n')}\n\\end{bmatrix}`],
  ];
}

function pythonFile(lines: number): { text: string; offset: number } {
  const chunk = [
    'import numpy as np',
    '',
    'def f(x):',
    '    # a comment with [brackets]',
    '    return x * 2',
    'k = np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16',
    'up = nn.ConvTranspose2d(ngf * 2, ngf, 4, stride=2, padding=1, bias=False)',
    '',
  ];
  const all: string[] = [];
  while (all.length < lines) all.push(...chunk);
  const text = all.slice(0, lines).join('\n');
  const target = text.lastIndexOf('[[1, 2, 1]');
  return { text, offset: target + 3 };
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

interface TorchTiming {
  readonly label: string;
  readonly ms: number;
  readonly shape: number[];
  readonly sum: number;
  readonly sumOfSquares: number;
}

/** A python3 that imports torch (the pyenv `python3` on PATH may not; Debian's /usr/bin/python3 may). */
function pythonWithTorch(): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) return python;
  }
  return undefined;
}

function torchTimings(python: string): Map<string, TorchTiming> {
  const cases = convCases.map((c) => ({ label: c.label, input: c.input, weight: c.weight, ...c.options }));
  const run = spawnSync(python, [join(__dirname, '../../scripts/bench_torch.py')], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`the PyTorch benchmark failed:\n${run.stderr}`);
  const timings = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as TorchTiming);
  return new Map(timings.map((t) => [t.label, t]));
}

/** Whether two outputs agree, through checksums (relative 1e-9, the golden tolerance). */
function agrees(output: Core.Tensor, torch: TorchTiming): boolean {
  let sum = 0;
  let sumOfSquares = 0;
  for (const v of output.data) {
    sum += v;
    sumOfSquares += v * v;
  }
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  return JSON.stringify(torch.shape) === JSON.stringify(output.shape) && close(sum, torch.sum) && close(sumOfSquares, torch.sumOfSquares);
}

function main(): void {
  console.log(`Layer Lens benchmarks — Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, median of repeated calls, single-threaded\n`);

  const python = pythonWithTorch();
  const torch = python ? torchTimings(python) : undefined;
  if (!torch) console.log('(PyTorch not found: install python3 with torch, e.g. Debian python3-torch, to compare with it)\n');
  console.log(row(['transposed convolution (float64)', 'Layer Lens ms', ...(torch ? ['PyTorch ms', 'PyTorch ÷ Layer Lens', 'same output'] : [])]));
  console.log(row(['---', '---:', ...(torch ? ['---:', '---:', ':---:'] : [])]));
  for (const c of convCases) {
    const input = randomTensor(c.input, 11);
    const weight = randomTensor(c.weight, 13);
    const m = measure(c.label, () => core.convTranspose2d(input, weight, c.options));
    const peer = torch?.get(c.label);
    const cells = [c.label, m.medianMs.toFixed(3)];
    if (peer) {
      const same = agrees(core.convTranspose2d(input, weight, c.options), peer);
      cells.push(peer.ms.toFixed(3), `${(peer.ms / m.medianMs).toFixed(2)}×`, same ? '✓' : '✗ differs');
    }
    console.log(row(cells));
  }

  console.log('\n' + row(['parsing', 'ms per call']));
  console.log(row(['---', '---:']));
  for (const [notation, text] of bigLiterals(1000)) {
    const parse = measure(`parseMatrix, 1000×1000 ${notation} literal (${(text.length / 1e6).toFixed(1)} MB)`, () => core.parseMatrix(text, notation), 4000);
    console.log(row([parse.name, parse.medianMs.toFixed(1)]));
  }
  const file = pythonFile(10_000);
  const found = core.findMatrixAt(file.text, file.offset, 'python');
  if (!found) throw new Error('findMatrixAt found no matrix in the benchmark file');
  const at = measure('findMatrixAt, cursor in a literal at the end of a 10,000-line file', () => core.findMatrixAt(file.text, file.offset, 'python'));
  console.log(row([at.name, at.medianMs.toFixed(3)]));
  const calls = measure('findLayerCalls, a 10,000-line Python file', () => core.findLayerCalls(file.text, 'python'));
  console.log(row([calls.name, calls.medianMs.toFixed(3)]));
}

main();
