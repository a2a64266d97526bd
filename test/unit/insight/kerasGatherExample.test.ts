/**
 * Keras' 2-D layers on Inspect Layer's example (and Keras' transposed convolutions' axes), checked
 * against Keras' own definitions, since TensorFlow cannot be installed here. The reference below is
 * written from Keras' and TensorFlow's sources, not from PyTorch:
 * - conv_utils.conv_output_length: 'valid' `⌊(L − k_eff) / s⌋ + 1`, 'same' `⌈L / s⌉`; TensorFlow's
 *   'same' padding (GetWindowedOutputSize) pads `max((out − 1)·s + k_eff − L, 0)`, `⌊total / 2⌋`
 *   before, the rest after; its max pooling ignores the padding, its average pooling divides by the
 *   cells inside the input.
 * - UpSampling2D → backend.resize_images → tf.image.resize (resize_images_v2): 'nearest' with
 *   half-pixel centres `in = min(⌊(out + ½)·in / out_size⌋, in − 1)`; 'bilinear' with half-pixel
 *   centres `in = (out + ½)·in / out_size − ½`, `lower = max(⌊in⌋, 0)`, `upper = min(⌈in⌉, in − 1)`,
 *   `lerp = in − ⌊in⌋` (resize_bilinear_op.cc, compute_interpolation_weights).
 * - Conv2DTranspose → conv2d_transpose, the gradient of the 'same'/'valid' convolution of its
 *   output (length deconv_output_length): input i, tap t lands at `i·s + t·d − before`.
 */
import * as assert from 'node:assert/strict';
import { gatherLayerShape, runGatherLayer, type GatherLayerCall } from '../../../src/core/engine/index';
import { convTranspose2d } from '../../../src/core/engine/convTranspose';
import { gatherExample } from '../../../src/core/insight/gatherExample';
import { kerasTransposedAxes } from '../../../src/core/insight/kerasTerms';
import { layerInsights } from '../../../src/core/insight/layerInsight';
import { findLayerCalls } from '../../../src/core/parse/index';

type Grid = number[][];

const grid = (data: ArrayLike<number>, h: number, w: number): Grid => Array.from({ length: h }, (_, r) => Array.from({ length: w }, (_, c) => data[r * w + c] as number));

/** TensorFlow's 'same' / 'valid' on one axis: output length and padding before. */
function tfWindow(L: number, k: number, s: number, d: number, same: boolean): { out: number; before: number } {
  const eff = d * (k - 1) + 1;
  if (!same) return { out: Math.floor((L - eff) / s) + 1, before: 0 };
  const out = Math.ceil(L / s);
  return { out, before: Math.floor(Math.max((out - 1) * s + eff - L, 0) / 2) };
}

/** Keras' Conv2D with a kernel of ones (cross-correlation over the zero-padded input). */
function kerasConv(x: Grid, k: [number, number], s: [number, number], d: [number, number], same: boolean): Grid {
  const [H, W] = [x.length, (x[0] as number[]).length];
  const [a, b] = [tfWindow(H, k[0], s[0], d[0], same), tfWindow(W, k[1], s[1], d[1], same)];
  return Array.from({ length: a.out }, (_, i) =>
    Array.from({ length: b.out }, (_, j) => {
      let sum = 0;
      for (let p = 0; p < k[0]; p++)
        for (let q = 0; q < k[1]; q++) {
          const [r, c] = [i * s[0] - a.before + p * d[0], j * s[1] - b.before + q * d[1]];
          if (r >= 0 && r < H && c >= 0 && c < W) sum += (x[r] as number[])[c] as number;
        }
      return sum;
    }),
  );
}

