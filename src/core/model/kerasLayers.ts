/**
 * The Keras layers the model reader knows, by Keras's own rules (keras-team/keras 3, `keras/src/`):
 * how the constructor binds its arguments (Keras's parameter names and defaults), the name Keras
 * gives a layer (`conv2d`, `conv2d_1`…), the output shape, the parameters a layer creates when it
 * is built on its first input, and the checks that make Keras raise. Shapes are channels-last
 * `[N, …spatial, C]`; `data_format="channels_first"` is not read (said, never guessed).
 *
 * Multiply-adds follow the PyTorch reader's conventions (analyzeModel.ts): convolution `output
 * numel · C_in/groups · ∏k`, transposed convolution `input numel · filters · ∏k`, dense `output
 * numel · C_in`, separable and depthwise convolutions as their depthwise and pointwise parts.
 */
import { int, isObj, itemsOf, kindOf, NotKnown, TorchRaise, truthy, unknown, type ModuleNode, type Value } from './values';

type Signature = readonly (readonly [string, Value | undefined])[];

/** Keras's positional parameters and defaults (keras/src/layers/…/*.py `__init__`). */
const SIGNATURES: Record<string, Signature> = {};
const convArgs: Signature = [['filters', undefined], ['kernel_size', undefined], ['strides', 1], ['padding', 'valid'], ['data_format', null], ['dilation_rate', 1], ['groups', 1], ['activation', null], ['use_bias', true]];
// base_conv_transpose.py: output_padding comes after padding; no groups.
const convTArgs: Signature = [['filters', undefined], ['kernel_size', undefined], ['strides', 1], ['padding', 'valid'], ['output_padding', null], ['data_format', null], ['dilation_rate', 1], ['activation', null], ['use_bias', true]];
const sepArgs: Signature = [['filters', undefined], ['kernel_size', undefined], ['strides', 1], ['padding', 'valid'], ['data_format', null], ['dilation_rate', 1], ['depth_multiplier', 1], ['activation', null], ['use_bias', true]];
const depthArgs: Signature = [['kernel_size', undefined], ['strides', 1], ['padding', 'valid'], ['depth_multiplier', 1], ['data_format', null], ['dilation_rate', 1], ['activation', null], ['use_bias', true]];
for (const r of [1, 2, 3]) {
  SIGNATURES[`Conv${r}D`] = convArgs;
  SIGNATURES[`Conv${r}DTranspose`] = convTArgs;
  SIGNATURES[`SeparableConv${r}D`] = sepArgs;
  SIGNATURES[`DepthwiseConv${r}D`] = depthArgs;
  const pool = r === 1 ? 2 : Array.from({ length: r }, () => 2);
  const poolValue: Value = typeof pool === 'number' ? pool : { k: 'tuple', items: pool };
  SIGNATURES[`MaxPooling${r}D`] = [['pool_size', poolValue], ['strides', null], ['padding', 'valid'], ['data_format', null]];
  SIGNATURES[`AveragePooling${r}D`] = SIGNATURES[`MaxPooling${r}D`] as Signature;
  SIGNATURES[`GlobalAveragePooling${r}D`] = [['data_format', null], ['keepdims', false]];
  SIGNATURES[`GlobalMaxPooling${r}D`] = SIGNATURES[`GlobalAveragePooling${r}D`] as Signature;
  SIGNATURES[`UpSampling${r}D`] = [['size', poolValue], ['data_format', null], ['interpolation', 'nearest']];
  SIGNATURES[`ZeroPadding${r}D`] = [['padding', r === 1 ? 1 : { k: 'tuple', items: Array.from({ length: r }, () => 1) }], ['data_format', null]];
  SIGNATURES[`Cropping${r}D`] = [['cropping', r === 1 ? { k: 'tuple', items: [1, 1] } : { k: 'tuple', items: Array.from({ length: r }, () => ({ k: 'tuple', items: [0, 0] }) as Value) }], ['data_format', null]];
}
// Keras 2 spellings still found in code (`MaxPool2D`, `AvgPool2D`, `Convolution2D`).
const ALIASES: Readonly<Record<string, string>> = { MaxPool1D: 'MaxPooling1D', MaxPool2D: 'MaxPooling2D', MaxPool3D: 'MaxPooling3D', AvgPool1D: 'AveragePooling1D', AvgPool2D: 'AveragePooling2D', AvgPool3D: 'AveragePooling3D', Convolution1D: 'Conv1D', Convolution2D: 'Conv2D', Convolution3D: 'Conv3D', Convolution2DTranspose: 'Conv2DTranspose', GlobalAvgPool2D: 'GlobalAveragePooling2D', GlobalMaxPool2D: 'GlobalMaxPooling2D' };
Object.assign(SIGNATURES, {
  Dense: [['units', undefined], ['activation', null], ['use_bias', true]],
  BatchNormalization: [['axis', -1], ['momentum', 0.99], ['epsilon', 0.001], ['center', true], ['scale', true]],
  LayerNormalization: [['axis', -1], ['epsilon', 0.001], ['center', true], ['scale', true]],
  Flatten: [['data_format', null]],
  Reshape: [['target_shape', undefined]],
  Concatenate: [['axis', -1]],
  Activation: [['activation', undefined]],
  Dropout: [['rate', undefined], ['noise_shape', null], ['seed', null]],
  GroupNormalization: [['groups', 32], ['axis', -1], ['epsilon', 0.001], ['center', true], ['scale', true]],
  Resizing: [['height', undefined], ['width', undefined], ['interpolation', 'bilinear']],
});
const MERGES = new Set(['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum']);
/** Layers that keep the shape and own no weights (any arguments). */
const SHAPE_KEEPING = new Set(
  'Activation Dropout SpatialDropout1D SpatialDropout2D SpatialDropout3D GaussianNoise GaussianDropout AlphaDropout ReLU LeakyReLU ELU Softmax ThresholdedReLU Identity Rescaling RandomFlip RandomRotation RandomZoom RandomContrast RandomTranslation RandomBrightness'.split(' '),
);

