/**
 * The stack view informed by the whole-model reading (src/core/model/): a stack read alone follows
 * its layers in source order as one straight line, from an input size it has to guess; the model's
 * forward() trace knows what each layer really receives — the channels a `torch.cat` adds from a
 * skip, the size after an `F.interpolate`, which layers forward() never calls. Where a model's
 * trace ran a stack's elements, their shapes come from the trace and the stack says so ("from
 * UNet.forward() for [1, 3, 64, 64]").
 *
 * Layers are matched to the trace by where their constructor call is (its offset in the source,
 * which the model reader records), so two calls on one line (`[nn.ReflectionPad2d(3), nn.Conv2d(…)]`)
 * stay apart. A part used more than once (the `DoubleConv` of every `Down` and `Up`) has a run per
 * use: the stack shows one use (the first forward() makes, or the one asked for) and says which
 * others there are. Pure: no `vscode`, nothing run.
 */
import type { ModelProblem } from '../model/analyzeModel';
import type { ModelTrace, TraceBlock } from '../model/modelTrace';
import { layerOverlap } from './layerOverlap';
import { convAxes, isTransposed, layerSize, rankOf, type ConvAxis } from './layerSize';
import { formatAxisFormula } from '../engine/formula';
import type { StackAnalysis, StackRow, StackShape } from './stackShapes';

/** One run of a stack element in the model: a torch.nn layer's call, or a call of a module of the source's own class. */
export interface ElementRun {
  /** A torch.nn layer's call, or a call of a module of a class of the source (`DoubleConv`). */
  readonly kind: 'layer' | 'block';
  /** `named_modules()`'s name (`up1.conv.double_conv.0`). */
  readonly path: string;
  /** `Conv2d`, or the class (`DoubleConv`). */
  readonly op: string;
  readonly inputs: readonly (readonly number[])[];
  readonly output: readonly number[];
  /** A layer's own parameters as built in that run (`in_channels·out_channels·3·3` → 432); NaN when not known. */
  readonly params?: number;
}

/** Where a model run comes from, for the words the stack view shows. */
export interface ModelOrigin {
  readonly className: string;
  readonly inputShape: readonly number[];
  /** Why this input shape (`the layerLens.models.inputShape setting`…). */
  readonly inputSource: string;
  /** Where forward() raised, or stopped reading (then later elements are not reached). */
  readonly error: ModelProblem | null;
  readonly unknown: ModelProblem | null;
  /** The constructor arguments it was built with, when a call in the source gave them (`input_nc=3`). */
  readonly args?: Readonly<Record<string, unknown>>;
}

/** The runs of every element of the main source (file `''`), by the offset of its constructor call, in the order forward() makes them. */
export function runsByOffset(trace: ModelTrace, file = ''): Map<number, ElementRun[]> {
  const runs = new Map<number, ElementRun[]>();
  const add = (offset: number, run: ElementRun) => {
    const list = runs.get(offset);
    if (list) list.push(run);
    else runs.set(offset, [run]);
  };
  for (const step of trace.steps) {
    if (step.kind === 'layer' && step.file === file && step.offset !== undefined) add(step.offset, { kind: 'layer', path: step.path, op: step.op, inputs: step.inputs, output: step.output, params: step.params });
  }
  // Blocks are recorded as they return (inner ones first): ordered by where their first layer ran instead.
  const firstStep = new Map<string, number>();
  trace.steps.forEach((step, index) => {
    for (let p = step.path; p !== '' && !firstStep.has(p); p = parentPath(p)) firstStep.set(p, index);
  });
  const blocks = [...(trace.blocks ?? [])].filter((b) => b.file === file).sort((a, b) => (firstStep.get(a.path) ?? 0) - (firstStep.get(b.path) ?? 0));
  for (const block of blocks) add(block.offset, blockRun(block));
  return runs;
}

function blockRun(block: TraceBlock): ElementRun {
  return { kind: 'block', path: block.path, op: block.type, inputs: block.inputs, output: block.output };
}

export function parentPath(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? '' : path.slice(0, dot);
}

/** How many of a stack's elements a trace ran (the trace that runs most of them informs the stack). */
export function coveredElements(analysis: Pick<StackAnalysis, 'rows'>, runs: ReadonlyMap<number, readonly ElementRun[]>): number {
  return analysis.rows.filter((row) => runs.has(row.item.start)).length;
}

