/**
 * The trained verdicts the paired model sources show: the audits of checkpoints paired with a
 * source file, by source. The checkpoint editor (and Audit Checkpoint) publish an audit once it is
 * computed with a source; the layer hover and CodeLens of that source read what was published,
 * never a checkpoint (a hover must stay as fast as docs/first-hover.md measures). An audit is
 * dropped when its checkpoint file changes or is deleted (a watcher per checkpoint) or when the
 * checkpoint is paired with another source; a layer whose call was edited drops out by itself
 * (src/core/checkpoint/trainedVerdict.ts). Published audits are also kept in the workspace's storage
 * and come back after a window reload for each checkpoint whose size and modification time are
 * still those it was audited with (src/core/checkpoint/storedVerdicts.ts).
 */
import * as vscode from 'vscode';
import type { CheckpointAudit } from '../../core/checkpoint/audit';
import { locateTrained, trainedRecords, type TrainedLayerRecord } from '../../core/checkpoint/trainedVerdict';
import { readStoredAudits, STORED_VERDICTS_KEY, withStoredAudit, type StoredAudit } from '../../core/checkpoint/storedVerdicts';
import { uriBaseName } from '../common/uriName';

/** One checkpoint's audit, as a source paired with it shows it. */
export interface PublishedAudit {
  readonly checkpoint: vscode.Uri;
  readonly fileName: string;
  readonly source: vscode.Uri;
  readonly records: readonly TrainedLayerRecord[];
}

/** A layer call of the current text with the verdict of one checkpoint. */
export interface TrainedVerdictAt {
  readonly offset: number;
  readonly record: TrainedLayerRecord;
  readonly audit: PublishedAudit;
}