/** The layers analyzeModel lists (convolution, transposed convolution, dense, pooling, normalization). */
export const KERAS_LISTED = new Set(
  [1, 2, 3].flatMap((r) => [`Conv${r}D`, `Conv${r}DTranspose`, `SeparableConv${r}D`, `DepthwiseConv${r}D`, `MaxPooling${r}D`, `AveragePooling${r}D`, `GlobalAveragePooling${r}D`, `GlobalMaxPooling${r}D`]).concat(['Dense', 'BatchNormalization', 'LayerNormalization', 'GroupNormalization']),
);

/** The functional forms of the merge layers (`layers.concatenate([a, b], axis=-1)` is `Concatenate(axis=-1)([a, b])`). */
export const KERAS_MERGE_FUNCTIONS: Readonly<Record<string, string>> = { concatenate: 'Concatenate', add: 'Add', subtract: 'Subtract', multiply: 'Multiply', average: 'Average', maximum: 'Maximum', minimum: 'Minimum' };

/** The Keras class a name means (aliases resolved), or undefined when it is not a layer the reader knows. */
export function kerasLayerClass(name: string): string | undefined {
  const type = ALIASES[name] ?? name;
  return SIGNATURES[type] !== undefined || MERGES.has(type) || SHAPE_KEEPING.has(type) ? type : undefined;
}

/** keras/src/utils/naming.py `to_snake_case`: `Conv2DTranspose` → `conv2d_transpose`. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** naming.py `uniquify`: the first `conv2d`, then `conv2d_1`, `conv2d_2`… per session (`counts`). */
export function uniqueName(prefix: string, counts: Map<string, number>): string {
  const seen = counts.get(prefix) ?? 0;
  counts.set(prefix, seen + 1);
  return seen === 0 ? prefix : `${prefix}_${seen}`;
}

