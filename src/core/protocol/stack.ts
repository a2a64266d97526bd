/**
 * The stack view's messages (Layer Lens: Inspect Stack, view type `layerLens.stack`): one stack's
 * table, its compound overlap maps and "Fix the stack". Declared once with the combinators of
 * schema.ts; the types are derived from the guards.
 */
import type { StackKind } from '../parse/layerStacks';
import { isMatrixView, isProblems, noticeShape, readyShape } from './common';
import { array, boolean, count, measure, object, oneOf, optional, pair, refine, string, tagged, union, type Infer } from './schema';


/** One size per spatial axis: `[L]`, `[H, W]` or `[D, H, W]`. */
const isAxisSizes = refine(array(count, 3), (sizes) => sizes.length >= 1);
/** How a stack is written: the parser's kinds (src/core/parse/layerStacks.ts). */
const STACK_KINDS = ['sequential', 'kerasSequential', 'init', 'functional', 'selection'] as const satisfies readonly StackKind[];
const isStackKind = oneOf<StackKind>(STACK_KINDS);

/** One element of a stack as the table shows it: shapes already written out (`[N, 512, 4, 4]`). */
export const isStackTableRow = object({
  index: count,
  /** `layer`, `preserving` (activation, norm, dropout), `padding`, `reshape`, or `unknown`. */
  kind: oneOf(['layer', 'preserving', 'padding', 'reshape', 'unknown']),
  /** The called name as written: `nn.ConvTranspose2d`. */
  label: string,
  /** 0-based line of the element in its document. */
  line: count,
  input: string,
  output: string,
  parameters: string,
  /** Transposed convolutions: `even`, `uneven 1:2`, `gaps`, and why. */
  overlap: optional(object({ label: string, even: boolean, reason: string })),
  /** The output-size formula of each axis. */
  formulas: array(string),
  /** Where the stack breaks here, in the engine's words. */
  problem: optional(object({ code: string, message: string })),
  note: optional(string),
  /** When the shapes come from a model's forward(): whether it ran this element (`input`/`output` then say `not run`). */
  run: optional(boolean),
  /** The module's `named_modules()` name in that run (`up1.conv.double_conv.0`). */
  module: optional(string),
});
export type StackTableRow = Infer<typeof isStackTableRow>;

/** What `layerLens.inspectStack` returns, and the table the stack view draws. */
export const isStackTable = object({
  name: string,
  kind: isStackKind,
  /** Where it is: `dcgan_generator.py:11`. */
  source: string,
  input: string,
  /** Where the input size came from, in words ("from UNet.forward() for [1, 3, 64, 64] (…)" when a model's run gives the shapes). */
  inputSource: string,
  /** When a model's forward() gives the shapes: the class, its input, the use shown and the part's other uses (stackModel.ts). */
  model: optional(object({ className: string, inputShape: array(count), use: string, uses: array(string) })),
  output: string,
  rows: array(isStackTableRow),
  transposedCount: count,
  unevenCount: count,
  /** The compound overlap's measures after the last step of the spatial path, when it could be followed. */
  compound: optional(object({ periodicEnergy: measure, spread: measure, period: isAxisSizes })),
});
export type StackTable = Infer<typeof isStackTable>;

/**
 * A map of the compound overlap: the all-ones response after one layer, scaled to mean 1. A 2-D
 * map is `H × W`; a 1-D stack's is one row `1 × L` (drawn as a strip and its bars); a 3-D stack's
 * is `D` slices `H × W` (`lead: [D]`, drawn slice by slice). `phases`: the per-phase summary, the
 * interior's mean at each phase of the period, in the same layout (`1 × p`, `p_h × p_w`, `lead: [p_d]`).
 */
export const isStackMapView = object({
  /** The row the map comes after. */
  row: count,
  label: string,
  map: isMatrixView,
  /** One per spatial axis. */
  period: isAxisSizes,
  periodicEnergy: measure,
  spread: measure,
  phases: optional(isMatrixView),
});
export type StackMapView = Infer<typeof isStackMapView>;

/** The compound overlap: the map after each spatial layer (the last is the stack's), and where the path stopped. */
export const isStackCompoundView = object({
  maps: array(isStackMapView),
  stopped: optional(string),
  /** The input size the maps start from (one per spatial axis), and whether it was the stack's own or a stand-in. */
  inputSize: isAxisSizes,
  standIn: boolean,
  /** Why a stand-in was taken although the stack's input size is known (its maps would be too large to draw). */
  standInReason: optional(string),
});
export type StackCompoundView = Infer<typeof isStackCompoundView>;

/** One fix of one uneven layer (the same as the single-layer quick fixes). */
export const isStackFixView = object({
  row: count,
  /** Index among that layer's fixes. */
  choice: count,
  title: string,
  keepsSize: boolean,
});
export type StackFixView = Infer<typeof isStackFixView>;

/** The chosen fix per row, as `[row, choice]`. */
export const isChosenFixes = array(pair);

/** "Fix the stack": every uneven layer's fixes, the chosen ones, and the compound map after them. */
export const isStackFixPlan = object({
  fixes: array(isStackFixView),
  chosen: isChosenFixes,
  /**
   * The compound maps to compare, each pair at one place in the network: after the layer where the
   * stack's map is most uneven (`before`) and the fixed stack's map after the same element, or after
   * what a rewrite made of it (`after`); then the last maps, when they differ from those
   * (src/core/insight/stackComparison.ts).
   */
  before: optional(isStackMapView),
  after: optional(isStackMapView),
  beforeLast: optional(isStackMapView),
  afterLast: optional(isStackMapView),
  afterUneven: optional(count),
  afterProblem: optional(string),
});
export type StackFixPlan = Infer<typeof isStackFixPlan>;

/** What the stack view shows: nothing yet, why it cannot, or a stack. */
export const isStackSnapshot = tagged('kind', {
  empty: {},
  invalid: { problems: isProblems },
  ready: { table: isStackTable, compound: optional(isStackCompoundView), compoundProblem: optional(string), plan: optional(isStackFixPlan) },
});
export type StackSnapshot = Infer<typeof isStackSnapshot>;

/**
 * Which stack a view shows, enough to find it again in its document after a reload. The page keeps
 * it with `setState`; its shape must not change (a saved view from an earlier version comes back).
 */
export const isPersistedStackState = object({
  uri: string,
  kind: isStackKind,
  name: string,
  start: count,
  /** The input size given to Inspect Stack, if any. */
  inputSize: optional(union(count, array(count, 4))),
});
export type PersistedStackState = Infer<typeof isPersistedStackState>;

/** Host → stack view. */
export const isToStackMessage = tagged('type', {
  /** What to draw, and what the page keeps (`setState`) for the view to come back after a reload. */
  show: { snapshot: isStackSnapshot, keep: optional(isPersistedStackState) },
  /** A line under the toolbar (an applied fix, a failure). */
  notice: noticeShape,
});
export type ToStackMessage = Infer<typeof isToStackMessage>;

/** Stack view → host. */
export const isFromStackMessage = tagged('type', {
  ready: readyShape,
  /** Another choice of fixes; the host answers with the plan's new "after" map. */
  chooseFixes: { chosen: isChosenFixes },
  /** Apply the chosen fixes to the document, as one undoable edit. */
  applyFixes: { chosen: isChosenFixes },
  /** Show this row's element in the editor. */
  reveal: { row: count },
  /** Read the stack with another use of its part in the model (one of the table's `model.uses`). */
  chooseUse: { use: string },
});
export type FromStackMessage = Infer<typeof isFromStackMessage>;
