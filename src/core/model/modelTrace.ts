/**
 * Every step of one `forward()` run, for the model view: each module call (activations and
 * dropout included, not only the layers `analyzeModel` lists) and each tensor operation
 * (`torch.cat`, `+`, `F.interpolate`, `view`…), in the order they run, with the step that produced
 * each of its inputs. Data flow is followed by the identity of the tensor values the interpreter
 * passes around (every operation makes a new one), so a `torch.cat([x, skip])` whose `skip` came
 * from a step long before is a skip connection, read from the code and not guessed from names.
 */
import type { ModuleNode, Tensor, Value } from './values';
import { fieldSummary, type FieldSummary } from './support';
import type { SymShape } from './symbolicShape';

/** Where an input came from: a step's index, or {@link MODEL_INPUT}, or {@link UNTRACED} (a tensor made inside forward). */
export const MODEL_INPUT = -1;
export const UNTRACED = -2;

export interface TraceAxis {
  readonly kernel: number;
  readonly stride: number;
  readonly padding: number;
  readonly outputPadding: number;
  readonly dilation: number;
}

export interface TraceStep {
  /** `layer`: a torch.nn module's call; `op`: a tensor operation written in a forward(). */
  readonly kind: 'layer' | 'op';
  /** The module class (`Conv2d`) or the operation (`cat`, `interpolate`, `+`). */
  readonly op: string;
  /** A layer's `named_modules()` name; '' for an operation. */
  readonly path: string;
  /** The module whose forward() runs the step (`up1.conv`; '' for the model's own forward). */
  readonly scope: string;
  readonly inputs: readonly (readonly number[])[];
  readonly output: readonly number[];
  /** For each tensor input, the step that made it (see {@link MODEL_INPUT}, {@link UNTRACED}). */
  readonly sources: readonly number[];
  readonly params: number;
  readonly macs: number;
  /** 1-based line in `file`: a layer's constructor call, an operation's line in forward(). */
  readonly line: number;
  readonly file: string;
  /** The receptive field of the output on the model's input (support.ts); absent where it is not followed. */
  readonly field?: FieldSummary;
  /** The inputs' and the output's shapes as formulas of the input's named sizes, where formed (see symbolicShape.ts). */
  readonly symbolic?: { readonly inputs: readonly (SymShape | null)[]; readonly output: SymShape | null };
  /** A layer's constructor call to the character: its offset in `file` (where the called name starts), when read from source. */
  readonly offset?: number;
  /** A transposed convolution's axes, for its overlap verdict. */
  readonly transposed?: { readonly rank: 1 | 2; readonly axes: readonly TraceAxis[] };
}

/** The step that raised (or could not be read): where it is, without shapes. */
export interface TraceFailure {
  readonly kind: 'layer' | 'op';
  /** The module class, or the operation (`cat`, `+`; '' when the line names none the reader knows). */
  readonly op: string;
  /** A layer's `named_modules()` name; '' for an operation. */
  readonly path: string;
  /** The module whose forward() ran it. */
  readonly scope: string;
  /** 1-based: a layer's constructor call, an operation's line. */
  readonly line: number;
  readonly file: string;
}

/** One call of a module with a forward() of its own (`self.down1(x)` of a `Down`), or of a `Sequential`: what went in and came out. */
export interface TraceBlock {
  /** `named_modules()`'s name (`down1`). */
  readonly path: string;
  /** Its class (`Down`, `Sequential`). */
  readonly type: string;
  readonly file: string;
  /** Where the class is called to make the module (`Down(64, 128)`): its offset in `file`. */
  readonly offset: number;
  readonly inputs: readonly (readonly number[])[];
  readonly output: readonly number[];
}

