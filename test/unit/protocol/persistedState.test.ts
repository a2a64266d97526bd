/**
 * The state each page keeps with VS Code (`setState`) must read back after an update: a panel saved
 * by an earlier version comes back after the reload that installs the new one. Each fixture is the
 * JSON a page of the version before the webview host kit saved (made with that version's code), as
 * VS Code hands it back; the guards of today must accept it and restore the same thing, and what
 * today's pages save must be that same JSON. One `describe` per page.
 */
import * as assert from 'node:assert/strict';
import type { GatherLayerCall } from '../../../src/core/engine/index';
import { isLabSettings, isPersistedLabState, LAB_DEFAULT_SETTINGS, persistLabState, restoreLabSettings, type LabSettings } from '../../../src/core/protocol/lab';
import { isPersistedLayerState, persistLayerState, restoredLayerSnapshot } from '../../../src/core/protocol/layer';
import { isPersistedTransposedState, restoreTransposedLayer, type PersistedTransposedState, type TransposedConvolutionLayer } from '../../../src/core/protocol/transposed';
import { isPersistedStackState, isToStackMessage } from '../../../src/core/protocol/stack';
import { keptState, sameLayer } from '../../../webview/transposed/keptState';

const tensor = (shape: number[], values: number[]) => ({ shape, data: Float64Array.from(values) });

describe('kept state: the layer panel (layerLens.gather)', () => {
  /** Max pooling with NaN and the infinities, which JSON keeps as strings, and where its input came from. */
  const maxPool = {
    json: '{"op":"maxPool2d","input":{"shape":[4,4],"values":[1,"NaN","Infinity","-Infinity",5,6,7,8,9,10,11,12,13,14,15,-0.5]},"options":{"kernelSize":2,"stride":[2,1],"ceilMode":true},"source":"model.py:12","step":3}',
    call: { op: 'maxPool2d', input: tensor([4, 4], [1, Number.NaN, Infinity, -Infinity, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, -0.5]), options: { kernelSize: 2, stride: [2, 1], ceilMode: true } } as GatherLayerCall,
    source: 'model.py:12',
    step: 3,
  };
  /** A convolution keeps its weight beside the input. */
  const conv2d = {
    json: '{"op":"conv2d","input":{"shape":[3,3],"values":[1,2,3,4,5,6,7,8,9]},"weight":{"shape":[2,2],"values":[1,0,0,-1]},"options":{"stride":[1,1],"padding":"same","dilation":1,"groups":1},"source":"F.conv2d at net.py:7, on an example 3×3 input","step":0}',
    call: { op: 'conv2d', input: tensor([3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]), weight: tensor([2, 2], [1, 0, 0, -1]), options: { stride: [1, 1], padding: 'same', dilation: 1, groups: 1 } } as GatherLayerCall,
    source: 'F.conv2d at net.py:7, on an example 3×3 input',
    step: 0,
  };
  /** A layer of matrices typed in (no source), at the last step. */
  const upsample = {
    json: '{"op":"upsample","input":{"shape":[2,2],"values":[1,2,3,4]},"options":{"mode":"bilinear","size":[4,4],"alignCorners":true},"step":16}',
    call: { op: 'upsample', input: tensor([2, 2], [1, 2, 3, 4]), options: { mode: 'bilinear', size: [4, 4], alignCorners: true } } as GatherLayerCall,
    source: undefined,
    step: 16,
  };

  for (const [name, fixture] of Object.entries({ maxPool, conv2d, upsample })) {
    it(`restores the ${name} layer the previous version kept, and keeps it as the same JSON`, () => {
      const state = JSON.parse(fixture.json) as unknown;
      assert.ok(isPersistedLayerState(state));
      assert.equal(state.step, fixture.step, 'the page goes back to the step it was at');
      assert.deepEqual(restoredLayerSnapshot(state), { kind: 'ready', call: fixture.call, ...(fixture.source !== undefined ? { source: fixture.source } : {}) });
      assert.equal(JSON.stringify(persistLayerState(fixture.call, fixture.source, fixture.step)), fixture.json);
    });
  }

  it('restores nothing from a state that holds no layer (the page kept none, or it was malformed)', () => {
    assert.equal(restoredLayerSnapshot(undefined), undefined, 'a page showing no layer keeps undefined');
    assert.equal(restoredLayerSnapshot(null), undefined);
    const pool = JSON.parse(maxPool.json) as Record<string, unknown>;
    assert.equal(restoredLayerSnapshot({ ...pool, op: 'convTranspose2d' }), undefined, 'not a layer of this panel');
    assert.equal(restoredLayerSnapshot({ ...pool, step: -1 }), undefined);
    assert.equal(restoredLayerSnapshot({ ...pool, input: { shape: [4, 4], values: [1, 2] } }), undefined, 'fewer values than the shape');
    const conv = JSON.parse(conv2d.json) as Record<string, unknown>;
    assert.equal(restoredLayerSnapshot({ ...conv, weight: undefined }), undefined, 'a convolution without its weight');
  });
});

