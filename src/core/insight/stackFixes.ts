/**
 * "Fix the stack": for every transposed convolution of a stack whose overlap is uneven, the same
 * quick fixes the single-layer diagnostic offers ({@link overlapFixes}), and the stack as it would
 * be with a chosen fix per layer applied, read again from the edited text, so that its compound
 * overlap can be shown before anything is changed. The chosen edits touch different calls, so they
 * never overlap and apply together as one edit.
 */
import type { ConstantBindings } from '../parse/constantNames';
import { findLayerStacks, stackInRange, type LayerStack } from '../parse/layerStacks';
import { applyEdits, overlapFixes, type FixFormatting, type OverlapFix, type TextEdit } from './overlapFixes';
import { analyzeStack, type GivenInput, type StackAnalysis } from './stackShapes';

export interface LayerFixes {
  /** The row of the uneven layer. */
  readonly index: number;
  readonly fixes: readonly OverlapFix[];
}

/** The fixes of each uneven transposed convolution of the stack, in stack order (layers without a checked fix are left out). */
export function stackFixes(text: string, analysis: StackAnalysis, formatting: FixFormatting): LayerFixes[] {
  const found: LayerFixes[] = [];
  for (const row of analysis.rows) {
    if (row.item.kind !== 'layer' || !row.overlap || row.overlap.even) continue;
    const fixes = overlapFixes(text, row.item.call, formatting);
    if (fixes.length > 0) found.push({ index: row.index, fixes });
  }
  return found;
}

/** A fix per layer: the index into that layer's fixes. Layers left out keep their code. */
export type FixChoice = ReadonlyMap<number, number>;

/** The first fix of each layer that keeps the output size (else its first): what "Fix the stack" proposes. */
export function defaultChoice(fixes: readonly LayerFixes[]): FixChoice {
  return new Map(fixes.map((layer) => [layer.index, Math.max(0, layer.fixes.findIndex((fix) => fix.keepsSize))]));
}

/** The edits of a choice, together. */
export function chosenEdits(fixes: readonly LayerFixes[], choice: FixChoice): TextEdit[] {
  return fixes.flatMap((layer) => {
    const chosen = choice.get(layer.index);
    return chosen === undefined ? [] : [...(layer.fixes[chosen]?.edits ?? [])];
  });
}

/** The stack after the edits, read again from the edited text and analysed with the same input; undefined when it is no longer found. */
export function fixedStack(text: string, stack: LayerStack, edits: readonly TextEdit[], constants: ConstantBindings, given?: GivenInput): StackAnalysis | undefined {
  const edited = applyEdits(text, edits);
  const before = edits.filter((edit) => edit.end <= stack.start).reduce((shift, edit) => shift + edit.newText.length - (edit.end - edit.start), 0);
  const start = stack.start + before;
  const inside = edits.filter((edit) => edit.start >= stack.start && edit.end <= stack.end).reduce((shift, edit) => shift + edit.newText.length - (edit.end - edit.start), 0);
  const again =
    stack.kind === 'selection'
      ? stackInRange(edited, start, stack.end + before + inside, 'python')
      : findLayerStacks(edited, 'python').find((candidate) => candidate.start === start && candidate.kind === stack.kind);
  return again && analyzeStack(again, constants, given);
}
