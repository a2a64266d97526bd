/**
 * Audit a Live Model, the pure part: what the model snippet (snippets.ts `modelSnippet`) says about
 * a module of the paused session, checked (it comes from a user's program), turned into the layers
 * to audit with where to read their weights, then into a {@link Checkpoint} whose `layers` carry the
 * live module's own hyperparameters, so that the checkpoint audit (src/core/checkpoint/audit.ts)
 * runs on the live weights exactly as on a file.
 *
 * The upsampling layers are each `ConvTranspose1d`, `ConvTranspose2d` and `ConvTranspose3d` (a
 * WaveGAN's, a 3-D U-Net's: strides one per axis), and each `Conv2d` that a `PixelShuffle` follows
 * directly in a `Sequential` (a sub-pixel convolution). A plain `Conv2d` does not upsample: its
 * weights are not read.
 */
import type { Checkpoint, CheckpointLayer, CheckpointTensor } from '../checkpoint/types';
import { CheckpointError } from '../checkpoint/types';
import { parseLiveExpression, renderExpression, withAttribute, type LiveExpression } from './expression';

type ModuleKind = 'convTranspose1d' | 'convTranspose2d' | 'convTranspose3d' | 'conv2d' | 'pixelShuffle' | 'sequential';

/** One submodule as the snippet lists it. */
export interface ListedModule {
  /** Its path in `named_modules()` (`main.3`); `''` for the module itself. */
  readonly path: string;
  readonly kind: ModuleKind;
  /** One per spatial axis of the module's kind (`[s]` for a ConvTranspose1d, `[s_d, s_h, s_w]` for a ConvTranspose3d). */
  readonly stride?: readonly number[];
  readonly dilation?: readonly number[];
  readonly groups?: number;
  readonly upscaleFactor?: number;
  readonly weightShape?: readonly number[];
  readonly biasShape?: readonly number[];
  /** `float32`, without `torch.`. */
  readonly dtype?: string;
}

export type ModelListing = { readonly kind: 'module'; readonly type: string; readonly count: number; readonly modules: readonly ListedModule[] } | { readonly kind: 'other'; readonly type: string };

/** One tensor to read from the session for the audit. */
export interface LiveTensorRead {
  /** The name the live checkpoint gives it, as a state dict would (`main.3.weight`). */
  readonly name: string;
  readonly expression: LiveExpression;
  readonly shape: readonly number[];
  readonly dtype: string;
}

export interface LiveAuditPlan {
  /** The module's class (`__main__.Generator`). */
  readonly type: string;
  readonly layers: readonly CheckpointLayer[];
  readonly reads: readonly LiveTensorRead[];
  /** How many values the reads hold in all. */
  readonly values: number;
  /** Upsampling layers left out, and why (a path no checked expression reaches). */
  readonly skipped: readonly string[];
}

const KINDS: readonly ModuleKind[] = ['convTranspose1d', 'convTranspose2d', 'convTranspose3d', 'conv2d', 'pixelShuffle', 'sequential'];

/** The spatial axes of a kind's stride and weight (its weight has two more axes). */
const AXES: Readonly<Record<ModuleKind, 1 | 2 | 3>> = { convTranspose1d: 1, convTranspose2d: 2, convTranspose3d: 3, conv2d: 2, pixelShuffle: 2, sequential: 2 };

/** Reads the snippet's JSON; throws (with what is wrong) on anything that is not its shape. */
export function readModelListing(json: unknown): ModelListing {
  const record = asRecord(json, 'the answer');
  const type = record['type'];
  if (typeof type !== 'string') throw new Error('the answer names no type');
  if (record['kind'] === 'other') return { kind: 'other', type };
  if (record['kind'] !== 'module') throw new Error('the answer is neither a module nor another object');
  const count = record['count'];
  const modules = record['modules'];
  if (typeof count !== 'number' || !Array.isArray(modules)) throw new Error('the answer lists no modules');
  return { kind: 'module', type, count, modules: modules.map(readListed) };
}

