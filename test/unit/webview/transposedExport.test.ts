import * as assert from 'node:assert/strict';
import type { TransposedConvolutionLayer } from '../../../src/core/protocol/transposed';
import { parseCellText } from '../../../webview/transposed/cellText';
import { layoutScene, stepFrame, type ReadyModel, type ScenePalette } from '../../../webview/transposed/exportScene';
import { buildTransposedModel } from '../../../webview/transposed/transposedModel';
import { gifSteps } from '../../../webview/transposed/rasterExport';
import { sceneToSvg } from '../../../webview/transposed/svgExport';

const matrix = (rows: number, cols: number, values: number[]) => ({ rows, cols, data: Float64Array.from(values) });
const textbook: TransposedConvolutionLayer = {
  input: matrix(2, 2, [1, 2, 3, 4]),
  kernel: matrix(2, 2, [1, 1, 1, 1]),
  params: { stride: [1, 1], padding: [0, 0], outputPadding: [0, 0], dilation: [1, 1] },
  source: 'a<b>&"c".py:5',
};
const palette: ScenePalette = {
  background: '#1e1e1e',
  foreground: '#cccccc',
  muted: '#9d9d9d',
  border: '#454545',
  font: '"Droid Sans Mono", monospace',
  marks: { current: '#0078d4', window: '#cca700', changed: '#cca700', selected: '#0078d4', tile: '#cccccc', cropped: '#f14c4c', 'added-edge': '#4daafc' },
};
const model = buildTransposedModel(textbook) as ReadyModel;

describe('transposed-convolution panel export', () => {
  it('reads what a person types into a cell editor, and refuses the rest with a message', () => {
    assert.deepEqual(parseCellText(' -1.5 '), { ok: true, value: -1.5 });
    assert.deepEqual(parseCellText('−2'), { ok: true, value: -2 });
    assert.deepEqual(parseCellText('1e-3'), { ok: true, value: 0.001 });
    assert.deepEqual(parseCellText('.5'), { ok: true, value: 0.5 });
    assert.deepEqual(parseCellText('-inf'), { ok: true, value: Number.NEGATIVE_INFINITY });
    assert.deepEqual(parseCellText('∞'), { ok: true, value: Number.POSITIVE_INFINITY });
    assert.ok(Number.isNaN((parseCellText('NaN') as { value: number }).value));
    for (const bad of ['', 'abc', '1,5', '0x10', '2 3', '1e999']) {
      const read = parseCellText(bad);
      assert.equal(read.ok, false, bad);
      assert.ok(!read.ok && read.message.length > 10);
    }
  });

  it('draws each step as the player does: the current value marked, the kernel scaled, partial sums', () => {
    const start = stepFrame(model, 0);
    assert.deepEqual(Array.from(start.grids[2].values), [0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const third = stepFrame(model, 3);
    assert.deepEqual(third.grids[0].marks.current, [2]);
    assert.deepEqual(Array.from(third.grids[1].values), [3, 3, 3, 3]);
    assert.deepEqual(Array.from(third.grids[2].values), [1, 3, 2, 4, 6, 2, 3, 3, 0]);
    assert.deepEqual(third.grids[2].marks.window, [3, 4, 6, 7]);
    // One colour scale for every frame: the final output's.
    assert.equal(start.grids[2].scale.maxAbs, 10);
    assert.equal(third.grids[2].scale.maxAbs, 10);
  });

  it('writes a standalone SVG with every number, colour and mark, and escapes text', () => {
    const svg = sceneToSvg(layoutScene(stepFrame(model, 4), palette));
    assert.match(svg, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+"/);
    assert.match(svg, /font-family="&quot;Droid Sans Mono&quot;, monospace"/);
    assert.match(svg, /a&lt;b&gt;&amp;&quot;c&quot;\.py:5: step 4 of 4/);
    const cellTexts = [...svg.matchAll(/text-anchor="middle">([^<]*)</g)].map((m) => m[1]);
    // Input, the kernel scaled by input[1, 1] = 4, and the output, then the operators.
    for (const value of ['1', '2', '3', '4', '10', '6', '7']) assert.ok(cellTexts.includes(value), `no cell reads ${value}`);
    // At full strength: input 4, all four kernel taps scaled by 4 (the kernel's scale is max|k|·max|x|), output 10.
    assert.equal((svg.match(/fill="rgb\(214, 69, 65\)" fill-opacity="0\.8"/g) ?? []).length, 6);
    assert.equal((svg.match(/stroke="#0078d4" stroke-width="2"/g) ?? []).length, 1, 'the current input value outlined');
    assert.equal((svg.match(/stroke="#cca700"/g) ?? []).length, 4, 'the four cells just added outlined');
    assert.ok(!/<script|href=/i.test(svg));
  });

  it('caps a GIF at evenly spaced steps, keeping the first and the last', () => {
    assert.deepEqual(gifSteps(4), [0, 1, 2, 3, 4]);
    const capped = gifSteps(1000, 11);
    assert.deepEqual(capped, [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  });

  it('exports one output channel of a layer with channels: its planes, named, under a heading that fits', () => {
    const stack = (shape: number[], values: number[]) => ({ rows: shape.at(-2) as number, cols: shape.at(-1) as number, lead: shape.slice(0, -2), data: Float64Array.from(values) });
    const layer = { ...textbook, input: stack([2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]), kernel: stack([2, 2, 1, 1], [1, 2, 3, 4]) };
    const channelModel = (buildTransposedModel(layer) as ReadyModel).select({ batch: 0, outChannel: 1 }) as ReadyModel;
    const frame = stepFrame(channelModel, 5);
    assert.match(frame.heading, /, output channel 1: step 5 of 8$/);
    assert.deepEqual(frame.grids.map((g) => g.title), ['Input [1]', 'Kernel [1, 1]', 'Output']);
    assert.deepEqual(Array.from(frame.grids[0].values), [5, 6, 7, 8]);
    assert.deepEqual(Array.from(frame.grids[1].values), [4 * 5]);
    const scene = layoutScene(frame, palette);
    assert.ok(scene.width >= frame.heading.length * 16 * 0.6, 'the heading is not cut off');
  });
});