/** A constructor call's arguments by Keras's names, defaults filled in; `name=` and other keywords kept. */
export function bindKerasArgs(type: string, positional: readonly Value[], keywords: ReadonlyMap<string, Value>): Map<string, Value> {
  const sig = SIGNATURES[type] ?? [];
  const args = new Map<string, Value>();
  // Layers that keep the shape take their arguments unread (`Rescaling(1 / 255)`, `RandomFlip("horizontal")`).
  if (SIGNATURES[type] !== undefined && positional.length > sig.length) throw new TorchRaise(`${type}() takes at most ${sig.length} positional arguments but ${positional.length} were given`, -1, '');
  sig.forEach(([name, fallback], i) => {
    const v = i < positional.length ? (positional[i] as Value) : keywords.has(name) ? (keywords.get(name) as Value) : fallback;
    if (v === undefined) throw new TorchRaise(`${type}() missing required argument: '${name}'`, -1, '');
    args.set(name, v);
  });
  for (const [k, v] of keywords) if (!args.has(k)) args.set(k, v);
  // Keras 2's LeakyReLU(alpha=…) and the `input_shape=` of a first layer are kept as given.
  return args;
}

/** An int or a tuple of ints, one per spatial axis (keras/src/utils/argument_validation.py `standardize_tuple`). */
function perAxis(v: Value, rank: number, what: string): number[] {
  if (isObj(v, 'unknown')) throw new NotKnown(v.reason);
  if (isObj(v, 'tuple') || isObj(v, 'list')) {
    const out = v.items.map((x) => int(x, what));
    if (out.length !== rank) throw new TorchRaise(`The \`${what}\` argument must be a tuple of ${rank} integers. Received ${what}=(${out.join(', ')})`, -1, '');
    return out;
  }
  return Array.from({ length: rank }, () => int(v, what));
}

/** `((top, bottom), (left, right))`, `(sym_h, sym_w)` or one int (cropping2d.py, zero_padding2d.py). */
function pairsPerAxis(v: Value, rank: number, what: string): [number, number][] {
  if (isObj(v, 'tuple') || isObj(v, 'list')) {
    if (rank === 1 && v.items.length === 2 && v.items.every((x) => typeof x === 'number')) return [[int(v.items[0] ?? null, what), int(v.items[1] ?? null, what)]];
    if (v.items.length !== rank) throw new TorchRaise(`\`${what}\` should have ${rank} elements. Received: ${what}=${itemsText(v)}`, -1, '');
    return v.items.map((x) => {
      if (isObj(x, 'tuple') || isObj(x, 'list')) return [int(x.items[0] ?? null, what), int(x.items[1] ?? null, what)];
      const n = int(x, what);
      return [n, n];
    });
  }
  const n = int(v, what);
  return Array.from({ length: rank }, () => [n, n]);
}

function itemsText(v: Value): string {
  return isObj(v, 'tuple') || isObj(v, 'list') ? `(${v.items.map((x) => (isObj(x, 'tuple') ? itemsText(x) : String(x))).join(', ')})` : String(v);
}

/** Keras prints a symbolic shape with the batch as None: `(None, 64, 64, 32)`. */
export function kerasShapeText(shape: readonly number[]): string {
  const items = shape.map((n, i) => (i === 0 ? 'None' : String(n)));
  return `(${items.join(', ')}${items.length === 1 ? ',' : ''})`;
}

export interface KerasRun {
  readonly output: number[];
  readonly macs: number;
  /** The weights the layer creates when it is built on this input (its first). */
  readonly params: number;
  /** The input channels the layer is built for (its InputSpec's `axes={-1: C}`), if it checks them. */
  readonly channels?: number;
}

const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

function rankOf(type: string): number {
  const m = /(\d)D/.exec(type);
  return m ? Number(m[1]) : 2;
}

function str(v: Value, what: string): string {
  if (typeof v === 'string') return v.toLowerCase();
  if (isObj(v, 'unknown')) throw new NotKnown(v.reason);
  throw new NotKnown(`${what} is a ${kindOf(v)}, not a string`);
}

function channelsLast(node: ModuleNode): void {
  const format = node.args?.get('data_format');
  if (format !== undefined && format !== null && str(format, 'data_format') !== 'channels_last') {
    throw new NotKnown(`${node.type}(data_format=${String(format)}) is not read: Layer Lens follows channels-last Keras models`);
  }
}

