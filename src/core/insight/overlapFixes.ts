/**
 * Quick fixes for a transposed convolution whose overlap is uneven, computed and checked here,
 * without VS Code, so that every fix offered is known to do what its title says:
 *
 * - a kernel size divisible by the stride (PyTorch: with the padding and output_padding that keep
 *   the output size for every input size; Keras/Flax: where the padding rule keeps it);
 * - the layer rewritten as nearest upsampling followed by a convolution, wrapped in one
 *   `Sequential` so an attribute or a list entry keeps working. The convolution keeps the kernel
 *   size; when no padding then keeps the output size exactly (kernel 3, stride 2, padding 0 gives
 *   2H + 1), that fix says what the size becomes, and a kernel one larger that keeps it is offered
 *   beside it.
 *
 * Each fix's new text is parsed again with `findLayerCalls` and its output size compared with the
 * original's over a range of input sizes before it is offered.
 */
import type { LayerCall } from '../parse/index';
import { findLayerCalls } from '../parse/index';
import { layerOverlap } from './layerOverlap';
import { convAxes, layerSize, rankOf, transposedFromMode, type ConvAxis, type SpatialRank } from './layerSize';

/** A replacement of `[start, end)` of the document text. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface OverlapFix {
  readonly kind: 'kernel' | 'rewrite';
  readonly title: string;
  /** Applied together, as one undoable edit. */
  readonly edits: readonly TextEdit[];
  /** False when the fix changes the output size (its title then says how). */
  readonly keepsSize: boolean;
}

export interface FixFormatting {
  /** One level of indentation in this document (`'    '`, `'\t'`). */
  readonly indentUnit: string;
}

/** Input sizes every fix is checked on: small, odd, even, and one the layer would have in practice. */
const CHECK_SIZES: readonly (readonly [number, number])[] = [[1, 2], [2, 3], [3, 3], [4, 5], [7, 8], [16, 16], [17, 31], [32, 33]];

/** The fixes for `call` (a call of `text`), best first; none when its overlap is even or unknown. */
export function overlapFixes(text: string, call: LayerCall, formatting: FixFormatting): OverlapFix[] {
  if (call.op !== 'convTranspose2d' && call.op !== 'convTranspose1d' && call.op !== 'convTranspose3d') return [];
  const read = convAxes(call);
  if (!read.ok || call.args.some((arg) => arg.parameter === undefined && arg.keyword === undefined)) return [];
  const rank = rankOf(call.op);
  if (layerOverlap(read.axes, rank).verdict.even) return [];
  const candidates = [...kernelFixes(text, call, read.axes, rank), ...rewriteFixes(text, call, read.axes, rank, formatting)];
  const imports = importLines(text);
  return candidates.filter((fix) => verify(text, call, fix, imports));
}

// --- Kernel size --------------------------------------------------------------------------------

function kernelFixes(text: string, call: LayerCall, axes: readonly ConvAxis[], rank: SpatialRank): OverlapFix[] {
  if (axes.some((a) => a.dilation !== 1)) return [];
  const perAxis = axes.map((axis) => (axis.stride === 1 || axis.kernel % axis.stride === 0 ? [axis] : evenCandidates(call, axis)));
  if (perAxis.some((c) => c.length === 0)) return [];
  const identical = rank >= 2 && axes.every((axis) => JSON.stringify(axis) === JSON.stringify(axes[0]));
  const choices: ConvAxis[][] = identical
    ? (perAxis[0] as ConvAxis[]).slice(0, 2).map((axis) => axes.map(() => axis))
    : [perAxis.map((c) => c[0] as ConvAxis)];
  return choices.map((chosen) => kernelFix(text, call, axes, chosen, rank)).filter((fix): fix is OverlapFix => fix !== undefined);
}

