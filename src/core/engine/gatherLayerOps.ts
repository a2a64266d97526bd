/**
 * The gathering layers' names as a list, in a module that imports no engine code: the protocol's
 * guards check an op against it, and they are bundled into pages that do not run the engine.
 */
import type { GatherLayerOp } from './gatherLayer';

export const GATHER_LAYER_OPS: readonly GatherLayerOp[] = ['conv2d', 'maxPool2d', 'avgPool2d', 'upsample', 'pixelShuffle'];
