/**
 * The hover over a layer call: the output size for an inferred or default input size with each
 * formula term's value, the overlap tile of a transposed convolution with its verdict, the
 * parameter count, the quick fixes that apply, and a link that opens the layer in Layer Lens.
 */
import * as vscode from 'vscode';
import { COMMAND } from '../contributed';
import { commandUri, layerExample } from '../../core/insight/commandArguments';
import { layerHoverMarkdown } from '../../core/insight/hoverMarkdown';
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
    const insight = this.analysis.layerAt(document, document.offsetAt(position), settings.layerInputSize);
    if (!insight || token.isCancellationRequested) return undefined;
    const fixes = insight.overlap && !insight.overlap.verdict.even ? fixesFor(this.analysis, document, insight) : [];
    const inspect = inspectLink(insight);
    const tile = insight.overlap?.countTile;
    const tileImage = tile && svgDataUri(countTileSvg(tile.shape[0] as number, tile.shape[1] as number, tile.data, activePalette()));
    const markdown = layerHoverMarkdown(insight, { tileImage, fixes, inspect });
    const range = new vscode.Range(document.positionAt(insight.call.start), document.positionAt(insight.call.end));
    return new vscode.Hover(hoverMarkdown(markdown, inspect ? [COMMAND.transposedConvolution] : []), range);
  }
}

/** The command link (and CodeLens) that runs a transposed convolution layer on an example in the panel. */
export function inspectArguments(insight: LayerInsight): object | undefined {
  return insight.axes && insight.overlap ? layerExample(insight.axes, rankOf(insight.call.op)) : undefined;
}

function inspectLink(insight: LayerInsight) {
  const args = inspectArguments(insight);
  if (!args) return undefined;
  return { title: 'Inspect in Layer Lens', uri: commandUri(COMMAND.transposedConvolution, args), tooltip: 'Step through this layer on a 4×4 input of ones with a kernel of ones' };
}