/** Even-overlap variants of one axis (kernel a multiple of the stride), nearest kernel size first, the larger one first on a tie. */
function evenCandidates(call: LayerCall, axis: ConvAxis): ConvAxis[] {
  const found: ConvAxis[] = [];
  const mode = call.params.paddingMode?.kind === 'known' ? call.params.paddingMode.value : call.framework === 'flax' ? 'same' : 'valid';
  const keepsOutputPadding = call.params.outputPadding?.kind === 'known' && call.params.outputPadding.value !== null;
  for (let kernel = axis.stride; kernel <= axis.kernel + 2 * axis.stride; kernel += axis.stride) {
    if (call.framework === 'pytorch') {
      // (in − 1)·s − 2p + (k − 1) + op + 1 depends on k, p and op only through k − 2p + op.
      const constant = axis.kernel - 2 * axis.padding + axis.outputPadding;
      const padding = Math.max(0, Math.ceil((kernel - constant) / 2));
      const outputPadding = constant - kernel + 2 * padding;
      if (outputPadding >= 0 && outputPadding < axis.stride) found.push({ ...axis, kernel, padding, outputPadding });
    } else {
      const mapped = transposedFromMode({ ...axis, kernel }, mode === 'same' ? 'same' : 'valid', keepsOutputPadding ? axis.outputPadding : undefined);
      found.push({ ...axis, kernel, ...mapped });
    }
  }
  return found.sort((a, b) => Math.abs(a.kernel - axis.kernel) - Math.abs(b.kernel - axis.kernel) || b.kernel - a.kernel);
}

function kernelFix(text: string, call: LayerCall, before: readonly ConvAxis[], after: readonly ConvAxis[], rank: SpatialRank): OverlapFix | undefined {
  const fields = call.framework === 'pytorch' ? (['kernel', 'padding', 'outputPadding'] as const) : (['kernel'] as const);
  const change = axisEdits(call, before, after, rank, fields);
  if (!change) return undefined;
  return { kind: 'kernel', title: `Use ${change.changed.join(', ')}: even overlap, same output size`, edits: change.edits, keepsSize: true };
}

const PARAM_OF_FIELD = { kernel: 'kernelSize', padding: 'padding', outputPadding: 'outputPadding' } as const;
const KEYWORD_OF_FIELD = { kernel: 'kernel_size', padding: 'padding', outputPadding: 'output_padding' } as const;

/**
 * The edits that turn a (transposed) convolution call's `fields` from `before` to `after`: an
 * argument that is written has its value replaced in place (positional or keyword, formatting
 * kept); one the call leaves out is added as a keyword after its last argument, all in one
 * insertion. `changed` lists `name=value` for a title; undefined when nothing changes.
 */
export function axisEdits(
  call: LayerCall,
  before: readonly ConvAxis[],
  after: readonly ConvAxis[],
  rank: SpatialRank,
  fields: readonly ('kernel' | 'padding' | 'outputPadding')[],
): { readonly edits: TextEdit[]; readonly changed: string[] } | undefined {
  const edits: TextEdit[] = [];
  const changed: string[] = [];
  const insertAt = call.args.length > 0 ? (call.args[call.args.length - 1] as { end: number }).end : call.open + 1;
  const inserted: string[] = [];
  for (const field of fields) {
    const param = PARAM_OF_FIELD[field];
    const oldValues = before.map((a) => a[field]);
    const newValues = after.map((a) => a[field]);
    if (oldValues.join() === newValues.join()) continue;
    const value = sizeText(newValues, rank);
    const name = call.args.find((arg) => arg.param === param)?.parameter ?? KEYWORD_OF_FIELD[field];
    changed.push(`${name}=${value}`);
    const existing = call.params[param];
    if (existing) edits.push({ start: existing.start, end: existing.end, newText: value });
    else inserted.push(`${name}=${value}`);
  }
  if (inserted.length > 0) edits.push({ start: insertAt, end: insertAt, newText: `${call.args.length > 0 ? ', ' : ''}${inserted.join(', ')}` });
  return edits.length === 0 ? undefined : { edits, changed };
}

/** `4`, or `(4, 2)` / `(4, 2, 2)` when the axes differ. */
export function sizeText(values: readonly number[], rank: SpatialRank): string {
  return rank === 1 || values.slice(0, rank).every((v) => v === values[0]) ? String(values[0]) : `(${values.join(', ')})`;
}

// --- Upsampling followed by a convolution --------------------------------------------------------

interface Names {
  readonly sequential: string;
  readonly upsample: string;
  readonly conv: string;
}

