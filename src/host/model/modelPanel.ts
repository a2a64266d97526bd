/**
 * The model view: a webview panel per model class showing its forward() run (every layer and
 * operation grouped by submodule, the skip connections, totals, receptive field and the input
 * sizes that work). It follows the document: an edit re-reads the model 0.3 s after typing stops,
 * and only the newest reading is shown (an older one that finishes later is dropped). The page
 * asks for the snapshot when it is ready; everything it sends is checked against the shared
 * protocol (src/core/protocol/model.ts) before the host acts on it.
 */
import * as vscode from 'vscode';
import { isFromModelMessage, isPersistedModelState, type FromModelMessage, type ModelSnapshot, type PersistedModelState, type ToModelMessage } from '../../core/protocol/model';
import { PAGES } from '../../core/protocol/pages';
import { readArgumentText, type ConstructorArgument } from '../../core/model/constructorArguments';
import { openUserDocument, parseDocumentUri } from '../common/userDocument';
import type { HostHandlers } from '../kit/pageConnection';
import { PanelRegistry } from '../kit/panelRegistry';
import { createWebviewPanel, restoreSerializer, WebviewHost } from '../kit/webviewHost';
import type { EngineWorkerClient } from '../worker/engineWorkerClient';
import { inspectModel, type ModelInspection } from './modelInspection';
import type { ModelService } from './modelService';

export interface ModelServices {
  readonly extensionUri: vscode.Uri;
  readonly engine: EngineWorkerClient;
  readonly models: ModelService;
}

const FOLLOW_DELAY_MS = 300;

export class ModelPanel extends WebviewHost<ToModelMessage, FromModelMessage> {
  static readonly viewType = PAGES.model.viewType;
  private static readonly open = new PanelRegistry<ModelPanel>();

  private snapshot: ModelSnapshot = { kind: 'empty' };
  private inspection: ModelInspection | undefined;
  private followTimer: ReturnType<typeof setTimeout> | undefined;
  /** Counts readings: only the newest one's result is shown. */
  private generation = 0;

  protected readonly handlers: HostHandlers<FromModelMessage> = {
    reveal: (message) => this.revealRow(message.row),
    revealProblem: () => this.revealProblem(),
    setInput: (message) => this.setInput(message.shape),
    setArguments: (message) => this.setArguments(message.given),
  };

  static keyOf(uri: vscode.Uri, className: string): string {
    return `${uri.toString()}#${className}`;
  }

  /** Shows an inspection in its class's model view, creating or revealing it. */
  static show(services: ModelServices, inspection: ModelInspection): ModelPanel {
    const key = ModelPanel.keyOf(inspection.document.uri, inspection.className);
    const panel = ModelPanel.open.get(key) ?? new ModelPanel(createWebviewPanel(services.extensionUri, 'model'), services, key, inspection.document.uri);
    panel.generation++;
    panel.showInspection(inspection);
    panel.reveal();
    return panel;
  }

  /** Brings a model view back after a reload: the model is read again from its document. */
  static serializer(services: ModelServices): vscode.WebviewPanelSerializer {
    return restoreSerializer(services.extensionUri, async (webviewPanel, state) => {
      if (!isPersistedModelState(state)) {
        const panel = new ModelPanel(webviewPanel, services, PanelRegistry.restoredKey(), undefined);
        panel.update({ kind: 'invalid', problems: ['This view was not kept across the reload: run “Layer Lens: Inspect Model” again.'] });
        return;
      }
      const uri = parseDocumentUri(state.uri);
      const key = ModelPanel.keyOf(uri, state.className);
      ModelPanel.open.get(key)?.dispose();
      const panel = new ModelPanel(webviewPanel, services, key, uri);
      try {
        // The URI comes from the page's saved state: open only what the user has open or the workspace holds.
        const document = await openUserDocument(uri, 'The model view');
        const shape = state.inputShape ?? services.models.inputShapeOf(document, state.className).shape;
        panel.showInspection(await inspectModel(services.models, document, state.className, shape, 'as inspected before the reload'));
      } catch (error) {
        panel.update({ kind: 'invalid', problems: [error instanceof Error ? error.message : String(error)] });
      }
    });
  }

