/**
 * Everything the stack view and the Inspect Stack command show about one stack of one document:
 * the table, the compound overlap maps (computed in the engine worker when they are large, so the
 * extension host never waits on them), and "Fix the stack" with the compound map after the chosen
 * fixes. The stack itself comes from the document's cached analysis; its shapes from a model's
 * forward() when one of the document runs it (stackModelRuns.ts).
 */
import * as vscode from 'vscode';
import type { CompoundOverlap } from '../../core/engine/compoundOverlap';
import { compoundOverlap } from '../../core/engine/compoundOverlap';
import { LayerError } from '../../core/engine/errors';
import type { DocumentAnalysis } from '../editor/documentAnalysis';
import { indentUnitOf } from '../editor/indentation';
import { chosenEdits, defaultChoice, fixedStack, stackFixes, type FixChoice, type LayerFixes } from '../../core/insight/stackFixes';
import { compoundCells, MAX_COMPOUND_CELLS, stackPath, SYMBOLIC_PATH_INPUT, type StackPath } from '../../core/insight/stackPath';
import { fixComparison } from '../../core/insight/stackComparison';
import { mapViews, stackTable } from '../../core/insight/stackReport';
import { analyzeStack, type GivenInput, type StackAnalysis } from '../../core/insight/stackShapes';
import type { TextEdit } from '../../core/insight/overlapFixes';
import type { LayerStack } from '../../core/parse/layerStacks';
import type { StackFixPlan, StackSnapshot, StackTable } from '../../core/protocol/stack';
import { uriBaseName } from '../common/uriName';
import type { EngineWorkerClient } from '../worker/engineWorkerClient';
import type { ModelService } from '../model/modelService';
import { stackModelRun, type StackModelOptions } from './stackModelRuns';

/** Up to this many output cells over all maps the compound overlap runs inline (a few ms); beyond, in the engine worker. */
const INLINE_COMPOUND_CELLS = 65_536;

export interface StackInspection {
  readonly document: vscode.TextDocument;
  readonly version: number;
  readonly analysis: StackAnalysis;
  readonly table: StackTable;
  readonly snapshot: StackSnapshot;
  readonly fixes: readonly LayerFixes[];
  readonly given?: GivenInput;
  readonly model?: StackModelChoice;
}

/** The model run a stack is read with (stackModelRuns.ts): the service, and the input and use asked for. */
export interface StackModelChoice extends StackModelOptions {
  readonly models: ModelService;
}

/**
 * `given`: the stack's own input size (the stack is then read from its code alone, on that size);
 * without it, a model of the document whose forward() runs the stack gives the shapes, if any.
 */
export async function inspectStack(engine: EngineWorkerClient, analyses: DocumentAnalysis, document: vscode.TextDocument, stack: LayerStack, given?: GivenInput, model?: StackModelChoice): Promise<StackInspection> {
  const { context } = analyses.stacks(document);
  const lineOf = (offset: number) => document.positionAt(offset).line;
  const read = given === undefined ? analyses.stackAnalysis(document, stack) : analyzeStack(stack, context.constants, given);
  const run = given === undefined && model ? await stackModelRun(model.models, document, read, lineOf, model) : undefined;
  const analysis = run?.informed.analysis ?? read;
  const stackOwnPath = stackPath(analysis);
  let path = stackOwnPath;
  let compound: CompoundOverlap | undefined;
  let compoundProblem: string | undefined;
  let standInReason: string | undefined;
  try {
    compound = await compute(engine, path, analysis);
    if (!compound && path.steps.length > 0) {
      // The stack's own input gives maps too large to draw (a model's 32³ volume through two
      // upsamplings): the same layers on a small example input paint the same pattern.
      const standIn: StackPath = { ...path, inputSize: path.inputSize.map(() => SYMBOLIC_PATH_INPUT) };
      compound = await engine.compoundOverlap({ inputSize: standIn.inputSize, steps: standIn.steps });
      if (compound.steps.some((step) => step.map.data.length > MAX_COMPOUND_CELLS)) compound = undefined;
      else {
        path = standIn;
        standInReason = `The maps of the ${stackOwnPath.inputSize.join('×')} input would be larger than ${MAX_COMPOUND_CELLS.toLocaleString('en-US')} cells`;
      }
    }
  } catch (error) {
    if (!(error instanceof LayerError) && !(error instanceof vscode.CancellationError)) throw error;
    compoundProblem = error instanceof LayerError ? error.message : 'cancelled';
  }
  if (!compound && path.steps.length === 0) compoundProblem ??= 'no layer of the stack changes the image size';
  if (compound === undefined && compoundProblem === undefined) compoundProblem = `it would be larger than ${MAX_COMPOUND_CELLS.toLocaleString('en-US')} cells`;
  const modelView = run ? { className: run.origin.className, inputShape: [...run.origin.inputShape], use: run.informed.use, uses: [...run.informed.uses] } : undefined;
  const table = stackTable(analysis, lineOf, uriBaseName(document.uri), compound && { result: compound, path }, modelView);
  const fixes = stackFixes(analyses.text(document), analysis, { indentUnit: indentUnitOf(document) });
  const plan = fixes.length > 0 ? await fixPlan(engine, analyses.text(document), analysis, fixes, defaultChoice(fixes), context.constants, given) : undefined;
  const snapshot: StackSnapshot = {
    kind: 'ready',
    table,
    ...(compound
      ? { compound: { maps: mapViews(analysis, path, compound), inputSize: path.inputSize, standIn: analysis.inputSource.kind === 'symbolic' || standInReason !== undefined, ...(standInReason ? { standInReason } : {}), ...(path.stopped ? { stopped: `The maps end before layer ${path.stopped.index + 1}: ${path.stopped.reason}.` } : {}) } }
      : {}),
    ...(compoundProblem ? { compoundProblem } : {}),
    ...(plan ? { plan } : {}),
  };
  return { document, version: document.version, analysis, table, snapshot, fixes, ...(given === undefined ? {} : { given }), ...(model ? { model } : {}) };
}

