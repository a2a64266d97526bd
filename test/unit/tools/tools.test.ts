/**
 * Each tool's schema and results. The results must equal the core's own answers (the engine's
 * output shape, the editor's size solver, the engine's layers) and PyTorch's: expected values below
 * were computed with torch 1.13 in float64 (the script is in each case's comment).
 */
import * as assert from 'node:assert/strict';
import { outputShape } from '../../../src/core/engine/outputShape';
import { findLayerCalls } from '../../../src/core/parse/index';
import { solvableLayer, solveForSize } from '../../../src/core/insight/sizeSolver';
import { TOOLS, toolNamed, type AnyTool, type ToolResult } from '../../../src/core/tools/index';
import { schemaProblem, type JsonSchema } from '../../../src/core/tools/jsonSchema';

/** The tool, whose every answer is checked against its declared output schema (what MCP clients validate). */
function tool(name: string): AnyTool {
  const found = toolNamed(name);
  assert.ok(found, `no tool ${name}`);
  return {
    ...found,
    invocationMessage: (input) => found.invocationMessage(input),
    run(input) {
      const result = found.run(input);
      if (result.kind === 'ok') assert.equal(schemaProblem(JSON.parse(JSON.stringify(result.data)), found.outputSchema), undefined, `${name}'s result does not match its output schema`);
      return result;
    },
  };
}

function okData<T>(result: ToolResult<unknown>): T {
  assert.equal(result.kind, 'ok', result.kind === 'ok' ? '' : result.text);
  return (result as { data: T }).data;
}

function refusal(result: ToolResult<unknown>): string {
  assert.equal(result.kind, 'refused', JSON.stringify(result));
  return result.text;
}

function invalid(result: ToolResult<unknown>): string {
  assert.equal(result.kind, 'invalid', JSON.stringify(result));
  return result.text;
}

function assertClose(actual: readonly number[], expected: readonly number[]): void {
  assert.equal(actual.length, expected.length, `length ${actual.length} ≠ ${expected.length}`);
  actual.forEach((v, i) => assert.ok(Math.abs(v - (expected[i] as number)) <= 1e-9, `value ${i}: ${v} ≠ ${expected[i]}`));
}

