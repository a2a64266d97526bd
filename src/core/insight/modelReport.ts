/**
 * A whole model's run written out for people and for the protocol: the table Inspect Model returns
 * and the model view draws (every step of forward() in order, grouped by the model's submodules,
 * with its skip connections), the input sizes that work near the given one, and the one-line
 * summary the CodeLens and the hover show ("7.8 M params · 1×3×64×64 → 1×2×64×64").
 */
import type { ModelAnalysis, ValidInputSizes } from '../model/analyzeModel';
import { MODEL_INPUT, type ModelTrace, type TraceStep } from '../model/modelTrace';
import type { ModelGroup, ModelRow, ModelSkip, ModelTable } from '../protocol/model';
import { layerOverlap } from './layerOverlap';
import { kerasShapeText } from '../model/kerasLayers';

export interface ModelTableContext {
  readonly className: string;
  /** `unet_model.py:8`. */
  readonly source: string;
  readonly inputShape: readonly number[];
  readonly inputSource: string;
  /** A file of the trace ('' for the model's own document) as the table names it. */
  readonly fileName?: (file: string) => string;
}

const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const torchShapeText = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/** `torch.cat`, `F.interpolate`, `x.view`: an operation as it is usually written. */
function operationLabel(op: string): string {
  if (/^[-+*/@%]$/.test(op)) return op;
  if (['cat', 'stack', 'concat', 'chunk', 'split', 'flatten', 'sigmoid', 'tanh', 'relu'].includes(op)) return `torch.${op}`;
  if (['pad', 'interpolate', 'relu', 'leaky_relu', 'max_pool2d', 'avg_pool2d', 'adaptive_avg_pool2d', 'dropout', 'softmax', 'pixel_shuffle', 'gelu', 'silu', 'upsample'].includes(op)) return `F.${op}`;
  return `.${op}()`;
}

function overlapOf(step: TraceStep): ModelRow['overlap'] {
  const t = step.transposed;
  if (!t) return undefined;
  const o = layerOverlap(t.axes, t.rank);
  return { label: o.label, even: o.verdict.even, reason: o.verdict.reason };
}

/** The model's direct submodule a step belongs to: the first part of its module's or its scope's name. */
function blockOf(step: TraceStep): string {
  const name = step.kind === 'layer' ? step.path : step.scope;
  return name.split('.')[0] ?? '';
}

/** Runs of consecutive blocks of one class (`down1` … `down4`: `Down ×4`); a block alone is its own group. */
export function modelGroups(rows: readonly ModelRow[], modules: Readonly<Record<string, string>>): ModelGroup[] {
  const groups: ModelGroup[] = [];
  let i = 0;
  while (i < rows.length) {
    const block = (rows[i] as ModelRow).block;
    let end = i;
    while (end + 1 < rows.length && (rows[end + 1] as ModelRow).block === block) end++;
    const type = block === '' ? '' : (modules[block] ?? (rows[i] as ModelRow).label);
    const last = groups[groups.length - 1];
    if (last && type !== '' && last.type === type && last.last === i - 1 && !last.blocks.includes(block)) {
      groups[groups.length - 1] = { ...last, blocks: [...last.blocks, block], last: end, label: `${type} ×${last.blocks.length + 1}` };
    } else {
      groups.push({ label: block === '' ? 'forward()' : `${block} (${type})`, type, blocks: [block], first: i, last: end });
    }
    i = end + 1;
  }
  // A group of one block keeps its name; a run says how many.
  return groups.map((g) => (g.blocks.length === 1 ? g : { ...g, label: `${g.type} ×${g.blocks.length} (${g.blocks[0]} … ${g.blocks[g.blocks.length - 1]})` }));
}

/**
 * The skip connections: an input of an operation that joins tensors (`torch.cat`, `+`…) that was
 * not made by the step just before it, nor by the other input's own chain: the output of an
 * earlier step (an encoder's) that waited to be joined.
 */
export function modelSkips(steps: readonly TraceStep[]): ModelSkip[] {
  const skips: ModelSkip[] = [];
  steps.forEach((step, to) => {
    // Operations join tensors in PyTorch; Keras joins them with merge layers (Concatenate, Add).
    if (step.sources.length < 2) return;
    for (const from of step.sources) {
      if (from === to - 1 || from < MODEL_INPUT) continue;
      skips.push({ from: Math.max(0, from), fromInput: from === MODEL_INPUT, to });
    }
  });
  return skips;
}

