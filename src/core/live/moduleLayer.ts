/**
 * A live PyTorch module as a layer Layer Lens computes: its class and hyperparameters (read by
 * moduleSnippet) become the engine's op and options, with PyTorch's own refusals for what the
 * engine does not do (a `padding_mode` other than zeros, `divisor_override`, an interpolation
 * mode other than nearest and bilinear, …) stated in words.
 */
import type { IntPair } from '../engine/pairs';
import type { AvgPool2dOptions, Conv1dOptions, Conv2dOptions, ConvTranspose1dOptions, ConvTranspose2dOptions, MaxPool2dOptions, PixelShuffleOptions, UpsampleOptions } from '../engine/options';

/** A module as moduleSnippet describes it. */
export interface ModuleDescription {
  readonly type: string;
  readonly module: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly weight: boolean;
  readonly bias: boolean;
}

/** The layer a module is, with the engine's options (no tensors: weight and bias are fetched after). */
export type LiveLayerPlan =
  | { readonly op: 'convTranspose2d'; readonly options: Omit<ConvTranspose2dOptions, 'bias'>; readonly bias: boolean }
  | { readonly op: 'conv2d'; readonly options: Omit<Conv2dOptions, 'bias'>; readonly bias: boolean }
  | { readonly op: 'convTranspose1d'; readonly options: Omit<ConvTranspose1dOptions, 'bias'>; readonly bias: boolean }
  | { readonly op: 'conv1d'; readonly options: Omit<Conv1dOptions, 'bias'>; readonly bias: boolean }
  | { readonly op: 'maxPool2d'; readonly options: MaxPool2dOptions }
  | { readonly op: 'avgPool2d'; readonly options: AvgPool2dOptions }
  | { readonly op: 'upsample'; readonly options: UpsampleOptions }
  | { readonly op: 'pixelShuffle'; readonly options: PixelShuffleOptions };

/** The module classes Run Live Layer runs. */
export const LIVE_LAYER_TYPES = ['ConvTranspose2d', 'Conv2d', 'ConvTranspose1d', 'Conv1d', 'MaxPool2d', 'AvgPool2d', 'Upsample', 'UpsamplingNearest2d', 'UpsamplingBilinear2d', 'PixelShuffle'] as const;

export type PlanReading = { readonly ok: true; readonly plan: LiveLayerPlan } | { readonly ok: false; readonly problem: string };

/** Reads moduleSnippet's JSON; throws when it is not that shape. */
export function readModuleDescription(json: unknown): ModuleDescription {
  if (typeof json !== 'object' || json === null) throw new Error('the module description is not an object');
  const { type, module, attributes, weight, bias } = json as Record<string, unknown>;
  if (typeof type !== 'string' || typeof module !== 'string' || typeof attributes !== 'object' || attributes === null) throw new Error('the module description lacks its type');
  return { type, module, attributes: attributes as Record<string, unknown>, weight: weight === true, bias: bias === true };
}