export class TrainedVerdicts implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when an audit is published or dropped: the CodeLens ask again. */
  readonly onDidChange = this.changed.event;
  /** By source URI, then by checkpoint URI. */
  private readonly bySource = new Map<string, Map<string, PublishedAudit>>();
  private readonly watchers = new Map<string, vscode.Disposable>();
  /** Storage writes in order, so that a later publish is never overwritten by an earlier one. */
  private stored: Promise<void> = Promise.resolve();
  /** Settles once the stored audits still valid are back: tests and the first CodeLens wait for it. */
  readonly restored: Promise<void>;

  /** With `storage`, published audits outlive the window: those still valid are restored now. */
  constructor(private readonly storage?: vscode.Memento) {
    this.restored = storage ? this.restore(storage) : Promise.resolve();
  }

  /** The audit of `checkpoint` paired with `source` (whose text it was paired against), replacing what it published before. */
  publish(checkpoint: vscode.Uri, source: { readonly uri: vscode.Uri; readonly text: string }, audit: CheckpointAudit): void {
    this.drop(checkpoint.toString());
    const records = trainedRecords(audit, source.text);
    if (records.length === 0) {
      this.changed.fire();
      return;
    }
    const key = source.uri.toString();
    const audits = this.bySource.get(key) ?? new Map<string, PublishedAudit>();
    audits.set(checkpoint.toString(), { checkpoint, fileName: uriBaseName(checkpoint), source: source.uri, records });
    this.bySource.set(key, audits);
    this.watch(checkpoint);
    this.changed.fire();
    this.store(checkpoint, source.uri, records);
  }

  /** Drops what `checkpoint` published (it was unpaired, changed or deleted). */
  forget(checkpoint: vscode.Uri): void {
    if (this.drop(checkpoint.toString())) this.changed.fire();
    this.unstore(checkpoint.toString());
  }

  /** Whether any audit was published for this source: the hover's only cost when none was. */
  has(source: vscode.Uri): boolean {
    return this.bySource.has(source.toString());
  }

  /** The verdicts of the layer calls of `text` (the source's current text), each at its call's start. */
  in(source: vscode.Uri, text: string): TrainedVerdictAt[] {
    const audits = this.bySource.get(source.toString());
    if (!audits) return [];
    return [...audits.values()].flatMap((audit) => locateTrained(audit.records, text).map(({ record, offset }) => ({ offset, record, audit })));
  }

  /** The verdicts of the call that starts at `offset`. */
  at(source: vscode.Uri, text: string, offset: number): TrainedVerdictAt[] {
    return this.has(source) ? this.in(source, text).filter((v) => v.offset === offset) : [];
  }

  dispose(): void {
    for (const watcher of this.watchers.values()) watcher.dispose();
    this.watchers.clear();
    this.bySource.clear();
    this.changed.dispose();
  }

  /** Puts back the stored audits whose checkpoints were not rewritten since; forgets the others. */
  private async restore(storage: vscode.Memento): Promise<void> {
    const audits = readStoredAudits(storage.get<unknown>(STORED_VERDICTS_KEY));
    const kept: StoredAudit[] = [];
    for (const audit of audits) {
      const checkpoint = parseUri(audit.checkpoint);
      const source = parseUri(audit.source);
      if (!checkpoint || !source) continue;
      const stat = await statOf(checkpoint);
      if (!stat || stat.size !== audit.size || stat.mtime !== audit.mtime) continue;
      kept.push(audit);
      // Published again since the window opened: that audit is newer than the stored one.
      if ([...this.bySource.values()].some((published) => published.has(audit.checkpoint))) continue;
      const published = this.bySource.get(audit.source) ?? new Map<string, PublishedAudit>();
      published.set(audit.checkpoint, { checkpoint, fileName: uriBaseName(checkpoint), source, records: audit.records });
      this.bySource.set(audit.source, published);
      this.watch(checkpoint);
    }
    if (kept.length > 0) this.changed.fire();
    if (kept.length !== audits.length) await this.update(() => kept);
  }

  private store(checkpoint: vscode.Uri, source: vscode.Uri, records: readonly TrainedLayerRecord[]): void {
    const storage = this.storage;
    if (!storage) return;
    this.stored = this.stored.then(async () => {
      const stat = await statOf(checkpoint);
      // Still published (not forgotten while the stat ran), and a file whose age can be told.
      if (!stat || !this.bySource.get(source.toString())?.has(checkpoint.toString())) return;
      const audit: StoredAudit = { checkpoint: checkpoint.toString(), source: source.toString(), size: stat.size, mtime: stat.mtime, records };
      await storage.update(STORED_VERDICTS_KEY, withStoredAudit(readStoredAudits(storage.get<unknown>(STORED_VERDICTS_KEY)), audit));
    }).catch(keptInMemory);
  }

  private unstore(checkpoint: string): void {
    void this.update((audits) => audits.filter((a) => a.checkpoint !== checkpoint));
  }

  private update(change: (audits: StoredAudit[]) => StoredAudit[]): Promise<void> {
    const storage = this.storage;
    if (!storage) return Promise.resolve();
    this.stored = this.stored.then(() => storage.update(STORED_VERDICTS_KEY, change(readStoredAudits(storage.get<unknown>(STORED_VERDICTS_KEY))))).catch(keptInMemory);
    return this.stored;
  }

  private drop(checkpoint: string): boolean {
    let dropped = false;
    for (const [source, audits] of this.bySource) {
      dropped = audits.delete(checkpoint) || dropped;
      if (audits.size === 0) this.bySource.delete(source);
    }
    this.watchers.get(checkpoint)?.dispose();
    this.watchers.delete(checkpoint);
    return dropped;
  }

  /** A rewritten or deleted checkpoint holds other weights: its verdicts go until it is audited again. */
  private watch(checkpoint: vscode.Uri): void {
    const key = checkpoint.toString();
    if (this.watchers.has(key)) return;
    const folder = vscode.Uri.joinPath(checkpoint, '..');
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, uriBaseName(checkpoint)), true, false, false);
    const gone = () => this.forget(checkpoint);
    this.watchers.set(key, vscode.Disposable.from(watcher, watcher.onDidChange(gone), watcher.onDidDelete(gone)));
  }
}

/** A storage write that failed leaves the verdicts in memory for this window: they are only not restored after a reload. */
function keptInMemory(): void {}

async function statOf(uri: vscode.Uri): Promise<vscode.FileStat | undefined> {
  try {
    return await vscode.workspace.fs.stat(uri);
  } catch {
    return undefined;
  }
}

function parseUri(text: string): vscode.Uri | undefined {
  try {
    return vscode.Uri.parse(text, true);
  } catch {
    return undefined;
  }
}

/** Audit Checkpoint's arguments that open the checkpoint's editor, paired with the source, at the verdict's layer. */
export function openAtLayerArguments(verdict: TrainedVerdictAt): { uri: string; source: string; layer: string } {
  return { uri: verdict.audit.checkpoint.toString(), source: verdict.audit.source.toString(), layer: verdict.record.name };
}
