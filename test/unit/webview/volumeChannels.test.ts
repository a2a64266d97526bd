/** The volume panel's channels and groups (webview/volume/volumeChannels.ts), in the 2-D panel's terms. */
import * as assert from 'node:assert/strict';
import { tensor } from '../../../src/core/engine/index';
import type { VolumeLayerCall } from '../../../src/core/protocol/volume';
import { describeGroups } from '../../../webview/transposed/channels';
import { shownChannels, volumeChannelLayout } from '../../../webview/volume/volumeChannels';

const ones = (shape: number[]) => tensor(shape, new Float64Array(shape.reduce((a, b) => a * b, 1)).fill(1));

describe('volume panel channels and groups', () => {
  it('a grouped Conv1d: weight [C_out, C_in/groups, k], one map block per group', () => {
    const call: VolumeLayerCall = { op: 'conv1d', input: ones([1, 4, 8]), weight: ones([2, 2, 3]), options: { groups: 2 } };
    const layout = volumeChannelLayout(call, 1);
    assert.deepEqual(layout, { batch: 1, inChannels: 4, outChannels: 2, groups: 2, inPerGroup: 2, outPerGroup: 1, multiChannel: true });
    assert.match(describeGroups(layout), /^Grouped \(groups 2\): 4 input channels → 2 output channels in 2 groups of 2 in → 1 out/);
    // Output channel 1 is group 1: input channels 2–3, kernel w[1, 0].
    assert.deepEqual(shownChannels(call, layout, 1), { input: 2, output: 1, kernel: [1, 0] });
  });

  it('a grouped ConvTranspose3d: weight [C_in, C_out/groups, kD, kH, kW]', () => {
    const call: VolumeLayerCall = { op: 'convTranspose3d', input: ones([1, 2, 2, 2, 2]), weight: ones([2, 3, 1, 1, 1]), options: { groups: 2 } };
    const layout = volumeChannelLayout(call, 3);
    assert.ok(layout);
    assert.deepEqual([layout.outChannels, layout.inPerGroup, layout.outPerGroup], [6, 1, 3]);
    assert.match(describeGroups(layout), /^Depthwise/);
    // Output channel 4 is the second of group 1: input channel 1, kernel w[1, 1]; a channel past the end is clamped.
    assert.deepEqual(shownChannels(call, layout, 4), { input: 1, output: 4, kernel: [1, 1] });
    assert.deepEqual(shownChannels(call, layout, 99).output, 5);
  });

  it('one channel in and out, a pool, or a kernel without channel axes has no map', () => {
    assert.equal(volumeChannelLayout({ op: 'conv1d', input: ones([1, 1, 8]), weight: ones([1, 1, 3]), options: {} }, 1), undefined);
    assert.equal(volumeChannelLayout({ op: 'maxPool3d', input: ones([1, 3, 2, 2, 2]), options: { kernelSize: 2 } }, 3), undefined);
    assert.equal(volumeChannelLayout({ op: 'conv1d', input: ones([8]), weight: ones([3]), options: {} }, 1), undefined);
  });
});