describe('kept state: the checkerboard lab (layerLens.lab)', () => {
  /** Generated input: every setting kept as it was. */
  const pattern = '{"settings":{"factor":3,"kernelSize":5,"input":"pattern","size":64,"mode":"bilinear","stages":2,"seed":7}}';
  /** A comparison on an image with the user's kernel: neither is kept, and the input falls back to constant. */
  const fromImage = '{"settings":{"factor":2,"kernelSize":4,"input":"constant","size":32,"mode":"nearest","stages":1,"seed":1}}';

  it('restores the settings the previous version kept', () => {
    const state = JSON.parse(pattern) as unknown;
    assert.ok(isPersistedLabState(state));
    assert.deepEqual(restoreLabSettings(state), { factor: 3, kernelSize: 5, input: 'pattern', size: 64, mode: 'bilinear', stages: 2, seed: 7 });
    assert.deepEqual(restoreLabSettings(JSON.parse(fromImage)), { factor: 2, kernelSize: 4, input: 'constant', size: 32, mode: 'nearest', stages: 1, seed: 1 });
  });

  it('keeps the settings as the same JSON, without a matrix, kernel or image', () => {
    const settings: LabSettings = { factor: 3, kernelSize: 5, input: 'pattern', size: 64, mode: 'bilinear', stages: 2, seed: 7 };
    assert.equal(JSON.stringify(persistLabState(settings)), pattern);
    const image: LabSettings = {
      factor: 2,
      kernelSize: 4,
      input: 'image',
      size: 32,
      mode: 'nearest',
      stages: 1,
      seed: 1,
      matrix: { rows: 2, cols: 2, data: Float64Array.from([0, 1, 1, 0]) },
      matrixLabel: 'photo.png (luma)',
      kernel: { rows: 2, cols: 2, data: Float64Array.from([1, 1, 1, 1]) },
    };
    assert.ok(isLabSettings(image));
    assert.equal(JSON.stringify(persistLabState(image)), fromImage);
  });

  it('starts from the defaults when nothing usable was kept', () => {
    for (const state of [undefined, null, 3, {}, { settings: { ...JSON.parse(pattern).settings, factor: 9 } }, { settings: { ...JSON.parse(pattern).settings, input: 'matrix' } }]) {
      assert.deepEqual(restoreLabSettings(state), { ...LAB_DEFAULT_SETTINGS });
    }
  });
});

