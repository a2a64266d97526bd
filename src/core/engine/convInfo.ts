/**
 * All shape arithmetic and validation of the convolution layers, in one place (as tfjs's
 * `conv_util.computeConv2DInfo`): {@link computeConvInfo} checks a call the way PyTorch does, in
 * PyTorch's order, and returns one flat record of sizes, strides, dilations, paddings and the
 * output shape that the kernels read. {@link outputShape} answers shape questions with the same
 * function, so a hover and the computation can never disagree.
 *
 * Output sizes, per spatial axis (PyTorch's `ConvTranspose2d` and `Conv2d` docs):
 *
 *     transposed: H_out = (H_in − 1)·stride − 2·padding + dilation·(kernel_size − 1) + output_padding + 1
 *     plain:      H_out = ⌊(H_in + 2·padding − dilation·(kernel_size − 1) − 1) / stride⌋ + 1
 *
 * The same holds per axis for 1-D (L) and 3-D (D, H, W) layers, which this module reads into the
 * same record (a 1-D layer as height 1, a 2-D one as depth 1).
 *
 * A transposed convolution is the adjoint (gradient) of the plain one with the same parameters.
 * For stride > 1 several input sizes map to one conv output size; `output_padding` (which must be
 * smaller than `stride` or `dilation`) picks which one the transposed layer produces.
 */
import { LayerError } from './errors';
import { axisFormula, formatAxisFormula, term, type AxisFormula, type FormulaPart } from './formula';
import { checkOutputSize, checkShape, checkTensor, formatShape, readImageLayout, shapeInCallerRank, type ImageLayout, type SpatialRank } from './layout';
import type { Conv1dOptions, Conv2dOptions, Conv3dOptions, ConvOp, ConvPaddingMode, ConvTranspose1dOptions, ConvTranspose2dOptions, ConvTranspose3dOptions, ShapeOptionsByOp } from './options';
import type { Tensor } from './tensor';
import { describeValue, readInteger, readSpatialTriple, type Triple } from './pairs';
import { NUMBER_SIZES, transposedOutputSize, windowOutputSize, type SizeArithmetic } from './sizeArithmetic';

/**
 * Everything a convolution kernel needs, flat. Inputs are read as `[N, C, H, W]`, 1-D ones with
 * H = 1; 3-D ones as `[N, C, D, H, W]`, and the depth fields are neutral (size 1, kernel 1, stride 1,
 * no padding) for 1-D and 2-D layers, whose kernels ignore them.
 */
export interface ConvInfo {
  readonly op: ConvOp;
  /** Transposed convolution (scatter each input value through the kernel) or plain (gather). */
  readonly transposed: boolean;
  readonly layout: ImageLayout;
  readonly batch: number;
  readonly inChannels: number;
  readonly inDepth: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly outChannels: number;
  readonly outDepth: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly groups: number;
  readonly inChannelsPerGroup: number;
  readonly outChannelsPerGroup: number;
  readonly kernelDepth: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  /** `dilation·(kernel_size − 1) + 1`: the extent the dilated kernel covers. */
  readonly effectiveKernelDepth: number;
  readonly effectiveKernelHeight: number;
  readonly effectiveKernelWidth: number;
  readonly strideDepth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly dilationDepth: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  /** Per side: equal except for plain convolution with `padding: 'same'` and an even dilated kernel, where the extra goes last. */
  readonly padFront: number;
  readonly padBack: number;
  readonly padTop: number;
  readonly padBottom: number;
  readonly padLeft: number;
  readonly padRight: number;
  /** 0 for plain convolution. */
  readonly outputPaddingDepth: number;
  readonly outputPaddingHeight: number;
  readonly outputPaddingWidth: number;
  /**
   * The weight as 4-D: transposed `[C_in, C_out/groups, kH, kW]`, plain `[C_out, C_in/groups, kH, kW]`;
   * for a 3-D layer, one depth tap's slice of it (the weight holds `kernelDepth` of them).
   */
  readonly weightShape4d: readonly [number, number, number, number];
  /** The output shape in the caller's rank. */
  readonly outShape: readonly number[];
}

