/**
 * Everything Layer Lens does, created the first time something needs it: a command runs, a panel
 * is restored, an editor provider is asked, or the turn after activation starts the diagnostics
 * (src/activation.ts). In Node this module is a bundle of its own (dist/features.js) that the entry
 * requires then; in the browser's extension host, where an extension is one file, it is in the
 * entry's bundle, and its modules are evaluated only then.
 */
import type * as vscode from 'vscode';
import type { CommandId, RestoredPanelId } from './contributed';
import { TRANSPOSED_CONVOLUTION_COMMAND, transposedConvolutionCommand } from './transposed/transposedConvolutionCommand';
import { transposedPanelCommands } from './transposed/transposedPanelCommands';
import { CONVOLUTION_COMMAND, convolutionCommand, PIXEL_SHUFFLE_COMMAND, pixelShuffleCommand, POOL_COMMAND, poolCommand, UPSAMPLE_COMMAND, upsampleCommand } from './layer/layerCommands';
import { GatherPanel } from './layer/layerPanel';
import { INSPECT_LAYER_COMMAND, inspectLayerCommand, SHOW_OVERLAP_MAP_COMMAND, showOverlapMapCommand } from './layer/inspectLayer';
import { SET_KERNEL_COMMAND, setKernelCommand } from './transposed/setKernel';
import { SOLVE_FOR_SIZE_COMMAND, solveForSizeCommand } from './editor/solveForSize';
import { OPEN_TEXTBOOK_EXAMPLE_COMMAND, openTextbookExampleCommand } from './transposed/textbookExample';
import { DocumentAnalysis } from './editor/documentAnalysis';
import type { EditorProviders } from './editor/index';
import { createEditorFeatures } from './editor/providers';
import { COMPARE_UPSAMPLING_COMMAND, compareUpsamplingCommand } from './lab/labCommand';
import { LabPanel } from './lab/labPanel';
import { INSPECT_STACK_COMMAND, inspectStackCommand } from './stack/inspectStackCommand';
import { StackPanel } from './stack/stackPanel';
import { TransposedConvolutionPanel } from './transposed/transposedConvolutionPanel';
import { EngineWorkerClient, type StartWorker } from './worker/engineWorkerClient';

export interface Features {
  /** Every command's handler: what `vscode.commands.executeCommand(id, args)` runs and returns. */
  readonly commands: Readonly<Record<CommandId, (args: unknown) => unknown>>;
  /** The serializer of each panel VS Code restores after a restart. */
  readonly panels: Readonly<Record<RestoredPanelId, vscode.WebviewPanelSerializer>>;
  readonly editor: EditorProviders;
}

/** Everything created here is disposed with the extension (`context.subscriptions`). */
export function createFeatures(context: vscode.ExtensionContext, startWorker: StartWorker): Features {
  // The worker starts on the first large computation, not here.
  const engine = new EngineWorkerClient(startWorker);
  const commandContext = { extensionUri: context.extensionUri, engine };
  // The lab has a worker of its own, so that cancelling a superseded comparison stops only that.
  const labEngine = new EngineWorkerClient(startWorker);
  const labServices = { ...commandContext, labEngine };
  // One parse cache per document version, shared by the editor features, the stack view and the commands that read layers.
  const analysis = new DocumentAnalysis();
  const layerContext = { ...commandContext, analysis };
  const editor = createEditorFeatures(analysis);
  context.subscriptions.push(engine, labEngine, analysis, editor.disposable);
  return {
    commands: {
      [TRANSPOSED_CONVOLUTION_COMMAND]: (args) => transposedConvolutionCommand(commandContext, args),
      [CONVOLUTION_COMMAND]: (args) => convolutionCommand(commandContext, args),
      [POOL_COMMAND]: (args) => poolCommand(commandContext, args),
      [UPSAMPLE_COMMAND]: (args) => upsampleCommand(commandContext, args),
      [PIXEL_SHUFFLE_COMMAND]: (args) => pixelShuffleCommand(commandContext, args),
      [COMPARE_UPSAMPLING_COMMAND]: (args) => compareUpsamplingCommand(labServices, args),
      [INSPECT_STACK_COMMAND]: (args) => inspectStackCommand(layerContext, args),
      [SET_KERNEL_COMMAND]: (args) => setKernelCommand(args),
      [INSPECT_LAYER_COMMAND]: (args) => inspectLayerCommand(layerContext, args),
      [SHOW_OVERLAP_MAP_COMMAND]: (args) => showOverlapMapCommand(layerContext, args),
      [SOLVE_FOR_SIZE_COMMAND]: (args) => solveForSizeCommand(analysis, args),
      [OPEN_TEXTBOOK_EXAMPLE_COMMAND]: () => openTextbookExampleCommand(context.extensionUri),
      ...transposedPanelCommands(),
    },
    panels: {
      [TransposedConvolutionPanel.viewType]: TransposedConvolutionPanel.serializer(commandContext),
      [LabPanel.viewType]: LabPanel.serializer(labServices),
      [GatherPanel.viewType]: GatherPanel.serializer(commandContext),
      [StackPanel.viewType]: StackPanel.serializer(layerContext),
    },
    editor: editor.providers,
  };
}
