/**
 * The checkerboard lab's panel (`layerLens.lab`): one per window, revealed when asked again. It
 * holds the latest snapshot, which the kit sends whenever the page says it is ready
 * (src/host/kit/webviewHost.ts). Every comparison runs in the lab's own engine worker, so the
 * extension host never waits on it; a new request cancels the one still running (the worker is
 * stopped and restarted), so the panel always shows the last thing asked for. The page asks for
 * image files, exports and the step player through typed messages, which the kit checks before
 * anything is done.
 */
import * as vscode from 'vscode';
import { asSentence, LayerError } from '../../core/engine/errors';
import { TransposedConvolutionPanel, type TransposedPanelServices } from '../transposed/transposedConvolutionPanel';
import { isFromLabMessage, LAB_METHOD_TITLES, type FromLabMessage, type LabComputed, type LabExportFormat, type LabMethodName, type LabSettings, type LabSnapshot, type ToLabMessage } from '../../core/protocol/lab';
import { uriBaseName } from '../common/uriName';
import { MAX_IMAGE_BYTES } from '../../core/protocol/common';
import { checkImage, megabytes } from '../../core/protocol/imageHeader';
import { PanelRegistry } from '../kit/panelRegistry';
import type { HostHandlers } from '../kit/pageConnection';
import { createWebviewPanel, restoreSerializer, WebviewHost } from '../kit/webviewHost';
import type { EngineWorkerClient } from '../worker/engineWorkerClient';
import { describeLabInput, labCsv, labJson, labSummary } from './labSummary';

export interface LabServices extends TransposedPanelServices {
  /** The lab's own worker: cancelling a superseded comparison restarts it without touching other jobs. */
  readonly labEngine: EngineWorkerClient;
}

/** The one key of the lab's registry: one lab per window. */
const WINDOW = 'window';

/** The outcome of one comparison: its result, or why there is none (a sentence). */
export type LabOutcome = { readonly kind: 'done'; readonly result: LabComputed } | { readonly kind: 'superseded' } | { readonly kind: 'failed'; readonly problem: string };

export class LabPanel extends WebviewHost<ToLabMessage, FromLabMessage> {
  static readonly viewType = 'layerLens.lab';
  private static readonly open = new PanelRegistry<LabPanel>();

  private snapshot: LabSnapshot = { kind: 'empty' };
  private job: vscode.CancellationTokenSource | undefined;

  protected readonly handlers: HostHandlers<FromLabMessage> = {
    run: (message) => this.run(message.settings),
    pickImage: () => this.pickImage(),
    why: (message) => this.why(message.method, message.cell),
    saveImage: (message) => this.saveImage(message.bytes),
    export: (message) => this.exportNumbers(message.format),
  };

  /** Opens (or reveals) the lab and compares with `settings`. */
  static show(services: LabServices, settings: LabSettings): Promise<LabOutcome> {
    let panel = LabPanel.open.get(WINDOW);
    if (!panel) panel = new LabPanel(createWebviewPanel(services.extensionUri, 'lab'), services);
    else panel.reveal();
    return panel.run(settings);
  }

  /**
   * Brings the lab back after a restart. The page kept its settings (a user's matrix or image is not
   * kept: see `persistLabState`) and, finding the lab empty, asks again with them once it is ready.
   */
  static serializer(services: LabServices): vscode.WebviewPanelSerializer {
    return restoreSerializer(services.extensionUri, (webviewPanel) => {
      LabPanel.open.get(WINDOW)?.dispose();
      new LabPanel(webviewPanel, services);
    });
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly services: LabServices,
  ) {
    super(panel, services.extensionUri, { page: 'lab', name: 'checkerboard lab', isFromPage: isFromLabMessage });
    LabPanel.open.add(WINDOW, this);
  }

  protected showMessage(): ToLabMessage {
    return { type: 'show', snapshot: this.snapshot };
  }

  /** Compares with `settings`, cancelling the comparison still running. */
  async run(settings: LabSettings): Promise<LabOutcome> {
    this.job?.cancel();
    this.job?.dispose();
    const job = new vscode.CancellationTokenSource();
    this.job = job;
    this.update({ kind: 'computing', settings });
    try {
      const result = await this.services.labEngine.checkerboardLab(settings, job.token);
      if (this.job !== job) return { kind: 'superseded' };
      this.update({ kind: 'ready', settings, result });
      return { kind: 'done', result };
    } catch (error) {
      if (error instanceof vscode.CancellationError || this.job !== job) return { kind: 'superseded' };
      if (!(error instanceof LayerError)) throw error;
      const problem = asSentence(error.message);
      this.update({ kind: 'invalid', settings, problems: [problem] });
      return { kind: 'failed', problem };
    }
  }

  private update(snapshot: LabSnapshot): void {
    this.snapshot = snapshot;
    this.refresh();
  }

