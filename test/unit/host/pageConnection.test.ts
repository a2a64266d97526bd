/**
 * The webview host kit's handshake (src/host/kit/pageConnection.ts), with a fake port in place of
 * a webview: what reaches the page before and after it says `ready`, after it is hidden, what a
 * malformed message does, and a handler that fails.
 */
import * as assert from 'node:assert/strict';
import { PageConnection, type WebviewPort } from '../../../src/host/kit/pageConnection';
import { isFromStackMessage, type FromStackMessage, type ToStackMessage } from '../../../src/core/protocol/stack';

class FakePort implements WebviewPort {
  readonly posted: unknown[] = [];
  private listener: ((message: unknown) => unknown) | undefined;
  postMessage(message: unknown): PromiseLike<boolean> {
    this.posted.push(message);
    return Promise.resolve(true);
  }
  onDidReceiveMessage(listener: (message: unknown) => unknown): { dispose(): unknown } {
    this.listener = listener;
    return { dispose: () => (this.listener = undefined) };
  }
  /** The page sends `message`. */
  send(message: unknown): void {
    this.listener?.(message);
  }
}

function connect(overrides: Partial<{ reveal: (m: Extract<FromStackMessage, { type: 'reveal' }>) => unknown; failed: (e: unknown) => void }> = {}) {
  const port = new FakePort();
  const heard: FromStackMessage[] = [];
  const failures: unknown[] = [];
  let version = 0;
  const connection = new PageConnection<ToStackMessage, FromStackMessage>(port, {
    name: 'stack view',
    isFromPage: isFromStackMessage,
    show: () => ({ type: 'show', snapshot: { kind: 'invalid', problems: [`version ${version}`] } }),
    handlers: () => ({
      chooseFixes: (m) => heard.push(m),
      applyFixes: (m) => heard.push(m),
      reveal: overrides.reveal ?? ((m) => heard.push(m)),
      chooseUse: (m) => heard.push(m),
    }),
    failed: overrides.failed ?? ((error) => failures.push(error)),
  });
  return { port, heard, failures, connection, bump: () => version++ };
}

const notice = (text: string): ToStackMessage => ({ type: 'notice', tone: 'info', text });

describe('webview host kit: the page connection', () => {
  it('posts nothing before the page is ready, then the current show and what was queued, in order', () => {
    const { port, connection, bump } = connect();
    connection.post(notice('first'));
    connection.show();
    bump();
    connection.post(notice('second'));
    assert.deepEqual(port.posted, [], 'nothing reaches a page that does not listen yet');
    port.send({ type: 'ready' });
    assert.equal(connection.ready, true);
    assert.deepEqual(port.posted, [{ type: 'show', snapshot: { kind: 'invalid', problems: ['version 1'] } }, notice('first'), notice('second')]);
  });

  it('posts at once while the page listens, and queues again once the page is gone until it is ready again', () => {
    const { port, connection, bump } = connect();
    port.send({ type: 'ready' });
    connection.post(notice('now'));
    assert.deepEqual(port.posted.at(-1), notice('now'));
    connection.pageGone();
    assert.equal(connection.ready, false);
    const before = port.posted.length;
    connection.post(notice('later'));
    bump();
    connection.show();
    assert.equal(port.posted.length, before, 'a hidden page gets nothing (its document is gone)');
    port.send({ type: 'ready' });
    assert.deepEqual(port.posted.slice(before), [{ type: 'show', snapshot: { kind: 'invalid', problems: ['version 1'] } }, notice('later')]);
  });

  it('answers every ready with the latest show, and show() sends it while the page listens', () => {
    const { port, connection, bump } = connect();
    port.send({ type: 'ready' });
    bump();
    connection.show();
    port.send({ type: 'ready' });
    assert.deepEqual(port.posted.map((m) => (m as { snapshot: { problems: string[] } }).snapshot.problems[0]), ['version 0', 'version 1', 'version 1']);
  });

  it('keeps at most 32 queued messages, dropping the oldest', () => {
    const { port, connection } = connect();
    for (let i = 0; i < 40; i++) connection.post(notice(String(i)));
    port.send({ type: 'ready' });
    assert.equal(port.posted.length, 1 + 32);
    assert.deepEqual(port.posted[1], notice('8'));
  });

  it('dispatches a valid message to its handler and drops malformed ones without calling anything', () => {
    const { port, heard } = connect();
    const warn = console.warn;
    const warnings: unknown[] = [];
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      for (const bad of [null, 'ready', { type: 'reveal' }, { type: 'reveal', row: -1 }, { type: 'reveal', row: 1.5 }, { type: 'stackReveal', row: 1 }, { type: 'chooseFixes', chosen: [[1]] }, { type: '__proto__' }, { type: 'toString' }]) port.send(bad);
      port.send({ type: 'reveal', row: 3 });
      port.send({ type: 'applyFixes', chosen: [[0, 1]] });
    } finally {
      console.warn = warn;
    }
    assert.deepEqual(heard, [{ type: 'reveal', row: 3 }, { type: 'applyFixes', chosen: [[0, 1]] }]);
    assert.equal(warnings.length, 9);
  });

  it('reports a handler that throws or rejects, and keeps listening', async () => {
    let calls = 0;
    const failures: unknown[] = [];
    const { port } = connect({
      reveal: () => {
        calls++;
        if (calls === 1) throw new Error('thrown');
        return Promise.reject(new Error('rejected'));
      },
      failed: (error) => failures.push(error),
    });
    port.send({ type: 'reveal', row: 0 });
    port.send({ type: 'reveal', row: 0 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(failures.map((e) => (e as Error).message), ['thrown', 'rejected']);
  });

  it('hears nothing after it is disposed', () => {
    const { port, heard, connection } = connect();
    connection.dispose();
    port.send({ type: 'reveal', row: 1 });
    assert.deepEqual(heard, []);
  });
});