function expectRank(node: ModuleNode, input: readonly number[], rank: number): void {
  if (input.length !== rank) {
    // input_spec.py: `expected min_ndim=…, found ndim=…` (InputSpec(ndim=…) for pooling).
    throw new TorchRaise(`Input 0 of layer "${node.path}" is incompatible with the layer: expected ndim=${rank}, found ndim=${input.length}. Full shape received: ${kerasShapeText(input)}`, -1, '');
  }
}

/**
 * A layer on its input shape(s): output shape, multiply-adds and the weights it builds. `inputs`
 * has one shape, or several for a merge layer. Raises as Keras's `build` / `compute_output_shape`.
 */
export function runKerasLayer(node: ModuleNode, inputs: readonly (readonly number[])[]): KerasRun {
  const type = node.type;
  const args = node.args ?? new Map<string, Value>();
  const get = (k: string): Value => (args.has(k) ? (args.get(k) as Value) : null);
  if (type === 'Concatenate') return concatenate(inputs, int(get('axis'), 'axis'));
  if (MERGES.has(type)) return merge(inputs);
  if (inputs.length !== 1) throw new TorchRaise(`Layer "${node.path}" expects 1 input, but it received ${inputs.length} input tensors`, -1, '');
  const input = inputs[0] as readonly number[];
  if (SHAPE_KEEPING.has(type)) return { output: [...input], macs: 0, params: 0 };
  const rank = rankOf(type);
  const cin = input[input.length - 1] as number;
  const spatial = input.slice(1, -1);
  if (/^(Conv|SeparableConv|DepthwiseConv)\dD(Transpose)?$/.test(type)) {
    channelsLast(node);
    expectRank(node, input, rank + 2);
    const transpose = type.endsWith('Transpose');
    const depthwise = type.startsWith('Depthwise');
    const separable = type.startsWith('Separable');
    const k = perAxis(get('kernel_size'), rank, 'kernel_size');
    const s = perAxis(get('strides'), rank, 'strides');
    const d = perAxis(get('dilation_rate'), rank, 'dilation_rate');
    const padding = str(get('padding'), 'padding');
    const bias = truthy(get('use_bias'));
    const groups = depthwise || separable || transpose ? 1 : int(get('groups'), 'groups');
    const filters = depthwise ? cin * int(get('depth_multiplier'), 'depth_multiplier') : int(get('filters'), 'filters');
    if (filters <= 0) throw new TorchRaise(`Invalid value for argument \`filters\`. Expected a strictly positive value. Received filters=${filters}.`, -1, '');
    // base_conv.py build: "The number of input channels must be evenly divisible by the number of groups."
    if (cin % groups !== 0) throw new TorchRaise(`The number of input channels must be evenly divisible by the number of groups. Received groups=${groups}, but the input has ${cin} channels (full input shape is ${kerasShapeText(input)}).`, -1, '');
    if (padding !== 'valid' && padding !== 'same' && !(padding === 'causal' && rank === 1 && !transpose)) throw new TorchRaise(`The \`padding\` argument must be one of "valid", "same". Received: ${padding}`, -1, '');
    let out: number[];
    if (transpose) {
      const op = get('output_padding');
      const outPad = op === null ? null : perAxis(op, rank, 'output_padding');
      // base_conv_transpose.py __init__: output_padding must be strictly less than strides.
      outPad?.forEach((p, i) => {
        if (p >= (s[i] as number)) throw new TorchRaise(`\`output_padding\` must be strictly less than \`strides\` for all dimensions. At dimension ${i}, \`output_padding\` is ${p} but \`strides\` is ${s[i]}.`, -1, '');
      });
      // backend/common/backend_utils.py _get_output_shape_given_tf_padding.
      out = spatial.map((n, i) => {
        const kk = ((k[i] as number) - 1) * (d[i] as number) + 1;
        const si = s[i] as number;
        const p = outPad ? (outPad[i] as number) : null;
        if (padding === 'valid') return (n - 1) * si + kk + (p ?? Math.max(kk, si) - kk);
        return p === null ? n * si : (n - 1) * si + (kk % 2) + p;
      });
    } else {
      // ops/operation_utils.py compute_conv_output_shape: valid floor((n − d(k−1) − 1)/s) + 1, same (and causal) floor((n − 1)/s) + 1.
      out = spatial.map((n, i) => (padding === 'valid' ? Math.floor((n - (d[i] as number) * ((k[i] as number) - 1) - 1) / (s[i] as number)) + 1 : Math.floor((n - 1) / (s[i] as number)) + 1));
      if (out.some((n) => n <= 0)) {
        throw new TorchRaise(`Computed output size would be zero or negative: the input is ${spatial.join('×')}, the kernel ${k.join('×')} with dilation ${d.join('×')}, strides ${s.join('×')}, padding "valid" (input shape ${kerasShapeText(input)})`, -1, '');
      }
    }
    const output = [input[0] as number, ...out, filters];
    const kk = product(k);
    let params: number;
    let macs: number;
    if (transpose) {
      // base_conv_transpose.py build: kernel (*kernel_size, filters, input_channel), bias (filters,).
      params = kk * filters * cin + (bias ? filters : 0);
      macs = product(input) * filters * kk;
    } else if (separable) {
      const dm = int(get('depth_multiplier'), 'depth_multiplier');
      params = kk * cin * dm + cin * dm * filters + (bias ? filters : 0);
      macs = product(output.slice(0, -1)) * cin * dm * kk + product(output) * cin * dm;
    } else if (depthwise) {
      params = kk * filters + (bias ? filters : 0);
      macs = product(output) * kk;
    } else {
      // base_conv.py build: kernel (*kernel_size, input_channel // groups, filters), bias (filters,).
      params = kk * (cin / groups) * filters + (bias ? filters : 0);
      macs = product(output) * (cin / groups) * kk;
    }
    return { output, macs, params, channels: cin };
  }
  if (/^(MaxPooling|AveragePooling)\dD$/.test(type)) {
    channelsLast(node);
    expectRank(node, input, rank + 2);
    const pool = perAxis(get('pool_size'), rank, 'pool_size');
    const stridesArg = get('strides');
    const s = stridesArg === null ? pool : perAxis(stridesArg, rank, 'strides');
    const padding = str(get('padding'), 'padding');
    // operation_utils.py compute_pooling_output_shape: valid floor((n − k)/s) + 1 (refused when ≤ 0), same floor((n − 1)/s) + 1.
    const out = spatial.map((n, i) => (padding === 'valid' ? Math.floor((n - (pool[i] as number)) / (s[i] as number)) + 1 : Math.floor((n - 1) / (s[i] as number)) + 1));
    if (padding !== 'valid' && padding !== 'same') throw new TorchRaise(`Argument \`padding\` must be either 'valid' or 'same'. Received: padding=${padding}`, -1, '');
    if (out.some((n) => n <= 0)) throw new TorchRaise(`Computed output size would be zero or negative: the input is ${spatial.join('×')}, pool_size ${pool.join('×')}, strides ${s.join('×')}, padding "valid" (input shape ${kerasShapeText(input)})`, -1, '');
    return { output: [input[0] as number, ...out, cin], macs: 0, params: 0 };
  }
  if (/^Global(Average|Max)Pooling\dD$/.test(type)) {
    channelsLast(node);
    expectRank(node, input, rank + 2);
    const keep = truthy(get('keepdims'));
    return { output: keep ? [input[0] as number, ...spatial.map(() => 1), cin] : [input[0] as number, cin], macs: 0, params: 0 };
  }
  if (/^UpSampling\dD$/.test(type)) {
    channelsLast(node);
    expectRank(node, input, rank + 2);
    const size = perAxis(get('size'), rank, 'size');
    return { output: [input[0] as number, ...spatial.map((n, i) => n * (size[i] as number)), cin], macs: 0, params: 0 };
  }
  if (/^ZeroPadding\dD$/.test(type)) {
    channelsLast(node);
    expectRank(node, input, rank + 2);
    const pads = pairsPerAxis(get('padding'), rank, 'padding');
    return { output: [input[0] as number, ...spatial.map((n, i) => n + (pads[i] as [number, number])[0] + (pads[i] as [number, number])[1]), cin], macs: 0, params: 0 };
  }
  if (/^Cropping\dD$/.test(type)) {
    channelsLast(node);
    expectRank(node, input, rank + 2);
    const crops = pairsPerAxis(get('cropping'), rank, 'cropping');
    // cropping2d.py compute_output_shape: every crop must be smaller than its spatial size.
    const bad = spatial.findIndex((n, i) => (crops[i] as [number, number])[0] + (crops[i] as [number, number])[1] >= n);
    if (bad >= 0) throw new TorchRaise(`Values in \`cropping\` argument should be smaller than the corresponding spatial dimension of the input: axis ${bad + 1} is ${spatial[bad]} and the crops add up to ${(crops[bad] as [number, number])[0] + (crops[bad] as [number, number])[1]} (input shape ${kerasShapeText(input)})`, -1, '');
    return { output: [input[0] as number, ...spatial.map((n, i) => n - (crops[i] as [number, number])[0] - (crops[i] as [number, number])[1]), cin], macs: 0, params: 0 };
  }
  switch (type) {
    case 'Dense': {
      const units = int(get('units'), 'units');
      if (input.length < 2) throw new TorchRaise(`Input 0 of layer "${node.path}" is incompatible with the layer: expected min_ndim=2, found ndim=${input.length}`, -1, '');
      const output = [...input.slice(0, -1), units];
      // core/dense.py build: kernel (input_dim, units), bias (units,).
      return { output, macs: product(output) * cin, params: cin * units + (truthy(get('use_bias')) ? units : 0), channels: cin };
    }
    case 'BatchNormalization':
    case 'LayerNormalization': {
      if (int(get('axis'), 'axis') !== -1) throw new NotKnown(`${type}(axis=${String(get('axis'))}) is not read: only the channels axis (-1)`);
      // batch_normalization.py build: gamma (scale), beta (center), moving_mean and moving_variance (always).
      const affine = (truthy(get('scale')) ? cin : 0) + (truthy(get('center')) ? cin : 0);
      return { output: [...input], macs: 0, params: affine + (type === 'BatchNormalization' ? 2 * cin : 0), channels: cin };
    }
    case 'GroupNormalization': {
      if (int(get('axis'), 'axis') !== -1) throw new NotKnown(`GroupNormalization(axis=${String(get('axis'))}) is not read: only the channels axis (-1)`);
      const groups = int(get('groups'), 'groups') === -1 ? cin : int(get('groups'), 'groups');
      // group_normalization.py build: at most one group per channel, and the channels split evenly.
      if (groups > cin) throw new TorchRaise(`Number of groups (${groups}) cannot be more than the number of channels (${cin}).`, -1, '');
      if (cin % groups !== 0) throw new TorchRaise(`the ${cin} channels do not split into ${groups} groups. Keras: Number of groups (${groups}) must be a multiple of the number of channels (${cin}).`, -1, '');
      return { output: [...input], macs: 0, params: (truthy(get('scale')) ? cin : 0) + (truthy(get('center')) ? cin : 0), channels: cin };
    }
    case 'Resizing':
      channelsLast(node);
      expectRank(node, input, 4);
      return { output: [input[0] as number, int(get('height'), 'height'), int(get('width'), 'width'), cin], macs: 0, params: 0 };
    case 'Flatten':
      channelsLast(node);
      return { output: [input[0] as number, product(input.slice(1))], macs: 0, params: 0 };
    case 'Reshape':
      return { output: [input[0] as number, ...reshape(input.slice(1), get('target_shape'))], macs: 0, params: 0 };
    default:
      throw new NotKnown(`the Keras layer ${type} is not read`);
  }
}

