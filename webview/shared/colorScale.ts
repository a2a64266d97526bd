/**
 * The diverging colour scale of every heatmap: zero is transparent (so it is the theme's own
 * background in light, dark and high-contrast themes), positive values shade towards red and
 * negative towards blue, in proportion to |value| / the grid's largest |value|.
 */
export interface DivergingScale {
  /** The largest |value| among the finite values (0 when all are zero or not finite). */
  readonly maxAbs: number;
}

export function divergingScale(data: ArrayLike<number>): DivergingScale {
  let maxAbs = 0;
  for (let i = 0; i < data.length; i++) {
    const v = Math.abs(data[i] as number);
    if (Number.isFinite(v) && v > maxAbs) maxAbs = v;
  }
  return { maxAbs };
}

export type Rgba = readonly [number, number, number, number];

export const POSITIVE_RGB: readonly [number, number, number] = [214, 69, 65];
export const NEGATIVE_RGB: readonly [number, number, number] = [59, 130, 206];
/** Strong enough to read at a glance, weak enough that the cell's number stays legible on it. */
export const MAX_ALPHA = 0.8;

/** The cell colour for `value`; NaN is `undefined` (drawn as a hatched "missing" cell). */
export function colorFor(value: number, scale: DivergingScale): Rgba | undefined {
  if (Number.isNaN(value)) return undefined;
  const base = value < 0 ? NEGATIVE_RGB : POSITIVE_RGB;
  if (!Number.isFinite(value)) return [base[0], base[1], base[2], MAX_ALPHA];
  const t = scale.maxAbs === 0 ? 0 : Math.min(1, Math.abs(value) / scale.maxAbs);
  return [base[0], base[1], base[2], Math.round(t * MAX_ALPHA * 1000) / 1000];
}

export function cssColor([r, g, b, a]: Rgba): string {
  return `rgba(${r}, ${g}, ${b}, ${a})`;
}
