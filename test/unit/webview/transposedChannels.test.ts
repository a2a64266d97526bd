import * as assert from 'node:assert/strict';
import { convTranspose2d, type Tensor } from '../../../src/core/engine/index';
import { cellOffset, hasCell, operandView, pairOperands } from '../../../src/host/transposed/operandShapes';
import { isFromTransposedMessage, isPersistedTransposedState, isTransposedConvolutionParams, type TransposedConvolutionLayer } from '../../../src/core/protocol/transposed';
import { isMatrixView, persistMatrix, restoreMatrix, type MatrixView } from '../../../src/core/protocol/common';
import {
  channelLayout,
  clampSelection,
  describeGroups,
  groupEdges,
  groupKind,
  inChannelAtStep,
  inChannelsFeeding,
  outChannelsFedBy,
  planeOf,
  planeSteps,
  stepAfterInChannel,
} from '../../../webview/transposed/channels';
import { buildTransposedModel, cellNamer, describeContributions, describeStep } from '../../../webview/transposed/transposedModel';
import { parseGroupsText } from '../../../webview/shared/params';

const params = { stride: [1, 1] as const, padding: [0, 0] as const, outputPadding: [0, 0] as const, dilation: [1, 1] as const };
const view = (shape: number[], values: number[]): MatrixView => {
  const [rows, cols] = shape.slice(-2) as [number, number];
  const lead = shape.slice(0, -2);
  return { rows, cols, data: Float64Array.from(values), ...(lead.length > 0 ? { lead } : {}) };
};
const range = (n: number, from = 1): number[] => Array.from({ length: n }, (_, i) => from + i);

/** 2 input channels of 2×2, a [2, 2, 2, 2] weight: 2 channels in, 2 out, groups 1. */
const twoByTwo: TransposedConvolutionLayer = {
  input: view([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]),
  kernel: view([2, 2, 2, 2], [1, 0, 0, 1, 2, 2, 2, 2, -1, 1, 1, -1, 0, 3, 3, 0]),
  params,
};
const tensorOf = (m: MatrixView): Tensor => ({ shape: [...(m.lead ?? []), m.rows, m.cols], data: m.data });
type Ready = Extract<ReturnType<typeof buildTransposedModel>, { kind: 'ready' }>;
const ready = (model: ReturnType<typeof buildTransposedModel>): Ready => {
  if (model.kind !== 'ready') throw new Error(`expected a ready model, got: ${model.message}`);
  return model;
};

