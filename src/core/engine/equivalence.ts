/**
 * The teaching equivalence: a transposed convolution is an ordinary convolution, with stride 1, of
 * a stretched and padded input with the flipped kernel. Per spatial axis:
 *
 * 1. zero insertion: `stride − 1` zeros between neighbouring inputs, `(H_in − 1)·stride + 1` long;
 * 2. padding `dilation·(k − 1) − padding` on each side, plus `output_padding` more at the end
 *    (bottom/right). When that is negative (the layer's padding exceeds the dilated kernel's reach)
 *    the zero-inserted input is cropped by that much instead;
 * 3. a stride-1 convolution with the same dilation and groups, whose weight is the transposed
 *    layer's turned half a turn (`w'[o, i, kh, kw] = w[i, o, kH − 1 − kh, kW − 1 − kw]`, with the
 *    channel axes swapped within each group).
 *
 * The result has exactly the transposed layer's shape, and its values agree up to the order of
 * summation (within about `n·ε·Σ|products|`).
 */
import { conv2d } from './conv';
import { convCallInfo, type ConvInfo } from './convInfo';
import type { ConvTranspose2dOptions } from './options';
import type { Pair } from './pairs';
import type { Tensor } from './tensor';

/** What happens at one end of an axis before the stride-1 convolution. */
export type EdgeAdjustment =
  /** `amount` zeros added (0: the edge is left as it is). */
  | { readonly kind: 'pad'; readonly amount: number }
  /** `amount` positions removed: the layer's padding reaches past the dilated kernel. */
  | { readonly kind: 'crop'; readonly amount: number };

export interface AxisRewrite {
  readonly axis: 'H' | 'W';
  /** `stride − 1`. */
  readonly zerosBetween: number;
  /** `dilation·(k − 1) − padding`, as padding or (when negative) cropping. */
  readonly before: EdgeAdjustment;
  /** `dilation·(k − 1) − padding + output_padding`. */
  readonly after: EdgeAdjustment;
  /** The axis's rewrite in words, with the numbers. */
  readonly explanation: string;
}

export interface ConvTransposeAsConv {
  /** The input with `stride − 1` zeros between neighbours, in the input's rank. */
  readonly zeroInserted: Tensor;
  /** The zero-inserted input padded (or cropped) per {@link AxisRewrite}. */
  readonly padded: Tensor;
  /** The convolution weight: `[C_out, C_in/groups, kH, kW]` (a `[kH, kW]` matrix for a matrix input), flipped in both spatial axes. */
  readonly flippedKernel: Tensor;
  /** The stride-1 convolution's options: the layer's dilation and groups (and its bias). */
  readonly convOptions: { readonly dilation: Pair; readonly groups: number };
  /** `conv2d(padded, flippedKernel, convOptions)`: the transposed convolution's output. */
  readonly output: Tensor;
  readonly rows: AxisRewrite;
  readonly cols: AxisRewrite;
}

/** `F.conv_transpose2d(input, weight, **options)` computed as zero insertion, padding and a stride-1 convolution, with every intermediate. */
export function convTransposeAsConv(input: Tensor, weight: Tensor, options: ConvTranspose2dOptions = {}): ConvTransposeAsConv {
  const info = convCallInfo('convTranspose2d', input, weight, options);
  const bias = options?.bias;
  const rows = axisRewrite('H', info.strideHeight, info.dilationHeight, info.kernelHeight, info.padTop, info.outputPaddingHeight);
  const cols = axisRewrite('W', info.strideWidth, info.dilationWidth, info.kernelWidth, info.padLeft, info.outputPaddingWidth);
  const zeroInserted = insertZeros(input, info);
  const padded = padOrCrop(zeroInserted, info, signed(rows.before), signed(rows.after), signed(cols.before), signed(cols.after));
  const flippedKernel = flipKernel(weight, info);
  const convOptions = { dilation: [info.dilationHeight, info.dilationWidth] as Pair, groups: info.groups };
  const output = conv2d(padded, flippedKernel, { ...convOptions, ...(bias === undefined ? {} : { bias }) });
  return { zeroInserted, padded, flippedKernel, convOptions, output, rows, cols };
}

function signed(edge: EdgeAdjustment): number {
  return edge.kind === 'pad' ? edge.amount : -edge.amount;
}

function edge(amount: number): EdgeAdjustment {
  return amount >= 0 ? { kind: 'pad', amount } : { kind: 'crop', amount: -amount };
}

