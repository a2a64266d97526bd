/**
 * A status bar item with the shape of the matrix at the cursor (`$(symbol-array) 4×4`), shown only
 * while the active document holds a matrix; clicking it opens the panel on that matrix (a 2×2
 * kernel of ones and the default stride, to change there). It reads the editor features' parse
 * cache, a moment after the cursor stops moving, so typing and scrolling never wait for it. Off
 * with `layerLens.statusBar.enabled`.
 */
import * as vscode from 'vscode';
import { TRANSPOSED_CONVOLUTION_COMMAND } from '../commands/transposedConvolution';
import { readSettings } from '../config';
import type { DocumentAnalysis } from './documentAnalysis';
import { MATRIX_LANGUAGES, onEditorSettingsChanged, readEditorSettings } from './settings';

/** How long after the last cursor move or edit the item is updated. */
const DEBOUNCE_MS = 150;
/** Documents longer than this are not parsed for the item (a hover still works in them). */
const MAX_CHARACTERS = 2_000_000;

export class MatrixStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('layerLens.matrixShape', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[];
  private timer: ReturnType<typeof setTimeout> | undefined;

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
    const editor = vscode.window.activeTextEditor;
    const document = editor?.document;
    if (
      !editor ||
      !document ||
      !readEditorSettings(document).statusBar ||
      !(MATRIX_LANGUAGES as readonly string[]).includes(document.languageId) ||
      document.getText().length > MAX_CHARACTERS
    ) {
      this.item.hide();
      return;
    }
    // The literal at the cursor first (about a millisecond); the whole document is read (once per
    // version, shared with the CodeLens) only when the cursor is on none.
    const matrix = this.analysis.matrixAt(document, document.offsetAt(editor.selection.active));
    if (!matrix && this.analysis.matrices(document).length === 0) {
      this.item.hide();
      return;
    }
    if (matrix) {
      const shape = matrix.shape.join('×');
      const stride = readSettings(document).defaultStride;
      this.item.text = `$(symbol-array) ${shape}`;
      this.item.tooltip = `Layer Lens: the matrix at the cursor is ${shape}. Click to open it in the Layer Lens panel (2×2 kernel of ones, stride ${stride}).`;
      this.item.accessibilityInformation = { label: `Matrix at the cursor: ${matrix.shape.join(' by ')}`, role: 'button' };
      this.item.command = { title: 'Open in Layer Lens', command: TRANSPOSED_CONVOLUTION_COMMAND, arguments: [{ kernel: [[1, 1], [1, 1]], stride }] };
    } else {
      const count = this.analysis.matrices(document).length;
      this.item.text = `$(symbol-array) ${count} ${count === 1 ? 'matrix' : 'matrices'}`;
      this.item.tooltip = 'Layer Lens: put the cursor in a matrix to see its shape.';
      this.item.accessibilityInformation = { label: `${count} ${count === 1 ? 'matrix' : 'matrices'} in this document` };
      this.item.command = undefined;
    }
    this.item.show();
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }
}