/**
 * The uses of a stack's part: the modules that hold its elements in each place the model uses it
 * (`inc.double_conv`, `down1.maxpool_conv.1.double_conv`…, or `up1`, `up2` for an `Up.__init__`).
 * The holder is the deepest module holding every element's first run (a stack of `__init__`
 * assignments holds layers of nested Sequentials: `block1.0` and `block2` are held by the model,
 * `''`); each run of the first element names a use at that depth from it.
 */
export function stackUses(analysis: Pick<StackAnalysis, 'rows'>, runs: ReadonlyMap<number, readonly ElementRun[]>): string[] {
  const ran = analysis.rows.map((row) => runs.get(row.item.start)).filter((r): r is readonly ElementRun[] => r !== undefined && r.length > 0);
  const first = ran[0];
  if (!first) return [];
  const parents = ran.map((r) => parentPath((r[0] as ElementRun).path).split('.').filter((p) => p !== ''));
  let depth = 0;
  while (parents.every((p) => p.length > depth && p[depth] === (parents[0] as string[])[depth])) depth++;
  const uses: string[] = [];
  const up = (parents[0] as string[]).length - depth;
  for (const run of first) {
    const segments = parentPath(run.path).split('.').filter((p) => p !== '');
    const use = segments.slice(0, Math.max(0, segments.length - up)).join('.');
    if (!uses.includes(use)) uses.push(use);
  }
  return uses;
}

export interface InformedStack {
  readonly analysis: StackAnalysis;
  /** "from UNet.forward() for [1, 3, 64, 64] (the layerLens.models.inputShape setting), as up1.conv.double_conv". */
  readonly source: string;
  /** The use shown, and the others (see {@link stackUses}). */
  readonly use: string;
  readonly uses: readonly string[];
}

function shapeOf(dims: readonly number[]): StackShape {
  return { n: dims[0] ?? '?', c: dims[1] ?? '?', spatial: dims.slice(2) };
}

const shapeText = (dims: readonly number[]) => `[${dims.join(', ')}]`;

/**
 * The stack with the shapes of the model's run: each element forward() ran gets its real input and
 * output (of the use `use`, else the first), its output-size formula on that input, and a
 * transposed convolution its overlap verdict on that input; the others are marked not run (or not
 * reached, when forward() stopped before them). Undefined when the trace ran none of the elements.
 */
export function informStack(analysis: StackAnalysis, runs: ReadonlyMap<number, readonly ElementRun[]>, origin: ModelOrigin, use?: string, classNames: ReadonlySet<string> = new Set()): InformedStack | undefined {
  const uses = stackUses(analysis, runs);
  if (coveredElements(analysis, runs) === 0) return undefined;
  const chosenUse = use !== undefined && uses.includes(use) ? use : (uses[0] ?? '');
  const stopped = origin.error ?? origin.unknown;
  const model = `${origin.className}.forward()`;
  const rows = analysis.rows.map((row): StackRow => {
    const candidates = runs.get(row.item.start) ?? [];
    if (candidates.length === 0) {
      const { problem: _problem, ...rest } = row;
      // PyTorch raises at this very layer: the stack breaks here, in the model's words.
      if (origin.error && origin.error.file === '' && origin.error.layerOffset === row.item.start) {
        return { ...rest, model: 'not-reached', problem: { code: 'invalid-layer', message: `${model} raises here for ${shapeText(origin.inputShape)}: ${origin.error.message}` } };
      }
      // An element that is no constructor call of a module (`self._make_layer(…)` builds its modules
      // elsewhere) cannot be matched to the run: its shapes stay unknown rather than said not run.
      if (row.item.kind === 'unknown' && !isModuleCall(row.item.label, classNames)) {
        return { ...rest, note: `${model} runs the modules this element makes, but Layer Lens matches an element to the run by its constructor call, and ${row.item.label} is not one (a class or torch.nn layer constructed here)` };
      }
      const note = stopped ? `not reached: ${model} stops before it (line ${stopped.line}${stopped.file ? ` of ${stopped.file}` : ''}: ${stopped.message})` : `not run: ${model} never calls it for this input (the model as built does not make it, or forward() does not use it)`;
      return { ...rest, model: stopped ? 'not-reached' : 'not-run', note };
    }
    const pick = runOfUse(candidates, chosenUse, uses);
    if (!pick) {
      const { problem: _problem, ...rest } = row;
      const elsewhere = candidates.slice(0, 3).map((run) => `${run.path} (${shapeText(run.inputs[0] ?? [])} → ${shapeText(run.output)})`).join(', ');
      return { ...rest, model: 'not-run', note: `not run in ${chosenUse}: this use does not make it; ${model} runs it as ${elsewhere}${candidates.length > 3 ? ', …' : ''}` };
    }
    const again = candidates.filter((run) => run.path === pick.path).length;
    // A call in a loop (`for i in range(n_downsampling): model += [nn.Conv2d(…)]`) makes a module per turn.
    const siblings = candidates.filter((run) => run.path !== pick.path && parentPath(run.path) === parentPath(pick.path));
    return runRow(row, pick, again, model, siblings);
  });
  const ran = rows.filter((row) => row.model === 'run');
  const first = ran[0];
  const last = ran[ran.length - 1];
  // Counted as they run: a transposed convolution forward() never calls makes no checkerboard.
  const transposed = rows.filter((row) => row.call && isTransposed(row.call) && row.model === 'run');
  const informed: StackAnalysis = {
    ...analysis,
    rows,
    input: first ? first.input : analysis.input,
    output: last ? last.output : analysis.output,
    inputSource: { kind: 'model', text: modelSourceText(origin, chosenUse, uses) },
    transposedCount: transposed.length,
    unevenCount: transposed.filter((row) => row.overlap && !row.overlap.even).length,
    problems: rows.flatMap((row) => (row.problem ? [{ index: row.index, problem: row.problem }] : [])),
    // Model runs are PyTorch's `[N, C, H, W]`.
    channelsLast: false,
  };
  return { analysis: informed, source: modelSourceText(origin, chosenUse, uses), use: chosenUse, uses };
}

