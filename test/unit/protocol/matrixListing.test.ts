/**
 * Set Kernel's matrix list as the engine worker answers it (src/core/worker/matrixListing.ts):
 * 1-D and 2-D literals with place, line and preview and without their values; the guards on both
 * sides of the worker.
 */
import * as assert from 'node:assert/strict';
import { isListedMatrices, listMatrices } from '../../../src/core/worker/matrixListing';
import { answer } from '../../../src/core/worker/engineService';
import { isWorkerRequest, isWorkerResponse } from '../../../src/core/worker/protocol';

describe('Set Kernel’s matrix list in the engine worker', () => {
  const text = ['import numpy as np', 'k = np.array([[1, 2],', '              [3, 4]])', 'cube = np.zeros((2, 2, 2))', `long = [${Array.from({ length: 60 }, (_, i) => i).join(', ')}]`].join('\n');

  it('lists the 1-D and 2-D literals with their line and a one-line preview, and no values', () => {
    const { response } = answer({ id: 3, op: 'listMatrices', text, languageId: 'python' });
    assert.ok(isWorkerResponse(response));
    assert.ok(response.ok && 'matrices' in response);
    assert.deepEqual(
      response.matrices.map((m) => [m.shape, m.line]),
      [
        [[2, 2], 1],
        [[60], 4],
      ],
    );
    assert.equal(response.matrices[0]?.preview, 'np.array([[1, 2], [3, 4]])');
    assert.equal(text.slice(response.matrices[0]!.start, response.matrices[0]!.end), 'np.array([[1, 2],\n              [3, 4]])');
    assert.equal(response.matrices[1]?.preview.length, 80);
    assert.ok(response.matrices[1]?.preview.endsWith('…'));
    assert.ok(!('data' in (response.matrices[0] as object)));
  });

  it('lists nothing for a text without matrices, and the guards refuse malformed messages', () => {
    assert.deepEqual(listMatrices('x = f(1) + "[not, numbers]"', 'python'), []);
    assert.ok(!isWorkerRequest({ id: 1, op: 'listMatrices', text: 3, languageId: 'python' }));
    assert.ok(!isListedMatrices([{ shape: [2, 2, 2], start: 0, end: 1, line: 0, preview: '' }]));
    assert.ok(!isListedMatrices([{ shape: [2], start: -1, end: 1, line: 0, preview: '' }]));
    assert.ok(!isWorkerResponse({ id: 1, ok: true, matrices: [{ shape: [2], start: 0, end: 1, line: 0 }] }));
  });
});