describe('transposed-convolution panel channels: layout, groups and selection', () => {
  it('reads batch, channels and groups from the operands’ shapes', () => {
    assert.deepEqual(channelLayout(twoByTwo), { batch: 1, inChannels: 2, outChannels: 2, groups: 1, inPerGroup: 2, outPerGroup: 2, multiChannel: true });
    const batch = { ...twoByTwo, input: view([3, 2, 2, 2], range(24)) };
    assert.equal(channelLayout(batch).batch, 3);
    const matrix = { input: view([2, 2], [1, 2, 3, 4]), kernel: view([2, 2], [1, 1, 1, 1]), params };
    assert.deepEqual(channelLayout(matrix), { batch: 1, inChannels: 1, outChannels: 1, groups: 1, inPerGroup: 1, outPerGroup: 1, multiChannel: false });
  });

  it('tells standard, grouped and depthwise apart and draws their edges', () => {
    const standard = channelLayout(twoByTwo);
    assert.equal(groupKind(standard), 'standard');
    assert.deepEqual(groupEdges(standard), [[0, 0], [0, 1], [1, 0], [1, 1]]);
    assert.match(describeGroups(standard), /^Standard \(groups 1\): 2 input channels → 2 output channels, every input channel feeds every output channel/);

    const depthwise = channelLayout({ ...twoByTwo, kernel: view([2, 1, 2, 2], range(8)), params: { ...params, groups: 2 } });
    assert.equal(groupKind(depthwise), 'depthwise');
    assert.deepEqual(groupEdges(depthwise), [[0, 0], [1, 1]]);
    assert.match(describeGroups(depthwise), /^Depthwise \(groups 2 = input channels\)/);

    const grouped = channelLayout({ input: view([4, 2, 2], range(16)), kernel: view([4, 3, 1, 1], range(12)), params: { ...params, groups: 2 } });
    assert.equal(groupKind(grouped), 'grouped');
    assert.deepEqual([grouped.outChannels, grouped.inPerGroup, grouped.outPerGroup], [6, 2, 3]);
    assert.deepEqual(inChannelsFeeding(grouped, 4), [2, 3]);
    assert.deepEqual(outChannelsFedBy(grouped, 1), [0, 1, 2]);
    assert.equal(groupEdges(grouped).length, 12);
  });

  it('keeps a saved selection within the layer, and starts on the first plane', () => {
    const layout = channelLayout({ ...twoByTwo, input: view([3, 2, 2, 2], range(24)) });
    assert.deepEqual(clampSelection(undefined, layout), { batch: 0, outChannel: 0 });
    assert.deepEqual(clampSelection({ batch: 2, outChannel: 1 }, layout), { batch: 2, outChannel: 1 });
    assert.deepEqual(clampSelection({ batch: 9, outChannel: 7 }, layout), { batch: 2, outChannel: 1 });
  });

  it('splits a plane’s steps into one block per input channel of its group', () => {
    const layout = channelLayout(twoByTwo);
    const steps = planeSteps(layout, { batch: 0, outChannel: 1 }, 2, 2);
    assert.deepEqual(steps, { offset: 8, count: 8, perInChannel: 4, firstInChannel: 0 });
    assert.deepEqual([0, 1, 4, 5, 8].map((s) => inChannelAtStep(steps, s)), [0, 0, 0, 1, 1]);
    assert.deepEqual([0, 1].map((c) => stepAfterInChannel(steps, c)), [4, 8]);

    const grouped = channelLayout({ input: view([4, 2, 2], range(16)), kernel: view([4, 3, 1, 1], range(12)), params: { ...params, groups: 2 } });
    const second = planeSteps(grouped, { batch: 0, outChannel: 4 }, 2, 2);
    assert.equal(second.firstInChannel, 2);
    assert.deepEqual([1, 5].map((s) => inChannelAtStep(second, s)), [2, 3]);
    assert.equal(stepAfterInChannel(second, 2), 4);
  });

  it('takes one matrix out of a stack without copying', () => {
    const stack = view([2, 3, 1, 2], range(12));
    assert.deepEqual([...planeOf(stack, [1, 2])], [11, 12]);
    assert.equal(planeOf(stack, [1, 2]).buffer, stack.data.buffer);
    assert.deepEqual([...planeOf(view([2, 2], [1, 2, 3, 4]), [])], [1, 2, 3, 4]);
  });
});

