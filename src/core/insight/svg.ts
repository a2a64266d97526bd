/**
 * Small SVG pictures for hovers: a matrix as a heatmap, and a stride tile of overlap counts with
 * the count written in each cell. Hovers show images, not styled HTML, and an image cannot read
 * the editor's theme, so the caller picks the palette for the active theme kind; cell text takes
 * black or white by the fill's luminance, so it stays readable on every palette.
 *
 * Pictures stay small (a few KB): a large matrix is shown block-averaged to at most
 * {@link MAX_HEATMAP_CELLS} cells per side.
 */

export type ThemeKind = 'light' | 'dark' | 'highContrast' | 'highContrastLight';

export interface Palette {
  /** Zero in a matrix with both signs; the empty cells of a tile. */
  readonly neutral: string;
  /** Sequential scale, smallest to largest. */
  readonly low: string;
  readonly high: string;
  /** Diverging scale ends, for matrices with both signs. */
  readonly negative: string;
  readonly positive: string;
  readonly border: string;
}

const PALETTES: Readonly<Record<ThemeKind, Palette>> = {
  light: { neutral: '#f4f4f4', low: '#dbe9f6', high: '#08519c', negative: '#2166ac', positive: '#b2182b', border: '#a0a0a0' },
  dark: { neutral: '#2d2d2d', low: '#1c3550', high: '#9ecae1', negative: '#4393c3', positive: '#d6604d', border: '#6e6e6e' },
  highContrast: { neutral: '#000000', low: '#003366', high: '#9ecae1', negative: '#4393c3', positive: '#f4a582', border: '#ffffff' },
  highContrastLight: { neutral: '#ffffff', low: '#dbe9f6', high: '#08306b', negative: '#2166ac', positive: '#b2182b', border: '#000000' },
};

export function paletteFor(kind: ThemeKind): Palette {
  return PALETTES[kind];
}

export const MAX_HEATMAP_CELLS = 24;

/**
 * A heatmap of a `rows × cols` row-major matrix: a sequential scale when all values share a sign,
 * a diverging one (zero neutral) when they do not. `undefined` for an empty matrix.
 */
export function heatmapSvg(rows: number, cols: number, data: ArrayLike<number>, palette: Palette): string | undefined {
  if (rows < 1 || cols < 1 || data.length < rows * cols) return undefined;
  const shownRows = Math.min(rows, MAX_HEATMAP_CELLS);
  const shownCols = Math.min(cols, MAX_HEATMAP_CELLS);
  const values = blockAverage(rows, cols, data, shownRows, shownCols);
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const diverging = min < 0 && max > 0;
  const extent = Math.max(Math.abs(min), Math.abs(max));
  const colour = (v: number): string => {
    if (!Number.isFinite(v)) return palette.neutral;
    if (diverging) return mix(palette.neutral, v < 0 ? palette.negative : palette.positive, Math.abs(v) / extent);
    return mix(palette.low, palette.high, max > min ? (v - min) / (max - min) : 0.5);
  };
  const cell = Math.max(4, Math.min(20, Math.floor(160 / Math.max(shownRows, shownCols))));
  const width = shownCols * cell;
  const height = shownRows * cell;
  const rects: string[] = [];
  for (let r = 0; r < shownRows; r++) {
    for (let c = 0; c < shownCols; c++) rects.push(`<rect x="${c * cell}" y="${r * cell}" width="${cell}" height="${cell}" fill="${colour(values[r * shownCols + c] as number)}"/>`);
  }
  return svg(width, height, `${rects.join('')}<rect x="0.5" y="0.5" width="${width - 1}" height="${height - 1}" fill="none" stroke="${palette.border}"/>`);
}

/** A stride tile of counts (`[sh, sw]` row-major), each cell with its count; zero cells (gaps) stay neutral. */
export function countTileSvg(rows: number, cols: number, counts: ArrayLike<number>, palette: Palette): string {
  const cell = 22;
  let max = 0;
  for (let i = 0; i < rows * cols; i++) max = Math.max(max, counts[i] as number);
  const parts: string[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const count = counts[r * cols + c] as number;
      const fill = count === 0 ? palette.neutral : mix(palette.low, palette.high, max > 0 ? count / max : 0);
      const x = c * cell;
      const y = r * cell;
      parts.push(
        `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" stroke="${palette.border}"/>` +
          `<text x="${x + cell / 2}" y="${y + cell / 2 + 4}" font-family="sans-serif" font-size="11" text-anchor="middle" fill="${textOn(fill)}">${count}</text>`,
      );
    }
  }
  return svg(cols * cell, rows * cell, parts.join(''));
}

function svg(width: number, height: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" shape-rendering="crispEdges">${body}</svg>`;
}

/** Averages `rows × cols` into `outRows × outCols` blocks (identity when the sizes agree). */
function blockAverage(rows: number, cols: number, data: ArrayLike<number>, outRows: number, outCols: number): Float64Array {
  const out = new Float64Array(outRows * outCols);
  if (outRows === rows && outCols === cols) {
    for (let i = 0; i < out.length; i++) out[i] = data[i] as number;
    return out;
  }
  const count = new Float64Array(outRows * outCols);
  for (let r = 0; r < rows; r++) {
    const or = Math.floor((r * outRows) / rows);
    for (let c = 0; c < cols; c++) {
      const v = data[r * cols + c] as number;
      if (!Number.isFinite(v)) continue;
      const index = or * outCols + Math.floor((c * outCols) / cols);
      out[index] = (out[index] as number) + v;
      count[index] = (count[index] as number) + 1;
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = (count[i] as number) > 0 ? (out[i] as number) / (count[i] as number) : NaN;
  return out;
}

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** The colour `t` (0..1) of the way from `a` to `b`. */
function mix(a: string, b: string, t: number): string {
  const [ar, ag, ab] = rgb(a);
  const [br, bg, bb] = rgb(b);
  const u = Math.min(1, Math.max(0, t));
  const channel = (x: number, y: number) => Math.round(x + (y - x) * u).toString(16).padStart(2, '0');
  return `#${channel(ar, br)}${channel(ag, bg)}${channel(ab, bb)}`;
}

/** Black or white, whichever reads better on `fill` (relative luminance, WCAG). */
function textOn(fill: string): string {
  const [r, g, b] = rgb(fill).map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.179 ? '#000000' : '#ffffff';
}
