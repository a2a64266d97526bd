import * as assert from 'node:assert/strict';
import type { Tensor } from '../../../src/core/engine/tensor';
import { parseMatrix, type Notation } from '../../../src/core/parse/index';
import { assignedName, insertUnavailableReason, resultStatement, rewriteLiteral, statementEndLine } from '../../../src/core/text/literalText';

const t = (shape: number[], values: number[]): Tensor => ({ shape, data: Float64Array.from(values) });

/** Rewrites `original` with `values` and checks the text reads back as exactly those values. */
function rewrite(original: string, notation: Notation, shape: number[], values: number[], linePrefix = 'x = '): string {
  const text = rewriteLiteral(original, t(shape, values), notation, linePrefix);
  const back = parseMatrix(text, notation);
  assert.deepEqual([...back.shape], shape);
  assert.deepEqual([...back.data], values);
  return text;
}

describe('write-back literal text', () => {
  it('keeps a one-line Python list on one line', () => {
    assert.equal(rewrite('[[1, 2], [3, 4]]', 'python', [2, 2], [5, 2, 3, 4]), '[[5, 2], [3, 4]]');
  });

  it('aligns a multi-line literal’s rows under its first bracket', () => {
    assert.equal(rewrite('[[1, 2],\n     [3, 4]]', 'python', [2, 2], [1, 2, 3, -0.5], 'kernel = '), '[[1, 2],\n          [3, -0.5]]');
    assert.equal(rewrite('[[1, 2],\n [3, 4]]', 'python', [2, 2], [1, 2, 3, 7], '\tx = '), '[[1, 2],\n\t     [3, 7]]');
  });

  it('keeps a constructor call’s name and dtype, and float spelling where ints would change the type', () => {
    assert.equal(rewrite('np.array([[1, 2], [3, 4]], dtype=np.float32)', 'numpy', [2, 2], [9, 2, 3, 4]), 'np.array([[9, 2], [3, 4]], dtype=np.float32)');
    assert.equal(rewrite('torch.tensor([[1., 2.], [3., 4.]])', 'torch', [2, 2], [1, 2.5, 3, 4]), 'torch.tensor([[1.0, 2.5], [3.0, 4.0]])');
    assert.equal(rewrite('[1.0 2; 3 4]', 'julia', [2, 2], [1, 2, 3, 5]), '[1.0 2.0; 3.0 5.0]');
    // A mixed literal that keeps a float keeps its integers as they are.
    assert.equal(rewrite('[[1, 2], [-0.5, 4]]', 'python', [2, 2], [1, 7, -0.5, 4]), '[[1, 7], [-0.5, 4]]');
  });

  it('writes MATLAB, R and Mathematica in their own syntax', () => {
    assert.equal(rewrite('[1 2; 3 4]', 'matlab', [2, 2], [1, 2, 3, Number.NaN]), '[1 2; 3 NaN]');
    assert.equal(rewrite('matrix(c(1, 2, 3, 4), nrow = 2, byrow = TRUE)', 'r', [2, 2], [1, 2, 3, 8]), 'matrix(c(1, 2, 3, 8), nrow = 2, ncol = 2, byrow = TRUE)');
    assert.equal(rewrite('{{1, 2}, {3, 4}}', 'mathematica', [2, 2], [1, 2e-20, 3, 4]), '{{1, 2*^-20}, {3, 4}}');
  });

  it('keeps a LaTeX environment, a Markdown header and a CSV file’s missing final newline', () => {
    assert.equal(rewrite('\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}', 'latex', [2, 2], [1, 2, 3, 6]), '\\begin{pmatrix} 1 & 2 \\\\ 3 & 6 \\end{pmatrix}');
    assert.equal(rewrite('| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |', 'markdown', [2, 2], [1, 2, 0, 4], ''), '| a | b |\n|---|---|\n| 1 | 2 |\n| 0 | 4 |');
    assert.equal(rewrite('1,2\n3,4', 'csv', [2, 2], [1, 2, 3, 4.5], ''), '1,2\n3,4.5');
  });

  it('keeps a 1-D list 1-D', () => {
    assert.equal(rewrite('[1, 2, 3]', 'python', [3], [1, 20, 3]), '[1, 20, 3]');
  });

  it('names the result after the input and writes it as a statement of the notation', () => {
    assert.equal(assignedName('x = '), 'x');
    assert.equal(assignedName('    weights: np.ndarray = '), 'weights');
    assert.equal(assignedName('const k = '), 'k');
    assert.equal(assignedName('m <- '), 'm');
    assert.equal(assignedName('f('), undefined);
    const out = t([2, 2], [1, 3, 2, 4]);
    assert.equal(resultStatement('python', 'x', out, '    '), '    x_out = [[1, 3],\n             [2, 4]]');
    assert.equal(resultStatement('matlab', 'x', out, ''), 'x_out = [1 3;\n         2 4];');
    assert.equal(resultStatement('javascript', undefined, out, ''), 'const layer_out = [[1, 3],\n                   [2, 4]];');
    assert.equal(resultStatement('mathematica', 'my_x', out, ''), 'myXOut = {{1, 3},\n          {2, 4}};');
    assert.equal(resultStatement('r', 'x', t([1, 1], [2]), ''), 'x_out <- matrix(c(2), nrow = 1, ncol = 1, byrow = TRUE)');
  });

  it('offers only copying where a new statement makes no sense, and says why', () => {
    for (const notation of ['json', 'csv', 'tsv', 'latex', 'markdown'] as const) {
      assert.match(insertUnavailableReason(notation) ?? '', /copy/i, notation);
      assert.equal(resultStatement(notation, 'x', t([1, 1], [1]), ''), undefined);
    }
    assert.equal(insertUnavailableReason('numpy'), undefined);
  });

  it('finds the end of the statement holding the literal', () => {
    const lines = ['x = np.array([[1, 2],', '              [3, 4]],', "             dtype=float)  # (", 'y = 2'];
    assert.equal(statementEndLine((i) => lines[i] as string, 0, lines.length, 1, 'numpy'), 2);
    const continued = ['x = [[1, 2]] + \\', '    [[3, 4]]', 'z = 1'];
    assert.equal(statementEndLine((i) => continued[i] as string, 0, continued.length, 0, 'python'), 1);
    const matlab = ['x = [1 2; ...', "     3 4]; % it's [", 'y'];
    assert.equal(statementEndLine((i) => matlab[i] as string, 0, matlab.length, 1, 'matlab'), 1);
  });
});