describe('transposed-convolution panel channels: the model is the engine’s layer, one plane at a time', () => {
  it('walks output channel 1 of a 2-in, 2-out layer and ends on the engine’s convTranspose2d, bit for bit', () => {
    const expected = convTranspose2d(tensorOf(twoByTwo.input), tensorOf(twoByTwo.kernel), { stride: 1 });
    assert.deepEqual(expected.shape, [2, 3, 3]);
    for (const outChannel of [0, 1]) {
      const model = ready(buildTransposedModel(twoByTwo, { batch: 0, outChannel }));
      assert.equal(model.trace.stepCount, 8, '2 input channels × 4 input cells');
      assert.deepEqual([...model.trace.output.data], [...expected.data.subarray(outChannel * 9, outChannel * 9 + 9)]);
      assert.deepEqual([...model.trace.outputAfterSteps(8).data], [...model.trace.output.data]);
      assert.deepEqual([...model.trace.outputAfterSteps(0).data], Array(9).fill(0));
      // The sum over input channels: each alone, the running total, and the output.
      const [first, second] = model.contributions;
      assert.deepEqual([first?.inChannel, second?.inChannel], [0, 1]);
      const plane = (c: number) => ({ shape: [2, 2], data: twoByTwo.input.data.subarray(c * 4, c * 4 + 4) });
      const slice = (c: number) => ({ shape: [2, 2], data: twoByTwo.kernel.data.subarray((c * 2 + outChannel) * 4, (c * 2 + outChannel) * 4 + 4) });
      assert.deepEqual([...(first?.alone ?? [])], [...convTranspose2d(plane(0), slice(0)).data]);
      assert.deepEqual([...(second?.alone ?? [])], [...convTranspose2d(plane(1), slice(1)).data]);
      assert.deepEqual([...(first?.sumSoFar ?? [])], [...(first?.alone ?? [])]);
      assert.deepEqual([...(second?.sumSoFar ?? [])], [...model.trace.output.data]);
    }
  });

  it('numbers a plane’s steps from 0 and names cells with their channel', () => {
    const model = ready(buildTransposedModel(twoByTwo, { batch: 0, outChannel: 1 }));
    const step = model.trace.step(4);
    assert.equal(step.index, 4);
    assert.deepEqual([step.input.channel, step.input.row, step.input.col, step.outChannel], [1, 0, 0, 1]);
    assert.equal(model.inChannelAt(5), 1);
    const names = cellNamer(model);
    assert.match(describeStep(step, 8, names).sentence, /^Step 5 of 8: input\[1, 0, 0\] = 5 scales the kernel slice \[1, 1\], added into output rows 0–1, columns 0–1\.$/);
    const centre = model.trace.contributionsTo({ n: 0, channel: 0, row: 1, col: 1 });
    assert.deepEqual(centre.contributions.map((c) => c.step), [0, 1, 2, 3, 4, 5, 6, 7]);
    const { heading, lines } = describeContributions(centre, names);
    assert.match(heading, /^output\[1, 1\] = \d+: 8 products$/);
    assert.match(lines[7] ?? '', /^step 8: input\[1, 1, 1\] × kernel\[1, 1, 0, 0\] = 8 × 0 = 0, sum /);
    // The grids show the plane of the step's input channel and its kernel slice.
    assert.deepEqual([...model.inputPlane(1)], [5, 6, 7, 8]);
    assert.deepEqual([...model.kernelPlane(1)], [0, 3, 3, 0]);
  });

  it('selects another plane without tracing the layer again', () => {
    const model = ready(buildTransposedModel(twoByTwo));
    const other = ready(model.select({ batch: 0, outChannel: 1 }));
    assert.equal(other.fullTrace, model.fullTrace);
    assert.deepEqual(other.selection, { batch: 0, outChannel: 1 });
    assert.notDeepEqual([...other.trace.output.data], [...model.trace.output.data]);
  });

  it('walks image 1 of a batch, and a depthwise layer', () => {
    const batch = { ...twoByTwo, input: view([2, 2, 2, 2], range(16)) };
    const expected = convTranspose2d(tensorOf(batch.input), tensorOf(batch.kernel));
    const model = ready(buildTransposedModel(batch, { batch: 1, outChannel: 0 }));
    assert.deepEqual([...model.trace.output.data], [...expected.data.subarray(2 * 9, 3 * 9)]);
    assert.equal(cellNamer(model)('input', 1, 0, 1), 'input[1, 1, 0, 1]');

    const depthwise = { ...twoByTwo, kernel: view([2, 1, 2, 2], [1, 1, 1, 1, 1, -1, -1, 1]), params: { ...params, groups: 2 } };
    const dw = convTranspose2d(tensorOf(depthwise.input), tensorOf(depthwise.kernel), { groups: 2 });
    const second = ready(buildTransposedModel(depthwise, { batch: 0, outChannel: 1 }));
    assert.equal(second.trace.stepCount, 4, 'one input channel feeds each output channel');
    assert.equal(second.trace.step(0).input.channel, 1);
    assert.deepEqual([...second.trace.output.data], [...dw.data.subarray(9, 18)]);
    assert.deepEqual(second.contributions.map((c) => c.inChannel), [1]);
    // The all-ones response of output channel 1 uses its own kernel slice.
    assert.deepEqual([...second.overlap.kernelResponse.data], [1, 0, -1, 0, 0, 0, -1, 0, 1]);
  });

  it('gives the engine’s message when groups do not fit the channels', () => {
    const model = buildTransposedModel({ ...twoByTwo, params: { ...params, groups: 3 } });
    assert.equal(model.kind, 'invalid');
    assert.match(model.kind === 'invalid' ? model.message : '', /groups \(3\) must divide the weight's 2 input channels/);
  });
});

describe('transposed-convolution panel channels: operands, messages and persisted state', () => {
  it('reads inputs as matrix, image or batch, and weights as matrix or [C_in, C_out/groups, kH, kW]', () => {
    const t = (shape: number[]) => ({ shape, data: new Float64Array(shape.reduce((a, b) => a * b, 1)) });
    const read = (role: 'input' | 'kernel', shape: number[]) => {
      const r = operandView(role, t(shape), 'model.py:3');
      return r.ok ? [...(r.value.lead ?? []), r.value.rows, r.value.cols] : r.problem;
    };
    assert.deepEqual(read('input', [5]), [1, 5]);
    assert.deepEqual(read('input', [2, 3, 4]), [2, 3, 4]);
    assert.deepEqual(read('input', [1, 2, 3, 4]), [1, 2, 3, 4]);
    assert.deepEqual(read('kernel', [2, 1, 3, 3]), [2, 1, 3, 3]);
    assert.match(String(read('kernel', [2, 3, 3])), /^The kernel is a 3-D tensor of shape \[2, 3, 3\] \(model\.py:3\); a kernel is a matrix \[kH, kW\] or a weight \[C_in, C_out\/groups, kH, kW\].*\[2, 1, 3, 3\]/);
    assert.match(String(read('input', [1, 1, 1, 2, 2])), /^The input is a 5-D tensor of shape \[1, 1, 1, 2, 2\] \(model\.py:3\); Transposed Convolution takes a matrix \[H, W\], an image \[C, H, W\] or a batch \[N, C, H, W\]\.$/);
  });

  it('reads a matrix beside channels as one channel, and says when the channels do not agree', () => {
    const input = view([2, 2, 2], range(8));
    const paired = pairOperands(view([2, 2], [1, 2, 3, 4]), view([1, 3, 2, 2], range(12)));
    assert.ok(paired.ok);
    assert.deepEqual(paired.ok && paired.value.input.lead, [1]);
    const kernel = pairOperands(input, view([2, 2], [1, 1, 1, 1]), { input: 'a.py:1', kernel: 'a.py:2' });
    assert.ok(!kernel.ok);
    assert.match(kernel.ok ? '' : kernel.problem, /^The kernel has 1 input channel but the input has 2 \(kernel \[2, 2\] at a\.py:2, read as \[C_in, C_out\/groups, kH, kW\]; input \[2, 2, 2\] at a\.py:1\)/);
    const three = pairOperands(input, view([3, 1, 2, 2], range(12)));
    assert.match(three.ok ? '' : three.problem, /^The kernel has 3 input channels but the input has 2 /);
    assert.ok(pairOperands(view([2, 2], [1, 2, 3, 4]), view([2, 2], [1, 2, 3, 4])).ok);
  });

  it('finds a cell of a stack by its plane, row and column', () => {
    assert.equal(cellOffset([2, 3, 2, 2], [1, 2], 1, 0), (1 * 3 + 2) * 4 + 2);
    assert.equal(cellOffset([2, 2], [], 1, 1), 3);
    assert.ok(hasCell([2, 3, 2, 2], [1, 2], 1, 1));
    assert.ok(!hasCell([2, 3, 2, 2], [2, 0], 0, 0));
    assert.ok(!hasCell([2, 3, 2, 2], [0], 0, 0), 'a plane index per leading axis');
  });

  it('checks stacks, groups, the edited plane and the saved selection on both sides', () => {
    assert.ok(isMatrixView(view([2, 2, 2], range(8))));
    assert.ok(!isMatrixView({ rows: 2, cols: 2, lead: [2], data: new Float64Array(4) }), 'the values must fill the stack');
    assert.ok(!isMatrixView({ rows: 1, cols: 1, lead: [1, 1, 1], data: new Float64Array(1) }), 'at most two leading axes');
    assert.ok(isTransposedConvolutionParams({ ...params, groups: 2 }));
    assert.ok(!isTransposedConvolutionParams({ ...params, groups: 0 }));
    assert.ok(isFromTransposedMessage({ type: 'editCell', operand: 'kernel', plane: [1, 0], row: 0, col: 1, value: 2 }));
    assert.ok(!isFromTransposedMessage({ type: 'editCell', operand: 'kernel', plane: [-1], row: 0, col: 1, value: 2 }));
    const persisted = persistMatrix(view([2, 1, 2], [1, Number.NaN, 3, 4]));
    assert.deepEqual(persisted.lead, [2]);
    const back = restoreMatrix(persisted);
    assert.deepEqual(back.lead, [2]);
    assert.ok(Number.isNaN(back.data[1]));
    const state = { layer: { input: persisted, kernel: persistMatrix(view([2, 1, 1, 1], [1, 2])), params: { ...params, groups: 2 } }, step: 3, speed: 2, channels: { batch: 0, outChannel: 1 } };
    assert.ok(isPersistedTransposedState(JSON.parse(JSON.stringify(state))));
    assert.ok(!isPersistedTransposedState({ ...state, channels: { batch: -1, outChannel: 0 } }));
  });

  it('reads the groups field', () => {
    assert.deepEqual(parseGroupsText(' 2 '), { ok: true, groups: 2 });
    assert.deepEqual(parseGroupsText('0'), { ok: false, message: 'groups must be at least 1, not 0' });
    assert.deepEqual(parseGroupsText('two'), { ok: false, message: 'groups must be a whole number, not “two”' });
    assert.deepEqual(parseGroupsText(''), { ok: false, message: 'groups needs a value' });
  });
});
