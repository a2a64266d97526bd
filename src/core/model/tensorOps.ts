/**
 * The tensor functions `forward()` bodies call: `torch.*`, `torch.nn.functional.*` and tensor
 * methods (`x.view`, `x.size()`…), on shapes. Each takes the call's positional and keyword
 * arguments and returns the result's value; what it cannot read throws {@link NotKnown}.
 */
import {
  broadcastShapes,
  chunkShapes,
  dimIndex,
  flattenShape,
  interpolateShape,
  paddedShape,
  permuteShape,
  splitShapes,
  squeezeShape,
  transposeShape,
  unsqueezeShape,
  viewShape,
  adaptiveShape,
} from './shapeOps';
import { layerSymbols, runLayer } from './nnLayers';
import { asTensor, int, ints, isObj, itemsOf, list, NotKnown, num, tensor, TorchRaise, tuple, type ModuleNode, type Tensor, type Value } from './values';

export type Args = readonly Value[];
export type Keywords = ReadonlyMap<string, Value>;

/** Argument `index` by position or `name` by keyword, else `fallback` (undefined: required). */
export function arg(args: Args, kw: Keywords, index: number, name: string, fallback?: Value): Value {
  if (index >= 0 && index < args.length) return args[index] as Value;
  const v = kw.get(name);
  if (v !== undefined) return v;
  if (fallback === undefined) throw new NotKnown(`the argument ${name} is missing`);
  return fallback;
}

/** Functions that return a tensor of their first argument's shape. */
export const ELEMENTWISE = new Set(
  'relu relu_ relu6 leaky_relu leaky_relu_ elu selu celu gelu silu mish sigmoid tanh hardswish hardsigmoid hardtanh softplus softsign tanhshrink logsigmoid softmax log_softmax dropout dropout2d dropout1d alpha_dropout normalize exp exp_ log log_ abs abs_ sqrt sqrt_ rsqrt neg sin cos clamp clamp_ clip clip_ contiguous clone detach float double half to cuda cpu type_as sign round floor ceil randn_like rand_like zeros_like ones_like empty_like full_like requires_grad_ sigmoid_ tanh_ pow square reciprocal div_ mul_ add_ sub_ clamp_min clamp_max nan_to_num erf'.split(
    ' ',
  ),
);

