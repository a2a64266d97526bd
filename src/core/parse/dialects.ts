/**
 * How each language spells its numbers, comments and special values. A dialect is data handed to
 * the shared lexer and parsers.
 */
import { CodeLexer, type LexRules, type NumberRules, type StringSpans } from './codeLexer';
import { TokenStream } from './tokens';

export interface Dialect {
  readonly name: 'python' | 'javascript' | 'json' | 'matlab' | 'julia' | 'r' | 'mathematica' | 'any';
  readonly rules: LexRules;
  /** Named values (`np.nan`, `Infinity`, `Inf`), with the language's exact spelling. */
  readonly constants: ReadonlyMap<string, number>;
  /** Python's `float('nan')` / `float("-inf")` / `float(2)`. */
  readonly floatCall: boolean;
  /** The bracket a list literal opens with (`[`, or `{` in Mathematica). */
  readonly listOpen: '[' | '{';
  /** `(1, 2)` is a tuple, read like a list (Python). */
  readonly tuples: boolean;
}

const NONE: NumberRules = { underscores: false, radixPrefixes: false, starCaretExponent: false, fExponent: false, integerSuffixL: false, integerTypes: false, leadingZeros: 'read' };
const C_LIKE: NumberRules = { ...NONE, underscores: true, radixPrefixes: true };
const PYTHON_NUMBERS: NumberRules = { ...C_LIKE, integerTypes: true, leadingZeros: 'refusedInIntegers' };

const base = {
  blockComments: [] as readonly (readonly [string, string])[],
  tripleQuotes: false,
  backslashEscapes: true,
  apostropheTranspose: false,
  newlineTokens: false,
  ellipsisContinuation: false,
  doubleStarPower: true,
  dotOperators: false,
  remainderOperator: false,
  significantIndentation: false,
  stringMacros: false,
};

const values = (nan: readonly string[], inf: readonly string[], negInf: readonly string[] = []): ReadonlyMap<string, number> =>
  new Map<string, number>([
    ...nan.map((n) => [n, Number.NaN] as [string, number]),
    ...inf.map((n) => [n, Number.POSITIVE_INFINITY] as [string, number]),
    ...negInf.map((n) => [n, Number.NEGATIVE_INFINITY] as [string, number]),
  ]);

const numpyLike = ['np', 'numpy', 'jnp', 'jax.numpy'];
const PYTHON_NAN = ['math.nan', 'torch.nan', ...numpyLike.flatMap((m) => [`${m}.nan`, `${m}.NaN`, `${m}.NAN`])];
const PYTHON_INF = ['math.inf', 'torch.inf', ...numpyLike.flatMap((m) => [`${m}.inf`, `${m}.Inf`, `${m}.Infinity`, `${m}.infty`, `${m}.PINF`])];
const PYTHON_NEG_INF = numpyLike.map((m) => `${m}.NINF`);
const JS_NAN = ['NaN', 'Number.NaN'];
const JS_INF = ['Infinity', 'Number.POSITIVE_INFINITY'];

export const PYTHON: Dialect = {
  name: 'python',
  rules: { ...base, lineComments: ['#'], quotes: `'"`, tripleQuotes: true, significantIndentation: true, remainderOperator: true, numbers: PYTHON_NUMBERS },
  constants: values(PYTHON_NAN, PYTHON_INF, PYTHON_NEG_INF),
  floatCall: true,
  listOpen: '[',
  tuples: true,
};

export const JAVASCRIPT: Dialect = {
  name: 'javascript',
  rules: { ...base, lineComments: ['//'], blockComments: [['/*', '*/']], quotes: '\'"`', remainderOperator: true, numbers: { ...C_LIKE, leadingZeros: 'refused' } },
  constants: values(JS_NAN, JS_INF, ['Number.NEGATIVE_INFINITY']),
  floatCall: false,
  listOpen: '[',
  tuples: false,
};

/** JSON, with the comments of JSONC and the `NaN` / `Infinity` that Python's `json` module writes. */
export const JSON_DIALECT: Dialect = {
  name: 'json',
  rules: { ...base, lineComments: ['//'], blockComments: [['/*', '*/']], quotes: '"', numbers: { ...NONE, leadingZeros: 'refused' } },
  constants: values(['NaN'], ['Infinity']),
  floatCall: false,
  listOpen: '[',
  tuples: false,
};

