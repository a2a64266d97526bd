/**
 * Seeded mutations of checkpoint files: each file cut short or with a few bytes overwritten (half of
 * them in its first 600 bytes, where the headers are), read through `readCheckpoint`, every tensor
 * read and audited. Anything but success or a CheckpointError fails the test.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditCheckpoint } from '../../../src/core/checkpoint/audit';
import { readCheckpoint } from '../../../src/core/checkpoint/formats';
import { CheckpointError } from '../../../src/core/checkpoint/types';

/** Reads 40 mutations of each file of `dir`; returns how many were refused. */
export function readMutations(dir: string, files: readonly string[], seed = 18): number {
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  let refused = 0;
  for (const file of files) {
    const original = new Uint8Array(readFileSync(join(dir, file)));
    for (let k = 0; k < 40; k++) {
      let bytes = original.slice();
      if (random() < 0.3) bytes = bytes.subarray(0, Math.floor(random() * bytes.length));
      else for (let flips = 1 + Math.floor(random() * 8); flips > 0; flips--) bytes[Math.floor(random() * (random() < 0.5 ? Math.min(bytes.length, 600) : bytes.length))] = Math.floor(random() * 256);
      try {
        const checkpoint = readCheckpoint(bytes, file);
        for (const t of checkpoint.tensors) checkpoint.tensor(t.name);
        auditCheckpoint(checkpoint, { stride: 2 });
      } catch (error) {
        if (!(error instanceof CheckpointError)) assert.fail(`${file}, mutation ${k}: ${error instanceof Error ? error.stack : String(error)}`);
        refused++;
      }
    }
  }
  return refused;
}
