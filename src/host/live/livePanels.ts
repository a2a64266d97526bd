/**
 * Live tensors and layers in Layer Lens's existing panels. A live layer opens the panel of its kind
 * on the real tensors: a transposed convolution in the transposed-convolution panel (step player,
 * overlap map, the trained weight's phase sums), the gathering layers in the layer panel. A lone
 * tensor opens the transposed-convolution panel as a grouped 1×1 convolution of ones with stride 1,
 * whose output is the tensor itself: its grids draw every matrix as a heatmap, with channel and
 * batch selectors for 3-D and 4-D tensors, and its toolbar copies it as NumPy or PyTorch.
 */
import { UserFacingError } from '../common/arguments';
import type { GatherLayerCall } from '../../core/engine/gatherLayer';
import type { Tensor } from '../../core/engine/tensor';
import type { ConvTranspose2dOptions } from '../../core/engine/options';
import type { MatrixView } from '../../core/protocol/common';
import type { TransposedConvolutionParams } from '../../core/protocol/transposed';
import { LayerPanel, type LayerServices } from '../layer/layerPanel';
import { operandView, pairOperands } from '../transposed/operandShapes';
import { TransposedConvolutionPanel } from '../transposed/transposedConvolutionPanel';

export type LivePanelServices = LayerServices;

/** Opens the panel on a fetched tensor (1-D to 4-D); a 0-D or 5-D tensor has no grid to draw. */
export function showLiveTensor(services: LivePanelServices, label: string, shape: readonly number[], values: Float64Array, place: string | undefined): void {
  if (shape.length < 1 || shape.length > 4 || values.length === 0) return;
  const input = view('input', { shape, data: values }, label);
  const channels = input.lead === undefined ? 1 : (input.lead[input.lead.length - 1] as number);
  const identity: Tensor = input.lead === undefined ? { shape: [1, 1], data: Float64Array.of(1) } : { shape: [channels, 1, 1, 1], data: new Float64Array(channels).fill(1) };
  const kernel = view('kernel', identity, 'identity');
  const params: TransposedConvolutionParams = { stride: [1, 1], padding: [0, 0], outputPadding: [0, 0], dilation: [1, 1], ...(channels > 1 ? { groups: channels } : {}) };
  TransposedConvolutionPanel.show(services, { input, kernel, params, source: caption(label, place) });
}

/** Opens the transposed-convolution panel on a live ConvTranspose2d's input and weight (its bias is in the returned output, not drawn). */
export function showLiveTransposed(services: LivePanelServices, label: string, input: Tensor, weight: Tensor, options: Omit<ConvTranspose2dOptions, 'bias'>, place: string | undefined): void {
  const paired = pairOperands(view('input', input, label), view('kernel', weight, `${label}.weight`));
  if (!paired.ok) throw new UserFacingError(paired.problem);
  const pairOf = (value: number | readonly number[] | undefined, fallback: number): [number, number] =>
    value === undefined ? [fallback, fallback] : typeof value === 'number' ? [value, value] : [value[0] as number, value[value.length - 1] as number];
  const params: TransposedConvolutionParams = {
    stride: pairOf(options.stride, 1),
    padding: pairOf(options.padding, 0),
    outputPadding: pairOf(options.outputPadding, 0),
    dilation: pairOf(options.dilation, 1),
    ...(options.groups !== undefined && options.groups !== 1 ? { groups: options.groups } : {}),
  };
  TransposedConvolutionPanel.show(services, { ...paired.value, params, source: caption(label, place) });
}

/** Opens the layer panel on a live convolution, pool, upsampling or pixel shuffle. */
export function showLiveGather(services: LivePanelServices, call: GatherLayerCall, label: string, place: string | undefined): void {
  LayerPanel.show(services, call, caption(label, place), undefined);
}

function view(role: 'input' | 'kernel', tensor: Tensor, where: string): MatrixView {
  const reading = operandView(role, tensor, where);
  if (!reading.ok) throw new UserFacingError(reading.problem);
  return reading.value;
}

const caption = (label: string, place: string | undefined): string => `${label} (live${place ? `, paused at ${place}` : ''})`;