/** reshape.py → operation_utils.py compute_reshape_output_shape (the batch axis left out). */
function reshape(input: readonly number[], target: Value): number[] {
  const wanted = itemsOf(target).map((x) => int(x, 'target_shape'));
  const size = product(input);
  const unknownAt = wanted.indexOf(-1);
  const known = product(wanted.filter((n) => n !== -1));
  const text = `input_shape=(${input.join(', ')}), target_shape=(${wanted.join(', ')})`;
  if (unknownAt < 0) {
    if (known !== size) throw new TorchRaise(`The total size of the tensor must be unchanged (${input.join('·')} = ${size} values, the target has ${known}). Received: ${text}`, -1, '');
    return wanted;
  }
  if (known === 0 || size % known !== 0) throw new TorchRaise(`The total size of the tensor must be unchanged (${size} values is not a multiple of ${known}). Received: ${text}`, -1, '');
  return wanted.map((n) => (n === -1 ? size / known : n));
}

/** concatenate.py build: every axis but the concatenation axis must match (the batch included). */
function concatenate(inputs: readonly (readonly number[])[], axis: number): KerasRun {
  const first = inputs[0];
  if (!first) throw new TorchRaise('A `Concatenate` layer should be called on a list of at least 1 input.', -1, '');
  const ranks = new Set(inputs.map((s) => s.length));
  const at = ((axis % first.length) + first.length) % first.length;
  const received = `Received: input_shape=[${inputs.map(kerasShapeText).join(', ')}]`;
  if (ranks.size !== 1) throw new TorchRaise(`A \`Concatenate\` layer requires inputs with matching shapes except for the concatenation axis. ${received}`, -1, '');
  const bad = inputs.findIndex((s) => s.some((n, i) => i !== at && n !== first[i]));
  if (bad >= 0) {
    const other = inputs[bad] as readonly number[];
    const spatial = first.length >= 3 && at === first.length - 1;
    const what = spatial ? `input 0 is ${first.slice(1, -1).join('×')} but input ${bad} is ${other.slice(1, -1).join('×')}` : `input 0 has shape ${kerasShapeText(first)} but input ${bad} has ${kerasShapeText(other)}`;
    throw new TorchRaise(`${what}, and Concatenate needs every axis except the concatenation axis (${axis}) to match Keras: A \`Concatenate\` layer requires inputs with matching shapes except for the concatenation axis. ${received}`, -1, '');
  }
  const output = [...first];
  output[at] = inputs.reduce((sum, s) => sum + (s[at] as number), 0);
  return { output, macs: 0, params: 0 };
}