/** Whether a stack element's called name constructs a module: a torch.nn container, or a class of the source (`DoubleConv`, `models.Down`). */
function isModuleCall(label: string, classNames: ReadonlySet<string>): boolean {
  const last = label.slice(label.lastIndexOf('.') + 1);
  return /^(Sequential|ModuleList|ModuleDict)$/.test(last) || classNames.has(last);
}

/**
 * The run of an element in one use of the stack's part: the one made in that module itself; else,
 * for an element of another part (a selection running into a nested block), the nearest one inside
 * the use; undefined when the element belongs to the same part but this use does not make it (the
 * outermost block of pix2pix's U-Net has no `downrelu`).
 */
function runOfUse(candidates: readonly ElementRun[], use: string, uses: readonly string[]): ElementRun | undefined {
  const own = candidates.find((run) => parentPath(run.path) === use);
  if (own) return own;
  if (candidates.some((run) => uses.includes(parentPath(run.path)))) return undefined;
  const inside = candidates.filter((run) => use === '' || run.path.startsWith(`${use}.`));
  const pool = inside.length > 0 ? inside : candidates;
  return pool.reduce((best, run) => (run.path.split('.').length < best.path.split('.').length ? run : best), pool[0] as ElementRun);
}

/** "from UNet.forward() for [1, 3, 64, 64] (the layerLens.models.inputShape setting), as up1.conv (one of 4 uses: …)". */
function modelSourceText(origin: ModelOrigin, use: string, uses: readonly string[]): string {
  const where = use === '' ? '' : `, as ${use}`;
  const others = uses.length > 1 ? ` (one of ${uses.length} uses: ${uses.slice(0, 6).join(', ')}${uses.length > 6 ? ', …' : ''})` : '';
  const args = origin.args && Object.keys(origin.args).length > 0 ? `(${Object.entries(origin.args).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')})` : '';
  return `from ${origin.className}${args}.forward() for ${shapeText(origin.inputShape)} (${origin.inputSource})${where}${others}`;
}

