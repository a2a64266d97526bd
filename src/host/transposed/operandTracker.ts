/**
 * Keeps a panel live: follows the input and kernel literals it shows through edits of their
 * documents, and after the user pauses typing re-reads them, so the panel shows the new numbers, or
 * says why the source no longer reads as a matrix (keeping the last good drawing).
 */
import * as vscode from 'vscode';
import { uriBaseName } from '../common/uriName';
import { Disposable } from '../kit/dispose';
import type { Tensor } from '../../core/engine/tensor';
import { ParseError } from '../../core/parse/errors';
import { findMatrixAt, notationForLanguage, parseMatrix } from '../../core/parse/index';
import type { MatrixView } from '../../core/protocol/common';
import { operandView } from './operandShapes';
import { shiftRange, type OffsetRange } from './rangeShift';

/** Where an operand came from: a literal found around the cursor, or a selected range read as one. */
export interface OperandSource {
  readonly document: vscode.TextDocument;
  readonly range: vscode.Range;
  readonly kind: 'literal' | 'selection';
}

export type OperandReading =
  | { readonly ok: true; readonly matrix: MatrixView; readonly caption: string }
  | { readonly ok: false; readonly problem: string };

/** Waits this long after the last keystroke before re-reading. */
const DEBOUNCE_MS = 300;

class TrackedOperand {
  private range: OffsetRange;

  constructor(
    readonly role: 'input' | 'kernel',
    readonly uri: string,
    private readonly kind: OperandSource['kind'],
    document: vscode.TextDocument,
    range: vscode.Range,
  ) {
    this.range = { start: document.offsetAt(range.start), end: document.offsetAt(range.end) };
  }

  follow(changes: readonly vscode.TextDocumentContentChangeEvent[]): void {
    this.range = shiftRange(this.range, changes);
  }

  read(document: vscode.TextDocument): OperandReading {
    const text = document.getText();
    const where = (offset: number) => `${uriBaseName(document.uri)}:${document.positionAt(offset).line + 1}`;
    try {
      if (this.kind === 'selection') {
        const { shape, data } = parseMatrix(text.slice(this.range.start, this.range.end), notationForLanguage(document.languageId));
        return asMatrix(this.role, { shape, data }, where(this.range.start));
      }
      // The cursor on a literal's first character finds that literal (or its constructor call).
      const found = findMatrixAt(text, this.range.start, document.languageId);
      if (!found) {
        // Not a literal any more: the parser's reading of the text that was one says why (`5x` is not a number).
        parseMatrix(text.slice(this.range.start, this.range.end), notationForLanguage(document.languageId));
        return { ok: false, problem: `The ${this.role} at ${where(this.range.start)} is no longer a matrix.` };
      }
      this.range = { start: found.start, end: found.end };
      return asMatrix(this.role, { shape: found.shape, data: found.data }, where(found.start));
    } catch (error) {
      if (error instanceof ParseError) return { ok: false, problem: `The ${this.role} at ${where(this.range.start)} cannot be read: ${error.message}.` };
      throw error;
    }
  }
}

/** The operand as the panel holds it: a matrix (a flat list is one row) or matrices with channel axes. */
function asMatrix(role: 'input' | 'kernel', tensor: Tensor, caption: string): OperandReading {
  const reading = operandView(role, tensor, caption);
  return reading.ok ? { ok: true, matrix: reading.value, caption } : { ok: false, problem: reading.problem };
}

export interface OperandUpdate {
  readonly input?: OperandReading;
  readonly kernel?: OperandReading;
}

/** Follows the operands that came from documents, and reports their new readings after edits. */
export class OperandTracker extends Disposable {
  private readonly operands: TrackedOperand[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private listening: vscode.Disposable | undefined;

  constructor(sources: { readonly input?: OperandSource; readonly kernel?: OperandSource }, private readonly onUpdate: (update: OperandUpdate) => void) {
    super();
    for (const role of ['input', 'kernel'] as const) this.replace(role, sources[role]);
  }

  /** Follows `source` for `role` from now on (or nothing, for an operand that was typed), leaving the other operand followed as it is. */
  replace(role: 'input' | 'kernel', source: OperandSource | undefined): void {
    const index = this.operands.findIndex((operand) => operand.role === role);
    if (index >= 0) this.operands.splice(index, 1);
    if (!source) return;
    this.operands.push(new TrackedOperand(role, source.document.uri.toString(), source.kind, source.document, source.range));
    this.listening ??= this.register(vscode.workspace.onDidChangeTextDocument((event) => this.changed(event)));
  }

  private changed(event: vscode.TextDocumentChangeEvent): void {
    const uri = event.document.uri.toString();
    const affected = this.operands.filter((operand) => operand.uri === uri);
    if (affected.length === 0 || event.contentChanges.length === 0) return;
    for (const operand of affected) operand.follow(event.contentChanges);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.isDisposed) return;
      const update: { input?: OperandReading; kernel?: OperandReading } = {};
      for (const operand of affected) update[operand.role] = operand.read(event.document);
      this.onUpdate(update);
    }, DEBOUNCE_MS);
  }

  override dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    super.dispose();
  }
}
