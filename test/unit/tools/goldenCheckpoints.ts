/**
 * The checkpoints of test/golden/checkpoints.py (torch.save, safetensors, NumPy; the model sources
 * dcgan.py and srgan.py beside them), written into a fresh folder for the file tools' tests, as
 * test/unit/checkpoint/readers.test.ts writes them.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export function writeGoldenCheckpoints(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'layer-lens-tools-'));
  const script = resolve(__dirname, '../../../../test/golden/checkpoints.py');
  const run = spawnSync('/usr/bin/python3', [script, dir, join(dir, 'marker')], { encoding: 'utf8' });
  assert.equal(run.status, 0, `test/golden/checkpoints.py failed (it needs Debian's python3-torch and python3-numpy): ${run.error?.message ?? run.stderr}`);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