function rewriteFixes(text: string, call: LayerCall, axes: readonly ConvAxis[], rank: SpatialRank, formatting: FixFormatting): OverlapFix[] {
  if (axes.some((a) => a.dilation !== 1)) return [];
  const names = namesFor(text, call, rank);
  if (!names) return [];
  const quote = quoteOf(text.slice(call.start, call.end), call.framework === 'keras' ? '"' : "'");
  const original = axes.map(affineOf);
  const scales = axes.map((a) => a.stride);

  if (call.framework === 'keras') {
    // 'same' convolution after upsampling by s gives s·H.
    const keeps = original.every((o, i) => o.slope === scales[i] && o.offset === 0);
    const changedTo = keeps ? '' : ` (output ${sizeDescription(scales.map((s) => ({ slope: s, offset: 0 })), rank)} instead of ${sizeDescription(original, rank)})`;
    const body = kerasRewrite(text, call, quote);
    return body === undefined ? [] : [rewrite(text, call, names, body, scales, rank, quote, formatting, `Rewrite as ${names.upsample} + ${names.conv}${changedTo}`, keeps)];
  }

  // PyTorch: a convolution with kernel kc and padding pc after upsampling by s gives s·H + 2·pc − (kc − 1).
  const fixes: OverlapFix[] = [];
  const padFor = (kernel: number, i: number) => ((original[i] as Affine).offset + kernel - 1) / 2;
  const exact = (kernels: readonly number[]) => kernels.every((k, i) => Number.isInteger(padFor(k, i)) && padFor(k, i) >= 0);
  const kernels = axes.map((a) => a.kernel);
  const build = (kernelSizes: readonly number[], title: string, keepsSize: boolean): OverlapFix | undefined => {
    const paddings = kernelSizes.map((k, i) => Math.max(0, Math.floor(padFor(k, i))));
    const body = torchRewrite(text, call, names, kernelSizes, paddings, rank);
    return body === undefined ? undefined : rewrite(text, call, names, body, scales, rank, quote, formatting, title, keepsSize);
  };
  if (exact(kernels)) {
    const fix = build(kernels, `Rewrite as ${names.upsample} + ${names.conv}`, true);
    if (fix) fixes.push(fix);
  } else {
    const paddings = kernels.map((k, i) => Math.max(0, Math.floor(padFor(k, i))));
    const becomes = kernels.map((k, i): Affine => ({ slope: scales[i] as number, offset: 2 * (paddings[i] as number) - (k - 1) }));
    const kept = build(kernels, `Rewrite as ${names.upsample} + ${names.conv} (output ${sizeDescription(becomes, rank)} instead of ${sizeDescription(original, rank)}: no padding keeps it with kernel ${sizeText(kernels, rank)})`, false);
    if (kept) fixes.push(kept);
    const larger = kernels.map((k) => k + 1);
    if (exact(larger)) {
      const fix = build(larger, `Rewrite as ${names.upsample} + ${names.conv} with kernel_size=${sizeText(larger, rank)} (keeps ${sizeDescription(original, rank)})`, true);
      if (fix) fixes.push(fix);
    }
  }
  return fixes;
}

