/**
 * CodeLens above transposed convolutions ("Inspect", which runs Inspect Layer; "Overlap: uneven 1:2",
 * which runs Show Overlap Map) and above 2-D matrix literals ("Inspect"); each runs Layer Lens on it. Off with `layerLens.codeLens.enabled`, at once.
 */
import * as vscode from 'vscode';
import { COMMAND } from '../contributed';
import { nestedRows } from '../../core/insight/commandArguments';
import type { DocumentAnalysis } from './documentAnalysis';
import { inspectArguments } from './layerHover';
import { onEditorSettingsChanged, readEditorSettings } from '../common/settings';

export class LayerCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly settings = onEditorSettingsChanged(() => this.changed.fire());

  constructor(private readonly analysis: DocumentAnalysis) {}

  provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): vscode.CodeLens[] {
    const settings = readEditorSettings(document);
    if (!settings.codeLens) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const insight of this.analysis.layers(document, settings.layerInputSize)) {
      if (!inspectArguments(insight) || !insight.overlap) continue;
      const range = new vscode.Range(document.positionAt(insight.call.start), document.positionAt(insight.call.open));
      // Inspect Layer and Show Overlap Map read the layer again at this place when clicked, with the input size the code gives there.
      const place = { uri: document.uri.toString(), position: { line: range.start.line, character: range.start.character } };
      const size = insight.input.size.join('×');
      lenses.push(
        new vscode.CodeLens(range, { title: '$(layers) Inspect', command: COMMAND.inspectLayer, arguments: [place], tooltip: `Step through this layer in Layer Lens on a ${size} input of ones` }),
        new vscode.CodeLens(range, { title: `Overlap: ${insight.overlap.label}`, command: COMMAND.showOverlapMap, arguments: [place], tooltip: `${insight.overlap.verdict.reason}. Click to see the overlap map.` }),
      );
    }
    if (token.isCancellationRequested) return [];
    for (const matrix of this.analysis.matrices(document)) {
      // Two-dimensional literals only: every list of numbers in code would be too many.
      if (matrix.shape.length !== 2 || (matrix.shape[0] as number) < 2 || (matrix.shape[1] as number) < 2) continue;
      const rows = nestedRows(matrix);
      if (!rows) continue;
      const start = document.positionAt(matrix.start);
      lenses.push(
        new vscode.CodeLens(new vscode.Range(start, start), {
          title: `$(layers) Inspect ${matrix.shape.join('×')}`,
          command: COMMAND.transposedConvolution,
          arguments: [{ input: rows }],
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
