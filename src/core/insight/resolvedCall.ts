/**
 * A layer call with the arguments that are expressions of the file's integer constants
 * (`ngf * 8`, `base // 2`) replaced by their values, so that the size, parameter count and overlap
 * of `nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1)` are known when `ngf = 64` is in the file. An
 * argument whose names are not all bound stays unknown, with its text.
 */
import type { ConstantBindings } from '../parse/constantNames';
import { evaluateInteger } from '../parse/constantNames';
import type { LayerCall, LayerParam, LayerParamName } from '../parse/index';
import { rankOf } from './layerSize';

const COUNTS: ReadonlySet<LayerParamName> = new Set(['inChannels', 'outChannels', 'groups', 'upscaleFactor', 'divisorOverride']);
const SIZES: ReadonlySet<LayerParamName> = new Set(['kernelSize', 'stride', 'padding', 'outputPadding', 'dilation', 'size', 'scaleFactor']);

export function resolveCall(call: LayerCall, constants: ConstantBindings): LayerCall {
  if (constants.size === 0) return call;
  let changed = false;
  const params: Record<string, LayerParam<unknown>> = { ...(call.params as Record<string, LayerParam<unknown>>) };
  for (const [name, param] of Object.entries(params)) {
    if (param.kind !== 'unknown' || param.reason !== 'expression') continue;
    const key = name as LayerParamName;
    if (!COUNTS.has(key) && !SIZES.has(key)) continue;
    const value = evaluateInteger(param.text, constants);
    if (value === undefined) continue;
    const rank = rankOf(call.op);
    const known = COUNTS.has(key) ? value : rank === 1 ? value : new Array<number>(rank).fill(value);
    params[name] = { kind: 'known', value: known, start: param.start, end: param.end };
    changed = true;
  }
  return changed ? { ...call, params: params as LayerCall['params'] } : call;
}
