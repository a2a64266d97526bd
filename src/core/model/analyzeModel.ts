/**
 * Whole models read statically: `analyzeModel` builds a model class's module tree from its
 * `__init__` and follows an input shape through `forward()` (skip connections, `torch.cat`,
 * `F.interpolate`, `view`…), listing the convolution, transposed convolution, linear, pooling and
 * normalization modules as they run, each with PyTorch's `named_modules()` name, shapes,
 * parameters and multiply-adds; `validInputSizes` finds the square inputs the model accepts (the
 * lengths of a 1-D model's `[N, C, L]`, the cube sides of a 3-D model's `[N, C, D, H, W]`).
 *
 * The model is read as in `eval()` mode (batch norm uses its running statistics; instance norm
 * still needs more than one spatial value, as PyTorch's does). Multiply-adds count the layer's
 * weights only: convolution `output numel · C_in/groups · kernel numel`, transposed convolution
 * `input numel · C_out/groups · kernel numel`, linear `output numel · in_features`; every other layer 0
 * (the definition of test/golden/torch-models.py). Nothing is ever run: what cannot be read is
 * reported as `unknown`, with the line and the reason, and never guessed.
 */
import type { ConstructorArgument } from './constructorArguments';
import { Interpreter, NO_KEYWORDS } from './interpreter';
import type { LayerRecord } from './layerRecord';
import { NotKnown, TorchRaise, tensor, isObj, itemsOf, watchTensorIteration, type ClassValue, type ModuleNode, type Tensor, type Value } from './values';
import { lookup } from './moduleTree';
import { centreField, fieldSummary, identitySupport, type FieldSummary, type ReceptiveField } from './support';
import { withSupport } from './supportFlow';
import { describeSides } from './sizeRule';
import type { ShapeMismatch } from './shapeMismatch';
import { TraceRecorder, type ModelTrace } from './modelTrace';
import { SymbolState } from './symbolicShape';
import { SizeNaming } from './namedSizes';
import { DeclaredInput, isKerasEntry, KerasInterpreter } from './kerasModel';
import type { KerasMergeMismatch } from './kerasMismatch';

/** A listed layer as it ran (see {@link LayerRecord}). */
export type ModelLayer = LayerRecord;

export interface ModelProblem {
  readonly line: number;
  readonly message: string;
  /** The file of `line`: `''` for the main source, else a key of `files`. */
  readonly file: string;
  /** When two tensors do not line up (`torch.cat`, `+`…): the operands, their shapes and the layers that made them. */
  readonly mismatch?: ShapeMismatch;
  /** When a torch.nn layer refuses its input: where that layer is constructed, to the character (its offset in `file`). */
  readonly layerOffset?: number;
  /** A Keras merge layer whose inputs do not line up: the call, the inputs and what made them (kerasMismatch.ts). */
  readonly kerasMerge?: KerasMergeMismatch;
  /** A Keras model's: how many layer calls and operations ran before the reading stopped (a quick fix must get further). */
  readonly steps?: number;
}

export interface ModelAnalysis {
  readonly layers: readonly ModelLayer[];
  /** The output's shape (the first tensor of a tuple or list return) and every returned tensor's. */
  readonly output: { readonly shape: readonly number[]; readonly shapes: readonly (readonly number[])[] } | null;
  /** Set exactly when PyTorch would raise for this input. */
  readonly error: ModelProblem | null;
  /** Set when the source says something the reader cannot follow: the analysis stops there. */
  readonly unknown: ModelProblem | null;
  /** The model's parameter count (`sum(p.numel() for p in model.parameters())`), null when not known. */
  readonly params: number | null;
  /**
   * The input rows and columns that reach the centre value of the (first) output, clipped to the
   * input (the gradient support; max pooling's whole window): null where it cannot be followed (a
   * reshape or linear layer, an error). Every step's own field is in the trace (modelTrace.ts).
   */
  readonly receptiveField?: ReceptiveField | null;
  /** The (first) output's receptive field: size, effective stride and offset per axis (support.ts); null where not followed. */
  readonly outputField?: FieldSummary | null;
}

