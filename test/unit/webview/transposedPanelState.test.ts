import * as assert from 'node:assert/strict';
import type { TransposedConvolutionLayer } from '../../../src/core/protocol/transposed';
import { compareOutputs } from '../../../webview/transposed/gatherForm';
import { addedCells, buildTransposedModel, describeContributions, describeOverlap, describeStep } from '../../../webview/transposed/transposedModel';
import { formatPair, parsePairText } from '../../../webview/shared/params';
import { actionForKey, initialPlayer, playerReducer, SPEEDS, type PlayerAction, type PlayerState } from '../../../webview/shared/player';

const run = (state: PlayerState, ...actions: PlayerAction[]): PlayerState => actions.reduce(playerReducer, state);

const matrix = (rows: number, cols: number, values: number[]) => ({ rows, cols, data: Float64Array.from(values) });
const textbook: TransposedConvolutionLayer = {
  input: matrix(2, 2, [1, 2, 3, 4]),
  kernel: matrix(2, 2, [1, 1, 1, 1]),
  params: { stride: [1, 1], padding: [0, 0], outputPadding: [0, 0], dilation: [1, 1] },
};

describe('transposed-convolution panel step player state', () => {
  it('steps within [0, stepCount] and pauses when stepped by hand', () => {
    const start = initialPlayer(4);
    assert.equal(run(start, { type: 'back' }).step, 0);
    assert.equal(run(start, { type: 'forward' }, { type: 'forward' }).step, 2);
    assert.equal(run(start, { type: 'end' }, { type: 'forward' }).step, 4);
    assert.equal(run(start, { type: 'seek', step: 99 }).step, 4);
    assert.equal(run(start, { type: 'seek', step: -3 }).step, 0);
    assert.equal(run(start, { type: 'togglePlay' }, { type: 'forward' }).playing, false);
  });

  it('plays to the end and stops; Play at the end starts over', () => {
    let state = run(initialPlayer(2), { type: 'togglePlay' });
    assert.equal(state.playing, true);
    state = run(state, { type: 'tick' }, { type: 'tick' });
    assert.deepEqual([state.step, state.playing], [2, false]);
    assert.equal(run(state, { type: 'tick' }).step, 2, 'a late tick does nothing');
    state = run(state, { type: 'togglePlay' });
    assert.deepEqual([state.step, state.playing], [0, true]);
    assert.equal(run(initialPlayer(0), { type: 'togglePlay' }).playing, false, 'nothing to play');
  });

  it('keeps a known speed, clamps the saved step, and keeps the position when the layer changes', () => {
    assert.equal(initialPlayer(4, Number.MAX_SAFE_INTEGER).step, 4, 'a new layer opens on its result');
    assert.equal(initialPlayer(4, 2, 3).speed, 2, 'an unknown saved speed falls back to the default');
    assert.equal(run(initialPlayer(4), { type: 'speed', speed: SPEEDS[0] as number }).speed, SPEEDS[0]);
    assert.equal(run(initialPlayer(4), { type: 'speed', speed: 7 }).speed, 2);
    assert.deepEqual(run(initialPlayer(9, 7), { type: 'reset', stepCount: 4 }), { stepCount: 4, step: 4, playing: false, speed: 2 });
  });

  it('maps the player keys', () => {
    assert.deepEqual(actionForKey('ArrowRight'), { type: 'forward' });
    assert.deepEqual(actionForKey('ArrowLeft'), { type: 'back' });
    assert.deepEqual(actionForKey(' '), { type: 'togglePlay' });
    assert.deepEqual(actionForKey('Home'), { type: 'start' });
    assert.deepEqual(actionForKey('End'), { type: 'end' });
    assert.equal(actionForKey('a'), undefined);
  });
});

