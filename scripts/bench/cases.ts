/** The transposed convolutions `npm run bench` times, and the data they run on. */

export interface ConvCase {
  readonly label: string;
  /** NCHW, or NCDHW for a 3-D layer (the libraries' conv_transpose3d). */
  readonly inputShape: readonly number[];
  /** [C_in, C_out, kH, kW] (or [C_in, C_out, kD, kH, kW]), PyTorch's layout for transposed convolution. */
  readonly weightShape: readonly number[];
  readonly stride: number;
  readonly padding: number;
  readonly outputPadding: number;
}

/** A case with its input and weight: float64, row-major, the same values on every run. */
export interface ConvData {
  readonly input: Float64Array;
  readonly weight: Float64Array;
}

function convCase(label: string, inputShape: ConvCase['inputShape'], weightShape: ConvCase['weightShape'], stride: number, padding = 0, outputPadding = 0): ConvCase {
  return { label, inputShape, weightShape, stride, padding, outputPadding };
}

export const convCases: readonly ConvCase[] = [
  convCase('1×1×2×2, k2 s1', [1, 1, 2, 2], [1, 1, 2, 2], 1),
  convCase('1×1×64×64, k3 s2', [1, 1, 64, 64], [1, 1, 3, 3], 2),
  convCase('1×1×256×256, k4 s2 p1', [1, 1, 256, 256], [1, 1, 4, 4], 2, 1),
  convCase('1×16×64×64 → 8, k4 s2 p1', [1, 16, 64, 64], [16, 8, 4, 4], 2, 1),
  convCase('1×64×32×32 → 32, k3 s2 p1 op1', [1, 64, 32, 32], [64, 32, 3, 3], 2, 1, 1),
  convCase('1×1×1024×1024, k3 s2', [1, 1, 1024, 1024], [1, 1, 3, 3], 2),
  // A 3-D U-Net / V-Net decoder step (issue 22).
  convCase('1×16×32×32×32 → 8, k4 s2 p1 (3-D)', [1, 16, 32, 32, 32], [16, 8, 4, 4, 4], 2, 1),
];

/** PyTorch's output shape: (in − 1)·stride − 2·padding + kernel + output_padding on each spatial axis. */
export function outputShape(c: ConvCase): number[] {
  const [n = 0] = c.inputShape;
  const outChannels = c.weightShape[1] ?? 0;
  const size = (inSize: number, k: number) => (inSize - 1) * c.stride - 2 * c.padding + k + c.outputPadding;
  return [n, outChannels, ...c.inputShape.slice(2).map((inSize, axis) => size(inSize, c.weightShape[axis + 2] ?? 0))];
}

/** Whether a case is a 3-D layer (NCDHW). */
export function isVolume(c: ConvCase): boolean {
  return c.inputShape.length === 5;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Deterministic pseudo-random values in [-1, 1), so every run measures the same data. */
export function seeded(n: number, seed: number): Float64Array {
  const data = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 31 - 1;
  }
  return data;
}

export function convData(c: ConvCase): ConvData {
  return { input: seeded(elementCount(c.inputShape), 11), weight: seeded(elementCount(c.weightShape), 13) };
}
