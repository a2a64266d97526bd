/**
 * The checkpoint editor's messages (src/core/protocol/checkpoint.ts): what each side accepts, and
 * what it drops before acting on it.
 */
import * as assert from 'node:assert/strict';
import { isFromCheckpointMessage, isToCheckpointMessage, MAX_STATS_REQUEST } from '../../../src/core/protocol/checkpoint';

describe('checkpoint editor messages', () => {
  it('the host accepts the page’s requests and drops malformed ones', () => {
    assert.ok(isFromCheckpointMessage({ type: 'ready' }));
    assert.ok(isFromCheckpointMessage({ type: 'stats', names: ['main.0.weight'] }));
    assert.ok(isFromCheckpointMessage({ type: 'setStride', name: 'main.3', stride: 4 }));
    assert.ok(isFromCheckpointMessage({ type: 'pairSource' }));
    assert.equal(isFromCheckpointMessage({ type: 'stats', names: new Array(MAX_STATS_REQUEST + 1).fill('w') }), false, 'more names than a page shows');
    assert.equal(isFromCheckpointMessage({ type: 'setStride', name: 'main.3', stride: 0 }), false);
    assert.equal(isFromCheckpointMessage({ type: 'setStride', name: 'main.3', stride: 2.5 }), false);
    assert.equal(isFromCheckpointMessage({ type: 'openLayer' }), false);
    assert.equal(isFromCheckpointMessage({ type: 'runPickle', name: 'x' }), false);
  });

  it('the page accepts a snapshot, statistics with NaN, and refuses a snapshot that is data and error at once', () => {
    const ready = { kind: 'ready', fileName: 'g.onnx', format: 'onnx', tensors: [{ name: 'w', shape: [2, 2], dtype: 'FLOAT', size: 4 }], listedInMs: 1.5 };
    assert.ok(isToCheckpointMessage({ type: 'show', snapshot: ready }));
    assert.ok(isToCheckpointMessage({ type: 'show', snapshot: { kind: 'invalid', fileName: 'g.onnx', problems: ['cut short'] } }));
    assert.ok(isToCheckpointMessage({ type: 'stats', stats: [{ name: 'w', min: Number.NaN, max: Number.NaN, mean: Number.NaN, std: Number.NaN, nonFinite: 4, histogram: [] }] }));
    assert.equal(isToCheckpointMessage({ type: 'show', snapshot: { ...ready, format: 'pickle' } }), false);
    assert.equal(isToCheckpointMessage({ type: 'show', snapshot: { ...ready, kind: 'invalid' } }), false);
    assert.equal(isToCheckpointMessage({ type: 'stats', stats: [{ name: 'w', min: 0, max: 1, mean: 0.5, std: 0.1, nonFinite: 0, histogram: new Array(25).fill(1) }] }), false, 'more bins than the page draws');
  });
});
