/**
 * The layer engine: PyTorch's layers on float64 tensors, with PyTorch's layouts, options, output
 * sizes and errors (as {@link LayerError}s a user can act on). Pure TypeScript: it runs in the
 * extension host, a web worker and the webview alike. The transposed convolution also has
 * WebAssembly kernels (./wasm/), used where WebAssembly runs, with the TypeScript ones as fallback.
 * Every layer comes in its 1-D, 2-D and 3-D forms where PyTorch has them (`conv1d/2d/3d`,
 * `convTranspose1d/2d/3d`, `maxPool`/`avgPool1d/2d/3d`, `upsample` in `linear`, `bilinear`,
 * `trilinear` and `nearest`; `pixelShuffle` is 2-D), one implementation per family: sequences are
 * images of height 1, images volumes of depth 1, and 3-D convolutions run the 2-D kernels slice by
 * slice (./depthSlices.ts).
 *
 * The transposed convolution it is built around sizes its output, per spatial axis, as PyTorch's
 * `ConvTranspose2d` documents:
 *
 *     H_out = (H_in − 1)·stride − 2·padding + dilation·(kernel_size − 1) + output_padding + 1
 *
 * and {@link outputShape} returns that formula with each term's value for display.
 */
export * from './tensor';
export * from './errors';
export type { IntPair, IntSingle, IntTriple, Pair, Triple } from './pairs';
export type {
  AvgPool1dOptions,
  AvgPool2dOptions,
  AvgPool3dOptions,
  Conv1dOptions,
  Conv2dOptions,
  Conv3dOptions,
  ConvOp,
  ConvPaddingMode,
  ConvTranspose1dOptions,
  ConvTranspose2dOptions,
  ConvTranspose3dOptions,
  EngineOp,
  InterpolationMode,
  LayerOp,
  MaxPool1dOptions,
  MaxPool2dOptions,
  MaxPool3dOptions,
  OutputBufferOption,
  PixelShuffleOptions,
  ShapeOptionsByOp,
  Upsample1dOptions,
  Upsample3dOptions,
  UpsampleMode,
  UpsampleOptions,
  WeightDescription,
} from './options';
export { formatAxisFormula, type AxisFormula, type FormulaPart, type FormulaStyle, type FormulaTerm } from './formula';
export { outputShape, type OutputShape } from './outputShape';
export { convTranspose1d, convTranspose2d, convTranspose3d } from './convTranspose';
export { conv1d, conv2d, conv3d } from './conv';
export { avgPool1d, avgPool2d, avgPool3d, maxPool1d, maxPool2d, maxPool3d } from './pool';
export { upsample, upsample1d, upsample3d } from './upsample';
export { pixelShuffle } from './pixelShuffle';
export { analyzeOverlap, type AxisOverlap, type OverlapAnalysis, type OverlapOptions, type OverlapVerdict } from './overlap';
export { analyzeVolumeOverlap, type PhaseSum, type VolumeOverlapAnalysis, type VolumeOverlapOptions } from './volumeOverlap';
export { countRatio, periodicEnergyFraction, phaseMeans, relativeAmplitude, tileEnergyFraction, wholePeriods, type Span, type Window } from './periodicity';
export { resizeConvolution, type ResizeConvolution, type ResizeConvolutionOptions, type ResizeMode } from './resizeConvolution';
export { subPixelConvolution, type SubPixelConvolution, type SubPixelConvolutionOptions } from './subPixelConvolution';
export { icnrWeight, type IcnrOptions } from './icnr';
export { seededConvWeight, type SeededConvWeightOptions } from './seededWeight';
export { composedCounts, type MatrixMethod } from './composedCounts';
export {
  compareUpsampling,
  measureUpsampling,
  type MethodResultBase,
  type PeriodicMeasures,
  type ResizeResult,
  type SubPixelResult,
  type TransposedResult,
  type UpsamplingComparison,
  type UpsamplingComparisonOptions,
  type UpsamplingVerdict,
} from './upsamplingComparison';
export { periodicFrequencyShare, powerSpectrum2d } from './spectrum';
export {
  labInput,
  runCheckerboardLab,
  LAB_INPUT_KINDS,
  LAB_METHODS,
  MAX_LAB_STAGES,
  type LabComparison,
  type LabInputKind,
  type LabMethodName,
  type LabMethodResult,
  type LabOptions,
} from './checkerboardLab';
export { upsamplingAsTransposed, type TransposedForm } from './upsamplingAsTransposed';
export type {
  AvgPoolStep,
  BilinearStep,
  CellContributions,
  CellPosition,
  Contribution,
  ConvStep,
  ConvTerm,
  CropEdge,
  InputValue,
  KernelTap,
  LinearAxis,
  LayerTrace,
  MaxPoolStep,
  NearestStep,
  OutputWindow,
  ScatterStep,
  ShuffleStep,
  StridedRange,
  TapLanding,
  TrilinearStep,
} from './traceTypes';
export { DEFAULT_TRACE_MEMORY_BUDGET, planTraceMemory, type TraceMemoryPlan, type TraceSizes } from './traceMemory';
export { planConvTransposeTrace, scatterOrder, traceConvTranspose1d, traceConvTranspose2d, traceConvTranspose3d, type ConvTransposeTrace, type TraceOptions } from './scatterTrace';
export { GATHER_LAYER_NAMES, GATHER_LAYER_OPS, gatherLayerShape, gatherLayerWork, runGatherLayer, traceGatherLayer, type GatherLayerCall, type GatherLayerOp, type GatherLayerTrace } from './gatherLayer';
export { tracePixelShuffle, traceUpsample, traceUpsample1d, traceUpsample3d, type PixelShuffleTrace, type UpsampleTrace, type VolumeUpsampleTrace } from './resampleTrace';
export { gatherOrder, traceAvgPool1d, traceAvgPool2d, traceAvgPool3d, traceConv1d, traceConv2d, traceConv3d, traceMaxPool1d, traceMaxPool2d, traceMaxPool3d, type AvgPoolTrace, type ConvTrace, type MaxPoolTrace } from './gatherTrace';
export { convTransposeAsConv, type AxisRewrite, type ConvTransposeAsConv, type EdgeAdjustment } from './equivalence';
export { convTransposeAsMatrix, MAX_CONV_MATRIX_ENTRIES, type ConvTransposeAsMatrix } from './convMatrix';
export { KERNEL_PRESETS, MAX_PRESET_SIZE, isKernelPresetKind, kernelPreset, type KernelPreset, type KernelPresetInfo, type KernelPresetKind, type PresetParameter } from './kernelPresets';