function readListed(entry: unknown, index: number): ListedModule {
  if (!Array.isArray(entry) || entry.length !== 6) throw new Error(`module ${index} is not [path, kind, attributes, weight, bias, dtype]`);
  const [path, kind, attributes, weight, bias, dtype] = entry as unknown[];
  if (typeof path !== 'string' || !KINDS.includes(kind as ModuleKind)) throw new Error(`module ${index} has no path or kind`);
  const a = asRecord(attributes, `the attributes of ${path}`);
  const axes = AXES[kind as ModuleKind];
  const stride = perAxis(a['stride'], axes);
  const dilation = perAxis(a['dilation'], axes);
  const groups = wholeOf(a['groups']);
  const upscaleFactor = wholeOf(a['upscale_factor']);
  const weightShape = shapeOf(weight);
  const biasShape = shapeOf(bias);
  return {
    path,
    kind: kind as ModuleKind,
    ...(stride ? { stride } : {}),
    ...(dilation ? { dilation } : {}),
    ...(groups !== undefined ? { groups } : {}),
    ...(upscaleFactor !== undefined ? { upscaleFactor } : {}),
    ...(weightShape ? { weightShape } : {}),
    ...(biasShape ? { biasShape } : {}),
    ...(typeof dtype === 'string' ? { dtype: dtype.replace(/^torch\./, '') } : {}),
  };
}

export type LiveAuditReading = { readonly ok: true; readonly plan: LiveAuditPlan } | { readonly ok: false; readonly problem: string };

/**
 * The layers to audit and the tensors to read, or why there is nothing to audit: `label` is not a
 * module, it has no upsampling layer, a layer's hyperparameters are not plain numbers, or the
 * weights hold more than `limit` values.
 */
export function planLiveAudit(listing: ModelListing, module: LiveExpression, label: string, limit: number): LiveAuditReading {
  if (listing.kind === 'other') return refuse(`${label} is a ${listing.type}, not a PyTorch module (torch.nn.Module); Audit Live Model reads a model such as netG or self`);
  const byPath = new Map(listing.modules.map((m) => [m.path, m]));
  const layers: CheckpointLayer[] = [];
  const reads: LiveTensorRead[] = [];
  const skipped: string[] = [];
  for (const listed of listing.modules) {
    if (listed.kind !== 'convTranspose1d' && listed.kind !== 'convTranspose2d' && listed.kind !== 'convTranspose3d' && listed.kind !== 'conv2d') continue;
    const shuffle = listed.kind === 'conv2d' ? followingShuffle(listed.path, byPath) : undefined;
    if (listed.kind === 'conv2d' && shuffle === undefined) continue; // a plain convolution does not upsample
    const name = listed.path === '' ? label : listed.path;
    const where = listed.path === '' ? label : `${label}.${listed.path}`;
    const rank = AXES[listed.kind] + 2;
    if (!listed.weightShape || listed.weightShape.length !== rank) return refuse(`${where} has no ${rank}-D weight tensor to audit`);
    if (!listed.stride || !listed.dilation || listed.groups === undefined) return refuse(`${where}: its stride, dilation or groups is not a plain whole number or pair`);
    const expression = pathExpression(module, listed.path);
    if (!expression) {
      skipped.push(`${where}: its path has a part that is not a Python name or an index`);
      continue;
    }
    const key = (tensor: string) => (listed.path === '' ? tensor : `${listed.path}.${tensor}`);
    const dtype = listed.dtype ?? 'float32';
    reads.push({ name: key('weight'), expression: withAttribute(expression, 'weight'), shape: listed.weightShape, dtype });
    if (listed.biasShape) reads.push({ name: key('bias'), expression: withAttribute(expression, 'bias'), shape: listed.biasShape, dtype });
    layers.push({
      name,
      op: listed.kind,
      weight: key('weight'),
      ...(listed.biasShape ? { bias: key('bias') } : {}),
      weightLayout: 'torch',
      stride: listed.stride,
      dilation: listed.dilation,
      groups: listed.groups,
      ...(shuffle !== undefined ? { pixelShuffle: shuffle } : {}),
    });
  }
  const kinds = 'no ConvTranspose2d, and no Conv2d followed by a PixelShuffle in a Sequential (nor a ConvTranspose1d or ConvTranspose3d)';
  const listedAll = listing.count > listing.modules.length ? ` (of the first ${listing.modules.length} of its ${listing.count} convolution, pixel-shuffle and Sequential modules)` : '';
  if (layers.length === 0 && skipped.length === 0) return refuse(`${label} (${listing.type}) has no upsampling layer to audit: ${kinds}${listedAll}`);
  if (layers.length === 0) return refuse(`${label} (${listing.type}): no upsampling layer can be reached by a checked expression (${skipped.join('; ')})`);
  const values = reads.reduce((sum, read) => sum + read.shape.reduce((a, b) => a * b, 1), 0);
  if (values > limit) {
    return refuse(`the upsampling layers of ${label} hold ${values.toLocaleString('en-US')} values, more than layerLens.maxOutputElements (${limit.toLocaleString('en-US')}); raise the setting to audit them`);
  }
  return { ok: true, plan: { type: listing.type, layers, reads, values, skipped } };
}

