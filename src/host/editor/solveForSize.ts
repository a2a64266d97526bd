/**
 * "Layer Lens: Solve for Output Size…": for the PyTorch (transposed) convolution at the cursor and
 * the output size wanted, every `(padding, output_padding)` that gives exactly that size (and,
 * for a transposed convolution, kernel sizes divisible by the stride that do too), from
 * src/core/insight/sizeSolver.ts. The chosen one is written into the call as one undoable edit that
 * changes only the values (an argument the call leaves out is added as a keyword).
 *
 * Arguments: `{ uri, position, outputSize, inputSize, choose }`: `outputSize` (an int or `[h, w]`)
 * skips the question, `choose` (0-based index into the list) applies that answer without asking,
 * `choose: -1` only lists. Returns the answers and the one applied.
 */
import * as vscode from 'vscode';
import type { DocumentAnalysis } from './documentAnalysis';
import type { LayerInsight } from '../../core/insight/layerInsight';
import { AXIS_NAMES, rankOf, type ConvAxis, type SpatialRank } from '../../core/insight/layerSize';
import { axisEdits, sizeText } from '../../core/insight/overlapFixes';
import { noSolutionReason, solutionFormula, solvableLayer, solveForSize, type SizeSolution, type SolvableOp } from '../../core/insight/sizeSolver';
import { argumentRecord, readNumberArgument, readPairArgument, readSizeText, UserFacingError, type PairArgument } from '../common/arguments';
import { layerAt, layerPlace, readPlaceArgument } from '../common/layerAtCursor';
import { reportingProblems } from '../common/problems';


export interface SolveForSizeResult {
  readonly inputSize: number[];
  readonly outputSize: number[];
  readonly solutions: readonly { readonly label: string; readonly kernelSize: number[]; readonly padding: number[]; readonly outputPadding: number[] }[];
  /** The label of the answer written into the code, if one was. */
  readonly applied?: string;
}

const keys = new Set(['uri', 'position', 'outputSize', 'inputSize', 'choose']);

export function solveForSizeCommand(analysis: DocumentAnalysis, rawArguments: unknown): Promise<SolveForSizeResult | undefined> {
  return reportingProblems(async () => {
    const record = argumentRecord(rawArguments, 'Solve for Output Size', keys);
    const place = readPlaceArgument(record);
    const wantedArgument = readPairArgument(record.outputSize, 'outputSize');
    const inputArgument = readPairArgument(record.inputSize, 'inputSize');
    const choose = readNumberArgument(record.choose, 'choose');
    const { document, insight } = await layerAt(analysis, place);
    const { op, axes } = solvable(document, insight);
    const rank = rankOf(op);
    const input = inputArgument !== undefined ? perAxis(inputArgument, rank) : [...insight.input.size];
    const wanted = wantedArgument !== undefined ? perAxis(wantedArgument, rank) : await askWanted(op, axes, input, insight, rank);
    if (!wanted) return undefined;
    const solutions = solveForSize(op, axes, input, wanted);
    const result = {
      inputSize: input,
      outputSize: wanted,
      solutions: solutions.map((s) => ({ label: s.label, kernelSize: s.axes.map((a) => a.kernel), padding: s.axes.map((a) => a.padding), outputPadding: s.axes.map((a) => a.outputPadding) })),
    };
    if (solutions.length === 0) {
      throw new UserFacingError(`No padding${op.startsWith('convTranspose') ? ', output_padding or even kernel size' : ''} gives ${insight.call.name} at ${layerPlace(document, insight)} ${noSolutionReason(op, input, wanted, rank)}.`);
    }
    if (choose === -1) return result;
    let chosen: SizeSolution | undefined;
    if (choose !== undefined) {
      chosen = solutions[choose];
      if (!chosen || !Number.isInteger(choose)) throw new UserFacingError(`Argument "choose" must be an index from 0 to ${solutions.length - 1} (or -1 to only list), not ${choose}.`);
    } else {
      chosen = await pickSolution(solutions, op, input, rank);
      if (!chosen) return result;
    }
    await apply(document, insight, axes, chosen, rank);
    return { ...result, applied: chosen.label };
  });
}

function perAxis(value: PairArgument, rank: SpatialRank): number[] {
  // A 3-D layer reads one size for depth, height and width alike, or a pair as depth and (height = width).
  if (rank === 3) return typeof value === 'number' ? [value, value, value] : [value[0], value[1], value[1]];
  const pair = typeof value === 'number' ? [value, value] : [value[0], value[1]];
  return rank === 2 ? pair : [pair[1] as number];
}