/** The engine's layer for `description`, or why Layer Lens cannot run it (`name` is how the user wrote the module). */
export function planLiveLayer(description: ModuleDescription, name: string): PlanReading {
  const { type, attributes: a } = description;
  const refuse = (why: string): PlanReading => ({ ok: false, problem: `${name} is a ${type}: ${why}` });
  if (!description.module.startsWith('torch.nn')) {
    return { ok: false, problem: `${name} is a ${description.module}.${type}, not one of PyTorch's layers; Run Live Layer runs ${LIVE_LAYER_TYPES.join(', ')}` };
  }
  try {
    switch (type) {
      case 'ConvTranspose2d':
      case 'Conv2d':
      case 'ConvTranspose1d':
      case 'Conv1d':
        if (a.padding_mode !== 'zeros') return refuse(`its padding_mode is '${String(a.padding_mode)}'; Layer Lens computes zero padding only`);
        if (!description.weight) return refuse('it has no weight');
        return { ok: true, plan: convPlan(type, a, description.bias) };
      case 'MaxPool2d': {
        if (a.return_indices === true) return refuse('it returns indices too (return_indices=True); Layer Lens compares the values only, so inspect a MaxPool2d without them');
        return { ok: true, plan: { op: 'maxPool2d', options: { kernelSize: pair(a.kernel_size, 'kernel_size'), stride: pair(a.stride ?? a.kernel_size, 'stride'), padding: pair(a.padding, 'padding'), dilation: pair(a.dilation, 'dilation'), ceilMode: a.ceil_mode === true } } };
      }
      case 'AvgPool2d': {
        if (a.divisor_override !== null && a.divisor_override !== undefined) return refuse(`its divisor_override is ${String(a.divisor_override)}; Layer Lens divides by the window's size as PyTorch does by default`);
        return {
          ok: true,
          plan: { op: 'avgPool2d', options: { kernelSize: pair(a.kernel_size, 'kernel_size'), stride: pair(a.stride ?? a.kernel_size, 'stride'), padding: pair(a.padding, 'padding'), ceilMode: a.ceil_mode === true, countIncludePad: a.count_include_pad !== false } },
        };
      }
      case 'Upsample':
      case 'UpsamplingNearest2d':
      case 'UpsamplingBilinear2d': {
        const mode = a.mode;
        if (mode !== 'nearest' && mode !== 'bilinear') return refuse(`its mode is '${String(mode)}'; Layer Lens computes 'nearest' and 'bilinear'`);
        if (a.recompute_scale_factor === true) return refuse('it recomputes its scale factor from the output size (recompute_scale_factor=True), which Layer Lens does not');
        const alignCorners = mode === 'bilinear' ? a.align_corners === true : undefined;
        const scale = a.scale_factor;
        const options: UpsampleOptions =
          scale !== null && scale !== undefined
            ? { mode, scaleFactor: typeof scale === 'number' ? scale : (numberPair(scale, 'scale_factor') as [number, number]), ...(alignCorners !== undefined ? { alignCorners } : {}) }
            : { mode, size: pair(a.size, 'size'), ...(alignCorners !== undefined ? { alignCorners } : {}) };
        return { ok: true, plan: { op: 'upsample', options } };
      }
      case 'PixelShuffle':
        return { ok: true, plan: { op: 'pixelShuffle', options: { upscaleFactor: int(a.upscale_factor, 'upscale_factor') } } };
      default:
        return { ok: false, problem: `${name} is a ${type}; Run Live Layer runs ${LIVE_LAYER_TYPES.join(', ')}` };
    }
  } catch (error) {
    return refuse(error instanceof Error ? error.message : String(error));
  }
}

/**
 * A convolution's options. PyTorch keeps a 1-D layer's sizes as one-element tuples and a 2-D
 * layer's as pairs; `padding` may also be `'same'` or `'valid'` for the plain convolutions.
 */
function convPlan(type: 'ConvTranspose2d' | 'Conv2d' | 'ConvTranspose1d' | 'Conv1d', a: Readonly<Record<string, unknown>>, bias: boolean): LiveLayerPlan {
  const oneD = type.endsWith('1d');
  // A 1-D size read with `single` is a number, which both the 1-D and the 2-D options take.
  const size: (value: unknown, what: string) => number | IntPair = oneD ? single : pair;
  const shared = { stride: size(a.stride, 'stride'), dilation: size(a.dilation, 'dilation'), groups: int(a.groups, 'groups') };
  if (type === 'ConvTranspose2d' || type === 'ConvTranspose1d') {
    const options = { ...shared, padding: size(a.padding, 'padding'), outputPadding: size(a.output_padding, 'output_padding') };
    return oneD ? { op: 'convTranspose1d', bias, options: options as Omit<ConvTranspose1dOptions, 'bias'> } : { op: 'convTranspose2d', bias, options };
  }
  const mode = a.padding === 'same' ? 'same' : a.padding === 'valid' ? 'valid' : undefined;
  const options: Omit<Conv2dOptions, 'bias'> = { ...shared, padding: mode ?? size(a.padding, 'padding') };
  return oneD ? { op: 'conv1d', bias, options: options as Omit<Conv1dOptions, 'bias'> } : { op: 'conv2d', bias, options };
}

function int(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  throw new Error(`its ${what} is ${JSON.stringify(value)}, not a whole number`);
}

function pair(value: unknown, what: string): IntPair {
  if (typeof value === 'number') return int(value, what);
  if (Array.isArray(value) && value.length === 2) return [int(value[0], what), int(value[1], what)];
  throw new Error(`its ${what} is ${JSON.stringify(value)}, not a number or a pair of numbers`);
}

function single(value: unknown, what: string): number {
  if (Array.isArray(value) && value.length === 1) return int(value[0], what);
  return int(value, what);
}

function numberPair(value: unknown, what: string): readonly [number, number] {
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) return [value[0] as number, value[1] as number];
  throw new Error(`its ${what} is ${JSON.stringify(value)}, not a pair of numbers`);
}
