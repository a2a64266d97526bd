/**
 * `formatMatrix`: a tensor written as a literal of a notation, such that `parseMatrix` reads back
 * exactly the same float64 values (numbers in their shortest round-tripping form, NaN and
 * infinities and exponents spelled the language's way, `-0` kept).
 */
import type { Tensor } from '../engine/tensor';
import { isAlwaysTwoDimensional, type Notation } from './notation';

/** How a notation spells the values JavaScript's `String` cannot write for it. */
interface Spelling {
  readonly nan: string;
  readonly infinity: string;
  /** Rewrites `1.5e-7` (mantissa, exponent) when the language has another syntax. */
  readonly exponent?: (mantissa: string, exponent: string) => string;
}

const PYTHON_SPELLING: Spelling = { nan: "float('nan')", infinity: "float('inf')" };
const SPELLINGS: Record<Notation, Spelling> = {
  python: PYTHON_SPELLING,
  numpy: { nan: 'np.nan', infinity: 'np.inf' },
  torch: PYTHON_SPELLING,
  tensorflow: PYTHON_SPELLING,
  json: { nan: 'NaN', infinity: 'Infinity' },
  javascript: { nan: 'NaN', infinity: 'Infinity' },
  matlab: { nan: 'NaN', infinity: 'Inf' },
  julia: { nan: 'NaN', infinity: 'Inf' },
  r: { nan: 'NaN', infinity: 'Inf' },
  mathematica: { nan: 'Indeterminate', infinity: 'Infinity', exponent: (m, e) => `${m}*^${e}` },
  csv: { nan: 'nan', infinity: 'inf' },
  tsv: { nan: 'nan', infinity: 'inf' },
  latex: { nan: '\\mathrm{NaN}', infinity: '\\infty', exponent: (m, e) => `${m} \\times 10^{${e}}` },
  markdown: { nan: 'nan', infinity: 'inf' },
};

/** The notations whose `-0` is an integer, which has no sign: negative zero is written `-0.0` there. */
const INTEGER_ZERO: ReadonlySet<Notation> = new Set<Notation>(['python', 'numpy', 'torch', 'tensorflow', 'julia']);

/** One value in a notation's spelling, in the shortest form that reads back to the same float64. */
export function formatNumber(value: number, notation: Notation): string {
  const spelling = SPELLINGS[notation];
  if (Number.isNaN(value)) return spelling.nan;
  if (value === Number.POSITIVE_INFINITY) return spelling.infinity;
  if (value === Number.NEGATIVE_INFINITY) return `-${spelling.infinity}`;
  // Python's and Julia's `-0` is the integer 0; only `-0.0` reads back as negative zero there.
  if (Object.is(value, -0)) return INTEGER_ZERO.has(notation) ? '-0.0' : '-0';
  const text = String(value);
  const e = text.indexOf('e');
  if (e < 0 || !spelling.exponent) return text;
  return spelling.exponent(text.slice(0, e), text.slice(e + 1).replace(/^\+/, ''));
}

/** Nested brackets, one innermost list per line, continuation lines indented by `indent`. */
function nested(tensor: Tensor, notation: Notation, open: string, close: string, indent: number): string {
  const { shape, data } = tensor;
  const rank = shape.length;
  const rowLength = shape[rank - 1] as number;
  const rows: string[] = [];
  for (let k = 0; k < data.length; k += rowLength) {
    const cells: string[] = [];
    for (let c = 0; c < rowLength; c++) cells.push(formatNumber(data[k + c] as number, notation));
    rows.push(cells.join(', '));
  }
  // Wrap rows in brackets level by level, from the innermost.
  let groups = rows.map((row) => `${open}${row}${close}`);
  for (let axis = rank - 2; axis >= 0; axis--) {
    const size = shape[axis] as number;
    const depth = axis + 1;
    const separator = `,\n${' '.repeat(indent + depth)}`;
    const next: string[] = [];
    for (let k = 0; k < groups.length; k += size) next.push(`${open}${groups.slice(k, k + size).join(separator)}${close}`);
    groups = next;
  }
  return groups[0] as string;
}

/** Rows of a 1-D or 2-D tensor as arrays of spelled numbers. */
function rowsOf(tensor: Tensor, notation: Notation): string[][] {
  const { shape, data } = tensor;
  const columns = shape.length === 1 ? (shape[0] as number) : (shape[1] as number);
  const rows: string[][] = [];
  for (let k = 0; k < data.length; k += columns) {
    const row: string[] = [];
    for (let c = 0; c < columns; c++) row.push(formatNumber(data[k + c] as number, notation));
    rows.push(row);
  }
  return rows;
}

/**
 * Writes `tensor` as a literal of `notation`. NumPy, PyTorch and TensorFlow literals carry a
 * float64 `dtype` so that pasting them keeps the values. The notations that are always 2-D (MATLAB,
 * Julia, R, CSV, TSV, LaTeX, Markdown) write a 1-D tensor as a single row; they cannot write 3-D
 * or 4-D tensors. Throws a RangeError for those, for an empty tensor, and for data that does not
 * fill the shape.
 */
export function formatMatrix(tensor: Tensor, notation: Notation): string {
  const { shape, data } = tensor;
  const size = shape.reduce((a, b) => a * b, 1);
  if (shape.length === 0 || size === 0) throw new RangeError('an empty tensor has no literal');
  if (size !== data.length) throw new RangeError(`shape [${shape.join(', ')}] holds ${size} values but ${data.length} were given`);
  if (isAlwaysTwoDimensional(notation) && shape.length > 2) {
    throw new RangeError(`${notation} literals are 2-D; a ${shape.length}-D tensor cannot be written as one`);
  }
  switch (notation) {
    case 'python':
    case 'json':
    case 'javascript':
      return nested(tensor, notation, '[', ']', 0);
    case 'numpy':
      return `np.array(${nested(tensor, notation, '[', ']', 9)}, dtype=np.float64)`;
    case 'torch':
      return `torch.tensor(${nested(tensor, notation, '[', ']', 13)}, dtype=torch.float64)`;
    case 'tensorflow':
      return `tf.constant(${nested(tensor, notation, '[', ']', 12)}, dtype=tf.float64)`;
    case 'mathematica':
      return nested(tensor, notation, '{', '}', 0);
    case 'matlab':
    case 'julia':
      return `[${rowsOf(tensor, notation)
        .map((row) => row.join(' '))
        .join(';\n ')}]`;
    case 'r': {
      const rows = rowsOf(tensor, notation);
      const values = rows.flat().join(', ');
      return `matrix(c(${values}), nrow = ${rows.length}, ncol = ${(rows[0] as string[]).length}, byrow = TRUE)`;
    }
    case 'csv':
    case 'tsv': {
      const separator = notation === 'csv' ? ',' : '\t';
      return `${rowsOf(tensor, notation)
        .map((row) => row.join(separator))
        .join('\n')}\n`;
    }
    case 'latex':
      return `\\begin{bmatrix}\n${rowsOf(tensor, notation)
        .map((row) => row.join(' & '))
        .join(' \\\\\n')}\n\\end{bmatrix}`;
    case 'markdown': {
      const rows = rowsOf(tensor, notation);
      const columns = (rows[0] as string[]).length;
      const header = Array.from({ length: columns }, (_, c) => `c${c}`);
      const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
      return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
    }
  }
}