type ConvShapeOptions = ShapeOptionsByOp[ConvOp];

const spatialRankOf: Record<ConvOp, SpatialRank> = { convTranspose2d: 2, conv2d: 2, convTranspose1d: 1, conv1d: 1, convTranspose3d: 3, conv3d: 3 };
const transposedOps: ReadonlySet<ConvOp> = new Set<ConvOp>(['convTranspose2d', 'convTranspose1d', 'convTranspose3d']);

/** The parameters of one spatial axis, after reading the options. */
interface AxisParameters {
  readonly label: 'D' | 'H' | 'W' | 'L';
  readonly axisName: string;
  readonly size: number;
  readonly kernel: number;
  readonly stride: number;
  readonly padBefore: number;
  readonly padAfter: number;
  readonly dilation: number;
  readonly outputPadding: number;
}

/** The options of any convolution layer, as its caller passes them (tensors included). */
type ConvCallOptions = ConvTranspose2dOptions | ConvTranspose1dOptions | ConvTranspose3dOptions | Conv2dOptions | Conv1dOptions | Conv3dOptions;

/**
 * Validates a convolution call on tensors (their data must fill their shapes) and computes its
 * shapes: what every kernel, trace and rewrite of a convolution starts from.
 */
export function convCallInfo(op: ConvOp, input: Tensor, weight: Tensor, options: ConvCallOptions | undefined): ConvInfo {
  checkTensor('input', input);
  checkTensor('weight', weight);
  const given = (options ?? {}) as ConvTranspose2dOptions & Conv2dOptions;
  const bias = given.bias;
  if (bias !== undefined) checkTensor('bias', bias);
  // Named fields rather than `{ bias, ...rest }`: object rest and spread are slow paths in V8, and this runs on every call.
  const shapeOptions = {
    stride: given.stride,
    padding: given.padding,
    outputPadding: given.outputPadding,
    dilation: given.dilation,
    groups: given.groups,
    weightShape: weight.shape,
    biasShape: bias?.shape,
  };
  return computeConvInfo(op, input.shape, shapeOptions as ConvShapeOptions);
}

/**
 * Validates a convolution call and computes its shapes. Checks run in PyTorch's order (option
 * values, weight rank, groups, channels, bias, then per-axis output padding and size), so the
 * first problem reported is the one PyTorch would report.
 */
