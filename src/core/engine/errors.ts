/**
 * Stable identifiers for every way a layer call can be invalid. Views key their help on these, so
 * a code is never renamed once released; the message may be reworded.
 *
 * - `invalid-shape`: a tensor has the wrong rank, a zero or non-integer size, or data that does not fill its shape.
 * - `invalid-parameter`: an option is not a number of the right kind (negative padding, zero stride, 1.5 groups, …).
 * - `channel-mismatch`: the input's channel count does not fit the weight (or the upscale factor).
 * - `bias-mismatch`: the bias is not 1-D with one value per output channel.
 * - `groups-mismatch`: `groups` does not divide the channel counts.
 * - `output-padding-too-large`: `output_padding` is not smaller than `stride` or `dilation`.
 * - `empty-output`: the output-size formula gives 0 or less on some axis.
 * - `kernel-too-large`: the dilated kernel is larger than the padded input (plain convolution).
 * - `pool-padding-too-large`: pooling padding is more than half the kernel size.
 * - `too-large`: the output would hold more values than a typed array can.
 */
export type LayerErrorCode =
  | 'invalid-shape'
  | 'invalid-parameter'
  | 'channel-mismatch'
  | 'bias-mismatch'
  | 'groups-mismatch'
  | 'output-padding-too-large'
  | 'empty-output'
  | 'kernel-too-large'
  | 'pool-padding-too-large'
  | 'too-large';

/** A layer call PyTorch would reject, explained in a user's words (naming the parameter and value). */
export class LayerError extends Error {
  override readonly name = 'LayerError';
  constructor(readonly code: LayerErrorCode, message: string) {
    super(message);
  }
}

/**
 * A LayerError's message as a sentence on its own (capital, full stop): messages start in lower
 * case so that they also read inside a longer sentence ("Layer Lens: output would be empty …").
 */
export function asSentence(message: string): string {
  const capital = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
