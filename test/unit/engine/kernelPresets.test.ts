import * as assert from 'node:assert/strict';
import { convTranspose2d, KERNEL_PRESETS, kernelPreset, LayerError, seededConvWeight, upsample } from '../../../src/core/engine/index';
import { assertTensor, t } from './helpers';

describe('kernel presets', () => {
  it('box: every tap 1, square or [h, w]', () => {
    assertTensor(kernelPreset({ kind: 'box', size: 2 }), [2, 2], [[1, 1], [1, 1]]);
    assertTensor(kernelPreset({ kind: 'box', size: [1, 3] }), [1, 3], [[1, 1, 1]]);
  });

  it("bilinear: FCN's get_upsampling_weight for odd and even sizes", () => {
    // size 4: factor 2, centre 1.5 → [0.25, 0.75, 0.75, 0.25] per axis.
    const a4 = [0.25, 0.75, 0.75, 0.25];
    assertTensor(kernelPreset({ kind: 'bilinear', size: 4 }), [4, 4], a4.map((r) => a4.map((c) => r * c)));
    // size 3: factor 2, centre 1 → [0.5, 1, 0.5].
    assertTensor(kernelPreset({ kind: 'bilinear', size: 3 }), [3, 3], [[0.25, 0.5, 0.25], [0.5, 1, 0.5], [0.25, 0.5, 0.25]]);
    // size 2: factor 1, centre 0.5 → [0.5, 0.5].
    assertTensor(kernelPreset({ kind: 'bilinear', size: 2 }), [2, 2], [[0.25, 0.25], [0.25, 0.25]]);
    // size 1: the single tap is 1.
    assertTensor(kernelPreset({ kind: 'bilinear', size: 1 }), [1, 1], [[1]]);
  });

  it('bilinear k=4 with stride 2, padding 1 is bilinear upsampling (align_corners=False) away from the border', () => {
    const input = t([4, 4], [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3]);
    const viaConv = convTranspose2d(input, kernelPreset({ kind: 'bilinear', size: 4 }), { stride: 2, padding: 1 });
    const viaUpsample = upsample(input, { mode: 'bilinear', scaleFactor: 2 });
    assert.deepEqual([...viaConv.shape], [8, 8]);
    for (let r = 1; r < 7; r++) {
      for (let c = 1; c < 7; c++) {
        const i = r * 8 + c;
        assert.ok(Math.abs((viaConv.data[i] as number) - (viaUpsample.data[i] as number)) < 1e-12, `[${r}, ${c}]: ${viaConv.data[i]} vs ${viaUpsample.data[i]}`);
      }
    }
  });

  it("gaussian: torchvision's normalised kernel (k=3, sigma=1 and k=[1, 5], sigma=2)", () => {
    const a = [0.274068619061197, 0.45186276187760605, 0.274068619061197];
    const g = kernelPreset({ kind: 'gaussian', size: 3, sigma: 1 });
    assertTensor(g, [3, 3], a.map((r) => a.map((c) => r * c)), 1e-12);
    assert.ok(Math.abs(g.data.reduce((s, v) => s + v, 0) - 1) < 1e-12, 'sums to 1');
    // torchvision.transforms.functional._get_gaussian_kernel1d(5, 2.0)
    assertTensor(kernelPreset({ kind: 'gaussian', size: [1, 5], sigma: 2 }), [1, 5], [[0.15246914402033734, 0.22184129554377693, 0.25137912087177144, 0.22184129554377693, 0.15246914402033734]], 1e-12);
  });

  it('Sobel x and y, Laplacian', () => {
    assertTensor(kernelPreset({ kind: 'sobelX' }), [3, 3], [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]);
    assertTensor(kernelPreset({ kind: 'sobelY' }), [3, 3], [[-1, -2, -1], [0, 0, 0], [1, 2, 1]]);
    assertTensor(kernelPreset({ kind: 'laplacian' }), [3, 3], [[0, 1, 0], [1, -4, 1], [0, 1, 0]]);
  });

  it('identity: a single 1 where nn.init.dirac_ puts it (k // 2)', () => {
    assertTensor(kernelPreset({ kind: 'identity', size: 3 }), [3, 3], [[0, 0, 0], [0, 1, 0], [0, 0, 0]]);
    assertTensor(kernelPreset({ kind: 'identity', size: [2, 4] }), [2, 4], [[0, 0, 0, 0], [0, 0, 1, 0]]);
    // As a stride-1, padding-1 transposed convolution a 3×3 identity returns the input.
    const x = t([2, 3], [1, 2, 3, 4, 5, 6]);
    assertTensor(convTranspose2d(x, kernelPreset({ kind: 'identity', size: 3 }), { padding: 1 }), [2, 3], [[1, 2, 3], [4, 5, 6]]);
  });

  it('random: the same seed gives the same kernel, uniform on ±1/√(kH·kW), as seededConvWeight', () => {
    const a = kernelPreset({ kind: 'random', size: 3, seed: 7 });
    const b = kernelPreset({ kind: 'random', size: 3, seed: 7 });
    const c = kernelPreset({ kind: 'random', size: 3, seed: 8 });
    assert.deepEqual(a, b);
    assert.notDeepEqual([...a.data], [...c.data]);
    assert.ok(a.data.every((v) => Math.abs(v) <= 1 / 3));
    assert.deepEqual([...a.data], [...seededConvWeight({ outChannels: 1, inChannels: 1, kernelSize: [3, 3], seed: 7 }).data]);
    // Pinned, so a change of generator cannot go unnoticed.
    assert.equal(a.data[0]?.toFixed(12), '-0.325530164565');
  });

  it('refuses unusable sizes, sigmas and seeds by name', () => {
    const refuses = (make: () => unknown, pattern: RegExp) => assert.throws(make, (error: unknown) => error instanceof LayerError && pattern.test(error.message));
    refuses(() => kernelPreset({ kind: 'box', size: 0 }), /kernel size/);
    refuses(() => kernelPreset({ kind: 'box', size: 2.5 }), /kernel size/);
    refuses(() => kernelPreset({ kind: 'bilinear', size: 65 }), /at most 64×64/);
    refuses(() => kernelPreset({ kind: 'gaussian', size: 3, sigma: 0 }), /sigma must be a positive/);
    refuses(() => kernelPreset({ kind: 'gaussian', size: 3, sigma: Number.NaN }), /sigma/);
    refuses(() => kernelPreset({ kind: 'random', size: 3, seed: -1 }), /seed/);
  });

  it('lists every preset once, each one buildable', () => {
    assert.equal(new Set(KERNEL_PRESETS.map((p) => p.kind)).size, KERNEL_PRESETS.length);
    for (const info of KERNEL_PRESETS) {
      const kernel = kernelPreset({ kind: info.kind, size: 3, sigma: 1, seed: 1 } as never);
      assert.ok(kernel.data.length >= 1, info.kind);
    }
  });
});
