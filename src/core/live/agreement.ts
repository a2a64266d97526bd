/**
 * How closely a module's own output in the session agrees with Layer Lens's: the largest absolute
 * difference, and that over the largest magnitude of Layer Lens's output (so a float32 module
 * agreeing to rounding shows about 1e-7). Where both are NaN they agree; a NaN on one side only,
 * or a difference over an all-zero output, is an infinite difference.
 */
export interface Agreement {
  readonly maxAbsDiff: number;
  readonly maxRelDiff: number;
}

export function agreement(module: ArrayLike<number>, ours: ArrayLike<number>): Agreement {
  if (module.length !== ours.length) throw new Error(`the outputs hold ${module.length} and ${ours.length} values`);
  let maxAbsDiff = 0;
  let maxMagnitude = 0;
  for (let i = 0; i < ours.length; i++) {
    const a = module[i] as number;
    const b = ours[i] as number;
    if (Number.isNaN(a) && Number.isNaN(b)) continue;
    const diff = a === b ? 0 : Math.abs(a - b); // equal infinities agree
    maxAbsDiff = Number.isNaN(diff) ? Infinity : Math.max(maxAbsDiff, diff);
    if (Number.isFinite(b)) maxMagnitude = Math.max(maxMagnitude, Math.abs(b));
  }
  const maxRelDiff = maxAbsDiff === 0 ? 0 : maxMagnitude === 0 ? Infinity : maxAbsDiff / maxMagnitude;
  return { maxAbsDiff, maxRelDiff };
}

/** "matches PyTorch's output to 3.1e-7 relative (largest difference 2.4e-7)", or the difference. */
export function describeAgreement(result: Agreement, dtype: string): string {
  if (result.maxAbsDiff === 0) return `matches PyTorch's ${dtype} output exactly`;
  const rel = result.maxRelDiff.toExponential(1);
  const abs = result.maxAbsDiff.toExponential(1);
  // float32 rounding of sums of a few thousand products stays well under 1e-5 relative.
  const close = dtype === 'float64' ? result.maxRelDiff < 1e-12 : result.maxRelDiff < 1e-5;
  return close ? `matches PyTorch's ${dtype} output to ${rel} relative (largest difference ${abs})` : `differs from PyTorch's ${dtype} output by up to ${abs} (${rel} relative)`;
}

/**
 * `output + bias` on the channel axis, as PyTorch adds it after the convolution: the second axis of a
 * batch `[N, C, …spatial]`, the first of an unbatched `[C, …spatial]` (`spatialAxes` tells which).
 */
export function addChannelBias(shape: readonly number[], data: Float64Array, bias: ArrayLike<number>, spatialAxes = 2): Float64Array {
  const channelAxis = shape.length === spatialAxes + 2 ? 1 : 0;
  const channels = shape[channelAxis] as number;
  if (bias.length !== channels) throw new Error(`a bias of ${bias.length} values for ${channels} channels`);
  const inner = shape.slice(channelAxis + 1).reduce((a, b) => a * b, 1);
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = (data[i] as number) + (bias[Math.floor(i / inner) % channels] as number);
  return out;
}