  /** Asks for a PNG or JPEG and hands its bytes to the page, which decodes it with the browser's decoders. */
  private async pickImage(): Promise<void> {
    const picked = await vscode.window.showOpenDialog({
      title: 'Layer Lens: Image to compare the upsampling methods on',
      canSelectMany: false,
      filters: { Images: ['png', 'jpg', 'jpeg'] },
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      openLabel: 'Use Image',
    });
    const uri = picked?.[0];
    if (!uri) {
      // Redraw, so that the input field shows the input in use again, not "Image file…".
      this.update(this.snapshot);
      this.notice('info', 'No image chosen.');
      return;
    }
    const name = uriBaseName(uri);
    let bytes: Uint8Array;
    try {
      // The size before reading, the header before the page decodes: a huge file is never read whole, a huge image never decoded.
      const { size } = await vscode.workspace.fs.stat(uri);
      if (size > MAX_IMAGE_BYTES) return this.refuseImage(`${name} is ${megabytes(size)}, more than the ${megabytes(MAX_IMAGE_BYTES)} the lab reads`);
      // A copy of exactly the file's bytes: what readFile returns may be a view into a larger pooled buffer.
      bytes = new Uint8Array(await vscode.workspace.fs.readFile(uri));
    } catch (error) {
      return this.refuseImage(`Could not read ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const header = checkImage(name, bytes);
    if (typeof header === 'string') return this.refuseImage(`${header}.`);
    this.post({ type: 'image', name, bytes });
  }

  /** Keeps the input in use (the field shows it again, not "Image file…") and says why the image is not used. */
  private refuseImage(problem: string): void {
    this.update(this.snapshot);
    this.problem(problem);
  }

  /**
   * Opens the step player on the method's layer, written as one transposed convolution (stage 1 of
   * a stack), with the products behind `cell` of the output listed when a cell was clicked (one
   * stage only: the transposed form's output is then the method's output, cell for cell).
   */
  why(method: LabMethodName, cell?: readonly [number, number]): boolean {
    if (this.snapshot.kind !== 'ready') return false;
    const { result, settings } = this.snapshot;
    const view = result.methods.find((m) => m.method === method);
    const form = view?.transposedForm;
    if (!view || !form) {
      this.problem(view?.whyUnavailable ?? 'This method has no transposed form to step through.');
      return false;
    }
    const stage = result.stages > 1 ? ', stage 1' : '';
    const panel = TransposedConvolutionPanel.show(this.services, {
      input: result.input,
      kernel: form.kernel,
      params: { stride: form.stride, padding: form.padding, outputPadding: form.outputPadding, dilation: [1, 1] },
      source: `lab: ${LAB_METHOD_TITLES[method].toLowerCase()} on ${describeLabInput(settings)}${stage}, as one transposed convolution`,
    });
    if (cell && result.stages === 1) panel.selectCell(cell[0], cell[1]);
    return true;
  }

  private async saveImage(bytes: Uint8Array): Promise<void> {
    const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => bytes[i] === v);
    if (!png) {
      console.warn('[Layer Lens] ignored a lab image that is not a PNG');
      return;
    }
    await this.save(bytes, 'png', { 'PNG image': ['png'] }, 'Layer Lens: Save the comparison');
  }

  private async exportNumbers(format: LabExportFormat): Promise<void> {
    if (this.snapshot.kind !== 'ready') {
      this.problem('There are no numbers to export yet: the comparison has not finished.');
      return;
    }
    const summary = labSummary(this.snapshot.settings, this.snapshot.result);
    const text = format === 'csv' ? labCsv(summary) : labJson(summary);
    await this.save(new TextEncoder().encode(text), format, format === 'csv' ? { 'CSV table': ['csv'] } : { JSON: ['json'] }, 'Layer Lens: Export the numbers');
  }

  private async save(bytes: Uint8Array, extension: string, filters: Record<string, string[]>, title: string): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({ title, defaultUri: folder ? vscode.Uri.joinPath(folder, `checkerboard-lab.${extension}`) : undefined, filters, saveLabel: 'Save' });
    if (!target) return;
    try {
      await vscode.workspace.fs.writeFile(target, bytes);
    } catch (error) {
      this.problem(`Could not save ${uriBaseName(target)}: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.notice('info', `Saved ${uriBaseName(target)} (${(bytes.length / 1024).toFixed(1)} KiB).`);
    vscode.window.setStatusBarMessage(`$(check) Layer Lens: saved ${uriBaseName(target)}`, 5000);
  }

  /** A request the lab cannot answer: a line in the page and an error notification. */
  private problem(text: string): void {
    this.notice('error', text);
    void vscode.window.showErrorMessage(`Layer Lens: ${text}`);
  }

  override dispose(): void {
    this.job?.cancel();
    this.job?.dispose();
    LabPanel.open.remove(WINDOW, this);
    super.dispose();
  }
}
