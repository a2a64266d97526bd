/**
 * What activating Layer Lens does, on either platform: each feature registers its own commands and
 * providers, and everything is disposed with the extension. Activation comes from `contributes` (a
 * command being run) and from opening a document in a language Layer Lens reads (`onLanguage:`
 * events), never at VS Code startup; registering the editor providers parses nothing. The entry
 * points (src/extension.ts for Node, src/web/extension.ts for the browser) differ only in how they
 * start the engine worker.
 */
import * as vscode from 'vscode';
import { TRANSPOSED_CONVOLUTION_COMMAND, transposedConvolutionCommand } from './commands/transposedConvolution';
import { registerPanelCommands } from './commands/panelCommands';
import { CONVOLUTION_COMMAND, convolutionCommand, PIXEL_SHUFFLE_COMMAND, pixelShuffleCommand, POOL_COMMAND, poolCommand, UPSAMPLE_COMMAND, upsampleCommand } from './commands/layerCommands';
import { GatherPanel } from './gather/gatherPanel';
import { INSPECT_LAYER_COMMAND, inspectLayerCommand, SHOW_OVERLAP_MAP_COMMAND, showOverlapMapCommand } from './commands/inspectLayer';
import { SET_KERNEL_COMMAND, setKernelCommand } from './commands/setKernel';
import { SOLVE_FOR_SIZE_COMMAND, solveForSizeCommand } from './commands/solveForSize';
import { OPEN_TEXTBOOK_EXAMPLE_COMMAND, openTextbookExampleCommand } from './commands/textbookExample';
import { DocumentAnalysis } from './editor/documentAnalysis';
import { registerEditorFeatures } from './editor/index';
import { COMPARE_UPSAMPLING_COMMAND, compareUpsamplingCommand } from './lab/labCommand';
import { LabPanel } from './lab/labPanel';
import { INSPECT_STACK_COMMAND, inspectStackCommand } from './stack/inspectStackCommand';
import { LayerLensPanel } from './panel/layerLensPanel';
import { EngineWorkerClient, type StartWorker } from './worker/engineWorkerClient';

export function activateLayerLens(context: vscode.ExtensionContext, startWorker: StartWorker): void {
  // The worker starts on the first large computation, not here.
  const engine = new EngineWorkerClient(startWorker);
  const commandContext = { extensionUri: context.extensionUri, engine };
  // The lab has a worker of its own, so that cancelling a superseded comparison stops only that.
  const labEngine = new EngineWorkerClient(startWorker);
  const labServices = { ...commandContext, labEngine };
  // One parse cache per document version, shared by the editor features, the stack view and the commands that read layers.
  const analysis = new DocumentAnalysis();
  const layerContext = { ...commandContext, analysis };
  context.subscriptions.push(
    engine,
    labEngine,
    vscode.commands.registerCommand(INSPECT_STACK_COMMAND, (args: unknown) => inspectStackCommand(layerContext, args)),
    analysis,
    vscode.commands.registerCommand(TRANSPOSED_CONVOLUTION_COMMAND, (args: unknown) => transposedConvolutionCommand(commandContext, args)),
    LayerLensPanel.registerSerializer(commandContext),
    vscode.commands.registerCommand(CONVOLUTION_COMMAND, (args: unknown) => convolutionCommand(commandContext, args)),
    vscode.commands.registerCommand(POOL_COMMAND, (args: unknown) => poolCommand(commandContext, args)),
    vscode.commands.registerCommand(UPSAMPLE_COMMAND, (args: unknown) => upsampleCommand(commandContext, args)),
    vscode.commands.registerCommand(PIXEL_SHUFFLE_COMMAND, (args: unknown) => pixelShuffleCommand(commandContext, args)),
    GatherPanel.registerSerializer(commandContext),
    vscode.commands.registerCommand(COMPARE_UPSAMPLING_COMMAND, (args: unknown) => compareUpsamplingCommand(labServices, args)),
    LabPanel.registerSerializer(labServices),
    ...registerPanelCommands(),
    vscode.commands.registerCommand(SET_KERNEL_COMMAND, (args: unknown) => setKernelCommand(args)),
    vscode.commands.registerCommand(INSPECT_LAYER_COMMAND, (args: unknown) => inspectLayerCommand(layerContext, args)),
    vscode.commands.registerCommand(SHOW_OVERLAP_MAP_COMMAND, (args: unknown) => showOverlapMapCommand(layerContext, args)),
    vscode.commands.registerCommand(SOLVE_FOR_SIZE_COMMAND, (args: unknown) => solveForSizeCommand(analysis, args)),
    vscode.commands.registerCommand(OPEN_TEXTBOOK_EXAMPLE_COMMAND, () => openTextbookExampleCommand(context.extensionUri)),
    registerEditorFeatures(analysis),
  );
}
