/**
 * Turning a literal argument into the engine option it stands for: `4` as a kernel size of a 2-D
 * layer is `[4, 4]`, `padding="SAME"` in Keras is the mode `'same'`, `bias=False` is `false`. A
 * literal of the wrong shape for its option (`kernel_size=(3, 3, 3)` on a 2-D layer, Flax's
 * explicit `((1, 2), (1, 2))` padding) is reported as unsupported rather than bent into shape.
 */
import type { LayerParamName, LayerParamTypes, LayerSignature, PaddingFill, PaddingMode, SpatialSize } from './layerSignatures';
import type { PythonLiteral } from './pythonLiteral';

/** Why an argument's value is not given: it is an expression of names, or a literal the option cannot take. */
export type UnknownReason = 'expression' | 'unsupported';

/**
 * One option as the call sets it. A known value of `null` is Python's `None`: the framework's
 * default for that argument (stride = kernel size for pooling, no bias for `F.conv2d`'s tensor).
 * `start`/`end` locate the value in the text, for rewriting it in place.
 */
export type LayerParam<V> =
  | {
      readonly kind: 'known';
      readonly value: V | null;
      readonly start: number;
      readonly end: number;
      /**
       * The value as written, when it is a Python float (`2.0`, `(2, 2.0)`, `4 / 2`) where PyTorch
       * wants an int: Layer Lens reads the number, PyTorch 1.13 raises a TypeError (see argumentTypes.ts).
       */
      readonly floatText?: string;
    }
  | { readonly kind: 'unknown'; readonly reason: UnknownReason; readonly text: string; readonly start: number; readonly end: number };

/** The options a call sets, each typed by its name (`kernelSize` is a {@link SpatialSize}, `bias` a boolean…). */
export type LayerParams = { readonly [K in LayerParamName]?: LayerParam<LayerParamTypes[K]> };

/** Spatial axes of a layer, once known. */
export type Rank = 1 | 2 | 3;

const PADDING_FILLS: readonly PaddingFill[] = ['zeros', 'reflect', 'replicate', 'circular'];

/** The option value a literal stands for, `null` for `None`, or `undefined` when the option cannot take it. */
export function decodeParam<K extends LayerParamName>(name: K, literal: PythonLiteral, signature: LayerSignature, rank: Rank): LayerParamTypes[K] | null | undefined {
  if (literal === null) return null;
  return decoders[name](literal, signature, rank) as LayerParamTypes[K] | undefined;
}

type Decoder = (literal: Exclude<PythonLiteral, null>, signature: LayerSignature, rank: Rank) => LayerParamTypes[LayerParamName] | undefined;

const count: Decoder = (literal) => (typeof literal === 'number' ? literal : undefined);
const size: Decoder = (literal, _signature, rank) => sizeOf(literal, rank);
const flag: Decoder = (literal) => (typeof literal === 'boolean' ? literal : undefined);

const decoders: Readonly<Record<LayerParamName, Decoder>> = {
  inChannels: count,
  outChannels: count,
  groups: count,
  upscaleFactor: count,
  divisorOverride: count,
  kernelSize: size,
  stride: size,
  outputPadding: size,
  dilation: size,
  size,
  scaleFactor: size,
  // PyTorch convolutions take 'same' / 'valid' (exactly so spelled); other layers only amounts.
  padding: (literal, signature, rank) =>
    typeof literal === 'string' ? (signature.stringPadding && (literal === 'same' || literal === 'valid') ? literal : undefined) : sizeOf(literal, rank),
  // Keras lower-cases its padding string; Flax spells it 'SAME' / 'VALID'. Flax's 'CIRCULAR' and
  // explicit (low, high) pairs have no equivalent among the engine's options.
  paddingMode: (literal) => {
    const mode = typeof literal === 'string' ? literal.toLowerCase() : undefined;
    return mode === 'same' || mode === 'valid' ? (mode satisfies PaddingMode) : undefined;
  },
  paddingFill: (literal) => PADDING_FILLS.find((fill) => fill === literal),
  bias: flag,
  alignCorners: flag,
  ceilMode: flag,
  countIncludePad: flag,
  mode: (literal) => (typeof literal === 'string' ? literal : undefined),
};

/** An int (or float, for scale factors) for every axis, or one per axis: `[h, w]` on 2-D layers, `[d, h, w]` on 3-D ones, a number on 1-D ones. */
function sizeOf(literal: Exclude<PythonLiteral, null>, rank: Rank): SpatialSize | undefined {
  if (typeof literal === 'number') return rank === 1 ? literal : rank === 2 ? [literal, literal] : [literal, literal, literal];
  if (!Array.isArray(literal) || literal.length !== rank || !literal.every((v) => typeof v === 'number')) return undefined;
  const values = literal as readonly number[];
  if (rank === 1) return values[0] as number;
  return rank === 2 ? [values[0] as number, values[1] as number] : [values[0] as number, values[1] as number, values[2] as number];
}

/** The rank a Flax `kernel_size` literal gives (an int is 1-D, a sequence has one entry per axis), if it is one. */
export function rankOfKernelSize(literal: PythonLiteral | undefined): number | undefined {
  if (typeof literal === 'number') return 1;
  if (Array.isArray(literal) && literal.every((v) => typeof v === 'number')) return literal.length;
  return undefined;
}
