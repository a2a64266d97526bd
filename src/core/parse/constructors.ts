/**
 * Library calls that wrap a literal: `np.array([...], dtype=...)`, `torch.tensor(...)`,
 * `tf.constant(..., shape=[2, 2])`, `new Float32Array([...])`, `tf.tensor2d([...], [2, 2])`, and the
 * literal arithmetic around them (`np.array(...) / 16`). Keyword arguments other than a shape are
 * skipped: values are kept as written, in float64, whatever `dtype=` says.
 */
import type { Tensor } from '../engine/tensor';
import { opensList, readNestedList } from './bracketed';
import type { Dialect } from './dialects';
import { ParseError, quote } from './errors';
import { compileExpression, evaluateOverArray, evaluateScalar, operatorPrecedence } from './expression';
import { PARSE_MAX_ELEMENTS } from './limits';
import type { Notation } from './notation';
import { tooManyValues } from './shape';
import { Bracket, Op, Tok, type TokenStream } from './tokens';

interface ConstructorSpec {
  readonly notation: Notation;
  /** Typed arrays: the data must be 1-D. */
  readonly flat?: boolean;
  /** `Float32Array.of(1, 2, 3)`: the arguments are the values. */
  readonly valuesAsArguments?: boolean;
  /** Where a target shape may be given (`tf.constant(0, shape=[2, 2])`, `tf.tensor(values, [2, 2])`). */
  readonly shapeKeyword?: string;
  readonly shapePosition?: number;
}

const numpy: ConstructorSpec = { notation: 'numpy' };
const torch: ConstructorSpec = { notation: 'torch' };
const tensorflow: ConstructorSpec = { notation: 'tensorflow', shapeKeyword: 'shape', shapePosition: 2 };

const PYTHON_CONSTRUCTORS: ReadonlyMap<string, ConstructorSpec> = new Map<string, ConstructorSpec>([
  ...['np', 'numpy', 'jnp', 'jax.numpy'].flatMap((m) =>
    ['array', 'asarray', 'asanyarray', 'ascontiguousarray'].map((f) => [`${m}.${f}`, numpy] as [string, ConstructorSpec]),
  ),
  ...['tensor', 'Tensor', 'as_tensor', 'FloatTensor', 'DoubleTensor', 'HalfTensor', 'LongTensor', 'IntTensor'].map(
    (f) => [`torch.${f}`, torch] as [string, ConstructorSpec],
  ),
  ['tf.constant', tensorflow],
  ['tf.convert_to_tensor', { notation: 'tensorflow' }],
  ['tf.Variable', { notation: 'tensorflow' }],
]);

const TYPED_ARRAYS = ['Float64Array', 'Float32Array', 'Float16Array', 'Int8Array', 'Int16Array', 'Int32Array', 'Uint8Array', 'Uint8ClampedArray', 'Uint16Array', 'Uint32Array'];
const typedArray: ConstructorSpec = { notation: 'javascript', flat: true };
const tfjs: ConstructorSpec = { notation: 'javascript', shapePosition: 1 };

const JS_CONSTRUCTORS: ReadonlyMap<string, ConstructorSpec> = new Map<string, ConstructorSpec>([
  ...TYPED_ARRAYS.flatMap((t) => [
    [t, typedArray] as [string, ConstructorSpec],
    [`${t}.from`, typedArray] as [string, ConstructorSpec],
    [`${t}.of`, { ...typedArray, valuesAsArguments: true }] as [string, ConstructorSpec],
  ]),
  ...['tf.tensor', 'tf.tensor1d', 'tf.tensor2d', 'tf.tensor3d', 'tf.tensor4d'].map((f) => [f, tfjs] as [string, ConstructorSpec]),
]);

/** A constructor call found at a token. */
export interface ConstructorCall {
  readonly spec: ConstructorSpec;
  /** Token index of the first token (`new`, or the name). */
  readonly first: number;
  /** Token index of the `(`. */
  readonly paren: number;
}

/** The constructor call starting at token `i` (a name, or `new`), if there is one. */
export function constructorAt(s: TokenStream, i: number, dialect: Dialect): ConstructorCall | undefined {
  if (s.kind(i) !== Tok.Name) return undefined;
  const name = s.source(i);
  if (dialect.name === 'python' || dialect.name === 'any') {
    const spec = PYTHON_CONSTRUCTORS.get(name);
    if (spec && s.isOpen(i + 1, Bracket.Paren)) return { spec, first: i, paren: i + 1 };
  }
  if (dialect.name === 'javascript' || dialect.name === 'any') {
    if (name === 'new' && s.kind(i + 1) === Tok.Name) {
      const spec = JS_CONSTRUCTORS.get(s.source(i + 1));
      if (spec && TYPED_ARRAYS.includes(s.source(i + 1)) && s.isOpen(i + 2, Bracket.Paren)) return { spec, first: i, paren: i + 2 };
      return undefined;
    }
    const spec = JS_CONSTRUCTORS.get(name);
    if (spec && !TYPED_ARRAYS.includes(name) && s.isOpen(i + 1, Bracket.Paren)) return { spec, first: i, paren: i + 1 };
  }
  return undefined;
}

