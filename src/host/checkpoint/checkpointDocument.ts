/**
 * One checkpoint file open in Layer Lens: the file held open for its tensors' bytes, the tensor list
 * read from its header (or why it could not be read), and its checkerboard audit with what the user
 * chose for it (a model source to pair with, a stride per unpaired weight). Every editor on the
 * same file shares it; it closes the file when the last one closes.
 */
import * as vscode from 'vscode';
import { auditCheckpoint, type AuditedLayer, type CheckpointAudit } from '../../core/checkpoint/audit';
import { readCheckpoint } from '../../core/checkpoint/formats';
import { auditView } from '../../core/checkpoint/auditView';
import { CheckpointError, type Checkpoint } from '../../core/checkpoint/types';
import type { CheckpointSnapshot, TensorStats } from '../../core/protocol/checkpoint';
import { uriBaseName } from '../common/uriName';
import { openFileSource, type FileSource, type OpenLocalFile } from './fileSource';

/** The model source a state dict is paired with. */
export interface PairedSource {
  readonly uri: vscode.Uri;
  readonly text: string;
}

export class CheckpointDocument implements vscode.CustomDocument {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the audit's inputs change (a source paired, a stride picked): every editor redraws. */
  readonly onDidChange = this.changed.event;
  /** Statistics already computed, by tensor name. */
  readonly stats = new Map<string, TensorStats>();
  private source: PairedSource | undefined;
  /** The stride for every weight nothing describes (the command's `stride`), and per weight (the editor's pickers). */
  private defaultStride: number | undefined;
  private readonly strides = new Map<string, number>();
  private audited: { audit: CheckpointAudit } | { problem: string } | undefined;
  /** The audit being computed in the background for the editors, if one is. */
  private auditing: Promise<void> | undefined;
  /** Bumped when the audit's inputs change: a background audit of older inputs is dropped. */
  private generation = 0;

  private constructor(
    readonly uri: vscode.Uri,
    private readonly file: FileSource | undefined,
    readonly reading: { readonly checkpoint: Checkpoint; readonly listedInMs: number } | { readonly problem: string },
  ) {}

  /** Opens and lists the file; a file that cannot be read gives a document that says why. */
  static async open(uri: vscode.Uri, openLocal: OpenLocalFile | undefined): Promise<CheckpointDocument> {
    let file: FileSource | undefined;
    try {
      const started = performance.now();
      file = await openFileSource(uri, openLocal);
      const checkpoint = readCheckpoint(file, uriBaseName(uri));
      return new CheckpointDocument(uri, file, { checkpoint, listedInMs: performance.now() - started });
    } catch (error) {
      file?.close();
      if (!(error instanceof CheckpointError) && !(error instanceof vscode.FileSystemError) && !isNodeFileError(error)) throw error;
      return new CheckpointDocument(uri, undefined, { problem: error instanceof Error ? error.message : String(error) });
    }
  }

  /**
   * A checkpoint already in memory, not a file: a live model's weights read from a debug session
   * (src/host/live/auditLiveModel.ts). `uri` names it (its last segment is the title); nothing is
   * held open.
   */
  static inMemory(uri: vscode.Uri, checkpoint: Checkpoint, readInMs: number): CheckpointDocument {
    return new CheckpointDocument(uri, undefined, { checkpoint, listedInMs: readInMs });
  }

  get fileName(): string {
    return uriBaseName(this.uri);
  }

  get checkpoint(): Checkpoint | undefined {
    return 'checkpoint' in this.reading ? this.reading.checkpoint : undefined;
  }

  get pairedSource(): PairedSource | undefined {
    return this.source;
  }

  /** Pairs the state dict with a model source (undefined: unpairs), and re-audits. */
  pairWith(source: PairedSource | undefined): void {
    this.source = source;
    this.invalidate();
  }

  /** The stride for weights nothing describes: all of them (`name` undefined) or one. */
  setStride(stride: number | undefined, name?: string): void {
    if (name === undefined) this.defaultStride = stride;
    else if (stride === undefined) this.strides.delete(name);
    else this.strides.set(name, stride);
    this.invalidate();
  }

  /** The audit if it has been computed for the current inputs (never computes it). */
  get computedAudit(): CheckpointAudit | undefined {
    return this.audited && 'audit' in this.audited ? this.audited.audit : undefined;
  }

  /** The audit, computed on first use and kept until its inputs change. */
  audit(): { audit: CheckpointAudit } | { problem: string } {
    const checkpoint = this.checkpoint;
    if (!checkpoint) return { problem: 'the file could not be read' };
    this.audited ??= this.computeAudit(checkpoint);
    return this.audited;
  }

