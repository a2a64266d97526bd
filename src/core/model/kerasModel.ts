/**
 * Keras functional models read statically, with Keras's own rules (kerasLayers.ts): a builder
 * function (`def build_unet(input_shape=(128, 128, 3)): … return keras.Model(inputs, outputs)`,
 * helpers and loops included) or a module-level variable holding `keras.Model(…)` /
 * `keras.Sequential([…])`. The same Python interpreter as the PyTorch reader runs the code; what
 * differs is what a Keras name means: a layer is constructed (named as Keras names it: `conv2d`,
 * `conv2d_1`… or its `name=`), then called on tensors, built on its first call (its weights counted
 * then) and checked on every later call (shared layers), as Keras's `Layer.__call__` does.
 *
 * The input: the model's first `Input(shape=…)` takes the shape being analysed (`[N, H, W, C]`,
 * channels last), whatever sizes it declares — the model as it would be built for that input —
 * so that the sizes that work can be searched. Its declared shape is what the editor proposes
 * ({@link kerasDeclaredInput}). Nothing is run; what is not read stops the reading with the reason.
 */
import type { Stmt } from './pyAst';
import { Interpreter, NO_KEYWORDS } from './interpreter';
import type { LayerRecord } from './layerRecord';
import type { TraceRecorder, TraceStep } from './modelTrace';
import type { Keywords } from './tensorOps';
import { addChild, newNode } from './moduleTree';
import { bindKerasArgs, KERAS_LISTED, KERAS_MERGE_FUNCTIONS, kerasLayerClass, kerasShapeText, notBuilt, runKerasLayer, toSnakeCase, uniqueName } from './kerasLayers';
import { asTensor, int, isObj, itemsOf, moduleValue, NotKnown, TorchRaise, tensor, tuple, unknown, type BuiltinValue, type ModuleNode, type Tensor, type Value } from './values';
import type { Expr } from './pyAst';
import type { Scope } from './values';
import type { KerasMergeMismatch, KerasMergeOperand, KerasTransposedLayer } from './kerasMismatch';

const KERAS_IMPORT = /^[ \t]*(?:import|from)[ \t]+(?:tensorflow|keras|tf_keras)\b/m;

/** Whether `name` is a Keras entry of `source`: a `def` or a module-level variable in a file that imports Keras (a class is the PyTorch reader's, unless it subclasses a Keras Model). */
export function isKerasEntry(source: string, name: string): boolean {
  if (!/^[A-Za-z_]\w*$/.test(name) || !KERAS_IMPORT.test(source)) return false;
  const cls = new RegExp(`^class[ \\t]+${name}[ \\t]*\\(([^)]*)\\)`, 'm').exec(source);
  if (cls) return /\b(?:Model|Layer)\b/.test(cls[1] as string) && !/\bnn\.Module\b/.test(cls[1] as string);
  return new RegExp(`^def[ \\t]+${name}[ \\t]*\\(|^${name}[ \\t]*(?::[^=\\n]*)?=[^=]`, 'm').test(source);
}

/** `tensorflow.keras.layers.Conv2D`, `keras.layers.Conv2D`, `tf_keras.Input` → the part after `keras.` (`layers.Conv2D`); null when not Keras. */
function kerasPart(name: string): string | null {
  const m = /(?:^|\.)(?:tf_)?keras\.(.+)$/.exec(name);
  return m ? (m[1] as string) : null;
}

/** A layer call or an operation of the build, kept until the model's graph is known. */
interface Call {
  readonly record: LayerRecord | null;
  readonly step: Omit<TraceStep, 'inputs' | 'output' | 'sources'>;
  readonly inputs: readonly Value[];
  readonly out: Tensor;
}

/** Thrown to stop a reading at the model's Input (its declared shape is all that was asked). */
class DeclaredInput {
  constructor(readonly shape: readonly (number | null)[]) {}
}

/** What produced a tensor: the layer (null for an operator such as `x + y`) and its inputs, to find the layers between the model's inputs and outputs. */
interface Producer {
  readonly node: ModuleNode | null;
  readonly inputs: readonly Tensor[];
  /** A layer called on a list (a merge layer), or the operator (`+`) of an operation. */
  readonly many?: boolean;
  readonly op?: string;
  /** An activation function (`keras.activations.relu(x)`): the shape of its one input. */
  readonly keepsShape?: boolean;
}

