/**
 * A tensor's (or ndarray's) values read from the paused frame as bytes, not as printed text: one
 * `evaluate` per chunk of {@link CHUNK_VALUES} values (a 262,144-value float32 tensor is one
 * request of 1.4 MB of base64), with a progress notification and Cancel when it takes a while.
 */
import * as vscode from 'vscode';
import { UserFacingError } from '../common/arguments';
import { fetchSnippet, type LiveSource } from '../../core/live/snippets';
import { readFetchAnswer, type ArrayHeader } from '../../core/live/wire';
import { evaluateSnippet, pythonError, type PausedFrame } from './pausedFrame';

/** Values per request: 4 MB of float32 (5.6 MB of base64), about a second of the adapter's time. */
export const CHUNK_VALUES = 1 << 20;
/** A fetch still running after this long shows a progress notification with Cancel. */
const PROGRESS_DELAY_MS = 400;

export interface FetchedArray {
  readonly header: ArrayHeader;
  /** Flat, row-major, float64 (float32 values exactly). */
  readonly values: Float64Array;
}

/** What a fetch is of, for messages: `x`, `self.up(x)`. */
export interface FetchRequest {
  readonly source: LiveSource;
  readonly label: string;
  /** The largest number of values fetched (`layerLens.maxOutputElements`). */
  readonly limit: number;
  /** Whether the caller shows the progress (and its Cancel) itself, for several fetches in one: then this fetch shows none. */
  readonly quiet?: boolean;
}

/** Thrown when the object holds more values than the limit; carries its header, so a slice can be offered. */
export class TooLargeError extends UserFacingError {
  constructor(readonly header: ArrayHeader, label: string, limit: number) {
    super(
      `${label} is a ${header.type} of shape [${header.shape.join(', ')}] holding ${header.count.toLocaleString('en-US')} values, more than ` +
        `layerLens.maxOutputElements (${limit.toLocaleString('en-US')}). Inspect a slice of it (such as ${label}[0]), or raise the setting.`,
    );
  }
}

/** Fetches the values, or explains why not (not a tensor, too large, complex, the session fails). */
export async function fetchArray(frame: PausedFrame, request: FetchRequest, outer?: vscode.CancellationToken): Promise<FetchedArray> {
  const cancellation = new vscode.CancellationTokenSource();
  const forward = outer?.onCancellationRequested(() => cancellation.cancel());
  let done = 0;
  let total: number | undefined;
  let report: ((done: number) => void) | undefined;
  const job = (async () => {
    const first = await fetchChunk(frame, request, 0, CHUNK_VALUES, cancellation.token);
    const { header } = first;
    total = header.count;
    const values = new Float64Array(header.count);
    values.set(first.values);
    done = first.values.length;
    while (done < header.count) {
      report?.(done);
      const next = await fetchChunk(frame, request, done, Math.min(done + CHUNK_VALUES, header.count), cancellation.token);
      if (next.header.count !== header.count) throw new UserFacingError(`${request.label} changed while Layer Lens read it.`);
      values.set(next.values, done);
      done += next.values.length;
    }
    return { header, values };
  })();
  try {
    const quick = await Promise.race([job.then(() => true, () => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), PROGRESS_DELAY_MS))]);
    if (!quick && !request.quiet) {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Layer Lens: reading ${request.label} from the debug session`, cancellable: true }, async (progress, token) => {
        token.onCancellationRequested(() => cancellation.cancel());
        let shown = 0;
        report = (now) => {
          if (total === undefined || total === 0) return;
          progress.report({ increment: ((now - shown) / total) * 100, message: `${now.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} values` });
          shown = now;
        };
        await job.catch(() => undefined);
      });
    }
    return await job;
  } finally {
    forward?.dispose();
    cancellation.dispose();
  }
}

async function fetchChunk(frame: PausedFrame, request: FetchRequest, start: number, end: number, token: vscode.CancellationToken): Promise<FetchedArray> {
  const result = await evaluateSnippet(frame, fetchSnippet(request.source, { start, end, limit: request.limit }), request.label, token);
  let answer: ReturnType<typeof readFetchAnswer>;
  try {
    answer = readFetchAnswer(result);
  } catch {
    // Not the snippet's answer: the adapter's report of what Python raised.
    throw new UserFacingError(`reading ${request.label} in the debug session failed: ${pythonError(result)}`);
  }
  if (answer.kind === 'other') throw new UserFacingError(`${request.label} is a ${answer.type}, not a tensor or an array; Layer Lens reads torch.Tensor (and Parameter) and numpy.ndarray values.`);
  const { header } = answer;
  if (!header.fetched) {
    if (header.count > request.limit) throw new TooLargeError(header, request.label, request.limit);
    throw new UserFacingError(`${request.label} is a ${header.type} of dtype ${header.dtype}; Layer Lens reads tensors of real numbers (floating point, integer or bool) with the strided layout.`);
  }
  const expected = Math.max(0, Math.min(end, header.count) - start);
  if (answer.values.length !== expected) throw new UserFacingError(`${request.label}: the debug session sent ${answer.values.length} values where ${expected} were asked for.`);
  return answer;
}
