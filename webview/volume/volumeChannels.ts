/**
 * The channels and groups of a 1-D or 3-D layer in the volume panel, read from its operands' shapes
 * as PyTorch lays them out (input `[N, C_in, …]`; a transposed convolution's weight
 * `[C_in, C_out/groups, …]`, a convolution's `[C_out, C_in/groups, …]`), in the 2-D panel's terms
 * (webview/transposed/channels.ts) so the same groups map draws them. Pure: unit-tested.
 */
import type { ChannelLayout } from '../transposed/channels';
import type { VolumeLayerCall } from '../../src/core/protocol/volume';
import { volumeAxes } from './volumeLayout';

/** The layout of a weighted layer the engine accepted, or undefined for one channel in and out (nothing to map). */
export function volumeChannelLayout(call: VolumeLayerCall, rank: 1 | 3): ChannelLayout | undefined {
  const weight = call.weight;
  if (!weight || weight.shape.length !== rank + 2) return undefined;
  const input = volumeAxes(call.input.shape, rank);
  const groups = typeof call.options.groups === 'number' ? call.options.groups : 1;
  const transposed = call.op === 'convTranspose1d' || call.op === 'convTranspose3d';
  const outPerGroup = transposed ? (weight.shape[1] as number) : Math.max(1, Math.floor((weight.shape[0] as number) / groups));
  const outChannels = outPerGroup * groups;
  if (input.channels === 1 && outChannels === 1) return undefined;
  return { batch: input.batch, inChannels: input.channels, outChannels, groups, inPerGroup: Math.max(1, Math.floor(input.channels / groups)), outPerGroup, multiChannel: true };
}

/**
 * Which channels the views show for an output channel: the output's, the first input channel of its
 * group, and the weight's `[first, second]` indices of the kernel joining them.
 */
export function shownChannels(call: VolumeLayerCall, layout: ChannelLayout | undefined, outChannel: number): { readonly input: number; readonly output: number; readonly kernel: readonly [number, number] } {
  if (!layout) return { input: 0, output: 0, kernel: [0, 0] };
  const output = Math.min(Math.max(0, outChannel), layout.outChannels - 1);
  const group = Math.floor(output / layout.outPerGroup);
  const input = group * layout.inPerGroup;
  const transposed = call.op === 'convTranspose1d' || call.op === 'convTranspose3d';
  // w[C_in, C_out/groups, …] for a transposed convolution, w[C_out, C_in/groups, …] for a convolution.
  return { input, output, kernel: transposed ? [input, output % layout.outPerGroup] : [output, 0] };
}
