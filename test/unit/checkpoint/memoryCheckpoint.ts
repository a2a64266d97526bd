/** A checkpoint built in memory from plain arrays, for the audit's unit tests. */
import type { Checkpoint, CheckpointLayer } from '../../../src/core/checkpoint/types';

export function memoryCheckpoint(tensors: Record<string, { shape: number[]; data: number[] }>, layers?: CheckpointLayer[]): Checkpoint {
  return {
    format: 'pytorch',
    tensors: Object.entries(tensors).map(([name, t]) => ({ name, shape: t.shape, dtype: 'float32' })),
    tensor(name) {
      const t = tensors[name];
      if (!t) throw new Error(`no ${name}`);
      return { shape: t.shape, data: Float64Array.from(t.data) };
    },
    ...(layers ? { layers } : {}),
  };
}