export interface KerasRunOptions {
  readonly className: string;
  readonly files?: Readonly<Record<string, string>>;
  readonly args?: ReadonlyMap<string, Value>;
  /** `[N, …spatial, C]` for the model's Input(s), or null to stop at the first and report its declared shape. */
  readonly inputShape: readonly number[] | null;
  /** The declared shape (batch left out) of the Inputs that take `inputShape`; by default the first Input's. */
  readonly inputDeclared?: readonly (number | null)[];
  /** Only find the model's input (runEntry's `inputDeclared`): every Input keeps its declared shape, its None sizes taken from `inputShape`. */
  readonly discover?: boolean;
  readonly record: boolean;
  readonly tracer?: (input: Value) => TraceRecorder;
}

export class KerasInterpreter extends Interpreter {
  private readonly names = new Map<string, number>();
  private modelInput: Tensor | null = null;
  private producers = new WeakMap<object, Producer>();
  /** The listed layers of the model as they run (filled by {@link finish}). */
  readonly layerRecords: LayerRecord[] = [];
  /** Every layer call and operation, in order: the model's are those between its inputs and outputs (a builder may call layers of other models). */
  private readonly calls: Call[] = [];
  /** A layer's error waiting for the line of the call that ran it. */
  private readonly pending = new WeakMap<TorchRaise, ModuleNode>();
  /** A merge layer's error: its inputs and how many calls were done before it (for the size diagnostic's data). */
  private readonly mergeFailures = new WeakMap<TorchRaise, { readonly inputs: readonly Tensor[]; readonly steps: number }>();
  /** Each Input's shape without the batch as it takes effect (None kept), for a model called on new tensors. */
  private readonly declared = new WeakMap<object, readonly (number | null)[]>();
  /** Each Input's shape as written. */
  private readonly written = new WeakMap<object, readonly (number | null)[]>();
  /** The declared shape of the model's input (see makeInput). */
  private target: readonly (number | null)[] | undefined;
  private sequentialDepth = 0;
  private readonly starImport: boolean;
  /** Script mode: the entry is a module-level variable, so module-level code is the model's code. */
  private script = false;
  private entryDone = false;

  constructor(
    private readonly sourceText: string,
    private readonly options: KerasRunOptions,
  ) {
    super(sourceText, options.files ?? {});
    this.target = options.inputDeclared;
    this.starImport = /^[ \t]*from[ \t]+(?:tensorflow\.)?keras(?:\.layers|\.models)?[ \t]+import[ \t]+\*/m.test(sourceText);
    const given = options.inputShape;
    this.inputShape = given ?? [];
    this.inputText = given && given.length >= 3 ? given.slice(1, -1).join('×') : '';
  }

  /** Builds the entry and returns the model's output(s), the records and the parameter count. */
  runEntry(): { outputs: Tensor[]; records: LayerRecord[]; params: number | null; inputDeclared: readonly (number | null)[] | undefined } {
    const name = this.options.className;
    const cls = new RegExp(`^class[ \\t]+${name}\\b`, 'm');
    if (cls.test(this.sourceText)) throw new NotKnown(`${name} is a subclassed Keras model: its call() is not read (Layer Lens reads functional and Sequential Keras models)`, 0, '');
    const isDef = new RegExp(`^def[ \\t]+${name}[ \\t]*\\(`, 'm').test(this.sourceText);
    this.script = !isDef;
    let result: Value;
    this.frames.push({ file: '', lenient: false });
    try {
      const globals = this.globalsOf('');
      const entry = globals.vars.get(name);
      if (entry === undefined) throw new NotKnown(`no function or variable ${name} in the source`, 0, '');
      if (isDef) {
        if (!isObj(entry, 'fn')) throw new NotKnown(`${name} is not a function`, 0, '');
        // A fresh session: names and the model input as if only this builder ran.
        this.names.clear();
        this.modelInput = null;
        this.target = this.options.inputDeclared;
        this.producers = new WeakMap();
        this.calls.length = 0;
        result = this.callFunction(entry, [], (this.options.args ?? NO_KEYWORDS) as Keywords);
      } else result = entry;
    } finally {
      this.frames.pop();
    }
    const model = firstModel(result);
    if (!model) {
      if (isObj(result, 'unknown')) throw new NotKnown(result.reason, 0, '');
      throw new NotKnown(`${name} is not a Keras model (keras.Model(…) or keras.Sequential(…)); it is a ${isObj(result, 'module') ? result.m.type : typeof result === 'object' && result !== null ? result.k : String(result)}`, 0, '');
    }
    let outputs: Value;
    let input: Value;
    if (model.kind === 'sequential') {
      input = this.sequentialInput(model);
      outputs = this.callModule(model, [input], NO_KEYWORDS);
    } else {
      outputs = model.attrs.get('outputs') ?? null;
      input = itemsOrOne(model.attrs.get('inputs') ?? null)[0] ?? null;
    }
    const tensors = itemsOrOne(outputs).map((t) => asTensor(t, 'the model output'));
    const inputDeclared = isObj(input, 'tensor') ? this.written.get(input) : undefined;
    const graph = this.graphOf(tensors);
    this.finish(graph.tensors, input);
    return { outputs: tensors, records: this.layerRecords, params: graph.params, inputDeclared };
  }

