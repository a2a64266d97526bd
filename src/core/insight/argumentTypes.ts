/**
 * Arguments a framework refuses for their type although Layer Lens can read their value: PyTorch
 * 1.13 takes sizes, strides and paddings as ints, and a float one (`stride=2.0`) is a TypeError,
 * raised when the module is built (`kernel_size`, channels, `groups`: they size the weight) or
 * when it is called (`stride`, `padding`, `output_padding`, `dilation`: `conv_transpose2d():
 * argument 'stride' must be tuple of ints`). Layer Lens computes with the number all the same, so
 * the hover and the diagnostics say that PyTorch will not.
 */
import type { LayerCall, LayerParamName } from '../parse/index';

export interface ArgumentTypeWarning {
  /** The parameter as the framework names it (`stride`). */
  readonly parameter: string;
  /** The value as written (`2.0`). */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** What is wrong, in words, after `stride=2.0` (plain text: the caller quotes the code). */
  readonly reason: string;
}

/** Options that size the weight: a float one fails as the module is built. */
const SIZES_THE_WEIGHT: ReadonlySet<LayerParamName> = new Set<LayerParamName>(['inChannels', 'outChannels', 'kernelSize', 'groups']);

/** A functional call (`F.conv_transpose2d`) has no module to build: it fails when it runs. */
function isFunctional(call: LayerCall): boolean {
  return /^(?:F|functional|torch\.nn\.functional)\./.test(call.name) || /^[a-z]/.test(call.name.split('.').pop() ?? '');
}

/** The float arguments of a PyTorch call, in the order of its arguments. */
export function argumentTypeWarnings(call: LayerCall): ArgumentTypeWarning[] {
  const warnings: ArgumentTypeWarning[] = [];
  for (const argument of call.args) {
    const name = argument.param;
    if (name === undefined) continue;
    const param = call.params[name];
    if (param?.kind !== 'known' || param.floatText === undefined) continue;
    const parameter = argument.parameter ?? name;
    const when = isFunctional(call)
      ? 'when the call runs'
      : SIZES_THE_WEIGHT.has(name)
        ? 'when the layer is built'
        : 'when the layer is called (building it succeeds)';
    warnings.push({
      parameter,
      text: param.floatText,
      start: param.start,
      end: param.end,
      reason: `is a float: PyTorch 1.13 raises a TypeError ${when}, as ${parameter} must be an int (or a tuple of ints). Layer Lens reads the number; write it as an int`,
    });
  }
  return warnings;
}