function axisRewrite(axis: 'H' | 'W', stride: number, dilation: number, kernel: number, padding: number, outputPadding: number): AxisRewrite {
  const reach = dilation * (kernel - 1);
  const before = reach - padding;
  const after = before + outputPadding;
  const [first, last, unit] = axis === 'H' ? ['top', 'bottom', 'row'] : ['left', 'right', 'column'];
  const plural = (n: number) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  const zeros = stride === 1 ? 'no zeros between inputs (stride 1)' : `${stride - 1} zero${stride === 2 ? '' : 's'} between neighbouring inputs (stride ${stride})`;
  const side = (amount: number, where: string, formula: string) =>
    amount >= 0
      ? `pad ${plural(amount)} at the ${where} (${formula})`
      : `crop ${plural(-amount)} from the ${where} instead: ${formula} is negative, because padding ${padding} reaches past dilation·(k − 1) = ${reach}`;
  const beforeFormula = `dilation·(k − 1) − padding = ${dilation}·(${kernel} − 1) − ${padding} = ${before}`;
  const afterFormula = outputPadding === 0 ? `the same, ${after}` : `${before} + output_padding ${outputPadding} = ${after}`;
  return {
    axis,
    zerosBetween: stride - 1,
    before: edge(before),
    after: edge(after),
    explanation: `${axis === 'H' ? 'rows' : 'columns'}: ${zeros}; ${side(before, first, beforeFormula)}; ${side(after, last, afterFormula)}`,
  };
}

/** The input's `[…, H, W]` replaced by new spatial sizes, in the caller's rank. */
function withSpatial(shape: readonly number[], height: number, width: number): number[] {
  return [...shape.slice(0, -2), height, width];
}

function insertZeros(input: Tensor, info: ConvInfo): Tensor {
  const { inHeight, inWidth, strideHeight, strideWidth } = info;
  const height = (inHeight - 1) * strideHeight + 1;
  const width = (inWidth - 1) * strideWidth + 1;
  const planes = info.batch * info.inChannels;
  const data = new Float64Array(planes * height * width);
  for (let plane = 0; plane < planes; plane++) {
    for (let ih = 0; ih < inHeight; ih++) {
      for (let iw = 0; iw < inWidth; iw++) {
        data[(plane * height + ih * strideHeight) * width + iw * strideWidth] = input.data[(plane * inHeight + ih) * inWidth + iw] as number;
      }
    }
  }
  return { shape: withSpatial(input.shape, height, width), data };
}

/** Pads (positive) or crops (negative) each side of each plane. */
function padOrCrop(source: Tensor, info: ConvInfo, top: number, bottom: number, left: number, right: number): Tensor {
  const [sourceHeight, sourceWidth] = source.shape.slice(-2) as [number, number];
  const height = sourceHeight + top + bottom;
  const width = sourceWidth + left + right;
  const planes = info.batch * info.inChannels;
  const data = new Float64Array(planes * height * width);
  for (let plane = 0; plane < planes; plane++) {
    for (let r = 0; r < height; r++) {
      const sr = r - top;
      if (sr < 0 || sr >= sourceHeight) continue;
      for (let c = 0; c < width; c++) {
        const sc = c - left;
        if (sc < 0 || sc >= sourceWidth) continue;
        data[(plane * height + r) * width + c] = source.data[(plane * sourceHeight + sr) * sourceWidth + sc] as number;
      }
    }
  }
  return { shape: withSpatial(source.shape, height, width), data };
}

/** `[C_in, C_out/g, kH, kW]` → `[C_out, C_in/g, kH, kW]`, turned half a turn; a `[kH, kW]` kernel stays 2-D. */
function flipKernel(weight: Tensor, info: ConvInfo): Tensor {
  const { groups, inChannelsPerGroup, outChannelsPerGroup, kernelHeight, kernelWidth } = info;
  const taps = kernelHeight * kernelWidth;
  const data = new Float64Array(weight.data.length);
  for (let g = 0; g < groups; g++) {
    for (let i = 0; i < inChannelsPerGroup; i++) {
      for (let o = 0; o < outChannelsPerGroup; o++) {
        const from = ((g * inChannelsPerGroup + i) * outChannelsPerGroup + o) * taps;
        const to = ((g * outChannelsPerGroup + o) * inChannelsPerGroup + i) * taps;
        for (let t = 0; t < taps; t++) data[to + taps - 1 - t] = weight.data[from + t] as number;
      }
    }
  }
  const shape = weight.shape.length === 2 ? [kernelHeight, kernelWidth] : [info.outChannels, inChannelsPerGroup, kernelHeight, kernelWidth];
  return { shape, data };
}