  /** The tensors between the model's inputs and `outputs`, and Keras's `model.count_params()`: the weights of their layers, each layer once. */
  private graphOf(outputs: readonly Tensor[]): { tensors: Set<object> | undefined; params: number | null } {
    let seen = new Set<ModuleNode>();
    const visited = new Set<object>();
    const stack: Tensor[] = [...outputs];
    let complete = true;
    while (stack.length > 0) {
      const t = stack.pop() as Tensor;
      if (visited.has(t)) continue;
      visited.add(t);
      const p = this.producers.get(t);
      if (!p) {
        // Neither an Input nor made by a layer (a slice `x[:, 1:]`…): the graph cannot be told apart from the rest.
        if (!this.written.has(t)) complete = false;
        continue;
      }
      if (p.node) seen.add(p.node);
      stack.push(...p.inputs);
    }
    if (!complete) seen = new Set(this.calls.flatMap((c) => (c.step.kind === 'layer' ? [this.producers.get(c.out)?.node ?? null] : [])).filter((n): n is ModuleNode => n !== null));
    let params: number | null = 0;
    for (const node of seen) params = typeof node.params === 'number' && params !== null ? params + node.params : null;
    return { tensors: complete ? visited : undefined, params };
  }

  /**
   * The records and the trace of the calls that made `tensors` (all calls when the model was not
   * built: what ran before the reading stopped), traced from `input` (else the first Input).
   */
  finish(tensors?: ReadonlySet<object>, input?: Value): void {
    const calls = tensors ? this.calls.filter((c) => tensors.has(c.out)) : this.calls;
    this.layerRecords.length = 0;
    for (const c of calls) if (c.record) this.layerRecords.push(c.record);
    const from = input ?? this.modelInput;
    if (!this.options.tracer || !from) return;
    const recorder = this.options.tracer(from);
    for (const c of calls) recorder.record(c.step, c.inputs, c.out);
  }

  /** The input a Sequential model is built on: its `Input`, else its first layer's `input_shape=`, else the shape analysed. */
  private sequentialInput(model: ModuleNode): Value {
    const given = model.attrs.get('input');
    if (given !== undefined) return given;
    const first = [...model.children.values()][0];
    const declared = first?.args?.get('input_shape');
    if (declared !== undefined) return this.makeInput([declared], NO_KEYWORDS, first?.line ?? 0);
    if (!this.options.inputShape) throw new DeclaredInput([]);
    return this.makeInput([tuple(this.options.inputShape.slice(1))], NO_KEYWORDS, 0);
  }

  // ---- module level ----

  protected override moduleStatement(stmt: Stmt, scope: Scope): void {
    if (!this.script) {
      super.moduleStatement(stmt, scope);
      return;
    }
    if (isMainGuard(stmt)) return;
    // After the entry is assigned, only what adds to it is its code (`model.add(layers.Dense(10))`).
    if (this.entryDone && !isAddTo(stmt, this.options.className)) return;
    try {
      this.within(this.frame.file, false, () => this.exec(stmt, scope));
    } catch (e) {
      if (!(e instanceof NotKnown)) throw e;
      // `model.fit(x_train, …)`, `x_train = np.load(…)`: not the model; what uses it later says why.
      if (stmt.t === 'assign') for (const t of stmt.targets) if (t.t === 'name') scope.set(t.id, unknown(`${e.reason} (line ${e.at >= 0 ? e.at : this.lineOf(stmt.line)})`));
    }
    if (stmt.t === 'assign' && stmt.targets.some((t) => t.t === 'name' && t.id === this.options.className)) this.entryDone = true;
  }