/** Keras' MaxPooling2D / AveragePooling2D: the padding never wins and is never counted. */
function kerasPool(x: Grid, k: [number, number], s: [number, number], same: boolean, kind: 'max' | 'avg'): Grid {
  const [H, W] = [x.length, (x[0] as number[]).length];
  const [a, b] = [tfWindow(H, k[0], s[0], 1, same), tfWindow(W, k[1], s[1], 1, same)];
  return Array.from({ length: a.out }, (_, i) =>
    Array.from({ length: b.out }, (_, j) => {
      const cells: number[] = [];
      for (let p = 0; p < k[0]; p++)
        for (let q = 0; q < k[1]; q++) {
          const [r, c] = [i * s[0] - a.before + p, j * s[1] - b.before + q];
          if (r >= 0 && r < H && c >= 0 && c < W) cells.push((x[r] as number[])[c] as number);
        }
      return kind === 'max' ? Math.max(...cells) : cells.reduce((u, v) => u + v, 0) / cells.length;
    }),
  );
}

/** tf.image.resize by whole factors, half-pixel centres. */
function kerasResize(x: Grid, f: [number, number], bilinear: boolean): Grid {
  const [H, W] = [x.length, (x[0] as number[]).length];
  const axis = (o: number, n: number, factor: number) => {
    if (!bilinear) return { lo: Math.min(Math.floor((o + 0.5) / factor), n - 1), hi: 0, lerp: 0 };
    const v = (o + 0.5) / factor - 0.5;
    return { lo: Math.max(Math.floor(v), 0), hi: Math.min(Math.ceil(v), n - 1), lerp: v - Math.floor(v) };
  };
  return Array.from({ length: H * f[0] }, (_, i) =>
    Array.from({ length: W * f[1] }, (_, j) => {
      const [r, c] = [axis(i, H, f[0]), axis(j, W, f[1])];
      const at = (p: number, q: number) => (x[p] as number[])[q] as number;
      if (!bilinear) return at(r.lo, c.lo);
      const top = at(r.lo, c.lo) + (at(r.lo, c.hi) - at(r.lo, c.lo)) * c.lerp;
      const bottom = at(r.hi, c.lo) + (at(r.hi, c.hi) - at(r.hi, c.lo)) * c.lerp;
      return top + (bottom - top) * r.lerp;
    }),
  );
}

/** Keras' Conv2DTranspose of a kernel of ones on one axis pair: output length from deconv_output_length, cropped `before`. */
function kerasTransposed(x: Grid, k: number, s: number, same: boolean, outputPadding: number | undefined): Grid {
  const length = (L: number) => {
    if (outputPadding !== undefined) return (L - 1) * s + k - 2 * (same ? Math.floor(k / 2) : 0) + outputPadding;
    return same ? L * s : L * s + Math.max(k - s, 0);
  };
  const [H, W] = [x.length, (x[0] as number[]).length];
  const [Oh, Ow] = [length(H), length(W)];
  const before = (L: number, O: number) => (same ? Math.floor(Math.max((L - 1) * s + k - O, 0) / 2) : 0);
  const [bh, bw] = [before(H, Oh), before(W, Ow)];
  const out = Array.from({ length: Oh }, () => new Array<number>(Ow).fill(0));
  for (let i = 0; i < H; i++)
    for (let j = 0; j < W; j++)
      for (let p = 0; p < k; p++)
        for (let q = 0; q < k; q++) {
          const [r, c] = [i * s + p - bh, j * s + q - bw];
          if (r >= 0 && r < Oh && c >= 0 && c < Ow) {
            const row = out[r] as number[];
            row[c] = (row[c] as number) + ((x[i] as number[])[j] as number);
          }
        }
  return out;
}

function example(code: string, size: readonly number[]): GatherLayerCall | string {
  const [call] = findLayerCalls(code, 'python');
  assert.ok(call, `a layer call in ${code}`);
  return gatherExample(call, size);
}