  /**
   * What the editors show. The tensor list comes at once; the audit, which reads every upsampling
   * layer's weights, is computed after it (a layer of the file's graph at a time, yielding between
   * them), and the editors are told when it is ready.
   */
  snapshot(): CheckpointSnapshot {
    const fileName = this.fileName;
    if ('problem' in this.reading) return { kind: 'invalid', fileName, problems: [this.reading.problem] };
    const { checkpoint, listedInMs } = this.reading;
    const tensors = checkpoint.tensors.map(({ name, shape, dtype }) => ({ name, shape: [...shape], dtype, size: shape.reduce((a, b) => a * b, 1) }));
    const audited = this.audited;
    if (!audited) {
      this.auditing ??= this.auditInBackground(checkpoint).catch((error: unknown) => {
        // A bug, not a bad file: the editor says so instead of waiting forever.
        console.error('[Layer Lens]', error);
        this.audited = { problem: `the audit failed: ${error instanceof Error ? error.message : String(error)}` };
        this.changed.fire();
      });
    }
    const sourceName = this.source ? uriBaseName(this.source.uri) : undefined;
    return {
      kind: 'ready',
      fileName,
      format: checkpoint.format,
      tensors,
      listedInMs,
      ...(audited === undefined ? {} : 'audit' in audited ? { audit: auditView(audited.audit, checkpoint.layers, sourceName) } : { auditProblem: audited.problem }),
    };
  }

  private async auditInBackground(checkpoint: Checkpoint): Promise<void> {
    const generation = this.generation;
    const stale = () => generation !== this.generation;
    await nextTurn();
    let result: { audit: CheckpointAudit } | { problem: string };
    const graph = checkpoint.layers;
    if (graph && graph.length > 0) {
      // The file's own layers carry their strides: one at a time, with a turn of the event loop between.
      const layers: AuditedLayer[] = [];
      try {
        for (const layer of graph) {
          layers.push(...auditCheckpoint({ ...checkpoint, tensor: (name) => checkpoint.tensor(name), layers: [layer] }).layers);
          await nextTurn();
          if (stale()) return;
        }
        result = { audit: { layers: worstFirst(layers) } };
      } catch (error) {
        if (!(error instanceof CheckpointError)) throw error;
        result = { problem: error.message };
      }
    } else result = this.computeAudit(checkpoint);
    if (stale()) return;
    this.audited ??= result;
    this.auditing = undefined;
    this.changed.fire();
  }

  dispose(): void {
    this.file?.close();
    this.changed.dispose();
  }

  private invalidate(): void {
    this.audited = undefined;
    this.auditing = undefined;
    this.generation++;
    this.changed.fire();
  }

  private computeAudit(checkpoint: Checkpoint): { audit: CheckpointAudit } | { problem: string } {
    try {
      const base = { ...(this.source ? { source: this.source.text } : {}) };
      const withStride = (stride: number | undefined) => auditCheckpoint(checkpoint, { ...base, ...(stride !== undefined ? { stride } : {}) });
      const audit = withStride(this.defaultStride);
      if (this.strides.size === 0) return { audit };
      // A stride picked for one weight: that weight's audit with it (auditCheckpoint takes one stride for all).
      const byStride = new Map<number, CheckpointAudit>();
      const layers = audit.layers.map((layer): AuditedLayer => {
        const stride = this.strides.get(layer.name);
        if (stride === undefined || (layer.strideFrom !== 'none' && layer.strideFrom !== 'given')) return layer;
        const other = byStride.get(stride) ?? withStride(stride);
        byStride.set(stride, other);
        return other.layers.find((l) => l.name === layer.name) ?? layer;
      });
      return { audit: { ...audit, layers: worstFirst(layers) } };
    } catch (error) {
      if (error instanceof CheckpointError) return { problem: error.message };
      throw error;
    }
  }
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** The audit's order: by periodic energy, the layers without a known stride last. */
function worstFirst(layers: AuditedLayer[]): AuditedLayer[] {
  const rank = (layer: AuditedLayer) => (layer.verdict === 'unknown' ? -1 : layer.periodicEnergy);
  return layers.sort((a, b) => rank(b) - rank(a));
}

/** A Node file-system error (ENOENT, EACCES) from the file handle. */
function isNodeFileError(error: unknown): boolean {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && (error as { syscall?: unknown }).syscall !== undefined;
}
