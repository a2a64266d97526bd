/**
 * What the live-tensor suites share: a tracker of the debug adapter's traffic (the expressions
 * evaluated, the stops), a command's result with the error messages it showed, and a progress
 * whose Cancel the test presses (notifications do not show under the smoke-test driver; this test
 * and Layer Lens share the extension's `vscode` API object, so replacing `withProgress` here is
 * replacing it for Layer Lens).
 */
import * as vscode from 'vscode';
import { errorsDuring, samples } from './support';

export interface AdapterTraffic extends vscode.Disposable {
  /** Every `evaluate` request's expression, in order. */
  readonly evaluations: string[];
  /** How many `stopped` events came. */
  stops(): number;
}

export function trackAdapter(): AdapterTraffic {
  const evaluations: string[] = [];
  let stops = 0;
  const registration = vscode.debug.registerDebugAdapterTrackerFactory('*', {
    createDebugAdapterTracker: () => ({
      onWillReceiveMessage: (message: { command?: string; arguments?: { expression?: string } }) => {
        if (message.command === 'evaluate') evaluations.push(message.arguments?.expression ?? '');
      },
      onDidSendMessage: (message: { type?: string; event?: string }) => {
        if (message.type === 'event' && message.event === 'stopped') stops++;
      },
    }),
  });
  return { evaluations, stops: () => stops, dispose: () => registration.dispose() };
}

/** A command's result and the error messages it showed; it must resolve without waiting for them. */
export async function refused(run: () => PromiseLike<unknown>): Promise<{ result: unknown; messages: string[] }> {
  let result: unknown = 'not settled';
  const messages = await errorsDuring(async () => {
    result = await run();
  });
  return { result, messages };
}

/** A progress notification's Cancel, as the test presses it, and how many progress tasks still run. */
export interface ProgressControl {
  /** The token source of the latest progress shown; cancelling it is pressing Cancel. */
  latest(): vscode.CancellationTokenSource | undefined;
  running(): number;
}

/** Runs `body` with every progress notification's token in the test's hands (`cancelAtOnce`: pressed as it shows). */
export async function withCancellableProgress(body: (control: ProgressControl) => Promise<void>, cancelAtOnce = false): Promise<void> {
  const window = vscode.window as { withProgress: typeof vscode.window.withProgress };
  const original = window.withProgress;
  let latest: vscode.CancellationTokenSource | undefined;
  let running = 0;
  window.withProgress = ((options, task) =>
    original(options, (progress, token) => {
      const source = new vscode.CancellationTokenSource();
      latest = source;
      token.onCancellationRequested(() => source.cancel());
      if (cancelAtOnce) source.cancel();
      running++;
      return Promise.resolve(task(progress, source.token)).finally(() => running--);
    })) as typeof vscode.window.withProgress;
  try {
    await body({ latest: () => latest, running: () => running });
  } finally {
    window.withProgress = original;
  }
}

/**
 * Starts `script` under the real debugpy adapter with the launch configuration verified here: its
 * outputs go to `out` (LAYER_LENS_LIVE_OUT), and it lingers up to 90 s for the tests to finish.
 */
export async function launchScript(name: string, script: string, out: string): Promise<boolean> {
  return vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], {
    type: 'debugpy',
    request: 'launch',
    name,
    program: script,
    python: '/usr/bin/python3',
    console: 'internalConsole',
    justMyCode: true,
    cwd: samples,
    env: { LAYER_LENS_LIVE_OUT: out, LAYER_LENS_LIVE_LINGER: '90' },
  });
}
