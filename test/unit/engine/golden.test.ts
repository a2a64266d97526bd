/**
 * The engine against PyTorch: every case of test/golden/torch-reference.jsonl (PyTorch 1.13,
 * float64), one `it` per case, named by its parameters. Shapes must match exactly and values to
 * 1e-9·max(1, |expected|); calls PyTorch rejected must throw a LayerError with the matching code.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  avgPool2d,
  conv2d,
  convTranspose2d,
  LayerError,
  maxPool2d,
  pixelShuffle,
  tensor,
  upsample,
  type LayerErrorCode,
  type Tensor,
} from '../../../src/engine/index';

interface TensorJson {
  readonly shape: number[];
  readonly data: number[];
}

interface GoldenCase {
  readonly op: 'convTranspose2d' | 'conv2d' | 'maxPool2d' | 'avgPool2d' | 'upsample' | 'pixelShuffle';
  readonly input: TensorJson;
  readonly weight?: TensorJson;
  readonly bias?: TensorJson;
  readonly params: Record<string, unknown>;
  readonly expected?: TensorJson;
  readonly error?: string;
}

/** The repository root: the nearest directory above this file holding package.json (works from any out/ folder). */
function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

const goldenPath = path.join(repoRoot(), 'test', 'golden', 'torch-reference.jsonl');
const sharedGoldenPath = '/work/shared/golden/torch-reference.jsonl';

const cases: GoldenCase[] = fs
  .readFileSync(goldenPath, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as GoldenCase);

function toTensor(json: TensorJson): Tensor {
  return tensor(json.shape, json.data);
}

function run(c: GoldenCase): Tensor {
  const input = toTensor(c.input);
  const bias = c.bias ? toTensor(c.bias) : undefined;
  const params = c.params as never;
  switch (c.op) {
    case 'convTranspose2d':
      return convTranspose2d(input, toTensor(c.weight as TensorJson), { ...(c.params as object), bias });
    case 'conv2d':
      return conv2d(input, toTensor(c.weight as TensorJson), { ...(c.params as object), bias });
    case 'maxPool2d':
      return maxPool2d(input, params);
    case 'avgPool2d':
      return avgPool2d(input, params);
    case 'upsample':
      return upsample(input, params);
    case 'pixelShuffle':
      return pixelShuffle(input, params);
  }
}

/** `2` for `[2, 2]`, `2x3` for `[2, 3]`, as tfjs names its cases. */
function pair(value: unknown): string {
  if (Array.isArray(value)) return value[0] === value[1] ? String(value[0]) : value.join('x');
  return String(value);
}

function caseName(c: GoldenCase, line: number): string {
  const p = c.params;
  const parts = [c.op, `input=${c.input.shape.join('x')}`];
  if (c.weight) parts.push(`weight=${c.weight.shape.join('x')}`);
  if (c.bias) parts.push('bias');
  if (c.op === 'convTranspose2d' || c.op === 'conv2d') {
    parts.push(`s=${pair(p.stride)}`, `p=${pair(p.padding)}`);
    if (c.op === 'convTranspose2d') parts.push(`op=${pair(p.outputPadding)}`);
    parts.push(`d=${pair(p.dilation)}`, `g=${String(p.groups)}`);
  } else if (c.op === 'maxPool2d' || c.op === 'avgPool2d') {
    parts.push(`k=${pair(p.kernelSize)}`, `s=${pair(p.stride)}`, `p=${pair(p.padding)}`);
    if (c.op === 'maxPool2d') parts.push(`d=${pair(p.dilation)}`);
    parts.push(`ceil=${String(p.ceilMode)}`);
    if (c.op === 'avgPool2d') parts.push(`countIncludePad=${String(p.countIncludePad)}`);
  } else if (c.op === 'upsample') {
    parts.push(`mode=${String(p.mode)}`, p.size !== undefined ? `size=${pair(p.size)}` : `scale=${pair(p.scaleFactor)}`);
    if (p.alignCorners !== undefined) parts.push(`alignCorners=${String(p.alignCorners)}`);
  } else {
    parts.push(`r=${String(p.upscaleFactor)}`);
  }
  return `${parts.join(' ')} (line ${line})`;
}

/** The code, and a word the message must contain, that PyTorch's rejection corresponds to. */
function expectedRejection(c: GoldenCase): { code: LayerErrorCode; mentions: RegExp } {
  const message = c.error ?? '';
  if (/output padding must be smaller/.test(message)) return { code: 'output-padding-too-large', mentions: /output_padding \(\d+\).*stride \(\d+\).*dilation \(\d+\)/ };
  if (/Output size is too small/.test(message)) return { code: 'empty-output', mentions: /output would be empty: [HW]_out = .*padding/ };
  if (/to have \d+ channels/.test(message)) return { code: 'channel-mismatch', mentions: /input channels but the input has \d+/ };
  if (/Kernel size can't be greater/.test(message)) return { code: 'kernel-too-large', mentions: /kernel is larger than the padded input/ };
  throw new Error(`no rule for PyTorch's message: ${message}`);
}

function assertClose(got: Tensor, expected: TensorJson): void {
  assert.deepEqual([...got.shape], expected.shape, 'shape');
  for (let i = 0; i < expected.data.length; i++) {
    const want = expected.data[i] as number;
    const have = got.data[i] as number;
    const tolerance = 1e-9 * Math.max(1, Math.abs(want));
    if (!(Math.abs(have - want) <= tolerance)) {
      assert.fail(`value ${i}: got ${have}, expected ${want} (|diff| ${Math.abs(have - want)} > ${tolerance})`);
    }
  }
}

describe('golden cases (PyTorch 1.13, float64)', () => {
  it('the golden file is a byte-for-byte copy of the shared reference', function () {
    if (!fs.existsSync(sharedGoldenPath)) this.skip();
    // latin1 maps each byte to one character, so equal strings mean equal bytes.
    const ours = fs.readFileSync(goldenPath, 'latin1');
    const shared = fs.readFileSync(sharedGoldenPath, 'latin1');
    assert.ok(ours === shared, `${goldenPath} differs from ${sharedGoldenPath}: copy it again`);
  });

  it('holds every case the reference README describes', () => {
    assert.equal(cases.length, 601);
    assert.deepEqual(cases[0]?.expected?.data, [1.0, 2.5, 1.0, 3.25, 7.0, 4.0, 0.75, 4.0, 4.0]);
  });

  for (const [index, c] of cases.entries()) {
    it(caseName(c, index + 1), () => {
      if (c.expected) {
        assertClose(run(c), c.expected);
        return;
      }
      const { code, mentions } = expectedRejection(c);
      assert.throws(
        () => run(c),
        (error: unknown) => {
          assert.ok(error instanceof LayerError, `expected a LayerError, got ${String(error)}`);
          assert.equal(error.code, code, `code (message: ${error.message}; PyTorch: ${c.error})`);
          assert.ok(error.message.length > 0, 'message is empty');
          assert.match(error.message, mentions);
          return true;
        },
      );
    });
  }
});