/** The qualified names of the rewrite's layers, in the call's own module prefix; undefined when they cannot be named safely. */
function namesFor(text: string, call: LayerCall, rank: SpatialRank): Names | undefined {
  const dot = call.name.lastIndexOf('.');
  if (dot < 0) return undefined; // a bare imported name: the others may not be imported
  const prefix = call.name.slice(0, dot + 1);
  const member = call.name.slice(dot + 1);
  if (call.framework === 'pytorch') {
    if (/^conv_transpose/.test(member)) return undefined; // functional: the weight is an argument
    const lazy = member.startsWith('Lazy') ? 'Lazy' : '';
    return { sequential: `${prefix}Sequential`, upsample: `${prefix}Upsample`, conv: `${prefix}${lazy}Conv${rank}d` };
  }
  if (call.framework !== 'keras') return undefined;
  const layersAt = prefix.lastIndexOf('layers.');
  if (layersAt < 0 || layersAt + 'layers.'.length !== prefix.length) return undefined;
  const base = prefix.slice(0, layersAt);
  // `layers.X` alone: Sequential lives in the keras module, which must be bound in the file.
  const sequential = base !== '' ? `${base}Sequential` : /^\s*(?:from\s+[\w.]+\s+)?import\s+[^\n#]*\bkeras\b(?!\.)/m.test(text) ? 'keras.Sequential' : undefined;
  if (sequential === undefined) return undefined;
  return { sequential, upsample: `${prefix}UpSampling${rank}D`, conv: `${prefix}Conv${rank}D` };
}

function quoteOf(callText: string, fallback: string): string {
  const match = /["']/.exec(callText);
  return match ? match[0] : fallback;
}

/** Arguments carried over to the convolution as `name=value`, skipping the ones the rewrite replaces. */
function carried(text: string, call: LayerCall, replaced: ReadonlySet<string>): string[] | undefined {
  const out: string[] = [];
  for (const arg of call.args) {
    if (arg.param !== undefined && replaced.has(arg.param)) continue;
    const name = arg.parameter ?? arg.keyword?.name;
    if (name === undefined) return undefined;
    out.push(`${name}=${text.slice(arg.valueStart, arg.valueEnd)}`);
  }
  return out;
}

function valueText(text: string, call: LayerCall, param: 'inChannels' | 'outChannels'): string | undefined {
  const arg = call.args.find((a) => a.param === param);
  return arg && text.slice(arg.valueStart, arg.valueEnd);
}

function torchRewrite(text: string, call: LayerCall, names: Names, kernels: readonly number[], paddings: readonly number[], rank: SpatialRank): string[] | undefined {
  const inChannels = valueText(text, call, 'inChannels');
  const outChannels = valueText(text, call, 'outChannels');
  const lazy = names.conv.includes('Lazy');
  if (outChannels === undefined || (!lazy && inChannels === undefined)) return undefined;
  const rest = carried(text, call, new Set(['inChannels', 'outChannels', 'kernelSize', 'stride', 'padding', 'outputPadding', 'dilation']));
  if (!rest) return undefined;
  const padding = paddings.some((p) => p !== 0) ? [`padding=${sizeText(paddings, rank)}`] : [];
  return [...(lazy ? [] : [inChannels as string]), outChannels, sizeText(kernels, rank), ...padding, ...rest];
}

function kerasRewrite(text: string, call: LayerCall, quote: string): string[] | undefined {
  const filters = valueText(text, call, 'outChannels');
  const kernel = call.args.find((a) => a.param === 'kernelSize');
  if (filters === undefined || !kernel) return undefined;
  const rest = carried(text, call, new Set(['outChannels', 'kernelSize', 'stride', 'paddingMode', 'outputPadding', 'dilation']));
  if (!rest) return undefined;
  return [filters, text.slice(kernel.valueStart, kernel.valueEnd), `padding=${quote}same${quote}`, ...rest];
}

function rewrite(
  text: string,
  call: LayerCall,
  names: Names,
  convArgs: readonly string[],
  scales: readonly number[],
  rank: SpatialRank,
  quote: string,
  formatting: FixFormatting,
  title: string,
  keepsSize: boolean,
): OverlapFix {
  const scale = sizeText(scales, rank);
  const upsample =
    call.framework === 'keras'
      ? `${names.upsample}(size=${scale}${rank === 2 ? `, interpolation=${quote}nearest${quote}` : ''})`
      : `${names.upsample}(scale_factor=${scale}, mode=${quote}nearest${quote})`;
  const conv = `${names.conv}(${convArgs.join(', ')})`;
  const lineStart = text.lastIndexOf('\n', call.start - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart, call.start))?.[0] ?? '';
  const column = call.start - lineStart;
  const open = call.framework === 'keras' ? '([' : '(';
  const close = call.framework === 'keras' ? '])' : ')';
  const oneLine = `${names.sequential}${open}${upsample}, ${conv}${close}`;
  const singleLineCall = !text.slice(call.start, call.end).includes('\n');
  const newText =
    singleLineCall && column + oneLine.length <= 100
      ? oneLine
      : `${names.sequential}${open}\n${indent}${formatting.indentUnit}${upsample},\n${indent}${formatting.indentUnit}${conv},\n${indent}${close}`;
  return { kind: 'rewrite', title, edits: [{ start: call.start, end: call.end, newText }], keepsSize };
}

// --- Sizes ---------------------------------------------------------------------------------------

/** An output size `slope·H + offset` (a transposed convolution's size is affine in its input's). */
interface Affine {
  readonly slope: number;
  readonly offset: number;
}

function affineOf(axis: ConvAxis): Affine {
  // With the PyTorch-equivalent padding: (H − 1)·s − 2p + d·(k − 1) + op + 1.
  return { slope: axis.stride, offset: -axis.stride - 2 * axis.padding + axis.dilation * (axis.kernel - 1) + axis.outputPadding + 1 };
}

/** `2H + 1`, or `2H × 2W` when the axes differ. */
function sizeDescription(sizes: readonly Affine[], rank: SpatialRank): string {
  const one = (a: Affine, symbol: string) => `${a.slope}${symbol}${a.offset > 0 ? ` + ${a.offset}` : a.offset < 0 ? ` − ${-a.offset}` : ''}`;
  if (rank === 1) return one(sizes[0] as Affine, 'L');
  if (rank === 3) return sizes.map((a, i) => one(a, ['D', 'H', 'W'][i] as string)).join(' × ');
  const [h, w] = sizes as [Affine, Affine];
  return h.slope === w.slope && h.offset === w.offset ? one(h, 'H') : `${one(h, 'H')} × ${one(w, 'W')}`;
}

// --- Checking a fix ------------------------------------------------------------------------------

/** The file's import statements, unindented, one per line: enough for `findLayerCalls` to resolve the names of a snippet. */
function importLines(text: string): string {
  const lines = (text.match(/^[ \t]*(?:from[ \t]+[\w.]+[ \t]+)?import[ \t][^\n]*$/gm) ?? []).map((line) => line.trim());
  // An import written again (a file of many similar blocks) counts where it is written last: each is parsed once per fix checked.
  const kept: string[] = [];
  const seen = new Set<string>();
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] as string;
    if (!seen.has(line)) kept.push(`${line}\n`);
    seen.add(line);
  }
  return kept.reverse().join('');
}

