/**
 * Layer Lens parsers: matrix literals in the notations people write them in, found in documents,
 * and written back.
 */
export * from './errors';
export { parseMatrix } from './parseMatrix';
export { detectNotation } from './detect';
export { findMatrixAt, findMatrices, type FoundMatrix } from './find';
export { assignedName } from './assignedName';
export { formatMatrix, formatNumber } from './format';
export { NOTATIONS, notationForLanguage, isAlwaysTwoDimensional, type Notation } from './notation';
export * from './limits';
export {
  findLayerCalls,
  type LayerCall,
  type LayerArgument,
  type LayerParam,
  type LayerParams,
  type LayerParamName,
  type LayerParamTypes,
  type UnknownReason,
  type Framework,
  type PaddingMode,
  type PaddingFill,
  type SpatialSize,
} from './layerCalls';
