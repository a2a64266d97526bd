/**
 * Every step of one `forward()` run, for the model view: each module call (activations and
 * dropout included, not only the layers `analyzeModel` lists) and each tensor operation
 * (`torch.cat`, `+`, `F.interpolate`, `view`…), in the order they run, with the step that produced
 * each of its inputs. Data flow is followed by the identity of the tensor values the interpreter
 * passes around (every operation makes a new one), so a `torch.cat([x, skip])` whose `skip` came
 * from a step long before is a skip connection, read from the code and not guessed from names.
 */
import type { Value } from './values';

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
  /** A transposed convolution's axes, for its overlap verdict. */
  readonly transposed?: { readonly rank: 1 | 2; readonly axes: readonly TraceAxis[] };
}

export interface ModelTrace {
  readonly steps: readonly TraceStep[];
  /** The class of every module whose forward() ran, by its `named_modules()` name (`down1` → `Down`). */
  readonly modules: Readonly<Record<string, string>>;
  /** Set for a Keras model: shapes are channels-last and written as Keras prints them, `(None, 64, 64, 32)`. */
  readonly framework?: 'keras';
}

/** The most steps kept: a model that runs more is cut there (the analysis goes on). */
export const MAX_TRACE_STEPS = 5000;

export class TraceRecorder implements ModelTrace {
  readonly steps: TraceStep[] = [];
  readonly modules: Record<string, string> = Object.create(null) as Record<string, string>;
  private readonly producers = new WeakMap<object, number>();

  constructor(input: Value) {
    this.mark(input, MODEL_INPUT);
  }

  /** The tensors among `values` (lists and tuples opened), in order. */
  static tensors(values: readonly Value[]): { shape: readonly number[]; value: object }[] {
    const found: { shape: readonly number[]; value: object }[] = [];
    const visit = (v: Value, depth: number): void => {
      if (v === null || typeof v !== 'object' || depth > 3) return;
      if (v.k === 'tensor') found.push({ shape: v.shape, value: v });
      else if (v.k === 'list' || v.k === 'tuple') for (const item of v.items) visit(item, depth + 1);
    };
    for (const v of values) visit(v, 0);
    return found;
  }

  /** Records a step that took `inputs` and gave `output` (a tensor or a tuple of them); untensored results are not steps. */
  record(step: Omit<TraceStep, 'inputs' | 'output' | 'sources'>, inputs: readonly Value[], output: Value): void {
    const outs = TraceRecorder.tensors([output]);
    const first = outs[0];
    if (!first || this.steps.length >= MAX_TRACE_STEPS) return;
    const ins = TraceRecorder.tensors(inputs);
    const index = this.steps.length;
    this.steps.push({ ...step, inputs: ins.map((t) => t.shape), output: first.shape, sources: ins.map((t) => this.producers.get(t.value) ?? UNTRACED) });
    for (const t of outs) if (!this.producers.has(t.value)) this.producers.set(t.value, index);
  }

  private mark(value: Value, index: number): void {
    for (const t of TraceRecorder.tensors([value])) this.producers.set(t.value, index);
  }
}
