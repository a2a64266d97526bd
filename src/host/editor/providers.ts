/**
 * The editor features: hovers over matrices, layer calls and stacks, CodeLens, overlap and stack
 * diagnostics and their quick fixes, and the status bar item. Created when Layer Lens's features
 * load (src/host/features.ts); activation registered stand-ins for the providers under their languages
 * (src/host/editor/index.ts) that hand each request to these. Creating them parses nothing: the
 * diagnostics and the status bar start on the open documents in a later turn of the event loop.
 */
import * as vscode from 'vscode';
import type { DocumentAnalysis } from './documentAnalysis';
import type { DocumentSummaries } from './documentSummaries';
import type { EditorProviders } from './index';
import { LayerCodeLensProvider } from './layerCodeLens';
import { LayerHoverProvider } from './layerHover';
import type { TrainedVerdicts } from '../checkpoint/trainedVerdicts';
import { MatrixHoverProvider } from './matrixHover';
import { MatrixStatusBar } from './matrixStatusBar';
import { OverlapDiagnostics } from './overlapDiagnostics';
import { OverlapQuickFixProvider } from './quickFixes';
import { StackCodeLensProvider, StackHoverProvider } from '../stack/stackFeatures';
import { warmUpHoverPaths } from './warmUp';
import { InlineTensorsProvider } from '../live/inlineTensors';
import { TensorHoverProvider } from '../live/tensorHover';
import { ModelCodeLensProvider, ModelHoverProvider } from '../model/modelFeatures';
import type { ModelService } from '../model/modelService';

/** `analysis` is shared with the commands and, like `summaries` and `models`, owned by the caller; the rest is disposed with the returned disposable. */
export function createEditorFeatures(analysis: DocumentAnalysis, summaries: DocumentSummaries, models: ModelService, verdicts?: TrainedVerdicts): { readonly providers: EditorProviders; readonly disposable: vscode.Disposable } {
  const stackCodeLens = new StackCodeLensProvider(summaries);
  const modelCodeLens = new ModelCodeLensProvider(models);
  const layerCodeLens = new LayerCodeLensProvider(summaries, verdicts);
  const providers: EditorProviders = {
    stackHover: new StackHoverProvider(analysis),
    stackCodeLens,
    matrixHover: new MatrixHoverProvider(analysis),
    layerHover: new LayerHoverProvider(analysis, verdicts, summaries),
    layerCodeLens,
    quickFixes: new OverlapQuickFixProvider(analysis),
    inlineTensors: new InlineTensorsProvider(),
    tensorHover: new TensorHoverProvider(),
    modelHover: new ModelHoverProvider(models),
    modelCodeLens,
  };
  // In a turn of its own: the hover's code compiled before the first hover rather than during it (warmUp.ts).
  const warmUp = setTimeout(warmUpHoverPaths, 0);
  const disposables: vscode.Disposable[] = [
    layerCodeLens,
    stackCodeLens,
    modelCodeLens,
    new OverlapDiagnostics(summaries),
    new MatrixStatusBar(analysis, summaries),
    new vscode.Disposable(() => clearTimeout(warmUp)),
  ];
  return { providers, disposable: vscode.Disposable.from(...disposables.reverse()) };
}
