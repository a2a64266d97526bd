/**
 * The trained verdict shown in a paired model source: what a checkpoint's audit says about each
 * layer call of the source it was paired with ("trained weights in G_epoch200.pt: uneven, 7.3 %
 * periodic energy, worst output channel 12").
 *
 * An audit is taken against the source's text at one moment; the user then edits the file. A
 * layer's record keeps the call's text as it was, and which occurrence of that text it was (the
 * same call may be written several times in one `Sequential`). In the current text, the record
 * belongs to that occurrence of the same call text: lines added or removed anywhere keep it, an
 * edit of the call itself (another kernel size, another stride) drops it, since its audit no longer
 * describes that call. When the text occurs a different number of times than it did (one of two
 * equal calls edited), which is which cannot be told, and the records of that text are all dropped
 * rather than one given to the wrong call.
 */
import type { AuditedLayer, CheckpointAudit } from './audit';

/** One audited layer as its source call remembers it. */
export interface TrainedLayerRecord {
  /** The weight's key without `.weight` (`main.3`): the checkpoint editor reveals it by this name. */
  readonly name: string;
  readonly op: AuditedLayer['op'];
  readonly verdict: AuditedLayer['verdict'];
  readonly periodicEnergy: number;
  readonly worstChannel?: number;
  readonly icnr?: AuditedLayer['icnr'];
  /** The call's text when audited (`nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False)`). */
  readonly callText: string;
  /** Which occurrence of `callText` in the audited source it was (0 for the first), and how many there were. */
  readonly occurrence: number;
  readonly occurrences: number;
}

/** The longest call text remembered: a longer "call" is a parse gone astray, not a layer. */
const MAX_CALL_TEXT = 4000;

/** The records of the layers of `audit` paired with calls of `source` (the text the audit paired with). */
export function trainedRecords(audit: CheckpointAudit, source: string): TrainedLayerRecord[] {
  const records: TrainedLayerRecord[] = [];
  for (const layer of audit.layers) {
    if (!layer.source) continue;
    const callText = callTextAt(source, layer.source.offset);
    if (callText === undefined) continue;
    records.push({
      name: layer.name,
      op: layer.op,
      verdict: layer.verdict,
      periodicEnergy: layer.periodicEnergy,
      ...(layer.worstChannel !== undefined ? { worstChannel: layer.worstChannel } : {}),
      ...(layer.icnr ? { icnr: layer.icnr } : {}),
      callText,
      occurrence: occurrencesBefore(source, callText, layer.source.offset),
      occurrences: occurrencesBefore(source, callText, source.length),
    });
  }
  return records;
}

/**
 * The text of the call starting at `offset` (its callee, then its parenthesised arguments), or
 * undefined when no call is there. Brackets inside string literals are skipped.
 */
export function callTextAt(text: string, offset: number): string | undefined {
  const open = text.indexOf('(', offset);
  if (open < 0 || open - offset > 200 || /\s/.test(text.slice(offset, open).trim())) return undefined;
  let depth = 0;
  let quote: string | undefined;
  const end = Math.min(text.length, offset + MAX_CALL_TEXT);
  for (let i = open; i < end; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return text.slice(offset, i + 1);
    }
  }
  return undefined;
}

/** How many times `needle` occurs in `text` before `offset`. */
function occurrencesBefore(text: string, needle: string, offset: number): number {
  let count = 0;
  for (let at = text.indexOf(needle); at >= 0 && at < offset; at = text.indexOf(needle, at + 1)) count++;
  return count;
}

/** Where each record's call is in `text` now (the start of its callee); records whose call is gone are left out. */
export function locateTrained<R extends Pick<TrainedLayerRecord, 'callText' | 'occurrence' | 'occurrences'>>(records: readonly R[], text: string): { readonly record: R; readonly offset: number }[] {
  const found: { record: R; offset: number }[] = [];
  // Each distinct call text is searched once, however many records share it.
  const starts = new Map<string, number[]>();
  for (const record of records) {
    let at = starts.get(record.callText);
    if (!at) {
      at = [];
      for (let i = text.indexOf(record.callText); i >= 0; i = text.indexOf(record.callText, i + 1)) at.push(i);
      starts.set(record.callText, at);
    }
    const offset = at[record.occurrence];
    if (offset !== undefined && at.length === record.occurrences) found.push({ record, offset });
  }
  return found;
}

/** A share as the hover writes it: `7.3 %`, `0.042 %` for a small one, `0 %` for none. */
export function percentText(share: number): string {
  const value = share * 100;
  if (value === 0) return '0 %';
  return `${value >= 1 ? value.toFixed(1) : value.toPrecision(2)} %`;
}

/** "trained weights in G_epoch200.pt: uneven, 7.3 % periodic energy, worst output channel 12". */
export function trainedVerdictText(fileName: string, record: Pick<TrainedLayerRecord, 'verdict' | 'periodicEnergy' | 'worstChannel' | 'icnr' | 'op'>): string {
  const head = `trained weights in ${fileName}`;
  if (record.verdict === 'unknown') return `${head}: stride unknown, not audited`;
  const parts = [record.verdict, `${percentText(record.periodicEnergy)} periodic energy`];
  if (record.verdict === 'uneven' && record.worstChannel !== undefined) parts.push(`worst ${record.op === 'subPixelConvolution' ? 'channel' : 'output channel'} ${record.worstChannel}`);
  if (record.icnr) parts.push(record.icnr.structured ? 'still ICNR' : `${percentText(record.icnr.distance)} from ICNR`);
  return `${head}: ${parts.join(', ')}`;
}

/**
 * The CodeLens title: short, the verdict first, and the layer's key, since one call of a module
 * class used twice (`self.up1 = UpsampleBlock(…)`, `self.up2 = …`) makes two layers.
 */
export function trainedLensTitle(fileName: string, record: Pick<TrainedLayerRecord, 'name' | 'verdict' | 'periodicEnergy'>): string {
  const head = `Trained ${record.name} (${fileName})`;
  if (record.verdict === 'unknown') return `${head}: stride unknown`;
  return `${head}: ${record.verdict}, ${percentText(record.periodicEnergy)}`;
}