  /**
   * A call made for its effect on a built model (`model.compile(optimizer=Adam(…))`,
   * `model.summary()`, `model.load_weights(…)`, `print(…)`) does not change its shapes: not read.
   */
  override exec(stmt: Stmt, scope: Scope): ReturnType<Interpreter['exec']> {
    if (stmt.t === 'expr' && stmt.e.t === 'call') {
      const fn = stmt.e.fn;
      if (fn.t === 'name' && fn.id === 'print') return undefined;
      if (fn.t === 'attr' && fn.name !== 'add' && fn.obj.t === 'name') {
        const target = scope.get(fn.obj.id);
        if (target !== undefined && isObj(target, 'module') && (target.m.type === 'Functional' || target.m.type === 'Sequential')) return undefined;
      }
    }
    return super.exec(stmt, scope);
  }

  // ---- names ----

  override eval(e: Expr, scope: Scope): Value {
    // `from keras.layers import *` (old Keras U-Nets): a free `Conv2D` is Keras's.
    if (this.starImport && e.t === 'name' && scope.get(e.id) === undefined && (kerasLayerClass(e.id) || ['Input', 'Model', 'Sequential', 'concatenate', 'add'].includes(e.id))) {
      return { k: 'builtin', name: `keras.layers.${e.id}` };
    }
    return super.eval(e, scope);
  }

  // ---- calls ----

  protected override evalCall(e: Extract<Expr, { t: 'call' }>, scope: Scope): Value {
    try {
      return super.evalCall(e, scope);
    } catch (err) {
      if (err instanceof TorchRaise) {
        const node = this.pending.get(err);
        if (node) {
          this.pending.delete(err);
          const line = this.sequentialDepth > 0 || err.at <= 0 ? node.line : err.at;
          err.message = this.placed(node, line, err.message);
          const failed = this.mergeFailures.get(err);
          if (failed) err.kerasMerge = this.mergeMismatch(node, e, failed.inputs, failed.steps);
        }
      }
      throw err;
    }
  }

  protected override callBuiltinValue(fn: BuiltinValue, args: readonly Value[], kw: Keywords, at: number): Value {
    const part = kerasPart(fn.name);
    if (part === null) {
      if (fn.name === 'module.add' && isObj(fn.self ?? null, 'module') && (fn.self as { m: ModuleNode }).m.type === 'Sequential') {
        this.sequentialAdd((fn.self as { m: ModuleNode }).m, args[0] ?? null);
        return null;
      }
      if (fn.name.startsWith('tensorflow.')) throw new NotKnown(`tf.${fn.name.slice('tensorflow.'.length)}() is not read (Layer Lens reads Keras layers)`);
      return super.callBuiltinValue(fn, args, kw, at);
    }
    const last = part.slice(part.lastIndexOf('.') + 1);
    if (last === 'Input') return this.makeInput(args, kw, at);
    if (last === 'Model' || last === 'Functional') return this.makeModel(args, kw, at);
    if (last === 'Sequential') return this.makeSequential(args, kw, at);
    if (last === 'int_shape') return tuple([null, ...asTensor(args[0] ?? null, 'int_shape()').shape.slice(1)]);
    if (part.startsWith('activations.')) {
      const x = asTensor(args[0] ?? null, `${last}()`);
      const out = tensor(x.shape);
      this.producers.set(out, { node: null, inputs: [x], keepsShape: true });
      this.calls.push({ record: null, step: { kind: 'op', op: last, path: '', scope: '', params: 0, macs: 0, line: this.lineOf(at), file: this.frame.file }, inputs: [x], out });
      return out;
    }
    const merged = KERAS_MERGE_FUNCTIONS[last];
    if (merged) {
      // merging/concatenate.py `concatenate(inputs, axis=-1, **kwargs)`: `Concatenate(axis=axis, **kwargs)(inputs)`.
      const options = new Map(kw);
      options.delete('inputs');
      const layer = this.makeLayer(merged, [], options, at);
      return this.callModule(layer, [args[0] ?? kw.get('inputs') ?? null], NO_KEYWORDS);
    }
    const type = kerasLayerClass(last);
    if (type) return moduleValue(this.makeLayer(type, args, kw, at));
    throw new NotKnown(`keras.${part} is not read${last === 'Lambda' ? ': a Lambda layer runs Python code Layer Lens does not run' : ''}`);
  }

