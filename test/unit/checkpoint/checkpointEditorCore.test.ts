/**
 * The pure parts of the checkpoint editor: a tensor's statistics computed in chunks, the audit as
 * the page draws it (worst channels first, stride choices), and an audited layer as the
 * transposed-convolution panel opens it (the trained kernel, in PyTorch's layout whatever the file's).
 */
import * as assert from 'node:assert/strict';
import { auditCheckpoint } from '../../../src/core/checkpoint/audit';
import { auditView, strideChoices } from '../../../src/core/checkpoint/auditView';
import { runToEnd, tensorStats } from '../../../src/core/checkpoint/tensorStats';
import { MAX_KERNEL_VALUES, trainedKernelArguments } from '../../../src/core/checkpoint/trainedKernel';
import type { Checkpoint, CheckpointLayer, CheckpointTensor } from '../../../src/core/checkpoint/types';
import { isAuditView, isTensorStats } from '../../../src/core/protocol/checkpoint';

function checkpointOf(tensors: Record<string, CheckpointTensor>, layers?: CheckpointLayer[]): Checkpoint {
  return {
    format: layers ? 'keras' : 'safetensors',
    tensors: Object.entries(tensors).map(([name, t]) => ({ name, shape: t.shape, dtype: 'F64' })),
    tensor: (name) => tensors[name] as CheckpointTensor,
    ...(layers ? { layers } : {}),
  };
}

describe('checkpoint editor: statistics, audit view, trained kernel', () => {
  it('statistics agree with a direct computation, chunk by chunk, NaN and infinities counted apart', () => {
    const data = Float64Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 3 + (i % 7));
    data[10] = Number.NaN;
    data[20] = Number.POSITIVE_INFINITY;
    const steps = tensorStats('w', data, 10, 64);
    let yields = 0;
    let next = steps.next();
    while (!next.done) {
      yields++;
      next = steps.next();
    }
    const stats = next.value;
    assert.equal(yields, 2 * Math.ceil(1000 / 64), 'one yield a chunk, in each pass');
    const finite = [...data].filter(Number.isFinite);
    const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
    const std = Math.sqrt(finite.reduce((a, v) => a + (v - mean) ** 2, 0) / finite.length);
    assert.equal(stats.min, Math.min(...finite));
    assert.equal(stats.max, Math.max(...finite));
    assert.ok(Math.abs(stats.mean - mean) < 1e-12 && Math.abs(stats.std - std) < 1e-12);
    assert.equal(stats.nonFinite, 2);
    assert.equal(stats.histogram.reduce((a, b) => a + b, 0), finite.length);
    assert.ok(isTensorStats(stats));
    const constant = runToEnd(tensorStats('c', new Float64Array(5).fill(2), 4));
    assert.deepEqual([constant.min, constant.max, constant.std, constant.histogram], [2, 2, 0, [5, 0, 0, 0]]);
  });

  it('the audit view puts each layer\'s worst channels first and counts the uneven ones; unpaired weights get stride choices', () => {
    // [C_in 1, C_out 2, 3, 3]: channel 0 constant (uneven at stride 2: 4, 2, 2, 1 taps), channel 1 zero but one tap.
    const data = new Float64Array(18);
    data.fill(1, 0, 9);
    data[9 + 4] = 1;
    const checkpoint = checkpointOf({ 'up.weight': { shape: [1, 2, 3, 3], data } });
    const unknown = auditView(auditCheckpoint(checkpoint), undefined);
    assert.deepEqual(unknown.layers.map((l) => [l.name, l.verdict, l.strideChoices, l.openable]), [['up', 'unknown', [2, 3], false]]);
    const view = auditView(auditCheckpoint(checkpoint, { stride: 2 }), undefined);
    assert.ok(isAuditView(view));
    const [layer] = view.layers;
    assert.equal(layer?.unevenChannels, 2);
    // Channel 1's single tap puts all its energy in one phase: 3/4 periodic, worse than channel 0's.
    assert.deepEqual(layer?.channels.map((c) => c.channel), [1, 0]);
    assert.ok(Math.abs((layer?.channels[0]?.periodicEnergy ?? 0) - 0.75) < 1e-12);
    assert.deepEqual([...(layer?.channels[1]?.phases.data ?? [])], [4, 2, 2, 1]);
    assert.deepEqual(strideChoices(4), [2, 4]);
    assert.deepEqual(strideChoices(1), [2]);
  });

  it('a Keras kernel opens in PyTorch\'s layout; a large weight opens at its worst output channel', () => {
    // Keras Conv2DTranspose [kH 1, kW 2, C_out 2, C_in 3]: value = 100·i + 10·j... as (j, o, c).
    const keras = Float64Array.from({ length: 12 }, (_, k) => k);
    const layer: CheckpointLayer = { name: 'up', op: 'convTranspose2d', weight: 'k', weightLayout: 'keras', stride: [2, 2], dilation: [1, 1], groups: 1 };
    const [audited] = auditCheckpoint(checkpointOf({ k: { shape: [1, 2, 2, 3], data: keras } }, [layer])).layers;
    assert.ok(audited);
    const opened = trainedKernelArguments(audited, { shape: [1, 2, 2, 3], data: keras }, 'keras');
    assert.ok(opened.ok);
    // torch[c][o][0][j] = keras[0][j][o][c] = (j·2 + o)·3 + c
    assert.deepEqual(opened.args.kernel, [0, 1, 2].map((c) => [0, 1].map((o) => [[0, 1].map((j) => (j * 2 + o) * 3 + c)])));
    assert.equal(opened.args.input.length, 3);
    const big = new Float64Array(8 * 64 * 4 * 4).fill(0.5);
    assert.ok(big.length > MAX_KERNEL_VALUES);
    const wide = trainedKernelArguments({ ...audited, weightShape: [8, 64, 4, 4], worstChannel: 17, groups: 1 }, { shape: [8, 64, 4, 4], data: big }, 'torch');
    assert.ok(wide.ok);
    assert.deepEqual([wide.args.kernel.length, wide.args.kernel[0]?.length, wide.args.groups], [8, 1, 1]);
    assert.match(wide.note ?? '', /worst output channel 17/);
    assert.equal(trainedKernelArguments({ ...audited, stride: null }, { shape: [1, 2, 2, 3], data: keras }, 'keras').ok, false);
  });
});
