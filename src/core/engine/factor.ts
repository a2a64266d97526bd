/**
 * Reading the upsampling factor of the checkerboard lab's layers. Sub-pixel convolution, ICNR and
 * the comparison need a whole number (pixel shuffle and a transposed convolution's stride are
 * whole); resize-convolution takes any positive scale factor, as `F.interpolate` does.
 */
import { LayerError } from './errors';
import { describeValue, readInteger, readPositivePair, type Pair } from './pairs';

/** A whole factor of `min` or more; `op` names the call in the message when it is missing. */
export function readWholeFactor(op: string, value: unknown, min: 1 | 2 = 1): number {
  if (value === undefined) throw new LayerError('invalid-parameter', `${op} needs factor: the upsampling factor, a whole number of ${min} or more`);
  const factor = readInteger('factor', value, 1, 'positive');
  if (factor < min) {
    throw new LayerError('invalid-parameter', `factor ${describeValue(value)} does not upsample: ${op} needs ${min} or more`);
  }
  return factor;
}

/** A positive scale factor, one for both axes or `[h, w]`. */
export function readScaleFactor(op: string, value: unknown): Pair {
  if (value === undefined) throw new LayerError('invalid-parameter', `${op} needs factor: the upsampling factor, a positive number or a pair [h, w]`);
  return readPositivePair('factor', value);
}
