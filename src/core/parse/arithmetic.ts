/**
 * What `+ − × ÷ ^` mean in each language, for the literal arithmetic inside a matrix. Each language
 * evaluates its own text: Python's integers have no negative zero and its `1/0` raises, NumPy takes
 * the square root for `** 0.5` (so `(-inf) ** 0.5` is NaN, not C's +∞), C's `pow(1, NaN)` is 1
 * where JavaScript's `1 ** NaN` is NaN, R's `(-8)^(1/3)` is NaN where Python and MATLAB make it
 * complex and Julia raises. What a language refuses, Layer Lens refuses, with the place.
 */
import type { Dialect } from './dialects';
import type { Notation } from './notation';

/** How a dialect computes. */
export interface Arithmetic {
  /** Integer literals are integers (see `NumberRules.integerTypes`): integer results have no negative zero. */
  readonly integerTypes: boolean;
  /** Python raises ZeroDivisionError for `1/0`, `0 ** -1` and OverflowError for `10.0 ** 400`, on plain numbers. */
  readonly pythonErrors: boolean;
  /** Whose `pow`: JavaScript's `**`, C's `pow` (Python, NumPy, MATLAB, Julia, Mathematica) or R's `R_pow`. */
  readonly power: 'javascript' | 'c' | 'r';
  /**
   * A negative number to a fractional power: NaN (JavaScript, R: `undefined`), or refused, with what
   * the language does instead (complex in Python, MATLAB and Mathematica, an error in Julia).
   * MATLAB (Octave) goes complex for infinities too: `(-1)^Inf` is NaN − NaNi, `(-Inf)^0.5` Inf + Infi;
   * Python and Julia follow C there (`(-1.0) ** inf` is 1.0).
   */
  readonly complexPower: { readonly outcome: string; readonly withInfinities: boolean } | undefined;
}

export function arithmeticOf(dialect: Dialect): Arithmetic {
  const integerTypes = dialect.rules.numbers.integerTypes;
  switch (dialect.name) {
    case 'javascript':
    case 'json':
      return { integerTypes, pythonErrors: false, power: 'javascript', complexPower: undefined };
    case 'r':
      return { integerTypes, pythonErrors: false, power: 'r', complexPower: undefined };
    case 'python':
    case 'any':
      return { integerTypes, pythonErrors: true, power: 'c', complexPower: { outcome: 'is a complex number in Python', withInfinities: false } };
    case 'matlab':
      return { integerTypes, pythonErrors: false, power: 'c', complexPower: { outcome: 'is a complex number in MATLAB', withInfinities: true } };
    case 'julia':
      return { integerTypes, pythonErrors: false, power: 'c', complexPower: { outcome: 'raises a DomainError in Julia', withInfinities: false } };
    case 'mathematica':
      return { integerTypes, pythonErrors: false, power: 'c', complexPower: { outcome: 'is a complex number in Mathematica', withInfinities: true } };
  }
}

/** Why a language refuses an operation, in words, or a value. */
export type Outcome = { readonly value: number; readonly integer: boolean } | { readonly refused: string };

/** Where a value of an expression comes from: an integer literal, the array of a constructor call, or neither. */
export interface Operand {
  readonly value: number;
  readonly integer: boolean;
  readonly fromArray: boolean;
}

/** C's `pow` (what Python's float `**`, NumPy, MATLAB and Julia compute), from JavaScript's `**`, which differs at 1 and −1. */
function cPow(a: number, b: number): number {
  if (a === 1 || b === 0) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  return a ** b;
}

/** R's `R_pow`: 1 and x^0 are 1, and a negative base to a power that is not a whole number is NaN, even an infinite one. */
function rPow(a: number, b: number): number {
  if (a === 1 || b === 0) return 1;
  if (a < 0 && !Number.isInteger(b)) return Number.NaN;
  return a ** b;
}

/**
 * `array ** b` as the array's library computes it elementwise: NumPy and PyTorch take the square
 * root for `** 0.5` (sqrt(−∞) is NaN, sqrt(−0) is −0), PyTorch also `1/sqrt` for `** -0.5`.
 */
function arrayPow(a: number, b: number, library: Notation | undefined): number {
  if (b === 0.5 && (library === 'numpy' || library === 'torch')) return Math.sqrt(a);
  if (b === -0.5 && library === 'torch') return 1 / Math.sqrt(a);
  return cPow(a, b);
}

/** `a ** b` or `a ^ b`. */
export function power(a: Operand, b: Operand, arithmetic: Arithmetic, library: Notation | undefined): Outcome {
  const x = a.value;
  const y = b.value;
  const fromArray = a.fromArray || b.fromArray;
  const complex = arithmetic.complexPower;
  if (complex && !fromArray && x < 0 && !Number.isInteger(y) && !Number.isNaN(y) && (complex.withInfinities || (Number.isFinite(x) && Number.isFinite(y)))) {
    return { refused: `a negative number to a power that is not a whole number (${x} to the ${y}) ${complex.outcome}, not a real number` };
  }
  if (arithmetic.pythonErrors && !fromArray) {
    if (x === 0 && y < 0) return { refused: 'Python raises ZeroDivisionError for 0 to a negative power' };
  }
  const integer = a.integer && b.integer && y >= 0;
  const value = a.fromArray ? arrayPow(x, y, library) : arithmetic.power === 'javascript' ? x ** y : arithmetic.power === 'r' ? rPow(x, y) : cPow(x, y);
  if (arithmetic.pythonErrors && !fromArray && !Number.isFinite(value) && Number.isFinite(x) && Number.isFinite(y)) {
    return { refused: `${x} to the ${y} is too large for a float: Python raises OverflowError` };
  }
  return { value: integer ? value + 0 : value, integer };
}

/**
 * Python's `%` (and NumPy's `np.remainder`): the remainder takes the divisor's sign, `-7 % 4` is 1,
 * computed as CPython's `float_rem` does from C's `fmod`. JavaScript's and Julia's `%` is `fmod`
 * itself, with the dividend's sign: `-7 % 4` is −3.
 */
function pythonRemainder(x: number, y: number): number {
  let mod = x % y;
  if (mod !== 0) {
    if (y < 0 !== mod < 0) mod += y;
  } else mod = y < 0 ? -0 : 0;
  return mod;
}

/** `a + b`, `a − b`, `a × b`, `a ÷ b`, `a % b` (`op` is the operator's character). */
export function basic(op: '+' | '-' | '*' | '/' | '%', a: Operand, b: Operand, arithmetic: Arithmetic): Outcome {
  const x = a.value;
  const y = b.value;
  if (op === '/' || op === '%') {
    if (arithmetic.pythonErrors && y === 0 && !a.fromArray && !b.fromArray) return { refused: `Python raises ZeroDivisionError for ${op === '/' ? 'a division' : 'a remainder'} by zero` };
    if (op === '/') return { value: x / y, integer: false };
    const integer = a.integer && b.integer;
    const value = arithmetic.pythonErrors ? pythonRemainder(x, y) : x % y;
    return { value: integer ? value + 0 : value, integer };
  }
  const value = op === '+' ? x + y : op === '-' ? x - y : x * y;
  const integer = a.integer && b.integer;
  if (integer && arithmetic.pythonErrors && !Number.isFinite(value)) return { refused: 'this integer is too large for a float: Python raises OverflowError' };
  // `+ 0` turns an integer −0 (0 · −1) into 0, as an integer type has no negative zero.
  return { value: integer ? value + 0 : value, integer };
}
