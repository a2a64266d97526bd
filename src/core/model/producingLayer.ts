/** Which torch.nn layer made a tensor, kept on the tensor while forward() is followed (for the fixes of a size mismatch). */
import type { ProducingLayer } from './shapeMismatch';
import { isObj, type ModuleNode, type Tensor, type Value } from './values';

/** The layer that made `t`, if a torch.nn layer did (read from the tensor's `from`). */
export function producingLayer(t: Value): ProducingLayer | undefined {
  if (!isObj(t, 'tensor') || !t.from) return undefined;
  const { node, input } = t.from;
  const args: Record<string, number | readonly number[]> = {};
  for (const [name, v] of node.args ?? []) {
    if (typeof v === 'number') args[name] = v;
    else if ((isObj(v, 'tuple') || isObj(v, 'list')) && v.items.every((x) => typeof x === 'number')) args[name] = v.items as number[];
  }
  return { path: node.path, type: node.type, line: node.line, file: node.file, inputShape: input, outputShape: t.shape, args };
}

/** `t` as made by the layer `node` from an input of shape `input`. */
export function madeBy(t: Tensor, node: ModuleNode, input: readonly number[]): Tensor {
  return { ...t, from: { node, input } };
}