/** `torch.X`, `F.X` or a tensor method `X` applied to `self` (for methods) or the first argument. */
export function callTensorFunction(name: string, self: Value | undefined, givenArgs: Args, kw: Keywords): Value {
  const args = self === undefined ? givenArgs : [self, ...givenArgs];
  const x = (): readonly number[] => asTensor(arg(args, kw, 0, 'input'), 'the input').shape;
  if (ELEMENTWISE.has(name)) {
    if (name === 'pow' && args.length > 1 && isObj(args[1] as Value, 'tensor')) return tensor(broadcastShapes(x(), asTensor(args[1] as Value, 'exponent').shape));
    return tensor(x());
  }
  switch (name) {
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
    case 'true_divide':
    case 'maximum':
    case 'minimum':
    case 'where': {
      const other = arg(args, kw, 1, 'other');
      return tensor(isObj(other, 'tensor') ? broadcastShapes(x(), other.shape) : x());
    }
    case 'size': {
      const shape = x();
      const d = arg(args, kw, 1, 'dim', null);
      return d === null ? tuple(shape) : (shape[dimIndex(int(d, 'dim'), shape.length)] as number);
    }
    case 'dim':
    case 'ndimension':
      return x().length;
    case 'numel':
      return x().reduce((a, b) => a * b, 1);
    case 'view':
    case 'reshape': {
      const rest = args.slice(1);
      const wanted = rest.length === 1 && (isObj(rest[0] as Value, 'tuple') || isObj(rest[0] as Value, 'list')) ? itemsOf(rest[0] as Value) : rest.length > 0 ? rest : itemsOf(arg(args, kw, 1, 'shape'));
      return tensor(viewShape(x(), wanted.map((d) => int(d, 'shape'))));
    }
    case 'view_as':
    case 'reshape_as':
    case 'expand_as':
      return tensor(asTensor(arg(args, kw, 1, 'other'), 'other').shape);
    case 'flatten':
      return tensor(flattenShape(x(), int(arg(args, kw, 1, 'start_dim', 0), 'start_dim'), int(arg(args, kw, 2, 'end_dim', -1), 'end_dim')));
    case 'permute': {
      const rest = args.slice(1);
      const dims = rest.length === 1 && !(typeof rest[0] === 'number') ? itemsOf(rest[0] as Value) : rest.length > 0 ? rest : itemsOf(arg(args, kw, 1, 'dims'));
      return tensor(permuteShape(x(), dims.map((d) => int(d, 'dims'))));
    }
    case 'transpose':
    case 'swapaxes':
      return tensor(transposeShape(x(), int(arg(args, kw, 1, 'dim0'), 'dim0'), int(arg(args, kw, 2, 'dim1'), 'dim1')));
    case 't':
      return tensor(x().length < 2 ? x() : transposeShape(x(), 0, 1));
    case 'unsqueeze':
      return tensor(unsqueezeShape(x(), int(arg(args, kw, 1, 'dim'), 'dim')));
    case 'squeeze': {
      const d = arg(args, kw, 1, 'dim', null);
      return tensor(squeezeShape(x(), d === null ? undefined : int(d, 'dim')));
    }
    case 'chunk':
      return tuple(chunkShapes(x(), int(arg(args, kw, 1, 'chunks'), 'chunks'), int(arg(args, kw, 2, 'dim', 0), 'dim')).map(tensor));
    case 'split': {
      const sizes = arg(args, kw, 1, 'split_size_or_sections');
      const s = typeof sizes === 'number' ? sizes : itemsOf(sizes).map((v) => int(v, 'split sizes'));
      return tuple(splitShapes(x(), s, int(arg(args, kw, 2, 'dim', 0), 'dim')).map(tensor));
    }
    case 'mean':
    case 'sum':
    case 'amax':
    case 'amin':
    case 'std':
    case 'var':
    case 'prod':
    case 'logsumexp':
    case 'norm': {
      const shape = x();
      const d = arg(args, kw, 1, 'dim', null);
      if (d === null) return tensor([]);
      const keep = arg(args, kw, 2, 'keepdim', false) === true;
      const dims = new Set((typeof d === 'number' ? [d] : itemsOf(d).map((v) => int(v, 'dim'))).map((v) => dimIndex(v, shape.length)));
      return tensor(shape.flatMap((s, i) => (dims.has(i) ? (keep ? [1] : []) : [s])));
    }
    case 'expand': {
      const shape = x();
      const rest = args.slice(1);
      const wanted = (rest.length === 1 && typeof rest[0] !== 'number' ? itemsOf(rest[0] as Value) : rest).map((v) => int(v, 'size'));
      return tensor(wanted.map((w, i) => (w === -1 ? (shape[i - (wanted.length - shape.length)] as number) : w)));
    }
    case 'repeat': {
      const shape = x();
      const rest = args.slice(1);
      const times = (rest.length === 1 && typeof rest[0] !== 'number' ? itemsOf(rest[0] as Value) : rest).map((v) => int(v, 'repeats'));
      const padded = [...Array.from({ length: times.length - shape.length }, () => 1), ...shape];
      return tensor(padded.map((s, i) => s * (times[i] as number)));
    }
    case 'matmul':
    case 'bmm':
    case 'mm': {
      const a = x();
      const b = asTensor(arg(args, kw, 1, 'other'), 'other').shape;
      if (a.length < 2 || b.length < 2) throw new NotKnown('matmul of vectors is not read');
      if (a[a.length - 1] !== b[b.length - 2]) throw new TorchRaise(`mat1 and mat2 shapes cannot be multiplied (${a.slice(-2).join('x')} and ${b.slice(-2).join('x')})`, -1, '');
      const batch = broadcastShapes(a.slice(0, -2), b.slice(0, -2));
      return tensor([...batch, a[a.length - 2] as number, b[b.length - 1] as number]);
    }
    case 'pad':
      return tensor(paddedShape(x(), itemsOf(arg(args, kw, 1, 'pad')).map((v) => int(v, 'pad')), String(arg(args, kw, 2, 'mode', 'constant'))));
    case 'interpolate':
    case 'upsample':
      return tensor(interpolateShape(x(), arg(args, kw, 1, 'size', null), arg(args, kw, 2, 'scale_factor', null), arg(args, kw, 3, 'mode', 'nearest'), arg(args, kw, 4, 'align_corners', null)));
    case 'adaptive_avg_pool2d':
    case 'adaptive_max_pool2d':
      return tensor(adaptiveShape(name, x(), arg(args, kw, 1, 'output_size')));
    case 'max_pool2d':
    case 'avg_pool2d':
      return functionalLayer(name === 'max_pool2d' ? 'MaxPool2d' : 'AvgPool2d', asTensor(arg(args, kw, 0, 'input'), 'the input'), args, kw, ['kernel_size', 'stride', 'padding', ...(name === 'max_pool2d' ? ['dilation', 'ceil_mode'] : ['ceil_mode'])]);
    case 'pixel_shuffle':
      return functionalLayer('PixelShuffle', asTensor(arg(args, kw, 0, 'input'), 'the input'), args, kw, ['upscale_factor']);
    case 'pixel_unshuffle':
      return functionalLayer('PixelUnshuffle', asTensor(arg(args, kw, 0, 'input'), 'the input'), args, kw, ['downscale_factor']);
    case 'randn':
    case 'rand':
    case 'zeros':
    case 'ones':
    case 'empty': {
      const sizes = givenArgs.length === 1 && typeof givenArgs[0] !== 'number' ? itemsOf(givenArgs[0] as Value) : givenArgs;
      return tensor(sizes.map((v) => int(v, 'size')));
    }
    case 'tensor':
    case 'as_tensor':
      return tensor(literalShape(arg(args, kw, 0, 'data')));
    default:
      throw new NotKnown(`${name}() is not an operation Layer Lens reads`);
  }
}

