/**
 * Everything Layer Lens does, created the first time something needs it: a command runs, a panel
 * is restored, an editor provider is asked, or the turn after activation starts the diagnostics
 * (src/host/activation.ts). In Node this module is a bundle of its own (dist/features.js) that the entry
 * requires then; in the browser's extension host, where an extension is one file, it is in the
 * entry's bundle, and its modules are evaluated only then.
 */
import type * as vscode from 'vscode';
import { COMMAND, type CommandId, type RestoredPanelId } from './contributed';
import { transposedConvolutionCommand } from './transposed/transposedConvolutionCommand';
import { transposedPanelCommands } from './transposed/transposedPanelCommands';
import { convolutionCommand, pixelShuffleCommand, poolCommand, upsampleCommand } from './layer/layerCommands';
import { LayerPanel } from './layer/layerPanel';
import { inspectLayerCommand, showOverlapMapCommand } from './layer/inspectLayer';
import { setKernelCommand } from './transposed/setKernel';
import { solveForSizeCommand } from './editor/solveForSize';
import { openTextbookExampleCommand } from './transposed/textbookExample';
import { DocumentAnalysis } from './editor/documentAnalysis';
import { DocumentSummaries } from './editor/documentSummaries';
import type { EditorProviders } from './editor/index';
import { createEditorFeatures } from './editor/providers';
import { compareUpsamplingCommand } from './lab/labCommand';
import { LabPanel } from './lab/labPanel';
import { inspectStackCommand } from './stack/inspectStackCommand';
import { StackPanel } from './stack/stackPanel';
import { inspectModelCommand } from './model/inspectModelCommand';
import { ModelPanel } from './model/modelPanel';
import { ModelService } from './model/modelService';
import { TransposedConvolutionPanel } from './transposed/transposedConvolutionPanel';
import { asksForVolumeLayer } from './volume/volumeArguments';
import { volumeLayerCommand } from './volume/volumeCommand';
import { VolumePanel } from './volume/volumePanel';
import { EngineWorkerClient, type StartWorker } from './worker/engineWorkerClient';
import { languageModelTools, type LanguageModelTools } from './agents/languageModelTools';
import { inspectTensorCommand } from './live/inspectTensor';
import { inspectLiveLayerCommand } from './live/inspectLiveLayer';
import { auditLiveModelCommand } from './live/auditLiveModel';
import { auditCheckpointCommand } from './checkpoint/auditCheckpointCommand';
import { CheckpointEditorProvider } from './checkpoint/checkpointEditor';
import type { OpenLocalFile } from './checkpoint/fileSource';
import { TrainedVerdicts } from './checkpoint/trainedVerdicts';

export interface Features {
  /** Every command's handler: what `vscode.commands.executeCommand(id, args)` runs and returns. */
  readonly commands: Readonly<Record<CommandId, (args: unknown) => unknown>>;
  /** The serializer of each panel VS Code restores after a restart. */
  readonly panels: Readonly<Record<RestoredPanelId, vscode.WebviewPanelSerializer>>;
  readonly editor: EditorProviders;
  /** The language-model tools, by name (src/host/agents/languageModelTools.ts). */
  readonly tools: LanguageModelTools;
  /** The checkpoint editor's provider (`layerLens.checkpoint`). */
  readonly checkpointEditor: vscode.CustomReadonlyEditorProvider;
}

/** The 1-D and 3-D layers "Transposed Convolution" takes as an `op`. */
const TRANSPOSED_VOLUME_OPS = ['convTranspose1d', 'convTranspose3d'] as const;

/**
 * Everything created here is disposed with the extension (`context.subscriptions`). `openLocalFile`
 * reads local checkpoint files by ranges (Node only; without it they are read whole).
 */