/** Skips one argument (balanced brackets) and returns the token at the `,` or `)` after it. */
function skipArgument(s: TokenStream, j: number): number {
  let depth = 0;
  for (let steps = 0; steps < 100_000; steps++, j++) {
    const kind = s.kind(j);
    if (kind === Tok.End) return j;
    if (kind === Tok.Open) depth++;
    else if (kind === Tok.Close) {
      if (depth === 0) return j;
      depth--;
    } else if (kind === Tok.Comma && depth === 0) return j;
  }
  throw new ParseError('an argument too long to skip', { start: s.start(j), end: s.end(j) }, 'syntax');
}

/** A shape argument: a list or tuple of positive integers. */
function readShape(s: TokenStream, j: number, dialect: Dialect): { shape: number[]; next: number } {
  if (!opensList(s, j, dialect)) {
    const { value, next } = evaluateScalar(s, j, dialect);
    return { shape: checkShape([value], s, j, next), next };
  }
  const list = readNestedList(s, j, dialect);
  if (list.tensor.shape.length !== 1) throw new ParseError('a shape is a flat list of sizes', { start: list.start, end: list.end }, 'syntax');
  return { shape: checkShape(Array.from(list.tensor.data), s, j, list.next), next: list.next };
}

function checkShape(shape: number[], s: TokenStream, from: number, next: number): number[] {
  if (!shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ParseError('a shape is made of positive whole numbers', { start: s.start(from), end: s.end(next - 1) }, 'shape');
  }
  return shape;
}

export interface ParsedCall {
  readonly tensor: Tensor;
  readonly notation: Notation;
  /** Token index after the closing parenthesis. */
  readonly next: number;
  readonly start: number;
  readonly end: number;
}

/** Parses the constructor call found by {@link constructorAt}. */
export function parseConstructorCall(s: TokenStream, call: ConstructorCall, dialect: Dialect): ParsedCall {
  const { spec } = call;
  const callRange = { start: s.start(call.first), end: s.end(call.paren) };
  let j = call.paren + 1;
  let data: Tensor | undefined;
  let scalar: number | undefined;
  let shape: number[] | undefined;
  let position = 0;
  if (spec.valuesAsArguments) {
    const values: number[] = [];
    while (!s.isClose(j, Bracket.Paren) && s.kind(j) !== Tok.End) {
      const read = evaluateScalar(s, j, dialect);
      values.push(read.value);
      j = read.next;
      if (s.kind(j) === Tok.Comma) j++;
      else if (s.isClose(j, Bracket.Paren) || s.kind(j) === Tok.End) break;
      // `Float64Array.of(1, 7 % 4)` or `(1, 2 3)`: what follows a value must be read, never skipped.
      else throw new ParseError(`expected ${quote(',')} or ${quote(')')} before ${quote(s.source(j))}`, { start: s.start(j), end: s.end(j) }, 'syntax');
    }
    if (values.length === 0) throw new ParseError('no values', callRange, 'empty');
    data = { shape: [values.length], data: Float64Array.from(values) };
    position = values.length;
  }
  while (!s.isClose(j, Bracket.Paren)) {
    const kind = s.kind(j);
    if (kind === Tok.End) throw new ParseError(`this ${quote('(')} is never closed`, { start: s.start(call.paren), end: s.end(call.paren) }, 'syntax');
    if (kind === Tok.Name && s.kind(j + 1) === Tok.Equals) {
      const keyword = s.source(j);
      if (keyword === spec.shapeKeyword) {
        const read = readShape(s, j + 2, dialect);
        shape = read.shape;
        j = read.next;
      } else j = skipArgument(s, j + 2);
    } else if (position === 0) {
      if (opensList(s, j, dialect)) {
        const list = readNestedList(s, j, dialect);
        data = list.tensor;
        j = list.next;
      } else {
        const read = evaluateScalar(s, j, dialect);
        scalar = read.value;
        j = read.next;
      }
    } else if (position === spec.shapePosition) {
      const read = readShape(s, j, dialect);
      shape = read.shape;
      j = read.next;
    } else j = skipArgument(s, j);
    position++;
    if (s.kind(j) === Tok.Comma) j++;
    else if (!s.isClose(j, Bracket.Paren) && s.kind(j) !== Tok.End) {
      throw new ParseError(`expected ${quote(',')} or ${quote(')')} before ${quote(s.source(j))}`, { start: s.start(j), end: s.end(j) }, 'syntax');
    }
  }
  const range = { start: s.start(call.first), end: s.end(j) };
  let tensor: Tensor;
  if (data === undefined) {
    if (scalar === undefined) throw new ParseError('the call has no values', range, 'empty');
    if (!shape) throw new ParseError('a single number is not a matrix', range, 'syntax');
    const size = shape.reduce((a, b) => a * b, 1);
    if (size > PARSE_MAX_ELEMENTS) throw tooManyValues(range);
    tensor = { shape, data: new Float64Array(size).fill(scalar) };
  } else if (shape) {
    const size = shape.reduce((a, b) => a * b, 1);
    if (size !== data.data.length) {
      throw new ParseError(`the shape [${shape.join(', ')}] holds ${size} values but the literal has ${data.data.length}`, range, 'shape');
    }
    tensor = { shape, data: data.data };
  } else tensor = data;
  if (spec.flat && tensor.shape.length !== 1) throw new ParseError('a typed array is flat: give it a 1-D list', range, 'shape');
  if (tensor.shape.length > 4) throw new ParseError(`a ${tensor.shape.length}-D shape: Layer Lens reads tensors of 1 to 4 dimensions`, range, 'shape');
  return { tensor, notation: spec.notation, next: j + 1, start: range.start, end: range.end };
}

