/**
 * The paused frame of a Python debug session that Layer Lens reads from, and the one way it asks
 * that session anything: an `evaluate` request of a snippet built by src/core/live/snippets.ts, in
 * the `clipboard` context (the only one in which debugpy returns a long string whole rather than
 * cut to 2^16 characters). Every way this can fail ends in a sentence: no session, a session of
 * another language, a running program, an evaluation that raises, a session that ends meanwhile.
 */
import * as vscode from 'vscode';
import { UserFacingError } from '../common/arguments';
import type { PythonSnippet } from '../../core/live/snippets';
import { asciiText, decodeBase64 } from '../../core/live/base64';
import { unquote } from '../../core/live/wire';

/** The debug types of Python sessions: the Python Debugger extension's, and its older name. */
export const PYTHON_DEBUG_TYPES: readonly string[] = ['debugpy', 'python'];

export interface PausedFrame {
  readonly session: vscode.DebugSession;
  readonly frameId: number;
  /** Where the frame is paused, for captions (`model.py:12`), when the adapter says. */
  readonly place?: string;
}

export const isPythonSession = (session: vscode.DebugSession | undefined): boolean => session !== undefined && PYTHON_DEBUG_TYPES.includes(session.type);

/**
 * The frame to read: `frameId` in the active session if given, else the frame selected in the Call
 * Stack view, else the top frame of the first paused thread.
 */
export async function pausedFrame(frameId?: number): Promise<PausedFrame> {
  const session = vscode.debug.activeDebugSession;
  if (!session) throw new UserFacingError('no debug session is running. Start your Python program under the debugger (debug type "debugpy"), pause it at a breakpoint, then inspect a tensor.');
  if (!isPythonSession(session)) {
    throw new UserFacingError(`the active debug session "${session.name}" is a "${session.type}" session; Layer Lens reads tensors from Python sessions (debug type "debugpy" or "python").`);
  }
  if (frameId !== undefined) return { session, frameId };
  // The Call Stack view's selection may be a thread that runs again since: ask its top frame first.
  const item = vscode.debug.activeStackItem;
  const selected = (item instanceof vscode.DebugStackFrame || item instanceof vscode.DebugThread) && item.session.id === session.id ? item : undefined;
  const threads: number[] = selected ? [selected.threadId] : ((await request<{ threads?: { id: number }[] }>(session, 'threads', {})).threads ?? []).map((t) => t.id);
  for (const id of threads) {
    const trace = await request<{ stackFrames?: { id: number; line?: number; source?: { name?: string } }[] }>(session, 'stackTrace', { threadId: id, startFrame: 0, levels: 1 }).catch(() => undefined);
    const top = trace?.stackFrames?.[0];
    if (!top) continue;
    const place = top.source?.name && top.line ? `${top.source.name}:${top.line}` : undefined;
    return { session, frameId: selected instanceof vscode.DebugStackFrame ? selected.frameId : top.id, place };
  }
  throw new UserFacingError(`the debug session "${session.name}" is running, not paused. Pause it (or stop at a breakpoint) to read its tensors.`);
}

function request<T>(session: vscode.DebugSession, command: string, args: object): Promise<T> {
  return Promise.resolve(session.customRequest(command, args) as Thenable<T>);
}

/**
 * Evaluates `snippet` in the frame and returns the result's text. Rejects with a UserFacingError
 * naming `what` when Python raises, when the session ends first, or with CancellationError when
 * `token` is cancelled (the answer, if it comes, is dropped).
 */
export async function evaluateSnippet(frame: PausedFrame, snippet: PythonSnippet, what: string, token?: vscode.CancellationToken): Promise<string> {
  const disposables: vscode.Disposable[] = [];
  try {
    const interrupted = new Promise<never>((_resolve, reject) => {
      disposables.push(
        vscode.debug.onDidTerminateDebugSession((ended) => {
          if (ended.id === frame.session.id) reject(new UserFacingError(`the debug session "${frame.session.name}" ended while Layer Lens was reading ${what}.`));
        }),
      );
      if (token) disposables.push(token.onCancellationRequested(() => reject(new vscode.CancellationError())));
    });
    const answer = request<{ result?: unknown }>(frame.session, 'evaluate', { expression: snippet, frameId: frame.frameId, context: 'clipboard' }).then(
      (body) => {
        if (typeof body.result !== 'string') throw new UserFacingError(`the debug session gave no result for ${what}.`);
        return body.result;
      },
      (error: unknown) => {
        // debugpy's answer for a frame whose thread runs again.
        if (/Unable to find (thread|frame)|frame not found/i.test(String(error instanceof Error ? error.message : error))) throw new UserFacingError(`the debug session "${frame.session.name}" is running, not paused. Pause it (or stop at a breakpoint) to read its tensors.`);
        throw new UserFacingError(`reading ${what} in the debug session failed: ${pythonError(error)}`);
      },
    );
    return await Promise.race([answer, interrupted]);
  } finally {
    for (const disposable of disposables) disposable.dispose();
  }
}

/** A snippet's base64 JSON answer (a module's class and hyperparameters, a model's layers). */
export async function evaluateJson(frame: PausedFrame, snippet: PythonSnippet, label: string, token?: vscode.CancellationToken): Promise<unknown> {
  const result = await evaluateSnippet(frame, snippet, label, token);
  try {
    return JSON.parse(asciiText(decodeBase64(unquote(result))));
  } catch {
    throw new UserFacingError(`reading ${label} in the debug session failed: ${pythonError(result)}`);
  }
}

/** The adapter's error as a sentence: debugpy sends Python's traceback; its last line says what was raised. */
export function pythonError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  const raised = lines.filter((line) => /^[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit)\b/.test(line));
  const last = raised.at(-1) ?? lines.at(-1) ?? message;
  return last.length > 300 ? `${last.slice(0, 300)}…` : last;
}
