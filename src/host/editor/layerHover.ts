/**
 * The hover over a layer call: the output size for an inferred or default input size with each
 * formula term's value, the overlap tile of a transposed convolution with its verdict, the
 * parameter count, the quick fixes that apply, and a link that opens the layer in Layer Lens (a
 * transposed convolution on an example of ones; a 1-D or 3-D convolution, pool or upsampling through
 * Inspect Layer at the call, as its CodeLens does); in a
 * model source paired with a checkpoint, what the audit says of the layer's trained weights; with
 * `layerLens.models.inputShape` set, the layer's real input and output in each run of a model's
 * forward() (read in the summary's worker, waited on for at most 50 ms).
 */
import * as vscode from 'vscode';
import { COMMAND } from '../contributed';
import { commandUri, layerExample, volumeExample } from '../../core/insight/commandArguments';
import { layerHoverMarkdown } from '../../core/insight/hoverMarkdown';
import { layerRunsMarkdown } from '../../core/insight/layerRunsMarkdown';
import { partialLayerMarkdown } from '../../core/insight/partialLayer';
import type { LayerInsight } from '../../core/insight/layerInsight';
import { rankOf } from '../../core/insight/layerSize';
import { kerasTransposedAxes } from '../../core/insight/kerasTerms';
import { countTileSvg } from '../../core/insight/svg';
import { exampleText, runnableGatherSides } from '../../core/insight/volumeGatherTarget';
import type { DocumentAnalysis } from './documentAnalysis';
import type { DocumentSummaries } from './documentSummaries';
import { activePalette, hoverMarkdown, svgDataUri } from './hoverImages';
import { fixesFor } from './quickFixes';
import { readEditorSettings } from '../common/settings';
import { trainedVerdictText } from '../../core/checkpoint/trainedVerdict';
import { openAtLayerArguments, type TrainedVerdicts } from '../checkpoint/trainedVerdicts';

/** How long a layer hover waits for the document's summary (read in the worker) to add what the model reading says. */
const SUMMARY_WAIT_MS = 50;