/** The sides nearest to `given` among those that run (at most `count`, in order). */
export function nearestSides(sides: readonly number[], given: number, count = 6): number[] {
  return [...sides].sort((a, b) => Math.abs(a - given) - Math.abs(b - given) || a - b).slice(0, count).sort((a, b) => a - b);
}

export function modelTable(analysis: ModelAnalysis, trace: ModelTrace, sizes: ValidInputSizes | undefined, maxSide: number, context: ModelTableContext): ModelTable {
  const fileName = context.fileName ?? ((file: string) => file);
  // Keras shapes are written as Keras prints them: channels last, `(None, 64, 64, 32)`.
  const shapeText = trace.framework === 'keras' ? kerasShapeText : torchShapeText;
  const rows = trace.steps.map((step, index): ModelRow => {
    const overlap = overlapOf(step);
    return {
      index,
      kind: step.kind,
      label: step.kind === 'layer' ? step.op : operationLabel(step.op),
      path: step.path,
      block: blockOf(step),
      input: step.inputs.map(shapeText).join(' , '),
      output: shapeText(step.output),
      outputValues: Math.round(product(step.output) / Math.max(1, context.inputShape[0] ?? 1)),
      ...(Number.isSafeInteger(step.params) && step.kind === 'layer' ? { params: step.params } : {}),
      macs: Number.isFinite(step.macs) ? step.macs : 0,
      line: Math.max(0, step.line - 1),
      file: fileName(step.file),
      ...(overlap ? { overlap } : {}),
    };
  });
  const problem = analysis.error ? { kind: 'error' as const, p: analysis.error } : analysis.unknown ? { kind: 'unknown' as const, p: analysis.unknown } : undefined;
  const field = analysis.receptiveField;
  // The input's width: the last axis, or the one before the channels for Keras.
  const given = context.inputShape[context.inputShape.length - (trace.framework === 'keras' ? 2 : 1)] ?? 0;
  return {
    className: context.className,
    source: context.source,
    inputShape: [...context.inputShape],
    inputSource: context.inputSource,
    output: analysis.output ? shapeText(analysis.output.shape) : 'none',
    rows,
    // A Keras model has no forward(): its steps are the model's own.
    groups: modelGroups(rows, trace.modules).map((g) => (trace.framework === 'keras' && g.label === 'forward()' ? { ...g, label: 'the model' } : g)),
    ...(trace.framework ? { framework: trace.framework } : {}),
    skips: modelSkips(trace.steps),
    ...(analysis.params !== null && Number.isSafeInteger(analysis.params) ? { params: analysis.params } : {}),
    macs: rows.reduce((sum, row) => sum + row.macs, 0),
    activationValues: rows.reduce((sum, row) => sum + row.outputValues, 0),
    ...(problem ? { problem: { kind: problem.kind, message: problem.p.message, line: Math.max(0, problem.p.line - 1), file: fileName(problem.p.file) } } : {}),
    ...(field ? { receptiveField: { output: [...field.output] as [number, number], rows: [...field.rows] as [number, number], cols: [...field.cols] as [number, number] } } : {}),
    ...(sizes
      ? { sizes: { rule: sizes.rule, formula: sizes.formula, nearest: nearestSides(sizes.sides, given), given, maxSide, runs: sizes.sides.includes(given), ...(sizes.unknown ? { unknown: `${sizes.unknown.message} (line ${sizes.unknown.line})` } : {}) } }
      : {}),
  };
}

/** `7.8 M`, `512 k`, `90`: a count for a one-line summary. */
export function shortCount(value: number): string {
  if (value >= 1e9) return `${(value / 1e9).toPrecision(3)} G`;
  if (value >= 1e6) return `${(value / 1e6).toPrecision(3)} M`;
  if (value >= 1e4) return `${(value / 1e3).toPrecision(3)} k`;
  return String(value);
}

/** The CodeLens line: `7.8 M params · 1×3×64×64 → 1×2×64×64`, or where the run stops. */
export function modelSummary(analysis: ModelAnalysis, inputShape: readonly number[]): string {
  const params = analysis.params !== null ? `${shortCount(analysis.params)} params` : 'params not known';
  const input = inputShape.join('×');
  if (analysis.output) return `${params} · ${input} → ${analysis.output.shape.join('×')}`;
  // Line 0: PyTorch raises for the model as a whole (no forward()), not at a line.
  if (analysis.error) return `${params} · ${input} raises ${analysis.error.line > 0 ? `at line ${analysis.error.line}` : `(${analysis.error.message})`}`;
  return `${params} · ${input} → ? (${analysis.unknown?.message ?? 'not known'})`;
}