  /** How many layer calls and operations have run: how far a reading got before it stopped. */
  get callsRun(): number {
    return this.calls.length;
  }

  /** The data of merge layer `node`, run by call `e`, whose `inputs` do not line up. */
  private mergeMismatch(node: ModuleNode, e: Extract<Expr, { t: 'call' }>, inputs: readonly Tensor[], steps: number): KerasMergeMismatch {
    const list = e.args[0]?.value ?? e.args.find((a) => a.name === 'inputs')?.value;
    const written = list && (list.t === 'list' || list.t === 'tuple') && list.items.length === inputs.length && this.frame.file === '' ? list.items : [];
    const operands = inputs.map((t, i): KerasMergeOperand => {
      const expr = written[i];
      const transposed = this.transposedOrigin(t);
      return { shape: t.shape, ...(expr && ['name', 'attr', 'call', 'sub'].includes(expr.t) ? { start: expr.at } : {}), ...(transposed ? { transposed } : {}) };
    });
    const first = inputs[0]?.shape ?? [];
    const spatial = (s: readonly number[]) => s.slice(1, -1).join('×');
    const other = Math.max(1, inputs.findIndex((t) => spatial(t.shape) !== spatial(first)));
    const axis = node.args?.get('axis');
    return { layer: node.path, type: node.type, ...(typeof axis === 'number' ? { axis } : {}), start: e.at, line: this.lineOf(e.at), file: this.frame.file, operands, other, inputShape: this.inputShape, steps };
  }

  /** The transposed convolution that made `t`, through layers and activations that keep the shape. */
  private transposedOrigin(t: Tensor): KerasTransposedLayer | undefined {
    let p = this.producers.get(t);
    for (let hops = 0; p && hops < 32; hops++) {
      const input = p.inputs[0];
      if (p.node && /^Conv(?:olution)?[123]DTranspose$/.test(p.node.type) && input) {
        const args = p.node.args;
        const rank = input.shape.length - 2;
        const axes = (v: Value | undefined): number[] => {
          const items = typeof v === 'number' ? Array.from({ length: rank }, () => v) : v !== undefined && v !== null ? itemsOf(v).map((x) => (typeof x === 'number' ? x : Number.NaN)) : [];
          return items.length === rank ? items : Array.from({ length: rank }, () => Number.NaN);
        };
        const op = args?.get('output_padding');
        const padding = args?.get('padding');
        return {
          path: p.node.path,
          type: p.node.type,
          line: p.node.line,
          file: p.node.file,
          inputShape: input.shape,
          outputShape: t.shape,
          kernel: axes(args?.get('kernel_size')),
          strides: axes(args?.get('strides')),
          dilation: axes(args?.get('dilation_rate')),
          padding: typeof padding === 'string' ? padding.toLowerCase() : '?',
          outputPadding: op === undefined || op === null ? null : axes(op),
        };
      }
      const keeps = p.inputs.length === 1 && input !== undefined && input.shape.join(',') === t.shape.join(',') && (p.keepsShape || p.node !== null);
      if (!keeps) return undefined;
      t = input;
      p = this.producers.get(t);
    }
    return undefined;
  }

  /** `concatenate (Concatenate) at line 14: input 0 is 40×40 but input 1 is 39×39, … for an input of 39×39. Keras: …` */
  private placed(node: ModuleNode, line: number, message: string): string {
    const at = message.indexOf(' Keras: ');
    const words = at >= 0 ? `${message.slice(0, at)}${this.forInput()}.${message.slice(at)}` : `${message}${this.forInput()}`;
    return `${node.path} (${node.type}) at line ${line}: ${words}`;
  }