export function computeConvInfo(op: ConvOp, inputShape: readonly number[], options: ConvShapeOptions): ConvInfo {
  const spatialRank = spatialRankOf[op];
  const transposed = transposedOps.has(op);
  const layout = readImageLayout(op, inputShape, spatialRank);
  const raw = options as Record<string, unknown>;

  // Option values first: PyTorch refuses negative padding and non-positive strides before looking at shapes.
  const paddingMode = readPaddingMode(raw.padding, transposed, spatialRank);
  const padding = paddingMode === undefined ? readSpatialTriple('padding', raw.padding, 0, 'non-negative', spatialRank) : ([0, 0, 0] as Triple);
  const outputPadding = transposed ? readSpatialTriple('output_padding', raw.outputPadding, 0, 'non-negative', spatialRank) : ([0, 0, 0] as Triple);
  const stride = readSpatialTriple('stride', raw.stride, 1, 'positive', spatialRank);
  const dilation = readSpatialTriple('dilation', raw.dilation, 1, 'positive', spatialRank);
  const groups = readInteger('groups', raw.groups, 1, 'positive');
  if (paddingMode === 'same' && (stride[0] !== 1 || stride[1] !== 1 || stride[2] !== 1)) {
    throw new LayerError('invalid-parameter', `padding='same' needs stride 1, but stride is ${describeValue(raw.stride)}: use a number for padding with strided convolutions`);
  }

  const weightShape = readWeightShape(op, layout, options, groups);
  const [w0, w1, kernelDepth, kernelHeight, kernelWidth] = liftWeight(weightShape, layout, transposed);
  const weight4d: [number, number, number, number] = [w0, w1, kernelHeight, kernelWidth];
  const weightLayoutText = (): string => describeWeightLayout(weightShape, spatialRank, transposed);

  // Groups, then channels, then bias, as PyTorch's check_shape_forward.
  if (w0 % groups !== 0) {
    const what = transposed ? 'input' : 'output';
    throw new LayerError(
      'groups-mismatch',
      `groups (${groups}) must divide the weight's ${w0} ${what} channels (weight shape ${formatShape(weightShape)} is ${weightLayoutText()}); ${validGroupsText(w0)}`,
    );
  }
  const inChannels = layout.channels;
  const expectedInChannels = transposed ? w0 : w1 * groups;
  if (inChannels !== expectedInChannels) {
    const perGroup = !transposed && groups > 1 ? ` (${w1} per group × groups ${groups})` : '';
    throw new LayerError(
      'channel-mismatch',
      `kernel has ${expectedInChannels} input channels${perGroup} but the input has ${inChannels} (input shape ${formatShape(inputShape)}, weight shape ${formatShape(weightShape)} is ${weightLayoutText()})`,
    );
  }
  const outChannels = transposed ? w1 * groups : w0;
  const biasShape = options.biasShape;
  if (biasShape !== undefined) {
    checkShape('bias', biasShape);
    if (biasShape.length !== 1 || biasShape[0] !== outChannels) {
      throw new LayerError(
        'bias-mismatch',
        `bias must be 1-D with one value per output channel ([${outChannels}]), but has shape ${formatShape(biasShape)}`,
      );
    }
  }
  if (layout.spatialRank === 2 && layout.rank === 2 && outChannels !== 1) {
    throw new LayerError(
      'channel-mismatch',
      `a matrix input gives a matrix output, but the weight ${formatShape(weightShape)} has ${outChannels} output channels: pass the input as [1, H, W] to get [C_out, H_out, W_out]`,
    );
  }

  const axes = axisParameters(layout, spatialRank, { kernelDepth, kernelHeight, kernelWidth, stride, dilation, padding, outputPadding, paddingMode });
  if (transposed) for (const axis of axes) checkOutputPadding(axis, spatialRank);
  if (!transposed) for (const axis of axes) checkKernelFits(axis);
  const formulaOf = transposed ? transposedFormula : convFormula;
  for (const axis of axes) {
    if (outputSize(axis, transposed) < 1) throw emptyOutput(formulaOf(axis), axis, transposed);
  }
  // Every layer as 3-D: the axes a 1-D or 2-D layer lacks are neutral (size 1, nothing to do).
  const depthAxis = spatialRank === 3 ? (axes[0] as AxisParameters) : dummyAxis;
  const heightAxis = spatialRank === 1 ? dummyAxis : (axes[axes.length - 2] as AxisParameters);
  const widthAxis = axes[axes.length - 1] as AxisParameters;
  const outDepth = spatialRank === 3 ? outputSize(depthAxis, transposed) : 1;
  const outHeight = spatialRank >= 2 ? outputSize(heightAxis, transposed) : 1;
  const outWidth = outputSize(widthAxis, transposed);
  const outShape = shapeInCallerRank(layout, outChannels, outHeight, outWidth, outDepth);
  checkOutputSize(outShape);

  return {
    op,
    transposed,
    layout,
    batch: layout.batch,
    inChannels,
    inDepth: layout.depth,
    inHeight: layout.height,
    inWidth: layout.width,
    outChannels,
    outDepth,
    outHeight,
    outWidth,
    groups,
    inChannelsPerGroup: inChannels / groups,
    outChannelsPerGroup: outChannels / groups,
    kernelDepth,
    kernelHeight,
    kernelWidth,
    effectiveKernelDepth: depthAxis.dilation * (kernelDepth - 1) + 1,
    effectiveKernelHeight: heightAxis.dilation * (kernelHeight - 1) + 1,
    effectiveKernelWidth: widthAxis.dilation * (kernelWidth - 1) + 1,
    strideDepth: depthAxis.stride,
    strideHeight: heightAxis.stride,
    strideWidth: widthAxis.stride,
    dilationDepth: depthAxis.dilation,
    dilationHeight: heightAxis.dilation,
    dilationWidth: widthAxis.dilation,
    padFront: depthAxis.padBefore,
    padBack: depthAxis.padAfter,
    padTop: heightAxis.padBefore,
    padBottom: heightAxis.padAfter,
    padLeft: widthAxis.padBefore,
    padRight: widthAxis.padAfter,
    outputPaddingDepth: depthAxis.outputPadding,
    outputPaddingHeight: heightAxis.outputPadding,
    outputPaddingWidth: widthAxis.outputPadding,
    weightShape4d: weight4d,
    outShape,
  };
}

