/**
 * The transposed convolution's kernels (TypeScript and WebAssembly; scatter, gather and matrix product):
 * which one a call gets, that every one agrees with the plain reference on layers larger than the
 * property tests draw (several tiles of the product, odd widths, groups), and that WebAssembly
 * falls back to TypeScript where it cannot take a call. The golden and property tests run every
 * kernel too (golden.test.ts, properties.test.ts).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { convCallInfo } from '../../../src/core/engine/convInfo';
import { convTranspose2d, type ConvTranspose2dOptions, type Tensor } from '../../../src/core/engine/index';
import { AUTO_POLICY, chooseKernel, GATHER_MIN_OUTPUT, withKernelPolicy, type KernelBackend, type KernelFormulation } from '../../../src/core/engine/kernelPolicy';
import { referenceConvTranspose2d } from '../../../src/core/engine/reference';
import { webAssemblyAvailable } from '../../../src/core/engine/wasm/convTransposeWasm';
import { decodeBase64 } from '../../../src/core/engine/wasm/kernelModule';
import { forcedKernelPolicies, policyName, repoRoot } from './helpers';

/** Deterministic values in [−1, 1). */
function seeded(shape: readonly number[], seed: number): Tensor {
  const data = new Float64Array(shape.reduce((a, b) => a * b, 1));
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 31 - 1;
  }
  return { shape, data };
}

function assertClose(got: Tensor, want: Tensor, what: string): void {
  assert.deepEqual([...got.shape], [...want.shape], `${what}: shape`);
  for (let i = 0; i < want.data.length; i++) {
    const a = got.data[i] as number;
    const b = want.data[i] as number;
    if (!(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)))) assert.fail(`${what}: value ${i} is ${a}, reference ${b}`);
  }
}

/** The layers `npm run bench` times, with the kernel each must get. */
const benchLayers: { label: string; input: number[]; weight: number[]; options: ConvTranspose2dOptions; formulation: KernelFormulation }[] = [
  { label: '1×1×64×64 k3 s2', input: [1, 1, 64, 64], weight: [1, 1, 3, 3], options: { stride: 2 }, formulation: 'scatter' },
  { label: '1×1×256×256 k4 s2 p1', input: [1, 1, 256, 256], weight: [1, 1, 4, 4], options: { stride: 2, padding: 1 }, formulation: 'gather' },
  { label: '1×16×64×64 → 8 k4 s2 p1', input: [1, 16, 64, 64], weight: [16, 8, 4, 4], options: { stride: 2, padding: 1 }, formulation: 'gemm' },
  { label: '1×64×32×32 → 32 k3 s2 p1 op1', input: [1, 64, 32, 32], weight: [64, 32, 3, 3], options: { stride: 2, padding: 1, outputPadding: 1 }, formulation: 'gemm' },
  { label: '1×1×1024×1024 k3 s2', input: [1, 1, 1024, 1024], weight: [1, 1, 3, 3], options: { stride: 2 }, formulation: 'gather' },
];