describe('agent tools: schemas', () => {
  /** Every schema node is one the check understands, and says what it is for. */
  function walk(schema: JsonSchema, path: string, visit: (schema: JsonSchema, path: string) => void): void {
    visit(schema, path);
    if (schema.type === 'object') for (const [key, child] of Object.entries(schema.properties)) walk(child, `${path}.${key}`, visit);
    if (schema.type === 'array' && schema.items) walk(schema.items, `${path}[]`, visit);
  }

  for (const t of TOOLS) {
    it(`${t.name}: an object schema whose required keys exist, no extra keys allowed, every property described`, () => {
      assert.match(t.name, /^[a-z][a-z_]*$/);
      assert.ok(t.description.length > 80);
      assert.equal(t.inputSchema.type, 'object');
      assert.equal(t.inputSchema.additionalProperties, false);
      for (const key of t.inputSchema.required ?? []) assert.ok(key in t.inputSchema.properties, `${key} is required but not declared`);
      for (const [key, property] of Object.entries(t.inputSchema.properties)) assert.ok(property.description, `${t.name}.${key} has no description`);
      walk(t.inputSchema, t.name, (schema, path) => assert.ok(['object', 'array', 'string', 'integer', 'number', 'boolean', undefined].includes((schema as { type?: string }).type), path));
    });

    it(`${t.name}: answers a missing key, an unknown key and a non-object in words naming the place`, () => {
      assert.match(invalid(t.run({})), new RegExp(`^Invalid input to ${t.name}: "${t.inputSchema.required?.[0]}" is missing`));
      assert.match(invalid(t.run(null)), /The input must be an object, not null\./);
      assert.match(invalid(t.run([1])), /The input must be an object, not \[1\]\./);
      const valid = Object.fromEntries((t.inputSchema.required ?? []).map((k) => [k, 'x']));
      assert.match(invalid(t.run({ ...valid, surplus: 1 })), /(unknown key "surplus"|must be)/);
    });
  }

  it('the fixed inputs of the issue: layer_output_shape {layer, inputShape}, solve_layer_size {layer, inputSize, outputSize}, compute_layer {op, input, weight?, options?}', () => {
    const keys = (name: string) => [Object.keys(tool(name).inputSchema.properties), tool(name).inputSchema.required];
    assert.deepEqual(keys('layer_output_shape'), [['layer', 'inputShape'], ['layer', 'inputShape']]);
    assert.deepEqual(keys('solve_layer_size'), [['layer', 'inputSize', 'outputSize'], ['layer', 'inputSize', 'outputSize']]);
    assert.deepEqual(keys('compute_layer'), [['op', 'input', 'weight', 'options'], ['op', 'input']]);
    const op = tool('compute_layer').inputSchema.properties.op as { enum: readonly string[] };
    assert.deepEqual([...op.enum], ['convTranspose2d', 'conv2d', 'maxPool2d', 'avgPool2d', 'upsample', 'pixelShuffle']);
  });

  it('the message shown before a tool runs (prepareInvocation) says what it reads: only what it is given', () => {
    assert.equal(
      tool('layer_output_shape').invocationMessage({ layer: 'nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)', inputShape: [1, 16, 32, 32] }),
      'Layer Lens: output shape of nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1) on [1, 16, 32, 32] (reads only the text given)',
    );
    assert.equal(
      tool('solve_layer_size').invocationMessage({ layer: 'nn.ConvTranspose2d(64, 32, 4, stride=2)', inputSize: 16, outputSize: 32 }),
      'Layer Lens: padding for nn.ConvTranspose2d(64, 32, 4, stride=2) to go from 16 to 32 (reads only the text given)',
    );
    assert.equal(tool('check_checkerboard').invocationMessage({ code: 'nn.ConvTranspose2d(8, 8, 3, stride=2)' }), 'Layer Lens: checkerboard check of 37 characters of code (reads only the text given)');
    assert.equal(tool('compute_layer').invocationMessage({ op: 'conv2d', input: [[1]] }), 'Layer Lens: computing conv2d on the tensors given (reads nothing else)');
    // Input the tool will refuse still gets a message (the answer then says what is wrong).
    assert.equal(tool('layer_output_shape').invocationMessage({ layer: 3 }), 'Layer Lens: Layer Output Shape');
  });

  it('schemaProblem names the nested place and the rule broken', () => {
    const schema = tool('layer_output_shape').inputSchema;
    assert.equal(schemaProblem({ layer: 'x', inputShape: [1, 3, 2.5] }, schema), '"inputShape[2]" must be a whole number, not 2.5.');
    assert.equal(schemaProblem({ layer: 'x', inputShape: [1, 0, 4] }, schema), '"inputShape[1]" must be at least 1, not 0.');
    assert.equal(schemaProblem({ layer: 'x', inputShape: [4] }, schema), '"inputShape" must have at least 2 items, not 1.');
    assert.equal(schemaProblem({ layer: 7, inputShape: [1, 4] }, schema), '"layer" must be a string, not 7.');
    assert.equal(schemaProblem({ layer: 'x', inputShape: [1, 3, 8, 8] }, schema), undefined);
  });

  it('a huge array is described by its length, not printed', () => {
    const text = invalid(tool('layer_output_shape').run({ layer: 'x', inputShape: new Array(100000).fill(1) }));
    assert.ok(text.length < 200, text);
    assert.match(text, /at most 4 items, not 100000/);
  });
});

