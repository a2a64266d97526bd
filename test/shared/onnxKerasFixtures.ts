/**
 * The ONNX and Keras checkpoints of test/golden/checkpoint-onnx-keras.py, written once per test run
 * into a temporary directory by Debian's /usr/bin/python3 (torch, onnx, h5py). No `vscode` import,
 * so the unit and the integration tests share it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface ExpectedTensor {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: string;
  readonly data: number[];
}

export interface ExpectedLayer {
  readonly name: string;
  readonly op: string;
  readonly weight: string;
  readonly bias?: string;
  readonly stride: number[];
  readonly dilation: number[];
  readonly groups: number;
  readonly pixelShuffle?: number;
}

export interface OnnxKerasFixtures {
  readonly dir: string;
  /** Per file: its tensors, its layers, and each audited layer's periodic energy (and a transposed convolution's phase sums `[channel][row][column]`) computed with NumPy. */
  readonly expected: Record<string, { tensors: ExpectedTensor[]; layers?: ExpectedLayer[]; audit?: Record<string, number>; phaseSums?: Record<string, number[][][]> }>;
}

const PYTHON = '/usr/bin/python3';

/** Whether this machine can write the fixtures (Debian's python3-torch, python3-onnx, python3-h5py). */
function canWriteOnnxKerasFixtures(): boolean {
  return spawnSync(PYTHON, ['-c', 'import torch, onnx, h5py'], { stdio: 'ignore' }).status === 0;
}

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

let written: OnnxKerasFixtures | undefined;

/**
 * Runs the script (once per process) and returns where the files are and what they hold. Without
 * the tools it throws, naming the packages: `npm test` needs them, as it needs the other evaluators.
 */
export function onnxKerasFixtures(): OnnxKerasFixtures {
  if (written !== undefined) return written;
  if (!canWriteOnnxKerasFixtures()) {
    throw new Error(`${PYTHON} with torch, onnx and h5py is needed to write these tests' checkpoints (Debian: apt-get install python3-torch python3-onnx python3-h5py; .ci/run installs them).`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'layer-lens-onnx-keras-'));
  execFileSync(PYTHON, [join(repoRoot(), 'test', 'golden', 'checkpoint-onnx-keras.py'), dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  written = { dir, expected: JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as OnnxKerasFixtures['expected'] };
  return written;
}
