/**
 * Parse results per document version, shared by the hovers, CodeLens, diagnostics and quick fixes:
 * a document is parsed once per edit however often it is hovered. Matrix look-ups are cached by
 * the literal's range, because a cursor deep in a huge literal costs tens of milliseconds to
 * resolve and a hover moves within the same literal. Entries go when their document closes.
 */
import * as vscode from 'vscode';
import { DocumentInsights, type LayerInsight } from '../../core/insight/layerInsight';
import { analyzeStack, type StackAnalysis } from '../../core/insight/stackShapes';
import { findMatrices, findMatrixAt, type FoundMatrix } from '../../core/parse/index';
import { findLayerStacks, stackContext, type LayerStack, type StackContext } from '../../core/parse/layerStacks';
import { ParseError } from '../../core/parse/errors';

interface Entry {
  /**
   * The document read: an untitled document opened after another closed may get its URI back
   * (at version 1 too) before the close is heard, so the object itself tells them apart.
   */
  readonly document: vscode.TextDocument;
  readonly version: number;
  readonly languageId: string;
  text?: string;
  layers?: { readonly inputSize: number; readonly insights: DocumentInsights };
  /** The stacks of layers, once asked for, and their analyses for the code's own input size. */
  stacks?: { readonly context: StackContext; readonly found: readonly LayerStack[]; readonly analyses: Map<LayerStack, StackAnalysis>; readonly checks: Map<LayerStack, StackAnalysis> };
  /** Every literal of the document, once asked for. */
  all?: readonly FoundMatrix[];
  /** Literals found so far, any order. */
  readonly matrices: FoundMatrix[];
}

export class DocumentAnalysis implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly closing: vscode.Disposable;

  constructor() {
    this.closing = vscode.workspace.onDidCloseTextDocument((document) => this.entries.delete(document.uri.toString()));
  }

  private entry(document: vscode.TextDocument): Entry {
    const key = document.uri.toString();
    const cached = this.entries.get(key);
    if (cached && cached.document === document && cached.version === document.version && cached.languageId === document.languageId) return cached;
    const fresh: Entry = { document, version: document.version, languageId: document.languageId, matrices: [] };
    this.entries.set(key, fresh);
    return fresh;
  }

  text(document: vscode.TextDocument): string {
    const entry = this.entry(document);
    entry.text ??= document.getText();
    return entry.text;
  }

  /** Every complete layer call of the document with what Layer Lens knows about it. */
  layers(document: vscode.TextDocument, inputSize: number): readonly LayerInsight[] {
    return this.insights(document, inputSize).all();
  }

  /** The layer call at `offset` with what Layer Lens knows about it; only that call is analysed. */
  layerAt(document: vscode.TextDocument, offset: number, inputSize: number): LayerInsight | undefined {
    return this.insights(document, inputSize).at(offset);
  }

  /** The layer calls that overlap `[start, end]` with what Layer Lens knows about them; only those are analysed. */
  layersIn(document: vscode.TextDocument, start: number, end: number, inputSize: number): readonly LayerInsight[] {
    return this.insights(document, inputSize).overlapping(start, end);
  }

  private insights(document: vscode.TextDocument, inputSize: number): DocumentInsights {
    const entry = this.entry(document);
    if (!entry.layers || entry.layers.inputSize !== inputSize) {
      entry.layers = { inputSize, insights: new DocumentInsights(this.text(document), document.languageId, inputSize) };
    }
    return entry.layers.insights;
  }

  /** The document's stacks of layers, with what they are read with (its layer calls and constants). */
  stacks(document: vscode.TextDocument): { readonly context: StackContext; readonly found: readonly LayerStack[] } {
    const entry = this.entry(document);
    if (!entry.stacks) {
      const text = this.text(document);
      const context = stackContext(text, document.languageId);
      entry.stacks = { context, found: findLayerStacks(text, document.languageId, context), analyses: new Map(), checks: new Map() };
    }
    return entry.stacks;
  }

  /** A stack of this document analysed for the input size its code states (or symbolic); cached per version. */
  stackAnalysis(document: vscode.TextDocument, stack: LayerStack): StackAnalysis {
    const stacks = this.stacks(document) as NonNullable<Entry['stacks']>;
    let analysis = stacks.analyses.get(stack);
    if (!analysis) {
      analysis = analyzeStack(stack, stacks.context.constants);
      stacks.analyses.set(stack, analysis);
    }
    return analysis;
  }

  /** A stack analysed for its problems only (symbolic sizes left as `?`): what diagnostics need, at a fraction of the cost. */
  stackCheck(document: vscode.TextDocument, stack: LayerStack): StackAnalysis {
    const stacks = this.stacks(document) as NonNullable<Entry['stacks']>;
    let analysis = stacks.analyses.get(stack) ?? stacks.checks.get(stack);
    if (!analysis) {
      analysis = analyzeStack(stack, stacks.context.constants, undefined, { symbolicSizes: false });
      stacks.checks.set(stack, analysis);
    }
    return analysis;
  }

  /** Every well-formed matrix literal of the document, in order. */
  matrices(document: vscode.TextDocument): readonly FoundMatrix[] {
    const entry = this.entry(document);
    entry.all ??= findMatrices(this.text(document), document.languageId);
    return entry.all;
  }

  /** The matrix literal at `offset`, or undefined (also for a malformed one: a hover does not explain parse errors). */
  matrixAt(document: vscode.TextDocument, offset: number): FoundMatrix | undefined {
    const entry = this.entry(document);
    const known = entry.matrices.find((m) => m.start <= offset && offset <= m.end);
    if (known) return known;
    try {
      const found = findMatrixAt(this.text(document), offset, document.languageId);
      if (found) entry.matrices.push(found);
      return found;
    } catch (error) {
      if (error instanceof ParseError) return undefined;
      throw error;
    }
  }

  dispose(): void {
    this.closing.dispose();
    this.entries.clear();
  }
}