/**
 * A constructor call and the literal arithmetic after it (`np.array(...) / 16`), as found in code.
 * The arithmetic is included only when it is a sub-expression of the surrounding code: in
 * `x * np.array(...) / 16` the division applies to `x * ...`, so only the call is taken.
 */
export function parseCallWithArithmetic(s: TokenStream, call: ConstructorCall, dialect: Dialect): ParsedCall {
  const parsed = parseConstructorCall(s, call, dialect);
  let k = parsed.next;
  let chainEnd = k;
  let lowest = Number.POSITIVE_INFINITY;
  for (;;) {
    if (s.kind(k) !== Tok.Operator) break;
    const p = operatorPrecedence(s.code(k));
    if (p === 0) break;
    let m = k + 1;
    while (s.isOp(m, Op.Minus) || s.isOp(m, Op.Plus)) m++;
    const operand = s.kind(m) === Tok.Number || (s.kind(m) === Tok.Name && dialect.constants.has(s.source(m)));
    if (!operand) break;
    lowest = Math.min(lowest, p);
    k = m + 1;
    chainEnd = k;
  }
  if (chainEnd === parsed.next) return parsed;
  const before = call.first - 1;
  let leftPrecedence = 0;
  if (before >= 0 && s.kind(before) === Tok.Operator) {
    const kindBefore = before > 0 ? s.kind(before - 1) : Tok.End;
    const operandBefore = kindBefore === Tok.Number || kindBefore === Tok.Name || kindBefore === Tok.Close || kindBefore === Tok.String;
    // A sign with no operand before it is unary, and binds tighter than `*` and `/`.
    leftPrecedence = operandBefore ? operatorPrecedence(s.code(before)) : 3;
  }
  const after = s.kind(chainEnd) === Tok.Operator ? operatorPrecedence(s.code(chainEnd)) : 0;
  const fitsLeft = leftPrecedence < lowest;
  const fitsRight = after === 0 || after < lowest || (after === lowest && after !== 4);
  if (!fitsLeft || !fitsRight) return parsed;
  const compiled = compileExpression(s, call.first, dialect, {
    stopAt: chainEnd,
    arrayOperand: (_, i) => (i === call.first ? { tensor: parsed.tensor, next: parsed.next, notation: parsed.notation } : undefined),
  });
  return { ...parsed, tensor: evaluateOverArray(compiled, parsed.tensor), next: chainEnd, end: s.end(chainEnd - 1) };
}

/**
 * A whole text that is an expression around one constructor call (`1/16 * np.array(...)`,
 * `np.array(...) / 16`, or just the call).
 */
export function parseArrayExpression(s: TokenStream, dialect: Dialect): ParsedCall {
  let found: ParsedCall | undefined;
  const compiled = compileExpression(s, 0, dialect, {
    arrayOperand: (stream, i) => {
      const call = constructorAt(stream, i, dialect);
      if (!call) return undefined;
      found = parseConstructorCall(stream, call, dialect);
      return { tensor: found.tensor, next: found.next, notation: found.notation };
    },
  });
  if (s.kind(compiled.next) !== Tok.End) {
    const j = compiled.next;
    throw new ParseError(`unexpected ${quote(s.source(j))}`, { start: s.start(j), end: s.end(j) }, 'syntax');
  }
  if (!found) throw new ParseError('a single number is not a matrix', { start: s.start(0), end: s.end(compiled.next - 1) }, 'syntax');
  return { ...found, tensor: evaluateOverArray(compiled, found.tensor), next: compiled.next, start: s.start(0), end: s.end(compiled.next - 1) };
}
