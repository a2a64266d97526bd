import * as assert from 'node:assert/strict';
import { detectNotation, parseMatrix } from '../../../src/core/parse/index';
import { fails, parses } from './helpers';

const SOBEL_X = [-1, 0, 1, -2, 0, 2, -1, 0, 1];
const GAUSSIAN = [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16);

describe('parseMatrix', () => {
  describe('Python, NumPy, PyTorch, TensorFlow', () => {
    it('reads nested lists with their shape: a flat list is 1-D', () => {
      parses('[1, 2, 3]', [3], [1, 2, 3]);
      parses('[[1, 2], [3, 4]]', [2, 2], [1, 2, 3, 4]);
      parses('[[[1, 2]], [[3, 4]]]', [2, 1, 2], [1, 2, 3, 4]);
      parses('[[[[1], [2]]], [[[3], [4]]]]', [2, 1, 2, 1], [1, 2, 3, 4]);
    });
    it('reads a Sobel kernel written over several lines, with a trailing comma and comments', () => {
      const text = `[
    [-1, 0, 1],  # left
    [-2, 0, 2],
    [-1, 0, 1],
]`;
      parses(text, [3, 3], SOBEL_X, 'python');
    });
    it('reads tuples, lists of tuples and a bare tuple of rows', () => {
      parses('((1, 2), (3, 4))', [2, 2], [1, 2, 3, 4]);
      parses('[(1, 2), (3, 4)]', [2, 2], [1, 2, 3, 4]);
      parses('[1, 2], [3, 4]', [2, 2], [1, 2, 3, 4]);
      parses('(1,)', [1], [1]);
      parses('[([1, 2]), ([3, 4])]', [2, 2], [1, 2, 3, 4]);
    });
    it('reads np.array / numpy.array / np.asarray with dtype= and other keywords', () => {
      parses('np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])', [3, 3], SOBEL_X);
      parses('numpy.array([1, 2], dtype=numpy.float32, copy=True)', [2], [1, 2]);
      parses('np.asarray([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=float)', [3, 3], [0, 1, 0, 1, -4, 1, 0, 1, 0]);
      parses('np.array([1, 2], np.float64)', [2], [1, 2]);
    });
    it('keeps values as written whatever the dtype says', () => {
      parses('np.array([0.7, 1.9], dtype=np.int32)', [2], [0.7, 1.9]);
      parses('torch.tensor([[0.1, 0.2]], dtype=torch.float16)', [1, 2], [0.1, 0.2]);
    });
    it('reads torch.tensor / torch.Tensor / torch.FloatTensor and tf.constant', () => {
      parses('torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)', [2, 2], [1, 2, 3, 4]);
      parses('torch.Tensor([1, 2])', [2], [1, 2]);
      parses('torch.FloatTensor([[1, 2]])', [1, 2], [1, 2]);
      parses('tf.constant([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])', [3, 3], [1, 0, -1, 2, 0, -2, 1, 0, -1]);
      parses('tf.constant([1, 2, 3, 4], shape=[2, 2])', [2, 2], [1, 2, 3, 4]);
      parses('tf.constant(0.5, shape=(2, 2), dtype=tf.float32)', [2, 2], [0.5, 0.5, 0.5, 0.5]);
    });
    it('applies literal arithmetic around a constructor: the Gaussian written / 16', () => {
      parses('np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16', [3, 3], GAUSSIAN);
      parses('1/16 * np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]])', [3, 3], GAUSSIAN);
      parses('-np.array([1, 2]) * 2 + 1', [2], [-1, -3]);
    });
    it('reads numbers in every Python spelling', () => {
      parses('[1_000, 0x10, 1e3, 2.5E-1, .5, 5., -7, +3]', [8], [1000, 16, 1000, 0.25, 0.5, 5, -7, 3]);
      parses("[float('nan'), float(\"-inf\"), float('Infinity'), np.nan, np.inf, -np.inf, math.inf, math.nan, np.NINF]", [9], [
        NaN,
        -Infinity,
        Infinity,
        NaN,
        Infinity,
        -Infinity,
        Infinity,
        NaN,
        -Infinity,
      ]);
    });
    it('evaluates literal arithmetic: -1/16, 2**-3, 1/16 * 2, -2**2, (1 + 2) / 3', () => {
      parses('[-1/16, 2**-3, 1/16 * 2, -2**2, (1 + 2) / 3]', [5], [-1 / 16, 0.125, 0.125, -4, 1]);
    });
    it('keeps -0.0; the integer -0 is 0, as in Python', () => {
      parses('[-0.0, 0, -0, 0 * -1, 0 * -1.0]', [5], [-0, 0, 0, 0, -0]);
    });
  });

  describe('JSON and JavaScript', () => {
    it('reads JSON arrays and the NaN / Infinity Python writes', () => {
      parses('[[1, 2.5e-3], [-0.5, 4]]', [2, 2], [1, 0.0025, -0.5, 4], 'json');
      parses('[NaN, Infinity, -Infinity]', [3], [NaN, Infinity, -Infinity], 'json');
    });
    it('reads JavaScript arrays and typed arrays', () => {
      parses('[[1, 2], [3, 4]] // box', [2, 2], [1, 2, 3, 4], 'javascript');
      parses('new Float32Array([1, 0.5, -2])', [3], [1, 0.5, -2], 'javascript');
      parses('Float64Array.from([1, 2])', [2], [1, 2], 'javascript');
      parses('Float64Array.of(1, 2, 3)', [3], [1, 2, 3], 'javascript');
      parses('tf.tensor2d([1, 2, 3, 4], [2, 2])', [2, 2], [1, 2, 3, 4], 'javascript');
      parses('[Number.NaN, Number.POSITIVE_INFINITY, 1_000]', [3], [NaN, Infinity, 1000], 'javascript');
    });
    it('detects JavaScript typed arrays without a notation', () => {
      parses('new Float64Array([1, 2])', [2], [1, 2]);
    });
  });

  describe('MATLAB / Octave and Julia', () => {
    it('reads spaces, commas, semicolons and line breaks', () => {
      parses('[1 2; 3 4]', [2, 2], [1, 2, 3, 4]);
      parses('[1, 2; 3, 4]', [2, 2], [1, 2, 3, 4]);
      parses('[0  1  0\n 1 -4  1\n 0  1  0]', [3, 3], [0, 1, 0, 1, -4, 1, 0, 1, 0], 'matlab');
      parses('[1 2 3]', [1, 3], [1, 2, 3], 'matlab');
      parses('[1; 2; 3]', [3, 1], [1, 2, 3], 'matlab');
    });
    it('tells a sign glued to a number from a subtraction', () => {
      parses('[1 -2]', [1, 2], [1, -2], 'matlab');
      parses('[1 - 2]', [1, 1], [-1], 'matlab');
      parses('[1 -2 + 3]', [1, 2], [1, 1], 'matlab');
      parses('[(1 -2) 3]', [1, 2], [-1, 3], 'matlab');
    });
    it('follows ... continuations and ignores comments', () => {
      parses('[0 0.25 0.5 ...\n        0.75 1]', [1, 5], [0, 0.25, 0.5, 0.75, 1], 'matlab');
      parses('[1 2 % first row\n 3 4]  % done', [2, 2], [1, 2, 3, 4], 'matlab');
    });
    it('concatenates nested blocks, expands ranges and transposes', () => {
      parses('[[1 2]; [3 4]]', [2, 2], [1, 2, 3, 4], 'matlab');
      parses("[[1 2 3]' [4 5 6]']", [3, 2], [1, 4, 2, 5, 3, 6], 'matlab');
      parses('[1:3; 4:6]', [2, 3], [1, 2, 3, 4, 5, 6], 'matlab');
      parses('[0:0.5:1]', [1, 3], [0, 0.5, 1], 'matlab');
      parses("[1 2 3]'", [3, 1], [1, 2, 3], 'matlab');
    });
    it('reads NaN, Inf and -Inf', () => {
      parses('[NaN Inf -Inf nan inf]', [1, 5], [NaN, Infinity, -Infinity, NaN, Infinity], 'matlab');
    });
    it('reads the inside of a literal (a selection)', () => {
      parses('1 2; 3 4', [2, 2], [1, 2, 3, 4], 'matlab');
    });
    it('reads Julia literals, typed literals and comma vectors as columns', () => {
      parses('[1 2; 3 4]', [2, 2], [1, 2, 3, 4], 'julia');
      parses('Float64[1 2 3]', [1, 3], [1, 2, 3], 'julia');
      parses('[1, 2, 3]', [3, 1], [1, 2, 3], 'julia');
      parses('[1_000 NaN32 Inf 1.5f0]', [1, 4], [1000, NaN, Infinity, 1.5], 'julia');
    });
    it("refuses Julia's ;; (concatenation along higher dimensions) instead of misreading it", () => {
      fails('[1 2;; 3 4]', /Julia's `;;` concatenates along the second or a higher dimension/, ';;', { notation: 'julia', problem: 'syntax' });
      fails('[1 2\n 3 4;;; 5 6\n 7 8]', /`;;`/, ';;', { notation: 'julia' });
      parses('[1 2;; 3 4]', [2, 2], [1, 2, 3, 4], 'matlab'); // an empty row in MATLAB
    });
  });

  describe('R', () => {
    it('fills matrix() column by column unless byrow = TRUE', () => {
      parses('matrix(c(1, 2, 3, 4, 5, 6), nrow = 2)', [2, 3], [1, 3, 5, 2, 4, 6]);
      parses('matrix(c(1, 2, 3, 4, 5, 6), nrow = 2, byrow = TRUE)', [2, 3], [1, 2, 3, 4, 5, 6]);
      parses('matrix(c(1, 2, 3, 4), ncol = 2, byrow = T)', [2, 2], [1, 2, 3, 4], 'r');
      parses('matrix(data = c(-1, 0, 1), nrow = 1)', [1, 3], [-1, 0, 1], 'r');
      parses('matrix(c(1, 2, 3, 4), 2, 2, TRUE)', [2, 2], [1, 2, 3, 4], 'r');
    });
    it('recycles data, expands ranges, reads NA and Inf', () => {
      parses('matrix(0, nrow = 2, ncol = 2)', [2, 2], [0, 0, 0, 0], 'r');
      parses('matrix(1:6, nrow = 2, byrow = TRUE)', [2, 3], [1, 2, 3, 4, 5, 6], 'r');
      parses('matrix(c(NA, Inf, -Inf, 5L), 2)', [2, 2], [NaN, -Infinity, Infinity, 5], 'r');
      parses('c(-1:2, 2^2:5, (1 + 1):3)', [8, 1], [-1, 0, 1, 2, 4, 5, 2, 3], 'r');
    });
    it('refuses arithmetic on a whole range, which R does before anything else', () => {
      fails('matrix(c(1:3*2, 1, 2, 3), nrow = 2)', /R computes `1:3\*2` on the whole range \(`:` comes before `\*`\)/, '*', { notation: 'r', problem: 'syntax' });
      fails('c(2*1:3)', /`2\*1:3`/, '*', { notation: 'r' });
      fails('c(0:10/2)', /`\/`/, '/', { notation: 'r' });
    });
    it('reads rbind, cbind and a bare vector (a column)', () => {
      parses('rbind(c(1, 2), c(3, 4))', [2, 2], [1, 2, 3, 4]);
      parses('cbind(c(1, 2), c(3, 4))', [2, 2], [1, 3, 2, 4]);
      parses('c(1, 2, 3)', [3, 1], [1, 2, 3], 'r');
    });
  });

  describe('Mathematica', () => {
    it('reads braces, *^ exponents, Infinity and Indeterminate', () => {
      parses('{{1, 2}, {3, 4}}', [2, 2], [1, 2, 3, 4]);
      parses('{1.5*^-3, -Infinity, Indeterminate, 2^-1, 1/16}', [5], [0.0015, -Infinity, NaN, 0.5, 1 / 16], 'mathematica');
      parses('{{1, 2}, (* comment *) {3, 4}}', [2, 2], [1, 2, 3, 4], 'mathematica');
    });
  });

  describe('CSV, TSV and whitespace-separated rows', () => {
    it('reads rows, with a header row as labels', () => {
      parses('0,0.1,0.2\n0.1,0.2,0.3\n', [2, 3], [0, 0.1, 0.2, 0.1, 0.2, 0.3]);
      parses('x,y\n1,2\n3,4', [2, 2], [1, 2, 3, 4], 'csv');
      parses('1\t2\n3\t4', [2, 2], [1, 2, 3, 4]);
      parses('1 2 3\n4 5 6', [2, 3], [1, 2, 3, 4, 5, 6], 'csv');
      parses('"1","2"\r\n"3","4"\r\n', [2, 2], [1, 2, 3, 4], 'csv');
      parses('nan,inf,-inf,NA', [1, 4], [NaN, Infinity, -Infinity, NaN], 'csv');
      parses('1\t2\n3\t4\n', [2, 2], [1, 2, 3, 4], 'tsv');
    });
  });

  describe('LaTeX', () => {
    it('reads bmatrix, pmatrix, vmatrix, matrix and array environments', () => {
      parses('\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}', [2, 2], [1, 2, 3, 4]);
      parses('\\begin{pmatrix}\n  1 & 1 \\\\\n  1 & 1 \\\\\n\\end{pmatrix}', [2, 2], [1, 1, 1, 1]);
      parses('\\begin{vmatrix} 1 & 0 \\\\ 0 & 1 \\end{vmatrix}', [2, 2], [1, 0, 0, 1]);
      parses('\\begin{matrix} 5 \\end{matrix}', [1, 1], [5], 'latex');
      parses('\\begin{array}{c|c} 1 & 2 \\\\ \\hline 3 & 4 \\end{array}', [2, 2], [1, 2, 3, 4], 'latex');
      parses('\\[ K = \\begin{bmatrix} 1 & 2 \\end{bmatrix} \\]', [1, 2], [1, 2], 'latex');
    });
    it('keeps a column as [n, 1]', () => {
      parses('\\begin{bmatrix} 1 \\\\ 2 \\\\ 3 \\end{bmatrix}', [3, 1], [1, 2, 3]);
    });
    it('reads fractions, powers, scientific notation, infinity and NaN', () => {
      parses('\\begin{bmatrix} -\\frac{1}{16} & 2^{-3} & 1.5 \\times 10^{-7} \\\\ \\infty & -\\infty & \\mathrm{NaN} \\end{bmatrix}', [2, 3], [
        -1 / 16,
        0.125,
        1.5e-7,
        Infinity,
        -Infinity,
        NaN,
      ]);
      parses('\\begin{bmatrix} \\phantom{-}1 & -1 \\\\ \\dfrac{3}{4} & \\mathbf{2} \\end{bmatrix}', [2, 2], [1, -1, 0.75, 2]);
    });
    it('reads fractions with unbraced one-character arguments, as TeX does', () => {
      parses('\\begin{pmatrix} \\frac12 & -\\tfrac 1 4 \\\\ \\frac1{16} & \\frac{3}2 \\end{pmatrix}', [2, 2], [0.5, -0.25, 1 / 16, 1.5]);
      fails('\\begin{bmatrix} \\frac\\pi2 \\end{bmatrix}', /`\\pi` is not a number/, '\\pi', { notation: 'latex' });
    });
    it('reads the inside of an environment (a selection)', () => {
      parses('1 & 2 \\\\ 3 & 4', [2, 2], [1, 2, 3, 4], 'latex');
    });
  });

  describe('Markdown', () => {
    it('reads a table of numbers, a non-numeric header as labels', () => {
      parses('| c0 | c1 | c2 |\n|----|----|----|\n| 1  | 2  | 1  |\n| 2  | 4  | 2  |\n| 1  | 2  | 1  |', [3, 3], [1, 2, 1, 2, 4, 2, 1, 2, 1]);
      parses('| 1 | 2 |\n|:-:|--:|\n| 3 | 4 |', [2, 2], [1, 2, 3, 4], 'markdown');
      parses('a | b\n--|--\n**1** | `2`', [1, 2], [1, 2], 'markdown');
    });
    it('tells a table from a header with LaTeX and rules of one dash per column, and reads its body', () => {
      // A full adder's truth table, as written in course notes: the header is labels whatever it holds.
      const adder = ['| A | B | $C_{in}$ | SUM ($S$) | $C_{out}$ |', '| :-: | :-: | :-: | :-: | :-: |', '| 0 | 0 | 0 | 0 | 0 |', '| 0 | 1 | 1 | 0 | 1 |', '| 1 | 1 | 1 | 1 | 1 |'].join('\n');
      assert.equal(detectNotation(adder), 'markdown');
      parses(adder, [3, 5], [0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1]);
      for (const rule of ['|:-|-:|:-:|', '|-|-|-|', ':-|-:|:-:', '| --- | :-- | --: |']) {
        const table = `| $x_1$ | x² | \\(\\alpha\\) |\n${rule}\n| 1 | 2 | 3 |\n| 4 | 5 | 6 |`;
        assert.equal(detectNotation(table), 'markdown', rule);
        parses(table, [2, 3], [1, 2, 3, 4, 5, 6]);
      }
    });
    it('reads code or math in a Markdown document', () => {
      parses('`np.array([[1, 2], [3, 4]])`', [2, 2], [1, 2, 3, 4], 'markdown');
      parses('```python\n[[1, 2], [3, 4]]\n```', [2, 2], [1, 2, 3, 4], 'markdown');
      parses('$$\\begin{bmatrix} 1 & 2 \\end{bmatrix}$$', [1, 2], [1, 2], 'markdown');
    });
  });

  describe('detecting the notation', () => {
    it('tells bracketed MATLAB from Python lists', () => {
      assert.equal(detectNotation('[1 2; 3 4]'), 'matlab');
      assert.equal(detectNotation('[1 2 3]'), 'matlab');
      assert.equal(detectNotation('[1\n2]'), 'matlab');
      assert.equal(detectNotation('[[1, 2], [3, 4]]'), 'python');
      assert.equal(detectNotation("[float('nan'), 1]"), 'python');
      assert.equal(detectNotation('[\n  [1, 2],\n  [3, 4]\n]'), 'python');
    });
    it('tells the other notations', () => {
      assert.equal(detectNotation('{{1, 2}}'), 'mathematica');
      assert.equal(detectNotation('matrix(c(1, 2), nrow = 1)'), 'r');
      assert.equal(detectNotation('\\begin{bmatrix} 1 \\end{bmatrix}'), 'latex');
      assert.equal(detectNotation('| a |\n|---|\n| 1 |'), 'markdown');
      assert.equal(detectNotation('1,2\n3,4'), 'csv');
      assert.equal(detectNotation('1\t2'), 'tsv');
      assert.equal(detectNotation('np.array([1])'), 'numpy');
      assert.equal(detectNotation('torch.tensor([1])'), 'torch');
      assert.equal(detectNotation('tf.constant([1])'), 'tensorflow');
    });
    it('lets a notation force the reading of an ambiguous text', () => {
      parses('[1, 2, 3]', [3], [1, 2, 3], 'python');
      parses('[1, 2, 3]', [1, 3], [1, 2, 3], 'matlab');
    });
  });

  describe('errors, with the offending range', () => {
    it('a ragged matrix names the row', () => {
      fails('[[1, 2, 3], [4, 5, 6], [7, 8]]', /^row 3 has 2 values, rows 1–2 have 3$/, '[7, 8]', { problem: 'shape' });
      fails('[[1, 2], [3]]', /^row 2 has 1 value, row 1 has 2$/, '[3]');
      fails('[1 2 3; 4 5]', /^row 2 has 2 values, row 1 has 3$/, '4 5', { notation: 'matlab' });
      fails('1,2,3\n4,5\n', /^row 2 has 2 values, row 1 has 3$/, '4,5', { notation: 'csv' });
      fails('\\begin{bmatrix} 1 & 2 \\\\ 3 \\end{bmatrix}', /^row 2 has 1 value, row 1 has 2$/, '3');
      fails('rbind(c(1, 2), c(3))', /^row 2 has 1 values, row 1 has 2$/, 'c(3)');
      fails('[[[1, 2], [3, 4]], [[5, 6], [7]]]', /row 2 of this matrix has 1 value, the rows before it have 2/, '[7]');
      fails('[[1, 2], [[3, 4], [5, 6]]]', /a list where a number was expected/, '[3, 4]', { problem: 'shape' });
      fails('[[1, 2], 3]', /a number where a list was expected/, '3', { problem: 'shape' });
    });
    it('a variable or a stray token is not a number', () => {
      fails('[[1, x], [3, 4]]', /^`x` is not a number$/, 'x', { problem: 'not-a-number' });
      fails('[1, "a"]', /^`"a"` is not a number$/, '"a"', { problem: 'not-a-number' });
      fails('[1, 2j]', /^`2j` is not a number$/, '2j');
      fails('[1 2]', /expected `,` or `]` before `2`/, '2', { notation: 'python' });
      fails('[1, 2] 3', /unexpected `3` after the list/, '3');
      fails('[1, 2 @ 3]', /expected `,` or `]` before `@`/, '@');
      fails('[1 x]', /`x` is not a number/, 'x', { notation: 'matlab' });
      fails('1,2\n3,abc', /`abc` is not a number/, 'abc', { notation: 'csv' });
      parses('1,abc\n2,3', [1, 2], [2, 3], 'csv'); // a first row that is not all numbers is a header
      fails('\\begin{bmatrix} a & 1 \\end{bmatrix}', /`a` is not a number/, 'a', { occurrence: 1 });
      fails('[1, 1__0]', /`1__0` is not a number/, '1__0');
      fails('[1, 2 // 3]', /`\/\/` is not supported/, '//', { notation: 'python' });
    });
    it('an unbalanced bracket points at it', () => {
      fails('[[1, 2], [3, 4]', /this `\[` is never closed/, '[');
      fails('[[1, 2], [3, 4]]]', /unexpected `]` after the list/, ']', { occurrence: 3 });
      fails('[[1, 2), [3, 4]]', /`\)` does not match the `\[` it closes/, ')');
      fails('[1 2; 3 4', /this `\[` is never closed/, '[', { notation: 'matlab' });
      fails('np.array([1, 2]', /this `\(` is never closed/, '(');
      fails('[(1 + 2]', /this `\(` is never closed/, '(');
    });
    it('an empty literal is refused', () => {
      fails('[]', /the literal is empty/, '[]', { problem: 'empty' });
      fails('[[], []]', /an empty list/, '[]', { problem: 'empty' });
      fails('[]', /the matrix is empty/, '[]', { notation: 'matlab', problem: 'empty' });
      fails('   ', /the text is empty/, '   ', { problem: 'empty' });
      fails('np.array([])', /the literal is empty/, '[]');
    });
    it('shapes beyond 4-D and mismatched shape arguments are refused', () => {
      fails('[[[[[1]]]]]', /nested 5 levels deep: Layer Lens reads tensors of 1 to 4 dimensions/, '[', { occurrence: 4, problem: 'shape' });
      fails('tf.constant([1, 2, 3], shape=[2, 2])', /the shape \[2, 2\] holds 4 values but the literal has 3/, 'tf.constant([1, 2, 3], shape=[2, 2])');
      fails('new Float32Array([[1, 2]])', /a typed array is flat/, 'new Float32Array([[1, 2]])', { notation: 'javascript' });
      fails('matrix(c(1, 2, 3), nrow = 2)', /3 values do not fill a 2×2 matrix/, 'matrix(c(1, 2, 3), nrow = 2)');
      fails('np.array(5)', /a single number is not a matrix/, 'np.array(5)');
    });
    it('a throwing parse never leaks anything but ParseError', () => {
      assert.throws(() => parseMatrix('[1, 2] +'), (e: Error) => e.name === 'ParseError');
    });
  });
});
