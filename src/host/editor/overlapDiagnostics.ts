/**
 * A diagnostic on each transposed convolution whose overlap is uneven: the checkerboard risk, in
 * words, at the layer's name; one on each argument PyTorch refuses for its type (`stride=2.0`, see
 * argumentTypes.ts); and one on each layer where a stack breaks. All come from the document summary
 * the worker reads (documentSummaries.ts), a moment after typing stops (never on each keystroke);
 * cleared when the document closes or the setting turns it off.
 */
import * as vscode from 'vscode';
import { ARGUMENT_TYPE_CODE, DIAGNOSTIC_SOURCE, UNEVEN_OVERLAP_CODE } from './diagnosticSource';
import type { DocumentSummaries } from './documentSummaries';
import { LAYER_LANGUAGES, onEditorSettingsChanged, readEditorSettings } from '../common/settings';
import type { DocumentSummary } from '../../core/insight/documentSummary';

/** How long after the last change a document is analysed again. */
const DEBOUNCE_MS = 300;

export class OverlapDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('layerLens');
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly summaries: DocumentSummaries) {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((document) => void this.update(document)),
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
    for (const document of vscode.workspace.textDocuments) void this.update(document);
  }

  private schedule(document: vscode.TextDocument, delayMs = DEBOUNCE_MS): void {
    if (!isLayerDocument(document)) return;
    this.cancel(document);
    const key = document.uri.toString();
    this.pending.set(key, setTimeout(() => {
      this.pending.delete(key);
      void this.update(document);
    }, delayMs));
  }

  private cancel(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.delete(key);
  }

  private async update(document: vscode.TextDocument): Promise<void> {
    if (document.isClosed || !isLayerDocument(document)) return;
    const settings = readEditorSettings(document);
    if (!settings.diagnostics && !settings.stackDiagnostics) {
      this.collection.delete(document.uri);
      return;
    }
    const version = document.version;
    const summary = await this.summaries.summary(document, settings.layerInputSize);
    // Superseded by an edit (whose own update follows), or closed meanwhile.
    if (!summary || document.isClosed || document.version !== version) return;
    const overlap = settings.diagnostics
      ? summary.layers.filter((layer) => !layer.overlap.even).map((layer) => overlapDiagnostic(document, layer, settings.diagnosticSeverity))
      : [];
    const types = settings.diagnostics ? summary.argumentProblems.map((problem) => argumentTypeDiagnostic(document, problem)) : [];
    // Where a stack of layers breaks (channel mismatch, empty output).
    const stacks = settings.stackDiagnostics ? summary.stackProblems.map((problem) => stackDiagnostic(document, problem)) : [];
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

function overlapDiagnostic(document: vscode.TextDocument, layer: DocumentSummary['layers'][number], severity: vscode.DiagnosticSeverity): vscode.Diagnostic {
  const { overlap } = layer;
  // The layer's name: short, and where the eye looks for it.
  const range = new vscode.Range(document.positionAt(layer.start), document.positionAt(layer.open));
  const label = overlap.label;
  const reason = overlap.reason.replace(/^(uneven|gaps): /, '');
  const message =
    `Overlap ${label}: ${reason}. Output cells receive different numbers of products, so even a constant input comes out ` +
    'with a checkerboard pattern. A kernel size divisible by the stride, or upsampling followed by a convolution, avoids it.';
  const diagnostic = new vscode.Diagnostic(range, message, severity);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = UNEVEN_OVERLAP_CODE;
  return diagnostic;
}

/** Where a stack breaks, with the element before it as related information. */
function stackDiagnostic(document: vscode.TextDocument, problem: DocumentSummary['stackProblems'][number]): vscode.Diagnostic {
  const span = (start: number, end: number) => new vscode.Range(document.positionAt(start), document.positionAt(end));
  const diagnostic = new vscode.Diagnostic(span(problem.start, problem.end), problem.message, vscode.DiagnosticSeverity.Error);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = problem.code;
  if (problem.before) {
    diagnostic.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(document.uri, span(problem.before.start, problem.before.end)), 'the element before it')];
  }
  return diagnostic;
}

/** An error on an argument PyTorch refuses for its type: the layer as written never runs there. */
function argumentTypeDiagnostic(document: vscode.TextDocument, problem: DocumentSummary['argumentProblems'][number]): vscode.Diagnostic {
  const range = new vscode.Range(document.positionAt(problem.start), document.positionAt(problem.end));
  const diagnostic = new vscode.Diagnostic(range, problem.message, vscode.DiagnosticSeverity.Error);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = ARGUMENT_TYPE_CODE;
  return diagnostic;
}