export type { ConstructorArgument };

export interface AnalyzeModelOptions {
  readonly className: string;
  /** `[N, C, H, W]` (or any shape `forward` takes). */
  readonly inputShape: readonly number[];
  /** Other files of the workspace by path (`models/unet_parts.py`), for `from .unet_parts import Up`. */
  readonly files?: Readonly<Record<string, string>>;
  /** Constructor keyword arguments; the class's defaults are used for the rest. */
  readonly args?: Readonly<Record<string, ConstructorArgument>>;
  /** Constructor positional arguments (after `self`), before the keywords. */
  readonly positionalArgs?: readonly ConstructorArgument[];
}

/** A built model: the interpreter and the root module, ready to run `forward` on any input. */
export interface BuiltModel {
  readonly interpreter: Interpreter;
  readonly root: ModuleNode | null;
  readonly problem: { readonly kind: 'error' | 'unknown'; readonly problem: ModelProblem } | null;
  readonly params: number | null;
  /** A model read by another framework's rules (Keras: kerasModel.ts), run whole for each input. */
  readonly run?: (inputShape: readonly number[], record: boolean, tracer?: (input: Value) => TraceRecorder) => ModelAnalysis;
}

function toValue(v: ConstructorArgument): Value {
  return Array.isArray(v) ? { k: 'list', items: v.map((x) => x as Value) } : (v as Value);
}

function problemOf(e: unknown): BuiltModel['problem'] {
  if (e instanceof TorchRaise) return { kind: 'error', problem: { line: Math.max(0, e.at), message: e.message, file: e.file, ...(e.mismatch ? { mismatch: e.mismatch } : {}), ...(e.layerOffset !== undefined ? { layerOffset: e.layerOffset } : {}), ...(e.kerasMerge ? { kerasMerge: e.kerasMerge } : {}) } };
  if (e instanceof NotKnown) return { kind: 'unknown', problem: { line: Math.max(0, e.at), message: e.reason, file: e.file } };
  if (e instanceof RangeError) return { kind: 'unknown', problem: { line: 0, message: 'the model nests too deeply to read', file: '' } };
  throw e;
}

/** Reads the source and runs `__init__` (with the defaults and `args`), naming every module as `named_modules()` does. */
export function buildModel(source: string, options: Pick<AnalyzeModelOptions, 'className' | 'files' | 'args' | 'positionalArgs'>, naming?: (cls: ClassValue) => SizeNaming): BuiltModel {
  if (isKerasEntry(source, options.className)) return buildKerasModel(source, options);
  let interpreter = new Interpreter('', {});
  try {
    interpreter = new Interpreter(source, options.files ?? {});
    const cls = interpreter.findClass(options.className);
    const kw = new Map(Object.entries(options.args ?? {}).map(([k, v]) => [k, toValue(v)] as const));
    const positional = (options.positionalArgs ?? []).map(toValue);
    checkConstructorCall(cls, positional.length, [...kw.keys()]);
    interpreter.naming = naming?.(cls) ?? null;
    const root = interpreter.within(cls.def.file, true, () => interpreter.instantiate(cls, positional, kw, -1));
    interpreter.naming = null;
    const params = nameModules(root);
    return { interpreter, root, problem: null, params };
  } catch (e) {
    return { interpreter, root: null, problem: problemOf(e), params: null };
  }
}

/** Python's TypeError for a constructor call its `__init__` cannot take (an unknown keyword, too many positional arguments). */
function checkConstructorCall(cls: ClassValue, positional: number, keywords: readonly string[]): void {
  const init = lookup(cls, '__init__');
  if (!init || !isObj(init, 'fn')) return;
  const params = init.def.params;
  const named = params.filter((p) => p.star === undefined).map((p) => p.name);
  if (!params.some((p) => p.star === 2)) {
    const unknown = keywords.find((k) => !named.includes(k) || k === named[0]);
    if (unknown !== undefined) throw new TorchRaise(`${cls.def.name}.__init__() got an unexpected keyword argument '${unknown}' (its parameters: ${named.slice(1).join(', ') || 'none'})`, 'line' in init.def ? init.def.line : cls.def.line, cls.def.file);
  }
  if (!params.some((p) => p.star === 1) && positional > named.length - 1) {
    throw new TorchRaise(`${cls.def.name}.__init__() takes ${named.length} positional arguments but ${positional + 1} were given (self and ${positional}; its parameters: ${named.slice(1).join(', ') || 'none'})`, 'line' in init.def ? init.def.line : cls.def.line, cls.def.file);
  }
}