/**
 * One output-size formula per spatial axis of the caller (H and W, or L), for display. Kept out of
 * {@link ConvInfo} because building their text costs more than a small layer's whole computation.
 */
export function convAxisFormulas(info: ConvInfo): AxisFormula[] {
  const formulaOf = info.transposed ? transposedFormula : convFormula;
  return convAxes(info).map(formulaOf);
}

/** The caller's spatial axes of a convolution (D, H and W; H and W; or L), read back from its {@link ConvInfo}. */
function convAxes(info: ConvInfo): AxisParameters[] {
  const width: AxisParameters = {
    label: info.layout.spatialRank === 1 ? 'L' : 'W',
    axisName: info.layout.spatialRank === 1 ? 'length' : 'width',
    size: info.inWidth,
    kernel: info.kernelWidth,
    stride: info.strideWidth,
    padBefore: info.padLeft,
    padAfter: info.padRight,
    dilation: info.dilationWidth,
    outputPadding: info.outputPaddingWidth,
  };
  if (info.layout.spatialRank === 1) return [width];
  const height: AxisParameters = {
    label: 'H',
    axisName: 'height',
    size: info.inHeight,
    kernel: info.kernelHeight,
    stride: info.strideHeight,
    padBefore: info.padTop,
    padAfter: info.padBottom,
    dilation: info.dilationHeight,
    outputPadding: info.outputPaddingHeight,
  };
  if (info.layout.spatialRank === 2) return [height, width];
  const depth: AxisParameters = {
    label: 'D',
    axisName: 'depth',
    size: info.inDepth,
    kernel: info.kernelDepth,
    stride: info.strideDepth,
    padBefore: info.padFront,
    padAfter: info.padBack,
    dilation: info.dilationDepth,
    outputPadding: info.outputPaddingDepth,
  };
  return [depth, height, width];
}

/** How the weight's axes are read, for messages: `[C_in, C_out/groups, kH, kW]` and its 1-D and matrix forms. */
function describeWeightLayout(weightShape: readonly number[], spatialRank: SpatialRank, transposed: boolean): string {
  if (weightShape.length === 2) return 'a one-channel [kH, kW] kernel';
  const layout = transposed ? '[C_in, C_out/groups, kH, kW]' : '[C_out, C_in/groups, kH, kW]';
  if (spatialRank === 3) return layout.replace('kH, kW', 'kD, kH, kW');
  return spatialRank === 1 ? layout.replace('kH, kW', 'k') : layout;
}

/** The depth (and for 1-D the height) axis a layer without one is read with: size 1, a 1-tall kernel, no padding. */
const dummyAxis: AxisParameters = { label: 'H', axisName: 'height', size: 1, kernel: 1, stride: 1, padBefore: 0, padAfter: 0, dilation: 1, outputPadding: 0 };

/** How a spatial option is written per rank, for messages. */
const spatialForms: Record<SpatialRank, string> = { 1: 'a one-element list [l]', 2: 'a pair [h, w]', 3: 'a triple [d, h, w]' };

