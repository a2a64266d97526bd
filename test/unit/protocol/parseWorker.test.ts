/**
 * The engine worker reads selections and lists a document's literals for the kernel picker, so a
 * 2000×2000 selection never stalls the extension host: its requests and answers are checked like
 * every other worker message, and a ParseError comes back in words with its place.
 */
import * as assert from 'node:assert/strict';
import { answer, findMatricesIn } from '../../../src/core/worker/engineService';
import { isWorkerRequest, isWorkerResponse } from '../../../src/core/worker/protocol';

describe('engine worker: reading matrices', () => {
  it('reads a selection as one matrix, its buffer transferred', () => {
    const { response, transfer } = answer({ id: 7, op: 'parseMatrix', text: '  [[1, 2], [3, 4]] ', notation: 'python' });
    assert.ok(isWorkerResponse(response));
    assert.ok(response.ok && 'located' in response);
    assert.deepEqual([...response.located.tensor.shape], [2, 2]);
    assert.deepEqual([...response.located.tensor.data], [1, 2, 3, 4]);
    assert.deepEqual([response.located.start, response.located.end, response.located.notation], [2, 18, 'python']);
    assert.equal(transfer.length, 1);
  });

  it('answers a ragged selection with the parser’s words and place', () => {
    const { response } = answer({ id: 8, op: 'parseMatrix', text: '[[1, 2], [3]]' });
    assert.ok(isWorkerResponse(response));
    assert.ok(!response.ok && response.failure.kind === 'parse');
    assert.equal(response.failure.problem, 'shape');
    assert.ok(response.failure.range.end <= 13);
  });

  it('lists the literals around the input, at their offsets in the whole text', () => {
    const text = 'k = [[1, 1], [1, 1]]\nx = [[1, 2], [3, 4]]\nk3 = [[0, 1, 0], [1, 1, 1], [0, 1, 0]]\n';
    const x = text.indexOf('[[1, 2]');
    const end = x + '[[1, 2], [3, 4]]'.length;
    const pieces = [
      { text: text.slice(0, x), offset: 0 },
      { text: text.slice(end), offset: end },
    ];
    const found = findMatricesIn(pieces, 'python');
    assert.deepEqual(found.map((m) => text.slice(m.start, m.end)), ['[[1, 1], [1, 1]]', '[[0, 1, 0], [1, 1, 1], [0, 1, 0]]']);
    const { response, transfer } = answer({ id: 9, op: 'findMatrices', pieces, languageId: 'python' });
    assert.ok(isWorkerResponse(response) && response.ok && 'found' in response);
    assert.equal(response.found.length, 2);
    assert.equal(transfer.length, 2);
  });

  it('refuses malformed requests and answers', () => {
    assert.ok(isWorkerRequest({ id: 1, op: 'parseMatrix', text: '[1]' }));
    assert.ok(!isWorkerRequest({ id: 1, op: 'parseMatrix', text: 3 }));
    assert.ok(!isWorkerRequest({ id: 1, op: 'parseMatrix', text: '[1]', notation: 'fortran' }));
    assert.ok(isWorkerRequest({ id: 1, op: 'findMatrices', pieces: [{ text: 'x = [1]', offset: 12 }] }));
    assert.ok(!isWorkerRequest({ id: 1, op: 'findMatrices', pieces: [{ text: 'x = [1]', offset: -1 }] }));
    assert.ok(!isWorkerRequest({ id: 1, op: 'findMatrices', text: 'x = [1]' }), 'the text in pieces');
    const located = { tensor: { shape: [2], data: new Float64Array([1, 2]) }, start: 0, end: 6, notation: 'python' };
    assert.ok(isWorkerResponse({ id: 1, ok: true, located }));
    assert.ok(!isWorkerResponse({ id: 1, ok: true, located: { ...located, tensor: { shape: [3], data: new Float64Array(2) } } }), 'data shorter than its shape');
    assert.ok(!isWorkerResponse({ id: 1, ok: true, found: [{ start: 0, end: 1, shape: [1], data: [1], notation: 'python' }] }), 'data not a Float64Array');
    assert.ok(!isWorkerResponse({ id: 1, ok: false, failure: { kind: 'parse', problem: 'odd', message: 'x', range: { start: 0, end: 1 } } }));
  });
});
