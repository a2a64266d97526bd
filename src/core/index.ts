/**
 * The pure Layer Lens library (bundled as `dist/core.js`): the layer engine and the parsers, with
 * no dependency on VS Code, Node or the DOM. Benchmarks and other tools call it directly.
 */
export * from './engine/index';
export * from './parse/index';
export { compoundOverlap, type CompoundOverlap, type CompoundOverlapOptions, type CompoundStepResult, type SpatialStep } from './engine/compoundOverlap';
export { findLayerStacks, stackInRange, type LayerStack, type StackItem } from './parse/layerStacks';
export { readConstants } from './parse/constantNames';
export { analyzeStack, type StackAnalysis, type StackRow } from './insight/stackShapes';
export { stackPath } from './insight/stackPath';
export { auditCheckpoint, type AuditedLayer, type AuditOptions, type CheckpointAudit, type SourcePairing, type StrideFrom } from './checkpoint/audit';
export { sourceModels, type SourceLayer, type SourceModel } from './checkpoint/sourceModules';
export { bytesSource, CheckpointError, type ByteSource, type Checkpoint, type CheckpointFormat, type CheckpointLayer, type CheckpointTensor, type CheckpointTensorInfo } from './checkpoint/types';
export { registerCheckpointFormat, type CheckpointReader } from './checkpoint/read';
export { readCheckpoint } from './checkpoint/formats';
export {
  analyzeModel,
  validInputSizes,
  buildModel,
  runModel,
  type AnalyzeModelOptions,
  type ModelAnalysis,
  type ModelLayer,
  type ModelProblem,
  type ValidInputSizes,
  type ValidInputSizesOptions,
} from './model/analyzeModel';
