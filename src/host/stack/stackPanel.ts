/**
 * The stack view: a webview panel per document showing one stack's table, its compound overlap maps
 * and "Fix the stack". It follows the document: an edit re-reads the stack (found again by its kind
 * and name) 0.3 s after typing stops. The page asks for the snapshot when it is ready; everything
 * it sends is checked against the shared protocol before the host acts on it.
 */
import * as vscode from 'vscode';
import type { DocumentAnalysis } from '../editor/documentAnalysis';
import type { LayerStack } from '../../core/parse/layerStacks';
import { isFromStackMessage, isPersistedStackState, type FromStackMessage, type PersistedStackState, type StackSnapshot, type ToStackMessage } from '../../core/protocol/stack';
import { uriBaseName } from '../common/uriName';
import { openUserDocument, parseDocumentUri } from '../common/userDocument';
import { PanelRegistry } from '../kit/panelRegistry';
import type { HostHandlers } from '../kit/pageConnection';
import { PAGES } from '../../core/protocol/pages';
import { createWebviewPanel, restoreSerializer, WebviewHost } from '../kit/webviewHost';
import type { EngineWorkerClient } from '../worker/engineWorkerClient';
import type { ModelService } from '../model/modelService';
import { editsFor, fixPlan, inspectStack, type StackInspection } from './stackInspection';
import { defaultChoice } from '../../core/insight/stackFixes';

export interface StackServices {
  readonly extensionUri: vscode.Uri;
  readonly engine: EngineWorkerClient;
  readonly analysis: DocumentAnalysis;
  /** Whole models: a stack a model's forward() runs is shown with the run's shapes. */
  readonly models?: ModelService;
}

const FOLLOW_DELAY_MS = 300;

export class StackPanel extends WebviewHost<ToStackMessage, FromStackMessage> {
  static readonly viewType = PAGES.stack.viewType;
  private static readonly open = new PanelRegistry<StackPanel>();

  private snapshot: StackSnapshot = { kind: 'empty' };
  private inspection: StackInspection | undefined;
  private followTimer: ReturnType<typeof setTimeout> | undefined;

  protected readonly handlers: HostHandlers<FromStackMessage> = {
    chooseFixes: (message) => this.choose(message.chosen),
    applyFixes: (message) => this.applyFixes(message.chosen),
    reveal: (message) => this.revealRow(message.row),
    chooseUse: (message) => this.chooseUse(message.use),
  };

  /** Shows an inspection in its document's stack view, creating or revealing it. */
  static show(services: StackServices, inspection: StackInspection): StackPanel {
    const key = inspection.document.uri.toString();
    const panel = StackPanel.open.get(key) ?? new StackPanel(createWebviewPanel(services.extensionUri, 'stack'), services, key);
    panel.showInspection(inspection);
    panel.reveal();
    return panel;
  }

  /**
   * Brings a stack view back after a reload: the page kept which stack it showed; the stack is read
   * again from its document (the code may have changed meanwhile), or the view says to inspect again.
   */
  static serializer(services: StackServices): vscode.WebviewPanelSerializer {
    return restoreSerializer(services.extensionUri, async (webviewPanel, state) => {
      const key = isPersistedStackState(state) ? state.uri : PanelRegistry.restoredKey();
      StackPanel.open.get(key)?.dispose();
      const panel = new StackPanel(webviewPanel, services, key);
      if (!isPersistedStackState(state)) {
        panel.update({ kind: 'invalid', problems: ['This view was not kept across the reload: run “Layer Lens: Inspect Stack” again.'] });
        return;
      }
      try {
        // The URI comes from the page's saved state: open only what the user has open or the workspace holds.
        const document = await openUserDocument(parseDocumentUri(state.uri), 'The stack view');
        const stack = findAgain(services.analysis.stacks(document).found, { ...state, end: state.start, items: [] });
        if (!stack) throw new Error(`The stack ${state.name} is no longer found in ${uriBaseName(document.uri)}; run “Layer Lens: Inspect Stack” on it again.`);
        panel.showInspection(await inspectStack(services.engine, services.analysis, document, stack, state.inputSize, services.models && { models: services.models }));
      } catch (error) {
        panel.update({ kind: 'invalid', problems: [error instanceof Error ? error.message : String(error)] });
      }
    });
  }

