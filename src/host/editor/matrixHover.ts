/**
 * The hover over a matrix literal: its shape, min / max / mean, a heatmap, and links that run
 * Layer Lens on it (as the input, as the kernel, or straight into the panel).
 */
import * as vscode from 'vscode';
import { COMMAND } from '../contributed';
import { commandUri, MAX_LINKED_VALUES, nestedRows } from '../../core/insight/commandArguments';
import { matrixHoverMarkdown, type Link } from '../../core/insight/hoverMarkdown';
import { heatmapSvg } from '../../core/insight/svg';
import type { FoundMatrix } from '../../core/parse/index';
import type { DocumentAnalysis } from './documentAnalysis';
import { activePalette, hoverMarkdown, svgDataUri } from './hoverImages';
import { readEditorSettings, readSettings } from '../common/settings';

export class MatrixHoverProvider implements vscode.HoverProvider {
  constructor(private readonly analysis: DocumentAnalysis) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): vscode.Hover | undefined {
    if (!readEditorSettings(document).hoverMatrices) return undefined;
    const matrix = this.analysis.matrixAt(document, document.offsetAt(position));
    // A single number in brackets is no matrix worth a picture.
    if (!matrix || matrix.data.length < 2 || token.isCancellationRequested) return undefined;
    const range = new vscode.Range(document.positionAt(matrix.start), document.positionAt(matrix.end));
    const place = { uri: document.uri.toString(), position: { line: range.start.line, character: range.start.character } };
    return new vscode.Hover(hoverMarkdown(matrixHover(matrix, readSettings(document).defaultStride, place), [COMMAND.transposedConvolution, COMMAND.setKernel, COMMAND.inspectLayer]), range);
  }
}

function matrixHover(matrix: FoundMatrix, defaultStride: number, place: { readonly uri: string; readonly position: { readonly line: number; readonly character: number } }): string {
  const rows = matrix.shape.length >= 2 ? (matrix.shape[matrix.shape.length - 2] as number) : 1;
  const cols = matrix.shape[matrix.shape.length - 1] as number;
  // A 3-D or 4-D tensor is pictured by its first [H, W] slice.
  const svg = heatmapSvg(rows, cols, matrix.data.subarray(0, rows * cols), activePalette());
  const nested = nestedRows(matrix);
  const links: Link[] = [];
  if (nested) {
    const link = (title: string, args: object, tooltip: string): Link => ({ title, uri: commandUri(COMMAND.transposedConvolution, args), tooltip });
    links.push(
      link('Transposed convolution…', { input: nested }, 'Use this matrix as the input; pick a kernel and a stride'),
      { title: 'Use as kernel', uri: commandUri(COMMAND.setKernel, { kernel: nested }), tooltip: 'Use this matrix as the kernel of the open Layer Lens panel, or of the next Transposed Convolution or Convolution' },
      link('Open in Layer Lens', { input: nested, kernel: [[1, 1], [1, 1]], stride: defaultStride }, `Open the panel at once, with a 2×2 kernel of ones and stride ${defaultStride}; change them there`),
    );
  }
  if (matrix.shape.length > 2) {
    // A tensor goes to a 1-D or 3-D layer of the file, read as PyTorch reads it for that layer; the link carries its place, not its values.
    links.push({ title: 'Through a 1-D or 3-D layer…', uri: commandUri(COMMAND.inspectLayer, { input: place }), tooltip: 'Run a 1-D or 3-D layer of this file on this tensor (Inspect Layer), read as PyTorch reads it for that layer' });
  }
  const noLinks =
    matrix.shape.length > 2
      ? `A ${matrix.shape.length}-D tensor: select one [H, W] slice to use it in a 2-D layer.`
      : matrix.data.length > MAX_LINKED_VALUES
        ? 'Too large for a link: put the cursor in it and run **Layer Lens: Transposed Convolution (ConvTranspose2d)**.'
        : undefined;
  return matrixHoverMarkdown(matrix, { heatmap: svg && svgDataUri(svg), links, noLinks });
}
