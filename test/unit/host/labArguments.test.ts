/** The lab command's arguments object and the numbers it returns and exports. */
import * as assert from 'node:assert/strict';
import { UserFacingError } from '../../../src/host/common/arguments';
import { labSettingsFrom, readLabArguments } from '../../../src/host/lab/labArguments';
import { labCsv, labJson, labSummary } from '../../../src/host/lab/labSummary';
import { LAB_DEFAULT_SETTINGS } from '../../../src/core/protocol/lab';
import { computeLab } from '../../../src/core/worker/labCompute';

const refuses = (value: unknown, message: RegExp) => assert.throws(() => readLabArguments(value), (e: unknown) => e instanceof UserFacingError && message.test(e.message));

describe('lab command arguments', () => {
  it('no object (palette, or a URI from a menu) means ask', () => {
    assert.equal(readLabArguments(undefined), undefined);
    assert.equal(readLabArguments({ scheme: 'file', path: '/a.py' }), undefined);
  });

  it('fills what is left out with the lab’s defaults; a generated input by name, a matrix otherwise', () => {
    assert.deepEqual(labSettingsFrom(readLabArguments({}) ?? {}), { ...LAB_DEFAULT_SETTINGS });
    const s = labSettingsFrom(readLabArguments({ factor: 3, input: [[1, 2], [3, 4]], kernel: [[1, 2, 3]], stages: 2, mode: 'bilinear' }) ?? {});
    assert.equal(s.input, 'matrix');
    assert.equal(s.matrixLabel, 'your 2×2 matrix');
    assert.deepEqual([s.kernel?.rows, s.kernel?.cols, s.kernelSize], [1, 3, 3]);
    assert.deepEqual([s.factor, s.stages, s.mode], [3, 2, 'bilinear']);
    assert.equal(labSettingsFrom(readLabArguments({ input: 'pattern', seed: 4 }) ?? {}).input, 'pattern');
  });

  it('refuses a field by name, with what it accepts', () => {
    refuses({ stride: 2 }, /Unknown argument "stride": Compare Upsampling Methods takes factor, kernelSize/);
    refuses({ factor: 1 }, /"factor" must be a whole number from 2 to 4, not 1/);
    refuses({ kernelSize: 2.5 }, /"kernelSize" must be a whole number from 1 to 9/);
    refuses({ stages: 4 }, /"stages" must be a whole number from 1 to 3/);
    refuses({ mode: 'bicubic' }, /"mode" must be "nearest" or "bilinear", not "bicubic"/);
    refuses({ input: 5 }, /"input" must be "constant", "gradient", "pattern" or a matrix/);
    assert.throws(() => labSettingsFrom(readLabArguments({ kernel: new Array(10).fill([1]) }) ?? {}), /kernel is 10×1; the lab takes at most 9 values a side/);
    assert.throws(() => labSettingsFrom(readLabArguments({ input: [[[1]]] }) ?? {}), /3-D tensor of shape \[1, 1, 1\]/);
  });
});

describe('lab numbers (command result, CSV and JSON export)', () => {
  const settings = { ...LAB_DEFAULT_SETTINGS, size: 8 };
  const summary = labSummary(settings, computeLab(settings));

  it('summarises each method: verdict, shares and count ratio', () => {
    assert.equal(summary.methods.transposed.verdict, 'checkerboard');
    assert.equal(summary.methods.transposed.countRatio, 4);
    assert.ok(Math.abs((summary.methods.transposed.constantShare as number) - 0.19) < 1e-12);
    assert.equal(summary.methods.resize.verdict, 'flat');
    assert.deepEqual([summary.inputSize, summary.outputSize, summary.period], [[8, 8], [16, 16], 2]);
  });

  it('CSV: a header and one row per method, the reason quoted; JSON parses back', () => {
    const lines = labCsv(summary).trimEnd().split('\r\n');
    assert.equal(lines[0], 'method,verdict,constant_share,output_share,count_ratio,input,input_h,input_w,factor,kernel_h,kernel_w,mode,stages,reason');
    assert.equal(lines.length, 4);
    assert.match(lines[1] ?? '', /^transposed,checkerboard,0\.19,0\.19,4,constant,8,8,2,3,3,nearest,1,"checkerboard: interior counts 4, 2 and 1/);
    assert.match(lines[2] ?? '', /^resize,flat,[-+.e0-9]+,[-+.e0-9]+,1,constant,/);
    assert.ok((summary.methods.resize.constantShare as number) < 1e-12);
    assert.deepEqual(JSON.parse(labJson(summary)), JSON.parse(JSON.stringify(summary)));
  });
});
