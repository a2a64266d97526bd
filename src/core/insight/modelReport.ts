/**
 * A whole model's run written out for people and for the protocol: the table Inspect Model returns
 * and the model view draws (every step of forward() in order, grouped by the model's submodules,
 * with its skip connections), the input sizes that work near the given one, and the one-line
 * summary the CodeLens and the hover show ("7.8 M params · 1×3×64×64 → 1×2×64×64").
 */
import type { ModelAnalysis, ValidInputSizes } from '../model/analyzeModel';
import type { ModelConstructor } from '../model/constructorArguments';
import { MODEL_INPUT, type ModelTrace, type TraceStep } from '../model/modelTrace';
import { MAX_MODEL_ARGUMENTS, type ModelGroup, type ModelRow, type ModelSkip, type ModelTable } from '../protocol/model';
import { layerOverlap } from './layerOverlap';
import { fieldReasons, modelField } from './modelField';
import { isSymbolic, symShapeText } from '../model/symbolicShape';
import { kerasShapeText } from '../model/kerasLayers';

export interface ModelTableContext {
  readonly className: string;
  /** `unet_model.py:8`. */
  readonly source: string;
  readonly inputShape: readonly number[];
  readonly inputSource: string;
  /** A file of the trace ('' for the model's own document) as the table names it. */
  readonly fileName?: (file: string) => string;
  /** The arguments the model was built with. */
  readonly builtWith?: ModelConstructor | null;
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

/**
 * A step's shapes in the input's named sizes (`[N, 64, ⌊H/2⌋, ⌊W/2⌋]`), where the reader formed them
 * for some axis that depends on one; an input without formulas is written in numbers.
 */
function symbolicShapes(step: TraceStep): Pick<ModelRow, 'inputSymbolic' | 'outputSymbolic'> {
  const sym = step.symbolic;
  if (!sym) return {};
  const inputs = sym.inputs.map((s) => (isSymbolic(s) ? symShapeText(s) : undefined));
  const output = isSymbolic(sym.output) ? symShapeText(sym.output) : undefined;
  return {
    ...(inputs.some((s) => s !== undefined) ? { inputSymbolic: inputs.map((s, i) => s ?? torchShapeText(step.inputs[i] ?? [])).join(' , ') } : {}),
    ...(output !== undefined ? { outputSymbolic: output } : {}),
  };
}

/** `N = 1, H = 64, W = 64`: what the named sizes of the formulas stand for in this run. */
function sizeNamesText(trace: ModelTrace): string | undefined {
  const names = Object.entries(trace.sizes?.names ?? {});
  return names.length > 0 ? names.map(([name, value]) => `${name} = ${value}`).join(', ') : undefined;
}

/** The model's direct submodule a step belongs to: the first part of its module's or its scope's name. */
function blockOf(step: Pick<TraceStep, 'kind' | 'path' | 'scope'>): string {
  const name = step.kind === 'layer' ? step.path : step.scope;
  return name.split('.')[0] ?? '';
}

const stepLabel = (step: Pick<TraceStep, 'kind' | 'op'>): string => (step.kind === 'layer' ? step.op : operationLabel(step.op));

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

/** The output in named sizes (the last step's, when it is the output) and what the names stand for. */
function symbolicOutput(analysis: ModelAnalysis, rows: readonly ModelRow[], trace: ModelTrace): Pick<ModelTable, 'outputSymbolic' | 'sizeNames'> {
  const last = rows[rows.length - 1];
  const names = sizeNamesText(trace);
  const output = analysis.output && last?.outputSymbolic && last.output === torchShapeText(analysis.output.shape) ? last.outputSymbolic : undefined;
  return { ...(output ? { outputSymbolic: output } : {}), ...(names && rows.some((r) => r.outputSymbolic) ? { sizeNames: names } : {}) };
}

/** The sides nearest to `given` among those that run (at most `count`, in order). */
export function nearestSides(sides: readonly number[], given: number, count = 6): number[] {
  return [...sides].sort((a, b) => Math.abs(a - given) - Math.abs(b - given) || a - b).slice(0, count).sort((a, b) => a - b);
}

export function modelTable(analysis: ModelAnalysis, trace: ModelTrace, sizes: ValidInputSizes | undefined, maxSide: number, context: ModelTableContext): ModelTable {
  const fileName = context.fileName ?? ((file: string) => file);
  const why = fieldReasons(trace.steps, context.inputShape.length, (i) => `${stepLabel(trace.steps[i] as TraceStep)}${trace.steps[i]?.path ? ` ${trace.steps[i]?.path}` : ''}`);
  // Keras shapes are written as Keras prints them: channels last, `(None, 64, 64, 32)`.
  const shapeText = trace.framework === 'keras' ? kerasShapeText : torchShapeText;
  const rows = trace.steps.map((step, index): ModelRow => {
    const overlap = overlapOf(step);
    const reason = why[index];
    return {
      index,
      kind: step.kind,
      label: stepLabel(step),
      path: step.path,
      block: blockOf(step),
      input: step.inputs.map(shapeText).join(' , '),
      output: shapeText(step.output),
      ...symbolicShapes(step),
      outputValues: Math.round(product(step.output) / Math.max(1, context.inputShape[0] ?? 1)),
      ...(Number.isSafeInteger(step.params) && step.kind === 'layer' ? { params: step.params } : {}),
      macs: Number.isFinite(step.macs) ? step.macs : 0,
      line: Math.max(0, step.line - 1),
      file: fileName(step.file),
      ...(overlap ? { overlap } : {}),
      ...(step.field ? { field: modelField(step.field) } : reason ? { fieldWhy: reason } : {}),
    };
  });
  const problem = analysis.error ? { kind: 'error' as const, p: analysis.error } : analysis.unknown ? { kind: 'unknown' as const, p: analysis.unknown } : undefined;
  if (problem && trace.failure) rows.push(...stoppedRows(trace, rows.length, `${problem.kind === 'error' ? 'PyTorch raises' : 'Not known'}: ${problem.p.message}`, fileName));
  // Not followed: the last step says why (a model ending in a linear layer).
  const lastWhy = problem ? undefined : rows[rows.length - 1]?.fieldWhy;
  const field = analysis.receptiveField;
  // The input's width: the last axis, or the one before the channels for Keras.
  const given = context.inputShape[context.inputShape.length - (trace.framework === 'keras' ? 2 : 1)] ?? 0;
  return {
    className: context.className,
    source: context.source,
    inputShape: [...context.inputShape],
    inputSource: context.inputSource,
    output: analysis.output ? shapeText(analysis.output.shape) : 'none',
    ...symbolicOutput(analysis, rows, trace),
    rows,
    // A Keras model has no forward(): its steps are the model's own.
    groups: modelGroups(rows, trace.modules).map((g) => (trace.framework === 'keras' && g.label === 'forward()' ? { ...g, label: 'the model' } : g)),
    ...(trace.framework ? { framework: trace.framework } : {}),
    skips: modelSkips(trace.steps),
    ...(analysis.params !== null && Number.isSafeInteger(analysis.params) ? { params: analysis.params } : {}),
    macs: rows.reduce((sum, row) => sum + row.macs, 0),
    activationValues: rows.reduce((sum, row) => sum + row.outputValues, 0),
    ...(problem ? { problem: { kind: problem.kind, message: problem.p.message, line: Math.max(0, problem.p.line - 1), file: fileName(problem.p.file) } } : {}),
    ...(analysis.output && analysis.outputField ? { outputField: modelField(analysis.outputField) } : lastWhy ? { outputFieldWhy: lastWhy } : {}),
    ...(field ? { receptiveField: { output: [...field.output] as [number, number], rows: [...field.rows] as [number, number], cols: [...field.cols] as [number, number] } } : {}),
    ...(sizes
      ? { sizes: { rule: sizes.rule, formula: sizes.formula, nearest: nearestSides(sizes.sides, given), given, maxSide, runs: sizes.sides.includes(given), ...(sizes.unknown ? { unknown: `${sizes.unknown.message} (line ${sizes.unknown.line})` } : {}) } }
      : {}),
    ...(context.builtWith && context.builtWith.arguments.length > 0
      ? { builtWith: { call: context.builtWith.call, arguments: context.builtWith.arguments.slice(0, MAX_MODEL_ARGUMENTS).map((a) => ({ ...a })), missing: context.builtWith.missing.slice(0, MAX_MODEL_ARGUMENTS) } }
      : {}),
  };
}

/**
 * The row of the step that failed, in forward order and in its submodule's group, then the steps a
 * working input runs after it (from `trace.after`), shown as not run: no shapes, only what they are.
 */
function stoppedRows(trace: ModelTrace, first: number, message: string, fileName: (file: string) => string): ModelRow[] {
  const f = trace.failure;
  if (!f) return [];
  const failed: ModelRow = {
    index: first,
    kind: f.kind,
    label: f.op === '' ? 'line' : stepLabel(f),
    path: f.path,
    block: blockOf(f),
    input: '',
    output: '',
    outputValues: 0,
    macs: 0,
    line: Math.max(0, f.line - 1),
    file: fileName(f.file),
    status: 'failed',
    message,
  };
  const after = (trace.after ?? []).map((step, i): ModelRow => ({
    index: first + 1 + i,
    kind: step.kind,
    label: stepLabel(step),
    path: step.path,
    block: blockOf(step),
    input: '',
    output: '',
    outputValues: 0,
    ...(Number.isSafeInteger(step.params) && step.kind === 'layer' ? { params: step.params } : {}),
    macs: 0,
    line: Math.max(0, step.line - 1),
    file: fileName(step.file),
    status: 'notRun',
  }));
  return [failed, ...after];
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

/**
 * How the model is built, for the hover: `UNet(n_channels=3, n_classes=2, bilinear=False)` and where
 * the values not written as defaults came from; undefined when every argument is a default.
 */
export function constructorSummary(built: ModelConstructor | null | undefined): string | undefined {
  if (!built || built.arguments.every((a) => a.origin === 'default')) return undefined;
  if (built.missing.length > 0) return `needs ${built.missing.join(', ')}: no default, and no call of the class in the workspace gives ${built.missing.length === 1 ? 'it' : 'them'} (give them in the model view)`;
  const from = new Map<string, string[]>();
  for (const a of built.arguments) {
    const origin = a.origin === 'call' ? `from ${a.where ?? 'a call'}` : a.origin === 'given' ? 'as given in the model view' : undefined;
    if (origin) from.set(origin, [...(from.get(origin) ?? []), a.name]);
  }
  return `built as ${built.call}; ${[...from].map(([origin, names]) => `${names.join(', ')} ${origin}`).join('; ')}`;
}

