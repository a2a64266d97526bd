import * as assert from 'node:assert/strict';
import { FIND_MAX_LITERAL_LENGTH, findMatrices, findMatrixAt, ParseError, type FoundMatrix } from '../../../src/core/parse/index';
import { assertTensor } from './helpers';

/** The text of a found literal. */
const source = (text: string, found: FoundMatrix | undefined): string | undefined => found && text.slice(found.start, found.end);

/** Offset of the `occurrence`-th `needle` in `text`, plus `delta`. */
function at(text: string, needle: string, delta = 0, occurrence = 0): number {
  let index = -1;
  for (let k = 0; k <= occurrence; k++) index = text.indexOf(needle, index + 1);
  assert.ok(index >= 0, `test bug: ${needle} not found`);
  return index + delta;
}

const TEXTBOOK = `# The textbook transposed convolution: a 2×2 input, a 2×2 kernel of ones, stride 1.
x = [[1, 2], [3, 4]]
k = [[1, 1], [1, 1]]

# Expected output:
# [[1, 3, 2],
#  [4, 10, 6],
#  [3, 7, 4]]
label = "[[9, 9], [9, 9]]"
ragged = [[1, 2], [3]]
`;

const NUMPY = `import numpy as np

sobel_x = np.array([[-1, 0, 1],
                    [-2, 0, 2],
                    [-1, 0, 1]])

gaussian_3x3 = np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16
scaled = x * np.array([1, 2]) / 16
laplacian = np.asarray([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=float)
`;