function readPaddingMode(value: unknown, transposed: boolean, spatialRank: SpatialRank): ConvPaddingMode | undefined {
  if (typeof value !== 'string') return undefined;
  if (!transposed && (value === 'same' || value === 'valid' || value === 'keras-same')) return value;
  const form = spatialForms[spatialRank];
  const valid = transposed ? `an int or ${form} (transposed convolution has no string paddings)` : `'same', 'valid', an int or ${form}`;
  throw new LayerError('invalid-parameter', `padding ${JSON.stringify(value)} is not supported: use ${valid}`);
}

/** The weight's shape as given, or as implied by a shape-only `kernelSize`. */
function readWeightShape(op: ConvOp, layout: ImageLayout, options: ConvShapeOptions, groups: number): readonly number[] {
  if (options.weightShape !== undefined) {
    checkShape('weight', options.weightShape);
    return options.weightShape;
  }
  if (options.kernelSize === undefined) {
    throw new LayerError('invalid-shape', `${op} needs the weight's shape (weightShape) or its kernel size (kernelSize)`);
  }
  const kernel = readSpatialTriple('kernel_size', options.kernelSize, 1, 'positive', spatialRankOf[op]);
  const kernelDims = kernel.slice(3 - layout.spatialRank);
  if (layout.spatialRank === 2 && layout.rank === 2) return kernelDims;
  const channels = layout.channels;
  const perGroup = Math.max(1, Math.floor(channels / groups));
  // C_out = C_in either way: transposed [C_in, C_out/groups, …] and plain [C_out, C_in/groups, …] coincide.
  return [channels, perGroup, ...kernelDims];
}

/**
 * The weight as `[a, b, kD, kH, kW]`: a 2-D `[a, b, kH, kW]` is `[a, b, 1, kH, kW]`, a 1-D `[a, b, k]`
 * is `[a, b, 1, 1, k]`, and a matrix input may use a plain `[kH, kW]` kernel, which is
 * `[1, 1, 1, kH, kW]`. Other inputs need PyTorch's full rank.
 */
function liftWeight(shape: readonly number[], layout: ImageLayout, transposed: boolean): [number, number, number, number, number] {
  const matrixInput = layout.spatialRank === 2 && layout.rank === 2;
  const at = (index: number): number => shape[index] as number;
  let lifted: [number, number, number, number, number] | undefined;
  if (layout.spatialRank === 3 && shape.length === 5) lifted = [at(0), at(1), at(2), at(3), at(4)];
  else if (layout.spatialRank === 2 && shape.length === 4) lifted = [at(0), at(1), 1, at(2), at(3)];
  else if (matrixInput && shape.length === 2) lifted = [1, 1, 1, at(0), at(1)];
  else if (layout.spatialRank === 1 && shape.length === 3) lifted = [at(0), at(1), 1, 1, at(2)];
  if (lifted === undefined) {
    const channels = transposed ? 'C_in, C_out/groups' : 'C_out, C_in/groups';
    const expected =
      layout.spatialRank === 3
        ? `a 5-D [${channels}, kD, kH, kW] tensor`
        : layout.spatialRank === 1
        ? `a 3-D [${channels}, k] tensor`
        : matrixInput
          ? `a [kH, kW] kernel or a 4-D [${channels}, kH, kW] tensor`
          : `a 4-D [${channels}, kH, kW] tensor for a ${layout.rank}-D input`;
    throw new LayerError('invalid-shape', `weight must be ${expected}, but has shape ${formatShape(shape)} (${shape.length}-D)`);
  }
  if (lifted.some((size) => size === 0)) {
    throw new LayerError('invalid-shape', `weight shape ${formatShape(shape)} has an empty axis: every size must be 1 or more`);
  }
  return lifted;
}

