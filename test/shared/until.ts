/** Polling for the tests that watch a real VS Code: no `vscode` import, so the end-to-end driver uses it too. */
import * as assert from 'node:assert/strict';

/** Reads `read()` every 100 ms until `ok` accepts it (and returns it), failing after `timeoutMs`. */
export async function until<T>(what: string, read: () => T | Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value)) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}
