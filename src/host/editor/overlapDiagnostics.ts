/**
 * A diagnostic on each transposed convolution whose overlap is uneven: the checkerboard risk, in
 * words, at the layer's name; one on each argument PyTorch refuses for its type (`stride=2.0`, see
 * argumentTypes.ts); and one on each layer where a stack breaks (see stackFeatures.ts). Recomputed
 * a moment after typing stops (never on each keystroke), cleared when the document closes or the
 * setting turns it off.
 */
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from './diagnosticSource';
import type { DocumentAnalysis } from './documentAnalysis';
import { stackDiagnostics } from '../stack/stackFeatures';
import { LAYER_LANGUAGES, onEditorSettingsChanged, readEditorSettings } from '../common/settings';
import { argumentTypeWarnings } from '../../core/insight/argumentTypes';
import type { LayerInsight } from '../../core/insight/layerInsight';

export const UNEVEN_OVERLAP_CODE = 'uneven-overlap';
export const ARGUMENT_TYPE_CODE = 'argument-type';

/** How long after the last change a document is analysed again. */
const DEBOUNCE_MS = 300;

export class OverlapDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('layerLens');
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly analysis: DocumentAnalysis) {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((document) => this.update(document)),
      vscode.workspace.onDidChangeTextDocument((event) => this.schedule(event.document)),
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.cancel(document);
        this.collection.delete(document.uri);
      }),
      onEditorSettingsChanged(() => this.refreshAll()),
    ];
    // Not inside activation: each open document gets its own turn of the event loop just after.
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  private refreshAll(): void {
    for (const document of vscode.workspace.textDocuments) this.update(document);
  }

  private schedule(document: vscode.TextDocument, delayMs = DEBOUNCE_MS): void {
    if (!isLayerDocument(document)) return;
    this.cancel(document);
    const key = document.uri.toString();
    this.pending.set(key, setTimeout(() => {
      this.pending.delete(key);
      this.update(document);
    }, delayMs));
  }

  private cancel(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.delete(key);
  }

  private update(document: vscode.TextDocument): void {
    if (document.isClosed || !isLayerDocument(document)) return;
    const settings = readEditorSettings(document);
    if (!settings.diagnostics && !settings.stackDiagnostics) {
      this.collection.delete(document.uri);
      return;
    }
    const layers = settings.diagnostics ? this.analysis.layers(document, settings.layerInputSize) : [];
    const overlap = layers.filter((insight) => insight.overlap && !insight.overlap.verdict.even).map((insight) => diagnosticOf(document, insight, settings.diagnosticSeverity));
    const types = layers.flatMap((insight) => argumentTypeDiagnostics(document, insight));
    // Where a stack of layers breaks (channel mismatch, empty output): src/host/stack/stackFeatures.ts.
    const stacks = settings.stackDiagnostics ? stackDiagnostics(this.analysis, document) : [];
    this.collection.set(document.uri, [...overlap, ...types, ...stacks]);
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.collection.dispose();
  }
}

function isLayerDocument(document: vscode.TextDocument): boolean {
  return (LAYER_LANGUAGES as readonly string[]).includes(document.languageId);
}

function diagnosticOf(document: vscode.TextDocument, insight: LayerInsight, severity: vscode.DiagnosticSeverity): vscode.Diagnostic {
  const { call, overlap } = insight;
  // The layer's name: short, and where the eye looks for it.
  const range = new vscode.Range(document.positionAt(call.start), document.positionAt(call.open));
  const label = overlap?.label ?? 'uneven';
  const reason = overlap?.verdict.reason.replace(/^(uneven|gaps): /, '') ?? '';
  const message =
    `Overlap ${label}: ${reason}. Output cells receive different numbers of products, so even a constant input comes out ` +
    'with a checkerboard pattern. A kernel size divisible by the stride, or upsampling followed by a convolution, avoids it.';
  const diagnostic = new vscode.Diagnostic(range, message, severity);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = UNEVEN_OVERLAP_CODE;
  return diagnostic;
}

/** An error on each argument PyTorch refuses for its type: the layer as written never runs there. */
function argumentTypeDiagnostics(document: vscode.TextDocument, insight: LayerInsight): vscode.Diagnostic[] {
  return argumentTypeWarnings(insight.call).map((warning) => {
    const range = new vscode.Range(document.positionAt(warning.start), document.positionAt(warning.end));
    const diagnostic = new vscode.Diagnostic(range, `${warning.parameter}=${warning.text} ${warning.reason}.`, vscode.DiagnosticSeverity.Error);
    diagnostic.source = DIAGNOSTIC_SOURCE;
    diagnostic.code = ARGUMENT_TYPE_CODE;
    return diagnostic;
  });
}
