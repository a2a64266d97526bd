/**
 * Keras layer calls in PyTorch's terms, exactly or not at all: the engine runs PyTorch's layers, and
 * a Keras call is run on an example only when some PyTorch call gives Keras' values, not only its
 * size. Where none does, the reason is said in words (the middle of a sentence: "… cannot be run on
 * an example: <reason>").
 *
 * Keras' rules, from its source (keras/src/utils/conv_utils.py and the TensorFlow ops its layers
 * call; tf-keras keras/utils/conv_utils.py and keras/backend.py for Keras 2):
 * - `padding='valid'` is no padding; `'same'` pads `(⌈L / s⌉ − 1)·s + d·(k − 1) + 1 − L` in all
 *   (at least 0), `⌊total / 2⌋` before and the rest after: TensorFlow puts the odd one after
 *   (tensorflow/core/framework/kernel_shape_util.cc, GetWindowedOutputSizeVerbose: "For odd values
 *   of total padding, add more padding at the 'right' side").
 * - Max pooling's padding never wins; average pooling divides by the cells inside the input only.
 * - Pool strides default to the pool size; `pool_size` defaults to 2 on every axis, as UpSampling's
 *   `size` does.
 * - `UpSampling2D(interpolation='nearest')` repeats values (Keras 3: ops.repeat); `'bilinear'` is
 *   `tf.image.resize(…, method='bilinear')` (Keras 2 on TensorFlow 2: backend.resize_images →
 *   resize_images_v2; Keras 3: keras/src/layers/reshaping/up_sampling2d.py → ops.image.resize, no
 *   antialiasing), which samples at half-pixel centres and clamps at the edges: for whole-number
 *   factors exactly PyTorch's `mode='bilinear', align_corners=False`. (Keras on TensorFlow 1 called
 *   `resize_bilinear` without half-pixel centres, another result; Layer Lens follows TensorFlow 2 and Keras 3.)
 * - A transposed convolution is the gradient of the 'same' / 'valid' convolution of its output
 *   (conv2d_backprop_input): its output length is `deconv_output_length`, and it crops its full
 *   output `(L − 1)·s + d·(k − 1) + 1` by that convolution's padding, `⌊total / 2⌋` before.
 */
import type { LayerCall, LayerParam, LayerParamName, SpatialSize } from '../parse/index';
import { read, type ConvAxis } from './layerSize';

const AXIS_WORDS: Readonly<Record<number, readonly string[]>> = { 1: ['length'], 2: ['height', 'width'], 3: ['depth', 'height', 'width'] };

/** The words of an axis in a reason: `axis 1`, `axis 2 (width)`. The 1-D form stays `axis 1`. */
const axisWords = (rank: number, i: number): string => (rank === 1 ? `axis ${i + 1}` : `axis ${i + 1} (${AXIS_WORDS[rank]?.[i] ?? ''})`);

const isUpsample = (op: LayerCall['op']): boolean => op === 'upsample' || op === 'upsample1d' || op === 'upsample3d';
const isConv = (op: LayerCall['op']): boolean => op === 'conv1d' || op === 'conv2d' || op === 'conv3d';

/** A parameter the rewritten call states outright. */
function known<V>(call: LayerCall, value: V): LayerParam<V> {
  return { kind: 'known', value, start: call.start, end: call.start } as LayerParam<V>;
}

/** Per-axis values of a size option (an int is every axis'). */
function perAxis(v: SpatialSize, rank: number): number[] {
  return typeof v === 'number' ? new Array<number>(rank).fill(v) : [...(v as readonly number[])].slice(0, rank);
}

/** The engine's form: a number for one axis, an array otherwise. */
const engineSize = (values: readonly number[]): number | readonly number[] => (values.length === 1 ? (values[0] as number) : values);

/**
 * A Keras convolution, pooling or upsampling call (any rank) as the PyTorch call that gives
 * Keras' result on an input of spatial size `sides`, or why there is none.
 */
