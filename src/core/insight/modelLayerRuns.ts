/**
 * What the editor's whole-document summary knows from the models of a Python document: each
 * `nn.Module` class the model reader can build (modelShape.ts's choice: its defaults, or a call
 * with literal arguments in the file), followed through forward() for the configured input
 * (`layerLens.models.inputShape`), and where each of its layers and blocks ran, by the offset of
 * its constructor call (stackModel.ts). The layer hover shows a layer's runs; the stacks' CodeLens
 * and diagnostics read a stack the way its model runs it. Computed in the summary's worker, once
 * per document text and input shape.
 */
import { traceModel, type ConstructorArgument, type ModelProblem } from '../model/analyzeModel';
import { buildableClasses, MODEL_SHAPE_MAX_CHARACTERS } from './modelShape';
import { coveredElements, runsByOffset, type ElementRun } from './stackModel';
import type { StackAnalysis } from './stackShapes';

export interface ClassRuns {
  readonly className: string;
  readonly args: Readonly<Record<string, ConstructorArgument>>;
  readonly inputShape: readonly number[];
  readonly runs: ReadonlyMap<number, readonly ElementRun[]>;
  readonly error: ModelProblem | null;
  readonly unknown: ModelProblem | null;
}

/** Each buildable class of `text` traced on `inputShape` (classes the reader fails on are left out). Cached by text, a few documents. */
export function documentModelRuns(text: string, inputShape: readonly number[]): readonly ClassRuns[] {
  if (text.length > MODEL_SHAPE_MAX_CHARACTERS || inputShape.length === 0 || !/\bforward\s*\(/.test(text)) return [];
  const key = `${inputShape.join('x')}|${text}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const found: ClassRuns[] = [];
  for (const { name, args } of buildableClasses(text)) {
    try {
      const run = traceModel(text, { className: name, inputShape, args });
      found.push({ className: name, args, inputShape, runs: runsByOffset(run.trace), error: run.error, unknown: run.unknown });
    } catch {
      // A class the reader fails on: the document's other classes still count.
    }
  }
  cache.set(key, found);
  if (cache.size > 4) cache.delete(cache.keys().next().value as string);
  return found;
}

const cache = new Map<string, readonly ClassRuns[]>();

/** The class whose run covers most of a stack's elements (the last such: a model is written after its parts); undefined when none runs any. */
export function classRunningStack(analysis: Pick<StackAnalysis, 'rows'>, classes: readonly ClassRuns[]): ClassRuns | undefined {
  let best: ClassRuns | undefined;
  let covered = 0;
  for (const cls of classes) {
    const n = coveredElements(analysis, cls.runs);
    if (n > 0 && n >= covered) {
      best = cls;
      covered = n;
    }
  }
  return best;
}

/** The most runs of one layer the summary keeps (a part used in a loop of 24 blocks has 24). */
export const MAX_RUNS_PER_LAYER = 8;

/** Each layer call's runs, by its offset, for the hover: `{ start, className, runs }` of every class that runs it. */
export function layerRunsOf(classes: readonly ClassRuns[]): { start: number; className: string; runs: { path: string; input: number[]; output: number[] }[]; more: number }[] {
  const out: { start: number; className: string; runs: { path: string; input: number[]; output: number[] }[]; more: number }[] = [];
  for (const cls of classes) {
    for (const [start, runs] of cls.runs) {
      const layers = runs.filter((r) => r.kind === 'layer');
      if (layers.length === 0) continue;
      out.push({ start, className: cls.className, runs: layers.slice(0, MAX_RUNS_PER_LAYER).map((r) => ({ path: r.path, input: [...(r.inputs[0] ?? [])], output: [...r.output] })), more: Math.max(0, layers.length - MAX_RUNS_PER_LAYER) });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