describe('agent tools: layer_output_shape', () => {
  const run = (layer: string, inputShape: unknown) => tool('layer_output_shape').run({ layer, inputShape });

  it('the issue example: nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1) on [1, 16, 32, 32] → [1, 8, 64, 64], formula filled in', () => {
    const data = okData<{ outputShape: number[]; formula: string }>(run('nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)', [1, 16, 32, 32]));
    assert.deepEqual(Object.keys(data), ['outputShape', 'formula']);
    assert.deepEqual(data.outputShape, [1, 8, 64, 64]);
    assert.equal(data.formula, 'H_out = (32 − 1)·2 − 2·1 + 1·(4 − 1) + 0 + 1 = 64; W_out = (32 − 1)·2 − 2·1 + 1·(4 − 1) + 0 + 1 = 64');
    // The engine's own answer for the layer's weight shape.
    assert.deepEqual([...outputShape('convTranspose2d', [1, 16, 32, 32], { weightShape: [16, 8, 4, 4], stride: 2, padding: 1 }).shape], data.outputShape);
  });

  it('unbatched, 1-D and pooling layers in PyTorch layout (torch: Conv1d(4, 6, 5, stride=3, padding=2) on [2, 4, 50] → [2, 6, 17])', () => {
    assert.deepEqual(okData<{ outputShape: number[] }>(run('nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1)', [16, 7, 9])).outputShape, [8, 14, 18]);
    assert.deepEqual(okData<{ outputShape: number[] }>(run('nn.Conv1d(4, 6, 5, stride=3, padding=2)', [2, 4, 50])).outputShape, [2, 6, 17]);
    assert.deepEqual(okData<{ outputShape: number[] }>(run('nn.MaxPool2d(2)', [1, 3, 9, 9])).outputShape, [1, 3, 4, 4]);
    assert.deepEqual(okData<{ outputShape: number[] }>(run('nn.PixelShuffle(2)', [1, 12, 5, 5])).outputShape, [1, 3, 10, 10]);
  });

  it("Keras is channels-last: layers.Conv2DTranspose(64, 3, strides=2, padding='same') on [1, 16, 16, 32] → [1, 32, 32, 64]", () => {
    const data = okData<{ outputShape: number[]; formula: string }>(run("layers.Conv2DTranspose(64, 3, strides=2, padding='same')", [1, 16, 16, 32]));
    assert.deepEqual(data.outputShape, [1, 32, 32, 64]);
    assert.equal(data.formula, "H_out = 16·2 = 32 (padding='same'); W_out = 16·2 = 32 (padding='same')");
  });

  it("refuses as PyTorch does, with its reason: the channel count, output_padding too large, the input's rank", () => {
    // torch: expected input[1, 3, 32, 32] to have 16 channels, but got 3 channels instead
    assert.match(refusal(run('nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)', [1, 3, 32, 32])), /16 input channels but the input has 3/);
    // torch: output padding must be smaller than either stride or dilation
    assert.match(refusal(run('nn.ConvTranspose2d(16, 8, 3, stride=2, output_padding=2)', [16, 8, 8])), /^Output_padding \(2\) must be smaller than stride \(2\) or dilation \(1\)/);
    assert.match(refusal(run('nn.Conv2d(3, 8, 3)', [3, 32])), /^Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, but got input of size: \[3, 32\]/);
    assert.match(refusal(run('nn.Conv2d(3, 8, 5)', [1, 3, 4, 4])), /kernel/i);
    assert.match(refusal(run('nn.Conv2d(3, 8, 3, groups=2)', [1, 3, 8, 8])), /^The in_channels \(3\) of nn\.Conv2d must be divisible by groups \(2\)\.$/);
  });

  it('says so when the text holds no layer call, or one it cannot size', () => {
    assert.match(invalid(run('print(1)', [1, 3, 8, 8])), /^No layer call Layer Lens reads was found in "print\(1\)"\. Write it as in code/);
    assert.match(invalid(run('nn.ConvTranspose2d(c, 8, 4, stride=s)', [1, 3, 8, 8])), /Cannot size nn\.ConvTranspose2d/);
  });
});

