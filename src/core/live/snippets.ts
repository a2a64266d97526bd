/**
 * The Python that Layer Lens evaluates in a paused debug session, and nothing else: each snippet is
 * one expression, built here from fixed text and a reference checked by expression.ts (or two, for
 * a module called on its input), and each answers with ASCII only (base64), so that what comes back
 * reads the same whatever the debug adapter does to quote a string. The README lists them in words.
 *
 * Python 3 evaluates a comprehension or a lambda in a scope of its own, which cannot see the
 * paused frame's local variables; so every frame variable a snippet reads is passed in as a lambda
 * argument, evaluated in the frame itself.
 */
import { renderExpression, type LiveExpression } from './expression';

/** A snippet's text: only this module makes one. */
export type PythonSnippet = string & { readonly __brand: 'PythonSnippet' };

/** What a snippet reads: a checked reference, or a module called on a checked input (Run Live Layer). */
export type LiveSource = { readonly kind: 'reference'; readonly expression: LiveExpression } | { readonly kind: 'moduleCall'; readonly module: LiveExpression; readonly input: LiveExpression };

export const reference = (expression: LiveExpression): LiveSource => ({ kind: 'reference', expression });

function sourceText(source: LiveSource): string {
  return source.kind === 'reference' ? renderExpression(source.expression) : `${renderExpression(source.module)}(${renderExpression(source.input)})`;
}

const snippet = (lines: readonly string[]): PythonSnippet => lines.map((line) => line.trim()).join(' ') as PythonSnippet;

/**
 * A header (JSON: what the object is, its shape, dtype, device, element count) and, if it is a
 * tensor or array of at most `limit` real numbers, its values `start` to `end` (flat, row-major) as
 * little-endian bytes: float32 for float32, float16 and bfloat16 (all exact in float32), float64
 * for everything else. A tensor is read through `detach()` and a copy of the range on the CPU, so a
 * GPU tensor or one that requires grad is never changed. Base64 of `header + "\n" + bytes`.
 */
export function fetchSnippet(source: LiveSource, range: { readonly start: number; readonly end: number; readonly limit: number }): PythonSnippet {
  const { start, end, limit } = range;
  for (const n of [start, end, limit]) if (!Number.isSafeInteger(n) || n < 0) throw new Error(`Layer Lens bug: fetch range ${start}..${end} (limit ${limit})`);
  return snippet([
    `(lambda o, m=__import__('sys').modules, b=__import__('base64'), j=__import__('json'): (lambda t, n: (lambda h:`,
    `  b.b64encode(j.dumps(h).encode() + b'\\n' + ((`,
    `    o.detach().reshape(-1)[${start}:${end}].to(device='cpu', dtype=(t.float32 if h['wire'] == 'f4' else t.float64)).numpy().astype('<f4' if h['wire'] == 'f4' else '<f8', copy=False).tobytes()`,
    `    if h['kind'] == 'tensor' else n.ascontiguousarray(o).reshape(-1)[${start}:${end}].astype('<f4' if h['wire'] == 'f4' else '<f8').tobytes()`,
    `  ) if h.get('fetch') else b'')).decode()`,
    `)(`,
    `  {'kind': 'tensor', 'type': type(o).__name__, 'shape': list(o.shape), 'dtype': str(o.dtype), 'device': str(o.device), 'grad': bool(o.requires_grad), 'count': o.numel(),`,
    `   'wire': 'f4' if o.dtype in (t.float32, t.float16, t.bfloat16) else 'f8', 'fetch': o.numel() <= ${limit} and not o.is_complex() and o.layout == t.strided}`,
    `  if t is not None and isinstance(o, t.Tensor) else`,
    `  {'kind': 'ndarray', 'type': 'ndarray', 'shape': list(o.shape), 'dtype': str(o.dtype), 'device': 'cpu', 'grad': False, 'count': int(o.size),`,
    `   'wire': 'f4' if o.dtype in (n.float32, n.float16) else 'f8', 'fetch': int(o.size) <= ${limit} and o.dtype.kind in 'biuf'}`,
    `  if n is not None and isinstance(o, n.ndarray) else`,
    `  {'kind': 'other', 'type': type(o).__module__ + '.' + type(o).__qualname__}`,
    `))(m.get('torch'), m.get('numpy')))(${sourceText(source)})`,
  ]);
}

/** The module attributes Layer Lens reads to rebuild a layer (PyTorch's names). */
export const MODULE_ATTRIBUTES = [
  'in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'output_padding', 'dilation', 'groups', 'padding_mode',
  'ceil_mode', 'count_include_pad', 'divisor_override', 'return_indices', 'size', 'scale_factor', 'mode', 'align_corners',
  'recompute_scale_factor', 'upscale_factor',
] as const;

