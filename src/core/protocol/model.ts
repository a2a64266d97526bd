/**
 * The model view's messages (Layer Lens: Inspect Model, view type `layerLens.model`): a whole
 * model's forward() run as a table of steps grouped by submodule, its skip connections, totals,
 * receptive field and the input sizes that work. Declared once with the combinators of schema.ts;
 * the types are derived from the guards.
 */
import { isProblems, noticeShape, readyShape } from './common';
import { array, boolean, count, object, oneOf, optional, pair, string, tagged, whole, type Infer } from './schema';

/** The most axes an input shape may have (`[N, C, H, W]` and a few more for other models). */
export const MAX_INPUT_AXES = 6;
export const isInputShape = array(count, MAX_INPUT_AXES);

/** One axis of a receptive field on the model's input (see src/core/model/support.ts). */
export const isFieldAxis = object({
  /** The most input rows one value reaches; `minSize` the fewest (they differ after a transposed convolution). */
  size: count,
  minSize: count,
  /** The effective stride (jump) in input rows per output row, `[numerator, denominator]` (`[1, 2]` after ×2 upsampling); absent when there is none. */
  jump: optional(pair),
  /** Where the field of output index 0 starts; negative: in the padding. */
  offset: whole(-(2 ** 31), 2 ** 31),
});

/** The receptive field of a step's output on the model's input, with its short cell text and its tooltip in words. */
export const isModelField = object({
  rows: isFieldAxis,
  cols: isFieldAxis,
  /** Set when every value also depends on the whole input through a norm's statistics: the layer. */
  global: optional(string),
  /** `7×7 /2 −3`: size, jump (`/2`, `×2` for ½) and offset. */
  text: string,
  words: string,
});
export type ModelField = Infer<typeof isModelField>;

/** One step of forward(): a module's call or a tensor operation, shapes already written out. */
export const isModelRow = object({
  index: count,
  /** `layer`: a torch.nn module; `op`: an operation written in a forward() (`torch.cat`, `+`, `F.pad`). */
  kind: oneOf(['layer', 'op']),
  /** `Conv2d`, `torch.cat`, `+`. */
  label: string,
  /** The module's `named_modules()` name (`up1.conv.double_conv.0`), '' for an operation. */
  path: string,
  /** The model's direct submodule the step belongs to (`up1`), '' for the model's own forward(). */
  block: string,
  /** The inputs, `[1, 64, 32, 32]`, several joined by ` , `. */
  input: string,
  output: string,
  /**
   * The inputs and the output in the input's named sizes (`[N, 64, ⌊H/2⌋, ⌊W/2⌋]`), exact for every
   * input size the model runs on; absent where no formula was formed (the numbers above hold).
   */
  inputSymbolic: optional(string),
  outputSymbolic: optional(string),
  /** Values of the output per sample (for the activation memory of a batch). */
  outputValues: count,
  /** The module's own parameters; absent when not known or for an operation. */
  params: optional(count),
  macs: count,
  /** 0-based line, in `file` ('' is the model's own document, else a workspace-relative path). */
  line: count,
  file: string,
  /** Transposed convolutions: `even`, `uneven 1:2`, `gaps`, and why. */
  overlap: optional(object({ label: string, even: boolean, reason: string })),
  /** The receptive field of the output on the model's input; absent with `fieldWhy` where it is not followed. */
  field: optional(isModelField),
  fieldWhy: optional(string),
  /** `failed`: the step where PyTorch raises (or the reading stops), with `message`; `notRun`: a step after it. */
  status: optional(oneOf(['failed', 'notRun'])),
  message: optional(string),
});
export type ModelRow = Infer<typeof isModelRow>;

/** Consecutive blocks of one class (`down1` … `down4`, all `Down`): shown as one collapsible group, `Down ×4`. */
export const isModelGroup = object({
  label: string,
  /** The class: `Down`. */
  type: string,
  blocks: array(string),
  first: count,
  last: count,
});
export type ModelGroup = Infer<typeof isModelGroup>;

/** A skip connection: the output of row `from` (or of the model's input, `fromInput`) joins row `to`. */
export const isModelSkip = object({ from: count, fromInput: boolean, to: count });
export type ModelSkip = Infer<typeof isModelSkip>;

