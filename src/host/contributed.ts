/**
 * What Layer Lens registers at activation, by id only: every command it contributes and every panel
 * VS Code may restore after a restart. Activation (src/activation.ts) registers each with a stub
 * that loads the features (src/features.ts) the first time it is used; the features give each its
 * handler, and the compiler checks that none is missing. This module imports nothing, so the small
 * entry bundle can hold it; test/unit/host/activation.test.ts checks it against package.json.
 */

/** The `contributes.commands` of package.json. */
export const COMMANDS = [
  'layerLens.transposedConvolution',
  'layerLens.convolution',
  'layerLens.pool',
  'layerLens.upsample',
  'layerLens.pixelShuffle',
  'layerLens.compareUpsampling',
  'layerLens.inspectStack',
  'layerLens.setKernel',
  'layerLens.inspectLayer',
  'layerLens.showOverlapMap',
  'layerLens.solveForSize',
  'layerLens.copyResultAs',
  'layerLens.openTextbookExample',
  'layerLens.copy',
  'layerLens.copyPyTorchSnippet',
  'layerLens.insertResult',
] as const;

export type CommandId = (typeof COMMANDS)[number];

/** Run by the transposed-convolution panel's beaker button: the panel opens the lab through the command, not an import. */
export const COMPARE_UPSAMPLING_COMMAND = 'layerLens.compareUpsampling' satisfies CommandId;

/** The webview panels with a serializer (package.json's `onWebviewPanel:` activation events). */
export const RESTORED_PANELS = ['layerLens.panel', 'layerLens.lab', 'layerLens.gather', 'layerLens.stack'] as const;

export type RestoredPanelId = (typeof RESTORED_PANELS)[number];