/** Sets each module's `named_modules()` name (the first one, depth first) and sums the parameters once per module (null when some are not known). */
function nameModules(root: ModuleNode): number | null {
  let total: number | null = 0;
  const visit = (node: ModuleNode, path: string): void => {
    if (node.path !== undefined) return;
    node.path = path;
    if (typeof node.params === 'number') {
      if (total !== null) total += node.params;
    } else total = null;
    // An attribute that could not be read may hold modules: the total is then not known.
    for (const v of node.attrs.values()) if (isObj(v, 'unknown')) total = null;
    for (const [name, child] of node.children) visit(child, path === '' ? name : `${path}.${name}`);
  };
  visit(root, '');
  return total;
}

/** A Keras entry (kerasModel.ts): built again for each input, since its Input takes the shape analysed. */
function buildKerasModel(source: string, options: Pick<AnalyzeModelOptions, 'className' | 'files' | 'args'>): BuiltModel {
  const args = new Map(Object.entries(options.args ?? {}).map(([k, v]) => [k, toValue(v)] as const));
  const base = { className: options.className, ...(options.files ? { files: options.files } : {}), args };
  // The Inputs that take the shape analysed: those declared like the built model's input, found once
  // by a run on the declared shapes (a builder may make an encoder's or a decoder's Input first).
  let inputDeclared: readonly (number | null)[] | undefined | null = null;
  const run = (inputShape: readonly number[], record: boolean, tracer?: (input: Value) => TraceRecorder): ModelAnalysis => {
    if (inputDeclared === null) {
      try {
        inputDeclared = new KerasInterpreter(source, { ...base, inputShape, record: false, discover: true }).runEntry().inputDeclared;
      } catch {
        inputDeclared = undefined;
      }
    }
    const interpreter = new KerasInterpreter(source, { ...base, inputShape, record, ...(tracer ? { tracer } : {}), ...(inputDeclared ? { inputDeclared } : {}) });
    const records = interpreter.layerRecords;
    try {
      const { outputs, params } = interpreter.runEntry();
      const shapes = outputs.map((t) => t.shape);
      return { layers: records, output: shapes.length > 0 ? { shape: shapes[0] as number[], shapes } : null, error: null, unknown: shapes.length > 0 ? null : { line: 0, message: 'the model has no output', file: '' }, params, receptiveField: null };
    } catch (e) {
      interpreter.finish();
      if (e instanceof DeclaredInput) return { layers: [], output: null, error: null, unknown: { line: 0, message: 'no input shape given', file: '' }, params: null, receptiveField: null };
      const p = problemOf(e);
      const problem = p ? { ...p.problem, steps: interpreter.callsRun } : null;
      return { layers: records, output: null, error: p?.kind === 'error' ? problem : null, unknown: p?.kind === 'unknown' ? problem : null, params: null, receptiveField: null };
    }
  };
  return { interpreter: new Interpreter('', {}), root: null, problem: null, params: null, run };
}

/** A run with every step traced (the model view's; see modelTrace.ts). */
export interface TracedModel extends ModelAnalysis {
  readonly trace: ModelTrace;
}

