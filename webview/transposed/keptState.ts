/**
 * What the transposed-convolution panel's page keeps with `setState` (VS Code holds it as JSON
 * while the panel is hidden and across restarts) and whether a layer is the one it describes. Its
 * shape is pinned by test/unit/protocol/persistedState.test.ts: a state saved by an earlier
 * version must come back.
 */
import { MAX_PERSISTED_VALUES, persistMatrix } from '../../src/core/protocol/common';
import type { PersistedTransposedLayer, PersistedTransposedState, TransposedConvolutionLayer } from '../../src/core/protocol/transposed';

/** The state to keep for `layer` and the player's position: the layer only when small enough. */
export function keptState(layer: TransposedConvolutionLayer, ui: Omit<PersistedTransposedState, 'layer'>): PersistedTransposedState {
  const small = layer.input.data.length + layer.kernel.data.length <= MAX_PERSISTED_VALUES;
  return {
    ...(small ? { layer: { ...layer, input: persistMatrix(layer.input), kernel: persistMatrix(layer.kernel) } } : {}),
    step: ui.step,
    speed: ui.speed,
    ...(ui.selectedCell ? { selectedCell: ui.selectedCell } : {}),
    ...(ui.channels ? { channels: ui.channels } : {}),
  };
}

/** Whether the kept layer has the shapes, parameters and source of `layer` (so the player may resume where it was). */
export function sameLayer(saved: PersistedTransposedLayer, layer: TransposedConvolutionLayer): boolean {
  const same = (a: readonly number[], b: readonly number[]) => a[0] === b[0] && a[1] === b[1];
  const sameLead = (a: readonly number[] | undefined, b: readonly number[] | undefined) => (a ?? []).join() === (b ?? []).join();
  const { params } = layer;
  return (
    saved.source === layer.source &&
    sameLead(saved.input.lead, layer.input.lead) &&
    sameLead(saved.kernel.lead, layer.kernel.lead) &&
    (saved.params.groups ?? 1) === (params.groups ?? 1) &&
    saved.input.rows === layer.input.rows &&
    saved.input.cols === layer.input.cols &&
    saved.kernel.rows === layer.kernel.rows &&
    saved.kernel.cols === layer.kernel.cols &&
    same(saved.params.stride, params.stride) &&
    same(saved.params.padding, params.padding) &&
    same(saved.params.outputPadding, params.outputPadding) &&
    same(saved.params.dilation, params.dilation)
  );
}