describe('agent tools: solve_layer_size', () => {
  const run = (layer: string, inputSize: number, outputSize: number) => tool('solve_layer_size').run({ layer, inputSize, outputSize });
  type Solutions = { solutions: { padding: number; outputPadding: number; kernelSize: number }[] };

  it('lists what the editor solver lists, in its order: the own kernel, then the even-overlap kernels', () => {
    const layer = 'nn.ConvTranspose2d(64, 32, 3, stride=2)';
    const data = okData<Solutions>(run(layer, 16, 32));
    assert.deepEqual(data.solutions, [
      { padding: 1, outputPadding: 1, kernelSize: 3 },
      { padding: 0, outputPadding: 0, kernelSize: 2 },
      { padding: 1, outputPadding: 0, kernelSize: 4 },
      { padding: 2, outputPadding: 0, kernelSize: 6 },
    ]);
    const call = findLayerCalls(layer, 'python')[0];
    assert.ok(call);
    const read = solvableLayer(call);
    assert.ok(read.ok);
    const editor = solveForSize(read.op, read.axes, [16, 16], [32, 32]).map((s) => ({ padding: s.axes[0]?.padding, outputPadding: s.axes[0]?.outputPadding, kernelSize: s.axes[0]?.kernel }));
    assert.deepEqual(data.solutions, editor);
  });

  it('every solution gives the size wanted through the engine (PyTorch formula and rules)', () => {
    for (const [layer, input, wanted] of [['nn.ConvTranspose2d(64, 32, 4, stride=2)', 16, 32], ['nn.ConvTranspose2d(8, 8, 5, stride=3, dilation=2)', 7, 22], ['nn.Conv2d(3, 8, 3, stride=2)', 33, 17]] as const) {
      const { solutions } = okData<Solutions>(run(layer, input, wanted));
      assert.ok(solutions.length > 0, layer);
      const transposed = layer.includes('Transpose');
      const stride = Number(/stride=(\d+)/.exec(layer)?.[1]);
      const dilation = Number(/dilation=(\d+)/.exec(layer)?.[1] ?? 1);
      for (const s of solutions) {
        const weightShape = [8, 8, s.kernelSize, s.kernelSize];
        const options = { weightShape, stride, dilation, padding: s.padding, ...(transposed ? { outputPadding: s.outputPadding } : {}) };
        const inputShape = [1, 8, input, input];
        const shape = outputShape(transposed ? 'convTranspose2d' : 'conv2d', inputShape, options as never).shape;
        assert.deepEqual([shape[2], shape[3]], [wanted, wanted], `${layer} ${JSON.stringify(s)}`);
      }
    }
  });

  it('an empty list, with the reason, when no padding reaches the size', () => {
    const result = run('nn.ConvTranspose2d(64, 32, 4, stride=2)', 16, 100);
    assert.deepEqual(okData<Solutions>(result).solutions, []);
    assert.match((result as { text: string }).text, /^No padding, output_padding or even kernel size gives nn\.ConvTranspose2d\(64, 32, 4, stride=2\)/);
  });

  it('refuses in words a layer it cannot solve (Keras padding, different axes, a pooling layer)', () => {
    assert.match(invalid(run("layers.Conv2DTranspose(64, 3, strides=2, padding='same')", 16, 32)), /layers\.Conv2DTranspose/);
    assert.match(invalid(run('nn.ConvTranspose2d(64, 32, (3, 4), stride=2)', 16, 32)), /different parameters for height and width/);
    assert.match(invalid(run('nn.MaxPool2d(2)', 16, 8)), /nn\.MaxPool2d/);
    assert.match(invalid(tool('solve_layer_size').run({ layer: 'nn.Conv2d(3, 8, 3)', inputSize: 16, outputSize: 1.5 })), /"outputSize" must be a whole number, not 1\.5\./);
  });
});

