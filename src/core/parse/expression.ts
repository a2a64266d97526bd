/**
 * Literal arithmetic inside a matrix element (`-1/16`, `2**-3`, `1/16 * 2`, `float('nan')`, `-Inf`),
 * and around a constructor call (`np.array(...) / 16`). Expressions are compiled with the
 * shunting-yard algorithm, which uses explicit stacks: `((((1))))` nested ten thousand deep costs
 * memory, never call-stack depth.
 */
import type { Tensor } from '../engine/tensor';
import { arithmeticOf, basic, power, type Arithmetic, type Operand, type Outcome } from './arithmetic';
import { pythonFloatString, type Dialect } from './dialects';
import { ParseError, quote } from './errors';
import type { Notation } from './notation';
import { Bracket, Op, Tok, type TokenStream } from './tokens';

/** RPN item codes: a literal value, the one array operand, or an operator. */
const Item = { Value: 0, Array: 1, Plus: 2, Minus: 3, Times: 4, Divide: 5, Power: 6, Negate: 7, Identity: 8, Remainder: 9 } as const;
type ItemCode = (typeof Item)[keyof typeof Item];
const LEFT_PAREN = 99;

/** Binding strength, as in Python, MATLAB, Julia, R and Mathematica: `-2**2` is `-(2**2)`. */
function precedence(item: number): number {
  switch (item) {
    case Item.Plus:
    case Item.Minus:
      return 1;
    case Item.Times:
    case Item.Divide:
    case Item.Remainder:
      return 2;
    case Item.Negate:
    case Item.Identity:
      return 3;
    case Item.Power:
      return 4;
    default:
      return 0;
  }
}

/** Precedence of a binary operator token (for deciding whether arithmetic around a call belongs to it). */
export function operatorPrecedence(op: number): number {
  switch (op) {
    case Op.Plus:
    case Op.Minus:
      return 1;
    case Op.Times:
    case Op.Divide:
    case Op.Remainder:
      return 2;
    case Op.Power:
      return 4;
    default:
      return 0;
  }
}

/** An array operand found inside an expression, e.g. the `np.array(...)` of `np.array(...) / 16`. */
export interface ArrayOperand {
  readonly tensor: Tensor;
  /** Token index after the operand. */
  readonly next: number;
  /** The library whose array it is (`numpy`, `torch`, …): `** 0.5` is its square root. */
  readonly notation?: Notation;
}

export interface ExpressionOptions {
  /** MATLAB and Julia rows: a space before a value (or before a sign glued to one) starts a new element. */
  readonly splitsOnSpace?: boolean;
  /** Called on a name in operand position; returns the array it starts (a constructor call) or `undefined`. */
  readonly arrayOperand?: (stream: TokenStream, index: number) => ArrayOperand | undefined;
  /** Token index at which the expression ends, whatever follows. */
  readonly stopAt?: number;
}

/** An expression in reverse Polish notation, ready to evaluate for each value of its array operand. */
export interface CompiledExpression {
  readonly items: readonly ItemCode[];
  readonly values: readonly number[];
  /** Per item: the value is an integer literal (in a language with integer types). */
  readonly integers: readonly boolean[];
  /** Per item: the operator's text range, for a refusal (`1/0` in Python). */
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly arithmetic: Arithmetic;
  /** The array operand, when the expression has one. */
  readonly array: ArrayOperand | undefined;
  /** Token index of the first token after the expression. */
  readonly next: number;
}

function binaryItem(op: number): ItemCode | undefined {
  switch (op) {
    case Op.Plus:
      return Item.Plus;
    case Op.Minus:
      return Item.Minus;
    case Op.Times:
      return Item.Times;
    case Op.Divide:
      return Item.Divide;
    case Op.Remainder:
      return Item.Remainder;
    case Op.Power:
      return Item.Power;
    default:
      return undefined;
  }
}

function range(s: TokenStream, i: number): { start: number; end: number } {
  return { start: s.start(i), end: s.end(i) };
}

function describe(s: TokenStream, i: number): string {
  return s.kind(i) === Tok.End ? 'the end of the text' : quote(s.source(i));
}

/** True when token `i` can begin a value (for MATLAB's whitespace-separated elements). */
function startsValue(s: TokenStream, i: number): boolean {
  const kind = s.kind(i);
  if (kind === Tok.Number || kind === Tok.Name || kind === Tok.String || kind === Tok.Invalid) return true;
  if (kind === Tok.Open) return true;
  // `[1 -2]` is two values, `[1 - 2]` and `[1 -  2]`... one: a sign glued to what follows starts a value.
  if (kind === Tok.Operator && (s.code(i) === Op.Plus || s.code(i) === Op.Minus)) return !s.spaceBefore(i + 1);
  return false;
}

/**
 * Reads `float('nan')`, `float("-inf")`, `float(2)` at token `i` (the name `float`). Returns the
 * value and the token after the closing parenthesis.
 */