export interface ModelTrace {
  readonly steps: readonly TraceStep[];
  /** The class of every module whose forward() ran, by its `named_modules()` name (`down1` → `Down`). */
  readonly modules: Readonly<Record<string, string>>;
  /** Set when the run stopped: the step where it did (it follows the last of `steps`). */
  readonly failure?: TraceFailure;
  /**
   * The steps that would have run after the failing one, from a run of an input size that works
   * (their shapes are that input's: not shown); absent when no such run matches this one's steps.
   */
  readonly after?: readonly TraceStep[];
  /**
   * The input's named sizes and their values in this run (`{ N: 1, H: 64, W: 64 }`), and how many
   * formulas were dropped for disagreeing with the numbers (none, unless a rule is wrong).
   */
  readonly sizes?: { readonly names: Readonly<Record<string, number>>; readonly dropped: number };
  /** Each call of a module of a class of the source or a `Sequential` (not the model itself), in the order they return (the stack view's blocks). */
  readonly blocks?: readonly TraceBlock[];
  /** Set for a Keras model: shapes are channels-last and written as Keras prints them, `(None, 64, 64, 32)`. */
  readonly framework?: 'keras';
}

/** The most steps kept: a model that runs more is cut there (the analysis goes on). */
export const MAX_TRACE_STEPS = 5000;

export class TraceRecorder implements ModelTrace {
  readonly steps: TraceStep[] = [];
  readonly modules: Record<string, string> = Object.create(null) as Record<string, string>;
  failure: TraceFailure | undefined;
  readonly blocks: TraceBlock[] = [];
  private readonly producers = new WeakMap<object, number>();

  constructor(input: Value) {
    this.mark(input, MODEL_INPUT);
  }

  /** The tensors among `values` (lists and tuples opened), in order. */
  static tensors(values: readonly Value[]): { shape: readonly number[]; sym: SymShape | null; value: object }[] {
    const found: { shape: readonly number[]; sym: SymShape | null; value: object }[] = [];
    const visit = (v: Value, depth: number): void => {
      if (v === null || typeof v !== 'object' || depth > 3) return;
      if (v.k === 'tensor') found.push({ shape: v.shape, sym: v.sym ?? null, value: v });
      else if (v.k === 'list' || v.k === 'tuple') for (const item of v.items) visit(item, depth + 1);
    };
    for (const v of values) visit(v, 0);
    return found;
  }

  /** Records a step that took `inputs` and gave `output` (a tensor or a tuple of them); untensored results are not steps. */
  record(step: Omit<TraceStep, 'inputs' | 'output' | 'sources' | 'field'>, inputs: readonly Value[], output: Value): void {
    const outs = TraceRecorder.tensors([output]);
    const first = outs[0];
    if (!first || this.steps.length >= MAX_TRACE_STEPS) return;
    const ins = TraceRecorder.tensors(inputs);
    const index = this.steps.length;
    const support = (first.value as Tensor).support;
    const symbolic = first.sym || ins.some((t) => t.sym) ? { symbolic: { inputs: ins.map((t) => t.sym), output: first.sym } } : {};
    this.steps.push({ ...step, inputs: ins.map((t) => t.shape), output: first.shape, sources: ins.map((t) => this.producers.get(t.value) ?? UNTRACED), ...(support ? { field: fieldSummary(support) } : {}), ...symbolic });
    for (const t of outs) if (!this.producers.has(t.value)) this.producers.set(t.value, index);
  }

  /**
   * Notes where the run stopped, first come first kept: a failing layer notes itself, then each
   * statement the error passes through (the interpreter's execGuarded) offers its own line, so an
   * operation's failure is the innermost statement of the forward() (or helper) that ran it.
   */
  fail(failure: TraceFailure): void {
    this.failure ??= failure;
  }

  /**
   * Records a call of a module with its own forward() that returned `output`, and gives `output`
   * back: one made by a call in the source (not the model itself) whose result holds a tensor.
   */
  block(m: ModuleNode, inputs: readonly Value[], output: Value): Value {
    const out = TraceRecorder.tensors([output])[0];
    if (out && m.offset !== undefined && this.blocks.length < MAX_TRACE_STEPS) {
      this.blocks.push({ path: m.path, type: m.type, file: m.file, offset: m.offset, inputs: TraceRecorder.tensors(inputs).map((t) => t.shape), output: out.shape });
    }
    return output;
  }

  private mark(value: Value, index: number): void {
    for (const t of TraceRecorder.tensors([value])) this.producers.set(t.value, index);
  }
}
