/**
 * CodeLens above transposed convolutions ("Inspect", which runs Inspect Layer; "Overlap: uneven 1:2",
 * which runs Show Overlap Map); above 1-D and 3-D convolutions, pools and upsampling ("Inspect":
 * Inspect Layer, in the volume panel's gather player); above each layer call a paired checkpoint's
 * audit describes ("Trained (G.pt): uneven, 7.3 %", which opens that audit); and above 2-D matrix
 * literals ("Inspect"). Each runs Layer Lens on it. Off with `layerLens.codeLens.enabled`, at once.
 */
import * as vscode from 'vscode';
import { COMMAND } from '../contributed';
import { exampleText } from '../../core/insight/volumeGatherTarget';
import type { DocumentSummaries } from './documentSummaries';
import { onEditorSettingsChanged, readEditorSettings } from '../common/settings';
import { trainedLensTitle, trainedVerdictText } from '../../core/checkpoint/trainedVerdict';
import { openAtLayerArguments, type TrainedVerdicts } from '../checkpoint/trainedVerdicts';

export class LayerCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly settings = onEditorSettingsChanged(() => this.changed.fire());
  private readonly published: vscode.Disposable | undefined;

  constructor(
    private readonly summaries: DocumentSummaries,
    private readonly verdicts?: TrainedVerdicts,
  ) {
    this.published = verdicts?.onDidChange(() => this.changed.fire());
  }

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
    for (const layer of summary.gatherLayers ?? []) {
      // A 1-D or 3-D convolution, pool or upsampling: Inspect Layer steps through it in the volume panel's gather player.
      const range = new vscode.Range(document.positionAt(layer.start), document.positionAt(layer.open));
      lenses.push(new vscode.CodeLens(range, { title: '$(layers) Inspect', command: COMMAND.inspectLayer, arguments: [placeOf(range.start)], tooltip: `Step through this layer in Layer Lens on ${exampleText(layer.size)}` }));
    }
    lenses.push(...this.trainedLenses(document));
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

  /** "Trained (G_epoch200.pt): uneven, 7.3 %" above each layer call a paired checkpoint's audit describes; opens the audit at it. */
  private trainedLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.verdicts?.has(document.uri)) return [];
    return this.verdicts.in(document.uri, document.getText()).map((verdict) => {
      const start = document.positionAt(verdict.offset);
      return new vscode.CodeLens(new vscode.Range(start, start), {
        title: trainedLensTitle(verdict.audit.fileName, verdict.record),
        command: COMMAND.auditCheckpoint,
        arguments: [openAtLayerArguments(verdict)],
        tooltip: `${trainedVerdictText(verdict.audit.fileName, verdict.record)}. Click to open the audit at ${verdict.record.name}.`,
      });
    });
  }

  dispose(): void {
    this.published?.dispose();
    this.settings.dispose();
    this.changed.dispose();
  }
}
