import * as assert from 'node:assert/strict';
import { countTileSvg, heatmapSvg, MAX_HEATMAP_CELLS, paletteFor } from '../../../src/core/insight/svg';

const light = paletteFor('light');

describe('hover pictures', () => {
  it('draws one cell per value, coloured from low to high', () => {
    const svg = heatmapSvg(2, 2, [0, 1, 2, 3], light)!;
    const fills = [...svg.matchAll(/<rect x="\d+" y="\d+" width="\d+" height="\d+" fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
    assert.equal(fills.length, 4);
    assert.equal(fills[0], light.low);
    assert.equal(fills[3], light.high);
  });

  it('uses a diverging scale with zero neutral when values have both signs', () => {
    const svg = heatmapSvg(1, 3, [-2, 0, 2], light)!;
    const fills = [...svg.matchAll(/fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
    assert.deepEqual(fills.slice(0, 3), [light.negative, light.neutral, light.positive]);
  });

  it('block-averages a large matrix to a small picture', () => {
    const n = 200;
    const svg = heatmapSvg(n, n, new Float64Array(n * n).map((_, i) => i), light)!;
    assert.equal([...svg.matchAll(/<rect /g)].length, MAX_HEATMAP_CELLS * MAX_HEATMAP_CELLS + 1);
    assert.ok(svg.length < 40_000, `${svg.length} characters`);
  });

  it('writes each count of a tile with text that contrasts with its fill', () => {
    const dark = paletteFor('dark');
    const svg = countTileSvg(2, 2, [4, 2, 2, 1], dark);
    assert.deepEqual([...svg.matchAll(/>(\d+)<\/text>/g)].map((m) => m[1]), ['4', '2', '2', '1']);
    // The largest count has the lightest fill on the dark palette: black text.
    assert.match(svg, /fill="#9ecae1" stroke="#6e6e6e"\/><text [^>]*fill="#000000">4</);
  });
});