/** The engine's output on the example, beside Keras' on the same input. */
function both(code: string, size: readonly number[], keras: (x: Grid) => Grid): { engine: Grid; keras: Grid; call: GatherLayerCall } {
  const call = example(code, size);
  assert.ok(typeof call !== 'string', `${code} on ${size.join('×')}: ${String(call)}`);
  const [h, w] = call.input.shape as [number, number];
  const out = runGatherLayer(call);
  const [oh, ow] = out.shape.slice(-2) as [number, number];
  return { engine: grid(out.data, oh, ow), keras: keras(grid(call.input.data, h, w)), call };
}

describe("Keras' 2-D layers on Inspect Layer's example (layer panel)", () => {
  it("Conv2D 'valid' and 'same' give Keras' values, the odd 'same' at stride 1 as PyTorch's own padding='same'", () => {
    for (const side of [5, 6, 7, 8, 32]) {
      const valid = both('layers.Conv2D(64, 3, padding="valid")', [side, side], (x) => kerasConv(x, [3, 3], [1, 1], [1, 1], false));
      assert.deepEqual(valid.engine, valid.keras, `valid on ${side}`);
      // Kernel 3, stride 2: the total is even for odd sides, (⌈L / 2⌉ − 1)·2 + 3 − L.
      if (side % 2 === 1) {
        const strided = both('layers.Conv2D(8, 3, strides=2, padding="same")', [side, side], (x) => kerasConv(x, [3, 3], [2, 2], [1, 1], true));
        assert.deepEqual(strided.engine, strided.keras, `strided same on ${side}`);
        assert.deepEqual(strided.call.options, { stride: [2, 2], padding: [1, 1], dilation: 1 });
      }
      // Kernel 4 at stride 1 pads 3: 1 before, 2 after, which PyTorch's padding='same' does too.
      const even = both('layers.Conv2D(8, (4, 2), padding="same")', [side, side + 1], (x) => kerasConv(x, [4, 2], [1, 1], [1, 1], true));
      assert.deepEqual(even.engine, even.keras, `kernel (4, 2) same on ${side}`);
      assert.equal(even.call.op === 'conv2d' && even.call.options.padding, 'same');
      const dilated = both('layers.Conv2D(8, 3, dilation_rate=2, padding="same")', [side, side], (x) => kerasConv(x, [3, 3], [1, 1], [2, 2], true));
      assert.deepEqual(dilated.engine, dilated.keras, `dilated same on ${side}`);
    }
  });

  it("Conv2D 3×3 'same' on a 4×4 input by hand: the sums of each window, zeros outside", () => {
    // The example input is (7·r + 3·c) mod 10: [[0, 3, 6, 9], [7, 0, 3, 6], [4, 7, 0, 3], [1, 4, 7, 0]].
    const { engine, keras } = both('layers.Conv2D(1, 3, padding="same")', [4, 4], (x) => kerasConv(x, [3, 3], [1, 1], [1, 1], true));
    assert.deepEqual(engine, [
      [10, 19, 27, 24],
      [21, 30, 37, 27],
      [23, 33, 30, 19],
      [16, 23, 21, 10],
    ]);
    assert.deepEqual(keras, engine);
  });

  it("Conv2D 'same' at stride 2 or 3 with an odd total runs with the engine's 'keras-same': the odd one after, as TensorFlow", () => {
    for (const side of [4, 6, 8, 9, 10, 32]) {
      for (const [code, k, s] of [
        ['layers.Conv2D(64, 3, strides=2, padding="same")', [3, 3], [2, 2]],
        ['layers.Conv2D(64, (5, 2), strides=(3, 2), padding="same")', [5, 2], [3, 2]],
        ['layers.Conv2D(64, 4, strides=2, padding="same")', [4, 4], [2, 2]],
      ] as const) {
        const run = both(code, [side, side + 1], (x) => kerasConv(x, [k[0], k[1]], [s[0], s[1]], [1, 1], true));
        assert.deepEqual(run.engine, run.keras, `${code} on ${side}×${side + 1}`);
      }
    }
    // 32 at stride 2, kernel 3: (16 − 1)·2 + 3 − 32 = 1 padded, after; ⌈32 / 2⌉ = 16 outputs.
    const call = example('layers.Conv2D(64, 3, strides=2, padding="same")', [32, 32]);
    assert.ok(typeof call !== 'string');
    assert.deepEqual([call.options, runGatherLayer(call).shape], [{ stride: [2, 2], padding: 'keras-same', dilation: 1 }, [16, 16]]);
    // The formula names the two ends.
    assert.match(gatherLayerShape(call).axes[0]?.substituted ?? '', /32 \+ 0 \+ 1/);
  });

  it("Conv2D 'same' on a 4×4 input at stride 2 by hand: windows start at rows 0 and 2, the last reads a padded row", () => {
    // Input [[0, 3, 6, 9], [7, 0, 3, 6], [4, 7, 0, 3], [1, 4, 7, 0]]; (2 − 1)·2 + 3 − 4 = 1 padded, after.
    const { engine, keras } = both('layers.Conv2D(1, 3, strides=2, padding="same")', [4, 4], (x) => kerasConv(x, [3, 3], [2, 2], [1, 1], true));
    assert.deepEqual(engine, [
      [0 + 3 + 6 + 7 + 0 + 3 + 4 + 7 + 0, 6 + 9 + 3 + 6 + 0 + 3],
      [4 + 7 + 0 + 1 + 4 + 7, 0 + 3 + 7 + 0],
    ]);
    assert.deepEqual(keras, engine);
  });

  it("MaxPooling2D and AveragePooling2D: 'valid', an even 'same', and an odd 'same' at stride 2 through ceil_mode", () => {
    for (const side of [4, 5, 7, 8, 9]) {
      for (const [layer, kind] of [['MaxPooling2D', 'max'], ['AveragePooling2D', 'avg']] as const) {
        const plain = both(`layers.${layer}()`, [side, side], (x) => kerasPool(x, [2, 2], [2, 2], false, kind));
        assert.deepEqual(plain.engine, plain.keras, `${layer}() on ${side}`);
        const same = both(`layers.${layer}(pool_size=2, padding="same")`, [side, side + 2], (x) => kerasPool(x, [2, 2], [2, 2], true, kind));
        assert.deepEqual(same.engine, same.keras, `${layer} same on ${side}×${side + 2}`);
        const wide = both(`layers.${layer}(pool_size=3, strides=2, padding="same")`, [side, side], (x) => kerasPool(x, [3, 3], [2, 2], true, kind));
        assert.deepEqual(wide.engine, wide.keras, `${layer}(3, strides=2) same on ${side}`);
        const overlapping = both(`layers.${layer}(pool_size=3, strides=1, padding="same")`, [side, side], (x) => kerasPool(x, [3, 3], [1, 1], true, kind));
        assert.deepEqual(overlapping.engine, overlapping.keras, `${layer}(3, strides=1) same on ${side}`);
      }
    }
  });

  it("AveragePooling2D 'same' on a 3×3 input by hand: the corner window holds one cell and divides by 1", () => {
    // Input [[0, 3, 6], [7, 0, 3], [4, 7, 0]]; pool 2, stride 2: ⌈3 / 2⌉ = 2, one padded row and column after.
    const { engine, keras, call } = both('layers.AveragePooling2D(2, padding="same")', [3, 3], (x) => kerasPool(x, [2, 2], [2, 2], true, 'avg'));
    assert.deepEqual(engine, [
      [2.5, 4.5],
      [5.5, 0],
    ]);
    assert.deepEqual(keras, engine);
    assert.deepEqual(call.options, { kernelSize: [2, 2], stride: [2, 2], padding: [0, 0], ceilMode: true, countIncludePad: false });
  });

  it('refuses a pool whose odd padding falls on a stride-1 axis, saying so', () => {
    assert.match(example('layers.MaxPooling2D(pool_size=2, strides=1, padding="same")', [6, 6]) as string, /pads 1 along axis 1 \(height\) for an input of 6×6, one more after than before.*ceil_mode adds no window/);
  });

  it("UpSampling2D 'nearest' repeats and 'bilinear' is tf.image.resize's half-pixel blend, PyTorch's align_corners=False", () => {
    for (const [h, w] of [[3, 3], [4, 5], [1, 6]]) {
      for (const f of [[2, 2], [3, 2], [1, 4]] as [number, number][]) {
        const size = f[0] === f[1] ? String(f[0]) : `(${f[0]}, ${f[1]})`;
        const nearest = both(`layers.UpSampling2D(size=${size})`, [h, w] as number[], (x) => kerasResize(x, f, false));
        assert.deepEqual(nearest.engine, nearest.keras, `nearest ×${size} on ${h}×${w}`);
        const bilinear = both(`layers.UpSampling2D(size=${size}, interpolation="bilinear")`, [h, w] as number[], (x) => kerasResize(x, f, true));
        for (const [r, row] of bilinear.keras.entries()) for (const [c, v] of row.entries()) assert.ok(Math.abs(((bilinear.engine[r] as number[])[c] as number) - v) < 1e-12, `bilinear ×${size} on ${h}×${w} at ${r}, ${c}`);
        assert.deepEqual(bilinear.call.options, { scaleFactor: f, mode: 'bilinear', alignCorners: false });
      }
    }
    // By hand, a row [0, 3, 6] doubled: half-pixel centres at −¼, ¼, ¾, 1¼, 1¾, 2¼, clamped at the ends.
    const row = both('layers.UpSampling2D(size=(1, 2), interpolation="bilinear")', [1, 3], (x) => kerasResize(x, [1, 2], true));
    assert.deepEqual(row.engine, [[0, 0.75, 2.25, 3.75, 5.25, 6]]);
    // Keras' default size is 2.
    const plain = example('layers.UpSampling2D()', [4, 4]);
    assert.ok(typeof plain !== 'string');
    assert.deepEqual(runGatherLayer(plain).shape, [8, 8]);
  });

  it('refuses the interpolations Layer Lens does not compute as Keras does', () => {
    assert.match(example('layers.UpSampling2D(2, interpolation="bicubic")', [4, 4]) as string, /interpolation='bicubic' is not one Layer Lens computes as Keras does/);
    assert.match(example('layers.UpSampling2D(2, interpolation=mode)', [4, 4]) as string, /interpolation=mode is an expression/);
  });

  it('reads the example size from Input(shape=(H, W, C)), channels last', () => {
    const [conv] = layerInsights('model = keras.Sequential([\n    layers.Input(shape=(32, 24, 3)),\n    layers.Conv2D(64, 3, padding="valid"),\n])\n', 'python', 8);
    assert.deepEqual([conv?.input.size, conv?.input.channels], [[32, 24], 3]);
    const call = conv && gatherExample(conv.call, conv.input.size);
    assert.ok(call && typeof call !== 'string');
    assert.deepEqual([[...call.input.shape], runGatherLayer(call).shape], [[32, 24], [30, 22]]);
  });
});