  private makeLayer(type: string, args: readonly Value[], kw: Keywords, at: number): ModuleNode {
    const bound = bindKerasArgs(type, args, kw);
    const given = kw.get('name');
    const node = newNode('layer', type, this.lineOf(at), this.frame.file, undefined, bound);
    // keras/src/ops/operation.py: `name or auto_name(self.__class__.__name__)`.
    node.path = typeof given === 'string' ? given : uniqueName(toSnakeCase(type), this.names);
    node.params = notBuilt;
    return node;
  }

  /** core/input_layer.py `Input(shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None, name=None, tensor=None)`. */
  private makeInput(args: readonly Value[], kw: Keywords, at: number): Tensor {
    const batchShape = kw.get('batch_shape');
    const shapeArg = args[0] ?? kw.get('shape') ?? (batchShape !== undefined && batchShape !== null ? tuple(itemsOf(batchShape).slice(1)) : undefined);
    if (shapeArg === undefined || shapeArg === null) throw new TorchRaise('You must pass a `shape` argument to Input.', -1, '');
    const declared = itemsOf(shapeArg).map((v) => (v === null ? null : int(v, 'Input shape')));
    if (typeof kw.get('name') !== 'string') uniqueName('input_layer', this.names);
    let shape: number[];
    const given = this.options.inputShape;
    // The model's input: every Input declared with its shape (the first Input's, until the model says otherwise).
    this.target ??= declared;
    const takes = !this.options.discover && sameDeclared(declared, this.target);
    if (takes) {
      if (!given) throw new DeclaredInput(declared);
      if (given.length !== declared.length + 1) {
        throw new NotKnown(`the model's Input at line ${this.lineOf(at)} is ${declaredText(declared)} (${declared.length + 1} axes with the batch) but the input shape given, [${given.join(', ')}], has ${given.length}`);
      }
      shape = [...given];
    } else {
      const none = declared.indexOf(null);
      if (this.options.discover && given) shape = [given[0] as number, ...declared.map((n, i) => n ?? (declared.length === given.length - 1 ? (given[i + 1] as number) : 8))];
      else if (none >= 0) throw new NotKnown(`axis ${none + 1} of the Input ${declaredText(declared)} is None: its size is not known (only the Inputs declared like the model's input, ${declaredText(this.target)}, take the shape analysed)`);
      else shape = [given?.[0] ?? 1, ...(declared as number[])];
    }
    const t = tensor(shape);
    this.declared.set(t, takes ? shape.slice(1) : declared);
    this.written.set(t, declared);
    if (takes && this.modelInput === null) this.modelInput = t;
    return t;
  }

  /** `keras.Model(inputs, outputs, name=None)` (Keras 1's `input=`/`output=` too). */
  private makeModel(args: readonly Value[], kw: Keywords, at: number): Value {
    const outputs = args[1] ?? kw.get('outputs') ?? kw.get('output');
    if (outputs === undefined) throw new NotKnown('keras.Model() without outputs: a subclassed model is not read');
    const node = newNode('instance', 'Functional', this.lineOf(at), this.frame.file);
    node.attrs.set('outputs', outputs);
    node.attrs.set('inputs', args[0] ?? kw.get('inputs') ?? kw.get('input') ?? null);
    const name = kw.get('name');
    node.path = typeof name === 'string' ? name : uniqueName('functional', this.names);
    return moduleValue(node);
  }

  /** `keras.Sequential([…], name=None)`: an `Input` in the list is the model's input. */
  private makeSequential(args: readonly Value[], kw: Keywords, at: number): Value {
    const node = newNode('sequential', 'Sequential', this.lineOf(at), this.frame.file);
    const name = kw.get('name');
    node.path = typeof name === 'string' ? name : uniqueName('sequential', this.names);
    const items = args[0] ?? kw.get('layers') ?? null;
    if (items !== null) for (const item of itemsOf(items)) this.sequentialAdd(node, item);
    return moduleValue(node);
  }

  private sequentialAdd(model: ModuleNode, item: Value): void {
    if (isObj(item, 'tensor')) {
      if (model.children.size > 0) throw new TorchRaise('An Input can only be the first item of a Sequential model', -1, '');
      model.attrs.set('input', item);
    } else addChild(model, item);
  }