describe('findMatrixAt', () => {
  it('finds the whole literal from any position inside it, on its brackets and just after it', () => {
    const literal = '[[1, 2], [3, 4]]';
    const start = at(TEXTBOOK, literal);
    for (let offset = start; offset <= start + literal.length; offset++) {
      const found = findMatrixAt(TEXTBOOK, offset, 'python');
      assert.equal(source(TEXTBOOK, found), literal, `offset ${offset - start}`);
    }
    const found = findMatrixAt(TEXTBOOK, start + 3, 'python');
    assert.ok(found);
    assertTensor(found, [2, 2], [1, 2, 3, 4]);
    assert.equal(found.notation, 'python');
  });
  it('finds nothing outside literals, in comments and in strings', () => {
    assert.equal(findMatrixAt(TEXTBOOK, at(TEXTBOOK, 'x = '), 'python'), undefined);
    assert.equal(findMatrixAt(TEXTBOOK, at(TEXTBOOK, '[4, 10', 3), 'python'), undefined);
    assert.equal(findMatrixAt(TEXTBOOK, at(TEXTBOOK, '[[9', 3), 'python'), undefined);
    assert.equal(findMatrixAt(TEXTBOOK, at(TEXTBOOK, 'textbook'), 'python'), undefined);
  });
  it('explains a ragged literal at the cursor with a ParseError in document offsets', () => {
    const offset = at(TEXTBOOK, '[[1, 2], [3]]', 3);
    assert.throws(
      () => findMatrixAt(TEXTBOOK, offset, 'python'),
      (error: unknown) => error instanceof ParseError && /row 2 has 1 value, row 1 has 2/.test(error.message) && TEXTBOOK.slice(error.range.start, error.range.end) === '[3]',
    );
  });
  it('returns undefined for lists of non-numbers', () => {
    const text = 'names = ["a", "b"]\npoint = [x, y]\nmixed = [1, x]\nempty = []\n';
    for (const needle of ['"a"', 'x, y', '1, x', '[]']) assert.equal(findMatrixAt(text, at(text, needle, 1), 'python'), undefined, needle);
  });
  it('takes the whole constructor call, from its name to its closing parenthesis', () => {
    const call = 'np.array([[-1, 0, 1],\n                    [-2, 0, 2],\n                    [-1, 0, 1]])';
    for (const offset of [at(NUMPY, 'np.array([[-1'), at(NUMPY, 'array([[-1'), at(NUMPY, '([[-1'), at(NUMPY, '-2, 0'), at(NUMPY, '1]])', 4)]) {
      const found = findMatrixAt(NUMPY, offset, 'python');
      assert.equal(source(NUMPY, found), call);
      assert.equal(found?.notation, 'numpy');
    }
    const laplacian = findMatrixAt(NUMPY, at(NUMPY, 'dtype=float'), 'python');
    assert.equal(source(NUMPY, laplacian), 'np.asarray([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=float)');
  });
  it('includes literal arithmetic after the call when it applies to the call alone', () => {
    const gaussian = findMatrixAt(NUMPY, at(NUMPY, '[2, 4, 2]', 1), 'python');
    assert.equal(source(NUMPY, gaussian), 'np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16');
    assert.ok(gaussian);
    assertTensor(gaussian, [3, 3], [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16));
    const scaled = findMatrixAt(NUMPY, at(NUMPY, '[1, 2]) / 16', 1), 'python');
    assert.equal(source(NUMPY, scaled), 'np.array([1, 2])');
    assert.ok(scaled);
    assertTensor(scaled, [2], [1, 2]);
  });
  it('stops at the enclosing code: a literal argument of a call', () => {
    const text = 'y = conv(x, [[1, 2], [3, 4]], stride=2)';
    assert.equal(source(text, findMatrixAt(text, at(text, '3'), 'python')), '[[1, 2], [3, 4]]');
    const dict = 'cfg = {"kernel": [[1, 0], [0, 1]], "n": 2}';
    assert.equal(source(dict, findMatrixAt(dict, at(dict, '[0, 1]', 2), 'python')), '[[1, 0], [0, 1]]');
  });
  it('reads a flat tuple as arguments but a list of tuples as a matrix', () => {
    const text = 'conv = nn.Conv2d(1, 1, (3, 3))\nk = [(1, 2), (3, 4)]';
    assert.equal(findMatrixAt(text, at(text, '(3, 3)', 2), 'python'), undefined);
    assert.equal(source(text, findMatrixAt(text, at(text, '(1, 2)', 1), 'python')), '[(1, 2), (3, 4)]');
  });
  it('ignores subscripts', () => {
    const text = 'y = x[0, 1] + w[2]';
    assert.equal(findMatrixAt(text, at(text, '0'), 'python'), undefined);
  });
  it('tolerates a half-typed file: an unclosed bracket 50 lines earlier', () => {
    const lines = ['values = [1, 2,', ...Array.from({ length: 50 }, (_, k) => `z${k} = f(${k})`), 'kernel = [[0, 1], [1, 0]]', 'broken = foo(', ''];
    const text = lines.join('\n');
    const found = findMatrixAt(text, at(text, '[1, 0]', 2), 'python');
    assert.equal(source(text, found), '[[0, 1], [1, 0]]');
  });
  it('finds the row-free innermost complete literal when the outer one is still being typed', () => {
    const text = 'x = [[1, 2], [3, 4]\n';
    assert.equal(source(text, findMatrixAt(text, at(text, '2'), 'python')), '[1, 2]');
  });
  it('reads a docstring as a string even when the window starts inside another one', () => {
    const filler = Array.from({ length: 3000 }, (_, k) => `a${k} = ${k}`).join('\n');
    const text = `"""Module docs\n${filler}\n"""\nk = [[1, 2], [3, 4]]\n`;
    assert.equal(source(text, findMatrixAt(text, at(text, '[3, 4]', 1), 'python')), '[[1, 2], [3, 4]]');
  });
  it('finds literals in JSON, JavaScript, MATLAB, Julia, R and Mathematica', () => {
    const json = '{\n  "input": [[1, 2], [3, 4]],\n  "name": "box"\n}';
    assert.equal(source(json, findMatrixAt(json, at(json, '3'), 'jsonc')), '[[1, 2], [3, 4]]');
    const js = 'const k = new Float32Array([1, 2, 3]); // [9, 9]\nconst m = [[1, 0], [0, 1]];';
    assert.equal(findMatrixAt(js, at(js, '2, 3'), 'typescript')?.notation, 'javascript');
    assert.equal(source(js, findMatrixAt(js, at(js, 'new'), 'typescript')), 'new Float32Array([1, 2, 3])');
    assert.equal(findMatrixAt(js, at(js, '[9', 1), 'javascript'), undefined);
    const matlab = "% A = [9 9]\nA = [1 2; 3 4];\ns = 'not [1 2]';\nB = [1 2 3]';";
    assert.equal(source(matlab, findMatrixAt(matlab, at(matlab, '3 4'), 'matlab')), '[1 2; 3 4]');
    assert.equal(findMatrixAt(matlab, at(matlab, '9 9'), 'matlab'), undefined);
    assert.equal(findMatrixAt(matlab, at(matlab, '[1 2]', 1), 'octave'), undefined);
    const transposed = findMatrixAt(matlab, at(matlab, '2 3'), 'matlab');
    assert.equal(source(matlab, transposed), "[1 2 3]'");
    assert.deepEqual(transposed?.shape, [3, 1]);
    const julia = '# [9 9]\nK = Float64[1 2; 3 4]\nv = x[1, 2]';
    assert.equal(source(julia, findMatrixAt(julia, at(julia, '3 4'), 'julia')), 'Float64[1 2; 3 4]');
    assert.equal(findMatrixAt(julia, at(julia, '1, 2'), 'julia'), undefined);
    const r = '# c(9, 9)\nK <- matrix(c(1, 2, 3, 4), nrow = 2, byrow = TRUE)\n';
    const found = findMatrixAt(r, at(r, '3, 4'), 'r');
    assert.equal(source(r, found), 'matrix(c(1, 2, 3, 4), nrow = 2, byrow = TRUE)');
    assert.equal(findMatrixAt(r, at(r, '9, 9'), 'r'), undefined);
    const wolfram = 'k = {{1, 2}, {3, 4}}; (* {9, 9} *) f[1, 2]';
    assert.equal(source(wolfram, findMatrixAt(wolfram, at(wolfram, '3'), 'wolfram')), '{{1, 2}, {3, 4}}');
    assert.equal(findMatrixAt(wolfram, at(wolfram, '9'), 'wolfram'), undefined);
    assert.equal(findMatrixAt(wolfram, at(wolfram, '1, 2]'), 'wolfram'), undefined);
  });
  it('finds LaTeX environments but not commented ones', () => {
    const tex = '% \\begin{bmatrix} 9 \\end{bmatrix}\n\\[ X = \\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix} \\]';
    const found = findMatrixAt(tex, at(tex, '3 &'), 'latex');
    assert.equal(source(tex, found), '\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}');
    assert.equal(findMatrixAt(tex, at(tex, '9'), 'latex'), undefined);
    assert.equal(findMatrixAt(tex, at(tex, 'X'), 'latex'), undefined);
  });
  it('finds Markdown tables, fenced code and inline code', () => {
    const md = [
      '# Notes',
      '',
      '| c0 | c1 |',
      '|----|----|',
      '| 1  | 2  |',
      '| 3  | 4  |',
      '',
      'The kernel `np.array([[1, 1], [1, 1]])` pastes.',
      '',
      '```python',
      'k = [[0, 1], [1, 0]]  # [9]',
      '```',
      '',
      '| name | role |',
      '|------|------|',
      '| x    | in   |',
    ].join('\n');
    const table = findMatrixAt(md, at(md, '3  |'), 'markdown');
    assert.equal(table?.notation, 'markdown');
    assert.ok(table);
    assertTensor(table, [2, 2], [1, 2, 3, 4]);
    assert.equal(source(md, findMatrixAt(md, at(md, '[1, 1]', 1), 'markdown')), 'np.array([[1, 1], [1, 1]])');
    assert.equal(source(md, findMatrixAt(md, at(md, '[1, 0]', 1), 'markdown')), '[[0, 1], [1, 0]]');
    assert.equal(findMatrixAt(md, at(md, '[9'), 'markdown'), undefined);
    assert.equal(findMatrixAt(md, at(md, 'x    |'), 'markdown'), undefined);
  });
  it('reads a CSV file as one matrix', () => {
    const csv = '0,0.1,0.2\n0.1,0.2,0.3\n';
    const found = findMatrixAt(csv, 5, 'csv');
    assert.ok(found);
    assertTensor(found, [2, 3], [0, 0.1, 0.2, 0.1, 0.2, 0.3]);
    assert.equal(findMatrixAt('a,b\nx,y\n', 2, 'csv'), undefined);
  });
  it('detects the notation in plain text and unknown languages', () => {
    const text = 'Input: [1 2; 3 4]\nKernel: [[1, 0], [0, 1]]\nrows:\n1 2 3\n4 5 6\n';
    assert.equal(findMatrixAt(text, at(text, '3 4'), 'plaintext')?.notation, 'matlab');
    assert.equal(findMatrixAt(text, at(text, '[0, 1]', 1))?.notation, 'python');
    const rows = findMatrixAt(text, at(text, '5'), 'plaintext');
    assert.ok(rows);
    assertTensor(rows, [2, 3], [1, 2, 3, 4, 5, 6]);
  });
  it('finds a literal larger than its first look-behind window from anywhere inside it', () => {
    const rows = Array.from({ length: 500 }, (_, r) => `          [${Array.from({ length: 40 }, (_, c) => (r * 40 + c) % 7).join(', ')}]`);
    const text = `import numpy as np\nk = np.array([\n${rows.join(',\n')}\n])\nprint(k)\n`;
    for (const offset of [Math.floor(text.length / 2), text.indexOf('[', text.length / 2) + 1, text.length - 20]) {
      const found = findMatrixAt(text, offset, 'python');
      assert.deepEqual(found?.shape, [500, 40], `offset ${offset}`);
    }
  });
  it('deep inside a large literal, gives the same answer as from its start: calls, arithmetic, comments, transposes', () => {
    const rows = (n: number, write: (r: number) => string): string => Array.from({ length: n }, (_, r) => write(r)).join(',\n ');
    const row = (r: number): string => `[${Array.from({ length: 30 }, (_, c) => ((r * 30 + c) % 11) - 5).join(', ')}]`;
    const cases: [string, string, readonly number[], string][] = [
      ['bare list', `x = [${rows(400, row)}]\n`, [400, 30], 'python'],
      ['call with arithmetic', `w = 2 + np.array([${rows(400, row)}], dtype=np.float32) / 16\n`, [400, 30], 'python'],
      ['comment inside', `x = [${rows(400, (r) => (r === 3 ? `# an odd row:\n ${row(r)}` : row(r)))}]\n`, [400, 30], 'python'],
      ['ragged far away', `x = [${rows(400, (r) => (r === 2 ? '[1, 2]' : row(r)))}]\n`, [], 'python'],
      ['MATLAB transposed', `x = [${Array.from({ length: 400 }, (_, r) => row(r).slice(1, -1).replace(/,/g, '')).join(';\n ')}]';\n`, [30, 400], 'matlab'],
    ];
    for (const [name, text, shape, language] of cases) {
      const offset = text.length - 40;
      const first = text.indexOf('[') + 1;
      if (shape.length === 0) {
        assert.throws(() => findMatrixAt(text, offset, language), /row 3 has 2 values/, name);
        continue;
      }
      const deep = findMatrixAt(text, offset, language);
      const near = findMatrixAt(text, first, language);
      assert.deepEqual(deep?.shape, shape, name);
      assert.deepEqual([deep?.start, deep?.end], [near?.start, near?.end], name);
      assert.deepEqual(deep?.data, near?.data, name);
    }
    const call = findMatrixAt(cases[1]![1], cases[1]![1].length - 40, 'python');
    assert.equal(call?.data[1], -4 / 16, 'the division applies to the call alone, after the addition is excluded');
    assert.match(source(cases[1]![1], call) ?? '', /^np\.array\(\[\[[\s\S]*\/ 16$/);
  });
  it('refuses a literal longer than it reads around a cursor with a size error, wherever the cursor is', () => {
    const row = `[${Array.from({ length: 100 }, (_, c) => (c % 10) / 8 - 0.5).join(', ')}]`;
    const rows = Math.ceil(FIND_MAX_LITERAL_LENGTH / row.length) + 10;
    const python = `x = np.array([${Array.from({ length: rows }, () => row).join(',\n ')}])\n`;
    const matlab = `x = [${Array.from({ length: rows }, () => row.slice(1, -1)).join(';\n ')}];\n`;
    for (const [text, language] of [[python, 'python'], [matlab, 'matlab']] as const) {
      for (const offset of [100, Math.floor(text.length / 2), text.length - 100]) {
        assert.throws(
          () => findMatrixAt(text, offset, language),
          (error: unknown) => error instanceof ParseError && error.problem === 'size' && /longer than 8 MB/.test(error.message),
          `${language} at ${offset}`,
        );
      }
    }
  });
  it('treats notebook cells (jupyter) as Python and ignores out-of-range offsets', () => {
    assert.equal(findMatrixAt('[1, 2]', 1, 'jupyter')?.notation, 'python');
    assert.equal(findMatrixAt('[1, 2]', -1, 'python'), undefined);
    assert.equal(findMatrixAt('[1, 2]', 99, 'python'), undefined);
  });
});

describe('findMatrices', () => {
  it('lists every outermost literal in document order, skipping comments, strings and ragged ones', () => {
    const found = findMatrices(TEXTBOOK, 'python');
    assert.deepEqual(
      found.map((m) => source(TEXTBOOK, m)),
      ['[[1, 2], [3, 4]]', '[[1, 1], [1, 1]]'],
    );
  });
  it('lists constructor calls whole, with their arithmetic', () => {
    assert.deepEqual(
      findMatrices(NUMPY, 'python').map((m) => [source(NUMPY, m), m.notation]),
      [
        ['np.array([[-1, 0, 1],\n                    [-2, 0, 2],\n                    [-1, 0, 1]])', 'numpy'],
        ['np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16', 'numpy'],
        ['np.array([1, 2])', 'numpy'],
        ['np.asarray([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=float)', 'numpy'],
      ],
    );
  });
  it('lists the literals of each language', () => {
    const cases: [string, string, string[]][] = [
      ['A = [1 2; 3 4];\n% B = [5 6]\nC = [1\n 2];', 'matlab', ['[1 2; 3 4]', '[1\n 2]']],
      ['{"a": [[1, 2]], "b": [3], "c": ["x"]}', 'json', ['[[1, 2]]', '[3]']],
      ['m <- matrix(1:4, 2)\nv <- c(1, 2)', 'r', ['matrix(1:4, 2)', 'c(1, 2)']],
      ['\\begin{pmatrix} 1 & 0 \\end{pmatrix} and \\begin{bmatrix} a \\end{bmatrix}', 'latex', ['\\begin{pmatrix} 1 & 0 \\end{pmatrix}']],
      ['| a |\n|---|\n| 1 |\n\n```matlab\nK = [1 2]\n```\n', 'markdown', ['| a |\n|---|\n| 1 |', '[1 2]']],
      ['1,2\n3,4\n', 'csv', ['1,2\n3,4']],
      ['1\t2\n3\t4\n', 'tsv', ['1\t2\n3\t4']],
      ['x = {{1}, {2}}', 'wolfram', ['{{1}, {2}}']],
      ['[1 2]\n{{1, 2}}\n\\begin{bmatrix} 1 \\end{bmatrix}\n3 4\n', 'plaintext', ['[1 2]', '{{1, 2}}', '\\begin{bmatrix} 1 \\end{bmatrix}', '3 4']],
    ];
    for (const [text, language, expected] of cases) {
      assert.deepEqual(
        findMatrices(text, language).map((m) => source(text, m)),
        expected,
        language,
      );
    }
  });
  it('finds the samples the extension ships with', () => {
    const dcgan = `weight = torch.tensor([[0.1, 0.2, 0.1], [0.2, 0.4, 0.2], [0.1, 0.2, 0.1]], dtype=torch.float64)\nup = nn.ConvTranspose2d(16, 8, 3, stride=2, padding=(1, 1))`;
    const found = findMatrices(dcgan, 'python');
    assert.equal(found.length, 1);
    assert.equal(found[0]?.notation, 'torch');
    assert.deepEqual(found[0]?.shape, [3, 3]);
  });
});
