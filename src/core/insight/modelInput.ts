/**
 * The input shape of Inspect Model as a person types it: `64` (a square image of the default
 * batch and channels), `64x48` (H×W), `3x64x64` (C×H×W) or `1, 3, 64, 64` (N, C, H, W). Checked
 * with a reason, for the input box's validation and the model view's input box. The current shape
 * sets the rank: with a sequence `[N, C, L]` current, `64` is a length (`C×L`, `N, C, L`); with a
 * volume `[N, C, D, H, W]`, `32` is a cube side (`D×H×W`, `C×D×H×W`, `N, C, D, H, W`).
 */
export const MAX_INPUT_SIDE = 4096;

export type ParsedInputShape = { readonly ok: true; readonly shape: number[] } | { readonly ok: false; readonly reason: string };

/**
 * Reads `text` into a full `[N, C, H, W]` shape, taking what it leaves out from `fallback`;
 * `channelsLast` (Keras): `[N, H, W, C]`, and three sizes are H×W×C.
 */
export function parseInputShape(text: string, fallback: readonly number[], channelsLast = false): ParsedInputShape {
  const parts = text.trim().replace(/^[[(]|[\])]$/g, '').split(/\s*[,x×*]\s*|\s+/).filter((p) => p !== '');
  if (parts.length === 0) return { ok: false, reason: 'Type a size: 64, 64x48, 3x64x64 or 1, 3, 64, 64.' };
  if (parts.length > 6) return { ok: false, reason: `At most 6 sizes (N, C, H, W); got ${parts.length}.` };
  const values: number[] = [];
  for (const p of parts) {
    if (!/^\d+$/.test(p)) return { ok: false, reason: `“${p}” is not a whole number.` };
    const v = Number(p);
    if (v < 1 || v > MAX_INPUT_SIDE * 16) return { ok: false, reason: `${p} is out of range (1 to ${MAX_INPUT_SIDE * 16}).` };
    values.push(v);
  }
  let shape: number[];
  if (channelsLast) {
    const base = fallback.length >= 4 ? fallback : [1, 64, 64, 3];
    const n = base[0] as number;
    const c = base[base.length - 1] as number;
    if (values.length === 1) shape = [n, values[0] as number, values[0] as number, c];
    else if (values.length === 2) shape = [n, ...values, c];
    else if (values.length === 3) shape = [n, ...values];
    else shape = values;
  } else {
    const base = fallback.length >= 3 && fallback.length <= 5 ? fallback : [1, 3, 64, 64];
    const axes = base.length - 2;
    if (values.length === 1) shape = [base[0] as number, base[1] as number, ...new Array<number>(axes).fill(values[0] as number)];
    else if (values.length === axes) shape = [base[0] as number, base[1] as number, ...values];
    else if (values.length === axes + 1) shape = [base[0] as number, ...values];
    else shape = values;
  }
  const elements = shape.reduce((a, b) => a * b, 1);
  if (elements > 2 ** 31) return { ok: false, reason: `That input holds ${elements.toExponential(2)} values: too large to be a model's input.` };
  return { ok: true, shape };
}

/** `1, 3, 64, 64`: a shape as the input box shows it. */
export function inputShapeText(shape: readonly number[]): string {
  return shape.join(', ');
}