  /**
   * A functional model called on new tensors (`decoder(encoder(x))`): its layers run again, from
   * its inputs to its outputs, on the new ones (functional.py `Functional.call` runs the graph);
   * each input is checked against its declared shape first (input_spec.py, `allow_last_axis_squeeze`).
   */
  private callFunctional(m: ModuleNode, x: Value): Value {
    const inputs = itemsOrOne(m.attrs.get('inputs') ?? null).map((t) => asTensor(t, `the input of ${m.path}`));
    const given = itemsOrOne(x).map((t) => asTensor(t, `the input of ${m.path}`));
    if (given.length !== inputs.length) throw new TorchRaise(`Layer "${m.path}" expects ${inputs.length} input(s), but it received ${given.length} input tensors`, -1, '');
    const values = new Map<object, Tensor>();
    inputs.forEach((t, i) => {
      const g = given[i] as Tensor;
      const declared = this.declared.get(t) ?? t.shape.slice(1);
      const found = g.shape.slice(1);
      if (declared.length !== found.length || declared.some((n, j) => n !== null && n !== found[j])) {
        throw new TorchRaise(`the model ${m.path} takes ${declaredText(declared)} and gets ${declaredText(found)} Keras: Input ${i} of layer "${m.path}" is incompatible with the layer: expected shape=${declaredText(declared)}, found shape=${declaredText(found)}`, -1, '');
      }
      values.set(t, g);
    });
    const resolve = (t: Tensor): Tensor => {
      const known = values.get(t);
      if (known) return known;
      const p = this.producers.get(t);
      if (!p) throw new NotKnown(`a tensor of the model ${m.path} was not made by its layers: calling it on a new input is not read`);
      const ins = p.inputs.map(resolve);
      if (p.keepsShape && ins[0]) {
        const kept = tensor(ins[0].shape);
        this.producers.set(kept, { node: null, inputs: [ins[0]], keepsShape: true });
        values.set(t, kept);
        return kept;
      }
      if (!p.node && !p.op) throw new NotKnown(`an operation with a number in the model ${m.path} is not run again on a new input`);
      const out = p.node ? this.callModule(p.node, [p.many ? { k: 'list', items: ins } : (ins[0] ?? null)], NO_KEYWORDS) : this.binary(p.op as string, ins[0] ?? null, ins[1] ?? null, -1);
      const result = asTensor(out, `the output of ${p.node?.path ?? p.op}`);
      values.set(t, result);
      return result;
    };
    const outputs = m.attrs.get('outputs') ?? null;
    const made = itemsOrOne(outputs).map((t) => resolve(asTensor(t, `the output of ${m.path}`)));
    return isObj(outputs, 'list') || isObj(outputs, 'tuple') ? { k: 'list', items: made } : (made[0] ?? null);
  }

  override callModule(m: ModuleNode, args: readonly Value[], kw: Keywords): Value {
    if (m.type === 'Functional') return this.callFunctional(m, args[0] ?? kw.get('inputs') ?? null);
    if (m.kind === 'sequential') {
      this.sequentialDepth++;
      try {
        let x = args[0] ?? kw.get('inputs') ?? null;
        for (const child of m.children.values()) x = this.callModule(child, [x], NO_KEYWORDS);
        return x;
      } finally {
        this.sequentialDepth--;
      }
    }
    if (m.kind !== 'layer') return super.callModule(m, args, kw);
    const x = args[0] ?? kw.get('inputs') ?? null;
    const many = isObj(x, 'list') || isObj(x, 'tuple');
    const inputs = (many ? itemsOf(x) : [x]).map((v) => asTensor(v, `the input of ${m.path} (${m.type})`));
    const shapes = inputs.map((t) => t.shape);
    let run;
    try {
      if (many && !MERGE_LAYERS.test(m.type) && inputs.length !== 1) {
        throw new TorchRaise(`Layer "${m.path}" expects 1 input, but it received ${inputs.length} input tensors`, -1, '');
      }
      run = runKerasLayer(m, shapes);
      const built = m.attrs.get('built_channels');
      if (typeof built === 'number' && run.channels !== undefined && built !== run.channels) {
        // layers/input_spec.py assert_input_compatibility, for a shared layer called again.
        throw new TorchRaise(`this layer was built for ${built} input channels by its first call, and now gets ${run.channels} Keras: Input 0 of layer "${m.path}" is incompatible with the layer: expected axis -1 of input shape to have value ${built}, but received input with shape ${kerasShapeText(shapes[0] as number[])}`, -1, '');
      }
      if (built === undefined) {
        m.attrs.set('built_channels', run.channels ?? -1);
        m.params = run.params;
      }
    } catch (e) {
      if (e instanceof TorchRaise && !this.pending.has(e) && !/ at line \d+: /.test(e.message)) {
        this.pending.set(e, m);
        if (MERGE_LAYERS.test(m.type) && many && this.sequentialDepth === 0) this.mergeFailures.set(e, { inputs, steps: this.calls.length });
      }
      if (e instanceof TorchRaise && this.sequentialDepth > 0 && this.pending.has(e)) {
        // No call of its own to place it: the layer's line in the Sequential list.
        this.pending.delete(e);
        e.message = this.placed(m, m.line, e.message);
        e.at = m.line;
        e.file = m.file;
      }
      throw e;
    }
    const out = tensor(run.output);
    this.producers.set(out, { node: m, inputs, many });
    const params = typeof m.params === 'number' ? m.params : Number.NaN;
    const record = this.options.record && KERAS_LISTED.has(m.type) ? { path: m.path, op: m.type, inputShape: shapes[0] as number[], outputShape: run.output, macs: run.macs, params, line: m.line, file: m.file } : null;
    this.calls.push({ record, step: { kind: 'layer', op: m.type, path: m.path, scope: '', params, macs: run.macs, line: m.line, file: m.file }, inputs, out });
    return out;
  }

