/**
 * The editor features: hovers over matrices, layer calls and stacks, CodeLens, overlap and stack
 * diagnostics and their quick fixes. Registering them parses nothing: work starts when a document is hovered, shown with
 * CodeLens, or analysed for diagnostics.
 */
import * as vscode from 'vscode';
import type { DocumentAnalysis } from './documentAnalysis';
import { LayerCodeLensProvider } from './layerCodeLens';
import { LayerHoverProvider } from './layerHover';
import { MatrixHoverProvider } from './matrixHover';
import { MatrixStatusBar } from './matrixStatusBar';
import { OverlapDiagnostics } from './overlapDiagnostics';
import { OverlapQuickFixProvider } from './quickFixes';
import { StackCodeLensProvider, StackHoverProvider } from './stackFeatures';
import { LAYER_LANGUAGES, MATRIX_LANGUAGES, selectorFor } from './settings';

/** `analysis` is shared with the commands and owned by the caller. */
export function registerEditorFeatures(analysis: DocumentAnalysis): vscode.Disposable {
  const codeLens = new LayerCodeLensProvider(analysis);
  const stackCodeLens = new StackCodeLensProvider(analysis);
  const disposables: vscode.Disposable[] = [
    codeLens,
    stackCodeLens,
    vscode.languages.registerHoverProvider(selectorFor(LAYER_LANGUAGES), new StackHoverProvider(analysis)),
    vscode.languages.registerCodeLensProvider(selectorFor(LAYER_LANGUAGES), stackCodeLens),
    vscode.languages.registerHoverProvider(selectorFor(MATRIX_LANGUAGES), new MatrixHoverProvider(analysis)),
    vscode.languages.registerHoverProvider(selectorFor(LAYER_LANGUAGES), new LayerHoverProvider(analysis)),
    vscode.languages.registerCodeLensProvider(selectorFor(MATRIX_LANGUAGES), codeLens),
    vscode.languages.registerCodeActionsProvider(selectorFor(LAYER_LANGUAGES), new OverlapQuickFixProvider(analysis), OverlapQuickFixProvider.metadata),
    new OverlapDiagnostics(analysis),
    new MatrixStatusBar(analysis),
  ];
  return vscode.Disposable.from(...disposables.reverse());
}
