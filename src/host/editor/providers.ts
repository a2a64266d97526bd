/**
 * The editor features: hovers over matrices, layer calls and stacks, CodeLens, overlap and stack
 * diagnostics and their quick fixes, and the status bar item. Created when Layer Lens's features
 * load (src/host/features.ts); activation registered stand-ins for the providers under their languages
 * (src/host/editor/index.ts) that hand each request to these. Creating them parses nothing: the
 * diagnostics and the status bar start on the open documents in a later turn of the event loop.
 */
import * as vscode from 'vscode';
import type { DocumentAnalysis } from './documentAnalysis';
import type { EditorProviders } from './index';
import { LayerCodeLensProvider } from './layerCodeLens';
import { LayerHoverProvider } from './layerHover';
import { MatrixHoverProvider } from './matrixHover';
import { MatrixStatusBar } from './matrixStatusBar';
import { OverlapDiagnostics } from './overlapDiagnostics';
import { OverlapQuickFixProvider } from './quickFixes';
import { StackCodeLensProvider, StackHoverProvider } from '../stack/stackFeatures';

/** `analysis` is shared with the commands and owned by the caller; the rest is disposed with the returned disposable. */
export function createEditorFeatures(analysis: DocumentAnalysis): { readonly providers: EditorProviders; readonly disposable: vscode.Disposable } {
  const stackCodeLens = new StackCodeLensProvider(analysis);
  const layerCodeLens = new LayerCodeLensProvider(analysis);
  const providers: EditorProviders = {
    stackHover: new StackHoverProvider(analysis),
    stackCodeLens,
    matrixHover: new MatrixHoverProvider(analysis),
    layerHover: new LayerHoverProvider(analysis),
    layerCodeLens,
    quickFixes: new OverlapQuickFixProvider(analysis),
  };
  const disposables: vscode.Disposable[] = [layerCodeLens, stackCodeLens, new OverlapDiagnostics(analysis), new MatrixStatusBar(analysis)];
  return { providers, disposable: vscode.Disposable.from(...disposables.reverse()) };
}
