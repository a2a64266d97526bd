/**
 * A status bar item with the shape of the matrix at the cursor (`$(symbol-array) 4×4`), shown only
 * while the active document holds a matrix; clicking it opens the panel on that matrix (a 2×2
 * kernel of ones and the default stride, to change there). It reads the editor features' parse
 * cache, a moment after the cursor stops moving, so typing and scrolling never wait for it. Off
 * with `layerLens.statusBar.enabled`.
 */
import * as vscode from 'vscode';
import { COMMAND } from '../contributed';
import type { DocumentAnalysis } from './documentAnalysis';
import { MATRIX_LANGUAGES, onEditorSettingsChanged, readEditorSettings, readSettings } from '../common/settings';

/** How long after the last cursor move or edit the item is updated. */
const DEBOUNCE_MS = 150;
/** Documents longer than this are not parsed for the item (a hover still works in them). */
const MAX_CHARACTERS = 2_000_000;

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

  constructor(private readonly analysis: DocumentAnalysis) {
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
      this.update();
    }, DEBOUNCE_MS);
  }

  private update(): void {
    this.apply(this.describe());
  }

  /** What the item should show for the active editor now, or undefined to hide it. */
  private describe(): ItemState | undefined {
    const editor = vscode.window.activeTextEditor;
    const document = editor?.document;
    if (
      !editor ||
      !document ||
      !readEditorSettings(document).statusBar ||
      !(MATRIX_LANGUAGES as readonly string[]).includes(document.languageId) ||
      document.getText().length > MAX_CHARACTERS
    ) {
      return undefined;
    }
    // The literal at the cursor first (about a millisecond); the whole document is read (once per
    // version, shared with the CodeLens) only when the cursor is on none.
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
    const count = this.analysis.matrices(document).length;
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