export const MATLAB: Dialect = {
  name: 'matlab',
  rules: {
    ...base,
    lineComments: ['%', '#'],
    blockComments: [
      ['%{', '%}'],
      ['#{', '#}'],
    ],
    quotes: `'"`,
    backslashEscapes: false,
    apostropheTranspose: true,
    newlineTokens: true,
    ellipsisContinuation: true,
    doubleStarPower: false,
    dotOperators: true,
    numbers: NONE,
  },
  constants: values(['NaN', 'nan', 'NA'], ['Inf', 'inf']),
  floatCall: false,
  listOpen: '[',
  tuples: false,
};

export const JULIA: Dialect = {
  name: 'julia',
  rules: {
    ...base,
    lineComments: ['#'],
    blockComments: [['#=', '=#']],
    quotes: `"'`,
    tripleQuotes: true,
    apostropheTranspose: true,
    newlineTokens: true,
    doubleStarPower: false,
    dotOperators: true,
    remainderOperator: true,
    stringMacros: true,
    numbers: { ...C_LIKE, fExponent: true, integerTypes: true },
  },
  constants: values(['NaN', 'NaN64', 'NaN32', 'NaN16'], ['Inf', 'Inf64', 'Inf32', 'Inf16']),
  floatCall: false,
  listOpen: '[',
  tuples: false,
};

export const R: Dialect = {
  name: 'r',
  rules: { ...base, lineComments: ['#'], quotes: '\'"`', doubleStarPower: false, numbers: { ...NONE, integerSuffixL: true, integerTypes: true } },
  constants: values(['NaN', 'NA', 'NA_real_', 'NA_integer_'], ['Inf']),
  floatCall: false,
  listOpen: '[',
  tuples: false,
};

export const MATHEMATICA: Dialect = {
  name: 'mathematica',
  rules: { ...base, lineComments: [], blockComments: [['(*', '*)']], quotes: '"', doubleStarPower: false, numbers: { ...NONE, starCaretExponent: true } },
  constants: values(['Indeterminate'], ['Infinity']),
  floatCall: false,
  listOpen: '{',
  tuples: false,
};

/**
 * For text of unknown origin (an input box, a plaintext file): Python's syntax with every
 * language's names for NaN and infinity.
 */
export const ANY_BRACKETED: Dialect = {
  ...PYTHON,
  name: 'any',
  // Not `//` as a comment: in Python it is floor division (`8 // 2`), and reading the rest of the
  // line as a comment gave [7] for `np.array([8 // 2,\n -1])`. Floor division is refused instead.
  rules: { ...PYTHON.rules, lineComments: ['#'], blockComments: [['/*', '*/']] },
  constants: values([...PYTHON_NAN, ...JS_NAN, 'nan', 'NAN'], [...PYTHON_INF, ...JS_INF, 'Inf', 'inf', 'INF', 'infinity'], [...PYTHON_NEG_INF, 'Number.NEGATIVE_INFINITY']),
};

/**
 * A token stream over `text[from, to)` in the given dialect. `expectedTokens`: how many tokens the
 * caller will read, `true` for all of the range (parsing a selection), so room is made at once.
 * `strings`: the region's triple-quoted strings when they were paired again (`tripleQuoteSpans`).
 */
export function streamFor(text: string, dialect: Dialect, from = 0, to = text.length, recordComments = false, expectedTokens: boolean | number = false, strings?: StringSpans): TokenStream {
  // A stream is made for every literal a document scan tries (50,000 for 200 KB of `[1]` lines), most
  // of them a few tokens long: start small, the arrays double when needed.
  const room = Math.min(64, to - from + 2);
  const capacity = expectedTokens === true ? Math.ceil((to - from) / 3) : expectedTokens === false ? room : Math.max(room, expectedTokens);
  return new TokenStream(text, new CodeLexer(dialect.rules, from, to, strings), recordComments, capacity);
}

/**
 * Reads the argument of Python's `float('…')`: an optional sign, then `nan`, `inf`, `infinity`
 * (any case) or a decimal number. `undefined` when Python would raise.
 */
export function pythonFloatString(content: string): number | undefined {
  const s = content.trim().replace(/_/g, (m, offset: number, all: string) => (/\d/.test(all[offset - 1] ?? '') && /\d/.test(all[offset + 1] ?? '') ? '' : m));
  const special = /^([+-]?)(nan|inf|infinity)$/i.exec(s);
  if (special) {
    const negative = special[1] === '-';
    if ((special[2] as string).toLowerCase() === 'nan') return Number.NaN;
    return negative ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}