  /** The open stack view of a document, if any (tests and the e2e harness read it). */
  static of(uri: vscode.Uri): StackPanel | undefined {
    return StackPanel.open.get(uri.toString());
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly services: StackServices,
    private readonly key: string,
  ) {
    super(panel, services.extensionUri, { page: 'stack', name: 'stack view', isFromPage: isFromStackMessage });
    StackPanel.open.add(key, this);
    this.register(vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document.uri.toString() === this.key && event.contentChanges.length > 0) this.scheduleFollow();
    }));
  }

  get current(): StackSnapshot {
    return this.snapshot;
  }

  private showInspection(inspection: StackInspection): void {
    this.inspection = inspection;
    this.panel.title = `Stack: ${inspection.table.name}`;
    this.update(inspection.snapshot);
  }

  private update(snapshot: StackSnapshot): void {
    this.snapshot = snapshot;
    this.refresh();
  }

  /** The snapshot, with which stack it is for the page to keep. */
  protected showMessage(): ToStackMessage {
    const inspection = this.inspection;
    const stack = inspection?.analysis.stack;
    const keep: PersistedStackState | undefined =
      inspection && stack
        ? { uri: inspection.document.uri.toString(), kind: stack.kind, name: stack.name, start: stack.start, ...(inspection.given !== undefined ? { inputSize: inspection.given } : {}) }
        : undefined;
    return { type: 'show', snapshot: this.snapshot, ...(keep ? { keep } : {}) };
  }

  private scheduleFollow(): void {
    clearTimeout(this.followTimer);
    this.followTimer = setTimeout(() => void this.follow(), FOLLOW_DELAY_MS);
  }

  /** Reads the stack again from the edited document. */
  private async follow(): Promise<void> {
    const previous = this.inspection;
    if (!previous || this.isDisposed) return;
    const document = previous.document;
    const stack = findAgain(this.services.analysis.stacks(document).found, previous.analysis.stack);
    if (!stack) {
      this.update({ kind: 'invalid', problems: [`The stack ${previous.table.name} is no longer found in ${previous.table.source.replace(/:\d+$/, '')}; run “Layer Lens: Inspect Stack” on it again.`] });
      return;
    }
    try {
      this.showInspection(await inspectStack(this.services.engine, this.services.analysis, document, stack, previous.given, previous.model));
    } catch (error) {
      this.update({ kind: 'invalid', problems: [error instanceof Error ? error.message : String(error)] });
    }
  }

  /** Reads the stack again with another use of its part in the model (`up1.conv.double_conv`). */
  private async chooseUse(use: string): Promise<void> {
    const inspection = this.inspection;
    if (!inspection?.model || this.snapshot.kind !== 'ready' || !this.snapshot.table.model?.uses.includes(use)) return;
    try {
      this.showInspection(await inspectStack(this.services.engine, this.services.analysis, inspection.document, inspection.analysis.stack, inspection.given, { ...inspection.model, use }));
    } catch (error) {
      this.update({ kind: 'invalid', problems: [error instanceof Error ? error.message : String(error)] });
    }
  }

  private async choose(chosen: readonly (readonly [number, number])[]): Promise<void> {
    const inspection = this.inspection;
    if (!inspection || this.snapshot.kind !== 'ready') return;
    const choice = new Map<number, number>();
    for (const [row, index] of chosen) if (inspection.fixes.some((f) => f.index === row && index < f.fixes.length)) choice.set(row, index);
    const text = this.services.analysis.text(inspection.document);
    const constants = this.services.analysis.stacks(inspection.document).context.constants;
    const plan = await fixPlan(this.services.engine, text, inspection.analysis, inspection.fixes, choice, constants, inspection.given);
    if (this.inspection === inspection && this.snapshot.kind === 'ready') this.update({ ...this.snapshot, plan });
  }

  /** Applies the chosen fixes as one workspace edit: one Undo restores the code. */
  async applyFixes(chosen?: readonly (readonly [number, number])[]): Promise<boolean> {
    const inspection = this.inspection;
    if (!inspection) return false;
    const document = inspection.document;
    if (document.version !== inspection.version) {
      this.notice('error', 'The document changed since this stack was read; the view is being updated, try again.');
      this.scheduleFollow();
      return false;
    }
    const choice = chosen ?? [...defaultChoice(inspection.fixes).entries()];
    const edits = editsFor(inspection, choice);
    const layers = new Set(choice.map(([row]) => row).filter((row) => inspection.fixes.some((f) => f.index === row))).size;
    if (edits.length === 0) {
      this.notice('info', 'No fix chosen: nothing to change.');
      return false;
    }
    const edit = new vscode.WorkspaceEdit();
    for (const change of edits) edit.replace(document.uri, new vscode.Range(document.positionAt(change.start), document.positionAt(change.end)), change.newText);
    const applied = await vscode.workspace.applyEdit(edit);
    this.notice(applied ? 'info' : 'error', applied ? `Applied ${layers === 1 ? 'one fix' : `${layers} fixes`} as one edit (Undo restores the code).` : 'VS Code refused the edit (is the document read-only?).');
    return applied;
  }

  private async revealRow(row: number): Promise<void> {
    const inspection = this.inspection;
    const item = inspection?.analysis.rows[row]?.item;
    if (!inspection || !item) return;
    const document = inspection.document;
    const range = new vscode.Range(document.positionAt(item.start), document.positionAt(item.end));
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, selection: range, preserveFocus: false });
  }

  override dispose(): void {
    clearTimeout(this.followTimer);
    StackPanel.open.remove(this.key, this);
    super.dispose();
  }
}

/** The same stack in a new reading of the document: same kind and name, nearest start. */
export function findAgain(stacks: readonly LayerStack[], previous: LayerStack): LayerStack | undefined {
  const candidates = stacks.filter((s) => s.kind === previous.kind && s.name === previous.name);
  return candidates.sort((a, b) => Math.abs(a.start - previous.start) - Math.abs(b.start - previous.start))[0];
}