export class LayerHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly analysis: DocumentAnalysis,
    private readonly verdicts?: TrainedVerdicts,
    private readonly summaries?: DocumentSummaries,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const hover = this.layerHover(document, position, token);
    const settings = readEditorSettings(document);
    if (!hover || !this.summaries || settings.modelInputShape.length === 0 || !hover.range) return hover;
    // A layer whose output is where a model breaks for the configured input (the transposed convolution of a U-Net's Up).
    const summary = await Promise.race([this.summaries.summary(document, settings.layerInputSize), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), SUMMARY_WAIT_MS))]);
    const line = hover.range.start.line + 1;
    const notes = (summary?.modelProblems ?? []).filter((p) => p.layerLine === line).map((p) => `⚠ For the input ${settings.modelInputShape.join('×')} (\`layerLens.models.inputShape\`): ${p.message}`);
    // The layer's real input and output in each run of the model (a decoder convolution after a cat gets the skip's channels).
    const start = document.offsetAt(hover.range.start);
    const insight = this.analysis.layerAt(document, start, settings.layerInputSize);
    const runs = (summary?.modelLayers ?? []).filter((entry) => entry.start === start);
    const transposed = insight?.axes && insight.overlap ? { axes: insight.axes, rank: rankOf(insight.call.op), even: insight.overlap.verdict.even } : undefined;
    const ran = layerRunsMarkdown(runs, settings.modelInputShape, transposed);
    if ((notes.length === 0 && ran.length === 0) || token.isCancellationRequested) return hover;
    return new vscode.Hover([...hover.contents, new vscode.MarkdownString([...ran, ...notes.flatMap((note) => [note, ''])].join('\n'))], hover.range);
  }

  private layerHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): vscode.Hover | undefined {
    const settings = readEditorSettings(document);
    if (!settings.hoverLayers) return undefined;
    const offset = document.offsetAt(position);
    const insight = this.analysis.layerAt(document, offset, settings.layerInputSize);
    if (!insight) return this.partialHover(document, offset, settings.layerInputSize);
    if (token.isCancellationRequested) return undefined;
    const fixes = insight.overlap && !insight.overlap.verdict.even ? fixesFor(this.analysis, document, insight) : [];
    const transposed = inspectLink(insight);
    const inspect = transposed ?? volumeGatherLink(document, insight);
    const tile = insight.overlap?.countTile;
    // A 3-D layer's lattice tile is described in words (its slices are the panel's, issue 22).
    const tileImage = tile && tile.shape.length === 2 ? svgDataUri(countTileSvg(tile.shape[0] as number, tile.shape[1] as number, tile.data, activePalette())) : undefined;
    const trained = this.trainedLines(document, insight.call.start);
    const markdown = layerHoverMarkdown(insight, { tileImage, fixes, inspect, trained });
    const range = new vscode.Range(document.positionAt(insight.call.start), document.positionAt(insight.call.end));
    const commands = [...(inspect ? [transposed ? COMMAND.transposedConvolution : COMMAND.inspectLayer] : []), ...(trained.length > 0 ? [COMMAND.auditCheckpoint] : [])];
    return new vscode.Hover(hoverMarkdown(markdown, commands), range);
  }

  /** The verdicts already published for this call by checkpoints paired with this file (nothing is read here). */
  private trainedLines(document: vscode.TextDocument, start: number) {
    if (!this.verdicts?.has(document.uri)) return [];
    return this.verdicts.at(document.uri, this.analysis.text(document), start).map((verdict) => ({
      text: trainedVerdictText(verdict.audit.fileName, verdict.record),
      link: { title: `Open ${verdict.record.name} in the audit`, uri: commandUri(COMMAND.auditCheckpoint, openAtLayerArguments(verdict)), tooltip: `Open ${verdict.audit.fileName} in the checkpoint editor at ${verdict.record.name}` },
    }));
  }

  /** A call whose `(` is not closed yet: what is known so far and what is missing. */
  private partialHover(document: vscode.TextDocument, offset: number, inputSize: number): vscode.Hover | undefined {
    const call = this.analysis.partialLayerAt(document, offset, inputSize);
    if (!call) return undefined;
    const text = this.analysis.text(document);
    const range = new vscode.Range(document.positionAt(call.start), document.positionAt(Math.max(call.end, offset)));
    return new vscode.Hover(hoverMarkdown(partialLayerMarkdown(call, text, inputSize), []), range);
  }
}

/**
 * The arguments of the link that runs a transposed convolution layer on an example: a 2-D one in
 * the transposed-convolution panel, a 1-D or 3-D one (`{ op, input, weight, options }`) in the
 * volume panel (the same command routes by `op`).
 */
export function inspectArguments(insight: LayerInsight): object | undefined {
  if (!insight.axes || !insight.overlap) return undefined;
  // A Keras layer's values need TensorFlow's crop, which PyTorch's padding gives only sometimes (kerasTerms.ts): no link otherwise.
  const axes = insight.call.framework === 'keras' ? kerasTransposedAxes(insight.call) : insight.axes;
  if (typeof axes === 'string') return undefined;
  const rank = rankOf(insight.call.op);
  return rank === 2 ? layerExample(axes, rank) : volumeExample(insight.call, axes, rank);
}

function inspectLink(insight: LayerInsight) {
  const args = inspectArguments(insight);
  if (!args) return undefined;
  const example = { 1: 'a sequence of 8 ones', 2: 'a 4×4 input of ones', 3: 'a 4×4×4 volume of ones' }[rankOf(insight.call.op)];
  return { title: 'Inspect in Layer Lens', uri: commandUri(COMMAND.transposedConvolution, args), tooltip: `Step through this layer on ${example} with a kernel of ones` };
}

/** A 1-D or 3-D convolution, pool or upsampling: Inspect Layer at the call, which steps through it in the volume panel's gather player (as its CodeLens does). */
function volumeGatherLink(document: vscode.TextDocument, insight: LayerInsight) {
  const sides = runnableGatherSides(insight);
  if (!sides) return undefined;
  const start = document.positionAt(insight.call.start);
  const place = { uri: document.uri.toString(), position: { line: start.line, character: start.character } };
  return { title: 'Inspect in Layer Lens', uri: commandUri(COMMAND.inspectLayer, place), tooltip: `Step through this layer on ${exampleText(sides)}` };
}