/** base_merge.py build / _compute_elemwise_op_output_shape: batch sizes equal, the rest broadcast from the right (1 stretches). */
function merge(inputs: readonly (readonly number[])[]): KerasRun {
  const first = inputs[0];
  if (!first) throw new TorchRaise('A merge layer should be called on a list of at least 1 input.', -1, '');
  const batches = new Set(inputs.map((s) => s[0]));
  if (batches.size > 1) throw new TorchRaise(`Cannot merge tensors with different batch sizes. Received tensors with shapes [${inputs.map(kerasShapeText).join(', ')}]`, -1, '');
  let out: readonly number[] = first.slice(1);
  for (const shape of inputs.slice(1)) {
    const rest = shape.slice(1);
    const [long, short] = out.length >= rest.length ? [out, rest] : [rest, out];
    const head = long.slice(0, long.length - short.length);
    const tail = long.slice(long.length - short.length).map((i, n) => {
      const j = short[n] as number;
      if (i === 1) return j;
      if (j === 1 || i === j) return i;
      const words = inputs.length === 2 && first.length >= 4 && first.length === shape.length ? `input 0 is ${first.slice(1, -1).join('×')}×${first[first.length - 1]} but input 1 is ${shape.slice(1, -1).join('×')}×${shape[shape.length - 1]}` : `the inputs are (${out.join(', ')}) and (${rest.join(', ')})`;
      throw new TorchRaise(`${words}, and a merge layer needs equal sizes on every axis but the batch (or 1, which is stretched) Keras: Inputs have incompatible shapes. Received shapes (${out.join(', ')}) and (${rest.join(', ')})`, -1, '');
    });
    out = [...head, ...tail];
  }
  return { output: [first[0] as number, ...out], macs: 0, params: 0 };
}

export const notBuilt = unknown('the layer is not built (it was never called)');
