import * as assert from 'node:assert/strict';
import { dimAdd, dimCeilDiv, dimConst, dimFloorDiv, dimName, dimPlus, dimText, dimTimes, dimValue, dimProduct, type Dim } from '../../../src/core/model/symbolicDim';
import { DIM_SIZES } from '../../../src/core/model/symbolicShape';
import { transposedOutputSize, windowOutputSize } from '../../../src/core/engine/sizeArithmetic';

const H = dimName('H');
const W = dimName('W');
const at = (d: Dim, h: number, w = h): number | undefined => dimValue(d, { H: h, W: w });

/** A formula and the same computation on plain integers, built side by side. */
interface Pair {
  readonly dim: Dim;
  readonly value: (h: number, w: number) => number;
  readonly text: string;
}

/** A small seeded generator, so a failure names a case that can be run again. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomPair(next: () => number, depth: number): Pair {
  const pick = (n: number): number => Math.floor(next() * n);
  if (depth === 0) {
    const leaf = pick(3);
    if (leaf === 0) return { dim: H, value: (h) => h, text: 'H' };
    if (leaf === 1) return { dim: W, value: (_, w) => w, text: 'W' };
    const c = pick(9) - 4;
    return { dim: dimConst(c), value: () => c, text: String(c) };
  }
  const a = randomPair(next, depth - 1);
  switch (pick(5)) {
    case 0: {
      const n = pick(11) - 5;
      return { dim: dimPlus(a.dim, n), value: (h, w) => a.value(h, w) + n, text: `(${a.text} + ${n})` };
    }
    case 1: {
      const k = pick(7) - 3;
      return { dim: dimTimes(a.dim, k), value: (h, w) => a.value(h, w) * k, text: `${k}·${a.text}` };
    }
    case 2: {
      const s = 1 + pick(6);
      return { dim: dimFloorDiv(a.dim, s), value: (h, w) => Math.floor(a.value(h, w) / s), text: `⌊${a.text}/${s}⌋` };
    }
    case 3: {
      const s = 1 + pick(4);
      return { dim: dimCeilDiv(a.dim, s), value: (h, w) => Math.ceil(a.value(h, w) / s), text: `⌈${a.text}/${s}⌉` };
    }
    default: {
      const b = randomPair(next, depth - 1);
      return { dim: dimAdd(a.dim, b.dim), value: (h, w) => a.value(h, w) + b.value(h, w), text: `(${a.text} + ${b.text})` };
    }
  }
}

describe('symbolic sizes: the algebra (symbolicDim.ts)', () => {
  it('simplifies without changing the value: 3,000 random formulas, every H and W from −20 to 140', () => {
    const next = random(19);
    const wrong: string[] = [];
    for (let i = 0; i < 3000 && wrong.length < 5; i++) {
      const pair = randomPair(next, 1 + (i % 4));
      for (let h = -20; h <= 140 && wrong.length < 5; h += 1) {
        const w = 160 - h;
        if (at(pair.dim, h, w) !== pair.value(h, w)) wrong.push(`${pair.text} = ${dimText(pair.dim)} at H=${h}, W=${w}: ${at(pair.dim, h, w)} ≠ ${pair.value(h, w)}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('writes the layers’ formulas in their simplest form', () => {
    const conv = (k: number, s: number, p: number, d = 1) => windowOutputSize(DIM_SIZES, H, { kernel: k, stride: s, padBefore: p, padAfter: p, dilation: d });
    assert.equal(dimText(conv(3, 1, 0)), 'H − 2');
    assert.equal(dimText(conv(3, 1, 1)), 'H');
    assert.equal(dimText(conv(3, 2, 1)), '⌊(H + 1)/2⌋');
    assert.equal(dimText(conv(2, 2, 0)), '⌊H/2⌋');
    assert.equal(dimText(conv(7, 1, 0)), 'H − 6');
    // ⌊⌊H/2⌋/2⌋ = ⌊H/4⌋; ⌊(⌊(H + 1)/2⌋ + 1)/2⌋ = ⌊(H + 3)/4⌋.
    assert.equal(dimText(dimFloorDiv(dimFloorDiv(H, 2), 2)), '⌊H/4⌋');
    assert.equal(dimText(windowOutputSize(DIM_SIZES, conv(3, 2, 1), { kernel: 3, stride: 2, padBefore: 1, padAfter: 1, dilation: 1 })), '⌊(H + 3)/4⌋');
    // A transposed convolution s2 k4 p1 after a 2×2 pooling: 2·⌊H/2⌋ (not H: odd sizes lose one).
    assert.equal(dimText(transposedOutputSize(DIM_SIZES, dimFloorDiv(H, 2), { kernel: 4, stride: 2, padBefore: 1, padAfter: 1, dilation: 1, outputPadding: 0 })), '2·⌊H/2⌋');
    assert.equal(dimText(transposedOutputSize(DIM_SIZES, H, { kernel: 3, stride: 2, padBefore: 1, padAfter: 1, dilation: 1, outputPadding: 1 })), '2·H');
    assert.equal(dimText(dimTimes(H, 2)), '2·H');
    assert.equal(dimText(dimFloorDiv(dimPlus(dimTimes(H, 2), 2), 4)), '⌊(H + 1)/2⌋');
    assert.equal(dimText(dimAdd(dimConst(64), dimConst(64))), '128');
    assert.equal(dimText(dimPlus(dimFloorDiv(H, 2), -1)), '⌊H/2⌋ − 1');
  });

  it('keeps the ⌊(H + a)/s⌋ + b form with 0 ≤ a < s, so equal sizes print alike', () => {
    // ⌊(H − 1)/2⌋ + 1 and ⌊(H + 1)/2⌋ are the same formula.
    assert.equal(dimText(dimPlus(dimFloorDiv(dimPlus(H, -1), 2), 1)), dimText(dimFloorDiv(dimPlus(H, 1), 2)));
    assert.equal(dimText(dimFloorDiv(dimPlus(H, 7), 4)), '⌊(H + 3)/4⌋ + 1');
  });

  it('multiplies only by a constant (a product of two sizes is not a size here)', () => {
    assert.equal(dimProduct(H, W), undefined);
    assert.equal(dimText(dimProduct(dimConst(3), dimFloorDiv(H, 2)) as Dim), '3·⌊H/2⌋');
  });
});