/** A row with the shapes of one run; a torch.nn layer's formulas and overlap verdict recomputed on its real input. */
function runRow(row: StackRow, run: ElementRun, calls: number, model: string, siblings: readonly ElementRun[]): StackRow {
  const input = run.inputs[0] ?? [];
  const { problem: _problem, note: _note, ...rest } = row;
  // The module as built knows its arguments: `in_channels·out_channels·3·3` becomes a number.
  const params = run.params !== undefined && Number.isFinite(run.params) ? { parameters: run.params.toLocaleString('en-US'), parameterCount: run.params } : {};
  const base: StackRow = { ...rest, input: shapeOf(input), output: shapeOf(run.output), model: 'run', runPath: run.path, ...params };
  const repeated = calls > 1 ? `${model} calls ${run.path} ${calls} times; the shapes are its first call's` : undefined;
  // A block such as U-Net's Up takes the skip too: every input is said, the table shows the first.
  const inputs = run.inputs.length > 1 ? `${run.path} (${run.op}) takes ${run.inputs.map(shapeText).join(' and ')}; the input column shows the first` : undefined;
  const shown = siblings.slice(0, 4).map((other) => `${other.path} (${shapeText(other.inputs[0] ?? [])} → ${shapeText(other.output)})`);
  const more = siblings.length > 0 ? `this call makes ${siblings.length + 1} modules: the row shows ${run.path}; also ${shown.join(', ')}${siblings.length > 4 ? ', …' : ''}` : undefined;
  const note = [inputs, repeated, more].filter((n) => n !== undefined).join('. ') || undefined;
  const call = row.call;
  if (!call || row.item.kind !== 'layer') return note ? { ...base, note } : base;
  const spatial = input.slice(2);
  const size = spatial.length > 0 ? layerSize(call, spatial) : undefined;
  const formulas = size?.kind === 'sized' ? size.formulas.map((f) => formatAxisFormula(f, 'both')) : row.formulas;
  let overlap = row.overlap;
  if (isTransposed(call)) {
    const read = convAxes(call);
    const verdict = read.ok ? overlapOnInput(read.axes, rankOf(call.op), spatial) : undefined;
    if (verdict) overlap = verdict;
  }
  return { ...base, formulas, ...(overlap ? { overlap } : {}), ...(note ? { note } : {}) };
}

/**
 * A transposed convolution's overlap verdict on the input it really gets: the layer's verdict
 * (which holds for any input with an interior), unless the input is too small for the uneven
 * pattern to form — a 1×1 input gives the kernel itself, every output cell one product.
 */
export function overlapOnInput(axes: readonly ConvAxis[], rank: 1 | 2 | 3, spatial: readonly number[]): { label: string; even: boolean; reason: string } | undefined {
  let verdict;
  try {
    verdict = layerOverlap(axes, rank);
  } catch {
    return undefined;
  }
  const { label, verdict: v } = verdict;
  if (v.even || spatial.length !== axes.length) return { label, even: v.even, reason: v.reason };
  const forms = axes.some((axis, i) => patternForms(axis, spatial[i] as number));
  if (forms) return { label, even: false, reason: `${v.reason} (on its input ${spatial.join('×')} in the model)` };
  return { label: 'even here', even: true, reason: `${v.reason.replace(/^(uneven|gaps): /, '')} for a large input, but its input in the model is only ${spatial.join('×')}: too small for the pattern to form (no two output phases receive their full counts)` };
}

/**
 * Whether an input of length `n` is long enough for the axis's uneven counts to show: two output
 * positions of different phases (mod the stride) that each receive their steady-state count, and
 * those counts differ (or a phase gets none: a gap).
 */
export function patternForms(axis: ConvAxis, n: number): boolean {
  const { kernel: k, stride: s, padding: p, outputPadding: op, dilation: d } = axis;
  const length = (n - 1) * s - 2 * p + d * (k - 1) + op + 1;
  if (length < 1) return false;
  const counts = new Array<number>(length).fill(0);
  for (let i = 0; i < n; i++) for (let t = 0; t < k; t++) {
    const o = i * s + t * d - p;
    if (o >= 0 && o < length) counts[o] = (counts[o] as number) + 1;
  }
  // Steady state per phase: what an interior cell of that phase receives.
  const steady = new Array<number>(s).fill(0);
  for (let t = 0; t < k; t++) steady[(((t * d - p) % s) + s) % s] = (steady[(((t * d - p) % s) + s) % s] as number) + 1;
  if (new Set(steady).size < 2) return false;
  const full = new Set<number>();
  counts.forEach((c, o) => {
    const phase = o % s;
    if (c === steady[phase]) full.add(steady[phase] as number);
  });
  return full.size >= 2;
}

/** The hover's lines for one layer call: its input → output in each run of the model. */
export function runLines(runs: readonly ElementRun[], limit = 6): string[] {
  const lines = runs.slice(0, limit).map((run) => `${run.path}: ${shapeText(run.inputs[0] ?? [])} → ${shapeText(run.output)}`);
  if (runs.length > limit) lines.push(`…and ${runs.length - limit} more runs`);
  return lines;
}