/** A functional pooling / shuffle call run as its module would (same defaults: stride = kernel), its formulas too. */
function functionalLayer(type: string, x: Tensor, args: Args, kw: Keywords, names: readonly string[]): Value {
  const input = x.shape;
  const bound = new Map<string, Value>();
  names.forEach((n, i) => {
    const v = i + 1 < args.length ? args[i + 1] : kw.get(n);
    if (v !== undefined) bound.set(n, v);
  });
  if (type === 'MaxPool2d' || type === 'AvgPool2d') {
    if (!bound.has('stride') || bound.get('stride') === null || (isObj(bound.get('stride') as Value, 'list') && itemsOf(bound.get('stride') as Value).length === 0)) bound.set('stride', null);
    if (!bound.has('padding')) bound.set('padding', 0);
    if (!bound.has('dilation')) bound.set('dilation', 1);
    if (!bound.has('ceil_mode')) bound.set('ceil_mode', false);
  }
  const node: ModuleNode = { kind: 'layer', type, children: new Map(), attrs: new Map(), args: bound, params: 0, line: 0, file: '', path: '' };
  const output = runLayer(node, input).output;
  const sym = x.sym && layerSymbols(node, input, output, x.sym);
  return sym ? { k: 'tensor', shape: output, sym } : tensor(output);
}

function literalShape(v: Value): number[] {
  if (typeof v === 'number' || typeof v === 'boolean') return [];
  const items = itemsOf(v);
  return [items.length, ...(items.length > 0 ? literalShape(items[0] as Value) : [])];
}

/** `torch.cat` / `torch.stack` operands. */
export function tensorList(v: Value): readonly (readonly number[])[] {
  return itemsOf(v).map((t, i) => asTensor(t, `tensor ${i} of the list`).shape);
}

export { ints, num, list };