describe('agent tools: check_checkerboard', () => {
  const run = (code: string, inputSize?: number) => tool('check_checkerboard').run({ code, ...(inputSize === undefined ? {} : { inputSize }) });
  type Data = { layers: { layer: string; line: number; verdict: string; label: string; periodicEnergy: number; countTile: number[][]; fixes: { code: string; keepsSize: boolean }[] }[]; stacks: { name: string; transposedLayers: number; unevenLayers: number; compound: { periodicEnergy?: number; unavailable?: string } }[] };

  it('kernel 3, stride 2: uneven 1:2, counts 1 and 2, fixes that keep the size and are themselves even', () => {
    const data = okData<Data>(run('nn.ConvTranspose2d(64, 32, 3, stride=2, padding=1)'));
    const [layer] = data.layers;
    assert.ok(layer);
    assert.equal(layer.verdict, 'uneven-counts');
    assert.equal(layer.label, 'uneven 1:2');
    assert.deepEqual(layer.countTile, [[1, 2], [2, 4]]);
    assert.ok(layer.periodicEnergy > 0.1 && layer.periodicEnergy < 1);
    assert.ok(layer.fixes.length >= 2);
    for (const fix of layer.fixes.filter((f) => f.code.startsWith('nn.ConvTranspose2d'))) {
      assert.ok(fix.keepsSize);
      const fixed = okData<Data>(run(fix.code)).layers[0];
      assert.equal(fixed?.verdict, 'even', fix.code);
      assert.equal(fixed?.periodicEnergy, 0);
      // Same output size as the original layer, through the other tool.
      const size = (layer: string) => okData<{ outputShape: number[] }>(tool('layer_output_shape').run({ layer, inputShape: [1, 64, 16, 16] })).outputShape;
      assert.deepEqual(size(fix.code), size('nn.ConvTranspose2d(64, 32, 3, stride=2, padding=1)'));
    }
  });

  it('kernel 4, stride 2 is even: no fix, zero periodic energy', () => {
    const [layer] = okData<Data>(run('nn.ConvTranspose2d(64, 32, 4, stride=2, padding=1)')).layers;
    assert.equal(layer?.verdict, 'even');
    assert.equal(layer?.periodicEnergy, 0);
    assert.deepEqual(layer?.fixes, []);
  });

  it('a stack: each layer at its line, and the compound checkerboard of the whole stack', () => {
    const code = [
      'import torch.nn as nn',
      'decoder = nn.Sequential(',
      '    nn.ConvTranspose2d(64, 32, 4, stride=2, padding=1),',
      '    nn.ReLU(),',
      '    nn.ConvTranspose2d(32, 3, 3, stride=2, padding=1),',
      ')',
    ].join('\n');
    const data = okData<Data>(run(code, 8));
    assert.deepEqual(data.layers.map((l) => [l.line, l.label]), [[3, 'even'], [5, 'uneven 1:2']]);
    assert.equal(data.stacks.length, 1);
    assert.equal(data.stacks[0]?.transposedLayers, 2);
    assert.equal(data.stacks[0]?.unevenLayers, 1);
    assert.ok((data.stacks[0]?.compound.periodicEnergy ?? 0) > 0, JSON.stringify(data.stacks[0]?.compound));
  });

  it('code with no transposed convolution or stack is answered in words', () => {
    assert.match(invalid(run('x = 1')), /^No transposed convolution or stack of layers was found/);
  });
});

