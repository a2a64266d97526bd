/**
 * The volume panel's messages and the worker's 1-D and 3-D layer request (src/core/protocol/volume.ts,
 * src/core/worker/protocol.ts, src/core/engine/volumeLayer.ts): what each side accepts, what it
 * refuses, and that the worker's answer is the engine's output.
 */
import * as assert from 'node:assert/strict';
import { convTranspose1d, convTranspose3d, maxPool3d, tensor } from '../../../src/core/engine/index';
import { liftedCall, liftToLayer, runVolumeLayer, volumeLayerShape } from '../../../src/core/engine/volumeLayer';
import { isFromVolumeMessage, isPersistedVolumeState, isToVolumeMessage, isVolumeLayerCall, persistVolumeState, restoredVolumeSnapshot, spatialRank } from '../../../src/core/protocol/volume';
import { answer } from '../../../src/core/worker/engineService';
import { isWorkerRequest, isWorkerResponse } from '../../../src/core/worker/protocol';

const sequence = tensor([1, 1, 4], [1, 2, 3, 4]);
const kernel1 = tensor([1, 1, 3], [1, 1, 1]);
const call1 = { op: 'convTranspose1d', input: sequence, weight: kernel1, options: { stride: 2 } } as const;

describe('volume panel protocol', () => {
  it('accepts a 1-D or 3-D call with a weight exactly when the op takes one', () => {
    assert.ok(isVolumeLayerCall(call1));
    assert.ok(isVolumeLayerCall({ op: 'maxPool3d', input: tensor([1, 1, 2, 2, 2], new Array(8).fill(0)), options: { kernelSize: 2 } }));
    assert.ok(!isVolumeLayerCall({ ...call1, weight: undefined }), 'a transposed convolution needs its weight');
    assert.ok(!isVolumeLayerCall({ op: 'maxPool1d', input: sequence, weight: kernel1, options: {} }), 'pooling has no weight');
    assert.ok(!isVolumeLayerCall({ ...call1, op: 'convTranspose2d' }), '2-D ops belong to the other panels');
    assert.ok(!isVolumeLayerCall({ ...call1, input: { shape: [1, 1, 5], data: new Float64Array(4) } }), 'data must match the shape');
    assert.ok(!isVolumeLayerCall({ ...call1, options: { stride: { nested: 1 } } }), 'options are plain values');
    assert.ok(!isVolumeLayerCall({ ...call1, options: { stride: [1, 2, 3, 4] } }), 'at most three values per option');
  });

  it('checks the messages both ways', () => {
    assert.ok(isToVolumeMessage({ type: 'show', snapshot: { kind: 'ready', call: call1 } }));
    assert.ok(isToVolumeMessage({ type: 'show', snapshot: { kind: 'invalid', problems: ['why'] } }));
    assert.ok(isToVolumeMessage({ type: 'notice', tone: 'info', text: 'copied' }));
    assert.ok(!isToVolumeMessage({ type: 'show', snapshot: { kind: 'ready', call: { ...call1, op: 'conv9d' } } }));
    assert.ok(!isToVolumeMessage({ type: 'show', snapshot: { kind: 'working' } }));
    assert.ok(isFromVolumeMessage({ type: 'ready' }));
    assert.ok(!isFromVolumeMessage({ type: 'copy', matrix: 'input' }));
  });

  it('checks the step player’s messages: where it opens, a section to reveal, where it came to rest', () => {
    assert.ok(isToVolumeMessage({ type: 'show', snapshot: { kind: 'ready', call: call1, step: 3 } }));
    assert.ok(!isToVolumeMessage({ type: 'show', snapshot: { kind: 'ready', call: call1, step: -1 } }));
    assert.ok(!isToVolumeMessage({ type: 'show', snapshot: { kind: 'ready', call: call1, step: 1.5 } }));
    assert.ok(isToVolumeMessage({ type: 'reveal', section: 'overlap' }));
    assert.ok(isToVolumeMessage({ type: 'reveal', section: 'steps' }));
    assert.ok(!isToVolumeMessage({ type: 'reveal', section: 'formulas' }));
    assert.ok(!isToVolumeMessage({ type: 'reveal' }));
    assert.ok(isFromVolumeMessage({ type: 'stepShown', player: 'gather', step: 0, stepCount: 8 }));
    assert.ok(isFromVolumeMessage({ type: 'stepShown', player: 'scatter', step: 8, stepCount: 8 }));
    assert.ok(!isFromVolumeMessage({ type: 'stepShown', player: 'bounce', step: 0, stepCount: 8 }));
    assert.ok(!isFromVolumeMessage({ type: 'stepShown', player: 'gather', step: '2', stepCount: 8 }));
    assert.ok(!isFromVolumeMessage({ type: 'stepShown', player: 'gather', step: 2 }));
  });

  it('reads a sequence [L] or a volume [D, H, W] as one image of one channel', () => {
    assert.equal(spatialRank('conv1d'), 1);
    assert.equal(spatialRank('upsample3d'), 3);
    assert.deepEqual(liftToLayer(tensor([4], [1, 2, 3, 4]), 'convTranspose1d').shape, [1, 1, 4]);
    assert.deepEqual(liftToLayer(tensor([2, 3, 4], new Array(24).fill(1)), 'convTranspose3d').shape, [1, 1, 2, 3, 4]);
    // An unbatched [C, L] is left for the engine, which accepts it as PyTorch does.
    assert.deepEqual(liftToLayer(tensor([2, 4], new Array(8).fill(1)), 'conv1d').shape, [2, 4]);
    const lifted = liftedCall({ op: 'convTranspose3d', input: tensor([2, 2, 2], new Array(8).fill(1)), weight: tensor([2, 2, 2], new Array(8).fill(1)), options: {} });
    assert.deepEqual(lifted.weight?.shape, [1, 1, 2, 2, 2]);
    assert.throws(() => liftedCall({ op: 'conv1d', input: sequence, options: {} }), /needs a weight/);
  });

  it('runs each op as the engine does and sizes it first', () => {
    assert.deepEqual(runVolumeLayer(call1), convTranspose1d(sequence, kernel1, { stride: 2 }));
    assert.deepEqual(volumeLayerShape(call1).shape, [1, 1, 9]);
    const volume = tensor([1, 1, 2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(runVolumeLayer({ op: 'maxPool3d', input: volume, options: { kernelSize: 2 } }), maxPool3d(volume, { kernelSize: 2 }));
    assert.throws(() => volumeLayerShape({ ...call1, options: { stride: 0 } }), /stride/);
  });

  it('answers a worker request for a 3-D transposed convolution with the engine output', () => {
    const input = tensor([1, 1, 2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    const weight = tensor([1, 2, 2, 2, 2], Array.from({ length: 16 }, (_, i) => i - 7.5));
    const request = { id: 7, op: 'volumeLayer', call: { op: 'convTranspose3d', input, weight, options: { stride: 2, padding: [0, 1, 0] } } };
    assert.ok(isWorkerRequest(request));
    assert.ok(!isWorkerRequest({ ...request, call: { ...request.call, weight: undefined } }));
    const { response } = answer(request);
    assert.ok(isWorkerResponse(response));
    assert.ok(response.ok && 'output' in response);
    assert.deepEqual(response.output, convTranspose3d(input, weight, { stride: 2, padding: [0, 1, 0] }));
    const refused = answer({ ...request, call: { ...request.call, options: { stride: -1 } } }).response;
    assert.ok(!refused.ok && refused.failure.kind === 'layer');
  });

  describe('kept across a reload (the page’s setState)', () => {
    const through = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

    it('brings back the call, its source and the step, values exactly, NaN and infinities too', () => {
      const input = tensor([1, 1, 4], [0.1, Number.NaN, -Infinity, 3]);
      const kept = through(persistVolumeState({ ...call1, input }, 'nn.ConvTranspose1d, model.py:12', 5));
      const restored = restoredVolumeSnapshot(kept);
      assert.ok(restored);
      assert.equal(restored.step, 5);
      assert.equal(restored.source, 'nn.ConvTranspose1d, model.py:12');
      assert.equal(restored.call.op, 'convTranspose1d');
      assert.deepEqual(restored.call.options, { stride: 2 });
      assert.deepEqual(Array.from(restored.call.input.data), [0.1, Number.NaN, -Infinity, 3]);
      assert.deepEqual(restored.call.weight?.shape, [1, 1, 3]);
      assert.ok(isToVolumeMessage({ type: 'show', snapshot: restored }), 'what the host sends the page after the reload');
    });

    it('reads the state as this version writes it (pinned: a panel saved now must come back after an update)', () => {
      const saved = { op: 'conv1d', input: { shape: [1, 1, 4], values: [0, 7, 4, 1] }, weight: { shape: [1, 1, 3], values: [1, 1, 1] }, options: { stride: 2, padding: 1 }, source: 'nn.Conv1d at wavegan.py:48, on an example 4 input', step: 1 };
      assert.deepEqual(through(persistVolumeState(restoredVolumeSnapshot(saved)!.call, saved.source, 1)), saved);
    });

    it('a pool without a weight and without a source', () => {
      const pool = { op: 'maxPool3d', input: tensor([2, 2, 2], new Array(8).fill(1)), options: { kernelSize: 2 } } as const;
      const restored = restoredVolumeSnapshot(through(persistVolumeState(pool, undefined, 0)));
      assert.deepEqual(restored && { op: restored.call.op, shape: restored.call.input.shape, weight: restored.call.weight, source: restored.source, step: restored.step }, { op: 'maxPool3d', shape: [2, 2, 2], weight: undefined, source: undefined, step: 0 });
    });

    it('refuses a state that is not one: nothing kept, another panel’s, a weight missing or extra, values that do not fill the shape', () => {
      const kept = through(persistVolumeState(call1, undefined, 1)) as Record<string, unknown>;
      assert.ok(isPersistedVolumeState(kept));
      for (const bad of [undefined, null, 'layer', { op: 'conv2d', input: kept.input, options: {}, step: 0 }, { ...kept, weight: undefined }, { ...kept, op: 'maxPool1d' }, { ...kept, input: { shape: [1, 1, 5], values: [1, 2] } }, { ...kept, step: -1 }, { ...kept, options: { stride: { deep: 1 } } }]) {
        assert.equal(restoredVolumeSnapshot(bad), undefined, JSON.stringify(bad));
      }
    });
  });
});
