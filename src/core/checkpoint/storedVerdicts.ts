/**
 * The trained verdicts kept across window reloads: what `TrainedVerdicts` publishes, written to the
 * workspace's storage with the checkpoint's size and modification time, and read back only for a
 * checkpoint that still has both (a checkpoint rewritten while VS Code was closed holds other
 * weights). Storage outlives versions of the extension and may hold anything, so what is read back
 * is checked field by field and an entry that does not fit is left out, never trusted.
 */
import type { AuditedLayer, AuditedOp } from './audit';
import type { TrainedLayerRecord } from './trainedVerdict';

/** One checkpoint's published audit, as stored. */
export interface StoredAudit {
  readonly checkpoint: string;
  readonly source: string;
  /** The checkpoint file's size in bytes and modification time (ms) when it was audited. */
  readonly size: number;
  readonly mtime: number;
  readonly records: readonly TrainedLayerRecord[];
}

/** The storage key, with the layout's version: a later layout uses another key. */
export const STORED_VERDICTS_KEY = 'layerLens.trainedVerdicts.v1';

/** At most this many checkpoints are remembered; the oldest go first. */
export const MAX_STORED_AUDITS = 64;

// Every audited op, by a record the compiler checks is complete: a new op is read back too.
const AUDITED_OPS: Readonly<Record<AuditedOp, true>> = { convTranspose1d: true, convTranspose2d: true, convTranspose3d: true, subPixelConvolution: true };
const OPS: ReadonlySet<string> = new Set(Object.keys(AUDITED_OPS));
const VERDICTS: ReadonlySet<string> = new Set<AuditedLayer['verdict']>(['even', 'uneven', 'unknown']);

/** The audits in `value` (what storage gave back) that are well formed. */
export function readStoredAudits(value: unknown): StoredAudit[] {
  if (!Array.isArray(value)) return [];
  const audits: StoredAudit[] = [];
  for (const entry of value.slice(-MAX_STORED_AUDITS)) {
    const audit = readAudit(entry);
    if (audit) audits.push(audit);
  }
  return audits;
}

/** `audits` with `audit` in place of any earlier one of the same checkpoint, the oldest dropped past the limit. */
export function withStoredAudit(audits: readonly StoredAudit[], audit: StoredAudit): StoredAudit[] {
  return [...audits.filter((a) => a.checkpoint !== audit.checkpoint), audit].slice(-MAX_STORED_AUDITS);
}

function readAudit(entry: unknown): StoredAudit | undefined {
  if (!isObject(entry)) return undefined;
  const { checkpoint, source, size, mtime, records } = entry;
  if (typeof checkpoint !== 'string' || typeof source !== 'string' || !isCount(size) || typeof mtime !== 'number' || !Number.isFinite(mtime) || !Array.isArray(records)) return undefined;
  const read = records.map(readRecord);
  if (read.length === 0 || read.some((r) => r === undefined)) return undefined;
  return { checkpoint, source, size, mtime, records: read as TrainedLayerRecord[] };
}

function readRecord(entry: unknown): TrainedLayerRecord | undefined {
  if (!isObject(entry)) return undefined;
  const { name, op, verdict, periodicEnergy, worstChannel, icnr, callText, occurrence, occurrences } = entry;
  if (typeof name !== 'string' || typeof op !== 'string' || !OPS.has(op) || typeof verdict !== 'string' || !VERDICTS.has(verdict)) return undefined;
  if (typeof periodicEnergy !== 'number' || !Number.isFinite(periodicEnergy) || typeof callText !== 'string' || callText.length === 0) return undefined;
  if (!isCount(occurrence) || !isCount(occurrences) || occurrence >= occurrences) return undefined;
  if (worstChannel !== undefined && !isCount(worstChannel)) return undefined;
  let readIcnr: TrainedLayerRecord['icnr'];
  if (icnr !== undefined) {
    if (!isObject(icnr) || typeof icnr.structured !== 'boolean' || typeof icnr.distance !== 'number' || !Number.isFinite(icnr.distance)) return undefined;
    readIcnr = { structured: icnr.structured, distance: icnr.distance };
  }
  return {
    name,
    op: op as AuditedLayer['op'],
    verdict: verdict as AuditedLayer['verdict'],
    periodicEnergy,
    ...(worstChannel !== undefined ? { worstChannel } : {}),
    ...(readIcnr ? { icnr: readIcnr } : {}),
    callText,
    occurrence,
    occurrences,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