/** Runs `forward` on one input shape with every step traced: the layers, the operations and where each input came from. */
export function traceModel(source: string, options: AnalyzeModelOptions): TracedModel {
  let naming: SizeNaming | undefined;
  const model = buildModel(source, options, (cls) => (naming = new SizeNaming(cls)));
  let trace: ModelTrace = { steps: [], modules: {}, blocks: [] };
  const tracer = (input: Value): TraceRecorder => {
    const recorder = new TraceRecorder(input);
    trace = recorder;
    return recorder;
  };
  if (model.run) {
    // A Keras model: its layers as they run, shapes channels-last (no formulas or fields are followed).
    const analysis = runModel(model, options.inputShape, true, tracer);
    model.interpreter.trace = null;
    return { ...analysis, trace: { steps: trace.steps, modules: { ...trace.modules }, framework: 'keras' } };
  }
  // The traced run follows the shapes' formulas in the input's named sizes too (symbolicShape.ts),
  // and the channel counts written with the constructor's names (namedSizes.ts).
  const symbols = new SymbolState(options.inputShape);
  Object.assign(symbols.env, (naming as SizeNaming | undefined)?.env);
  model.interpreter.symbols = symbols;
  watchTensorIteration(() => symbols.iterated());
  let analysis: ModelAnalysis;
  try {
    analysis = runModel(model, options.inputShape, true, tracer);
  } finally {
    watchTensorIteration(null);
    model.interpreter.trace = null;
    model.interpreter.symbols = null;
  }
  const failed = trace instanceof TraceRecorder && (analysis.error || analysis.unknown) ? trace.failure : undefined;
  const failure = failed && failed.kind === 'op' ? { ...failed, op: operationAt(failed.file === '' ? source : (options.files?.[failed.file] ?? ''), failed.line) } : failed;
  // Plain data (the recorder's bookkeeping stays here): the trace crosses the worker boundary.
  return { ...analysis, trace: { steps: trace.steps, modules: { ...trace.modules }, blocks: [...(trace.blocks ?? [])], ...(failure ? { failure } : {}), sizes: { names: { ...symbols.env }, dropped: symbols.disagreements } } };
}

