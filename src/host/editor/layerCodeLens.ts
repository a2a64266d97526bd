/**
 * CodeLens above transposed convolutions ("Inspect", which runs Inspect Layer; "Overlap: uneven 1:2",
 * which runs Show Overlap Map) and above 2-D matrix literals ("Inspect"); each runs Layer Lens on it. Off with `layerLens.codeLens.enabled`, at once.
 */
import * as vscode from 'vscode';
import { COMMAND } from '../contributed';
import type { DocumentSummaries } from './documentSummaries';
import { onEditorSettingsChanged, readEditorSettings } from '../common/settings';

export class LayerCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly settings = onEditorSettingsChanged(() => this.changed.fire());

  constructor(private readonly summaries: DocumentSummaries) {}

  /** From the document summary the worker reads (documentSummaries.ts): offsets and shapes, never a matrix's values. */
  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const settings = readEditorSettings(document);
    if (!settings.codeLens) return [];
    const summary = await this.summaries.summary(document, settings.layerInputSize);
    if (!summary || token.isCancellationRequested) return [];
    // Inspect Layer, Show Overlap Map and Transposed Convolution read the layer or literal again at this place when clicked.
    const placeOf = (position: vscode.Position) => ({ uri: document.uri.toString(), position: { line: position.line, character: position.character } });
    const lenses: vscode.CodeLens[] = [];
    for (const layer of summary.layers) {
      const range = new vscode.Range(document.positionAt(layer.start), document.positionAt(layer.open));
      const place = placeOf(range.start);
      lenses.push(
        new vscode.CodeLens(range, { title: '$(layers) Inspect', command: COMMAND.inspectLayer, arguments: [place], tooltip: `Step through this layer in Layer Lens on a ${layer.size.join('×')} input of ones` }),
        new vscode.CodeLens(range, { title: `Overlap: ${layer.overlap.label}`, command: COMMAND.showOverlapMap, arguments: [place], tooltip: `${layer.overlap.reason}. Click to see the overlap map.` }),
      );
    }
    for (const matrix of summary.matrices) {
      // Two-dimensional literals only: every list of numbers in code would be too many.
      if (matrix.shape.length !== 2 || (matrix.shape[0] as number) < 2 || (matrix.shape[1] as number) < 2) continue;
      const start = document.positionAt(matrix.start);
      lenses.push(
        new vscode.CodeLens(new vscode.Range(start, start), {
          title: `$(layers) Inspect ${matrix.shape.join('×')}`,
          command: COMMAND.transposedConvolution,
          arguments: [{ input: placeOf(start) }],
          tooltip: 'Use this matrix as the input of a transposed convolution',
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    this.settings.dispose();
    this.changed.dispose();
  }
}