export function kerasInPyTorchTerms(call: LayerCall, sides: readonly number[]): LayerCall | string {
  const rank = sides.length;
  const set = (params: Partial<Record<LayerParamName, LayerParam<unknown>>>): LayerCall => ({ ...call, params: { ...call.params, ...params } }) as LayerCall;
  if (isUpsample(call.op)) {
    const mode = read<string>(call, 'mode', 'nearest');
    if (!mode.ok) return `interpolation=${mode.unknown.text} is an expression`;
    // Keras' size defaults to 2 on every axis (PyTorch's Upsample has no default).
    const scale = call.params.scaleFactor === undefined ? { scaleFactor: known(call, 2) } : {};
    if (mode.value === 'nearest') return set({ ...scale, mode: known(call, 'nearest') });
    if (mode.value === 'bilinear' && call.op === 'upsample') return set({ ...scale, mode: known(call, 'bilinear'), alignCorners: known(call, false) });
    return `interpolation='${mode.value}' is not one Layer Lens computes as Keras does (it computes 'nearest' and, in 2-D, 'bilinear')`;
  }
  const mode = read<string>(call, 'paddingMode', 'valid');
  if (!mode.ok) return `padding=${mode.unknown.text} is an expression`;
  const conv = isConv(call.op);
  const kernel = read<SpatialSize | undefined>(call, 'kernelSize', conv ? undefined : 2);
  const stride = read<SpatialSize | undefined>(call, 'stride', undefined);
  const dilation = read<SpatialSize>(call, 'dilation', 1);
  const unknown = [kernel, stride, dilation].flatMap((r) => (r.ok ? [] : [`${r.unknown.parameter}=${r.unknown.text}`]));
  if (unknown.length > 0) return `${unknown.join(', ')} ${unknown.length === 1 ? 'is an expression' : 'are expressions'}`;
  if (!kernel.ok || !stride.ok || !dilation.ok) return 'an argument is an expression';
  if (kernel.value === undefined) return 'kernel_size is required';
  const k = perAxis(kernel.value, rank);
  const s = stride.value === undefined ? (conv ? new Array<number>(rank).fill(1) : k) : perAxis(stride.value, rank);
  const d = perAxis(dilation.value, rank);
  const params: Partial<Record<LayerParamName, LayerParam<unknown>>> = { kernelSize: known(call, engineSize(k)), stride: known(call, engineSize(s)) };
  if (call.op === 'avgPool1d' || call.op === 'avgPool2d' || call.op === 'avgPool3d') params.countIncludePad = known(call, false);
  let padding: number[] | 'same' | 'keras-same' = new Array<number>(rank).fill(0);
  if (mode.value === 'same') {
    const totals = sides.map((L, i) => Math.max((Math.ceil(L / (s[i] as number)) - 1) * (s[i] as number) + (d[i] as number) * ((k[i] as number) - 1) + 1 - L, 0));
    padding = totals.map((t) => Math.floor(t / 2));
    const uneven = (i: number): string => `Keras' 'same' padding pads ${totals[i]} along ${axisWords(rank, i)} for an input of ${sides.join('×')}, one more after than before, and PyTorch pads both sides alike`;
    const odd = totals.findIndex((t) => t % 2 === 1);
    if (odd >= 0 && conv) {
      // PyTorch's own padding='same' puts the odd one after too, but takes stride 1 only. A strided
      // 2-D one runs with the engine's 'keras-same' (F.pad, then the convolution, in PyTorch); the
      // volume panel's 1-D and 3-D examples keep to PyTorch's own strings.
      if (s.some((v) => v !== 1) && rank !== 2) return `${uneven(odd)} (its padding='same', which pads the odd one after as Keras does, takes stride 1 only)`;
      padding = s.some((v) => v !== 1) ? 'keras-same' : 'same';
    } else if (odd >= 0) {
      // A pool: with ceil_mode, the last window may run one cell past the padding, and that cell is
      // left out of the maximum and the average alike. That is Keras' extra cell after, provided the
      // stride is over 1 (then ⌈(L + 2p − k) / s⌉ + 1 = ⌈L / s⌉); ceil_mode changes no even axis.
      const unit = totals.findIndex((t, i) => t % 2 === 1 && s[i] === 1);
      if (unit >= 0) return `${uneven(unit)} (at stride 1, ceil_mode adds no window)`;
      params.ceilMode = known(call, true);
    }
  }
  params.padding = known(call, typeof padding === 'string' ? padding : engineSize(padding));
  const out = set(params);
  delete (out.params as { paddingMode?: unknown }).paddingMode;
  return out;
}