  /** The open model view of a class, if any (tests and the e2e harness read it). */
  static of(uri: vscode.Uri, className: string): ModelPanel | undefined {
    return ModelPanel.open.get(ModelPanel.keyOf(uri, className));
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly services: ModelServices,
    private readonly key: string,
    private readonly uri: vscode.Uri | undefined,
  ) {
    super(panel, services.extensionUri, { page: 'model', name: 'model view', isFromPage: isFromModelMessage });
    ModelPanel.open.add(key, this);
    this.register(vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.contentChanges.length === 0 || !this.inspection) return;
      // The model's own document, or a workspace file it imports.
      const changed = event.document.uri.toString();
      if (changed === this.uri?.toString() || Object.keys(this.filesOf()).some((f) => this.inspection?.fileUri(f).toString() === changed)) this.scheduleFollow();
    }));
  }

  get current(): ModelSnapshot {
    return this.snapshot;
  }

  private filesOf(): Record<string, true> {
    const files: Record<string, true> = {};
    for (const row of this.inspection?.table.rows ?? []) if (row.file !== '') files[row.file] = true;
    return files;
  }

  private showInspection(inspection: ModelInspection): void {
    this.inspection = inspection;
    this.panel.title = `Model: ${inspection.className}`;
    this.update({ kind: 'ready', table: inspection.table });
  }

  private update(snapshot: ModelSnapshot): void {
    this.snapshot = snapshot;
    this.refresh();
  }

  protected showMessage(): ToModelMessage {
    const inspection = this.inspection;
    const keep: PersistedModelState | undefined = inspection ? { uri: inspection.document.uri.toString(), className: inspection.className, inputShape: [...inspection.inputShape] } : undefined;
    return { type: 'show', snapshot: this.snapshot, ...(keep ? { keep } : {}) };
  }

  private scheduleFollow(): void {
    clearTimeout(this.followTimer);
    this.followTimer = setTimeout(() => void this.rerun(), FOLLOW_DELAY_MS);
  }

  /** Reads the model again (after an edit, or on another input shape); only the newest reading is shown. */
  private async rerun(shape?: readonly number[]): Promise<void> {
    const previous = this.inspection;
    if (!previous || this.isDisposed) return;
    const generation = ++this.generation;
    const inputShape = shape ?? previous.inputShape;
    try {
      const next = await inspectModel(this.services.models, previous.document, previous.className, inputShape, shape ? 'as typed in the model view' : previous.table.inputSource);
      if (generation === this.generation && !this.isDisposed) this.showInspection(next);
    } catch (error) {
      if (generation === this.generation && !this.isDisposed) this.update({ kind: 'invalid', problems: [error instanceof Error ? error.message : String(error)] });
    }
  }

  private async setInput(shape: readonly number[]): Promise<void> {
    const inspection = this.inspection;
    if (!inspection) return;
    if (shape.length === 0 || shape.some((v) => v < 1)) {
      this.notice('error', 'Every size of the input shape must be at least 1.');
      return;
    }
    this.services.models.remember(inspection.document, inspection.className, shape);
    await this.rerun(shape);
  }

  /** Builds the model with the arguments typed in the view, remembered for the class; an empty list goes back to calls and defaults. */
  private async setArguments(given: readonly { readonly name: string; readonly text: string }[]): Promise<void> {
    const inspection = this.inspection;
    if (!inspection) return;
    const known = new Set(inspection.table.builtWith?.arguments.map((a) => a.name) ?? []);
    const args: Record<string, ConstructorArgument> = {};
    for (const { name, text } of given) {
      if (!known.has(name)) {
        this.notice('error', `${inspection.className}.__init__() has no parameter ${name}.`);
        return;
      }
      const read = readArgumentText(text);
      if (!read.ok) {
        this.notice('error', `${name}: ${read.message}.`);
        return;
      }
      args[name] = read.value;
    }
    await this.services.models.rememberArguments(inspection.document, inspection.className, args);
    // A refusal shown for an earlier try goes with the build that replaces it.
    this.notice('info', '');
    await this.rerun();
  }

  private async revealLine(file: string, line: number): Promise<void> {
    const inspection = this.inspection;
    if (!inspection) return;
    const document = await vscode.workspace.openTextDocument(inspection.fileUri(file));
    const range = document.lineAt(Math.min(line, document.lineCount - 1)).range;
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, selection: range, preserveFocus: false });
  }

  private async revealRow(row: number): Promise<void> {
    const found = this.inspection?.table.rows[row];
    if (found) await this.revealLine(found.file, found.line);
  }

  private async revealProblem(): Promise<void> {
    const problem = this.inspection?.table.problem;
    if (problem) await this.revealLine(problem.file, problem.line);
  }

  override dispose(): void {
    clearTimeout(this.followTimer);
    this.generation++;
    ModelPanel.open.remove(this.key, this);
    super.dispose();
  }
}
