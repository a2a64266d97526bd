/** Whether a library's output is the engine's, to the precision it computes in. */
import type { Dtype, PeerOutput } from './peers/peer';

/**
 * Largest difference allowed, relative to the largest |value| of the reference: 1e-9 in float64
 * (the tolerance of the PyTorch golden tests), 1e-5 in float32, whose inputs alone are rounded at
 * 6e-8 and whose sums of up to a few hundred products lose a little more.
 */
export const tolerance: Record<Dtype, number> = { float64: 1e-9, float32: 1e-5 };

export interface Agreement {
  readonly sameShape: boolean;
  /** max |peer − reference| / max |reference|; Infinity when the shapes differ or a value is NaN. */
  readonly maxRelativeError: number;
  readonly tolerance: number;
  readonly agrees: boolean;
}

export function compare(reference: PeerOutput, candidate: PeerOutput, dtype: Dtype): Agreement {
  const allowed = tolerance[dtype];
  const sameShape = reference.shape.length === candidate.shape.length && reference.shape.every((size, i) => size === candidate.shape[i]);
  if (!sameShape || reference.data.length !== candidate.data.length) return { sameShape: false, maxRelativeError: Infinity, tolerance: allowed, agrees: false };
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < reference.data.length; i++) {
    const expected = reference.data[i] as number;
    const difference = Math.abs((candidate.data[i] as number) - expected);
    // `!(a <= b)` also catches NaN, which every comparison rejects.
    if (!(difference <= worst)) worst = Number.isNaN(difference) ? Infinity : difference;
    scale = Math.max(scale, Math.abs(expected));
  }
  const maxRelativeError = worst === 0 ? 0 : worst / (scale || 1);
  return { sameShape, maxRelativeError, tolerance: allowed, agrees: maxRelativeError <= allowed };
}
