/**
 * Layers computed where they do not stall the extension host: inline when small, in the engine
 * worker (with a cancellable progress notification when it takes a while) when large. Shared by the
 * commands and by the panels' copy and insert actions, which need the output too.
 */
import * as vscode from 'vscode';
import { convTranspose2d, gatherLayerShape, gatherLayerWork, GATHER_LAYER_NAMES, runGatherLayer, type ConvTranspose2dOptions, type GatherLayerCall } from '../../core/engine/index';
import type { Tensor } from '../../core/engine/tensor';
import { runVolumeLayer, volumeLayerShape } from '../../core/engine/volumeLayer';
import type { VolumeLayerCall } from '../../core/protocol/volume';
import type { EngineWorkerClient } from './engineWorkerClient';

/**
 * Up to this many multiply-adds the computation runs inline: under 20 ms even in the engine's
 * slowest measured case (about 9 ns each for large strided outputs), and usually a few ms. Beyond
 * it, it runs in the engine worker, so the extension host, which every extension shares, never
 * waits on it.
 */
const INLINE_MULTIPLY_ADDS = 2_000_000;
/** A worker job still running after this long gets a progress notification with Cancel. */
const PROGRESS_DELAY_MS = 400;

/** Rejects with `vscode.CancellationError` when the user cancels a long worker job. */
export async function computeConvTranspose(engine: EngineWorkerClient, input: Tensor, kernel: Tensor, options: Omit<ConvTranspose2dOptions, 'bias'>): Promise<Tensor> {
  const multiplyAdds = input.data.length * kernel.data.length;
  if (multiplyAdds <= INLINE_MULTIPLY_ADDS) return convTranspose2d(input, kernel, options);
  const title = `Layer Lens: transposed convolution of a ${input.shape.join('×')} input with a ${kernel.shape.join('×')} kernel (${multiplyAdds.toLocaleString('en-US')} multiply-adds)…`;
  return inWorker((token) => engine.convTranspose2d(input, kernel, options, token), title);
}

/** Whether {@link computeGatherLayer} runs `call` in the engine worker rather than inline: the number of operations it takes. */
export function gatherLayerRunsInWorker(call: GatherLayerCall): boolean {
  return gatherLayerWork(call, gatherLayerShape(call).shape) > INLINE_MULTIPLY_ADDS;
}

/** A convolution, pooling, upsampling or pixel shuffle; the engine's LayerError for a call PyTorch refuses. */
export async function computeGatherLayer(engine: EngineWorkerClient, call: GatherLayerCall): Promise<Tensor> {
  const shape = gatherLayerShape(call).shape;
  const work = gatherLayerWork(call, shape);
  if (work <= INLINE_MULTIPLY_ADDS) return runGatherLayer(call);
  const title = `Layer Lens: ${GATHER_LAYER_NAMES[call.op].toLowerCase()} of a ${call.input.shape.join('×')} input to ${shape.join('×')} (${work.toLocaleString('en-US')} operations)…`;
  return inWorker((token) => engine.gatherLayer(call, token), title);
}

/**
 * A 1-D or 3-D layer (src/core/engine/volumeLayer.ts), inline when small; the engine's LayerError
 * for a call PyTorch refuses. Its work is bounded by output values × weights per output value (a
 * pooling window, at most 64 values per cell for the kernels people write, is counted as 64).
 */
export async function computeVolumeLayer(engine: EngineWorkerClient, call: VolumeLayerCall): Promise<Tensor> {
  const shape = volumeLayerShape(call).shape;
  const outputs = shape.reduce((a, b) => a * b, 1);
  const work = outputs * (call.weight ? call.weight.data.length : 64);
  if (work <= INLINE_MULTIPLY_ADDS) return runVolumeLayer(call);
  const title = `Layer Lens: ${call.op} of a ${call.input.shape.join('×')} input to ${shape.join('×')} (about ${work.toLocaleString('en-US')} operations)…`;
  return inWorker((token) => engine.volumeLayer(call, token), title);
}

/**
 * Runs a job in the engine worker. If it is still running after {@link PROGRESS_DELAY_MS}, a
 * notification shows `title` with a Cancel button; cancelling rejects with
 * `vscode.CancellationError`, which callers treat as "nothing to show". `outer` cancels it too
 * (a question dismissed while the job runs behind it).
 */
export async function inWorker<T>(start: (token: vscode.CancellationToken) => Promise<T>, title: string, outer?: vscode.CancellationToken): Promise<T> {
  const cancellation = new vscode.CancellationTokenSource();
  const outerCancellation = outer?.onCancellationRequested(() => cancellation.cancel());
  if (outer?.isCancellationRequested) cancellation.cancel();
  try {
    const job = start(cancellation.token);
    const finishedQuickly = await Promise.race([
      job.then(() => true, () => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), PROGRESS_DELAY_MS)),
    ]);
    if (!finishedQuickly) {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_progress, token) => {
        token.onCancellationRequested(() => cancellation.cancel());
        await job.catch(() => undefined);
      });
    }
    return await job;
  } finally {
    outerCancellation?.dispose();
    cancellation.dispose();
  }
}
