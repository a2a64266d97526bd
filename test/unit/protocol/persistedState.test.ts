/**
 * The state each page keeps with `setState` survives an upgrade: VS Code hands a panel saved by an
 * earlier version of Layer Lens to this version's serializer. The fixtures are literal JSON, written
 * as the version before the protocol split (commit 5b941d7) saved it; they must not be edited to
 * follow a change of the code (a change that breaks them breaks restore for users).
 */
import * as assert from 'node:assert/strict';
import { isPersistedTransposedState, restoreTransposedLayer, type PersistedTransposedState, type TransposedConvolutionLayer } from '../../../src/core/protocol/transposed';
import { keptState, sameLayer } from '../../../webview/transposed/keptState';

/** Every key path of a JSON value (`layer.input.values`, `selectedCell`), array elements aside. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value)
    .flatMap(([key, child]) => [`${prefix}${key}`, ...keyPaths(child, `${prefix}${key}.`)])
    .sort();
}

/** What VS Code keeps of a state: its JSON. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('persisted state of the transposed-convolution panel (layerLens.panel)', () => {
  // A two-channel input with NaN and both infinities (written as strings: JSON has none of them),
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
