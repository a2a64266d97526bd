/**
 * The volume panel's gather player as data (webview/volume/volumeGather.ts and the shared wording,
 * webview/shared/gatherStepText.ts): which trace a 1-D or 3-D layer gets, how its cells and weights
 * are named, what each kind of step says, and how the operands are cut into planes.
 */
import * as assert from 'node:assert/strict';
import { conv1d, tensor, upsample3d } from '../../../src/core/engine/index';
import { liftedCall, runVolumeLayer, traceVolumeGather } from '../../../src/core/engine/volumeLayer';
import type { VolumeLayerCall } from '../../../src/core/protocol/volume';
import { dims5, isGatherCall, volumeGatherSubject } from '../../../webview/volume/volumeGather';

function subjectOf(given: VolumeLayerCall) {
  const call = liftedCall(given);
  const trace = traceVolumeGather(call);
  assert.ok(trace && isGatherCall(call));
  return { call, trace, subject: volumeGatherSubject(call, trace) };
}

describe('volume panel gather player', () => {
  it('traces every gathering op, and leaves the transposed convolutions to the scatter player', () => {
    const seq = tensor([1, 1, 6], [1, 2, 3, 4, 5, 6]);
    const vol = tensor([1, 1, 2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    const calls: VolumeLayerCall[] = [
      { op: 'conv1d', input: seq, weight: tensor([1, 1, 3], [1, 0, -1]), options: {} },
      { op: 'conv3d', input: vol, weight: tensor([1, 1, 2, 2, 2], new Array(8).fill(1)), options: {} },
      { op: 'maxPool1d', input: seq, options: { kernelSize: 2 } },
      { op: 'maxPool3d', input: vol, options: { kernelSize: 2 } },
      { op: 'avgPool1d', input: seq, options: { kernelSize: 3, stride: 2, padding: 1 } },
      { op: 'avgPool3d', input: vol, options: { kernelSize: 2, stride: 1, padding: 1 } },
      { op: 'upsample1d', input: seq, options: { scaleFactor: 2, mode: 'linear' } },
      { op: 'upsample3d', input: vol, options: { scaleFactor: 2, mode: 'trilinear' } },
    ];
    for (const call of calls) {
      const trace = traceVolumeGather(call);
      assert.ok(trace, call.op);
      const output = runVolumeLayer(call);
      assert.equal(trace.stepCount, output.data.length, call.op);
      // Every step's value is the layer's output, to the bit.
      for (let i = 0; i < trace.stepCount; i++) assert.equal(Object.is(trace.step(i).value, output.data[i]), true, `${call.op} step ${i}`);
    }
    assert.equal(traceVolumeGather({ op: 'convTranspose1d', input: seq, weight: tensor([1, 1, 3], [1, 1, 1]), options: { stride: 2 } }), undefined);
  });

  it('a WaveGAN-style Conv1d: a sequence named by its index, the products with the kernel taps', () => {
    const input = [0.5, -1, 2, 0, 1, 3, -2, 1];
    const { subject } = subjectOf({ op: 'conv1d', input: tensor([8], input), weight: tensor([3], [1, 2, -1]), options: { stride: 2, padding: 1 } });
    const text = subject.describe(subject.trace.step(1));
    // out[1] = x[1]·1 + x[2]·2 + x[3]·(-1) = -1 + 4 + 0 = 3 (F.conv1d, stride 2, padding 1).
    assert.equal(text.sentence, 'out[1] = the sum of 3 products of its window with the kernel = 3.');
    assert.deepEqual(text.lines.map((l) => l.text), ['x[1] × w[0] = −1 × 1 = −1 (sum −1)', 'x[2] × w[1] = 2 × 2 = 4 (sum 3)', 'x[3] × w[2] = 0 × −1 = 0 (sum 3)']);
    assert.equal(conv1d(tensor([1, 1, 8], input), tensor([1, 1, 3], [1, 2, -1]), { stride: 2, padding: 1 }).data[1], 3);
    const padded = subject.describe(subject.trace.step(0));
    assert.equal(padded.lines[0]?.text, 'padding [-1] × w[0] = 0 × 1 = 0');
    assert.equal(padded.lines[0]?.muted, true);
    assert.deepEqual(subject.inputDims, [1, 1, 1, 1, 8]);
    assert.equal(subject.inputTitle(0, 0, 0), 'Input');
    assert.equal(subject.outputCell(0, 0, 3), 'output [3]');
  });

  it('names channels and the weight’s channel pair when a layer has several', () => {
    const { subject } = subjectOf({ op: 'conv1d', input: tensor([1, 2, 4], [1, 2, 3, 4, 5, 6, 7, 8]), weight: tensor([3, 2, 2], new Array(12).fill(1)), options: {} });
    const text = subject.describe(subject.trace.step(4));
    assert.match(text.sentence, /^out\[1, 1\] = the sum of 4 products/);
    assert.equal(text.lines[2]?.text, 'x[1, 1] × w[1, 1, 0] = 6 × 1 = 6 (sum 11)');
    assert.equal(subject.inputTitle(0, 1, 0), 'Input x[1]');
    assert.equal(subject.outputTitle(0, 2, 0), 'Output out[2]');
    assert.deepEqual(subject.kernel?.planes, [6, 1, 2]);
    assert.deepEqual(subject.kernel?.planesOf(1), [2, 3]);
    assert.equal(subject.kernel?.title(3), 'Kernel w[1, 1]');
  });

  it('a 3-D max pool reads its window across slices and marks the winner', () => {
    const { subject } = subjectOf({ op: 'maxPool3d', input: tensor([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 9]), options: { kernelSize: 2 } });
    const text = subject.describe(subject.trace.step(0));
    assert.equal(text.sentence, "out[0, 0, 0] = the largest of its window's 8 cells = 9, at x[1, 1, 1].");
    assert.deepEqual([...new Set(text.reads.map((c) => c.depth))], [0, 1]);
    assert.deepEqual(text.decisive && [text.decisive.depth, text.decisive.row, text.decisive.col], [1, 1, 1]);
    assert.equal(subject.inputTitle(0, 0, 1), 'Input slice 1');
    assert.equal(subject.planeWord, 'slices');
  });

  it('a 3-D conv kernel is cut into slices, all of them for the output channel', () => {
    const { subject } = subjectOf({ op: 'conv3d', input: tensor([3, 3, 3], new Array(27).fill(1)), weight: tensor([2, 2, 2], new Array(8).fill(1)), options: {} });
    assert.deepEqual(subject.kernel?.planes, [2, 2, 2]);
    assert.deepEqual(subject.kernel?.planesOf(0), [0, 1]);
    assert.equal(subject.kernel?.title(1), 'Kernel slice 1');
    const text = subject.describe(subject.trace.step(0));
    assert.equal(text.lines[7]?.text, 'x[1, 1, 1] × w[1, 1, 1] = 1 × 1 = 1 (sum 8)');
    assert.deepEqual(dims5([1, 1, 2, 2, 2], 3), [1, 1, 2, 2, 2]);
  });

  it('linear upsampling of a sequence blends two neighbours along its one axis', () => {
    const { subject } = subjectOf({ op: 'upsample1d', input: tensor([4], [0, 4, 8, 4]), options: { scaleFactor: 2, mode: 'linear' } });
    const text = subject.describe(subject.trace.step(2));
    // PyTorch: F.interpolate([0, 4, 8, 4], scale_factor=2, mode='linear')[2] = 0·0.25 + 4·0.75 = 3.
    assert.equal(text.sentence, 'out[2] blends the input values 0 and 1 by how near it falls to each = 3.');
    assert.equal(text.lines[0]?.text, 'out[2] = x[0] 0 × 0.25 + x[1] 4 × 0.75 = 3');
    assert.equal(text.reads.length, 2);
  });

  it('trilinear upsampling shows the front and back slices’ blends and their blend along the depth', () => {
    const input = tensor([1, 1, 2, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7]);
    const { subject } = subjectOf({ op: 'upsample3d', input, options: { scaleFactor: 2, mode: 'trilinear' } });
    const index = 1 * 16 + 1 * 4 + 2; // out[1, 1, 2]
    const step = subject.trace.step(index);
    const text = subject.describe(step);
    assert.equal(step.value, upsample3d(input, { scaleFactor: 2, mode: 'trilinear' }).data[index]);
    assert.match(text.sentence, /^out\[1, 1, 2\] blends the input slices 0 and 1, rows 0 and 1 and columns 0 and 1/);
    assert.equal(text.lines.length, 3);
    assert.match(text.lines[0]?.text ?? '', /^front = \(x\[0, 0, 0\] 0 × 0\.25 \+ x\[0, 0, 1\] 1 × 0\.75\) × 0\.75 \+ \(x\[0, 1, 0\] 2 × 0\.25 \+ x\[0, 1, 1\] 3 × 0\.75\) × 0\.25 = 1\.25$/);
    assert.match(text.lines[2]?.text ?? '', /^out\[1, 1, 2\] = front × 0\.75 \+ back × 0\.25 = /);
    assert.equal(text.reads.length, 8);
  });
});
