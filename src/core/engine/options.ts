/**
 * The options every layer takes, with PyTorch's names in camelCase and PyTorch's defaults. A pair
 * is an int (both axes) or `[h, w]`; a 1-D layer's is an int or `[l]`; a 3-D layer's an int or `[d, h, w]`. Everything is checked at run
 * time as well, because options arrive from keybindings, text and other extensions.
 */
import type { IntPair, IntSingle, IntTriple } from './pairs';
import type { Tensor } from './tensor';

/**
 * The string paddings of plain convolution. PyTorch's: `'valid'` is 0; `'same'` keeps the input size
 * (stride 1 only), the odd one of an odd total after. Keras' (TensorFlow's) `'same'` for any stride,
 * which PyTorch writes as `F.pad` then a convolution: `'keras-same'` pads
 * `(⌈L / s⌉ − 1)·s + dilation·(k − 1) + 1 − L` (at least 0), `⌊total / 2⌋` before and the rest
 * after, so the output is `⌈L / s⌉` (at stride 1 it is PyTorch's `'same'`).
 */
export type ConvPaddingMode = 'same' | 'valid' | 'keras-same';

/** `F.conv_transpose2d`. Defaults: stride 1, padding 0, outputPadding 0, dilation 1, groups 1, no bias. */
export interface ConvTranspose2dOptions {
  /** `[C_out]`, added to every output value of its channel. */
  readonly bias?: Tensor;
  readonly stride?: IntPair;
  /** Trimmed from both ends of each axis of the full output (`dilation·(k − 1) − padding` of zero padding, in conv terms). */
  readonly padding?: IntPair;
  /** Extra rows/columns added at the bottom/right only, to pick one of the `stride` input sizes a conv maps to the same output. */
  readonly outputPadding?: IntPair;
  readonly dilation?: IntPair;
  readonly groups?: number;
}

/**
 * Where a transposed convolution writes its result, for callers that run the same layer again and
 * again (a benchmark, an animation, a worker serving a panel). `out` must be a `Float64Array` of
 * exactly the output's size that shares no memory with the input, weight or bias; whatever it held
 * is overwritten, and the returned tensor's `data` is `out` itself. Reusing one array matters for
 * large outputs: Node gives a new array of more than 32 MiB fresh memory from the operating system
 * every time, and touching it for the first time costs more than the convolution (about 110 ms for a
 * 1025 × 1025 output on a 2-core VM, against about 6 ms of arithmetic).
 */
export interface OutputBufferOption {
  readonly out?: Float64Array;
}

/** `F.conv2d`. Defaults: stride 1, padding 0, dilation 1, groups 1, no bias. */
export interface Conv2dOptions {
  readonly bias?: Tensor;
  readonly stride?: IntPair;
  readonly padding?: IntPair | ConvPaddingMode;
  readonly dilation?: IntPair;
  readonly groups?: number;
}

/** `F.conv_transpose1d`: the 2-D options with a single int (or `[l]`) per option. */
export interface ConvTranspose1dOptions {
  readonly bias?: Tensor;
  readonly stride?: IntSingle;
  readonly padding?: IntSingle;
  readonly outputPadding?: IntSingle;
  readonly dilation?: IntSingle;
  readonly groups?: number;
}

/** `F.conv1d`: the 2-D options with a single int (or `[l]`) per option. */
export interface Conv1dOptions {
  readonly bias?: Tensor;
  readonly stride?: IntSingle;
  readonly padding?: IntSingle | ConvPaddingMode;
  readonly dilation?: IntSingle;
  readonly groups?: number;
}

/** `F.conv_transpose3d`: the 2-D options with an int or `[d, h, w]` per option. */
export interface ConvTranspose3dOptions {
  readonly bias?: Tensor;
  readonly stride?: IntTriple;
  readonly padding?: IntTriple;
  readonly outputPadding?: IntTriple;
  readonly dilation?: IntTriple;
  readonly groups?: number;
}

/** `F.conv3d`: the 2-D options with an int or `[d, h, w]` per option. */
export interface Conv3dOptions {
  readonly bias?: Tensor;
  readonly stride?: IntTriple;
  readonly padding?: IntTriple | ConvPaddingMode;
  readonly dilation?: IntTriple;
  readonly groups?: number;
}

/** `F.max_pool2d`. Defaults: stride = kernelSize, padding 0, dilation 1, ceilMode false. */
export interface MaxPool2dOptions {
  readonly kernelSize: IntPair;
  readonly stride?: IntPair;
  /** Implicit −∞ padding; at most half the kernel size, as PyTorch requires. */
  readonly padding?: IntPair;
  readonly dilation?: IntPair;
  readonly ceilMode?: boolean;
}

/** `F.avg_pool2d`. Defaults: stride = kernelSize, padding 0, ceilMode false, countIncludePad true. */
export interface AvgPool2dOptions {
  readonly kernelSize: IntPair;
  readonly stride?: IntPair;
  /** Implicit zero padding; at most half the kernel size, as PyTorch requires. */
  readonly padding?: IntPair;
  readonly ceilMode?: boolean;
  /** Whether the zero padding counts in a window's divisor (the part of a ceil-mode window past the padding never does). */
  readonly countIncludePad?: boolean;
  /** Divides every window's sum by this instead (a nonzero whole number), as PyTorch's `divisor_override`. */
  readonly divisorOverride?: number;
}

/** `F.max_pool1d`: the 2-D options with an int or `[l]` each. */
export interface MaxPool1dOptions {
  readonly kernelSize: IntSingle;
  readonly stride?: IntSingle;
  readonly padding?: IntSingle;
  readonly dilation?: IntSingle;
  readonly ceilMode?: boolean;
}

