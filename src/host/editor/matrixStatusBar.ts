/**
 * A status bar item with the shape of the matrix at the cursor (`$(symbol-array) 4×4`), shown only
 * while the active document holds a matrix; clicking it opens the panel on that matrix (a 2×2
 * kernel of ones and the default stride, to change there). It reads the literal at the cursor a
 * moment after the cursor stops moving, so typing and scrolling never wait for it; the count of a
 * document's matrices comes from the document summary the worker reads (documentSummaries.ts).
 * Off with `layerLens.statusBar.enabled`.
 */
import * as vscode from 'vscode';
import { COMMAND } from '../contributed';
import type { DocumentAnalysis } from './documentAnalysis';
import { SUMMARY_MAX_CHARACTERS, type DocumentSummaries } from './documentSummaries';
import { STATUS_BAR_LANGUAGES, onEditorSettingsChanged, readEditorSettings, readSettings } from '../common/settings';

/** How long after the last cursor move or edit the item is updated. */
const DEBOUNCE_MS = 150;

/** What the item shows; `stride` is set when a click opens the matrix at the cursor. */
interface ItemState {
  readonly text: string;
  readonly tooltip: string;
  readonly label: string;
  readonly stride?: number;
}

export class MatrixStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('layerLens.matrixShape', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** What the item shows, as the JSON of its {@link ItemState} (`null`: hidden). */
  private shown: string | undefined;
  /** Counts updates, so that one still waiting for a summary does not overwrite a newer one. */
  private updates = 0;

  constructor(
    private readonly analysis: DocumentAnalysis,
    private readonly summaries: DocumentSummaries,
  ) {
    this.item.name = 'Layer Lens: Matrix Shape';
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule()),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        if (event.textEditor === vscode.window.activeTextEditor) this.schedule();
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document === vscode.window.activeTextEditor?.document) this.schedule();
      }),
      onEditorSettingsChanged(() => this.schedule()),
    ];
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.update();
    }, DEBOUNCE_MS);
  }

  private async update(): Promise<void> {
    const update = ++this.updates;
    const state = await this.describe();
    if (update === this.updates) this.apply(state);
  }

  /** What the item should show for the active editor now, or undefined to hide it. */
  private async describe(): Promise<ItemState | undefined> {
    const editor = vscode.window.activeTextEditor;
    const document = editor?.document;
    if (
      !editor ||
      !document ||
      !readEditorSettings(document).statusBar ||
      !STATUS_BAR_LANGUAGES.includes(document.languageId) ||
      this.analysis.text(document).length > SUMMARY_MAX_CHARACTERS ||
      // An Objective-C `.m` file: its matrices are not read.
      this.analysis.matrixLanguage(document) === undefined
    ) {
      return undefined;
    }
    // The literal at the cursor (about a millisecond); the count when the cursor is on none comes from
    // the worker's summary of the document, shared with the CodeLens and the diagnostics.
    const matrix = this.analysis.matrixAt(document, document.offsetAt(editor.selection.active));
    if (matrix) {
      const shape = matrix.shape.join('×');
      const stride = readSettings(document).defaultStride;
      return {
        text: `$(symbol-array) ${shape}`,
        tooltip: `Layer Lens: the matrix at the cursor is ${shape}. Click to open it in the Layer Lens panel (2×2 kernel of ones, stride ${stride}).`,
        label: `Matrix at the cursor: ${matrix.shape.join(' by ')}`,
        stride,
      };
    }
    const count = (await this.summaries.summary(document, readEditorSettings(document).layerInputSize))?.matrices.length ?? 0;
    if (count === 0) return undefined;
    const matrices = `${count} ${count === 1 ? 'matrix' : 'matrices'}`;
    return { text: `$(symbol-array) ${matrices}`, tooltip: 'Layer Lens: put the cursor in a matrix to see its shape.', label: `${matrices} in this document` };
  }

  /**
   * Changes the item only when what it shows changes: every change is a message to the workbench
   * and a status bar redraw, and the cursor moves within the same literal most of the time.
   */
  private apply(state: ItemState | undefined): void {
    const key = JSON.stringify(state ?? null);
    if (key === this.shown) return;
    this.shown = key;
    if (!state) {
      this.item.hide();
      return;
    }
    this.item.text = state.text;
    this.item.tooltip = state.tooltip;
    this.item.accessibilityInformation = { label: state.label, ...(state.stride !== undefined ? { role: 'button' } : {}) };
    this.item.command =
      state.stride !== undefined ? { title: 'Open in Layer Lens', command: COMMAND.transposedConvolution, arguments: [{ kernel: [[1, 1], [1, 1]], stride: state.stride }] } : undefined;
    this.item.show();
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }
}
