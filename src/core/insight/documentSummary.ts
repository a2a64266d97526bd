/**
 * What the editor shows for a whole document without being asked about one place: the CodeLens
 * above layers, matrices and stacks, the overlap and stack diagnostics, and the matrix count of the
 * status bar. Reading all of that on a 10,000-line file takes a second or more, so it is computed
 * in a worker (src/core/worker/engineService.ts) and travels back as plain data: offsets, shapes
 * and sentences, never the values of a matrix. The extension host only turns offsets into ranges,
 * so a hover is never kept waiting behind it.
 */
import { findMatrices } from '../parse/index';
import { findLayerStacks, stackContext } from '../parse/layerStacks';
import { array, count, boolean, object, optional, string, type Infer } from '../protocol/schema';
import { argumentTypeWarnings } from './argumentTypes';
import { layerInsights } from './layerInsight';
import { runnableGatherSides } from './volumeGatherTarget';
import { stackSummary } from './stackReport';
import { analyzeStack } from './stackShapes';
import { mismatchRoles } from './modelShape';
import { documentShapeProblems, problemLayerLine } from './documentShape';
import { classRunningStack, documentModelRuns, layerRunsOf } from './modelLayerRuns';
import { informStack } from './stackModel';
import { findModelClasses } from '../model/modelClasses';

/** What a summary is computed from; `matrixLanguage` undefined: the document's matrices are not read (an Objective-C `.m` file). */
export const isSummaryRequest = object({
  text: string,
  languageId: string,
  matrixLanguage: optional(string),
  /** `layerLens.layers.inputSize`: the input size of a layer whose code states none. */
  inputSize: count,
  /** Whether to read the layer calls and stacks (a language Layer Lens reads layers in). */
  layers: boolean,
  /** `layerLens.models.inputShape`: the input each nn.Module class's forward() is followed for (none: not followed). */
  modelInput: optional(array(count)),
});
export type SummaryRequest = Infer<typeof isSummaryRequest>;

const isSpan = object({ start: count, end: count });

export const isDocumentSummary = object({
  /** Transposed convolutions whose overlap is known: from the name's start to its `(`. */
  layers: array(
    object({
      start: count,
      open: count,
      /** The input size the overlap is shown for, `[H, W]` or `[L]`. */
      size: array(count),
      overlap: object({ label: string, even: boolean, reason: string }),
    }),
  ),
  /**
   * 1-D and 3-D convolutions, pools and upsampling the volume panel's gather player runs (from the
   * name's start to its `(`), with the sides of the example it runs (`[L]`, `[D, H, W]`; cut down
   * to a size the panel draws). Absent when there are none.
   */
  gatherLayers: optional(array(object({ start: count, open: count, size: array(count) }))),
  /** Arguments PyTorch refuses for their type (`stride=2.0`): the value, and the sentence saying so. */
  argumentProblems: array(object({ start: count, end: count, message: string })),
  /** Every well-formed matrix literal: where it starts and its shape. */
  matrices: array(object({ start: count, shape: array(count) })),
  /** Every stack, with its one-line summary (`Stack: 14 layers, 1×1 → 64×64, uneven 1 of 5`). */
  stacks: array(object({ start: count, name: string, summary: string })),
  /** Where a stack breaks, at the element that breaks it, with the element before it. */
  stackProblems: array(object({ start: count, end: count, message: string, code: string, before: optional(isSpan) })),
  /**
   * Each layer call a model's forward() runs for `modelInput`: the class and each run's input and
   * output (at most MAX_RUNS_PER_LAYER, `more` the rest), for the layer hover (modelLayerRuns.ts).
   */
  modelLayers: optional(array(object({ start: count, className: string, runs: array(object({ path: string, input: array(count), output: array(count) })), more: count }))),
  /** Where a model's forward() (or a Keras model's merge layer) breaks for `modelInput` (two tensors that do not line up), in words (modelShape.ts, kerasShape.ts). */
  modelProblems: optional(array(object({ start: count, end: count, message: string, /** The line of the layer that made the resized tensor (its hover says it too). */ layerLine: optional(count) }))),
});
export type DocumentSummary = Infer<typeof isDocumentSummary>;

/**
 * Documents longer than this get no summary (no CodeLens, diagnostics or matrix count in the editor,
 * where hovers and commands still read them; `layer-lens check` skips them and says so): reading a
 * 12 MB literal keeps a core busy for seconds, and every other document's summary would wait behind
 * it. The status bar's limit too.
 */