/** PyTorch convolutions whose kernel, stride, dilation and padding are numbers (the core decides: sizeSolver.ts). */
function solvable(document: vscode.TextDocument, insight: LayerInsight): { op: SolvableOp; axes: readonly ConvAxis[] } {
  const read = solvableLayer(insight.call);
  if (!read.ok) throw new UserFacingError(`${insight.call.name} at ${layerPlace(document, insight)} ${read.reason}.`);
  return read;
}

async function askWanted(op: SolvableOp, axes: readonly ConvAxis[], input: readonly number[], insight: LayerInsight, rank: SpatialRank): Promise<number[] | undefined> {
  const now = insight.size.kind === 'sized' ? sizeText(insight.size.output, rank) : undefined;
  const read = (text: string): number[] | string => {
    const size = readSizeText(text);
    if (typeof size === 'string') return size;
    return perAxis(size, rank);
  };
  const text = await vscode.window.showInputBox({
    title: `Layer Lens: Output size wanted from ${insight.call.name}`,
    prompt: `Input ${input.join('×')} (${insight.input.source.kind === 'default' ? 'the layerLens.layers.inputSize setting' : 'read from the code'})${now ? `; the layer gives ${now} now` : ''}. One number, or height and width.`,
    value: insight.size.kind === 'sized' ? String(insight.size.output[0]) : '',
    ignoreFocusOut: true,
    validateInput: (value) => {
      const wanted = read(value);
      if (typeof wanted === 'string') return wanted;
      const count = solveForSize(op, axes, input, wanted).length;
      return count === 0
        ? `No padding gives ${wanted.join('×')} from ${input.join('×')} with this kernel and stride.`
        : { message: `${count} way${count === 1 ? '' : 's'} to get ${wanted.join('×')}: press Enter to see ${count === 1 ? 'it' : 'them'}.`, severity: vscode.InputBoxValidationSeverity.Info };
    },
  });
  if (text === undefined) return undefined;
  const wanted = read(text);
  return typeof wanted === 'string' ? undefined : wanted;
}

interface SolutionItem extends vscode.QuickPickItem {
  readonly solution: SizeSolution;
}

async function pickSolution(solutions: readonly SizeSolution[], op: SolvableOp, input: readonly number[], rank: SpatialRank): Promise<SizeSolution | undefined> {
  const transposed = op.startsWith('convTranspose');
  const items: SolutionItem[] = solutions.map((solution) => {
    const even = transposed && solution.axes.every((a) => a.dilation === 1 && a.kernel % a.stride === 0);
    return {
      label: solution.label,
      description: [solution.kernelChanged ? 'changes the kernel size' : '', even ? 'even overlap' : ''].filter(Boolean).join(' · '),
      detail: solution.axes.map((a, i) => solutionFormula(op, a, input[i] as number, AXIS_NAMES[rank][i] as string)).join('   '),
      solution,
    };
  });
  const choice = await vscode.window.showQuickPick(items, { title: 'Layer Lens: Solve for Output Size', placeHolder: 'Choose the arguments to write into the call', matchOnDetail: true, ignoreFocusOut: true });
  return choice?.solution;
}

async function apply(document: vscode.TextDocument, insight: LayerInsight, before: readonly ConvAxis[], chosen: SizeSolution, rank: SpatialRank): Promise<void> {
  const fields = [...(chosen.kernelChanged ? (['kernel'] as const) : []), 'padding', ...(insight.call.op.startsWith('convTranspose') ? (['outputPadding'] as const) : [])] as const;
  const change = axisEdits(insight.call, before, chosen.axes, rank, fields);
  if (!change) {
    vscode.window.setStatusBarMessage(`$(check) Layer Lens: ${insight.call.name} already has ${chosen.label}`, 5000);
    return;
  }
  const edit = new vscode.WorkspaceEdit();
  for (const e of change.edits) edit.replace(document.uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.newText);
  if (!(await vscode.workspace.applyEdit(edit))) throw new UserFacingError(`Could not edit ${layerPlace(document, insight)}: the document changed or is read-only.`);
  vscode.window.setStatusBarMessage(`$(check) Layer Lens: ${insight.call.name} now has ${change.changed.join(', ')}`, 5000);
}
