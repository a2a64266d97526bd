/**
 * A diagnostic on each transposed convolution whose overlap is uneven: the checkerboard risk, in
 * words, at the layer's name; one on each argument PyTorch refuses for its type (`stride=2.0`, see
 * argumentTypes.ts); and one on each layer where a stack breaks. All come from the document summary
 * the worker reads (documentSummaries.ts), a moment after typing stops (never on each keystroke);
 * cleared when the document closes or the setting turns it off.
 */
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE, UNEVEN_OVERLAP_CODE } from './diagnosticSource';
import type { DocumentSummaries } from './documentSummaries';
import { LAYER_LANGUAGES, onEditorSettingsChanged, readEditorSettings } from '../common/settings';
import { documentDiagnostics, type LayerDiagnostic, type SeverityName } from '../../core/insight/documentDiagnostics';

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
    // What to report is decided in the core (shared with the command line); here offsets become ranges.
    const diagnostics = documentDiagnostics(summary, { overlap: settings.diagnostics, overlapSeverity: 'information', stacks: settings.stackDiagnostics });
    this.collection.set(
      document.uri,
      diagnostics.map((d) => toDiagnostic(document, d, d.rule === UNEVEN_OVERLAP_CODE ? settings.diagnosticSeverity : SEVERITY[d.severity])),
    );
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

const SEVERITY: Readonly<Record<SeverityName, vscode.DiagnosticSeverity>> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** A core diagnostic at its range, with its related place (the element before a stack's break). */
function toDiagnostic(document: vscode.TextDocument, d: LayerDiagnostic, severity: vscode.DiagnosticSeverity): vscode.Diagnostic {
  const span = (start: number, end: number) => new vscode.Range(document.positionAt(start), document.positionAt(end));
  const diagnostic = new vscode.Diagnostic(span(d.start, d.end), d.message, severity);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = d.rule;
  if (d.related) diagnostic.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(document.uri, span(d.related.start, d.related.end)), d.related.message)];
  return diagnostic;
}
