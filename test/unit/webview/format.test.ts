import * as assert from 'node:assert/strict';
import { colorFor, divergingScale } from '../../../webview/shared/colorScale';
import { formatCellValue, formatExactValue } from '../../../webview/shared/format';

describe('webview cell formatting', () => {
  it('writes integers exactly and other values with four significant digits', () => {
    assert.equal(formatCellValue(10), '10');
    assert.equal(formatCellValue(-3), '−3');
    assert.equal(formatCellValue(0.0625), '0.0625');
    assert.equal(formatCellValue(1 / 3), '0.3333');
    assert.equal(formatCellValue(2.5), '2.5');
    assert.equal(formatCellValue(123456.7), '1.235e+5');
    assert.equal(formatCellValue(2_000_000.5), '2e+6');
    assert.equal(formatCellValue(1e-7), '1e-7');
    assert.equal(formatCellValue(-0), '0');
  });
  it('never hides NaN or infinities', () => {
    assert.equal(formatCellValue(NaN), 'NaN');
    assert.equal(formatCellValue(Infinity), '∞');
    assert.equal(formatCellValue(-Infinity), '−∞');
    assert.equal(formatExactValue(-Infinity), '-Infinity');
    assert.equal(formatExactValue(0.1 + 0.2), '0.30000000000000004');
  });
});

describe('webview diverging colour scale', () => {
  it('is transparent at zero and saturates at the largest |value|', () => {
    const scale = divergingScale([-2, 0, 1, NaN, Infinity]);
    assert.equal(scale.maxAbs, 2);
    assert.equal(colorFor(0, scale)?.[3], 0);
    assert.equal(colorFor(-2, scale)?.[3], 0.8);
    assert.equal(colorFor(1, scale)?.[3], 0.4);
  });
  it('uses different hues for positive and negative values, and none for NaN', () => {
    const scale = divergingScale([-1, 1]);
    assert.notDeepEqual(colorFor(1, scale)?.slice(0, 3), colorFor(-1, scale)?.slice(0, 3));
    assert.equal(colorFor(NaN, scale), undefined);
  });
  it('handles an all-zero matrix without dividing by zero', () => {
    assert.equal(colorFor(0, divergingScale([0, 0]))?.[3], 0);
  });
});