export const SUMMARY_MAX_CHARACTERS = 2_000_000;

export function summarizeDocument(request: SummaryRequest): DocumentSummary {
  const { text, languageId, matrixLanguage, inputSize } = request;
  const matrices = matrixLanguage === undefined ? [] : findMatrices(text, matrixLanguage).map((m) => ({ start: m.start, shape: [...m.shape] }));
  if (!request.layers) return { layers: [], argumentProblems: [], matrices, stacks: [], stackProblems: [] };
  const layers: DocumentSummary['layers'][number][] = [];
  const argumentProblems: DocumentSummary['argumentProblems'][number][] = [];
  const gatherLayers: NonNullable<DocumentSummary['gatherLayers']>[number][] = [];
  // The stacks read the same layer calls: find them once (when the stacks' text is the text itself, no \r line ends).
  const context = stackContext(text, languageId);
  for (const insight of layerInsights(text, languageId, inputSize, context.text === text ? context.calls : undefined)) {
    for (const warning of argumentTypeWarnings(insight.call)) {
      argumentProblems.push({ start: warning.start, end: warning.end, message: `${warning.parameter}=${warning.text} ${warning.reason}.` });
    }
    if (!insight.axes || !insight.overlap) {
      const sides = runnableGatherSides(insight);
      if (sides) gatherLayers.push({ start: insight.call.start, open: insight.call.open, size: [...sides] });
      continue;
    }
    const { label, verdict } = insight.overlap;
    layers.push({ start: insight.call.start, open: insight.call.open, size: [...insight.input.size], overlap: { label, even: verdict.even, reason: verdict.reason } });
  }
  const stacks: DocumentSummary['stacks'][number][] = [];
  const stackProblems: DocumentSummary['stackProblems'][number][] = [];
  const seen = new Set<string>();
  // With an input shape for the models: each stack a model runs is read the way it runs (stackModel.ts).
  const classes = request.modelInput && request.modelInput.length > 0 && languageId === 'python' ? documentModelRuns(text, request.modelInput) : [];
  const classNames = new Set(classes.length > 0 ? findModelClasses(text).map((c) => c.name) : []);
  for (const stack of findLayerStacks(text, languageId, context)) {
    const alone = analyzeStack(stack, context.constants);
    const cls = classRunningStack(alone, classes);
    const informed = cls && informStack(alone, cls.runs, { className: cls.className, inputShape: cls.inputShape, inputSource: 'layerLens.models.inputShape', error: cls.error, unknown: cls.unknown, args: cls.args }, undefined, classNames);
    stacks.push({ start: stack.start, name: stack.name, summary: stackSummary(informed?.analysis ?? alone) });
    // Where the model runs an element, it says what happens there: the stack read alone no longer does
    // (a guess of its input size or channels must not contradict the run). What forward() reports is
    // the model-shape diagnostic's to say (below), so a run's own errors are not repeated here.
    const ran = new Set(informed ? informed.analysis.rows.filter((row) => row.model === 'run').map((row) => row.index) : []);
    const analysis = alone;
    for (const { index, problem } of analysis.problems) {
      const item = analysis.rows[index]?.item;
      if (!item || ran.has(index)) continue;
      // Nested stacks report the same element once.
      const key = `${item.start}:${problem.code}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const previous = analysis.rows[index - 1]?.item;
      stackProblems.push({
        start: item.start,
        end: item.kind === 'layer' ? item.call.open : item.end,
        message: `Stack ${stack.name}, layer ${index + 1}: ${problem.message}.`,
        code: `stack-${problem.code}`,
        ...(previous ? { before: { start: previous.start, end: previous.end } } : {}),
      });
    }
  }
  const modelProblems = request.modelInput && request.modelInput.length > 0 && languageId === 'python'
    ? documentShapeProblems(text, request.modelInput).map((problem) => {
        const { start, end, message } = problem;
        const layer = 'keras' in problem ? undefined : mismatchRoles(problem.mismatch).resized.layer;
        const line = 'keras' in problem ? problemLayerLine(problem) : layer && layer.file === '' ? layer.line : undefined;
        return { start, end, message, ...(line !== undefined ? { layerLine: line } : {}) };
      })
    : [];
  const modelLayers = layerRunsOf(classes);
  return { layers, ...(gatherLayers.length > 0 ? { gatherLayers } : {}), argumentProblems, matrices, stacks, stackProblems, ...(modelLayers.length > 0 ? { modelLayers } : {}), ...(modelProblems.length > 0 ? { modelProblems } : {}) };
}
