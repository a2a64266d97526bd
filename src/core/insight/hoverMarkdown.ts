/**
 * The text of Layer Lens's hovers, as Markdown: pure, so what a hover says is tested without VS Code.
 * Images and command links arrive ready-made (the host encodes the pictures and knows the command).
 */
import { formatAxisFormula, formatNumber, type AxisFormula } from '../engine/formula';
import type { FoundMatrix } from '../parse/index';
import { argumentTypeWarnings } from './argumentTypes';
import { describeInputSource } from './inputSize';
import { kerasChannels, kerasPrintedShape, writesDataFormat } from './kerasTerms';
import type { LayerInsight } from './layerInsight';
import { unevenAxes, type LayerOverlap } from './layerOverlap';
import { codeSpan, escapeMarkdown, plainText } from './markdownText';
import type { OverlapFix } from './overlapFixes';

export interface Link {
  readonly title: string;
  readonly uri: string;
  readonly tooltip: string;
}

const FRAMEWORKS = { pytorch: 'PyTorch', keras: 'Keras', flax: 'Flax' } as const;

const OPS = {
  convTranspose2d: 'transposed convolution',
  convTranspose1d: '1-D transposed convolution',
  conv2d: 'convolution',
  conv1d: '1-D convolution',
  convTranspose3d: '3-D transposed convolution',
  conv3d: '3-D convolution',
  maxPool2d: 'max pooling',
  avgPool2d: 'average pooling',
  maxPool1d: '1-D max pooling',
  avgPool1d: '1-D average pooling',
  maxPool3d: '3-D max pooling',
  avgPool3d: '3-D average pooling',
  upsample: 'upsampling',
  upsample1d: '1-D upsampling',
  upsample3d: '3-D upsampling',
  pixelShuffle: 'pixel shuffle',
} as const;

/** `16×16`. */
export function sizeText(size: readonly number[]): string {
  return size.join('×');
}

/** `H_out = (H_in − 1)·stride …` over `      = (16 − 1)·2 … = 32`: symbols, then values, aligned. */
function formulaLines(formula: AxisFormula): string[] {
  const note = formula.note === undefined ? '' : `  (${formula.note})`;
  if (formula.symbolic === formula.substituted) return [formatAxisFormula(formula, 'values')];
  const indent = ' '.repeat(formula.name.length + 1);
  return [`${formula.name} = ${formula.symbolic}${note}`, `${indent}= ${formula.substituted} = ${formatNumber(formula.value)}`];
}

function linkText(link: Link): string {
  return `[${link.title}](${link.uri} "${link.tooltip.replace(/"/g, "'")}")`;
}

/** A code span of document text (see ./markdownText: no backtick in the text can close it). */
function code(text: string): string {
  return codeSpan(text);
}

export interface LayerHoverParts {
  /** A data: URI of the overlap tile picture, for a transposed convolution with known axes. */
  readonly tileImage?: string;
  readonly fixes: readonly OverlapFix[];
  readonly inspect?: Link;
  /** What the audits of checkpoints paired with this source say of this layer's trained weights, one line each, with a link to the audit. */
  readonly trained?: readonly { readonly text: string; readonly link: Link }[];
}

export function layerHoverMarkdown(insight: LayerInsight, parts: LayerHoverParts): string {
  const { call, input, size, overlap, parameters } = insight;
  const lines: string[] = [];
  lines.push(`**${code(call.name)}** · ${OPS[call.op]} (${FRAMEWORKS[call.framework]})`);
  lines.push('');
  const inputText = `input ${sizeText(input.size)} (${describeInputSource(input.source)})`;
  switch (size.kind) {
    case 'sized': {
      lines.push(`Output **${sizeText(size.output)}** for an ${inputText}:`);
      lines.push('');
      lines.push('```text');
      const [first, ...rest] = size.formulas;
      if (first) lines.push(...formulaLines(first));
      for (const other of rest) lines.push(...(other.substituted === first?.substituted ? [`${other.name} = ${formatNumber(other.value)} (the same)`] : formulaLines(other)));
      lines.push('```');
      break;
    }
    case 'symbolic':
      lines.push(`Output size unknown: ${reasonText(size.reason)}.`);
      break;
    case 'invalid':
      lines.push(`This layer cannot run on an ${inputText}: ${plainText(size.message, 400)}.`);
      break;
  }
  const keras = kerasShapesText(insight);
  if (keras) lines.push('', keras);
  for (const warning of argumentTypeWarnings(call)) {
    lines.push('');
    lines.push(`⚠ ${code(`${warning.parameter}=${warning.text}`)} ${plainText(warning.reason, 400)}.`);
  }
  if (overlap) {
    lines.push('');
    const picture = parts.tileImage ? `![Overlap tile: products per output cell](${parts.tileImage}) ` : '';
    const verdict = overlap.verdict.even ? `**Overlap: even** — ${overlap.verdict.reason}` : `**Overlap: ${overlap.label}** — ${overlap.verdict.reason}`;
    lines.push(`${picture}${verdict}`);
    if (overlap.axisTiles.length === 3) lines.push('', latticeText(overlap));
  }
  // The shape's verdict above, the trained weights' below: the user's question is which of the two paints.
  for (const trained of parts.trained ?? []) {
    lines.push('');
    lines.push(`**Trained:** ${plainText(trained.text, 400)} · ${linkText(trained.link)}`);
  }
  const channelLine = channelsText(insight);
  if (channelLine) {
    lines.push('');
    lines.push(channelLine);
  }
  if (parameters.kind === 'known' || parameters.kind === 'symbolic') {
    lines.push('');
    const bias = call.params.bias?.kind === 'known' && call.params.bias.value === false ? ' (no bias)' : '';
    lines.push(`Parameters: ${parameters.kind === 'known' ? `**${parameters.text}**` : code(parameters.text)}${bias}`);
  }
  if (parts.fixes.length > 0) {
    lines.push('');
    lines.push(`Suggested fix${parts.fixes.length > 1 ? 'es' : ''} (Quick Fix, Ctrl+.):`);
    for (const fix of parts.fixes) lines.push(`- ${plainText(fix.title, 400)}`);
  }
  if (parts.inspect) {
    lines.push('');
    lines.push(linkText(parts.inspect));
  }
  return lines.join('\n');
}