describe('agent tools: compute_layer', () => {
  const run = (input: object) => tool('compute_layer').run(input);
  type Data = { shape: number[]; data: number[] };
  const x = [[[1, 2, 0], [0, 1, 3], [2, 0, 1]], [[0, 1, 1], [2, 0, 0], [1, 1, 2]]];

  it('convTranspose2d with stride, padding, output_padding and bias equals torch (F.conv_transpose2d)', () => {
    const w = [[[[1, 0], [0, 1]], [[1, 1], [1, 1]]], [[[2, -1], [0, 1]], [[0, 1], [-1, 0]]]];
    const data = okData<Data>(run({ op: 'convTranspose2d', input: x, weight: w, options: { stride: 2, padding: 1, outputPadding: 1, bias: [0.5, -1] } }));
    assert.deepEqual(Object.keys(data), ['shape', 'data']);
    assert.deepEqual(data.shape, [2, 5, 5]);
    assertClose(data.data, [1.5, 0.5, 3.5, 0.5, 1.5, -1.5, 1.5, 0.5, 3.5, 0.5, 2.5, 0.5, 1.5, 0.5, 3.5, -0.5, 2.5, -0.5, 5.5, -1.5, 3.5, 0.5, 1.5, 0.5, 3.5, 0, 0, 1, -2, -1, 1, 0, 0, 2, 2, -1, 0, 0, 2, 2, 2, -1, 0, 0, 2, 1, -2, -1, -2, 0]);
  });

  it('conv2d with groups, padding and stride equals torch', () => {
    const data = okData<Data>(run({ op: 'conv2d', input: [x], weight: [[[[1, 2], [3, 4]]], [[[0, 1], [-1, 0]]]], options: { groups: 2, padding: 1, stride: 2 } }));
    assert.deepEqual(data.shape, [1, 2, 2, 2]);
    assertClose(data.data, [4, 6, 8, 11, 0, -1, 2, -1]);
  });

  it('pooling with ceil_mode and count_include_pad, bilinear upsampling and pixel shuffle equal torch', () => {
    const a = [[Array.from({ length: 5 }, (_, r) => Array.from({ length: 5 }, (_, c) => (r * 5 + c) / 7))]];
    const avg = okData<Data>(run({ op: 'avgPool2d', input: a, options: { kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false } }));
    assert.deepEqual(avg.shape, [1, 1, 3, 3]);
    assertClose(avg.data, [0.4285714285714286, 0.6428571428571429, 0.8571428571428572, 1.5, 1.7142857142857142, 1.9285714285714288, 2.5714285714285716, 2.785714285714285, 3.0000000000000004]);
    const max = okData<Data>(run({ op: 'maxPool2d', input: a, options: { kernelSize: 2, ceilMode: true } }));
    assert.deepEqual(max.shape, [1, 1, 3, 3]);
    assertClose(max.data, [0.8571428571428571, 1.1428571428571428, 1.2857142857142858, 2.2857142857142856, 2.5714285714285716, 2.7142857142857144, 3, 3.2857142857142856, 3.4285714285714284]);
    const up = okData<Data>(run({ op: 'upsample', input: [[[[1, 2], [3, 4]]]], options: { scaleFactor: 2, mode: 'bilinear', alignCorners: false } }));
    assert.deepEqual(up.shape, [1, 1, 4, 4]);
    assertClose(up.data, [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4]);
    assert.deepEqual(okData<Data>(run({ op: 'pixelShuffle', input: [[[1]], [[2]], [[3]], [[4]]], options: { upscaleFactor: 2 } })), { shape: [1, 2, 2], data: [1, 2, 3, 4] });
  });

  it("a call PyTorch refuses is a refusal with the reason: kernel larger than the input, output_padding too large", () => {
    assert.match(refusal(run({ op: 'conv2d', input: [[1, 2], [3, 4]], weight: [[1, 1, 1], [1, 1, 1], [1, 1, 1]] })), /^Kernel is larger than the padded input on the height axis/);
    assert.match(refusal(run({ op: 'convTranspose2d', input: [[1, 2], [3, 4]], weight: [[1, 1], [1, 1]], options: { stride: 2, outputPadding: 2 } })), /output_padding \(2\) must be smaller than stride \(2\) or dilation \(1\)/i);
  });

  it('bad tensors and options are answered in words: ragged, not numbers, too deep, too many values, missing or needless weight, an option of another op', () => {
    assert.match(invalid(run({ op: 'maxPool2d', input: [[1, 2], [3]], options: { kernelSize: 1 } })), /"input" is not rectangular: at depth 2, item 1 has 1 entries, not 2\./);
    assert.match(invalid(run({ op: 'maxPool2d', input: [[1, 'a']], options: { kernelSize: 1 } })), /"input" must hold only finite numbers, but value 1 \(row-major\) is "a"\./);
    assert.match(invalid(run({ op: 'maxPool2d', input: [[[[[1]]]]], options: { kernelSize: 1 } })), /"input" is nested more than 4 deep/);
    assert.match(invalid(run({ op: 'maxPool2d', input: [new Array(70000).fill(0)], options: { kernelSize: 1 } })), /holds more than 65536 values/);
    assert.match(invalid(run({ op: 'conv2d', input: [[1]] })), /conv2d needs "weight"/);
    assert.match(invalid(run({ op: 'upsample', input: [[1]], weight: [[1]], options: { scaleFactor: 2 } })), /upsample takes no "weight"/);
    assert.match(invalid(run({ op: 'pixelShuffle', input: [[1]], options: { stride: 2 } })), /Option "stride" does not apply to pixelShuffle: it takes upscaleFactor\./);
    assert.match(invalid(run({ op: 'conv3d', input: [[1]] })), /"op" must be one of "convTranspose2d", .*, not "conv3d"\./);
  });

  it('an output too large to return is refused before it is computed', () => {
    const text = refusal(run({ op: 'upsample', input: [new Array(1000).fill(1)], options: { scaleFactor: 100 } }));
    assert.match(text, /compute_layer returns at most 65536/);
  });
});