/** One `__init__` parameter's value and where it comes from (src/core/model/constructorArguments.ts). */
export const isModelArgument = object({
  name: string,
  /** `given` by the user, from a `call` in the workspace, the `default`, or `missing`. */
  origin: oneOf(['given', 'call', 'default', 'missing']),
  /** As Python writes it: `3`, `False`, `'batch'`; absent when missing. */
  text: optional(string),
  /** For a call: `train.py:197`. */
  where: optional(string),
});
export type ModelArgument = Infer<typeof isModelArgument>;

/** The most constructor arguments the view lists and the page may send. */
export const MAX_MODEL_ARGUMENTS = 64;

/** What `layerLens.inspectModel` returns, and what the model view draws. */
export const isModelTable = object({
  className: string,
  /** Where the class is: `unet_model.py:8`. */
  source: string,
  inputShape: isInputShape,
  /** Where the input shape came from, in words. */
  inputSource: string,
  /** `[1, 2, 64, 64]`, or `none` when forward() stops. */
  output: string,
  /** The output in the input's named sizes (`[N, 2, H, W]`), when formed. */
  outputSymbolic: optional(string),
  /** What the named sizes stand for in this run: `N = 1, H = 64, W = 64` (set when some row has a formula). */
  sizeNames: optional(string),
  rows: array(isModelRow),
  groups: array(isModelGroup),
  skips: array(isModelSkip),
  /** The model's parameters; absent when some are not known. */
  params: optional(count),
  macs: count,
  /** The values of every step's output for one sample (what a forward pass keeps for backward, roughly). */
  activationValues: count,
  /** Where PyTorch would raise (`error`) or where the reading stopped (`unknown`), with the reason. */
  problem: optional(object({ kind: oneOf(['error', 'unknown']), message: string, line: count, file: string })),
  /** The receptive field of the (first) output on the input, as the last row shows it; or why it is not followed. */
  outputField: optional(isModelField),
  outputFieldWhy: optional(string),
  /** The input rows and columns that reach the centre value of the output. */
  receptiveField: optional(object({ output: pair, rows: pair, cols: pair })),
  /** The square input sides that run, as a rule, and those nearest to the given one. */
  sizes: optional(object({ rule: string, formula: string, nearest: array(count), given: count, maxSide: count, runs: boolean, unknown: optional(string) })),
  /** Set when the trace was cut at its limit. */
  truncated: optional(count),
  /** How the model is built: `UNet(n_channels=3, n_classes=2, bilinear=False)`, each argument with its origin. */
  builtWith: optional(object({ call: string, arguments: array(isModelArgument, MAX_MODEL_ARGUMENTS), missing: array(string, MAX_MODEL_ARGUMENTS) })),
  /** Set for a Keras model: shapes are channels-last (`inputShape` is `[N, H, W, C]`). */
  framework: optional(oneOf(['keras'])),
});
export type ModelTable = Infer<typeof isModelTable>;

/** What the model view shows: nothing yet, why it cannot, or a model. */
export const isModelSnapshot = tagged('kind', {
  empty: {},
  invalid: { problems: isProblems },
  ready: { table: isModelTable },
});
export type ModelSnapshot = Infer<typeof isModelSnapshot>;

/** Which model a view shows, kept by the page (`setState`) to come back after a reload. */
export const isPersistedModelState = object({
  uri: string,
  className: string,
  inputShape: optional(isInputShape),
});
export type PersistedModelState = Infer<typeof isPersistedModelState>;

/** Host → model view. */
export const isToModelMessage = tagged('type', {
  show: { snapshot: isModelSnapshot, keep: optional(isPersistedModelState) },
  notice: noticeShape,
});
export type ToModelMessage = Infer<typeof isToModelMessage>;

/** Model view → host. */
export const isFromModelMessage = tagged('type', {
  ready: readyShape,
  /** Show this row's line in the editor. */
  reveal: { row: count },
  /** Show the line of the problem (the error or the unknown). */
  revealProblem: {},
  /** Run the model again on this input shape. */
  setInput: { shape: isInputShape },
  /** Build the model with these constructor arguments (Python literals as typed; the others from calls and defaults). */
  setArguments: { given: array(object({ name: string, text: string }), MAX_MODEL_ARGUMENTS) },
});
export type FromModelMessage = Infer<typeof isFromModelMessage>;