/**
 * A module's class and its hyperparameters (only the plain attributes in {@link MODULE_ATTRIBUTES}),
 * and whether it holds a weight and a bias: base64 of JSON.
 */
export function moduleSnippet(module: LiveExpression): PythonSnippet {
  const names = MODULE_ATTRIBUTES.map((name) => `'${name}'`).join(', ');
  return snippet([
    `(lambda o, b=__import__('base64'), j=__import__('json'): b.b64encode(j.dumps({`,
    `  'type': type(o).__name__, 'module': type(o).__module__,`,
    `  'attributes': {k: getattr(o, k) for k in (${names}) if hasattr(o, k)},`,
    `  'weight': getattr(o, 'weight', None) is not None, 'bias': getattr(o, 'bias', None) is not None,`,
    `}, default=str).encode()).decode())(${renderExpression(module)})`,
  ]);
}

/**
 * The tensors and arrays among the frame's local variables, by name: only their `shape`, `dtype`
 * and `device` are read (no values, no repr). Base64 of JSON `[[name, shape, dtype, device], …]`
 * (the device `''` for an ndarray).
 */
export function frameTensorsSnippet(): PythonSnippet {
  return snippet([
    `(lambda L, m: (lambda T, N, b=__import__('base64'), j=__import__('json'): b.b64encode(j.dumps([`,
    `  [k, list(v.shape), str(v.dtype), str(v.device) if T is not None and isinstance(v, T) else '']`,
    `  for k, v in list(L.items()) if (T is not None and isinstance(v, T)) or (N is not None and isinstance(v, N))`,
    `]).encode()).decode())(getattr(m.get('torch'), 'Tensor', None), getattr(m.get('numpy'), 'ndarray', None)))(locals(), __import__('sys').modules)`,
  ]);
}

/** The most submodules the model snippet lists: a model is a few hundred; more is not a model to audit by hand. */
export const MAX_LISTED_MODULES = 4096;

/**
 * Audit a Live Model: the module's class and, among its `named_modules()`, the upsampling layers
 * and what a sub-pixel convolution is made of: each `ConvTranspose1d/2d/3d`, `Conv2d`, `PixelShuffle`
 * and `Sequential` (subclasses too), with its path, the hyperparameters the audit needs (`stride`,
 * `dilation`, `groups`, `upscale_factor`), its weight's and bias's shape and dtype. No values. Base64
 * of JSON `{ kind: 'module', type, count, modules: [[path, kind, attributes, weightShape, biasShape,
 * dtype], …] }`, or `{ kind: 'other', type }` when the object is not a `torch.nn.Module`.
 */
export function modelSnippet(module: LiveExpression): PythonSnippet {
  return snippet([
    `(lambda o, m=__import__('sys').modules, b=__import__('base64'), j=__import__('json'): (lambda t: (lambda K: b.b64encode(j.dumps(`,
    `  {'kind': 'other', 'type': type(o).__module__ + '.' + type(o).__qualname__} if K is None or not isinstance(o, t.nn.Module) else`,
    `  (lambda L: {'kind': 'module', 'type': type(o).__module__ + '.' + type(o).__qualname__, 'count': len(L), 'modules': [`,
    `    [k, c, {a: getattr(v, a) for a in ('stride', 'dilation', 'groups', 'upscale_factor') if hasattr(v, a)},`,
    `     list(v.weight.shape) if isinstance(getattr(v, 'weight', None), t.Tensor) else None,`,
    `     list(v.bias.shape) if isinstance(getattr(v, 'bias', None), t.Tensor) else None,`,
    `     str(v.weight.dtype) if isinstance(getattr(v, 'weight', None), t.Tensor) else None]`,
    `    for k, v, c in L[:${MAX_LISTED_MODULES}]]})(`,
    `    [(k, v, c) for k, v in o.named_modules() for c in [next((n for n, C in K if isinstance(v, C)), None)] if c is not None])`,
    `, default=str).encode()).decode())(`,
    `  None if t is None else (('convTranspose1d', t.nn.ConvTranspose1d), ('convTranspose2d', t.nn.ConvTranspose2d), ('convTranspose3d', t.nn.ConvTranspose3d), ('conv2d', t.nn.Conv2d), ('pixelShuffle', t.nn.PixelShuffle), ('sequential', t.nn.Sequential))`,
    `))(m.get('torch')))(${renderExpression(module)})`,
  ]);
}