export function createFeatures(context: vscode.ExtensionContext, startWorker: StartWorker, openLocalFile?: OpenLocalFile): Features {
  // The worker starts on the first large computation, not here.
  const engine = new EngineWorkerClient(startWorker);
  const commandContext = { extensionUri: context.extensionUri, engine };
  // The lab has a worker of its own, so that cancelling a superseded comparison stops only that.
  const labEngine = new EngineWorkerClient(startWorker);
  const labServices = { ...commandContext, labEngine };
  // Set Kernel's search of the workspace files has one too: behind a long computation in the
  // commands' worker, its 3 s budget would run out before it read a file.
  const scanEngine = new EngineWorkerClient(startWorker);
  // One parse cache per document version, shared by the editor features, the stack view and the commands that read layers.
  const analysis = new DocumentAnalysis();
  const layerContext = { ...commandContext, analysis };
  // The CodeLens, diagnostics and status bar read whole documents in a worker of their own, off the
  // extension host's thread, so that a command's long computation never delays them (nor they it).
  const editorEngine = new EngineWorkerClient(startWorker);
  const summaries = new DocumentSummaries(editorEngine, analysis);
  // Whole models are read in the commands' worker; the CodeLens, the hover and the model view share its cache.
  const modelServices = { ...commandContext, models: new ModelService(engine, context.workspaceState) };
  // The stack view reads a stack with the model that runs it (its forward() trace), from the same cache.
  const stackServices = { ...layerContext, models: modelServices.models };
  // Audits of checkpoints paired with a model source, for that source's hovers and CodeLens.
  const verdicts = new TrainedVerdicts(context.workspaceState);
  const editor = createEditorFeatures(analysis, summaries, modelServices.models, verdicts);
  context.subscriptions.push(engine, labEngine, scanEngine, editorEngine, analysis, summaries, verdicts, modelServices.models, editor.disposable);
  const checkpointServices = { extensionUri: context.extensionUri, openLocal: openLocalFile, memory: context.workspaceState, verdicts };
  return {
    commands: {
      // A 1-D or 3-D `op` in the arguments opens the volume panel (strips and slices) instead.
      [COMMAND.transposedConvolution]: (args) =>
        asksForVolumeLayer(args, TRANSPOSED_VOLUME_OPS) ? volumeLayerCommand(commandContext, args, 'Transposed Convolution') : transposedConvolutionCommand(commandContext, args),
      [COMMAND.convolution]: (args) => convolutionCommand(commandContext, args),
      [COMMAND.pool]: (args) => poolCommand(commandContext, args),
      [COMMAND.upsample]: (args) => upsampleCommand(commandContext, args),
      [COMMAND.pixelShuffle]: (args) => pixelShuffleCommand(commandContext, args),
      [COMMAND.compareUpsampling]: (args) => compareUpsamplingCommand(labServices, args),
      [COMMAND.inspectStack]: (args) => inspectStackCommand(stackServices, args),
      [COMMAND.inspectModel]: (args) => inspectModelCommand(modelServices, args),
      [COMMAND.setKernel]: (args) => setKernelCommand(scanEngine, args),
      [COMMAND.inspectLayer]: (args) => (asksForVolumeLayer(args) ? volumeLayerCommand(commandContext, args, 'Inspect Layer') : inspectLayerCommand(layerContext, args)),
      [COMMAND.showOverlapMap]: (args) => showOverlapMapCommand(layerContext, args),
      [COMMAND.solveForSize]: (args) => solveForSizeCommand(analysis, args),
      [COMMAND.openTextbookExample]: () => openTextbookExampleCommand(context.extensionUri),
      [COMMAND.auditCheckpoint]: (args) => auditCheckpointCommand(checkpointServices, args),
      ...transposedPanelCommands(),
      [COMMAND.inspectTensor]: (args) => inspectTensorCommand(commandContext, args),
      [COMMAND.inspectLiveLayer]: (args) => inspectLiveLayerCommand(commandContext, args),
      [COMMAND.auditLiveModel]: (args) => auditLiveModelCommand(checkpointServices, args),
    },
    panels: {
      [TransposedConvolutionPanel.viewType]: TransposedConvolutionPanel.serializer(commandContext),
      [LabPanel.viewType]: LabPanel.serializer(labServices),
      [LayerPanel.viewType]: LayerPanel.serializer(commandContext),
      [StackPanel.viewType]: StackPanel.serializer(stackServices),
      [VolumePanel.viewType]: VolumePanel.serializer(context.extensionUri),
      [ModelPanel.viewType]: ModelPanel.serializer(modelServices),
    },
    editor: editor.providers,
    tools: languageModelTools(),
    checkpointEditor: new CheckpointEditorProvider(checkpointServices),
  };
}
