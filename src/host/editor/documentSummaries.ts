/**
 * The whole-document summaries the CodeLens, the diagnostics and the status bar show
 * (src/core/insight/documentSummary.ts), computed in a worker of their own so that the extension
 * host, which every extension shares, only turns offsets into ranges: a hover asked for while a
 * 10,000-line file is being read is answered at once instead of after it.
 *
 * One summary per document version and input size, shared by everyone who asks. The worker reads
 * one document at a time; while it does, only the newest version of each document waits, and an
 * older one still waiting is answered `undefined` (superseded), so typing in a long file never
 * builds a queue. A document just opened waits a second first (SETTLE_MS).
 */
import * as vscode from 'vscode';
import { SUMMARY_MAX_CHARACTERS, type DocumentSummary, type SummaryRequest } from '../../core/insight/documentSummary';
import type { EngineWorkerClient } from '../worker/engineWorkerClient';
import { LAYER_LANGUAGES, readEditorSettings } from '../common/settings';
import type { DocumentAnalysis } from './documentAnalysis';

// Documents longer than this get no summary (no CodeLens, diagnostics or matrix count); the limit
// lives in the core, where the command line's check keeps it too.
export { SUMMARY_MAX_CHARACTERS };

/**
 * A document just opened is read this long after it opened: a hover asked at once (the pointer is
 * often already over the code) then has the extension host, the workbench and the cores to itself,
 * instead of arriving while a thousand CodeLens and diagnostics are being read and drawn.
 */
const SETTLE_MS = 1000;

const NOTHING: DocumentSummary = { layers: [], argumentProblems: [], matrices: [], stacks: [], stackProblems: [] };

interface Waiting {
  readonly document: vscode.TextDocument;
  readonly key: string;
  readonly request: SummaryRequest;
  readonly callers: ((summary: DocumentSummary | undefined) => void)[];
}

interface Known {
  readonly document: vscode.TextDocument;
  readonly key: string;
  readonly summary: Promise<DocumentSummary | undefined>;
}

export class DocumentSummaries implements vscode.Disposable {
  private readonly known = new Map<string, Known>();
  private readonly waiting = new Map<string, Waiting>();
  private busy = false;
  private readonly closing: vscode.Disposable;
  private readonly opening: vscode.Disposable;
  /** When each document opened, while it is settling (see SETTLE_MS). */
  private readonly openedAt = new Map<string, number>();
  private settling: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly worker: EngineWorkerClient,
    private readonly analysis: DocumentAnalysis,
  ) {
    this.opening = vscode.workspace.onDidOpenTextDocument((document) => this.openedAt.set(document.uri.toString(), Date.now()));
    this.closing = vscode.workspace.onDidCloseTextDocument((document) => {
      const uri = document.uri.toString();
      this.openedAt.delete(uri);
      this.known.delete(uri);
      this.waiting.get(uri)?.callers.forEach((answer) => answer(undefined));
      this.waiting.delete(uri);
    });
  }

  /**
   * The summary of `document` as it is now, read with `inputSize` for layers whose code states none;
   * `undefined` when a newer version replaced it before it was read, or the worker failed (logged).
   */
  summary(document: vscode.TextDocument, inputSize: number): Promise<DocumentSummary | undefined> {
    if (this.analysis.text(document).length > SUMMARY_MAX_CHARACTERS) return Promise.resolve(NOTHING);
    const uri = document.uri.toString();
    const matrixLanguage = this.analysis.matrixLanguage(document);
    // Read here rather than passed: every caller (CodeLens, diagnostics, status bar) then shares one summary.
    const modelInput = readEditorSettings(document).modelInputShape;
    const key = `${document.version}|${document.languageId}|${inputSize}|${matrixLanguage ?? ''}|${modelInput.join('x')}`;
    const known = this.known.get(uri);
    if (known && known.document === document && known.key === key) return known.summary;
    const waiting = this.waiting.get(uri);
    if (waiting && waiting.document === document && waiting.key === key) return new Promise((resolve) => waiting.callers.push(resolve));
    waiting?.callers.forEach((answer) => answer(undefined));
    const request: SummaryRequest = {
      text: this.analysis.text(document),
      languageId: document.languageId,
      ...(matrixLanguage === undefined ? {} : { matrixLanguage }),
      inputSize,
      layers: (LAYER_LANGUAGES as readonly string[]).includes(document.languageId),
      ...(modelInput.length > 0 ? { modelInput: [...modelInput] } : {}),
    };
    return new Promise((resolve) => {
      this.waiting.set(uri, { document, key, request, callers: [resolve] });
      this.next();
    });
  }

  /** Sends the next waiting document to the worker, unless it is reading one. */
  private next(): void {
    if (this.busy) return;
    const now = Date.now();
    let soonest = Number.POSITIVE_INFINITY;
    let uri: string | undefined;
    for (const candidate of this.waiting.keys()) {
      const settles = (this.openedAt.get(candidate) ?? 0) + SETTLE_MS;
      if (settles <= now) {
        this.openedAt.delete(candidate);
        uri = candidate;
        break;
      }
      soonest = Math.min(soonest, settles);
    }
    if (uri === undefined) {
      if (soonest !== Number.POSITIVE_INFINITY && this.settling === undefined) {
        this.settling = setTimeout(() => {
          this.settling = undefined;
          this.next();
        }, soonest - now);
      }
      return;
    }
    const waiting = this.waiting.get(uri);
    if (waiting === undefined) return;
    this.waiting.delete(uri);
    this.busy = true;
    const summary = this.worker.summarizeDocument(waiting.request).then(
      (result): DocumentSummary | undefined => result,
      (error: unknown) => {
        // Cancelled by disposal, or a bug: the editor shows nothing for this version rather than failing.
        if (!(error instanceof vscode.CancellationError)) console.error('[Layer Lens] reading the document failed:', error);
        return undefined;
      },
    );
    const known: Known = { document: waiting.document, key: waiting.key, summary };
    this.known.set(uri, known);
    void summary.then((result) => {
      this.busy = false;
      // A failure is not kept: the next request reads the document again.
      if (result === undefined && this.known.get(uri) === known) this.known.delete(uri);
      waiting.callers.forEach((answer) => answer(result));
      this.next();
    });
  }

  dispose(): void {
    clearTimeout(this.settling);
    this.opening.dispose();
    this.closing.dispose();
    for (const waiting of this.waiting.values()) waiting.callers.forEach((answer) => answer(undefined));
    this.waiting.clear();
    this.known.clear();
  }
}
