/** The parser benchmarks: big matrix literals in four notations, and look-ups in a long Python file. */
import type * as Core from '../../src/core/index';
import { seeded } from './cases';
import { core } from './core';
import { medianMs } from './measure';

export interface ParseFigure {
  readonly name: string;
  readonly ms: number;
}

/** The same n×n matrix of seeded values written in several notations: [notation, its name, text]. */
function bigLiterals(n: number): [Core.Notation, string, string][] {
  const data = seeded(n * n, 7);
  const rows: string[][] = [];
  for (let r = 0; r < n; r++) rows.push(Array.from(data.subarray(r * n, (r + 1) * n), (v) => v.toFixed(6)));
  return [
    ['python', 'Python', `[${rows.map((r) => `[${r.join(', ')}]`).join(',\n ')}]`],
    ['matlab', 'MATLAB', `[${rows.map((r) => r.join(' ')).join(';\n ')}]`],
    ['csv', 'CSV', rows.map((r) => r.join(',')).join('\n')],
    ['latex', 'LaTeX', `\\begin{bmatrix}\n${rows.map((r) => r.join(' & ')).join(' \\\\\n')}\n\\end{bmatrix}`],
  ];
}

function pythonFile(lines: number): { text: string; offset: number } {
  const chunk = [
    'import numpy as np',
    '',
    'def f(x):',
    '    # a comment with [brackets]',
    '    return x * 2',
    'k = np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16',
    'up = nn.ConvTranspose2d(ngf * 2, ngf, 4, stride=2, padding=1, bias=False)',
    '',
  ];
  const all: string[] = [];
  while (all.length < lines) all.push(...chunk);
  const text = all.slice(0, lines).join('\n');
  const target = text.lastIndexOf('[[1, 2, 1]');
  return { text, offset: target + 3 };
}

/** A 10,000-line file that is one `np.array` literal of 10 columns, and an offset deep inside it. */
function literalFile(rows: number): { text: string; offset: number } {
  const data = seeded(rows * 10, 11);
  const lines = Array.from({ length: rows }, (_, r) => `    [${Array.from(data.subarray(r * 10, (r + 1) * 10), (v) => v.toFixed(6)).join(', ')}]`);
  const text = `import numpy as np\nweights = np.array([\n${lines.join(',\n')}\n])\n`;
  return { text, offset: Math.floor(text.length * 0.9) };
}

export async function parseFigures(): Promise<ParseFigure[]> {
  const figures: ParseFigure[] = [];
  for (const [notation, notationName, text] of bigLiterals(1000)) {
    const name = `parseMatrix, 1000×1000 ${notationName} literal (${(text.length / 1e6).toFixed(1)} MB)`;
    figures.push({ name, ms: await medianMs(() => core.parseMatrix(text, notation), 4000) });
  }
  const file = pythonFile(10_000);
  if (!core.findMatrixAt(file.text, file.offset, 'python')) throw new Error('findMatrixAt found no matrix in the benchmark file');
  figures.push({
    name: 'findMatrixAt, cursor in a literal at the end of a 10,000-line file',
    ms: await medianMs(() => core.findMatrixAt(file.text, file.offset, 'python'), 1500),
  });
  figures.push({ name: 'findLayerCalls, a 10,000-line Python file', ms: await medianMs(() => core.findLayerCalls(file.text, 'python'), 1500) });
  // The answer holds all 100,000 values, so this is the cost of reading the literal itself.
  const literal = literalFile(10_000);
  if (core.findMatrixAt(literal.text, literal.offset, 'python')?.shape[0] !== 10_000) throw new Error('findMatrixAt did not find the 10,000-row literal');
  figures.push({
    name: `findMatrixAt, cursor deep in a 10,000-line literal (${(literal.text.length / 1e6).toFixed(1)} MB)`,
    ms: await medianMs(() => core.findMatrixAt(literal.text, literal.offset, 'python'), 1500),
  });
  return figures;
}
