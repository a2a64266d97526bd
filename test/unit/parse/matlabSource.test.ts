import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMatlabSource, MATLAB_SNIFF_CHARACTERS } from '../../../src/core/parse/matlabSource';

describe('isMatlabSource: is a .m file MATLAB or Objective-C?', () => {
  it('reads the MATLAB sample as MATLAB', () => {
    assert.equal(isMatlabSource(readFileSync(join(__dirname, '../../../../samples/matrices.m'), 'utf8')), true);
  });

  it('takes a % comment, a function line, an end line or a bracketed assignment as MATLAB', () => {
    assert.equal(isMatlabSource('% kernels\nk = ones(3);'), true);
    assert.equal(isMatlabSource('function y = up(x)\n  y = x;\nend\n'), true);
    assert.equal(isMatlabSource('x = 1;\nif x\n  disp(x)\nend'), true);
    assert.equal(isMatlabSource('K = [1 1; 1 1];'), true);
    assert.equal(isMatlabSource('w(:, 1) = [0.5 0.5];'), true);
  });

  it('takes any preprocessor line or @-directive as Objective-C, whatever else the file holds', () => {
    assert.equal(isMatlabSource('#import <Foundation/Foundation.h>\n// a comment\nint m[2][2] = {{1, 2}, {3, 4}};'), false);
    assert.equal(isMatlabSource('  #include "kernel.h"\n% not a comment in C, but the #include decides'), false);
    assert.equal(isMatlabSource('@interface Kernel : NSObject\n@end'), false);
    assert.equal(isMatlabSource('@implementation Kernel\n- (void)run { NSArray *a = @[@1, @2]; }\n@end'), false);
    assert.equal(isMatlabSource('#define N 3\nK = [1 1; 1 1];'), false);
  });

  it('says no when there is no sign of either (an empty file, plain C statements)', () => {
    assert.equal(isMatlabSource(''), false);
    assert.equal(isMatlabSource('int x = 3;\nreturn x;'), false);
  });

  it('looks only at the start of a long file', () => {
    const long = 'x = 1;\n'.repeat(MATLAB_SNIFF_CHARACTERS / 7 + 1) + '% a comment past the part looked at\n';
    assert.equal(isMatlabSource(long), false);
    assert.equal(isMatlabSource('% MATLAB\n' + long), true);
  });
});