function pythonFloatCall(s: TokenStream, i: number): { value: number; next: number } | undefined {
  if (!s.isOpen(i + 1, Bracket.Paren)) return undefined;
  let j = i + 2;
  let sign = 1;
  while (s.isOp(j, Op.Minus) || s.isOp(j, Op.Plus)) {
    if (s.isOp(j, Op.Minus)) sign = -sign;
    j++;
  }
  let value: number | undefined;
  if (s.kind(j) === Tok.String) {
    const source = s.source(j);
    const body = source.replace(/^[a-zA-Z]*(['"])/, '$1');
    value = body.length >= 2 ? pythonFloatString(body.slice(1, -1)) : undefined;
    if (value === undefined) throw new ParseError(`float(${source}) is not a number Python can read`, range(s, j), 'not-a-number');
  } else if (s.kind(j) === Tok.Number) {
    value = s.value(j);
  } else return undefined;
  if (!s.isClose(j + 1, Bracket.Paren)) return undefined;
  return { value: sign * value, next: j + 2 };
}

/** Why token `j` is not a number, in words: a leading zero gets the language's own reason. */
function notANumber(s: TokenStream, j: number, dialect: Dialect): string {
  const text = s.source(j);
  if (s.kind(j) === Tok.Invalid && /^0[\d_]/.test(text)) {
    switch (dialect.rules.numbers.leadingZeros) {
      case 'refused':
        return dialect.name === 'json'
          ? `${quote(text)}: JSON does not allow a leading zero`
          : `${quote(text)} is a legacy octal literal (\`010\` is 8 in sloppy JavaScript, and strict code refuses it): write the number without its leading zero, or 0o10 for octal`;
      case 'refusedInIntegers':
        return `${quote(text)}: Python does not allow leading zeros in an integer (a syntax error): write the number without them, or 0o10 for octal`;
      case 'read':
        break;
    }
  }
  return `${quote(text)} is not a number`;
}

/** Compiles the expression starting at token `start`; stops at the first token that cannot continue it. */
export function compileExpression(s: TokenStream, start: number, dialect: Dialect, options: ExpressionOptions = {}): CompiledExpression {
  const items: ItemCode[] = [];
  const values: number[] = [];
  const integers: boolean[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const operators: number[] = [];
  const operatorTokens: number[] = [];
  let array: ArrayOperand | undefined;
  let expectOperand = true;
  let depth = 0;
  let j = start;
  const push = (item: ItemCode, value: number, token: number, integer = false): void => {
    items.push(item);
    values.push(value);
    integers.push(integer);
    starts.push(s.start(token));
    ends.push(s.end(token));
  };
  const output = (item: number, token: number): void => push(item as ItemCode, 0, token);
  for (;;) {
    const kind = j === options.stopAt ? Tok.End : s.kind(j);
    if (expectOperand) {
      if (kind === Tok.Number) {
        push(Item.Value, s.value(j), j, s.isIntegerLiteral(j));
        j++;
        expectOperand = false;
      } else if (kind === Tok.Name) {
        const name = s.source(j);
        const constant = dialect.constants.get(name);
        const operand = constant === undefined ? options.arrayOperand?.(s, j) : undefined;
        const floatCall = constant === undefined && !operand && dialect.floatCall && name === 'float' ? pythonFloatCall(s, j) : undefined;
        if (constant !== undefined) {
          push(Item.Value, constant, j);
          j++;
        } else if (operand) {
          if (array) throw new ParseError('only one array can take part in the arithmetic', range(s, j), 'syntax');
          array = operand;
          push(Item.Array, 0, j);
          j = operand.next;
        } else if (floatCall) {
          push(Item.Value, floatCall.value, j);
          j = floatCall.next;
        } else {
          throw new ParseError(`${quote(name)} is not a number`, range(s, j), 'not-a-number');
        }
        expectOperand = false;
      } else if (kind === Tok.Operator && (s.code(j) === Op.Minus || s.code(j) === Op.Plus)) {
        operators.push(s.code(j) === Op.Minus ? Item.Negate : Item.Identity);
        operatorTokens.push(j);
        j++;
      } else if (kind === Tok.Open && s.code(j) === Bracket.Paren) {
        operators.push(LEFT_PAREN);
        operatorTokens.push(j);
        depth++;
        j++;
      } else if (kind === Tok.Newline && depth > 0) {
        j++;
      } else if (kind === Tok.String || kind === Tok.Invalid) {
        throw new ParseError(notANumber(s, j, dialect), range(s, j), 'not-a-number');
      } else if (kind === Tok.Open) {
        throw new ParseError(`${quote(s.source(j))} starts a ${s.code(j) === Bracket.Curly && dialect.listOpen !== '{' ? 'dict or block' : 'list'} where a number was expected`, range(s, j), 'syntax');
      } else {
        throw new ParseError(`expected a number before ${describe(s, j)}`, range(s, j), 'syntax');
      }
      continue;
    }
    // An operand is complete: an operator, a closing parenthesis, or the end of the expression.
    if (j === options.stopAt) break;
    if (options.splitsOnSpace && depth === 0 && s.spaceBefore(j) && startsValue(s, j)) break;
    if (kind === Tok.Operator) {
      const item = binaryItem(s.code(j));
      if (item === undefined) throw new ParseError(`${quote(s.source(j))} is not supported in a matrix literal`, range(s, j), 'syntax');
      const p = precedence(item);
      // `^` groups from the right in Python, Julia and R (2^3^2 = 512), from the left in MATLAB and Octave (64).
      const rightAssociative = item === Item.Power && dialect.name !== 'matlab';
      while (operators.length > 0) {
        const top = operators[operators.length - 1] as number;
        if (top === LEFT_PAREN) break;
        const q = precedence(top);
        if (q > p || (q === p && !rightAssociative)) {
          output(top, operatorTokens.pop() as number);
          operators.pop();
        } else break;
      }
      operators.push(item);
      operatorTokens.push(j);
      expectOperand = true;
      j++;
      continue;
    }
    if (kind === Tok.Close && s.code(j) === Bracket.Paren && depth > 0) {
      while ((operators[operators.length - 1] as number) !== LEFT_PAREN) {
        output(operators.pop() as number, operatorTokens.pop() as number);
      }
      operators.pop();
      operatorTokens.pop();
      depth--;
      j++;
      continue;
    }
    if (kind === Tok.Transpose) {
      j++; // the transpose of a number is the number
      continue;
    }
    if (kind === Tok.Newline && depth > 0) {
      j++;
      continue;
    }
    break;
  }
  if (depth > 0) {
    let k = operators.length - 1;
    while (operators[k] !== LEFT_PAREN) k--;
    throw new ParseError('this `(` is never closed', range(s, operatorTokens[k] as number), 'syntax');
  }
  while (operators.length > 0) output(operators.pop() as number, operatorTokens.pop() as number);
  return { items, values, integers, starts, ends, arithmetic: arithmeticOf(dialect), array, next: j };
}

/** Stack flags: the value is an integer, or comes from the array operand. */
const INTEGER = 1;
const FROM_ARRAY = 2;

const BASIC = { [Item.Plus]: '+', [Item.Minus]: '-', [Item.Times]: '*', [Item.Divide]: '/', [Item.Remainder]: '%' } as const;

/** Evaluates a compiled expression, with `x` standing for the array operand's value. */
export function evaluateCompiled(expression: CompiledExpression, x: number, stack: number[] = [], kinds: number[] = []): number {
  const { items, values, integers, arithmetic } = expression;
  stack.length = 0;
  kinds.length = 0;
  for (let k = 0; k < items.length; k++) {
    const item = items[k];
    switch (item) {
      case Item.Value:
        stack.push(values[k] as number);
        kinds.push(integers[k] ? INTEGER : 0);
        break;
      case Item.Array:
        stack.push(x);
        kinds.push(FROM_ARRAY);
        break;
      case Item.Negate: {
        const v = -(stack.pop() as number);
        // An integer has no negative zero: Python's and Julia's `-0` is 0.
        stack.push((kinds[kinds.length - 1] as number) & INTEGER ? v + 0 : v);
        break;
      }
      case Item.Identity:
        break;
      default: {
        const b = operand(stack.pop() as number, kinds.pop() as number);
        const a = operand(stack.pop() as number, kinds.pop() as number);
        const outcome: Outcome =
          item === Item.Power ? power(a, b, arithmetic, expression.array?.notation) : basic(BASIC[item as keyof typeof BASIC], a, b, arithmetic);
        if ('refused' in outcome) throw new ParseError(outcome.refused, { start: expression.starts[k] as number, end: expression.ends[k] as number }, 'not-a-number');
        stack.push(outcome.value);
        kinds.push((outcome.integer ? INTEGER : 0) | (a.fromArray || b.fromArray ? FROM_ARRAY : 0));
      }
    }
  }
  return stack[0] as number;
}

function operand(value: number, kind: number): Operand {
  return { value, integer: (kind & INTEGER) !== 0, fromArray: (kind & FROM_ARRAY) !== 0 };
}

/** Reads one scalar value at token `start`. */
export function evaluateScalar(s: TokenStream, start: number, dialect: Dialect, splitsOnSpace = false): { value: number; next: number } {
  const compiled = compileExpression(s, start, dialect, { splitsOnSpace });
  return { value: evaluateCompiled(compiled, 0), next: compiled.next };
}

/** Applies an expression with an array operand to every value of the array. */
export function evaluateOverArray(expression: CompiledExpression, tensor: Tensor): Tensor {
  if (expression.items.length === 1) return tensor;
  const data = new Float64Array(tensor.data.length);
  const stack: number[] = [];
  const kinds: number[] = [];
  for (let k = 0; k < data.length; k++) data[k] = evaluateCompiled(expression, tensor.data[k] as number, stack, kinds);
  return { shape: tensor.shape, data };
}
