/**
 * A stack's analysis written out for people and for the protocol: the table the command returns
 * and the stack view draws, the compound maps as matrices, and the one-line CodeLens summary
 * ("Stack: 14 layers, 1×1 → 64×64, uneven 1 of 5").
 */
import type { CompoundOverlap, CompoundStepResult } from '../engine/compoundOverlap';
import type { Tensor } from '../engine/tensor';
import type { MatrixView } from '../protocol/common';
import type { StackMapView, StackTable, StackTableRow } from '../protocol/stack';
import type { StackPath } from './stackPath';
import { formatShape, formatSpatial, statedShape, type StackAnalysis, type StackRow } from './stackShapes';

/** 0-based line of an offset. */
export type LineOf = (offset: number) => number;

/**
 * Where the stack's input size comes from, for the summary ("input [N, 256, 4, 4] (…)"): said so
 * that a reader who did not write the code knows which sizes are read, which are worked out and
 * which are not known (a `?` in the shape).
 */
export function describeStackInput(analysis: StackAnalysis, lineOf: LineOf): string {
  const source = analysis.inputSource;
  switch (source.kind) {
    case 'given':
      return 'as given to Inspect Stack';
    case 'reshape': {
      const items = analysis.stack.items;
      const item = items.find((candidate) => candidate.start === source.offset);
      const line = lineOf(source.offset) + 1;
      if (!item || item.kind !== 'reshape') return `from the shape stated on line ${line}`;
      if (item === items[0]) return `the shape ${item.label} states on line ${line}`;
      // Elements before the reshape (a Dense layer): the stack's own input is not an image shape Layer Lens can tell.
      const stated = formatShape(statedShape(item.shape, analysis.rank), analysis.channelsLast);
      return `not known: shapes start at ${item.label} on line ${line}, which states ${stated}`;
    }
    case 'comment':
      return `from the comment on line ${lineOf(source.offset) + 1}`;
    case 'solved': {
      const stated = analysis.stack.items[source.index]?.sizeComment?.size;
      const size = stated ? ` ${stated.join('×')}` : ' size';
      return `worked back from the${size} the comment on line ${lineOf(source.offset) + 1} states for layer ${source.index + 1}’s input`;
    }
    case 'model':
      return source.text;
    case 'symbolic':
      return `${{ 1: 'L stands for the input length', 2: 'H and W stand for the input size', 3: 'D, H and W stand for the input size' }[analysis.rank]}, which the code does not state; a comment such as “# 64 x 64” above the first layer gives numbers`;
  }
}

/** A model-informed row's shapes for the table: `not run` where forward() did not run the element. */
export function rowShapes(row: StackRow, channelsLast: boolean): { input: string; output: string } {
  if (row.model === 'not-run') return { input: 'not run', output: 'not run' };
  if (row.model === 'not-reached') return { input: 'not reached', output: 'not reached' };
  return { input: formatShape(row.input, channelsLast), output: formatShape(row.output, channelsLast) };
}

export function stackTable(analysis: StackAnalysis, lineOf: LineOf, fileName: string, compound?: { readonly result: CompoundOverlap; readonly path: StackPath }, model?: StackTable['model']): StackTable {
  const rows = analysis.rows.map((row): StackTableRow => ({
    index: row.index,
    kind: row.item.kind,
    label: row.item.label,
    line: lineOf(row.item.start),
    ...rowShapes(row, analysis.channelsLast),
    ...(row.runPath !== undefined ? { module: row.runPath } : {}),
    ...(row.model === 'not-run' || row.model === 'not-reached' ? { run: false } : row.model === 'run' ? { run: true } : {}),
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
    input: formatShape(analysis.input, analysis.channelsLast),
    inputSource: describeStackInput(analysis, lineOf),
    output: formatShape(analysis.output, analysis.channelsLast),
    rows,
    transposedCount: analysis.transposedCount,
    unevenCount: analysis.unevenCount,
    ...(last ? { compound: { periodicEnergy: last.periodicEnergy, spread: last.spread, period: last.period } } : {}),
    ...(model ? { model } : {}),
  };
}

export function mapView(step: CompoundStepResult, row: number, label: string): StackMapView {
  return { row, label, map: matrixOf(step.map), period: step.period, periodicEnergy: step.periodicEnergy, spread: step.spread, ...(step.phaseMeans ? { phases: matrixOf(step.phaseMeans) } : {}) };
}

/** A map of any rank as a matrix view: `[L]` one row, `[H, W]` as it is, `[D, H, W]` as `D` slices. */
function matrixOf(map: Tensor): MatrixView {
  const shape = map.shape;
  if (shape.length === 1) return { rows: 1, cols: shape[0] as number, data: map.data };
  if (shape.length === 3) return { lead: [shape[0] as number], rows: shape[1] as number, cols: shape[2] as number, data: map.data };
  return { rows: shape[0] as number, cols: shape[1] as number, data: map.data };
}

/** The maps of a compound overlap, each labelled with the name of the layer it comes after (its `row` gives the number). */
export function mapViews(analysis: StackAnalysis, path: StackPath, result: CompoundOverlap): StackMapView[] {
  return result.steps.map((step, i) => {
    const row = path.rows[i] as number;
    return mapView(step, row, analysis.rows[row]?.item.label ?? '');
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