/** Applies edits (non-overlapping, any order) to `text`. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}

/**
 * Parses the fixed text again and compares: a kernel fix must give one call with even overlap and
 * the original's size everywhere; a rewrite must give exactly an upsampling and a convolution whose
 * combined size is the original's (or, for a fix that says it changes the size, upsampling's
 * `s·H` followed by what the convolution makes of it, consistently on every input size).
 */
function verify(text: string, call: LayerCall, fix: OverlapFix, imports: string): boolean {
  const end = fix.edits.reduce((e, edit) => Math.max(e, edit.end), call.end);
  const shifted = fix.edits.map((edit) => ({ ...edit, start: edit.start - call.start, end: edit.end - call.start }));
  const edited = applyEdits(text.slice(call.start, end), shifted);
  // The new code alone, after the file's imports (so aliases resolve), not the whole file again.
  const found = findLayerCalls(imports + edited, 'python').filter((c) => c.start >= imports.length);
  const rank = rankOf(call.op);
  const sizes = CHECK_SIZES.map(([h, w]) => (rank === 2 ? [h, w] : rank === 3 ? [w, h, w] : [w]));
  const originalSizes = sizes.map((size) => layerSize(call, size));
  if (fix.kind === 'kernel') {
    const [fixed] = found;
    if (found.length !== 1 || !fixed || fixed.op !== call.op) return false;
    const axes = convAxes(fixed);
    if (!axes.ok || !layerOverlap(axes.axes, rank).verdict.even) return false;
    return sizes.every((size, i) => sameSize(originalSizes[i], layerSize(fixed, size)));
  }
  const [up, conv] = found;
  const upsampling = rank === 1 ? ['upsample', 'upsample1d'] : rank === 3 ? ['upsample', 'upsample3d'] : ['upsample'];
  if (found.length !== 2 || !up || !conv || !upsampling.includes(up.op) || conv.op !== (['conv1d', 'conv2d', 'conv3d'] as const)[rank - 1]) return false;
  if (rank === 1) return verifyOneDimensionalRewrite(conv, fix, originalSizes, sizes, call);
  return sizes.every((size, i) => {
    const upsampled = layerSize(up, size);
    if (upsampled.kind !== 'sized') return false;
    const result = layerSize(conv, upsampled.output);
    return fix.keepsSize ? sameSize(originalSizes[i], result) : result.kind === 'sized';
  });
}

/** The engine's upsampling is 2-D; a 1-D rewrite is checked as `s·L` followed by the convolution. */
function verifyOneDimensionalRewrite(conv: LayerCall, fix: OverlapFix, originalSizes: readonly ReturnType<typeof layerSize>[], sizes: readonly number[][], call: LayerCall): boolean {
  const read = convAxes(call);
  if (!read.ok) return false;
  const stride = (read.axes[0] as ConvAxis).stride;
  return sizes.every((size, i) => {
    const result = layerSize(conv, [(size[0] as number) * stride]);
    return fix.keepsSize ? sameSize(originalSizes[i], result) : result.kind === 'sized';
  });
}

function sameSize(a: ReturnType<typeof layerSize> | undefined, b: ReturnType<typeof layerSize>): boolean {
  if (a?.kind !== 'sized') return b.kind !== 'sized';
  return b.kind === 'sized' && a.output.join() === b.output.join();
}