/**
 * A Keras transposed convolution's axes in PyTorch's terms that give Keras' values, or why there
 * are none. Keras' output length (conv_utils.deconv_output_length, `k_eff = d·(k − 1) + 1`):
 * without output_padding, `'same'` is `L·s` and `'valid'` `L·s + max(k_eff − s, 0)`; with it,
 * `(L − 1)·s + k_eff − 2·pad + output_padding`, `pad = ⌊k_eff / 2⌋` for `'same'`, 0 for `'valid'`.
 * TensorFlow crops the full output `(L − 1)·s + k_eff` by the padding of the `'same'` convolution
 * of that length, `⌊total / 2⌋` before; PyTorch's `padding` crops both ends alike and
 * `output_padding` adds rows at the end. Neither depends on L.
 */
export function kerasTransposedAxes(call: LayerCall): readonly ConvAxis[] | string {
  const rank = call.op === 'convTranspose1d' ? 1 : call.op === 'convTranspose3d' ? 3 : 2;
  const kernel = read<SpatialSize | undefined>(call, 'kernelSize', undefined);
  const stride = read<SpatialSize>(call, 'stride', 1);
  const dilation = read<SpatialSize>(call, 'dilation', 1);
  const outputPadding = read<SpatialSize | undefined>(call, 'outputPadding', undefined);
  const mode = read<string>(call, 'paddingMode', 'valid');
  const unknown = [kernel, stride, dilation, outputPadding, mode].flatMap((r) => (r.ok ? [] : [`${r.unknown.parameter}=${r.unknown.text}`]));
  if (unknown.length > 0) return `${unknown.join(', ')} ${unknown.length === 1 ? 'is an expression' : 'are expressions'}`;
  if (!kernel.ok || !stride.ok || !dilation.ok || !outputPadding.ok || !mode.ok) return 'an argument is an expression';
  if (kernel.value === undefined) return 'kernel_size is required';
  const k = perAxis(kernel.value, rank);
  const s = perAxis(stride.value, rank);
  const d = perAxis(dilation.value, rank);
  const op = outputPadding.value === undefined ? undefined : perAxis(outputPadding.value, rank);
  const same = mode.value === 'same';
  const axes: ConvAxis[] = [];
  for (let i = 0; i < rank; i++) {
    const [kernelSize, st, dil] = [k[i] as number, s[i] as number, d[i] as number];
    const effective = dil * (kernelSize - 1) + 1;
    // The output length less (L − 1)·s, which is all that depends on L.
    const given = op?.[i];
    const tail = given !== undefined ? effective - 2 * (same ? Math.floor(effective / 2) : 0) + given : same ? st : st + Math.max(effective - st, 0);
    const cropped = same ? Math.max(effective - tail, 0) : 0;
    const before = Math.floor(cropped / 2);
    const outputPad = tail - (effective - 2 * before);
    if (outputPad < 0) {
      return `Keras crops its full output unevenly along ${axisWords(rank, i)}: ${before} before and ${cropped - before} after ('same' for kernel ${kernelSize}, strides ${st}${given !== undefined ? `, output_padding ${given}` : ''}), and PyTorch's padding crops both ends alike; the size in the hover is Keras'`;
    }
    axes.push({ kernel: kernelSize, stride: st, dilation: dil, padding: before, outputPadding: outputPad });
  }
  return axes;
}

/**
 * Whether the call writes `data_format` (a layer's default is channels last; written, it is almost
 * always `'channels_first'`, and the text of the value is not kept): its shapes are then not printed
 * channels last.
 */
export function writesDataFormat(call: LayerCall): boolean {
  return call.args.some((arg) => arg.parameter === 'data_format' || arg.keyword?.name === 'data_format');
}

/** A shape as Keras' `model.summary()` prints it: batch `None`, channels last (`(None, 32, 32, 64)`). */
export function kerasPrintedShape(sides: readonly (number | string)[], channels: string): string {
  return `(None, ${sides.join(', ')}, ${channels})`;
}

/**
 * A Keras layer call's channels in and out, as text: the input's when the code states them (`?`
 * otherwise), the call's `filters` out (written as an expression, as written); a layer without
 * filters (a pool, an upsampling) keeps its input's.
 */
export function kerasChannels(call: LayerCall, inputChannels: number | undefined): { readonly input: string; readonly output: string } {
  const filters = call.params.outChannels;
  const input = inputChannels !== undefined ? String(inputChannels) : '?';
  const output = filters === undefined ? input : filters.kind === 'known' && filters.value !== null ? String(filters.value) : filters.kind === 'unknown' ? filters.text : '?';
  return { input, output };
}
