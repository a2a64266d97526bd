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
