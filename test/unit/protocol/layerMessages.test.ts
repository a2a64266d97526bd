import * as assert from 'node:assert/strict';
import { isFromLayerMessage, isGatherLayerCall, isPersistedLayerState, isToLayerMessage, persistLayerState, restoreLayerCall, type LayerSnapshot } from '../../../src/core/protocol/layer';
import type { GatherLayerCall } from '../../../src/core/engine/index';

const tensor = (shape: number[], values?: number[]) => ({ shape, data: Float64Array.from(values ?? new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(1)) });
const conv: GatherLayerCall = { op: 'conv2d', input: tensor([3, 3]), weight: tensor([2, 2]), options: { stride: [1, 1], padding: 'same' } };
const pool: GatherLayerCall = { op: 'maxPool2d', input: tensor([4, 4], [1, Number.NaN, Infinity, -Infinity, ...new Array<number>(12).fill(0)]), options: { kernelSize: 2, ceilMode: true } };

describe('host ↔ layer panel protocol guards', () => {
  it('accepts well-formed layers, snapshots and messages', () => {
    assert.ok(isGatherLayerCall(conv));
    assert.ok(isGatherLayerCall(pool));
    const ready: LayerSnapshot = { kind: 'ready', call: conv, source: 'model.py:3' };
    assert.ok(isToLayerMessage({ type: 'show', snapshot: ready }));
    assert.ok(isToLayerMessage({ type: 'show', snapshot: { kind: 'invalid', problems: ['no'] } }));
    assert.ok(isToLayerMessage({ type: 'show', snapshot: { kind: 'working', text: 'Computing the convolution of the 2000×2000 input…' } }));
    assert.ok(isToLayerMessage({ type: 'notice', tone: 'info', text: 'Copied.' }));
    assert.ok(isFromLayerMessage({ type: 'ready' }));
    assert.ok(isFromLayerMessage({ type: 'paramsChanged', call: pool }));
    assert.ok(isFromLayerMessage({ type: 'copy', matrix: 'output', format: 'numpy' }));
  });

  it('rejects layers and messages of the wrong form', () => {
    assert.ok(!isGatherLayerCall({ ...conv, op: 'convTranspose2d' }), 'not a gathering layer');
    assert.ok(!isGatherLayerCall({ op: 'conv2d', input: conv.input, options: {} }), 'convolution without a weight');
    assert.ok(!isGatherLayerCall({ ...pool, weight: tensor([1, 1]) }), 'pooling with a weight');
    assert.ok(!isGatherLayerCall({ ...pool, input: { shape: [4, 4], data: new Float64Array(15) } }), 'data shorter than the shape');
    assert.ok(!isGatherLayerCall({ ...pool, input: { shape: [2, 2], data: [1, 2, 3, 4] } }), 'data not a Float64Array');
    assert.ok(!isGatherLayerCall({ ...pool, options: { kernelSize: () => 2 } }), 'a function in the options');
    assert.ok(!isGatherLayerCall({ ...pool, options: [2] }), 'options as an array');
    assert.ok(!isToLayerMessage({ type: 'gatherSelectCell', index: 1 }));
    assert.ok(!isToLayerMessage({ type: 'show', snapshot: { kind: 'ready' } }));
    assert.ok(!isToLayerMessage({ type: 'show', snapshot: { kind: 'working' } }), 'working without its sentence');
    assert.ok(!isToLayerMessage({ type: 'show', snapshot: { kind: 'working', text: 3 } }));
    assert.ok(!isFromLayerMessage({ type: 'copy', matrix: 'kernel' }), 'the weight is called weight');
    assert.ok(!isFromLayerMessage({ type: 'copy', matrix: 'output', format: 'csv' }));
    assert.ok(!isFromLayerMessage({ type: 'show' }));
  });

  it('keeps a layer, NaN and infinities included, through the JSON of a persisted state', () => {
    const state = JSON.parse(JSON.stringify(persistLayerState(pool, 'a.py:1', 5))) as unknown;
    assert.ok(isPersistedLayerState(state));
    const back = restoreLayerCall(state);
    assert.ok(back);
    assert.equal(back.op, 'maxPool2d');
    assert.deepEqual(back.input.shape, [4, 4]);
    back.input.data.forEach((v, i) => assert.ok(Object.is(v, pool.input.data[i])));
    assert.deepEqual(back.options, pool.options);
    assert.ok(!isPersistedLayerState({ ...(state as object), step: -1 }));
    assert.ok(!isPersistedLayerState({ ...(state as object), weight: { shape: [1], values: [1] } }), 'pooling has no weight');
  });
});
