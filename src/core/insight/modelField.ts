/**
 * Receptive fields written out for the model view: each step's field on the model's input (size,
 * effective stride and offset, see src/core/model/support.ts) as a short cell and a sentence, and,
 * for a step whose field is not followed, why — the step that ended it (a linear layer, a reshape)
 * named once, the steps after it pointing back to it.
 */
import type { FieldAxis, FieldSummary } from '../model/support';
import { MODEL_INPUT, type TraceStep } from '../model/modelTrace';
import type { ModelField } from '../protocol/model';

const minus = (n: number): string => (n < 0 ? `−${-n}` : String(n));
const jumpText = (j: readonly [number, number] | null): string => (j === null ? '~' : j[1] === 1 ? String(j[0]) : `${j[0]}/${j[1]}`);
const both = (rows: string, cols: string, by: string): string => (rows === cols ? rows : `${rows}${by}${cols}`);

function sizeWords(a: FieldAxis, what: string): string {
  return a.minSize === a.size ? `${a.size} ${what}` : `${a.minSize} to ${a.size} ${what} (depending on the position)`;
}

function jumpWords(a: FieldAxis, what: string): string {
  if (a.jump === null) return `by a varying number of input ${what} (no regular stride: an upsampling by a ratio that is not whole, or with align_corners)`;
  const [num, den] = a.jump;
  if (den === 1) return `by ${num} input ${num === 1 ? what.replace(/s$/, '') : what} (effective stride ${num})`;
  return `by ${num}/${den} of an input ${what.replace(/s$/, '')} (effective stride ${num}/${den}: the output is upsampled, ${den} output ${what} per ${num === 1 ? '' : `${num} `}input ${num === 1 ? what.replace(/s$/, '') : what})`;
}

function offsetWords(a: FieldAxis, what: string): string {
  return a.offset < 0 ? `${minus(a.offset)} (${-a.offset} ${what} into the padding)` : String(a.offset);
}

/** The cell (`7×7 s2 −3`, `≤204×204 s1/2 −94`) and the tooltip of one field. */
export function modelField(f: FieldSummary): ModelField {
  const { rows, cols } = f;
  const varies = rows.minSize !== rows.size || cols.minSize !== cols.size;
  const text = `${varies ? '≤' : ''}${rows.size}×${cols.size} s${both(jumpText(rows.jump), jumpText(cols.jump), '×')} ${both(minus(rows.offset), minus(cols.offset), ',')}${f.global ? ' +all' : ''}`;
  const words = [
    `Each value of this output sees ${sizeWords(rows, 'input rows')} and ${sizeWords(cols, 'columns')}.`,
    `One step down the output moves its field ${jumpWords(rows, 'rows')}; one step right ${jumpWords(cols, 'columns')}.`,
    `The field of output (0, 0) starts at input row ${offsetWords(rows, 'rows')} and column ${offsetWords(cols, 'columns')}.`,
    ...(f.global ? [`Through ${f.global}'s statistics over the map, every value also depends on the whole input (the size shown is the local field).`] : []),
  ].join(' ');
  return {
    rows: { size: rows.size, minSize: rows.minSize, ...(rows.jump ? { jump: [rows.jump[0], rows.jump[1]] as [number, number] } : {}), offset: rows.offset },
    cols: { size: cols.size, minSize: cols.minSize, ...(cols.jump ? { jump: [cols.jump[0], cols.jump[1]] as [number, number] } : {}), offset: cols.offset },
    ...(f.global ? { global: f.global } : {}),
    text,
    words,
  };
}

const RESHAPES = new Set(['view', 'reshape', 'flatten', 'permute', 'transpose', 'squeeze', 'unsqueeze', 'Flatten', 'Unflatten', 'expand', 'repeat', 'stack', 'mean', 'sum', 'matmul', '@']);

/** Why one step ends the field. */
function endsWhy(step: TraceStep, label: string): string {
  if (step.op === 'Linear') return `${label} (a linear layer) mixes every position`;
  if (RESHAPES.has(step.op)) return `${label} rearranges rows and columns (a reshape)`;
  if (step.output.length !== 4) return `${label} gives ${step.output.length}-D values, no rows and columns`;
  return `the field is not followed through ${label}`;
}

/**
 * For each step without a field: why. `label` is the step's name as the table shows it. Fields are
 * followed for `[N, C, H, W]` inputs only.
 */
export function fieldReasons(steps: readonly TraceStep[], inputRank: number, label: (i: number) => string): (string | undefined)[] {
  const origin: (number | undefined)[] = [];
  return steps.map((step, i) => {
    if (step.field) return undefined;
    if (inputRank !== 4) return 'receptive fields are followed for an [N, C, H, W] input';
    // Lost here when an input still had one; else after the step that lost it.
    const from = step.sources.map((s) => (s >= 0 ? origin[s] : undefined)).find((o) => o !== undefined);
    const fresh = step.sources.some((s) => s === MODEL_INPUT || (s >= 0 && steps[s]?.field !== undefined));
    if (fresh || from === undefined) {
      origin[i] = i;
      return endsWhy(step, label(i));
    }
    origin[i] = from;
    return `not followed after #${from + 1} ${label(from)}`;
  });
}
