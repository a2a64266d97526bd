/**
 * What Layer Lens registers at activation, by id only: every command it contributes and every panel
 * VS Code may restore after a restart. Activation (src/host/activation.ts) registers each with a
 * stub that loads the features (src/host/features.ts) the first time it is used; the features give
 * each its handler, and the compiler checks that none is missing. Code that runs or links to a
 * command takes its id from `COMMAND` here. This module imports only the page table (which imports
 * nothing), so the small entry bundle can hold it; test/unit/host/activation.test.ts checks it
 * against package.json.
 */
import { PAGE_IDS, PAGES, type PageId } from '../core/protocol/pages';

/** The `contributes.commands` of package.json, by name. */
export const COMMAND = {
  transposedConvolution: 'layerLens.transposedConvolution',
  convolution: 'layerLens.convolution',
  pool: 'layerLens.pool',
  upsample: 'layerLens.upsample',
  pixelShuffle: 'layerLens.pixelShuffle',
  compareUpsampling: 'layerLens.compareUpsampling',
  inspectStack: 'layerLens.inspectStack',
  inspectModel: 'layerLens.inspectModel',
  setKernel: 'layerLens.setKernel',
  inspectLayer: 'layerLens.inspectLayer',
  showOverlapMap: 'layerLens.showOverlapMap',
  solveForSize: 'layerLens.solveForSize',
  copyResultAs: 'layerLens.copyResultAs',
  openTextbookExample: 'layerLens.openTextbookExample',
  copy: 'layerLens.copy',
  copyPyTorchSnippet: 'layerLens.copyPyTorchSnippet',
  insertResult: 'layerLens.insertResult',
  inspectTensor: 'layerLens.inspectTensor',
  inspectLiveLayer: 'layerLens.inspectLiveLayer',
  auditCheckpoint: 'layerLens.auditCheckpoint',
  auditLiveModel: 'layerLens.auditLiveModel',
} as const;

export type CommandId = (typeof COMMAND)[keyof typeof COMMAND];

/** Every contributed command, in package.json's order. */
export const COMMANDS: readonly CommandId[] = Object.values(COMMAND);

/** The pages that are webview panels; the others are custom editors, which VS Code restores through their provider. */
type PanelPageId = { [K in PageId]: (typeof PAGES)[K] extends { readonly customEditor: true } ? never : K }[PageId];

/** The view types of the webview panels with a serializer (package.json's `onWebviewPanel:` activation events). */
export type RestoredPanelId = (typeof PAGES)[PanelPageId]['viewType'];

export const RESTORED_PANELS: readonly RestoredPanelId[] = PAGE_IDS.filter((id): id is PanelPageId => !('customEditor' in PAGES[id])).map((id) => PAGES[id].viewType);

/**
 * The checkpoint editor's view types (package.json's `customEditors`): the same editor, the default
 * one for files that are always checkpoints (`.safetensors`, `.onnx`, `.keras`) and one offered by
 * "Reopen Editor With…" for extensions other files share (`.pt`, `.bin`, `.npy`, `.h5`, …).
 */
export const CHECKPOINT_EDITORS = [PAGES.checkpoint.viewType, 'layerLens.checkpointOnRequest'] as const;

/** The `contributes.configuration` of package.json: settings users saved under these ids must keep working. */
export const SETTING_IDS = [
  'layerLens.defaultStride',
  'layerLens.maxOutputElements',
  'layerLens.hover.matrices',
  'layerLens.hover.layers',
  'layerLens.layers.inputSize',
  'layerLens.models.inputShape',
  'layerLens.codeLens.enabled',
  'layerLens.diagnostics.enabled',
  'layerLens.statusBar.enabled',
  'layerLens.diagnostics.severity',
  'layerLens.stacks.codeLens',
  'layerLens.stacks.hover',
  'layerLens.stacks.diagnostics',
  'layerLens.models.codeLens',
  'layerLens.models.hover',
  'layerLens.live.inlineValues',
  'layerLens.checkpoints.modelSource',
] as const;
