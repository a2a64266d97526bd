/**
 * The host's link from a panel operand to the literal it was read from: the document, the notation
 * the parser reported, and the literal's range, kept up to date as the document is edited (edits
 * before it shift it, edits inside it stretch it). Before anything is written, the literal is read
 * again at that range: the document is the truth, and a literal that no longer reads as a matrix
 * is reported, never overwritten.
 */
import * as vscode from 'vscode';
import { uriBaseName } from '../common/uriName';
import type { Tensor } from '../../core/engine/tensor';
import { ParseError, type Notation } from '../../core/parse/index';
import { checkTextLength, parseRange } from '../../core/parse/parseMatrix';
import { shiftRange } from './rangeShift';

/** The literal as it is in the document now. */
export interface CurrentLiteral {
  readonly document: vscode.TextDocument;
  readonly range: vscode.Range;
  readonly text: string;
  readonly tensor: Tensor;
}

export class LiteralLink implements vscode.Disposable {
  private start: number;
  private end: number;
  /** The document version the range is known to be right for. */
  private version: number;
  /** Why the range can no longer be trusted (an edit across its edges), if so. */
  private broken: string | undefined;
  private readonly listener: vscode.Disposable;
  readonly uri: vscode.Uri;

  constructor(
    document: vscode.TextDocument,
    range: vscode.Range,
    readonly notation: Notation,
  ) {
    this.uri = document.uri;
    this.start = document.offsetAt(range.start);
    this.end = document.offsetAt(range.end);
    this.version = document.version;
    this.listener = vscode.workspace.onDidChangeTextDocument((event) => this.follow(event));
  }

  /** `model.py:5`: the line the literal starts on now (just the file name when that is unknown). */
  place(): string {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.uri.toString());
    const line = document && !this.broken ? document.positionAt(this.start).line + 1 : undefined;
    return `${uriBaseName(this.uri)}${line === undefined ? '' : `:${line}`}`;
  }

  /** Applies the document's edits to the tracked range. */
  private follow(event: vscode.TextDocumentChangeEvent): void {
    if (event.document.uri.toString() !== this.uri.toString()) return;
    const shifted = shiftRange({ start: this.start, end: this.end }, event.contentChanges);
    this.start = shifted.start;
    this.end = shifted.end;
    if (shifted.crossedBorder) this.broken = 'was edited across its first or last character';
    this.version = event.document.version;
  }

  /**
   * The literal as the document holds it now, or a sentence saying why it cannot be read: the
   * document is gone, the literal was edited across its edges, or its text no longer parses.
   */
  async read(role: string): Promise<CurrentLiteral | string> {
    let document: vscode.TextDocument;
    try {
      document = await vscode.workspace.openTextDocument(this.uri);
    } catch (error) {
      return `The ${role} came from ${this.place()}, which cannot be opened any more (${error instanceof Error ? error.message : String(error)}).`;
    }
    if (this.broken) return `The ${role} literal in ${this.place()} ${this.broken}, so Layer Lens no longer knows where it is. Run “Layer Lens: Transposed Convolution (ConvTranspose2d)” on it again.`;
    // A version we did not see (the document was closed and reopened, or reloaded from disk): the
    // range is checked by reading it again below, like every time.
    const stale = document.version !== this.version;
    const range = new vscode.Range(document.positionAt(this.start), document.positionAt(this.end));
    const text = document.getText(range);
    try {
      checkTextLength(text);
      const { tensor } = parseRange(text, 0, text.length, this.notation);
      return { document, range, text, tensor };
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      const why = stale ? 'the document changed while Layer Lens was not following it, and' : '';
      return `The ${role} literal at ${this.place()} has changed: ${why} its text no longer reads as a matrix (${error.message}). Nothing was changed; run “Layer Lens: Transposed Convolution (ConvTranspose2d)” on it again.`;
    }
  }

  dispose(): void {
    this.listener.dispose();
  }
}