describe('transposed-convolution kernels', () => {
  it('WebAssembly runs in Node, so the tests below exercise its kernels', () => {
    assert.equal(webAssemblyAvailable(), true);
  });

  it('the benchmark layers get WebAssembly: the multi-channel ones the matrix product, the single-channel ones the scatter or, from 512×512 outputs, the gather; a 2×2 layer stays in TypeScript', () => {
    for (const layer of benchLayers) {
      const info = convCallInfo('convTranspose2d', seeded(layer.input, 1), seeded(layer.weight, 2), layer.options);
      assert.deepEqual(withKernelPolicy(AUTO_POLICY, () => chooseKernel(info, true)), { backend: 'webassembly', formulation: layer.formulation }, layer.label);
      assert.deepEqual(withKernelPolicy(AUTO_POLICY, () => chooseKernel(info, false)).backend, 'typescript', `${layer.label} without WebAssembly`);
    }
    const tiny = convCallInfo('convTranspose2d', seeded([1, 1, 2, 2], 1), seeded([1, 1, 2, 2], 2), { stride: 1 });
    assert.equal(chooseKernel(tiny, true).backend, 'typescript');
  });

  it('few channels get the gather from GATHER_MIN_OUTPUT output values on, on either backend', () => {
    const formulationFor = (outputRows: number, wasm: boolean) => {
      // Stride 1, kernel 1: the output is the input's size, one row of GATHER_MIN_OUTPUT / 2 values per row.
      const info = convCallInfo('convTranspose2d', seeded([1, 3, outputRows, GATHER_MIN_OUTPUT / 2], 1), seeded([3, 1, 1, 1], 2), {});
      return withKernelPolicy(AUTO_POLICY, () => chooseKernel(info, wasm)).formulation;
    };
    for (const wasm of [true, false]) {
      assert.equal(formulationFor(1, wasm), 'scatter');
      assert.equal(formulationFor(2, wasm), 'gather');
    }
  });

  it('every kernel gives the reference output on the benchmark layers (the 1024² one cut to 128²)', () => {
    for (const layer of benchLayers) {
      const inputShape = layer.input[2] === 1024 ? [1, 1, 128, 128] : layer.input;
      const input = seeded(inputShape, 11);
      const weight = seeded(layer.weight, 13);
      const want = referenceConvTranspose2d(input, weight, layer.options);
      for (const policy of forcedKernelPolicies) {
        assertClose(withKernelPolicy(policy, () => convTranspose2d(input, weight, layer.options)), want, `${layer.label}, ${policyName(policy)}`);
      }
    }
  });

  it('every kernel gives the reference output on wide layers: several tiles of the product, odd widths, groups, dilation, bias', () => {
    const layers: { input: number[]; weight: number[]; options: ConvTranspose2dOptions }[] = [
      { input: [1, 70, 2, 37], weight: [70, 3, 3, 3], options: { stride: 2, padding: 1 } },
      { input: [2, 12, 3, 45], weight: [12, 5, 2, 5], options: { stride: [1, 3], dilation: [2, 1], groups: 2, outputPadding: [1, 2] } },
      { input: [1, 9, 4, 33], weight: [9, 7, 4, 4], options: { stride: 2, dilation: 2, padding: 3, outputPadding: 1, bias: seeded([7], 5) } },
      // 601-wide output rows: the WebAssembly gather's bands of 54 rows end inside channel planes.
      { input: [2, 2, 40, 300], weight: [2, 3, 3, 3], options: { stride: 2, bias: seeded([3], 6) } },
    ];
    for (const [index, layer] of layers.entries()) {
      const input = seeded(layer.input, 21 + index);
      const weight = seeded(layer.weight, 31 + index);
      const want = referenceConvTranspose2d(input, weight, layer.options);
      for (const policy of forcedKernelPolicies) {
        assertClose(withKernelPolicy(policy, () => convTranspose2d(input, weight, layer.options)), want, `layer ${index}, ${policyName(policy)}`);
      }
    }
  });

  it('the gather adds in the scatter kernel\'s order: the same output to the bit, on either backend', () => {
    const layers: { input: number[]; weight: number[]; options: ConvTranspose2dOptions }[] = [
      ...benchLayers.map((layer) => ({ input: layer.input[2] === 1024 ? [1, 1, 128, 128] : layer.input, weight: layer.weight, options: layer.options })),
      { input: [2, 2, 40, 300], weight: [2, 3, 3, 3], options: { stride: [3, 2], dilation: [2, 1], padding: 2, bias: seeded([3], 6) } },
    ];
    for (const [index, layer] of layers.entries()) {
      const input = seeded(layer.input, 41 + index);
      const weight = seeded(layer.weight, 51 + index);
      for (const backend of ['typescript', 'webassembly'] as const satisfies readonly KernelBackend[]) {
        const scatter = withKernelPolicy({ backend, formulation: 'scatter' }, () => convTranspose2d(input, weight, layer.options));
        const gather = withKernelPolicy({ backend, formulation: 'gather' }, () => convTranspose2d(input, weight, layer.options));
        assert.ok(Buffer.from(gather.data.buffer).equals(Buffer.from(scatter.data.buffer)), `layer ${index}, ${backend}`);
      }
    }
  });

  it('every kernel handles an empty batch and a stride too large for 32-bit arithmetic (WebAssembly hands that to TypeScript)', () => {
    for (const policy of forcedKernelPolicies) {
      const empty = withKernelPolicy(policy, () => convTranspose2d(seeded([0, 3, 4, 4], 1), seeded([3, 2, 3, 3], 2), { stride: 2 }));
      assert.deepEqual([...empty.shape], [0, 2, 9, 9]);
      const input = seeded([1, 4, 1, 1], 3);
      const weight = seeded([4, 1, 1, 2], 4);
      const options = { stride: [1, 2 ** 31] as const };
      assertClose(withKernelPolicy(policy, () => convTranspose2d(input, weight, options)), referenceConvTranspose2d(input, weight, options), policyName(policy));
    }
  });

  it('a call after a larger one does not see its leftovers in the reused WebAssembly memory', () => {
    const policy = { backend: 'webassembly', formulation: 'gemm' } as const;
    const small = { input: seeded([1, 4, 3, 3], 7), weight: seeded([4, 2, 2, 2], 8) };
    const want = referenceConvTranspose2d(small.input, small.weight, { stride: 2 });
    withKernelPolicy(policy, () => {
      convTranspose2d(seeded([1, 8, 20, 20], 9), seeded([8, 4, 3, 3], 10), { stride: 2, bias: seeded([4], 11) });
      assertClose(convTranspose2d(small.input, small.weight, { stride: 2 }), want, 'after a larger call');
    });
  });

  describe('the out option', () => {
    const cases: { label: string; input: number[]; weight: number[]; options: ConvTranspose2dOptions }[] = [
      ...benchLayers.map((layer) => ({ label: layer.label, input: layer.input[2] === 1024 ? [1, 1, 128, 128] : layer.input, weight: layer.weight, options: layer.options })),
      { label: 'bias, groups, dilation', input: [2, 4, 9, 13], weight: [4, 3, 3, 2], options: { stride: [2, 3], dilation: [1, 2], groups: 2, bias: seeded([6], 8) } },
    ];

    it('every kernel overwrites a caller\'s array that held anything, and returns that array with the fresh call\'s values to the bit', () => {
      for (const c of cases) {
        const input = seeded(c.input, 41);
        const weight = seeded(c.weight, 43);
        for (const policy of forcedKernelPolicies) {
          const fresh = withKernelPolicy(policy, () => convTranspose2d(input, weight, c.options));
          // Stale contents a kernel must not add to: NaN would spread into any sum that started from it.
          const out = new Float64Array(fresh.data.length).fill(Number.NaN);
          const given = withKernelPolicy(policy, () => convTranspose2d(input, weight, { ...c.options, out }));
          assert.equal(given.data, out, `${c.label}, ${policyName(policy)}: the result is the caller's array`);
          assert.deepEqual([...given.shape], [...fresh.shape]);
          assert.deepEqual(given.data, fresh.data, `${c.label}, ${policyName(policy)}`);
        }
      }
    });

    it('refuses an array of the wrong length or type, or one that shares memory with an operand, in words', () => {
      const input = seeded([1, 1, 4, 4], 1);
      const weight = seeded([1, 1, 3, 3], 2);
      const refused = (out: unknown, pattern: RegExp) =>
        assert.throws(() => convTranspose2d(input, weight, { stride: 2, out: out as Float64Array }), (error: Error & { code?: string }) => error.code === 'invalid-parameter' && pattern.test(error.message));
      refused(new Float64Array(80), /out has 80 values, but the output's shape \[1, 1, 9, 9\] holds 81/);
      refused(new Float32Array(81), /out must be a Float64Array of 81 values .* not a Float32Array/);
      refused(Array.from({ length: 81 }, () => 0), /not an array/);
      const shared = new Float64Array(200);
      const overlapping = { shape: [1, 1, 4, 4], data: shared.subarray(0, 16) };
      assert.throws(() => convTranspose2d(overlapping, weight, { stride: 2, out: shared.subarray(10, 91) }), /out shares memory with the input/);
      // Disjoint views of one buffer are fine.
      const result = convTranspose2d(overlapping, weight, { stride: 2, out: shared.subarray(100, 181) });
      assert.equal(result.data.buffer, shared.buffer);
    });
  });

  it('decodeBase64 decodes what Node encodes, every padding length included', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        assert.deepEqual(decodeBase64(Buffer.from(bytes).toString('base64')), bytes);
      }),
    );
  });
});

describe('WebAssembly kernels build', () => {
  it('compiles from source to the bytes the build embedded, byte for byte', async function () {
    this.timeout(60000);
    const root = repoRoot();
    // `npm run build` writes it before the tests run; a missing file is a build that stopped doing so.
    const built = path.join(root, 'out', 'wasm', 'kernels.wasm');
    assert.ok(fs.existsSync(built), `${built} is missing: run npm run build first`);
    const script = path.join(root, 'scripts', 'kernelsWasm.mjs');
    const { compileKernels } = (await import(pathToFileURL(script).href)) as { compileKernels: (root: string) => Promise<Uint8Array> };
    const again = await compileKernels(root);
    assert.ok(Buffer.from(again).equals(fs.readFileSync(built)), 'a fresh compile differs from out/wasm/kernels.wasm');
  });
});
