/**
 * A transposed convolution as a matrix product, for small layers: build the matrix C of the
 * convolution with the same weight, stride, padding, dilation and groups (which maps the transposed
 * layer's output space back to its input space), and the transposed layer is its transpose:
 *
 *     convT(x) = Cᵀ·vec(x) (+ bias),   C: (C_in·H_in·W_in) × (C_out·H_out·W_out)
 *
 * Row `(c, h, w)` of C is the convolution's output cell `(c, h, w)`: it holds the weights that cell
 * gathers, at the columns of the cells they read, `C[(i, h, w), (o, h·s + kh·d − p, w·s + kw·d − p)]
 * = w[i, o, kh, kw]`. Column j of C, read downwards, is therefore what the transposed layer scatters
 * into output cell j. The convolution may have more output rows than the transposed layer has input
 * rows (when output_padding ≥ stride, which dilation allows); C keeps only the rows x has. One image
 * at a time: a batch multiplies each image by the same C.
 */
import { convCallInfo } from './convInfo';
import { LayerError } from './errors';
import type { ConvTranspose2dOptions } from './options';
import type { Tensor } from './tensor';

/** The most entries an explicit matrix may have: 2²⁰ (8 MiB of float64), far beyond what a view can show. */
export const MAX_CONV_MATRIX_ENTRIES = 2 ** 20;

export interface ConvTransposeAsMatrix {
  /** C, `[C_in·H_in·W_in, C_out·H_out·W_out]`: the convolution's matrix. */
  readonly matrix: Tensor;
  /** `Cᵀ·vec(x)` plus the bias, per image, in the transposed layer's output shape. */
  readonly output: Tensor;
}

/** `F.conv_transpose2d(input, weight, **options)` as `Cᵀ·vec(x)`; refuses (`too-large`) a C of more than {@link MAX_CONV_MATRIX_ENTRIES} entries. */
export function convTransposeAsMatrix(input: Tensor, weight: Tensor, options: ConvTranspose2dOptions = {}): ConvTransposeAsMatrix {
  const info = convCallInfo('convTranspose2d', input, weight, options);
  const bias = options?.bias;
  const { inChannels, inHeight, inWidth, outChannels, outHeight, outWidth, kernelHeight, kernelWidth } = info;
  const rowCount = inChannels * inHeight * inWidth;
  const colCount = outChannels * outHeight * outWidth;
  if (rowCount * colCount > MAX_CONV_MATRIX_ENTRIES) {
    throw new LayerError(
      'too-large',
      `the matrix would be ${rowCount} × ${colCount} = ${rowCount * colCount} entries, more than the ${MAX_CONV_MATRIX_ENTRIES} Layer Lens builds explicitly: use a smaller input or fewer channels`,
    );
  }

  const matrix = new Float64Array(rowCount * colCount);
  // Which entries a tap connects: a zero weight is still a connection (0·∞ is NaN, as in the layer); an unconnected entry is not.
  const connected = new Uint8Array(rowCount * colCount);
  for (let ic = 0; ic < inChannels; ic++) {
    const group = Math.floor(ic / info.inChannelsPerGroup);
    for (let h = 0; h < inHeight; h++) {
      for (let w = 0; w < inWidth; w++) {
        const row = ((ic * inHeight + h) * inWidth + w) * colCount;
        for (let ocInGroup = 0; ocInGroup < info.outChannelsPerGroup; ocInGroup++) {
          const oc = group * info.outChannelsPerGroup + ocInGroup;
          const kernelBase = (ic * info.outChannelsPerGroup + ocInGroup) * kernelHeight * kernelWidth;
          for (let kh = 0; kh < kernelHeight; kh++) {
            const y = h * info.strideHeight + kh * info.dilationHeight - info.padTop;
            if (y < 0 || y >= outHeight) continue;
            for (let kw = 0; kw < kernelWidth; kw++) {
              const x = w * info.strideWidth + kw * info.dilationWidth - info.padLeft;
              if (x < 0 || x >= outWidth) continue;
              const at = row + (oc * outHeight + y) * outWidth + x;
              matrix[at] = weight.data[kernelBase + kh * kernelWidth + kw] as number;
              connected[at] = 1;
            }
          }
        }
      }
    }
  }

  // Cᵀ·vec(x): column j of C dotted with x, image by image.
  const output = new Float64Array(info.batch * colCount);
  for (let n = 0; n < info.batch; n++) {
    for (let j = 0; j < colCount; j++) {
      let sum = bias === undefined ? 0 : (bias.data[Math.floor(j / (outHeight * outWidth))] as number);
      for (let i = 0; i < rowCount; i++) {
        const at = i * colCount + j;
        if (connected[at] === 1) sum += (matrix[at] as number) * (input.data[n * rowCount + i] as number);
      }
      output[n * colCount + j] = sum;
    }
  }
  return { matrix: { shape: [rowCount, colCount], data: matrix }, output: { shape: [...info.outShape], data: output } };
}
