/** A fetched tensor's caption: the matrix hover's min, max and mean, and how many values are NaN. */
import { matrixStats } from '../insight/hoverMarkdown';

/** `min -1.2, max 3.4, mean 0.012, 0 NaN` (the mean is NaN when a value is, as PyTorch's is). */
export function summariseValues(values: ArrayLike<number>): string {
  if (values.length === 0) return 'no values';
  const { min, max, mean } = matrixStats(values);
  let nanCount = 0;
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) nanCount++;
  const n = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(4)).toString() : String(x));
  return `min ${n(min)}, max ${n(max)}, mean ${n(mean)}, ${nanCount} NaN`;
}
