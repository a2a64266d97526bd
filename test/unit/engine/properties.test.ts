/**
 * Properties of the convolution kernels over random small configurations (fast-check): the
 * transposed convolution is the adjoint of the convolution, both are linear, their output sizes
 * follow PyTorch's formulas, and the fast kernels agree with the plain reference implementations,
 * including where NaN and infinities go. Values are multiples of 1/4, so sums are exact in float64
 * whatever the order of summation.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  conv2d,
  convTranspose1d,
  convTranspose2d,
  formatAxisFormula,
  LayerError,
  outputShape,
  sizeOf,
  type AxisFormula,
  type Tensor,
} from '../../../src/core/engine/index';
import { withKernelPolicy } from '../../../src/core/engine/kernelPolicy';
import { referenceConv2d, referenceConvTranspose2d } from '../../../src/core/engine/reference';
import { forcedKernelPolicies, policyName } from './helpers';

const runs = { numRuns: 150 };

interface ConvConfig {
  readonly batch: number;
  readonly groups: number;
  readonly inPerGroup: number;
  readonly outPerGroup: number;
  readonly height: number;
  readonly width: number;
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly padding: readonly [number, number];
  /** Raw draws, reduced per property to a valid output_padding. */
  readonly extra: readonly [number, number];
}

const small = (min: number, max: number): fc.Arbitrary<number> => fc.integer({ min, max });
const pairOf = (min: number, max: number): fc.Arbitrary<readonly [number, number]> => fc.tuple(small(min, max), small(min, max));

const convConfig: fc.Arbitrary<ConvConfig> = fc.record({
  batch: small(1, 2),
  groups: small(1, 2),
  inPerGroup: small(1, 2),
  outPerGroup: small(1, 2),
  height: small(1, 4),
  width: small(1, 4),
  kernel: pairOf(1, 3),
  stride: pairOf(1, 3),
  dilation: pairOf(1, 2),
  padding: pairOf(0, 2),
  extra: pairOf(0, 2),
});

/** `count` values, multiples of 1/4 in [−2, 2]. */
const quarters = (count: number): fc.Arbitrary<Float64Array> =>
  fc.array(small(-8, 8), { minLength: count, maxLength: count }).map((values) => Float64Array.from(values, (v) => v / 4));

const make = (shape: readonly number[], data: Float64Array): Tensor => ({ shape, data });

/** The transposed-convolution shapes of a configuration, with `output_padding` below the stride (so conv maps back). */
function transposedSetup(c: ConvConfig) {
  const inChannels = c.groups * c.inPerGroup;
  const outChannels = c.groups * c.outPerGroup;
  const outputPadding = [c.extra[0] % c.stride[0], c.extra[1] % c.stride[1]] as const;
  // Keep the output non-empty: padding ≤ ((H − 1)·s + d·(k − 1) + op) / 2.
  const sizes = [c.height, c.width];
  const padding = [0, 1].map((axis) =>
    Math.min(c.padding[axis] as number, Math.floor((((sizes[axis] as number) - 1) * (c.stride[axis] as number) + (c.dilation[axis] as number) * ((c.kernel[axis] as number) - 1) + (outputPadding[axis] as number)) / 2)),
  ) as [number, number];
  const outSize = [0, 1].map(
    (axis) => ((sizes[axis] as number) - 1) * (c.stride[axis] as number) - 2 * padding[axis]! + (c.dilation[axis] as number) * ((c.kernel[axis] as number) - 1) + (outputPadding[axis] as number) + 1,
  ) as [number, number];
  return {
    inputShape: [c.batch, inChannels, c.height, c.width],
    weightShape: [inChannels, c.outPerGroup, c.kernel[0], c.kernel[1]],
    outputShape: [c.batch, outChannels, outSize[0], outSize[1]],
    options: { stride: c.stride, padding, outputPadding, dilation: c.dilation, groups: c.groups },
  };
}