describe("Keras' Conv2DTranspose in PyTorch's terms (transposed-convolution panel)", () => {
  const axes = (code: string) => {
    const [call] = findLayerCalls(code, 'python');
    assert.ok(call);
    return kerasTransposedAxes(call);
  };
  const ones = (n: number) => ({ shape: [n, n], data: new Float64Array(n * n).fill(1) });

  it("gives Keras' values where PyTorch's padding and output_padding can: an even crop, 'valid', kernel ≤ stride", () => {
    const cases: [string, number, number, boolean, number | undefined][] = [
      ['layers.Conv2DTranspose(8, 4, strides=2, padding="same")', 4, 2, true, undefined],
      ['layers.Conv2DTranspose(8, 3, strides=2, padding="valid")', 3, 2, false, undefined],
      ['layers.Conv2DTranspose(8, 1, strides=2, padding="valid")', 1, 2, false, undefined],
      ['layers.Conv2DTranspose(8, 2, strides=3, padding="same")', 2, 3, true, undefined],
      ['layers.Conv2DTranspose(8, 3, strides=2, padding="same", output_padding=0)', 3, 2, true, 0],
      ['layers.Conv2DTranspose(8, 5, strides=3, padding="same", output_padding=2)', 5, 3, true, 2],
      ['layers.Conv2DTranspose(8, 3, strides=2, padding="valid", output_padding=1)', 3, 2, false, 1],
      ['layers.Conv2DTranspose(8, 3, strides=1, padding="same")', 3, 1, true, undefined],
    ];
    for (const [code, k, s, same, op] of cases) {
      const read = axes(code);
      assert.ok(typeof read !== 'string', `${code}: ${String(read)}`);
      const [a] = read;
      assert.ok(a);
      for (const side of [3, 5]) {
        const input = { shape: [side, side], data: Float64Array.from({ length: side * side }, (_, i) => (i * 7 + Math.floor(i / side) * 3) % 10) };
        const out = convTranspose2d(input, ones(k), { stride: s, padding: a.padding, outputPadding: a.outputPadding });
        const n = out.shape[0] as number;
        assert.deepEqual(grid(out.data, n, n), kerasTransposed(grid(input.data, side, side), k, s, same, op), `${code} on ${side}`);
      }
    }
    // Kernel 4, stride 2, 'same': the full output is 2 longer than L·s, 1 cropped at each end.
    assert.deepEqual(axes('layers.Conv2DTranspose(8, 4, strides=2, padding="same")'), [
      { kernel: 4, stride: 2, dilation: 1, padding: 1, outputPadding: 0 },
      { kernel: 4, stride: 2, dilation: 1, padding: 1, outputPadding: 0 },
    ]);
  });

  it("refuses an uneven crop: kernel 3 or 5 at stride 2 'same' crops one more after than before", () => {
    assert.equal(
      axes('layers.Conv2DTranspose(64, 3, strides=2, padding="same")'),
      "Keras crops its full output unevenly along axis 1 (height): 0 before and 1 after ('same' for kernel 3, strides 2), and PyTorch's padding crops both ends alike; the size in the hover is Keras'",
    );
    assert.match(axes('layers.Conv2DTranspose(64, (5, 5), strides=(2, 2), padding="same")') as string, /1 before and 2 after/);
    assert.match(axes('layers.Conv2DTranspose(64, 3, strides=2, padding="same", output_padding=1)') as string, /0 before and 1 after \('same' for kernel 3, strides 2, output_padding 1\)/);
    assert.match(axes('layers.Conv2DTranspose(64, k, strides=2)') as string, /kernel_size=k is an expression/);
  });

  it('the output size of an exact case is deconv_output_length, with output_padding unset and given', () => {
    const run = (code: string, side: number) => {
      const read = axes(code);
      assert.ok(typeof read !== 'string');
      const a = read[0] as { kernel: number; stride: number; padding: number; outputPadding: number };
      return convTranspose2d(ones(side), ones(a.kernel), { stride: a.stride, padding: a.padding, outputPadding: a.outputPadding }).shape;
    };
    // None: 'same' L·s; 'valid' L·s + max(k − s, 0). Given: (L − 1)·s + k − 2·pad + output_padding.
    assert.deepEqual(run('layers.Conv2DTranspose(8, 4, strides=2, padding="same")', 7), [14, 14]);
    assert.deepEqual(run('layers.Conv2DTranspose(8, 3, strides=2, padding="valid")', 7), [15, 15]);
    assert.deepEqual(run('layers.Conv2DTranspose(8, 3, strides=2, padding="valid", output_padding=1)', 7), [16, 16]);
    assert.deepEqual(run('layers.Conv2DTranspose(8, 3, strides=2, padding="same", output_padding=0)', 7), [13, 13]);
  });
});
