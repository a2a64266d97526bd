import { pixelShuffle } from '../../../src/core/engine/index';
import { assertTensor, t } from './helpers';

describe('pixelShuffle', () => {
  it('turns r² channels into an r-times larger image', () => {
    assertTensor(pixelShuffle(t([4, 1, 1], [1, 2, 3, 4]), { upscaleFactor: 2 }), [1, 2, 2], [1, 2, 3, 4]);
  });

  it('interleaves channel c·r² + i·r + j at (h·r + i, w·r + j), per batch', () => {
    const data = Array.from({ length: 8 }, (_, k) => [10 * k, 10 * k + 1]).flat();
    const out = pixelShuffle(t([1, 8, 1, 2], data), { upscaleFactor: 2 });
    assertTensor(out, [1, 2, 2, 4], [[0, 10, 1, 11], [20, 30, 21, 31], [40, 50, 41, 51], [60, 70, 61, 71]]);
    const twice = pixelShuffle(t([2, 4, 1, 1], [1, 2, 3, 4, 5, 6, 7, 8]), { upscaleFactor: 2 });
    assertTensor(twice, [2, 1, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('upscale_factor 1 is the identity, also for a matrix', () => {
    assertTensor(pixelShuffle(t([2, 2], [1, 2, 3, 4]), { upscaleFactor: 1 }), [2, 2], [1, 2, 3, 4]);
  });
});
