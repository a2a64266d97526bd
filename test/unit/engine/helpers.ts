/** Small assertions and fixtures shared by the engine tests. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { LayerError, tensor, type LayerErrorCode, type Tensor } from '../../../src/core/engine/index';
import { withKernelPolicy, type KernelPolicy } from '../../../src/core/engine/kernelPolicy';

/** A tensor from a shape and nested or flat numbers. */
export function t(shape: readonly number[], data: readonly (number | readonly number[])[]): Tensor {
  return tensor(shape, data.flat() as number[]);
}

/** Shape equal, values equal to `tolerance` (NaN only where NaN is expected, infinities exactly). */
export function assertTensor(got: Tensor, shape: readonly number[], data: readonly (number | readonly number[])[], tolerance = 1e-12): void {
  assert.deepEqual([...got.shape], [...shape], 'shape');
  const want = data.flat() as number[];
  assert.equal(got.data.length, want.length, 'length');
  want.forEach((expected, i) => {
    const actual = got.data[i] as number;
    if (Number.isNaN(expected) || !Number.isFinite(expected)) {
      assert.ok(Object.is(actual, expected) || (Number.isNaN(expected) && Number.isNaN(actual)), `value ${i}: got ${actual}, expected ${expected}`);
    } else {
      assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `value ${i}: got ${actual}, expected ${expected}`);
    }
  });
}

/** A tensor as the golden files hold it: values as numbers, NaN and infinities as the strings `"NaN"`, `"Infinity"`, `"-Infinity"` (JSON has no such numbers). */
export interface GoldenTensor {
  readonly shape: readonly number[];
  readonly data: readonly (number | string)[];
}

/** Shape exactly, values to 1e-9·max(1, |expected|) as the golden files require; NaN and infinities exactly. */
export function assertGoldenClose(got: Tensor, expected: GoldenTensor, what = ''): void {
  assert.deepEqual([...got.shape], expected.shape, `shape ${what}`);
  assert.equal(got.data.length, expected.data.length, `length ${what}`);
  for (let i = 0; i < expected.data.length; i++) {
    const want = Number(expected.data[i]);
    const have = got.data[i] as number;
    if (!Number.isFinite(want)) {
      assert.ok(Object.is(have, want) || (Number.isNaN(want) && Number.isNaN(have)), `${what} value ${i}: got ${have}, expected ${want}`);
      continue;
    }
    const tolerance = 1e-9 * Math.max(1, Math.abs(want));
    if (!(Math.abs(have - want) <= tolerance)) assert.fail(`${what} value ${i}: got ${have}, expected ${want} (|diff| ${Math.abs(have - want)} > ${tolerance})`);
  }
}

/** Every transposed-convolution kernel, forced, so that tests run each one on the same cases. */
export const forcedKernelPolicies: readonly KernelPolicy[] = [
  { backend: 'typescript', formulation: 'scatter' },
  { backend: 'typescript', formulation: 'gather' },
  { backend: 'typescript', formulation: 'gemm' },
  { backend: 'webassembly', formulation: 'scatter' },
  { backend: 'webassembly', formulation: 'gather' },
  { backend: 'webassembly', formulation: 'gemm' },
];

/** One `it` per forced kernel, running every case on it (the cases must have `expected`). */
export function itMatchesOnEveryKernel<C extends { readonly expected?: GoldenTensor }>(cases: readonly C[], run: (c: C) => Tensor, name: (c: C) => string): void {
  for (const policy of forcedKernelPolicies) {
    it(`${policyName(policy)}: every case matches PyTorch`, () => {
      withKernelPolicy(policy, () => {
        for (const c of cases) assertGoldenClose(run(c), c.expected as GoldenTensor, name(c));
      });
    });
  }
}

/** `webassembly gemm`, as test names say which kernel ran. */
export function policyName(policy: KernelPolicy): string {
  return `${policy.backend} ${policy.formulation}`;
}

/** Asserts that `run` throws a LayerError with `code` whose message matches `message`. */
export function assertLayerError(run: () => unknown, code: LayerErrorCode, message: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof LayerError, `expected a LayerError, got ${String(error)}`);
    assert.equal(error.code, code, `code of "${error.message}"`);
    assert.match(error.message, message);
    return true;
  });
}

/** The textbook case: a 2×2 input and a 2×2 kernel of ones (stride 1 gives [[1,3,2],[4,10,6],[3,7,4]]). */
export const textbookInput = t([2, 2], [[1, 2], [3, 4]]);
export const ones2x2 = t([2, 2], [[1, 1], [1, 1]]);

/** Small transposed-convolution layers for property tests: input h×w, kernel kh×kw, stride, dilation, padding. */
export const smallLayerFields = {
  h: fc.integer({ min: 1, max: 7 }),
  w: fc.integer({ min: 1, max: 7 }),
  kh: fc.integer({ min: 1, max: 5 }),
  kw: fc.integer({ min: 1, max: 5 }),
  s: fc.integer({ min: 1, max: 4 }),
  d: fc.integer({ min: 1, max: 3 }),
  p: fc.integer({ min: 0, max: 3 }),
};

/** The repository root: the nearest directory above this file holding package.json (works from any out/ folder). */
export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

/** The JSON objects of a one-object-a-line file under test/golden. */
export function readGoldenLines<T>(name: string): T[] {
  return fs
    .readFileSync(path.join(repoRoot(), 'test', 'golden', name), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** A matrix's rows as arrays (for deepEqual). */
export function grid(x: Tensor): number[][] {
  const [rows = 0, cols = 0] = x.shape.slice(-2);
  return Array.from({ length: rows }, (_, r) => Array.from(x.data.subarray(r * cols, (r + 1) * cols)));
}