/** The operation a line of forward() runs, as the trace names it (`cat`, `interpolate`, `+`); '' when none is recognised. */
export function operationAt(text: string, line: number): string {
  const code = (text.split('\n')[line - 1] ?? '').replace(/#.*$/, '');
  const call = /\b(?:torch|F|nn\.functional)\.(\w+)\s*\(/.exec(code) ?? /\.(view|reshape|flatten|permute|transpose|squeeze|unsqueeze|chunk|split|expand|repeat|contiguous)\s*\(/.exec(code);
  if (call) return call[1] as string;
  const operator = /[^=!<>*/+-]\s*([-+*/@])\s*[^=*/]/.exec(code.slice(code.indexOf('=') + 1));
  return operator ? (operator[1] as string) : '';
}

/** Runs `forward` on one input shape. `record`: list the layers as they run; `tracer`: trace every step from this input. */
export function runModel(model: BuiltModel, inputShape: readonly number[], record: boolean, tracer?: (input: Value) => TraceRecorder): ModelAnalysis {
  if (model.run) return model.run(inputShape, record, tracer);
  const { interpreter, root } = model;
  if (!root || model.problem) {
    const p = model.problem;
    return { layers: [], output: null, error: p?.kind === 'error' ? p.problem : null, unknown: p?.kind === 'unknown' ? p.problem : null, params: model.params };
  }
  const records: LayerRecord[] = [];
  interpreter.records = record ? records : null;
  interpreter.inputShape = inputShape;
  interpreter.inputText = inputShape.length >= 3 ? inputShape.slice(2).join('×') : inputShape.join('×');
  // Receptive fields are followed for a single analysis of an image input, not in the size search.
  const plain = interpreter.symbols?.input ? { ...tensor(inputShape), sym: interpreter.symbols.input } : tensor(inputShape);
  const input = record && inputShape.length === 4 ? withSupport(plain, identitySupport(inputShape[2] as number, inputShape[3] as number)) : plain;
  interpreter.trace = tracer ? tracer(input) : null;
  try {
    const out = interpreter.within(root.file, false, () => interpreter.callModule(root, [input], NO_KEYWORDS));
    const shapes = outputShapes(out);
    const first = firstTensor(out);
    const receptiveField = first?.support && first.shape.length === 4 ? (centreField(first.support, inputShape[2] as number, inputShape[3] as number) ?? null) : null;
    const outputField = first?.support && first.shape.length === 4 ? fieldSummary(first.support) : null;
    return { layers: records, output: shapes.length > 0 ? { shape: shapes[0] as number[], shapes } : null, error: null, unknown: shapes.length > 0 ? null : { line: 0, message: 'forward() returns no tensor', file: '' }, params: model.params, receptiveField, outputField };
  } catch (e) {
    const p = problemOf(e);
    return { layers: records, output: null, error: p?.kind === 'error' ? p.problem : null, unknown: p?.kind === 'unknown' ? p.problem : null, params: model.params, receptiveField: null };
  }
}

function firstTensor(v: Value): Tensor | undefined {
  if (isObj(v, 'tensor')) return v;
  if (isObj(v, 'tuple') || isObj(v, 'list')) return v.items.length > 0 ? firstTensor(v.items[0] as Value) : undefined;
  return undefined;
}

function outputShapes(v: Value): (readonly number[])[] {
  if (isObj(v, 'tensor')) return [v.shape];
  if (isObj(v, 'tuple') || isObj(v, 'list')) return itemsOf(v).flatMap(outputShapes);
  if (isObj(v, 'dict')) return [...v.map.values()].flatMap(outputShapes);
  return [];
}

/** The model's layers, output and error for one input shape (see the module comment). */
export function analyzeModel(source: string, options: AnalyzeModelOptions): ModelAnalysis {
  return runModel(buildModel(source, options), options.inputShape, true);
}

export interface ValidInputSizesOptions {
  readonly className: string;
  readonly channels: number;
  /** Sides 1..maxSide are tried (at most 4096). */
  readonly maxSide: number;
  readonly files?: Readonly<Record<string, string>>;
  readonly args?: Readonly<Record<string, ConstructorArgument>>;
  readonly positionalArgs?: readonly ConstructorArgument[];
  /** The batch size of the inputs tried (1). */
  readonly batch?: number;
  /** The input's spatial axes: 2 (`[N, C, S, S]`, the default), 1 (`[N, C, L]`) or 3 (`[N, C, S, S, S]`). */
  readonly rank?: 1 | 2 | 3;
}

export interface ValidInputSizes {
  /** The square sides (lengths, cube sides) from 1 to maxSide for which the model runs. */
  readonly sides: readonly number[];
  /** In words: "H must be a multiple of 16 and at least 16" ("L must…", "D = H = W must…"). */
  readonly rule: string;
  /** As a formula: "H = 16·k, k ≥ 1". */
  readonly formula: string;
  /** Why a side could not be decided (the model cannot be read that far), if any. */
  readonly unknown: ModelProblem | null;
}

/** The square input sides 1..maxSide (lengths in 1-D, cube sides in 3-D) that run through the model, and the rule they follow. */
export function validInputSizes(source: string, options: ValidInputSizesOptions): ValidInputSizes {
  const model = buildModel(source, options);
  const maxSide = Math.max(0, Math.min(4096, Math.floor(options.maxSide)));
  const rank = options.rank ?? 2;
  const sides: number[] = [];
  let unknown: ModelProblem | null = model.problem?.kind === 'unknown' ? model.problem.problem : null;
  for (let side = 1; side <= maxSide && (model.root || model.run) && !model.problem; side++) {
    // Keras models are channels-last (2-D); a PyTorch model's input has `rank` spatial axes.
    const result = runModel(model, model.run ? [options.batch ?? 1, side, side, options.channels] : [options.batch ?? 1, options.channels, ...new Array<number>(rank).fill(side)], false);
    if (result.output) sides.push(side);
    else if (result.unknown && !unknown) unknown = result.unknown;
  }
  // Sizes that could not be read are not sizes that fail: with none known to run, say why.
  if (sides.length === 0 && unknown) return { sides, rule: `not known: ${unknown.message} (line ${unknown.line})`, formula: 'not known', unknown };
  const { rule, formula } = describeSides(sides, maxSide, rank);
  return { sides, rule, formula, unknown };
}