describe('transposed-convolution panel parameter fields', () => {
  it('reads one number for both axes or one per axis', () => {
    assert.deepEqual(parsePairText('stride', ' 2 '), { ok: true, pair: [2, 2] });
    assert.deepEqual(parsePairText('stride', '2, 1'), { ok: true, pair: [2, 1] });
    assert.deepEqual(parsePairText('stride', '(2 1)'), { ok: true, pair: [2, 1] });
    assert.deepEqual(parsePairText('padding', '-1'), { ok: true, pair: [-1, -1] }, 'the engine explains negative values');
    assert.equal(formatPair([2, 2]), '2');
    assert.equal(formatPair([2, 1]), '2, 1');
  });

  it('says what is wrong with a field', () => {
    assert.deepEqual(parsePairText('stride', ''), { ok: false, message: 'stride needs a value' });
    assert.deepEqual(parsePairText('stride', '1.5'), { ok: false, message: 'stride must be a whole number, not “1.5”' });
    assert.deepEqual(parsePairText('dilation', '1, 2, 3'), { ok: false, message: 'dilation takes one number, or two (height, width)' });
  });
});

describe('transposed-convolution panel layer model', () => {
  it('traces the textbook case: four steps, the centre cell’s four products, even overlap', () => {
    const model = buildTransposedModel(textbook);
    assert.equal(model.kind, 'ready');
    if (model.kind !== 'ready') return;
    assert.equal(model.trace.stepCount, 4);
    assert.deepEqual([model.outRows, model.outCols], [3, 3]);
    assert.match(model.formulas[0] ?? '', /= 3$/);
    const step = model.trace.step(2);
    const { sentence, products } = describeStep(step, 4);
    assert.equal(sentence, 'Step 3 of 4: input[1, 0] = 3 scales the kernel, added into output rows 1–2, columns 0–1.');
    assert.deepEqual(products, ['+ 3 × 1 = 3 → output[1, 0]', '+ 3 × 1 = 3 → output[1, 1]', '+ 3 × 1 = 3 → output[2, 0]', '+ 3 × 1 = 3 → output[2, 1]']);
    assert.deepEqual(addedCells(step, 3), [3, 4, 6, 7]);
    const centre = describeContributions(model.trace.contributionsTo({ n: 0, channel: 0, row: 1, col: 1 }));
    assert.equal(centre.heading, 'output[1, 1] = 10: 4 products');
    assert.equal(centre.lines[1], 'step 2: input[0, 1] × kernel[1, 0] = 2 × 1 = 2, sum 3');
    assert.deepEqual([...model.overlap.counts.data], [1, 2, 1, 2, 4, 2, 1, 2, 1]);
    assert.ok(model.gather);
    assert.match(describeOverlap(model.overlap)[0] ?? '', /^Products per output cell in the interior: 4 \(max\/min 1\)$/);
  });

  it('lists cropped products with the edges padding removes, and brackets negative factors', () => {
    const model = buildTransposedModel({ ...textbook, input: matrix(2, 2, [1, -2, 3, 4]), params: { ...textbook.params, padding: [1, 1] } });
    assert.equal(model.kind, 'ready');
    if (model.kind !== 'ready') return;
    const { sentence, products } = describeStep(model.trace.step(1), 4);
    assert.match(sentence, /input\[0, 1\] = −2 scales the kernel, added into output row 0, column 0\.$/);
    assert.deepEqual(products.slice(0, 2), ['(−2) × 1 = −2 → [−1, 0], cropped by padding (top)', '(−2) × 1 = −2 → [−1, 1], cropped by padding (top, right)']);
  });

  it('gives the engine’s message for parameters the layer rejects', () => {
    const model = buildTransposedModel({ ...textbook, params: { ...textbook.params, stride: [2, 2], outputPadding: [2, 2] } });
    assert.equal(model.kind, 'invalid');
    if (model.kind === 'invalid') assert.match(model.message, /^output_padding \(2\) must be smaller than stride \(2\) or dilation \(1\)/);
  });
});

describe('transposed-convolution panel gather view check', () => {
  it('tells identical outputs from ones that differ by rounding or more', () => {
    assert.deepEqual(compareOutputs(Float64Array.of(1, Number.NaN), Float64Array.of(1, Number.NaN)), { identical: true, maxDifference: 0 });
    assert.deepEqual(compareOutputs(Float64Array.of(0.3), Float64Array.of(0.1 + 0.2)), { identical: false, maxDifference: 0.1 + 0.2 - 0.3 });
    assert.equal(compareOutputs(Float64Array.of(1), Float64Array.of(Number.NaN)).maxDifference, Number.POSITIVE_INFINITY);
  });
});