  protected override noteOp(op: string, inputs: readonly Value[], output: Value, at: number): void {
    // Only operators of two tensors can be run again (callFunctional); a number operand is not kept.
    if (!isObj(output, 'tensor')) return super.noteOp(op, inputs, output, at);
    const tensors = inputs.filter((v): v is Tensor => isObj(v, 'tensor'));
    this.producers.set(output, { node: null, inputs: tensors, ...(tensors.length === 2 && inputs.length === 2 ? { op } : {}) });
    this.calls.push({ record: null, step: { kind: 'op', op, path: '', scope: '', params: 0, macs: 0, line: this.lineOf(at), file: this.frame.file }, inputs: tensors, out: output });
  }
}

const MERGE_LAYERS = /^(Concatenate|Add|Subtract|Multiply|Average|Maximum|Minimum)$/;

function sameDeclared(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

function declaredText(shape: readonly (number | null)[]): string {
  return `(None, ${shape.map((n) => (n === null ? 'None' : String(n))).join(', ')})`;
}

function isAddTo(stmt: Stmt, name: string): boolean {
  if (stmt.t !== 'expr' || stmt.e.t !== 'call') return false;
  const fn = stmt.e.fn;
  return fn.t === 'attr' && fn.name === 'add' && fn.obj.t === 'name' && fn.obj.id === name;
}

function isMainGuard(stmt: Stmt): boolean {
  if (stmt.t !== 'if') return false;
  const cond = stmt.branches[0]?.[0];
  return cond?.t === 'cmp' && cond.items.some((x) => x.t === 'name' && x.id === '__name__');
}

function itemsOrOne(v: Value): Value[] {
  return isObj(v, 'list') || isObj(v, 'tuple') ? itemsOf(v) : [v];
}

/** The model a builder returns (`return model`, `return model, encoder`, a dict of models: the first). */
function firstModel(v: Value): ModuleNode | undefined {
  if (isObj(v, 'module') && (v.m.type === 'Functional' || v.m.type === 'Sequential')) return v.m;
  if (isObj(v, 'list') || isObj(v, 'tuple')) for (const item of v.items) {
    const m = firstModel(item);
    if (m) return m;
  }
  return undefined;
}

/** The first Input's declared shape (`(None, None, 3)` → `[null, null, 3]`, the batch left out), or null when the model has none or cannot be read that far. */
export function kerasDeclaredInput(source: string, options: Pick<KerasRunOptions, 'className' | 'files' | 'args'>): (number | null)[] | null {
  try {
    new KerasInterpreter(source, { ...options, inputShape: null, record: false }).runEntry();
  } catch (e) {
    if (e instanceof DeclaredInput) return [...e.shape];
  }
  return null;
}

export { DeclaredInput };
