import * as assert from 'node:assert/strict';
import { compare } from '../../../scripts/bench/agreement';
import { channelsFirst, channelsLast, tfjsFilter } from '../../../scripts/bench/layout';
import { formatMs, formatRatio, formatSpread } from '../../../scripts/bench/report';

describe('benchmark report', () => {
  it('says the ratio from Layer Lens\'s side', () => {
    assert.equal(formatRatio(3.8), 'LL 3.8× slower');
    assert.equal(formatRatio(0.25), 'LL 4.0× faster');
    assert.equal(formatRatio(69.4), 'LL 69× slower');
    assert.equal(formatRatio(1.02), 'LL ≈ same');
    assert.equal(formatRatio(0.97), 'LL ≈ same');
  });

  it('gives three significant digits, and median (range) over several runs', () => {
    assert.equal(formatMs(131.4), '131');
    assert.equal(formatMs(0.018345), '0.0183');
    assert.equal(formatSpread([2]), '2');
    assert.equal(formatSpread([3, 1, 2, 10]), '2.5 (1–10)');
  });
});

describe('benchmark agreement check', () => {
  const reference = { shape: [1, 3], data: Float64Array.from([1, -4, 2]) };

  it('measures the largest difference against the largest |value|', () => {
    const result = compare(reference, { shape: [1, 3], data: Float32Array.from([1, -4.00002, 2]) }, 'float32');
    assert.ok(Math.abs(result.maxRelativeError - 5e-6) < 1e-7, String(result.maxRelativeError));
    assert.ok(result.agrees);
    assert.ok(!compare(reference, { shape: [1, 3], data: Float64Array.from([1, -4.001, 2]) }, 'float32').agrees);
  });

  it('rejects another shape and NaN', () => {
    assert.ok(!compare(reference, { shape: [3, 1], data: reference.data }, 'float64').agrees);
    const nan = compare(reference, { shape: [1, 3], data: Float64Array.from([1, NaN, 2]) }, 'float64');
    assert.equal(nan.maxRelativeError, Infinity);
    assert.ok(!nan.agrees);
  });
});

describe('benchmark layouts', () => {
  const nchw = Float64Array.from({ length: 2 * 3 * 4 * 5 }, (_, i) => i);

  it('NCHW → NHWC → NCHW is the identity, and puts channels last', () => {
    const last = channelsLast(nchw, [2, 3, 4, 5]);
    assert.deepEqual(last.shape, [2, 4, 5, 3]);
    // [n=1, h=2, w=3, c=1] in NHWC is [n=1, c=1, h=2, w=3] in NCHW.
    assert.equal(last.data[((1 * 4 + 2) * 5 + 3) * 3 + 1], nchw[((1 * 3 + 1) * 4 + 2) * 5 + 3]);
    const back = channelsFirst(last.data, last.shape);
    assert.deepEqual(back.shape, [2, 3, 4, 5]);
    assert.deepEqual(Array.from(back.data), Array.from(nchw));
  });

  it('reorders a [C_in, C_out, kH, kW] weight into tfjs\'s [kH, kW, C_out, C_in]', () => {
    const filter = tfjsFilter(nchw, [2, 3, 4, 5]);
    assert.deepEqual(filter.shape, [4, 5, 3, 2]);
    // [kh=3, kw=4, out=2, in=1] is weight [in=1, out=2, kh=3, kw=4].
    assert.equal(filter.data[((3 * 5 + 4) * 3 + 2) * 2 + 1], nchw[((1 * 3 + 2) * 4 + 3) * 5 + 4]);
  });
});
