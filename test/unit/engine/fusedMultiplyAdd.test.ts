import * as assert from 'node:assert/strict';
import { exactFusedMultiplyAdd, fusedMultiplyAdd } from '../../../src/core/engine/fusedMultiplyAdd';

/** A small deterministic generator (the values must be the same on every run). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state ^ (state >>> 15), 2246822507) + 0x9e3779b9) >>> 0;
    return state / 2 ** 32;
  };
}

describe('fused multiply-add', () => {
  it('rounds a·b + c once: (1/3)·4.5 − ½ is 0.9999999999999999, not 1', () => {
    assert.equal((1 / 3) * 4.5 - 0.5, 1);
    assert.equal(exactFusedMultiplyAdd(1 / 3, 4.5, -0.5), 0.9999999999999999);
    assert.equal(fusedMultiplyAdd(1 / 3, 4.5, -0.5), 0.9999999999999999);
    // 0.1 · 10 is exactly 1.0000000000000000555…, which one rounding keeps apart from 1.
    assert.equal(exactFusedMultiplyAdd(0.1, 10, -1), 5.551115123125783e-17);
  });
  it('gives the exact sums at the edges: zeros, subnormals, infinities and NaN as the instruction does', () => {
    assert.ok(Object.is(exactFusedMultiplyAdd(-0, 1, -0), -0));
    assert.ok(Object.is(exactFusedMultiplyAdd(1, 1, -1), 0));
    assert.equal(exactFusedMultiplyAdd(2 ** -1074, 0.5, 0), 0); // a tie, to even
    assert.equal(exactFusedMultiplyAdd(3 * 2 ** -1074, 0.5, 0), 2 * 2 ** -1074);
    assert.equal(exactFusedMultiplyAdd(1e308, 10, -1e308), Infinity);
    assert.ok(Number.isNaN(exactFusedMultiplyAdd(Infinity, 0, 1)));
    assert.equal(exactFusedMultiplyAdd(Infinity, 2, 1), Infinity);
  });
  it('the fast version agrees with the exact one bit for bit on 20,000 operands of every magnitude', () => {
    const next = random(16);
    const value = (): number => {
      const magnitude = 2 ** Math.round((next() - 0.5) * 2100);
      return (next() - 0.5) * magnitude;
    };
    for (let k = 0; k < 20_000; k++) {
      const a = value();
      const b = k % 3 === 0 ? 1 - next() : value();
      const c = k % 5 === 0 ? -a * b : value();
      const fast = fusedMultiplyAdd(a, b, c);
      const exact = exactFusedMultiplyAdd(a, b, c);
      assert.ok(Object.is(fast, exact) || (Number.isNaN(fast) && Number.isNaN(exact)), `fma(${a}, ${b}, ${c}): ${fast}, exactly ${exact}`);
    }
  });
});