/**
 * A 3-D layer's stride lattice in one line: which axes are uneven, the counts per axis, and the
 * share of a constant input's response energy at the lattice's nonzero frequencies.
 */
function latticeText(overlap: LayerOverlap): string {
  const uneven = unevenAxes(overlap);
  const tiles = overlap.axisTiles.map((axis) => `${axis.axis} ${axis.tile.join(':')}`).join(', ');
  const where = uneven.length === 0 ? 'no axis uneven' : `uneven along ${uneven.join(', ')}`;
  const energy = `${formatNumber(Number((overlap.periodicEnergy * 100).toPrecision(3)))} %`;
  return `Stride lattice ${overlap.countTile.shape.join('×')}: ${where} (counts by phase: ${tiles}); periodic energy ${energy}`;
}

/** A reason that quotes arguments as written (`stride=s * 2`): the quotes as code spans, the rest as plain text. */
function reasonText(reason: string): string {
  const pattern = /(\w+)=([^,]+)/g;
  let out = '';
  let at = 0;
  for (let m = pattern.exec(reason); m; m = pattern.exec(reason)) {
    out += escapeMarkdown(reason.slice(at, m.index)) + code(m[0]);
    at = m.index + m[0].length;
  }
  return out + escapeMarkdown(reason.slice(at));
}

/**
 * A Keras layer's shapes as `model.summary()` prints them: batch `None`, channels last
 * (`(None, 200, 8)`, `(None, 32, 32, 64)`), so the sides above can be matched with what Keras says.
 * A channel count the code does not state is `?`; pooling and upsampling keep their input's.
 */
function kerasShapesText(insight: LayerInsight): string | undefined {
  const { call, input, size } = insight;
  if (call.framework !== 'keras' || size.kind !== 'sized' || writesDataFormat(call)) return undefined;
  const channels = kerasChannels(call, input.channels);
  const shape = (sides: readonly number[], c: string) => kerasPrintedShape(sides.map(formatNumber), c);
  return `As Keras prints it (channels last): ${code(shape(input.size, channels.input))} → ${code(shape(size.output, channels.output))}`;
}

/** `Channels: ngf * 2 → ngf` — channels never change H and W, so expressions are shown as written. */
function channelsText(insight: LayerInsight): string | undefined {
  const { inChannels, outChannels } = insight.call.params;
  if (!inChannels && !outChannels) return undefined;
  const show = (p: typeof inChannels) => (p === undefined ? '?' : p.kind === 'known' ? String(p.value) : code(p.text));
  // Keras takes C_in from its input: the channels the code before the layer states (`Reshape((7, 7, 32))`).
  const given = inChannels === undefined && insight.input.channels !== undefined ? String(insight.input.channels) : show(inChannels);
  return `Channels: ${given} → ${show(outChannels)}`;
}

export interface MatrixStats {
  readonly min: number;
  readonly max: number;
  readonly mean: number;
}

export function matrixStats(data: ArrayLike<number>): MatrixStats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { min, max, mean: data.length > 0 ? sum / data.length : NaN };
}

/** Three significant digits at most: a hover is for reading, not for copying values. */
function short(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return formatNumber(Number(value.toPrecision(4)));
}

export interface MatrixHoverParts {
  readonly heatmap?: string;
  readonly links: readonly Link[];
  /** Said instead of the links when there are none (too large, too many dimensions). */
  readonly noLinks?: string;
}

export function matrixHoverMarkdown(matrix: Pick<FoundMatrix, 'shape' | 'data' | 'notation'>, parts: MatrixHoverParts): string {
  const stats = matrixStats(matrix.data);
  const lines = [`**Matrix ${matrix.shape.join('×')}** (${matrix.notation}) · min ${short(stats.min)} · max ${short(stats.max)} · mean ${short(stats.mean)}`];
  if (parts.heatmap) lines.push('', `![Heatmap of the matrix](${parts.heatmap})`);
  if (parts.links.length > 0) lines.push('', parts.links.map(linkText).join(' · '));
  if (parts.noLinks) lines.push('', parts.noLinks);
  return lines.join('\n');
}
