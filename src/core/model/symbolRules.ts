/**
 * How formulas of sizes (symbolicShape.ts) go through the shape rules that are not a layer's window
 * formula: padding, resampling, flattening, broadcasting, concatenation. Each rule is exact for
 * every input the operation accepts, or gives null for the axis: `[N, C, H, W]` → `F.pad(x, [1, 1,
 * 2, 2])` → `[N, C, H + 4, W + 2]`; `torch.cat` along channels adds them and keeps any operand's
 * formula on the other axes (PyTorch requires them equal).
 */
import { dimAdd, dimConst, dimEquals, dimFloorDiv, dimProduct, dimTimes, isConstDim, type Dim } from './symbolicDim';
import type { SymShape } from './symbolicShape';

/** `pad` is (left, right, top, bottom, …) from the last axis back, as `F.pad` reads it. */
export function paddedSymbols(sym: SymShape, pad: readonly number[]): SymShape {
  const out = [...sym];
  for (let i = 0; i < pad.length / 2; i++) {
    const axis = sym.length - 1 - i;
    const d = sym[axis];
    out[axis] = d ? dimAdd(d, dimConst((pad[2 * i] as number) + (pad[2 * i + 1] as number))) : null;
  }
  return out;
}

/**
 * Resampling (`nn.Upsample`, `F.interpolate`): a given size is a constant (`constant` says whether
 * the number may be trusted as one), a scale factor `s` gives `⌊size·s⌋`, a formula when that is
 * exact for every size: `s·H` for a whole s, `⌊H/2^k⌋` for s = 2^−k (exact in binary floating point).
 */
export function resampledSymbols(sym: SymShape, output: readonly number[], hasSize: boolean, scales: readonly number[] | undefined, constant: (n: number) => Dim | null): SymShape {
  const spatial = output.length - 2;
  return sym.map((d, axis) => {
    if (axis < 2) return d;
    if (hasSize) return constant(output[axis] as number);
    const s = scales?.[scales.length === 1 ? 0 : axis - 2];
    if (!d || s === undefined || spatial < 1) return null;
    return scaledDim(d, s);
  });
}

function scaledDim(d: Dim, s: number): Dim | null {
  if (Number.isInteger(s) && s > 0) return dimTimes(d, s);
  const inverse = 1 / s;
  // 1/s a power of two: size·s is exact in a double, so ⌊size·s⌋ = ⌊size / 2^k⌋.
  if (s > 0 && Number.isInteger(inverse) && (inverse & (inverse - 1)) === 0 && inverse <= 2 ** 30) return dimFloorDiv(d, inverse);
  return null;
}

/** `flatten(start, end)`: the product of the axes, a formula when at most one of them is not a constant. */
export function flattenedSymbols(sym: SymShape, start: number, end: number): SymShape {
  let product: Dim | null | undefined = dimConst(1);
  for (const d of sym.slice(start, end + 1)) product = product && d ? dimProduct(product, d) : null;
  return [...sym.slice(0, start), product ?? null, ...sym.slice(end + 1)];
}

/**
 * Broadcasting (`+ - * /`): equal formulas stay; an axis of constant 1 takes the other's formula; a
 * constant c ≠ 1 is the result whatever the other side is (it is 1 or c, or PyTorch raises); else
 * none (which side is 1 could change with the input).
 */
export function broadcastSymbols(a: SymShape, b: SymShape, output: readonly number[]): SymShape {
  const rank = output.length;
  return output.map((_, i) => {
    const x = i - (rank - a.length) >= 0 ? (a[i - (rank - a.length)] ?? null) : dimConst(1);
    const y = i - (rank - b.length) >= 0 ? (b[i - (rank - b.length)] ?? null) : dimConst(1);
    if (x && isConstDim(x) && x.c !== 1) return x;
    if (y && isConstDim(y) && y.c !== 1) return y;
    if (!x || !y) return null;
    if (dimEquals(x, y)) return x;
    if (isConstDim(x) && x.c === 1) return y;
    if (isConstDim(y) && y.c === 1) return x;
    return null;
  });
}

/**
 * `torch.cat` along `dim`: the sizes along it add up; every other axis is equal in all operands (or
 * PyTorch raises), so any operand's formula for it holds.
 */
export function concatenatedSymbols(parts: readonly (SymShape | undefined)[], dim: number, rank: number): SymShape {
  return Array.from({ length: rank }, (_, axis) => {
    if (axis === dim) {
      let sum: Dim | null = dimConst(0);
      for (const p of parts) sum = sum && p?.[axis] ? dimAdd(sum, p[axis] as Dim) : null;
      return sum;
    }
    for (const p of parts) if (p?.[axis]) return p[axis] as Dim;
    return null;
  });
}

/** The formulas of the axes in a new order (`permute`, `transpose`), by the output's source axes. */
export function pickedSymbols(sym: SymShape, from: readonly number[]): SymShape {
  return from.map((i) => sym[i] ?? null);
}
