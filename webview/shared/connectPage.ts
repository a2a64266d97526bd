/**
 * The one place a Layer Lens page talks to VS Code. `connectPage` acquires the webview API (which
 * VS Code allows once per page), checks every message from the host with the page's guard before
 * acting on it (a malformed one is dropped with a console warning), dispatches it to the handler
 * of its `type` (the compiler checks that every type has one), and then tells the host the page is
 * ready, which the host answers with `show`.
 */
import type { Message } from '../../src/core/protocol/common';
import type { Guard } from '../../src/core/protocol/schema';

/** One handler per message type the host sends. */
export type PageHandlers<To extends Message> = { readonly [K in To['type']]: (message: Extract<To, { readonly type: K }>) => void };

/** What a page may do with VS Code: send the host a message, and keep state across reloads. */
export interface PageLink<From extends Message, State> {
  post(message: From): void;
  /** What the page kept with `keep` before the webview was hidden or VS Code restarted (unchecked: guard it). */
  kept(): unknown;
  keep(state: State | undefined): void;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

export function connectPage<To extends Message, From extends Message, State = never>(name: string, isToPage: Guard<To>, handlers: PageHandlers<To>): PageLink<From, State> {
  const vscode = (api ??= acquireVsCodeApi());
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data;
    if (!isToPage(message)) {
      console.warn(`[Layer Lens] the ${name} page received a malformed message`, message);
      return;
    }
    (handlers[message.type as To['type']] as (message: To) => void)(message);
  });
  const link: PageLink<From, State> = {
    post: (message) => vscode.postMessage(message),
    kept: () => vscode.getState(),
    keep: (state) => vscode.setState(state),
  };
  vscode.postMessage({ type: 'ready' });
  return link;
}