/** `F.max_pool3d`: the 2-D options with an int or `[d, h, w]` each. */
export interface MaxPool3dOptions {
  readonly kernelSize: IntTriple;
  readonly stride?: IntTriple;
  readonly padding?: IntTriple;
  readonly dilation?: IntTriple;
  readonly ceilMode?: boolean;
}

/** `F.avg_pool1d`: the 2-D options with an int or `[l]` each (PyTorch's avg_pool1d has no divisor_override). */
export interface AvgPool1dOptions {
  readonly kernelSize: IntSingle;
  readonly stride?: IntSingle;
  readonly padding?: IntSingle;
  readonly ceilMode?: boolean;
  readonly countIncludePad?: boolean;
}

/** `F.avg_pool3d`: the 2-D options with an int or `[d, h, w]` each. */
export interface AvgPool3dOptions {
  readonly kernelSize: IntTriple;
  readonly stride?: IntTriple;
  readonly padding?: IntTriple;
  readonly ceilMode?: boolean;
  readonly countIncludePad?: boolean;
  readonly divisorOverride?: number;
}

/** The interpolation modes of `F.interpolate` on images that Layer Lens implements (and the checkerboard lab offers). */
export type UpsampleMode = 'nearest' | 'bilinear';

/** Every interpolation mode of `F.interpolate` the engine implements: `nearest` for any rank, `linear` for sequences, `bilinear` for images, `trilinear` for volumes. */
export type InterpolationMode = UpsampleMode | 'linear' | 'trilinear';

/**
 * `F.interpolate` on images. Exactly one of `scaleFactor` and `size`. `alignCorners` is for the
 * linear modes only (default false), as in PyTorch, which refuses it for `nearest`. The mode and
 * the input's rank pick the layer, as `F.interpolate` does: `linear` reads `[N, C, L]`, `trilinear`
 * and a 5-D `nearest` read `[N, C, D, H, W]` (see {@link Upsample1dOptions}, {@link Upsample3dOptions};
 * a scale factor or size is then one number or one per axis); otherwise the input is an image.
 */
export interface UpsampleOptions {
  readonly mode?: InterpolationMode;
  /** Output size `⌊H_in·scale_factor⌋`; the kernel then maps back with `1/scale_factor`, as PyTorch does. */
  readonly scaleFactor?: number | readonly [number, number] | readonly [number] | readonly [number, number, number];
  readonly size?: IntPair | IntSingle | IntTriple;
  readonly alignCorners?: boolean;
}

/** `F.interpolate` on a batch of sequences `[N, C, L]` (PyTorch takes no unbatched form): `nearest` or `linear`. */
export interface Upsample1dOptions {
  readonly mode?: 'nearest' | 'linear';
  readonly scaleFactor?: number | readonly [number];
  readonly size?: IntSingle;
  readonly alignCorners?: boolean;
}

/** `F.interpolate` on a batch of volumes `[N, C, D, H, W]` (PyTorch takes no unbatched form): `nearest` or `trilinear`. */
export interface Upsample3dOptions {
  readonly mode?: 'nearest' | 'trilinear';
  readonly scaleFactor?: number | readonly [number, number, number];
  readonly size?: IntTriple;
  readonly alignCorners?: boolean;
}

/** `F.pixel_shuffle`: `[C·r², H, W]` → `[C, H·r, W·r]`. */
export interface PixelShuffleOptions {
  readonly upscaleFactor: number;
}

/**
 * What the shape arithmetic needs to know about a convolution's weight: its full shape (and the
 * bias's), or only the kernel size, for shape-only questions. With only `kernelSize`, the weight is
 * a `[kH, kW]` kernel for a matrix input, and otherwise one that keeps the channel count
 * (`C_out = C_in`, `[C_in, C_in/groups, kH, kW]`).
 */
export type WeightDescription<Size> =
  | { readonly weightShape: readonly number[]; readonly biasShape?: readonly number[]; readonly kernelSize?: undefined }
  | { readonly kernelSize: Size; readonly weightShape?: undefined; readonly biasShape?: undefined };

/** The options {@link outputShape} takes for each layer: the layer's own, with tensors replaced by shapes. */
export interface ShapeOptionsByOp {
  convTranspose2d: Omit<ConvTranspose2dOptions, 'bias'> & WeightDescription<IntPair>;
  conv2d: Omit<Conv2dOptions, 'bias'> & WeightDescription<IntPair>;
  convTranspose1d: Omit<ConvTranspose1dOptions, 'bias'> & WeightDescription<IntSingle>;
  conv1d: Omit<Conv1dOptions, 'bias'> & WeightDescription<IntSingle>;
  convTranspose3d: Omit<ConvTranspose3dOptions, 'bias'> & WeightDescription<IntTriple>;
  conv3d: Omit<Conv3dOptions, 'bias'> & WeightDescription<IntTriple>;
  maxPool2d: MaxPool2dOptions;
  avgPool2d: AvgPool2dOptions;
  maxPool1d: MaxPool1dOptions;
  avgPool1d: AvgPool1dOptions;
  maxPool3d: MaxPool3dOptions;
  avgPool3d: AvgPool3dOptions;
  upsample: UpsampleOptions;
  upsample1d: Upsample1dOptions;
  upsample3d: Upsample3dOptions;
  pixelShuffle: PixelShuffleOptions;
}

/** Every layer the engine computes ({@link outputShape} answers for each). */
export type EngineOp = keyof ShapeOptionsByOp;

/** The layers the editor reads from source (hovers, CodeLens, stacks): every layer the engine computes, 1-D, 2-D and 3-D (issue 22). */
export type LayerOp = EngineOp;

/** The convolution layers, which share one shape module. */
export type ConvOp = 'convTranspose2d' | 'conv2d' | 'convTranspose1d' | 'conv1d' | 'convTranspose3d' | 'conv3d';
