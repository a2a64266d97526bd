/**
 * `a·b + c` rounded once, as an FMA instruction computes it. PyTorch's CPU kernels are compiled
 * with FMA enabled (the AVX2 build of `native/cpu/`), and the compiler fuses `a * b + c` there: the
 * bilinear source index `scale·(dst + ½) − ½` is one fused operation, so `(1/3)·4.5 − ½` is
 * 0.9999999999999999 in PyTorch, not the 1 two roundings give, and next to a value of 1e300 that
 * difference is the whole answer. JavaScript has no `Math.fma`, hence these two.
 */

const view = new DataView(new ArrayBuffer(8));
/** One double and its two 32-bit words, in the platform's byte order, for the fast path's bit test. */
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const LOW = LITTLE_ENDIAN ? 0 : 1;
const HIGH = 1 - LOW;

/** A finite double as `mantissa · 2^exponent`, with an integer mantissa. */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  view.setFloat64(0, x);
  const high = view.getUint32(0);
  const low = view.getUint32(4);
  const biased = (high >>> 20) & 0x7ff;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  if (biased !== 0) mantissa |= 1n << 52n;
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  return { mantissa: high >>> 31 === 1 ? -mantissa : mantissa, exponent };
}

/** `value · 2^exponent` for an integer `value`, rounded once to the nearest double (ties to even). */
function scaled(value: bigint, exponent: number): number {
  if (value === 0n) return 0;
  const negative = value < 0n;
  let magnitude = negative ? -value : value;
  const bits = magnitude.toString(2).length;
  if (bits + exponent <= -1022) {
    // Subnormal (or zero): round once to a multiple of 2^-1074, ties to even.
    const shift = -1074 - exponent;
    let units = magnitude;
    if (shift > 0) {
      units = magnitude >> BigInt(shift);
      const rest = magnitude - (units << BigInt(shift));
      const half = 1n << BigInt(shift - 1);
      if (rest > half || (rest === half && (units & 1n) === 1n)) units += 1n;
    } else units = magnitude << BigInt(-shift);
    const result = Number(units) * 2 ** -1074;
    return negative ? -result : result;
  }
  if (bits > 64) {
    // Keep 64 bits and a sticky bit for what is shifted out: rounding to 53 bits then sees it.
    const shift = BigInt(bits - 64);
    const sticky = magnitude & ((1n << shift) - 1n) ? 1n : 0n;
    magnitude = (magnitude >> shift) | sticky;
    exponent += bits - 64;
  }
  let result = Number(magnitude);
  // Powers of two in steps that stay in range; exact unless the result is subnormal or overflows.
  while (exponent > 0) {
    const step = Math.min(exponent, 1000);
    result *= 2 ** step;
    exponent -= step;
  }
  while (exponent < 0) {
    const step = Math.max(exponent, -1000);
    result *= 2 ** step;
    exponent -= step;
  }
  return negative ? -result : result;
}

/**
 * `a·b + c` with one rounding, exactly, for finite operands (computed on integers; slow, for the
 * few values that decide something, such as a source index, and for the fast version's rare
 * operands). Infinities and NaN give what `a * b + c` gives, as the instruction does.
 */
export function exactFusedMultiplyAdd(a: number, b: number, c: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c)) return a * b + c;
  const x = decompose(a);
  const y = decompose(b);
  const z = decompose(c);
  const productExponent = x.exponent + y.exponent;
  const low = Math.min(productExponent, z.exponent);
  const sum = ((x.mantissa * y.mantissa) << BigInt(productExponent - low)) + (z.mantissa << BigInt(z.exponent - low));
  // An exact zero has the sign IEEE gives x·y + z in round-to-nearest.
  if (sum === 0n) return a * b + c;
  return scaled(sum, low);
}

const SPLITTER = 134217729; // 2^27 + 1: Veltkamp's split of a double into two 26-bit halves
const LARGE = 2 ** 995;
const SMALL = 2 ** -960;

/**
 * `a·b + c` with at most one unit in the last place of error (faithful rounding), fast: the
 * product's rounding error comes from Dekker's two-product, the sum's from Knuth's two-sum.
 * Operands outside the range where those are exact go to {@link exactFusedMultiplyAdd}.
 */
export function fusedMultiplyAdd(a: number, b: number, c: number): number {
  const p = a * b;
  const absP = Math.abs(p);
  if (!(Math.abs(a) < LARGE && Math.abs(b) < LARGE && Math.abs(c) < LARGE && absP < LARGE) || (absP < SMALL && a !== 0 && b !== 0)) return exactFusedMultiplyAdd(a, b, c);
  const ca = SPLITTER * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = SPLITTER * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  const e = ah * bh - p + ah * bl + al * bh + al * bl;
  if (e === 0) return p + c; // the product is exact (a weight of ½ or 0, say): one rounding already
  // Knuth's two-sum twice, written out (no arrays: this runs for every value of an upsampling).
  const s = p + c;
  let v = s - p;
  const t = p - (s - v) + (c - v);
  const u = t + e;
  v = u - t;
  const w = t - (u - v) + (e - v);
  // s + t + e is exact, u + w is t + e. Adding u rounded to odd (nudged one unit towards w when w is
  // not zero and u's last bit is even), then rounding once, rounds the exact sum once: Boldo and
  // Melquiond's emulated FMA, with no double rounding.
  if (w === 0) return s + u;
  bits[0] = u;
  if ((words[LOW] as number) & 1) return s + u;
  if (u > 0 === w > 0) words[LOW] = (words[LOW] as number) + 1;
  else if (words[LOW] === 0) {
    words[LOW] = 0xffffffff;
    words[HIGH] = (words[HIGH] as number) - 1;
  } else words[LOW] = (words[LOW] as number) - 1;
  return s + (bits[0] as number);
}