/** The factor of the `PixelShuffle` right after the convolution at `path` in the same `Sequential` (`main.3` → `main.4`). */
function followingShuffle(path: string, byPath: ReadonlyMap<string, ListedModule>): number | undefined {
  const dot = path.lastIndexOf('.');
  const parent = dot < 0 ? '' : path.slice(0, dot);
  const last = path.slice(dot + 1);
  if (!/^[0-9]+$/.test(last) || byPath.get(parent)?.kind !== 'sequential') return undefined;
  const next = byPath.get(`${parent === '' ? '' : `${parent}.`}${Number(last) + 1}`);
  return next?.kind === 'pixelShuffle' ? next.upscaleFactor : undefined;
}

/**
 * The expression of a submodule: `module` then each part of its path as an attribute, or an
 * index for a number (`main.3` → `self.main[3]`, as `Sequential` and `ModuleList` take it). Checked
 * by the same grammar as every other reference; undefined when a part is not a name or a number.
 */
export function pathExpression(module: LiveExpression, path: string): LiveExpression | undefined {
  if (path === '') return module;
  const parts = path.split('.');
  if (!parts.every((part) => /^[0-9]+$/.test(part) || /^[A-Za-z_][A-Za-z0-9_]*$/.test(part))) return undefined;
  const reading = parseLiveExpression(renderExpression(module) + parts.map((part) => (/^[0-9]+$/.test(part) ? `[${part}]` : `.${part}`)).join(''));
  return reading.ok ? reading.expression : undefined;
}

/** The live weights as a checkpoint: its `layers` carry the module's hyperparameters (`strideFrom: 'graph'`). */
export function liveCheckpoint(plan: LiveAuditPlan, tensors: ReadonlyMap<string, CheckpointTensor>): Checkpoint {
  const infos = plan.reads.map((read) => ({ name: read.name, shape: [...read.shape], dtype: read.dtype }));
  return {
    format: 'live',
    tensors: infos,
    layers: plan.layers,
    tensor(name) {
      const tensor = tensors.get(name);
      if (!tensor) throw new CheckpointError(`the live model has no tensor "${name}"`);
      return tensor;
    },
  };
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} is not an object`);
  return value as Record<string, unknown>;
}

const isWhole = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;

function wholeOf(value: unknown): number | undefined {
  return isWhole(value) ? value : undefined;
}

/** A whole number for every axis, or one per axis: PyTorch's modules keep a tuple of the layer's rank. */
function perAxis(value: unknown, axes: 1 | 2 | 3): readonly number[] | undefined {
  if (isWhole(value)) return new Array<number>(axes).fill(value);
  if (Array.isArray(value) && value.length === axes && value.every(isWhole)) return [...(value as number[])];
  return undefined;
}

function shapeOf(value: unknown): readonly number[] | undefined {
  return Array.isArray(value) && value.every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) ? (value as number[]) : undefined;
}

const refuse = (problem: string): LiveAuditReading => ({ ok: false, problem });
