/**
 * The hover over a layer call: the output size for an inferred or default input size with each
 * formula term's value, the overlap tile of a transposed convolution with its verdict, the
 * parameter count, the quick fixes that apply, and a link that opens the layer in Layer Lens.
 */
import * as vscode from 'vscode';
import { COMMAND } from '../contributed';
import { commandUri, layerExample, volumeExample } from '../../core/insight/commandArguments';
import { layerHoverMarkdown } from '../../core/insight/hoverMarkdown';
import { partialLayerMarkdown } from '../../core/insight/partialLayer';
import type { LayerInsight } from '../../core/insight/layerInsight';
import { rankOf } from '../../core/insight/layerSize';
import { countTileSvg } from '../../core/insight/svg';
import type { DocumentAnalysis } from './documentAnalysis';
import { activePalette, hoverMarkdown, svgDataUri } from './hoverImages';
import { fixesFor } from './quickFixes';
import { readEditorSettings } from '../common/settings';

export class LayerHoverProvider implements vscode.HoverProvider {
  constructor(private readonly analysis: DocumentAnalysis) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): vscode.Hover | undefined {
    const settings = readEditorSettings(document);
    if (!settings.hoverLayers) return undefined;
    const offset = document.offsetAt(position);
    const insight = this.analysis.layerAt(document, offset, settings.layerInputSize);
    if (!insight) return this.partialHover(document, offset, settings.layerInputSize);
    if (token.isCancellationRequested) return undefined;
    const fixes = insight.overlap && !insight.overlap.verdict.even ? fixesFor(this.analysis, document, insight) : [];
    const inspect = inspectLink(insight);
    const tile = insight.overlap?.countTile;
    // A 3-D layer's lattice tile is described in words (its slices are the panel's, issue 22).
    const tileImage = tile && tile.shape.length === 2 ? svgDataUri(countTileSvg(tile.shape[0] as number, tile.shape[1] as number, tile.data, activePalette())) : undefined;
    const markdown = layerHoverMarkdown(insight, { tileImage, fixes, inspect });
    const range = new vscode.Range(document.positionAt(insight.call.start), document.positionAt(insight.call.end));
    return new vscode.Hover(hoverMarkdown(markdown, inspect ? [COMMAND.transposedConvolution] : []), range);
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
  const rank = rankOf(insight.call.op);
  return rank === 2 ? layerExample(insight.axes, rank) : volumeExample(insight.call, insight.axes, rank);
}

function inspectLink(insight: LayerInsight) {
  const args = inspectArguments(insight);
  if (!args) return undefined;
  const example = { 1: 'a sequence of 8 ones', 2: 'a 4×4 input of ones', 3: 'a 4×4×4 volume of ones' }[rankOf(insight.call.op)];
  return { title: 'Inspect in Layer Lens', uri: commandUri(COMMAND.transposedConvolution, args), tooltip: `Step through this layer on ${example} with a kernel of ones` };
}
