/**
 * How many learned parameters a layer call creates: `C_in · C_out / groups · kH · kW` weights plus
 * `C_out` biases for a convolution (conditional when `bias=` is an expression such as `use_bias`), none for pooling, upsampling and pixel shuffle. A channel count
 * that is an expression (`ngf * 8`) stays in the count as written, so the hover still says how the
 * count is made; Keras infers its input channels from the data, so they are `C_in`.
 */
import type { LayerCall, LayerParam } from '../parse/index';
import { perAxis, rankOf } from './layerSize';

export type ParameterCount =
  /** A number: every factor is known. */
  | { readonly kind: 'known'; readonly value: number; readonly text: string }
  /** A product with some factors as written (`(ngf * 8)·(ngf * 4)·4·4`). */
  | { readonly kind: 'symbolic'; readonly text: string }
  /** Pooling, upsampling, pixel shuffle. */
  | { readonly kind: 'none' }
  /** Functional calls take their weights as arguments; a kernel size that is an expression. */
  | { readonly kind: 'notApplicable'; readonly reason: string };

type Factor = number | string;

function factorOf(param: LayerParam<number> | undefined, fallback: Factor): Factor {
  if (param === undefined) return fallback;
  if (param.kind === 'known') return param.value ?? fallback;
  return /^[\w.]+$/.test(param.text.trim()) ? param.text.trim() : `(${param.text.trim()})`;
}

export function parameterCount(call: LayerCall): ParameterCount {
  const conv = call.op.startsWith('conv');
  if (!conv) return { kind: 'none' };
  if (/(^|\.)(conv(_transpose)?[123]d)$/.test(call.name)) return { kind: 'notApplicable', reason: 'a functional call takes its weight as an argument' };
  const kernel = call.params.kernelSize;
  if (kernel === undefined || kernel.kind !== 'known' || kernel.value === null) {
    return { kind: 'notApplicable', reason: kernel?.kind === 'unknown' ? `kernel_size is ${kernel.text}` : 'the kernel size is not given' };
  }
  const inChannels = factorOf(call.params.inChannels, 'C_in');
  const outChannels = factorOf(call.params.outChannels, 'C_out');
  const groups = factorOf(call.params.groups, 1);
  const kernelSizes = perAxis(kernel.value, rankOf(call.op));
  const biasParam = call.params.bias;
  const bias = biasParam?.kind === 'known' ? biasParam.value !== false : true;
  // `bias=use_bias`: the bias term depends on the expression, so the count says so instead of assuming it.
  const biasCondition = biasParam?.kind === 'unknown' ? biasParam.text.trim() : undefined;

  const weightFactors: Factor[] = [inChannels, outChannels, ...kernelSizes];
  const known = weightFactors.every((f) => typeof f === 'number') && typeof groups === 'number' && typeof outChannels === 'number';
  if (known) {
    const weights = weightFactors.reduce<number>((a, b) => a * (b as number), 1) / (groups as number);
    if (biasCondition !== undefined) {
      return { kind: 'symbolic', text: `${weights.toLocaleString('en-US')} + ${(outChannels as number).toLocaleString('en-US')} if ${biasCondition} else ${weights.toLocaleString('en-US')}` };
    }
    const value = weights + (bias ? (outChannels as number) : 0);
    return { kind: 'known', value, text: value.toLocaleString('en-US') };
  }
  const product = weightFactors.map(String).join('·');
  const divided = groups === 1 ? product : `${product} / ${groups}`;
  if (biasCondition !== undefined) return { kind: 'symbolic', text: `${divided} + ${outChannels} if ${biasCondition} else ${divided}` };
  return { kind: 'symbolic', text: bias ? `${divided} + ${outChannels}` : divided };
}
