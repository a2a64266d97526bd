/**
 * A kernel chosen with "Layer Lens: Set Kernel" while no panel was open: the next Transposed
 * Convolution (or Convolution) uses it instead of asking, once.
 */
import type { SourcedMatrix } from '../common/matrixSources';

let pending: SourcedMatrix | undefined;

export function setPendingKernel(kernel: SourcedMatrix | undefined): void {
  pending = kernel;
}

/** The pending kernel, which is then no longer pending. */
export function takePendingKernel(): SourcedMatrix | undefined {
  const kernel = pending;
  pending = undefined;
  return kernel;
}
