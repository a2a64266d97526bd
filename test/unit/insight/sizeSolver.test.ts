import * as assert from 'node:assert/strict';
import { outputShape } from '../../../src/core/engine/index';
import { solveAxis, solveForSize } from '../../../src/core/insight/sizeSolver';

const axis = (kernel: number, stride: number, dilation = 1) => ({ kernel, stride, dilation, padding: 0, outputPadding: 0 });

/** Every (padding, output_padding) with padding ≤ 12 that the engine sizes to `wanted`, by brute force. */
function bruteForce(op: 'convTranspose2d' | 'conv2d', kernel: number, stride: number, dilation: number, input: number, wanted: number): string[] {
  const found: string[] = [];
  const outputPaddings = op === 'convTranspose2d' ? Math.max(stride, dilation) : 1;
  for (let padding = 0; padding <= 12; padding++) {
    for (let outputPadding = 0; outputPadding < outputPaddings; outputPadding++) {
      try {
        const options = { kernelSize: [1, kernel] as [number, number], stride: [1, stride] as [number, number], padding: [0, padding] as [number, number], dilation: [1, dilation] as [number, number] };
        const { shape } = op === 'convTranspose2d' ? outputShape(op, [1, input], { ...options, outputPadding: [0, outputPadding] }) : outputShape(op, [1, input], options);
        if (shape[1] === wanted) found.push(`${padding},${outputPadding}`);
      } catch {
        // PyTorch refuses this combination
      }
    }
  }
  return found.sort();
}

describe('solveForSize', () => {
  it('kernel 4, stride 2 from 16 to 32: padding=1, output_padding=0 (the DCGAN layer)', () => {
    const own = solveAxis('convTranspose2d', axis(4, 2), 16, 32).filter((s) => !s.kernelChanged);
    assert.deepEqual(own.map((s) => [s.axis.padding, s.axis.outputPadding]), [[1, 0]]);
  });

  it('kernel 3, stride 2 from 16 to 32: padding=1, output_padding=1, and even-overlap kernels 2 and 4', () => {
    const solutions = solveForSize('convTranspose2d', [axis(3, 2), axis(3, 2)], [16, 16], [32, 32]);
    assert.deepEqual(solutions.map((s) => s.label), [
      'padding=1, output_padding=1',
      'kernel_size=2, padding=0, output_padding=0',
      'kernel_size=4, padding=1, output_padding=0',
      'kernel_size=6, padding=2, output_padding=0',
    ]);
  });

  it('finds exactly what a brute-force search over the engine finds, for the layer’s own kernel', function () {
    this.timeout(60_000);
    for (const op of ['convTranspose2d', 'conv2d'] as const) {
      for (let kernel = 1; kernel <= 5; kernel++) {
        for (let stride = 1; stride <= 3; stride++) {
          for (let dilation = 1; dilation <= 2; dilation++) {
            for (let input = 1; input <= 5; input++) {
              for (let wanted = 1; wanted <= 14; wanted++) {
                const got = solveAxis(op, axis(kernel, stride, dilation), input, wanted)
                  .filter((s) => !s.kernelChanged && s.axis.padding <= 12)
                  .map((s) => `${s.axis.padding},${s.axis.outputPadding}`)
                  .sort();
                assert.deepEqual(got, bruteForce(op, kernel, stride, dilation, input, wanted), `${op} k=${kernel} s=${stride} d=${dilation} ${input} → ${wanted}`);
              }
            }
          }
        }
      }
    }
  });

  it('every kernel variant is a multiple of the stride and gives the wanted size', () => {
    for (const s of solveAxis('convTranspose2d', axis(3, 2), 8, 16).filter((x) => x.kernelChanged)) {
      assert.equal(s.axis.kernel % 2, 0);
      const { shape } = outputShape('convTranspose2d', [8, 8], { kernelSize: s.axis.kernel, stride: 2, padding: s.axis.padding, outputPadding: s.axis.outputPadding });
      assert.deepEqual(shape, [16, 16]);
    }
  });

  it('solves unlike axes alone and combines them', () => {
    const solutions = solveForSize('convTranspose2d', [axis(4, 2), axis(3, 1)], [8, 8], [16, 8]);
    // Height: kernel 4, stride 2, 8 → 16; width: kernel 3, stride 1, 8 → 8. Only the height has stride variants.
    assert.deepEqual(solutions.map((s) => s.label), [
      'padding=1, output_padding=0',
      'kernel_size=(2, 3), padding=(0, 1), output_padding=0',
      'kernel_size=(6, 3), padding=(2, 1), output_padding=0',
      'kernel_size=(8, 3), padding=(3, 1), output_padding=0',
    ]);
  });

  it('has no answer when the size cannot be reached', () => {
    // Stride 2 from 4: at most 2·4 − 1 + … with padding ≥ 0 never reaches 100 with kernel 3.
    assert.deepEqual(solveForSize('convTranspose1d', [axis(3, 2)], [4], [100]), []);
  });

  it('refuses sizes that are not whole positive numbers', () => {
    assert.throws(() => solveAxis('convTranspose2d', axis(3, 2), 0, 4), /input size/);
    assert.throws(() => solveAxis('convTranspose2d', axis(3, 2), 4, 2.5), /wanted output size/);
  });
});
