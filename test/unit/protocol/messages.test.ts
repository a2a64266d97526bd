import * as assert from 'node:assert/strict';
import { isFromTransposedMessage, isPersistedTransposedState, isToTransposedMessage, type TransposedConvolutionLayer } from '../../../src/core/protocol/transposed';
import { persistMatrix, restoreMatrix } from '../../../src/core/protocol/common';

const matrix = (rows: number, cols: number) => ({ rows, cols, data: new Float64Array(rows * cols) });
const params = { stride: [1, 1], padding: [0, 0], outputPadding: [0, 0], dilation: [1, 1] } as const;
const layer: TransposedConvolutionLayer = { input: matrix(2, 2), kernel: matrix(2, 2), params, source: 'textbook.py:5' };

describe('host ↔ panel protocol guards', () => {
  it('accepts every well-formed message', () => {
    assert.ok(isToTransposedMessage({ type: 'show', snapshot: { kind: 'ready', layer } }));
    assert.ok(isToTransposedMessage({ type: 'show', snapshot: { kind: 'empty' } }));
    assert.ok(isToTransposedMessage({ type: 'show', snapshot: { kind: 'pending', waitingFor: 'Choose the stride' } }));
    assert.ok(isToTransposedMessage({ type: 'show', snapshot: { kind: 'invalid', problems: ['stride (0) must be at least 1'] } }));
    assert.ok(isToTransposedMessage({ type: 'reveal', section: 'overlap' }));
    assert.ok(isToTransposedMessage({ type: 'selectCell', row: 0, col: 21 }));
    assert.ok(isFromTransposedMessage({ type: 'ready' }));
    assert.ok(isFromTransposedMessage({ type: 'paramsChanged', params: { ...params, stride: [2, 2] } }));
  });

  it('rejects messages of unknown type or with malformed data', () => {
    assert.ok(!isToTransposedMessage({ type: 'run', code: 'alert(1)' }));
    assert.ok(!isToTransposedMessage({ type: 'reveal', section: 'footer' }));
    assert.ok(!isToTransposedMessage({ type: 'selectCell', row: -1, col: 0 }));
    assert.ok(!isToTransposedMessage({ type: 'selectCell', row: 1.5, col: 0 }));
    assert.ok(!isToTransposedMessage({ type: 'selectCell', row: 1 }));
    assert.ok(!isToTransposedMessage({ type: 'show', snapshot: { kind: 'ready', layer: { ...layer, kernel: { rows: 3, cols: 3, data: new Float64Array(8) } } } }));
    assert.ok(!isToTransposedMessage({ type: 'show', snapshot: { kind: 'ready', layer: { ...layer, input: { rows: 2, cols: 2, data: [0, 0, 0, 0] } } } }));
    assert.ok(!isToTransposedMessage({ type: 'show', snapshot: { kind: 'ready', layer: { ...layer, params: { ...params, stride: [1] } } } }));
    assert.ok(!isToTransposedMessage({ type: 'show', snapshot: { kind: 'invalid', problems: [42] } }));
    assert.ok(!isToTransposedMessage({ type: 'show', snapshot: { kind: 'pending' } }));
    assert.ok(!isToTransposedMessage({ type: 'show', snapshot: { kind: 'ready', layer: { ...layer, source: 5 } } }));
    assert.ok(!isFromTransposedMessage({ type: 'rendered' }));
    assert.ok(!isFromTransposedMessage({ type: 'paramsChanged', params: { ...params, padding: [-1, 0] } }));
    assert.ok(!isFromTransposedMessage(null));
    assert.ok(!isFromTransposedMessage('ready'));
  });

  it('keeps NaN and infinities through the JSON of a persisted state, and checks what comes back', () => {
    const data = new Float64Array([1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    const persisted = persistMatrix({ rows: 2, cols: 2, data });
    const state = JSON.parse(JSON.stringify({ layer: { input: persisted, kernel: persisted, params }, step: 3, speed: 2, selectedCell: [1, 1] })) as unknown;
    assert.ok(isPersistedTransposedState(state));
    assert.deepEqual([...restoreMatrix(state.layer!.input).data], [...data]);
    assert.ok(isPersistedTransposedState({ step: 0, speed: 1 }));
    assert.ok(!isPersistedTransposedState({ step: -1, speed: 1 }));
    assert.ok(!isPersistedTransposedState({ step: 0, speed: 0 }));
    assert.ok(!isPersistedTransposedState({ step: 0, speed: 1, layer: { input: { rows: 1, cols: 2, values: [1, null] }, kernel: persisted, params } }));
  });

  it('checks the write-back, copy, insert and save messages and the links the panel is told about', () => {
    assert.ok(isToTransposedMessage({ type: 'show', snapshot: { kind: 'ready', layer: { ...layer, links: { input: 'textbook.py:5', insertUnavailable: 'why' } } } }));
    assert.ok(!isToTransposedMessage({ type: 'show', snapshot: { kind: 'ready', layer: { ...layer, links: { input: 5 } } } }));
    assert.ok(isToTransposedMessage({ type: 'notice', tone: 'error', text: 'no' }));
    assert.ok(!isToTransposedMessage({ type: 'notice', tone: 'loud', text: 'no' }));
    assert.ok(isFromTransposedMessage({ type: 'editCell', operand: 'kernel', row: 0, col: 1, value: Number.NaN }));
    assert.ok(!isFromTransposedMessage({ type: 'editCell', operand: 'output', row: 0, col: 1, value: 2 }));
    assert.ok(!isFromTransposedMessage({ type: 'editCell', operand: 'input', row: -1, col: 1, value: 2 }));
    assert.ok(!isFromTransposedMessage({ type: 'editCell', operand: 'input', row: 0, col: 1, value: '2' }));
    assert.ok(isFromTransposedMessage({ type: 'copy' }));
    assert.ok(isFromTransposedMessage({ type: 'copy', target: { kind: 'snippet' } }));
    assert.ok(isFromTransposedMessage({ type: 'copy', target: { kind: 'matrix', matrix: 'output', format: 'latex' } }));
    assert.ok(!isFromTransposedMessage({ type: 'copy', target: { kind: 'matrix', matrix: 'output', format: 'excel' } }));
    assert.ok(isFromTransposedMessage({ type: 'insertResult' }));
    assert.ok(isFromTransposedMessage({ type: 'saveImage', format: 'png', bytes: new Uint8Array([137, 80]) }));
    assert.ok(!isFromTransposedMessage({ type: 'saveImage', format: 'png', bytes: 'iVBORw0KGgo=' }));
    assert.ok(!isFromTransposedMessage({ type: 'saveImage', format: 'bmp', bytes: new Uint8Array([1]) }));
    assert.ok(!isFromTransposedMessage({ type: 'saveImage', format: 'gif', bytes: new Uint8Array(0) }));
  });
});