/** A configuration with its tensors: x (transposed input), w (weight), y (transposed output), bias. */
const transposedCase = convConfig.chain((config) => {
  const setup = transposedSetup(config);
  return fc.record({
    config: fc.constant(config),
    x: quarters(sizeOf(setup.inputShape)),
    x2: quarters(sizeOf(setup.inputShape)),
    w: quarters(sizeOf(setup.weightShape)),
    y: quarters(sizeOf(setup.outputShape)),
    bias: quarters(Math.max(setup.inputShape[1] as number, setup.outputShape[1] as number)),
    scales: fc.tuple(small(-8, 8), small(-8, 8)),
  });
});

function dot(a: Float64Array, b: Float64Array): number {
  assert.equal(a.length, b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

/** Equal values, NaN equal to NaN, infinities exact, finite values to 1e-12 relative. */
function assertSameValues(got: Tensor, want: Tensor): void {
  assert.deepEqual([...got.shape], [...want.shape]);
  for (let i = 0; i < want.data.length; i++) {
    const a = got.data[i] as number;
    const b = want.data[i] as number;
    const same = Number.isNaN(b) ? Number.isNaN(a) : Number.isFinite(b) ? Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)) : a === b;
    if (!same) assert.fail(`value ${i}: got ${a}, reference ${b}`);
  }
}

/** Evaluates a formula's substituted text (`⌊(5 + 2·1 − …) / 2⌋ + 1`) as arithmetic. */
function evaluate(formula: AxisFormula): number {
  const expression = formula.substituted
    .replace(/⌊/g, 'Math.floor(')
    .replace(/⌈/g, 'Math.ceil(')
    .replace(/[⌋⌉]/g, ')')
    .replace(/·/g, '*')
    .replace(/−/g, '-');
  assert.match(expression, /^[-+*/() 0-9.Mathflorcei]*$/);
  return (new Function(`return (${expression});`) as () => number)();
}

