/**
 * Parse results per document version, shared by the hovers, CodeLens, diagnostics and quick fixes:
 * a document is parsed once per edit however often it is hovered. Matrix look-ups are cached by
 * the literal's range, because a cursor deep in a huge literal costs tens of milliseconds to
 * resolve and a hover moves within the same literal. Entries go when their document closes.
 */
import * as vscode from 'vscode';
import { DocumentInsights, type LayerInsight } from '../../core/insight/layerInsight';
import { localRegions } from '../../core/insight/localRegions';
import { partialCallAt } from '../../core/insight/partialLayer';
import { analyzeStack, type StackAnalysis } from '../../core/insight/stackShapes';
import { findMatrices, findMatrixAt, type FoundMatrix, type LayerCall } from '../../core/parse/index';
import { findLayerStacks, stackContext, type LayerStack, type StackContext } from '../../core/parse/layerStacks';
import { ParseError } from '../../core/parse/errors';
import { readingLanguage } from '../common/documentLanguage';

interface Entry {
  /**
   * The document read: an untitled document opened after another closed may get its URI back
   * (at version 1 too) before the close is heard, so the object itself tells them apart.
   */
  readonly document: vscode.TextDocument;
  readonly version: number;
  readonly languageId: string;
  text?: string;
  /** The language its matrices are read in (`null`: none, an Objective-C `.m` file), once asked for. */
  matrixLanguage?: string | null;
  layers?: { readonly inputSize: number; readonly insights: DocumentInsights };
  /** A long Python file's calls read around top-level definitions (localRegions.ts): each span `[from, to)` and its insights. */
  local?: { readonly inputSize: number; readonly spans: { readonly from: number; readonly to: number; readonly insights: DocumentInsights }[] };
  /** The stacks of layers, once asked for, and their analyses for the code's own input size. */
  stacks?: { readonly context: StackContext; readonly found: readonly LayerStack[]; readonly analyses: Map<LayerStack, StackAnalysis> };
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

  /** The layer call at `offset` with what Layer Lens knows about it; only that call is analysed. */
  layerAt(document: vscode.TextDocument, offset: number, inputSize: number): LayerInsight | undefined {
    return this.insightsAround(document, offset, inputSize).at(offset);
  }

  /** The half-typed layer call (its `(` not closed) at `offset`, if any. */
  partialLayerAt(document: vscode.TextDocument, offset: number, inputSize: number): LayerCall | undefined {
    return partialCallAt(this.insightsAround(document, offset, inputSize).partial, offset);
  }

  /**
   * What answers for the call at `offset`: the whole document's insights when they are known, else,
   * in a long Python file, those of the top-level definition around it (what a hover needs, in a
   * few milliseconds instead of a few hundred), else the whole document's.
   */
  private insightsAround(document: vscode.TextDocument, offset: number, inputSize: number): DocumentInsights {
    return this.spanAround(document, offset, inputSize)?.insights ?? this.insights(document, inputSize);
  }

  /** The definition read around `offset` (see insightsAround); undefined when the whole document is read. */
  private spanAround(document: vscode.TextDocument, offset: number, inputSize: number): { readonly to: number; readonly insights: DocumentInsights } | undefined {
    const entry = this.entry(document);
    if (entry.layers?.inputSize === inputSize) return undefined;
    if (entry.local?.inputSize !== inputSize) entry.local = { inputSize, spans: [] };
    // Another place in a definition already read: no need to look for the definition again (a scan of the text before it).
    const known = entry.local.spans.find((span) => span.from <= offset && offset < span.to);
    if (known) return known;
    const text = this.text(document);
    const local = localRegions(text, offset, document.languageId);
    if (!local) return undefined;
    const span = { from: local.from, to: local.to, insights: new DocumentInsights(text, document.languageId, inputSize, local.regions) };
    entry.local.spans.push(span);
    return span;
  }

  /** The layer calls that overlap `[start, end]` with what Layer Lens knows about them; only those are analysed. */
  layersIn(document: vscode.TextDocument, start: number, end: number, inputSize: number): readonly LayerInsight[] {
    const span = this.spanAround(document, start, inputSize);
    // A range within one top-level definition is read around it, like a hover; a longer one whole.
    return (span && end < span.to ? span.insights : this.insights(document, inputSize)).overlapping(start, end);
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
      entry.stacks = { context, found: findLayerStacks(text, document.languageId, context), analyses: new Map() };
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

  /** The language the document's matrices are read in: `matlab` for a MATLAB `.m` file VS Code opened as Objective-C; undefined when they are not read. */
  matrixLanguage(document: vscode.TextDocument): string | undefined {
    const entry = this.entry(document);
    entry.matrixLanguage ??= readingLanguage(document, this.text(document)) ?? null;
    return entry.matrixLanguage ?? undefined;
  }

  /** Every well-formed matrix literal of the document, in order. */
  matrices(document: vscode.TextDocument): readonly FoundMatrix[] {
    const entry = this.entry(document);
    const language = this.matrixLanguage(document);
    entry.all ??= language === undefined ? [] : findMatrices(this.text(document), language);
    return entry.all;
  }

  /** The matrix literal at `offset`, or undefined (also for a malformed one: a hover does not explain parse errors). */
  matrixAt(document: vscode.TextDocument, offset: number): FoundMatrix | undefined {
    const entry = this.entry(document);
    const known = entry.matrices.find((m) => m.start <= offset && offset <= m.end);
    if (known) return known;
    const language = this.matrixLanguage(document);
    if (language === undefined) return undefined;
    try {
      const found = findMatrixAt(this.text(document), offset, language);
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
