/**
 * The layer panel's step player: a 2-D gathering layer given to the shared step player
 * (webview/shared/gatherSteps.ts) as images `[N, C, 1, H, W]`, with its cells named in the caller's
 * rank (a matrix's `[r, c]`, an image's `x[c]`, a batch's `x[n, c]`) and its heading.
 */
import type { GatherLayerCall, GatherLayerTrace } from '../../src/core/engine/index';
import { GatherSteps, type Dims5, type GatherSubject } from '../shared/gatherSteps';
import type { PlayerAction } from '../shared/player';
import { describeStep, STEP_HEADINGS } from './stepText';

/** `[N, C, 1, H, W]` of a tensor of rank 2 to 4. */
function asImages(shape: readonly number[]): Dims5 {
  const [h = 1, w = 1] = shape.slice(-2);
  const c = shape.length >= 3 ? (shape[shape.length - 3] as number) : 1;
  const n = shape.length >= 4 ? (shape[0] as number) : 1;
  return [n, c, 1, h, w];
}

/** `x[c]` for an image, `x[n, c]` for a batch. */
function planeName(name: string, n: number, channel: number, rank: number): string {
  return rank >= 4 ? `${name}[${n}, ${channel}]` : `${name}[${channel}]`;
}

export function layerSteps(call: GatherLayerCall, trace: GatherLayerTrace, dispatch: (action: PlayerAction) => void): GatherSteps {
  const inRank = call.input.shape.length;
  const outRank = trace.output.shape.length;
  let kernel: GatherSubject['kernel'];
  if (call.op === 'conv2d') {
    const w = call.weight;
    const [kh = 1, kw = 1] = w.shape.slice(-2);
    const perOut = w.shape.length === 4 ? (w.shape[1] as number) : 1;
    kernel = {
      data: w.data,
      planes: [w.data.length / (kh * kw), kh, kw],
      planesOf: (outChannel) => Array.from({ length: perOut }, (_, i) => outChannel * perOut + i),
      title: (plane) => (w.shape.length === 4 ? `Kernel w[${Math.floor(plane / perOut)}, ${plane % perOut}]` : 'Kernel'),
    };
  }
  return new GatherSteps(
    {
      heading: STEP_HEADINGS[call.op],
      trace,
      input: call.input,
      inputDims: asImages(call.input.shape),
      outputDims: asImages(trace.output.shape),
      inputTitle: (n, c) => (inRank === 2 ? 'Input' : `Input ${planeName('x', n, c, inRank)}`),
      outputTitle: (n, c) => (outRank === 2 ? 'Output' : `Output ${planeName('out', n, c, outRank)}`),
      outputCell: (_, r, c) => `output row ${r}, column ${c}`,
      planeWord: 'channels',
      ...(kernel ? { kernel } : {}),
      describe: (step) => describeStep(call, step),
    },
    dispatch,
  );
}
