/**
 * The host's end of one webview page: the ready handshake, the queue, validation and dispatch.
 * It knows nothing of VS Code beyond the two calls of {@link WebviewPort}, so the handshake is
 * unit-tested in Node with a fake port (test/unit/host/pageConnection.test.ts).
 *
 * - A page's script posts `ready` each time it loads (first open, shown again after being hidden,
 *   a window reload). The host answers every `ready` with the current `show` message, then sends
 *   what was queued meanwhile.
 * - Until then, and while the page is hidden (its document is gone; messages to it are lost),
 *   messages are queued instead of posted. `show` is never queued: the snapshot sent on `ready` is
 *   always the latest one.
 * - Every message from the page is checked with the page's guard before anything acts on it; a
 *   malformed one is dropped with a warning. A handler that throws is reported, never left to kill
 *   the listener.
 */
import type { Message } from '../../core/protocol/common';
import type { Guard } from '../../core/protocol/schema';

/** What the kit uses of a webview: post a message, hear one. */
export interface WebviewPort {
  postMessage(message: unknown): PromiseLike<boolean>;
  onDidReceiveMessage(listener: (message: unknown) => unknown): { dispose(): unknown };
}

/** One handler per message type the page sends, `ready` aside (the connection answers it). */
export type HostHandlers<From extends Message> = {
  readonly [K in Exclude<From['type'], 'ready'>]: (message: Extract<From, { readonly type: K }>) => unknown;
};

export interface PageConnectionOptions<To extends Message, From extends Message> {
  /** The page's name in warnings: `stack view`. */
  readonly name: string;
  readonly isFromPage: Guard<From>;
  /** The `show` message of the current state, sent on every `ready`. */
  readonly show: () => To;
  readonly handlers: () => HostHandlers<From>;
  /** Told when a handler fails (the host shows it to the user). */
  readonly failed: (error: unknown) => void;
}

/** Messages kept for a page that is not listening; older ones are dropped beyond this. */
const MAX_QUEUED = 32;

export class PageConnection<To extends Message, From extends Message> {
  private listening = false;
  private readonly queue: To[] = [];
  private readonly subscription: { dispose(): unknown };

  constructor(
    private readonly port: WebviewPort,
    private readonly options: PageConnectionOptions<To, From>,
  ) {
    this.subscription = port.onDidReceiveMessage((message) => this.receive(message));
  }

  /** Whether the page has said it is ready (and has not been hidden since). */
  get ready(): boolean {
    return this.listening;
  }

  /** Sends the current state now if the page listens; otherwise it goes with the next `ready`. */
  show(): void {
    if (this.listening) void this.port.postMessage(this.options.show());
  }

  /** Posts `message` now, or when the page is next ready. */
  post(message: To): void {
    if (this.listening) {
      void this.port.postMessage(message);
      return;
    }
    this.queue.push(message);
    if (this.queue.length > MAX_QUEUED) this.queue.shift();
  }

  /** The page's document is gone (the panel was hidden): queue until it says `ready` again. */
  pageGone(): void {
    this.listening = false;
  }

  dispose(): void {
    this.subscription.dispose();
    this.queue.length = 0;
  }

  private receive(message: unknown): void {
    if (!this.options.isFromPage(message)) {
      console.warn(`[Layer Lens] the ${this.options.name} sent a malformed message`);
      return;
    }
    if (message.type === 'ready') {
      this.listening = true;
      void this.port.postMessage(this.options.show());
      for (const queued of this.queue.splice(0)) void this.port.postMessage(queued);
      return;
    }
    const handlers = this.options.handlers() as unknown as Partial<Record<string, (message: From) => unknown>>;
    const handler = Object.hasOwn(handlers, message.type) ? handlers[message.type] : undefined;
    if (!handler) {
      console.warn(`[Layer Lens] the ${this.options.name} sent a message with no handler: ${message.type}`);
      return;
    }
    try {
      const result = handler(message);
      if (isThenable(result)) result.then(undefined, this.options.failed);
    } catch (error) {
      this.options.failed(error);
    }
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