describe('convolution properties', () => {
  it('⟨convTranspose2d(x), y⟩ = ⟨x, conv2d(y)⟩ with the same stride, padding, dilation and groups', () => {
    fc.assert(
      fc.property(transposedCase, ({ config, x, w, y }) => {
        const setup = transposedSetup(config);
        const weight = make(setup.weightShape, w);
        const forward = convTranspose2d(make(setup.inputShape, x), weight, setup.options);
        assert.deepEqual([...forward.shape], setup.outputShape);
        const { outputPadding: _unused, ...convOptions } = setup.options;
        const back = conv2d(make(setup.outputShape, y), weight, convOptions);
        assert.deepEqual([...back.shape], setup.inputShape);
        assert.ok(dot(forward.data, y) === dot(x, back.data), `${dot(forward.data, y)} ≠ ${dot(x, back.data)}`);
      }),
      runs,
    );
  });

  it('convTranspose2d and conv2d are linear', () => {
    fc.assert(
      fc.property(transposedCase, ({ config, x, x2, w, y, scales: [a, b] }) => {
        const setup = transposedSetup(config);
        const weight = make(setup.weightShape, w);
        const mixed = Float64Array.from(x, (v, i) => a * v + b * (x2[i] as number));
        const apply = (data: Float64Array) => convTranspose2d(make(setup.inputShape, data), weight, setup.options).data;
        const [left, one, two] = [apply(mixed), apply(x), apply(x2)];
        // `===`, not assert.equal: 0 and −0 count as the same value here.
        left.forEach((v, i) => assert.ok(v === a * (one[i] as number) + b * (two[i] as number), `value ${i}`));
        const { outputPadding: _unused, ...convOptions } = setup.options;
        const scaled = conv2d(make(setup.outputShape, Float64Array.from(y, (v) => a * v)), weight, convOptions).data;
        const plain = conv2d(make(setup.outputShape, y), weight, convOptions).data;
        scaled.forEach((v, i) => assert.ok(v === a * (plain[i] as number), `value ${i}`));
      }),
      runs,
    );
  });

  it("output sizes follow PyTorch's formulas, and the printed formula evaluates to them", () => {
    fc.assert(
      fc.property(convConfig, (c) => {
        const outputPadding = [c.extra[0] % Math.max(c.stride[0], c.dilation[0]), c.extra[1] % Math.max(c.stride[1], c.dilation[1])] as const;
        const options = { kernelSize: c.kernel, stride: c.stride, padding: c.padding, dilation: c.dilation };
        const sizes = [c.height, c.width];
        const transposed = [0, 1].map((a) => ((sizes[a] as number) - 1) * c.stride[a]! - 2 * c.padding[a]! + c.dilation[a]! * (c.kernel[a]! - 1) + outputPadding[a]! + 1);
        const plain = [0, 1].map((a) => Math.floor(((sizes[a] as number) + 2 * c.padding[a]! - c.dilation[a]! * (c.kernel[a]! - 1) - 1) / c.stride[a]!) + 1);
        const fits = [0, 1].every((a) => (sizes[a] as number) + 2 * c.padding[a]! >= c.dilation[a]! * (c.kernel[a]! - 1) + 1);

        checkShape(() => outputShape('convTranspose2d', [c.height, c.width], { ...options, outputPadding }), transposed, 'empty-output');
        checkShape(() => outputShape('conv2d', [c.height, c.width], options), fits ? plain : undefined, 'kernel-too-large');
      }),
      { numRuns: 300 },
    );
  });

  it('the fast kernels equal the reference implementations, bias included', () => {
    fc.assert(
      fc.property(transposedCase, fc.boolean(), fc.boolean(), ({ config, x, w, y, bias }, withBias, same) => {
        const setup = transposedSetup(config);
        const weight = make(setup.weightShape, w);
        const biasTensor = withBias ? make([setup.outputShape[1] as number], bias.subarray(0, setup.outputShape[1])) : undefined;
        const transposedOptions = { ...setup.options, bias: biasTensor };
        assertSameValues(convTranspose2d(make(setup.inputShape, x), weight, transposedOptions), referenceConvTranspose2d(make(setup.inputShape, x), weight, transposedOptions));

        const convBias = withBias ? make([setup.inputShape[1] as number], bias.subarray(0, setup.inputShape[1])) : undefined;
        const { outputPadding: _unused, ...rest } = setup.options;
        const convOptions = same ? { ...rest, stride: 1, padding: 'same' as const, bias: convBias } : { ...rest, bias: convBias };
        const input = make(setup.outputShape, y);
        assertSameValues(conv2d(input, weight, convOptions), referenceConv2d(input, weight, convOptions));
      }),
      runs,
    );
  });

  it('the fast kernels put NaN and infinities where the reference does', () => {
    const special = fc.constantFrom(NaN, Infinity, -Infinity);
    const poisoned = transposedCase.chain((c) =>
      fc.record({ c: fc.constant(c), xAt: small(0, c.x.length - 1), wAt: small(0, c.w.length - 1), yAt: small(0, c.y.length - 1), xv: special, wv: special, yv: special, where: fc.constantFrom('x', 'w', 'both') }),
    );
    fc.assert(
      fc.property(poisoned, ({ c: { config, x, w, y }, xAt, wAt, yAt, xv, wv, yv, where }) => {
        const setup = transposedSetup(config);
        const xs = Float64Array.from(x);
        const ws = Float64Array.from(w);
        const ys = Float64Array.from(y);
        if (where !== 'w') {
          xs[xAt] = xv;
          ys[yAt] = yv;
        }
        if (where !== 'x') ws[wAt] = wv;
        const weight = make(setup.weightShape, ws);
        assertSameValues(convTranspose2d(make(setup.inputShape, xs), weight, setup.options), referenceConvTranspose2d(make(setup.inputShape, xs), weight, setup.options));
        const { outputPadding: _unused, ...convOptions } = setup.options;
        assertSameValues(conv2d(make(setup.outputShape, ys), weight, convOptions), referenceConv2d(make(setup.outputShape, ys), weight, convOptions));
      }),
      runs,
    );
  });

  for (const policy of forcedKernelPolicies) {
    it(`${policyName(policy)}: the transposed kernel equals the reference, bias, NaN and infinities included`, () => {
      const special = fc.constantFrom(NaN, Infinity, -Infinity, 0);
      const poisoned = transposedCase.chain((c) =>
        fc.record({ c: fc.constant(c), xAt: small(0, c.x.length - 1), wAt: small(0, c.w.length - 1), xv: special, wv: special, where: fc.constantFrom('none', 'x', 'w', 'both'), withBias: fc.boolean() }),
      );
      fc.assert(
        fc.property(poisoned, ({ c: { config, x, w, bias }, xAt, wAt, xv, wv, where, withBias }) => {
          const setup = transposedSetup(config);
          const xs = Float64Array.from(x);
          const ws = Float64Array.from(w);
          if (where === 'x' || where === 'both') xs[xAt] = xv;
          if (where === 'w' || where === 'both') ws[wAt] = wv;
          const biasTensor = withBias ? make([setup.outputShape[1] as number], bias.subarray(0, setup.outputShape[1])) : undefined;
          const options = { ...setup.options, bias: biasTensor };
          const input = make(setup.inputShape, xs);
          const weight = make(setup.weightShape, ws);
          assertSameValues(withKernelPolicy(policy, () => convTranspose2d(input, weight, options)), referenceConvTranspose2d(input, weight, options));
        }),
        runs,
      );
    });
  }

  it('unbatched and 1-D forms are the batched 2-D layer with the extra axes dropped', () => {
    fc.assert(
      fc.property(transposedCase, ({ config, x, w }) => {
        const setup = transposedSetup(config);
        const weight = make(setup.weightShape, w);
        const batched = convTranspose2d(make(setup.inputShape, x), weight, setup.options);
        const perImage = sizeOf(setup.inputShape.slice(1));
        const first = convTranspose2d(make(setup.inputShape.slice(1), x.subarray(0, perImage)), weight, setup.options);
        assert.deepEqual([...first.shape], setup.outputShape.slice(1));
        assert.deepEqual([...first.data], [...batched.data.subarray(0, first.data.length)]);

        // The width axis alone, as a 1-D layer on [N, C, L] with a [C_in, C_out/groups, k] weight.
        const [n, cIn, , width] = setup.inputShape as [number, number, number, number];
        const row = Float64Array.from({ length: n * cIn * width }, (_, i) => x[(Math.floor(i / width) * config.height) * width + (i % width)] as number);
        const kernelRow = Float64Array.from({ length: cIn * config.outPerGroup * config.kernel[1] }, (_, i) => w[Math.floor(i / config.kernel[1]) * config.kernel[0] * config.kernel[1] + (i % config.kernel[1])] as number);
        const options1d = { stride: config.stride[1], padding: setup.options.padding[1], outputPadding: setup.options.outputPadding[1], dilation: config.dilation[1], groups: config.groups };
        const oneD = convTranspose1d(make([n, cIn, width], row), make([cIn, config.outPerGroup, config.kernel[1]], kernelRow), options1d);
        const twoD = convTranspose2d(make([n, cIn, 1, width], row), make([cIn, config.outPerGroup, 1, config.kernel[1]], kernelRow), { ...options1d, stride: [1, options1d.stride], padding: [0, options1d.padding], outputPadding: [0, options1d.outputPadding], dilation: [1, options1d.dilation] });
        assert.deepEqual([...oneD.shape], [n, twoD.shape[1], twoD.shape[3]]);
        assert.deepEqual([...oneD.data], [...twoD.data]);
      }),
      runs,
    );
  });
});

/** `run()` gives `expected` (and formulas that print and evaluate to it), or throws `code` when `expected` is undefined or not positive. */
function checkShape(run: () => { shape: readonly number[]; axes: readonly AxisFormula[] }, expected: number[] | undefined, code: string): void {
  if (expected === undefined || expected.some((size) => size < 1)) {
    assert.throws(run, (error: unknown) => error instanceof LayerError && error.code === code);
    return;
  }
  const result = run();
  assert.deepEqual(result.shape, expected);
  result.axes.forEach((axis, index) => {
    assert.equal(axis.value, expected[index]);
    assert.equal(evaluate(axis), axis.value);
    assert.ok(formatAxisFormula(axis).endsWith(`= ${axis.value}`));
  });
}