/** Every key path of a JSON value (`layer.input.values`, `selectedCell`), array elements aside. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value)
    .flatMap(([key, child]) => [`${prefix}${key}`, ...keyPaths(child, `${prefix}${key}.`)])
    .sort();
}

/** What VS Code keeps of a state: its JSON. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('kept state: the transposed-convolution panel (layerLens.panel)', () => {
  // Written as 5b941d7's page saved it (webview/transposed/main.ts's saveState then): the layer it drew, spread,
  // with its matrices persisted. A two-channel input with NaN and both infinities (written as strings: JSON has none of them),
  // a [C_in, C_out] kernel, the picked output cell and channel, and the links the page was shown
  // with (the page kept the whole layer it drew).
  const withLayer = `{
    "layer": {
      "input": { "rows": 2, "cols": 2, "lead": [2], "values": [1, "NaN", 3, 4, "Infinity", 0.5, -2, "-Infinity"] },
      "kernel": { "rows": 2, "cols": 2, "lead": [2, 1], "values": [1, 0, 0, 1, 0.25, 0.25, 0.25, 0.25] },
      "params": { "stride": [2, 2], "padding": [0, 0], "outputPadding": [0, 0], "dilation": [1, 1] },
      "source": "model.py:3",
      "sourceUri": "file:///work/model.py",
      "links": { "input": "model.py:3", "kernel": "model.py:4" }
    },
    "step": 5,
    "speed": 2,
    "selectedCell": [1, 2],
    "channels": { "batch": 0, "outChannel": 0 }
  }`;
  // A plain matrix layer with groups, typed in (no source), at the end of the player.
  const plainLayer = `{
    "layer": {
      "input": { "rows": 2, "cols": 3, "values": [1, 2, 3, 4, 5, -6.5] },
      "kernel": { "rows": 1, "cols": 2, "values": [1, -1] },
      "params": { "stride": [1, 2], "padding": [0, 1], "outputPadding": [0, 1], "dilation": [1, 1], "groups": 1 },
      "links": { "insertUnavailable": "The input was not read from a document (it was typed or given as an argument), so there is no statement to add the result after: copy the output instead." }
    },
    "step": 6,
    "speed": 0.5
  }`;
  // A layer too large to keep: only the player and the picked cell.
  const withoutLayer = `{ "step": 12, "speed": 4, "selectedCell": [0, 1] }`;

  const fixtures = { withLayer, plainLayer, withoutLayer };

  it('accepts every state the previous version saved', () => {
    for (const [name, json] of Object.entries(fixtures)) assert.ok(isPersistedTransposedState(JSON.parse(json)), name);
  });

  it('still refuses what was never a saved state', () => {
    const state = JSON.parse(withLayer) as Record<string, unknown> & { layer: Record<string, unknown> };
    assert.equal(isPersistedTransposedState({ ...state, speed: 0 }), false);
    assert.equal(isPersistedTransposedState({ ...state, step: -1 }), false);
    assert.equal(isPersistedTransposedState({ ...state, layer: { ...state.layer, input: { rows: 2, cols: 2, values: [1, 'nan', 3, 4] } } }), false);
    assert.equal(isPersistedTransposedState({ ...state, layer: { ...state.layer, kernel: { rows: 2, cols: 2, values: [1, 2, 3] } } }), false);
    assert.equal(isPersistedTransposedState(null), false);
  });

  it('restores the matrices (NaN and the infinities included) and the parameters', () => {
    const state = JSON.parse(withLayer) as PersistedTransposedState;
    assert.ok(state.layer);
    const layer = restoreTransposedLayer(state.layer);
    assert.deepEqual(layer.input, { rows: 2, cols: 2, lead: [2], data: Float64Array.from([1, Number.NaN, 3, 4, Number.POSITIVE_INFINITY, 0.5, -2, Number.NEGATIVE_INFINITY]) });
    assert.deepEqual(layer.kernel, { rows: 2, cols: 2, lead: [2, 1], data: Float64Array.from([1, 0, 0, 1, 0.25, 0.25, 0.25, 0.25]) });
    assert.deepEqual(layer.params, { stride: [2, 2], padding: [0, 0], outputPadding: [0, 0], dilation: [1, 1] });
    assert.equal(layer.source, 'model.py:3');
    assert.equal(layer.sourceUri, 'file:///work/model.py');
    assert.equal(layer.links, undefined, 'the links to the literals do not survive a restart');

    const plain = JSON.parse(plainLayer) as PersistedTransposedState;
    assert.ok(plain.layer);
    const restored = restoreTransposedLayer(plain.layer);
    assert.deepEqual(restored.input, { rows: 2, cols: 3, data: Float64Array.from([1, 2, 3, 4, 5, -6.5]) });
    assert.deepEqual(restored.kernel, { rows: 1, cols: 2, data: Float64Array.from([1, -1]) });
    assert.deepEqual(restored.params, { stride: [1, 2], padding: [0, 1], outputPadding: [0, 1], dilation: [1, 1], groups: 1 });
    assert.equal(restored.source, undefined);
  });

  it('resumes the player on the restored layer: the page recognises it as the one it kept', () => {
    for (const json of [withLayer, plainLayer]) {
      const state = JSON.parse(json) as PersistedTransposedState;
      assert.ok(state.layer);
      assert.ok(sameLayer(state.layer, restoreTransposedLayer(state.layer)));
    }
  });

  it('saves what the previous version saved: same keys, same values', () => {
    for (const json of [withLayer, plainLayer]) {
      const state = JSON.parse(json) as PersistedTransposedState & { layer: { links?: TransposedConvolutionLayer['links'] } };
      // The page draws the restored layer with the links the host sends along.
      const shown: TransposedConvolutionLayer = { ...restoreTransposedLayer(state.layer), ...(state.layer.links ? { links: state.layer.links } : {}) };
      const { layer: _layer, ...ui } = state;
      const saved = asJson(keptState(shown, ui));
      assert.ok(isPersistedTransposedState(saved));
      assert.deepEqual(keyPaths(saved), keyPaths(JSON.parse(json)));
      assert.deepEqual(saved, JSON.parse(json));
    }
  });

  it('leaves out a layer too large to keep, as before', () => {
    const large = { rows: 300, cols: 300, data: new Float64Array(300 * 300) };
    const layer: TransposedConvolutionLayer = { input: large, kernel: { rows: 1, cols: 1, data: Float64Array.from([1]) }, params: { stride: [1, 1], padding: [0, 0], outputPadding: [0, 0], dilation: [1, 1] } };
    const saved = asJson(keptState(layer, { step: 12, speed: 4, selectedCell: [0, 1] }));
    assert.ok(isPersistedTransposedState(saved));
    assert.deepEqual(keyPaths(saved), keyPaths(JSON.parse(withoutLayer)));
    assert.deepEqual(saved, JSON.parse(withoutLayer));
  });
});

describe('kept state: the stack view (layerLens.stack)', () => {
  /** What the stack view kept before the kit: which stack it showed (the host re-reads it from the document). */
  const previous: unknown[] = [
    JSON.parse('{"uri":"file:///w/dcgan_generator.py","kind":"sequential","name":"self.main","start":412}'),
    JSON.parse('{"uri":"file:///w/dcgan_generator.py","kind":"init","name":"Generator","start":120,"inputSize":[64,64]}'),
    JSON.parse('{"uri":"untitled:Untitled-1","kind":"selection","name":"lines 2–6","start":22,"inputSize":16}'),
    JSON.parse('{"uri":"file:///w/keras_decoder.py","kind":"kerasSequential","name":"decoder","start":0,"inputSize":[1,100,1,1]}'),
    JSON.parse('{"uri":"file:///w/model.py","kind":"functional","name":"x","start":7}'),
  ];

  it('accepts every state the previous version kept, and the show message that carries it', () => {
    for (const kept of previous) {
      assert.ok(isPersistedStackState(kept), JSON.stringify(kept));
      assert.ok(isToStackMessage({ type: 'show', snapshot: { kind: 'empty' }, keep: kept }));
    }
  });

  it('refuses what was never a saved state', () => {
    const kept = previous[1] as Record<string, unknown>;
    assert.ok(!isPersistedStackState({ ...kept, kind: 'module' }));
    assert.ok(!isPersistedStackState({ ...kept, start: -1 }));
    assert.ok(!isPersistedStackState({ ...kept, inputSize: ['64'] }));
    assert.ok(!isPersistedStackState({ ...kept, inputSize: [1, 2, 3, 4, 5] }));
    assert.ok(!isPersistedStackState({ ...kept, uri: 1 }));
    assert.ok(!isToStackMessage({ type: 'show', snapshot: { kind: 'empty' }, keep: { uri: 1 } }));
  });
});
