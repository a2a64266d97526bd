/**
 * Deterministic pseudo-random convolution weights, so a lesson's "random initialisation" is the
 * same on every machine and in every test. The distribution is PyTorch's default for `nn.Conv2d`
 * weights (`kaiming_uniform_` with `a = √5`): uniform on `[−b, b)` with `b = 1/√(C_in·kH·kW)`. The
 * generator is mulberry32 (a 32-bit state, period 2³²), seeded with the caller's whole number; it
 * does not reproduce `torch.manual_seed`'s stream, only its distribution.
 */
import { LayerError } from './errors';
import { checkAllocation } from './layout';
import { readInteger, readIntPair, type IntPair } from './pairs';
import { tensor, type Tensor } from './tensor';

export interface SeededConvWeightOptions {
  readonly outChannels: number;
  readonly inChannels: number;
  readonly kernelSize: IntPair;
  /** Any whole number of 0 or more; only its low 32 bits matter. */
  readonly seed: number;
}

/** `[C_out, C_in, kH, kW]`, uniform on `±1/√(C_in·kH·kW)`, the same for the same options everywhere. */
export function seededConvWeight(options: SeededConvWeightOptions): Tensor {
  const outChannels = requiredInteger('outChannels', options.outChannels);
  const inChannels = requiredInteger('inChannels', options.inChannels);
  const [kh, kw] = readIntPair('kernel_size', options.kernelSize ?? missing('kernelSize'), 1, 'positive');
  if (options.seed === undefined) missing('seed');
  const seed = readInteger('seed', options.seed, 0, 'non-negative');
  checkAllocation('the seeded weight', [outChannels, inChannels, kh, kw]);
  const bound = 1 / Math.sqrt(inChannels * kh * kw);
  const next = mulberry32(seed);
  const data = new Float64Array(outChannels * inChannels * kh * kw);
  for (let i = 0; i < data.length; i++) data[i] = (2 * next() - 1) * bound;
  return tensor([outChannels, inChannels, kh, kw], data);
}

function requiredInteger(name: string, value: unknown): number {
  if (value === undefined) missing(name);
  return readInteger(name, value, 1, 'positive');
}

function missing(name: string): never {
  throw new LayerError('invalid-parameter', `a seeded weight needs ${name}`);
}

/** mulberry32: uniform on [0, 1) with 2⁻³² resolution. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