interface SpatialOptions {
  readonly kernelDepth: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly stride: Triple;
  readonly dilation: Triple;
  readonly padding: Triple;
  readonly outputPadding: Triple;
  readonly paddingMode: ConvPaddingMode | undefined;
}

/** The caller's spatial axes, outermost first (options are `[d, h, w]` triples, see {@link readSpatial}). */
function axisParameters(layout: ImageLayout, spatialRank: SpatialRank, o: SpatialOptions): AxisParameters[] {
  const make = (index: 0 | 1 | 2, label: AxisParameters['label'], axisName: string, size: number, kernel: number): AxisParameters => {
    const dilation = o.dilation[index];
    // PyTorch's 'same': total padding dilation·(k − 1), the odd one out on the right/bottom. Keras'
    // (TensorFlow's) for any stride: (⌈L / s⌉ − 1)·s + dilation·(k − 1) + 1 − L, at least 0, the odd one after too.
    const stride = o.stride[index];
    const total =
      o.paddingMode === 'same' ? dilation * (kernel - 1) : o.paddingMode === 'keras-same' ? Math.max((Math.ceil(size / stride) - 1) * stride + dilation * (kernel - 1) + 1 - size, 0) : 2 * o.padding[index];
    const padBefore = o.paddingMode === 'same' || o.paddingMode === 'keras-same' ? Math.floor(total / 2) : o.padding[index];
    return { label, axisName, size, kernel, stride, padBefore, padAfter: total - padBefore, dilation, outputPadding: o.outputPadding[index] };
  };
  if (spatialRank === 1) return [make(2, 'L', 'length', layout.width, o.kernelWidth)];
  const plane = [make(1, 'H', 'height', layout.height, o.kernelHeight), make(2, 'W', 'width', layout.width, o.kernelWidth)];
  return spatialRank === 2 ? plane : [make(0, 'D', 'depth', layout.depth, o.kernelDepth), ...plane];
}

function checkOutputPadding(axis: AxisParameters, spatialRank: SpatialRank): void {
  const { outputPadding, stride, dilation } = axis;
  if (outputPadding < stride || outputPadding < dilation) return;
  const where = spatialRank >= 2 ? ` on the ${axis.axisName} axis` : '';
  throw new LayerError(
    'output-padding-too-large',
    `output_padding (${outputPadding}) must be smaller than stride (${stride}) or dilation (${dilation})${where}: use 0 to ${Math.max(stride, dilation) - 1}`,
  );
}

function checkKernelFits(axis: AxisParameters): void {
  const padded = axis.size + axis.padBefore + axis.padAfter;
  const effective = axis.dilation * (axis.kernel - 1) + 1;
  if (effective <= padded) return;
  const inSymbol = `${axis.label}_in`;
  const paddedText =
    axis.padBefore === axis.padAfter
      ? `${inSymbol} + 2·padding = ${axis.size} + 2·${axis.padBefore} = ${padded}`
      : `${inSymbol} + padding = ${axis.size} + ${axis.padBefore} + ${axis.padAfter} = ${padded}`;
  const fix = axis.dilation > 1 ? 'use a smaller kernel or dilation, or more padding' : 'use a smaller kernel or more padding';
  throw new LayerError(
    'kernel-too-large',
    `kernel is larger than the padded input on the ${axis.axisName} axis: dilation·(kernel_size − 1) + 1 = ${axis.dilation}·(${axis.kernel} − 1) + 1 = ${effective} > ${paddedText}; ${fix}`,
  );
}

/** The output size of one axis: the value of {@link transposedFormula} or {@link convFormula}, without their text. */
function outputSize(axis: AxisParameters, transposed: boolean): number {
  return transposed ? transposedOutputSize(NUMBER_SIZES, axis.size, axis) : windowOutputSize(NUMBER_SIZES, axis.size, axis);
}

/**
 * The output sizes of the caller's spatial axes (D, H, W; H, W; or L) in another arithmetic of sizes
 * (the model reader's symbolic sizes), for input sizes `sizes` on those axes: the same formulas as
 * {@link outputSize}, with the layer's parameters as `info` read them.
 */
