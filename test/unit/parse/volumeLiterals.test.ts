/**
 * Tensor literals of rank 3 and 4 in every notation that nests (the input of a 1-D or 3-D layer:
 * `[N, C, L]`, `[D, H, W]`, `[C, D, H, W]`), including NumPy's and PyTorch's printed forms pasted
 * from a console; and how each malformed one is refused, at its place.
 */
import * as assert from 'node:assert/strict';
import { findMatrixAt, PARSE_MAX_ELEMENTS, parseMatrix } from '../../../src/core/parse/index';
import { parseRange } from '../../../src/core/parse/parseMatrix';
import { fails, parses } from './helpers';

const EIGHT = [1, 2, 3, 4, 5, 6, 7, 8];

describe('rank-3 and rank-4 tensor literals', () => {
  describe('each notation that nests reads rank 3 as nested', () => {
    it('Python lists and tuples', () => {
      parses('[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]', [2, 2, 2], EIGHT);
      parses('(((1, 2), (3, 4)), ((5, 6), (7, 8)))', [2, 2, 2], EIGHT, 'python');
    });
    it('np.array with a dtype, torch.tensor, tf.constant', () => {
      parses('np.array([[[1, 2], [3, 4]], [[5, 6], [7, 8]]], dtype=np.float32)', [2, 2, 2], EIGHT);
      parses('torch.tensor([[[1., 2.], [3., 4.]], [[5., 6.], [7., 8.]]])', [2, 2, 2], EIGHT);
      parses('tf.constant([[[1, 2, 3, 4]], [[5, 6, 7, 8]]])', [2, 1, 4], EIGHT);
    });
    it('JSON and Mathematica', () => {
      parses('[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]', [2, 2, 2], EIGHT, 'json');
      parses('{{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}}', [2, 2, 2], EIGHT, 'mathematica');
    });
    it('rank 4: [C, D, H, W]', () => {
      parses('[[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]]', [1, 2, 2, 2], EIGHT);
      parses('np.array([[[[1], [2]]], [[[3], [4]]]])', [2, 1, 2, 1], [1, 2, 3, 4]);
    });
  });

  describe('printed tensors pasted from a console', () => {
    const repr = 'array([[[1., 2.],\n        [3., 4.]],\n\n       [[5., 6.],\n        [7., 8.]]])';
    it("NumPy's repr, array([[[…]]]), with or without a dtype, told from the text or in a Python file", () => {
      parses(repr, [2, 2, 2], EIGHT);
      parses(repr, [2, 2, 2], EIGHT, 'python');
      parses('array([[[1, 2]], [[3, 4]]], dtype=float32)', [2, 1, 2], [1, 2, 3, 4]);
    });
    it("PyTorch's repr, tensor([[[…]]], dtype=torch.float64, requires_grad=True)", () => {
      parses('tensor([[[1., 2.],\n         [3., 4.]]], dtype=torch.float64, requires_grad=True)', [1, 2, 2], [1, 2, 3, 4]);
    });
    it('the range of a repr is the list inside it, so that a write-back keeps array(…) and its dtype', () => {
      const text = 'array([[[1., 2.]]], dtype=float32)';
      const located = parseRange(text, 0, text.length);
      assert.equal(text.slice(located.start, located.end), '[[[1., 2.]]]');
      assert.equal(located.notation, 'numpy');
      assert.equal(parseRange('tensor([[[1.]]])', 0, 16).notation, 'torch');
    });
    it("NumPy's print form, spaces between values and blank lines between blocks, is rank 3 (not a MATLAB 4×2)", () => {
      parses('[[[1. 2.]\n  [3. 4.]]\n\n [[5. 6.]\n  [7. 8.]]]', [2, 2, 2], EIGHT);
      parses('[[[ 1.e+00 -2.5e-01]\n  [ nan  inf]]\n\n [[-inf  0.]\n  [ 7.  8.]]]', [2, 2, 2], [1, -0.25, NaN, Infinity, -Infinity, 0, 7, 8]);
    });
    it('a matrix in the print form keeps its reading (MATLAB told from the text; Python would refuse it in a Python file)', () => {
      parses('[[1. 2.]\n [3. 4.]]', [2, 2], [1, 2, 3, 4]);
      parses('[[1. 2.]\n [3. 4.]]', [2, 2], [1, 2, 3, 4], 'python');
      // A MATLAB file reads MATLAB: three brackets deep is its concatenation, as before.
      parses('[[[1 2] [3 4]]]', [1, 4], [1, 2, 3, 4], 'matlab');
    });
    it("NumPy's summarised print (…) is refused with how to print it whole", () => {
      fails('[[[0. 1. 2. ... 7. 8. 9.]]]', /left values out.*threshold/, '...', { problem: 'size' });
    });
    it('a ragged print, a stray word, an unclosed bracket are refused at their place', () => {
      fails('[[[1. 2.]\n  [3.]]]', /row 2 has 1 value, row 1 has 2/, '[3.]');
      fails('[[[1. 2.]\n  [3. x]]]', /`x` is not a number/, 'x', { problem: 'not-a-number' });
      fails('[[[1. 2.]\n  [3. 4.]]', /never closed/, '[', { problem: 'syntax' });
      fails('array([[[1., 2.]]]) + 1', /unexpected `\+`/, '+');
      fails('tensor([[[1., 2.]]], dtype=torch.float64', /never closed/, '(');
    });
  });

  it("MATLAB's cat(3, …) pages are refused with what to write instead (MATLAB literals are 2-D)", () => {
    fails('cat(3, [1 2; 3 4], [5 6; 7 8])', /MATLAB's cat\(3, …\) stacks matrices into pages.*nested lists/, 'cat', { problem: 'shape' });
    fails('  cat(3, A, B)', /cat\(3, …\)/, 'cat', { notation: 'matlab' });
    // One page, as `A(:, :, 1) = [1 2; 3 4]` assigns it, is a matrix.
    parses('[1 2; 3 4]', [2, 2], [1, 2, 3, 4], 'matlab');
  });

  describe('malformed rank-3 and rank-4 literals are refused at their place', () => {
    it('ragged at the innermost level, at the block level, and at rank 4', () => {
      fails('[[[1, 2], [3]], [[5, 6], [7, 8]]]', /row 2 has 1 value, row 1 has 2/, '[3]');
      fails('np.array([[[1, 2], [3, 4]], [[5, 6]]])', /matrix 2 has 1 row, matrices 1–1 have 2|matrix 2 has 1 row/, '[[5, 6]]');
      fails('[[[[1]], [[2]]], [[[3]]]]', /has 1 matrix/, '[[[3]]]');
    });
    it('a number where a block was expected, and a block where a number was', () => {
      fails('[[[1, 2], [3, 4]], 5]', /a number where a list was expected/, '5', { problem: 'shape' });
      fails('[[1, 2], [[3, 4], [5, 6]]]', /a list where a number was expected/, '[3, 4]', { problem: 'shape' });
    });
    it('NaN and infinities are values, in each spelling', () => {
      parses('[[[nan, 1]], [[2, inf]]]', [2, 1, 2], [NaN, 1, 2, Infinity]);
      parses("np.array([[[np.nan, -np.inf]]])", [1, 1, 2], [NaN, -Infinity]);
      parses("torch.tensor([[[float('nan'), 0.5]]])", [1, 1, 2], [NaN, 0.5]);
      parses('[[[NaN, Infinity]]]', [1, 1, 2], [NaN, Infinity], 'javascript');
    });
    it('a stray token inside the tensor', () => {
      fails('[[[1, 2], [3, x]]]', /`x` is not a number/, 'x');
      fails('np.array([[[1, 2] [3, 4]]])', /expected `,` or `]` before `\[`/, '[', { occurrence: 3 });
    });
    it('rank 5 is refused with the ranks read', () => {
      fails('[[[[[1]]]]]', /nested 5 levels deep: Layer Lens reads tensors of 1 to 4 dimensions/, '[', { occurrence: 4, problem: 'shape' });
    });
    it('a huge rank-3 literal is refused by the value limit without reading on', function () {
      this.timeout(20_000);
      const side = Math.ceil(Math.cbrt(PARSE_MAX_ELEMENTS)) + 1;
      const row = `[${new Array(side).fill('1').join(',')}]`;
      const block = `[${new Array(side).fill(row).join(',')}]`;
      const text = `[${new Array(side).fill(block).join(',')}]`;
      assert.throws(() => parseMatrix(text), (e: Error & { problem?: string }) => /too large/.test(e.message) && e.problem === 'size');
      assert.throws(
        () => parseMatrix(`[[[0. ${'1. '.repeat(side * side * side)}]]]`),
        (e: Error & { problem?: string }) => /too large/.test(e.message) && e.problem === 'size',
      );
    });
  });

  describe('found around the cursor', () => {
    it('a rank-3 np.array in Python code, the whole call', () => {
      const text = 'x = 1\nvolume = np.array([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])\n';
      const found = findMatrixAt(text, text.indexOf('6'), 'python');
      assert.ok(found);
      assert.deepEqual(found.shape, [2, 2, 2]);
      assert.equal(text.slice(found.start, found.end), 'np.array([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])');
    });
    it("NumPy's print form pasted in a plain-text file: the whole tensor, not a MATLAB matrix", () => {
      const text = '>>> print(x)\n[[[1. 2.]\n  [3. 4.]]\n\n [[5. 6.]\n  [7. 8.]]]\nafter\n';
      const found = findMatrixAt(text, text.indexOf('6.'), 'plaintext');
      assert.ok(found);
      assert.deepEqual([found.shape, found.notation], [[2, 2, 2], 'numpy']);
      assert.equal(text.slice(found.start, found.end), '[[[1. 2.]\n  [3. 4.]]\n\n [[5. 6.]\n  [7. 8.]]]');
    });
    it("NumPy's repr pasted in a plain-text file: the list inside it", () => {
      const text = '>>> x\narray([[[1., 2.],\n        [3., 4.]]])\n';
      const found = findMatrixAt(text, text.indexOf('4.'), 'plaintext');
      assert.ok(found);
      assert.deepEqual(found.shape, [1, 2, 2]);
    });
  });
});
