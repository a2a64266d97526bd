/**
 * A sub-pixel convolution opened in the transposed-convolution panel as the transposed convolution it
 * equals: on any input, the engine's transposed convolution of the opened kernel gives exactly the
 * engine's convolution followed by PixelShuffle (bias aside), for odd and even kernels and groups;
 * a large layer opens at its worst channel; a dilated one is refused with its reason.
 */
import * as assert from 'node:assert/strict';
import type { AuditedLayer } from '../../../src/core/checkpoint/audit';
import { MAX_KERNEL_VALUES, trainedKernelArguments } from '../../../src/core/checkpoint/trainedKernel';
import { conv2d } from '../../../src/core/engine/conv';
import { convTranspose2d } from '../../../src/core/engine/convTranspose';
import { pixelShuffle } from '../../../src/core/engine/pixelShuffle';
import { tensor } from '../../../src/core/engine/tensor';

/** A seeded generator: the same weights each run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
}

function subPixelLayer(shape: [number, number, number, number], r: number, groups = 1): AuditedLayer {
  return { name: 'up.0', op: 'subPixelConvolution', weight: 'up.0.weight', weightShape: shape, stride: [r, r], strideFrom: 'source', dilation: [1, 1], groups, phaseSums: [], periodicEnergy: 0.1, verdict: 'uneven', worstChannel: 1, reason: '' };
}

const flat = (nested: unknown): number[] => (Array.isArray(nested) ? nested.flatMap(flat) : [nested as number]);

describe('a sub-pixel convolution opened as its equivalent transposed convolution', () => {

  for (const [label, shape, r, groups] of [
    ['3×3, r = 2', [2 * 4, 3, 3, 3], 2, 1],
    ['4×4 (even), r = 2', [1 * 4, 2, 4, 4], 2, 1],
    ['3×3, r = 3, 2 groups', [2 * 9, 1, 3, 3], 3, 2],
  ] as const) {
    it(`sub-pixel ${label}: the opened transposed convolution equals conv2d then PixelShuffle on a random input`, () => {
      const random = seeded(shape[0] * 31 + r);
      const w = Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, random);
      const opened = trainedKernelArguments(subPixelLayer([...shape], r, groups), { shape: [...shape], data: w }, 'torch');
      assert.ok(opened.ok, opened.ok ? '' : opened.problem);
      const { kernel, stride, padding } = opened.args;
      const cIn = shape[1] * groups;
      assert.deepEqual([kernel.length, kernel[0]?.length, kernel[0]?.[0]?.length], [cIn, shape[0] / (r * r), shape[2] * r]);
      const size = 5;
      const x = tensor([cIn, size, size], Float64Array.from({ length: cIn * size * size }, random));
      const p = Math.floor((shape[2] - 1) / 2);
      // PyTorch's padding is symmetric: an even kernel's convolution loses a row, which the transposed convolution's output padding gives back.
      const expected = pixelShuffle(conv2d(x, tensor([...shape], w), { padding: [p, p], groups }), { upscaleFactor: r });
      const got = convTranspose2d(x, tensor([kernel.length, kernel[0]?.length ?? 0, shape[2] * r, shape[3] * r], flat(kernel)), { stride, padding: padding ?? [0, 0] });
      const rows = Math.min(expected.shape[1] as number, got.shape[1] as number);
      assert.ok(rows >= size * r - r, `${rows} rows compared`);
      for (let c = 0; c < (expected.shape[0] as number); c++) {
        for (let i = 0; i < rows; i++) {
          for (let j = 0; j < rows; j++) {
            const e = expected.data[(c * (expected.shape[1] as number) + i) * (expected.shape[2] as number) + j] as number;
            const g = got.data[(c * (got.shape[1] as number) + i) * (got.shape[2] as number) + j] as number;
            assert.ok(Math.abs(e - g) <= 1e-12, `channel ${c} (${i}, ${j}): ${g} vs ${e}`);
          }
        }
      }
      assert.match(opened.note ?? '', /sub-pixel convolution: opened as the transposed convolution it equals/);
    });
  }

  it('a large sub-pixel layer opens at its worst channel; a dilated one is refused with the reason', () => {
    const shape: [number, number, number, number] = [64 * 4, 64, 3, 3];
    const w = new Float64Array(shape.reduce((a, b) => a * b, 1)).fill(0.25);
    const opened = trainedKernelArguments(subPixelLayer(shape, 2), { shape, data: w }, 'torch');
    assert.ok(opened.ok);
    assert.deepEqual([opened.args.kernel.length, opened.args.kernel[0]?.length], [64, 1]);
    assert.ok(flat(opened.args.kernel).length <= MAX_KERNEL_VALUES);
    assert.match(opened.note ?? '', /at its worst channel 1, with its 64 input channels/);
    const dilated = trainedKernelArguments({ ...subPixelLayer(shape, 2), dilation: [2, 2] }, { shape, data: w }, 'torch');
    assert.equal(dilated.ok, false);
    assert.match(dilated.ok ? '' : dilated.problem, /dilated sub-pixel convolution/);
  });
});
