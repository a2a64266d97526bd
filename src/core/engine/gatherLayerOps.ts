/**
 * The gathering layers' names as a list, in a module that imports nothing: the protocol's guards
 * check an op against it, and they are bundled into pages that do not run the engine. The call type
 * (src/core/engine/gatherLayer.ts) takes its `op` from here.
 */
export const GATHER_LAYER_OPS = ['conv2d', 'maxPool2d', 'avgPool2d', 'upsample', 'pixelShuffle'] as const;
export type GatherLayerOp = (typeof GATHER_LAYER_OPS)[number];
