/**
 * The checkerboard lab as the engine worker answers it (src/core/worker/engineService.ts, the same code
 * in the Node and the Web worker): settings in, a protocol-valid result out with every buffer
 * listed for transfer; bad settings and oversized stacks answered with the problem in words.
 */
import * as assert from 'node:assert/strict';
import { isFromLabMessage, isLabComputed, isLabSettings, isToLabMessage, type LabSettings } from '../../../src/core/protocol/lab';
import { answer } from '../../../src/core/worker/engineService';
import { isWorkerResponse } from '../../../src/core/worker/protocol';

const settings: LabSettings = { factor: 2, kernelSize: 3, input: 'constant', size: 16, mode: 'nearest', stages: 1, seed: 1 };

describe('lab in the engine worker', () => {
  it('answers settings with the three methods: transposed checkerboard, resize and sub-pixel flat, buffers to transfer', () => {
    const { response, transfer } = answer({ id: 7, op: 'checkerboardLab', settings });
    assert.ok(isWorkerResponse(response));
    assert.ok(response.ok && 'lab' in response);
    const lab = response.lab;
    assert.ok(isLabComputed(lab));
    assert.deepEqual(lab.methods.map((m) => m.verdict.kind), ['checkerboard', 'flat', 'flat']);
    assert.deepEqual([lab.methods[0].output.rows, lab.methods[0].output.cols], [32, 32]);
    assert.ok(Math.abs((lab.methods[0].constantShare as number) - 0.19) < 1e-12);
    assert.ok(lab.methods.every((m) => m.transposedForm !== undefined));
    // Each array travels once, none is shared.
    assert.equal(new Set(transfer).size, transfer.length);
    assert.ok(transfer.length >= 3 * 5);
    assert.ok(isToLabMessage({ type: 'show', snapshot: { kind: 'ready', settings, result: lab } }));
  });

  it('bilinear resize has no step-player form, and says why', () => {
    const { response } = answer({ id: 1, op: 'checkerboardLab', settings: { ...settings, mode: 'bilinear', input: 'pattern' } });
    assert.ok(response.ok && 'lab' in response);
    assert.equal(response.lab.methods[1].transposedForm, undefined);
    assert.match(response.lab.methods[1].whyUnavailable ?? '', /Bilinear resizing clamps at the borders/);
  });

  it('refuses a stack that would exceed the lab’s output size, in words', () => {
    const { response } = answer({ id: 2, op: 'checkerboardLab', settings: { ...settings, size: 256, factor: 4, stages: 3 } });
    assert.ok(!response.ok);
    assert.equal(response.failure.kind, 'layer');
    assert.match(response.failure.message, /3 stages of factor 4 would make a 256×256 input 16384×16384, larger than the lab's 2048 cells a side/);
  });

  it('refuses NaN or infinite values (they have no spectrum) instead of answering with shares the guard rejects', () => {
    const matrix = { rows: 2, cols: 2, data: new Float64Array([1, Number.NaN, 3, 4]) };
    const { response } = answer({ id: 4, op: 'checkerboardLab', settings: { ...settings, input: 'matrix', matrix } });
    assert.ok(!response.ok);
    assert.match(response.failure.message, /the input holds NaN or infinite values/);
  });

  it('the guards refuse settings out of range and messages that are not the lab’s', () => {
    assert.ok(isLabSettings(settings));
    assert.ok(!isLabSettings({ ...settings, factor: 1 }));
    assert.ok(!isLabSettings({ ...settings, stages: 4 }));
    assert.ok(!isLabSettings({ ...settings, input: 'matrix' }), 'a matrix input needs its matrix');
    assert.ok(isLabSettings({ ...settings, input: 'matrix', matrix: { rows: 1, cols: 2, data: new Float64Array([1, 2]) } }));
    assert.ok(!isLabSettings({ ...settings, kernel: { rows: 2, cols: 2, data: [1, 2, 3, 4] } }));
    assert.ok(isFromLabMessage({ type: 'run', settings }));
    assert.ok(!isFromLabMessage({ type: 'why', method: 'deconv' }));
    assert.ok(isFromLabMessage({ type: 'why', method: 'transposed', cell: [20, 21] }));
    assert.ok(!isFromLabMessage({ type: 'why', method: 'transposed', cell: [20] }));
    assert.ok(!isFromLabMessage({ type: 'why', method: 'transposed', cell: [20, -1] }));
    assert.ok(!isFromLabMessage({ type: 'why', method: 'transposed', cell: ['20', 1] }));
    assert.ok(isFromLabMessage({ type: 'export', format: 'csv' }));
    assert.ok(!isFromLabMessage({ type: 'export', format: 'xlsx' }));
    assert.ok(!isFromLabMessage({ type: 'saveImage', bytes: new Uint8Array(0) }));
    assert.ok(!isToLabMessage({ type: 'show', snapshot: { kind: 'ready', settings } }));
    const { response } = answer({ id: 3, op: 'checkerboardLab', settings: { ...settings, factor: 9 } });
    assert.ok(!response.ok);
    assert.equal(response.failure.kind, 'internal');
    assert.match(response.failure.message, /malformed request/);
  });
});
