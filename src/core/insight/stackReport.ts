/**
 * A stack's analysis written out for people and for the protocol: the table the command returns
 * and the stack view draws, the compound maps as matrices, and the one-line CodeLens summary
 * ("Stack: 14 layers, 1×1 → 64×64, uneven 1 of 5").
 */
import type { CompoundOverlap, CompoundStepResult } from '../engine/compoundOverlap';
import type { StackMapView, StackTable, StackTableRow } from '../protocol/stack';
import type { StackPath } from './stackPath';
import { formatShape, formatSpatial, type InputSource, type StackAnalysis } from './stackShapes';

/** 0-based line of an offset. */
export type LineOf = (offset: number) => number;

export function describeInputSource(source: InputSource, lineOf: LineOf): string {
  switch (source.kind) {
    case 'given':
      return 'given';
    case 'reshape':
      return `from the shape stated on line ${lineOf(source.offset) + 1}`;
    case 'comment':
      return `from the comment on line ${lineOf(source.offset) + 1}`;
    case 'solved':
      return `solved back from the size the comment on line ${lineOf(source.offset) + 1} states`;
    case 'symbolic':
      return 'symbolic: no size found in the code; pass inputSize to get numbers';
  }
}

export function stackTable(analysis: StackAnalysis, lineOf: LineOf, fileName: string, compound?: { readonly result: CompoundOverlap; readonly path: StackPath }): StackTable {
  const rows = analysis.rows.map((row): StackTableRow => ({
    index: row.index,
    kind: row.item.kind,
    label: row.item.label,
    line: lineOf(row.item.start),
    input: formatShape(row.input),
    output: formatShape(row.output),
    parameters: row.parameters,
    formulas: row.formulas,
    ...(row.overlap ? { overlap: row.overlap } : {}),
    ...(row.problem ? { problem: { code: row.problem.code, message: row.problem.message } } : {}),
    ...(row.note ? { note: row.note } : {}),
  }));
  const last = compound?.result.steps[compound.result.steps.length - 1];
  return {
    name: analysis.stack.name,
    kind: analysis.stack.kind,
    source: `${fileName}:${lineOf(analysis.stack.start) + 1}`,
    input: formatShape(analysis.input),
    inputSource: describeInputSource(analysis.inputSource, lineOf),
    output: formatShape(analysis.output),
    rows,
    transposedCount: analysis.transposedCount,
    unevenCount: analysis.unevenCount,
    ...(last ? { compound: { periodicEnergy: last.periodicEnergy, spread: last.spread, period: last.period } } : {}),
  };
}

export function mapView(step: CompoundStepResult, row: number, label: string): StackMapView {
  const [rows, cols] = step.map.shape as [number, number];
  return { row, label, map: { rows, cols, data: step.map.data }, period: step.period, periodicEnergy: step.periodicEnergy, spread: step.spread };
}

/** The maps of a compound overlap, each labelled with the layer it comes after. */
export function mapViews(analysis: StackAnalysis, path: StackPath, result: CompoundOverlap): StackMapView[] {
  return result.steps.map((step, i) => {
    const row = path.rows[i] as number;
    return mapView(step, row, `${row + 1}. ${analysis.rows[row]?.item.label ?? ''}`);
  });
}

/** `Stack: 14 layers, 1×1 → 64×64, uneven 1 of 5` (the overlap part only when it has transposed convolutions). */
export function stackSummary(analysis: StackAnalysis): string {
  const count = `${analysis.layerCount} ${analysis.layerCount === 1 ? 'layer' : 'layers'}`;
  const sizes = `${formatSpatial(analysis.input)} → ${formatSpatial(analysis.output)}`;
  const overlap = analysis.transposedCount === 0 ? '' : analysis.unevenCount === 0 ? ', overlap even' : `, uneven ${analysis.unevenCount} of ${analysis.transposedCount}`;
  const broken = analysis.problems.length > 0 ? `, ${analysis.problems.length === 1 ? 'breaks at 1 layer' : `breaks at ${analysis.problems.length} layers`}` : '';
  return `Stack: ${count}, ${sizes}${overlap}${broken}`;
}
