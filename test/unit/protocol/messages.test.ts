import * as assert from 'node:assert/strict';
import { isFromWebviewMessage, isToWebviewMessage, type TransposedConvolutionView } from '../../../src/protocol/messages';

const matrix = (rows: number, cols: number) => ({ rows, cols, data: new Float64Array(rows * cols) });
const view: TransposedConvolutionView = {
  input: matrix(2, 2),
  kernel: matrix(2, 2),
  output: matrix(3, 3),
  params: { stride: [1, 1], padding: [0, 0], outputPadding: [0, 0], dilation: [1, 1] },
  formulas: [{ axis: 'H', text: 'H_out = 3' }],
  source: 'textbook.py:5',
};

describe('host ↔ panel protocol guards', () => {
  it('accepts every well-formed message', () => {
    assert.ok(isToWebviewMessage({ type: 'show', snapshot: { kind: 'ready', view } }));
    assert.ok(isToWebviewMessage({ type: 'show', snapshot: { kind: 'empty' } }));
    assert.ok(isToWebviewMessage({ type: 'show', snapshot: { kind: 'invalid', problems: ['stride (0) must be at least 1'] } }));
    assert.ok(isFromWebviewMessage({ type: 'ready' }));
  });

  it('rejects messages of unknown type or with malformed data', () => {
    assert.ok(!isToWebviewMessage({ type: 'run', code: 'alert(1)' }));
    assert.ok(!isToWebviewMessage({ type: 'show', snapshot: { kind: 'ready', view: { ...view, output: { rows: 3, cols: 3, data: new Float64Array(8) } } } }));
    assert.ok(!isToWebviewMessage({ type: 'show', snapshot: { kind: 'ready', view: { ...view, input: { rows: 2, cols: 2, data: [0, 0, 0, 0] } } } }));
    assert.ok(!isToWebviewMessage({ type: 'show', snapshot: { kind: 'ready', view: { ...view, params: { ...view.params, stride: [1] } } } }));
    assert.ok(!isToWebviewMessage({ type: 'show', snapshot: { kind: 'invalid', problems: [42] } }));
    assert.ok(!isToWebviewMessage({ type: 'show', snapshot: { kind: 'ready', view: { ...view, source: 5 } } }));
    assert.ok(!isFromWebviewMessage({ type: 'rendered' }));
    assert.ok(!isFromWebviewMessage(null));
    assert.ok(!isFromWebviewMessage('ready'));
  });
});