/** The compound overlap of a path: inline when small, in the engine worker otherwise; undefined when too large to draw. */
async function compute(engine: EngineWorkerClient, path: StackPath, analysis: StackAnalysis): Promise<CompoundOverlap | undefined> {
  if (path.steps.length === 0) return undefined;
  const cells = compoundCells(path, analysis);
  if (cells.last > MAX_COMPOUND_CELLS) return undefined;
  if (cells.total <= INLINE_COMPOUND_CELLS) return compoundOverlap(path);
  return engine.compoundOverlap({ inputSize: path.inputSize, steps: path.steps });
}


/** Fix the stack: the fixes, the chosen ones, and the compound map after them. */
export async function fixPlan(engine: EngineWorkerClient, text: string, analysis: StackAnalysis, fixes: readonly LayerFixes[], choice: FixChoice, constants: ReadonlyMap<string, number>, given?: GivenInput): Promise<StackFixPlan> {
  const views = fixes.flatMap((layer) => layer.fixes.map((fix, choiceIndex) => ({ row: layer.index, choice: choiceIndex, title: fix.title, keepsSize: fix.keepsSize })));
  const chosen = [...choice.entries()] as [number, number][];
  const base = { fixes: views, chosen };
  if (chosen.length === 0) return base;
  const edits = chosenEdits(fixes, choice);
  const after = fixedStack(text, analysis.stack, edits, constants, given ?? (analysis.inputSource.kind === 'symbolic' ? undefined : [...(analysis.input.spatial as number[])]));
  if (!after) return { ...base, afterProblem: 'the fixed code could not be read back as the same stack' };
  const path = stackPath(after);
  const beforePath = stackPath(analysis);
  try {
    const [result, beforeResult] = await Promise.all([compute(engine, path, after), compute(engine, beforePath, analysis)]);
    if (!result || result.steps.length === 0 || !beforeResult) return { ...base, afterUneven: after.unevenCount, afterProblem: 'the fixed stack has no compound map to draw' };
    return { ...base, afterUneven: after.unevenCount, ...fixComparison({ analysis, path: beforePath, result: beforeResult }, { analysis: after, path, result }, edits) };
  } catch (error) {
    if (error instanceof LayerError) return { ...base, afterUneven: after.unevenCount, afterProblem: error.message };
    throw error;
  }
}

/** The edits of a choice, checked against the fixes the inspection offered. */
export function editsFor(inspection: StackInspection, chosen: readonly (readonly [number, number])[]): TextEdit[] {
  const choice = new Map<number, number>();
  for (const [row, index] of chosen) {
    const layer = inspection.fixes.find((f) => f.index === row);
    if (layer && index < layer.fixes.length) choice.set(row, index);
  }
  return chosenEdits(inspection.fixes, choice);
}
