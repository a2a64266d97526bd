/**
 * "Fix the stack" shows the compound map before and after the chosen fixes at the same place in
 * the network, twice: after the layer where the stack's map is most uneven, and at the stack's
 * output. A fix that rewrites a layer as two (`nn.Upsample` + `nn.Conv2d`) moves every later row
 * down by one, so the place is found by where the original element ends in the edited text, not
 * by its row number (comparing rows by number set the map after layer 5 beside the fixed map
 * after layer 6).
 */
import type { CompoundOverlap } from '../engine/compoundOverlap';
import type { StackFixPlan, StackMapView } from '../protocol/stack';
import type { TextEdit } from './overlapFixes';
import type { StackPath } from './stackPath';
import { mapViews } from './stackReport';
import type { StackAnalysis } from './stackShapes';

/** One side of the comparison: a stack, its spatial path and its compound overlap. */
export interface ComparedStack {
  readonly analysis: StackAnalysis;
  readonly path: StackPath;
  readonly result: CompoundOverlap;
}

/**
 * The row of `after` (the stack read again from the text with `edits` applied) whose element ends
 * where row `row` of `before` ends: the same element, or the last of those a rewrite made of it.
 */
export function rowAfterEdits(before: StackAnalysis, after: StackAnalysis, edits: readonly TextEdit[], row: number): number | undefined {
  const item = before.rows[row]?.item;
  if (!item) return undefined;
  const shift = edits.filter((edit) => edit.end <= item.end).reduce((sum, edit) => sum + edit.newText.length - (edit.end - edit.start), 0);
  const end = item.end + shift;
  let found: number | undefined;
  for (const candidate of after.rows) if (candidate.item.start < end) found = candidate.index;
  return found;
}

/**
 * The maps to compare: after the layer where the stack's map is most uneven (`before`) and the
 * fixed stack's map at that place (`after`), then both stacks' last maps when that layer is not the
 * last. A place the fixed stack's maps do not reach (they stop at an element Layer Lens cannot
 * follow) is left out; when neither is reached, `afterProblem` says why.
 */
export function fixComparison(before: ComparedStack, after: ComparedStack, edits: readonly TextEdit[]): Pick<StackFixPlan, 'before' | 'after' | 'beforeLast' | 'afterLast' | 'afterProblem'> {
  const beforeViews = mapViews(before.analysis, before.path, before.result);
  const afterViews = mapViews(after.analysis, after.path, after.result);
  const counterpart = (view: StackMapView): StackMapView | undefined => {
    const place = rowAfterEdits(before.analysis, after.analysis, edits, view.row);
    return afterViews.find((candidate) => candidate.row === place);
  };
  const worst = beforeViews.reduce((w, v, i) => (v.spread > (beforeViews[w]?.spread ?? -1) ? i : w), 0);
  const worstView = beforeViews[worst] as StackMapView;
  const lastView = beforeViews[beforeViews.length - 1] as StackMapView;
  const pairs = (worst === beforeViews.length - 1 ? [lastView] : [worstView, lastView]).flatMap((view) => {
    const there = counterpart(view);
    return there ? [[view, there] as const] : [];
  });
  const [first, second] = pairs;
  if (!first) {
    const stopped = after.path.stopped;
    return { afterProblem: stopped ? `they end before layer ${stopped.index + 1} (${stopped.reason})` : 'the fixed stack has no map at the same places' };
  }
  return { before: first[0], after: first[1], ...(second ? { beforeLast: second[0], afterLast: second[1] } : {}) };
}
