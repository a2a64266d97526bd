import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { convTranspose2d } from '../../../src/core/engine/index';
import type { Tensor } from '../../../src/core/engine/tensor';
import { matrixText, pytorchSnippet } from '../../../src/core/text/matrixText';
import { parseMatrix } from '../../../src/core/parse/index';
import type { TransposedConvolutionParams } from '../../../src/core/protocol/transposed';

const t = (shape: number[], values: number[]): Tensor => ({ shape, data: Float64Array.from(values) });
const params: TransposedConvolutionParams = { stride: [2, 1], padding: [1, 0], outputPadding: [1, 0], dilation: [1, 2] };
// Values whose shortest decimal form is long: a round trip that lost a digit would show.
const input = t([2, 3], [0.1, -2.5, 1 / 3, 7, 1e-300, -0.30000000000000004]);
const kernel = t([2, 2], [Math.PI, -1, 0.2, 2 ** 0.5]);

/** /usr/bin/python3 with PyTorch (Debian python3-torch), or undefined: CI has no PyTorch. */
const torchPython = ((): string | undefined => {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' });
  return probe.status === 0 ? '/usr/bin/python3' : undefined;
})();

describe('copy formats and the PyTorch snippet', () => {
  it('writes every copy format so the parser reads back the same values', () => {
    for (const format of ['numpy', 'torch', 'json', 'matlab', 'latex', 'markdown'] as const) {
      const back = parseMatrix(matrixText(input, format));
      assert.deepEqual([...back.data], [...input.data], format);
    }
    assert.equal(matrixText(t([1, 2], [1, 2]), 'latex'), '\\begin{bmatrix}\n1 & 2\n\\end{bmatrix}');
  });

  it('writes a script with exact float64 operands and the layer’s parameters', () => {
    const snippet = pytorchSnippet({ input, kernel, params, source: 'model.py:5' });
    assert.match(snippet, /^# Transposed convolution of model\.py:5, as shown by Layer Lens\.\nimport torch\nimport torch\.nn\.functional as F\n/);
    assert.match(snippet, /^x = torch\.tensor\(\[\[0\.1, -2\.5, 0\.3333333333333333\],\n {18}\[7, 1e-300, -0\.30000000000000004\]\], dtype=torch\.float64\)$/m);
    assert.match(snippet, /^w = torch\.tensor\(\[\[3\.141592653589793, -1\],/m);
    assert.match(snippet, /F\.conv_transpose2d\(x\[None, None\], w\[None, None\], stride=\(2, 1\), padding=\(1, 0\), output_padding=\(1, 0\), dilation=\(1, 2\)\)\[0, 0\]/);
    assert.match(snippet, /^print\(y\.tolist\(\)\)$/m);
  });

  (torchPython ? it : it.skip)('runs with PyTorch and prints what the engine computes (skipped without /usr/bin/python3 and torch)', function () {
    this.timeout(60_000);
    const snippet = pytorchSnippet({ input, kernel, params });
    // The script's own operands, printed exactly, prove the round trip; then its result.
    const script = `${snippet}\nprint(repr(x.tolist()))\nprint(repr(w.tolist()))\n`;
    const lines = execFileSync(torchPython as string, ['-c', script], { encoding: 'utf8' }).trim().split('\n');
    const read = (line: string): number[] => (JSON.parse(line) as number[][]).flat();
    const [result, x, w] = lines.slice(-3).map(read) as [number[], number[], number[]];
    assert.deepEqual(x, [...input.data]);
    assert.deepEqual(w, [...kernel.data]);
    const expected = convTranspose2d(input, kernel, { stride: [2, 1], padding: [1, 0], outputPadding: [1, 0], dilation: [1, 2] });
    assert.equal(result.length, expected.data.length);
    result.forEach((v, i) => assert.ok(Math.abs(v - (expected.data[i] as number)) <= 1e-12 * Math.max(1, Math.abs(v)), `output[${i}]: PyTorch ${v}, engine ${expected.data[i]}`));
  });

  (torchPython ? it : it.skip)('runs a layer with channels and groups with PyTorch and prints what the engine computes (skipped without torch)', function () {
    this.timeout(60_000);
    // [2, 2, 3] input (two channels), [2, 2, 2, 2] weight, groups 2: four output channels.
    const x = t([2, 2, 3], [0.1, -2.5, 1 / 3, 7, 1e-3, -0.3, 2, 0.5, -1, 4, 0.25, 3]);
    const w = t([2, 2, 2, 2], [Math.PI, -1, 0.2, 2 ** 0.5, 1, 2, 3, 4, -0.5, 0.5, 1.5, -2, 0, 1, 1, 0]);
    const grouped: TransposedConvolutionParams = { ...params, groups: 2 };
    const snippet = pytorchSnippet({ input: x, kernel: w, params: grouped });
    assert.match(snippet, /groups=2\)$/m);
    assert.doesNotMatch(snippet, /\[None, None\]/);
    const lines = execFileSync(torchPython as string, ['-c', snippet], { encoding: 'utf8' }).trim().split('\n');
    const result = (JSON.parse(lines.at(-1) as string) as number[][][]).flat(2);
    const expected = convTranspose2d(x, w, { stride: [2, 1], padding: [1, 0], outputPadding: [1, 0], dilation: [1, 2], groups: 2 });
    assert.deepEqual(expected.shape, [4, 3, 5]);
    assert.equal(result.length, expected.data.length);
    result.forEach((v, i) => assert.ok(Math.abs(v - (expected.data[i] as number)) <= 1e-12 * Math.max(1, Math.abs(v)), `output[${i}]: PyTorch ${v}, engine ${expected.data[i]}`));
  });
});
