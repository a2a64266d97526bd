import * as assert from 'node:assert/strict';
import { assignedName, findMatrices } from '../../../src/core/parse/index';

/** The names of the literals `findMatrices` finds in `text`, in order. */
function names(text: string, languageId: string): (string | undefined)[] {
  return findMatrices(text, languageId).map((m) => assignedName(text, m.start));
}

describe('assignedName', () => {
  it('Python: plain, annotated, attribute, walrus and keyword targets', () => {
    const text = [
      'import numpy as np',
      'k3 = np.array([[1, 0], [0, -1]])',
      'w: np.ndarray = np.array([[1, 2], [3, 4]])',
      'self.kernel = torch.tensor([[1.0, 2.0]])',
      'if (b := [[1, 2], [3, 4]]): pass',
      'y = f(weight=[[5, 6], [7, 8]])',
    ].join('\n');
    assert.deepEqual(names(text, 'python'), ['k3', 'w', 'self.kernel', 'b', 'weight']);
  });

  it('R, MATLAB, Julia and JavaScript assignments', () => {
    assert.deepEqual(names('k3 <- matrix(c(1, 2, 3, 4), nrow = 2)\nk4 <<- matrix(c(1, 2), nrow = 1)', 'r'), ['k3', 'k4']);
    assert.deepEqual(names('k3 = [1 2; 3 4];\nx=[5 6; 7 8];', 'matlab'), ['k3', 'x']);
    assert.deepEqual(names('k3 = [1 2; 3 4]', 'julia'), ['k3']);
    assert.deepEqual(names('const k3 = [[1, 2], [3, 4]];\nlet x: number[][] = [[1]];', 'javascript'), ['k3', 'x']);
  });

  it('no name when the literal is not what is assigned', () => {
    assert.deepEqual(names('print([[1, 2], [3, 4]])\nif k == [[1, 2], [3, 4]]: pass\nk += [[1, 2], [3, 4]]', 'python'), [undefined, undefined, undefined]);
    assert.deepEqual(names('| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n', 'markdown'), [undefined]);
    assert.equal(assignedName('k = \n[[1, 2]]', 10), undefined, 'the assignment must be on the literal’s line');
    assert.equal(assignedName('[[1, 2]]', 0), undefined);
  });
});