export function convAxisSizes<T>(ar: SizeArithmetic<T>, info: ConvInfo, sizes: readonly T[]): T[] {
  return convAxes(info).map((axis, i) => (info.transposed ? transposedOutputSize(ar, sizes[i] as T, axis) : windowOutputSize(ar, sizes[i] as T, axis)));
}

/** `(H_in − 1)·stride − 2·padding + dilation·(kernel_size − 1) + output_padding + 1`. */
function transposedFormula(axis: AxisParameters): AxisFormula {
  const { size, stride, padBefore, dilation, kernel, outputPadding } = axis;
  const value = outputSize(axis, true);
  const parts: FormulaPart[] = [
    '(', term(`${axis.label}_in`, size), ' − 1)·', term('stride', stride),
    ' − 2·', term('padding', padBefore),
    ' + ', term('dilation', dilation), '·(', term('kernel_size', kernel), ' − 1)',
    ' + ', term('output_padding', outputPadding), ' + 1',
  ];
  return axisFormula(`${axis.label}_out`, parts, value);
}

/** The two ends of each axis, as the asymmetric `'same'` padding's terms name them. */
const sideNames: Record<AxisParameters['label'], readonly [string, string]> = { D: ['front', 'back'], H: ['top', 'bottom'], W: ['left', 'right'], L: ['left', 'right'] };

/** `⌊(H_in + 2·padding − dilation·(kernel_size − 1) − 1) / stride⌋ + 1`. */
function convFormula(axis: AxisParameters): AxisFormula {
  const { size, stride, padBefore, padAfter, dilation, kernel } = axis;
  const value = outputSize(axis, false);
  const paddingParts: FormulaPart[] =
    padBefore === padAfter
      ? [' + 2·', term('padding', padBefore)]
      : [' + ', term(`padding_${sideNames[axis.label][0]}`, padBefore), ' + ', term(`padding_${sideNames[axis.label][1]}`, padAfter)];
  const parts: FormulaPart[] = [
    '⌊(', term(`${axis.label}_in`, size), ...paddingParts,
    ' − ', term('dilation', dilation), '·(', term('kernel_size', kernel), ' − 1) − 1) / ', term('stride', stride), '⌋ + 1',
  ];
  return axisFormula(`${axis.label}_out`, parts, value);
}

function emptyOutput(formula: AxisFormula, axis: AxisParameters, transposed: boolean): LayerError {
  let hint = '';
  if (transposed) {
    // (H_in − 1)·s − 2p + d·(k − 1) + op + 1 ≥ 1  ⇔  p ≤ ((H_in − 1)·s + d·(k − 1) + op) / 2
    const maxPadding = Math.floor(((axis.size - 1) * axis.stride + axis.dilation * (axis.kernel - 1) + axis.outputPadding) / 2);
    hint = `; padding (${axis.padBefore}) can be at most ${maxPadding} on the ${axis.axisName} axis`;
  }
  return new LayerError('empty-output', `output would be empty: ${formatAxisFormula(formula, 'both')}${hint}`);
}

/**
 * `valid groups: 1, 2, 4, …` for a channel count `n`. Divisors are listed up to 2^32 (65,536 trial
 * divisions); beyond that no weight fits in memory anyway, and a trial division loop over a
 * 2^53 − 1 channel count took 1.7 s to build a refusal.
 */
function validGroupsText(n: number): string {
  return n <= 2 ** 32 ? `valid groups: ${divisors(n).join(', ')}` : `groups must divide ${n}`;
}

/** The divisors of `n`, ascending (the `groups` values that would fit). */
function divisors(n: number): number[] {
  const small: number[] = [];
  const large: number[] = [];
  for (let d = 1; d * d <= n; d++) {
    if (n % d !== 0) continue;
    small.push(d);
    if (d * d !== n) large.unshift(n / d);
  }
  return [...small, ...large];
}
