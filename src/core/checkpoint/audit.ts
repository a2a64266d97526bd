/**
 * The checkerboard audit of a checkpoint: every transposed convolution (1-D, 2-D or 3-D) and
 * sub-pixel convolution it holds, with its phase sums, periodic energy and verdict
 * (src/core/checkpoint/phaseSums.ts), worst first.
 *
 * Where the hyperparameters come from, in order: the file's own graph (`checkpoint.layers`, ONNX and
 * Keras), the model source the state dict is paired with (src/core/checkpoint/sourceModules.ts), the
 * stride the caller gives (for weights neither states), or none (verdict `unknown`). A bare state
 * dict cannot tell a convolution from a transposed one, so without a graph every 4-D weight the
 * source does not name as a plain convolution is audited as a transposed convolution; so is every
 * 3-D and 5-D weight named `weight` or `….weight` (a 1-D or 3-D layer's: a 3-D tensor under another
 * name is as likely a position embedding), its rank giving the layer's.
 */
import { EVEN_TOLERANCE, icnrDistance, measurePhases, subPixelPhaseSums, transposedPhaseSums, type PhaseSums } from './phaseSums';
import { sourceModels, weightFits, type SourceLayer } from './sourceModules';
import { kerasToTorch, kerasToTorchShape } from './kerasLayout';
import { CheckpointError, type Checkpoint, type CheckpointLayer, type CheckpointTensor } from './types';

/** Phase sums one layer may have (channels × stride phases): the audit's allocation stays bounded whatever stride a source writes. */
const MAX_PHASE_SUMS = 2 ** 24;

export interface AuditOptions {
  /** The model's Python source, to pair a bare state dict's keys with the layers that made them. */
  readonly source?: string;
  /** The stride of transposed convolutions neither the file nor the source describes. */
  readonly stride?: number;
}

export type StrideFrom = 'graph' | 'source' | 'given' | 'none';

export type AuditedOp = 'convTranspose1d' | 'convTranspose2d' | 'convTranspose3d' | 'subPixelConvolution';

/** How many spatial axes an audited layer has. */
export function spatialAxes(op: AuditedOp): 1 | 2 | 3 {
  return op === 'convTranspose1d' ? 1 : op === 'convTranspose3d' ? 3 : 2;
}

const TRANSPOSED_BY_RANK: Readonly<Record<number, AuditedOp>> = { 3: 'convTranspose1d', 4: 'convTranspose2d', 5: 'convTranspose3d' };

export interface AuditedLayer {
  /** The weight's key without `.weight` (`main.3`). */
  readonly name: string;
  readonly op: AuditedOp;
  /** The weight tensor's key, and its bias's when it has one (a sub-pixel convolution's bias paints). */
  readonly weight: string;
  readonly bias?: string;
  /** In PyTorch's layout: `[C_in, C_out/groups, …kernel]` (transposed), `[C·r², C_in/groups, kH, kW]` (sub-pixel). */
  readonly weightShape: number[];
  /** One per spatial axis (`[s]`, `[s_h, s_w]`, `[s_d, s_h, s_w]`); `[r, r]` for a sub-pixel convolution; null when unknown. */
  readonly stride: number[] | null;
  readonly strideFrom: StrideFrom;
  readonly dilation: number[];
  readonly groups: number;
  /** `[channel][row][column]` ({@link PhaseSums}: `[c][0][a]` in 1-D, `[c][a][b]` in 2-D, `[c][a·s_h + b][e]` in 3-D); empty when the stride is unknown. */
  readonly phaseSums: PhaseSums;
  readonly periodicEnergy: number;
  readonly verdict: 'even' | 'uneven' | 'unknown';
  /** The output channel with the largest share of its energy at the stride frequencies. */
  readonly worstChannel?: number;
  /** The verdict in words. */
  readonly reason: string;
  /** Sub-pixel convolution: whether all `r²` sub-kernels of each channel are still equal, and the relative distance from that. */
  readonly icnr?: { readonly structured: boolean; readonly distance: number };
  /** What the file says about the layer, in words ({@link CheckpointLayer.note}). */
  readonly note?: string;
  /** The source call it was paired with. */
  readonly source?: { readonly line: number; readonly offset: number; readonly callee: string };
}

export interface SourcePairing {
  /** The class (or module-level `Sequential`) most keys were matched against, and the key prefix stripped (`generator.`). */
  readonly model: string;
  readonly prefix: string;
  /** Every (model, prefix) that paired keys, the above first. */
  readonly groups: { readonly model: string; readonly prefix: string }[];
  readonly paired: { readonly key: string; readonly path: string; readonly model: string; readonly line: number; readonly callee: string }[];
  /** 3-D, 4-D and 5-D weights the source names no layer for. */
  readonly unpaired: string[];
}

export interface CheckpointAudit {
  /** Worst first: by periodic energy, the unknown last. */
  readonly layers: AuditedLayer[];
  /** Present when a source was given. */
  readonly pairing?: SourcePairing;
}

/** Hyperparameters of one layer to audit, before its weights are read. */
interface Candidate {
  readonly name: string;
  readonly op: AuditedLayer['op'];
  readonly weight: string;
  readonly bias?: string;
  readonly layout: CheckpointLayer['weightLayout'];
  readonly stride: readonly number[] | undefined;
  readonly strideFrom: StrideFrom;
  readonly dilation: readonly number[];
  readonly groups: number;
  readonly factor?: number;
  readonly source?: SourceLayer;
  readonly note?: string;
}

export function auditCheckpoint(checkpoint: Checkpoint, options: AuditOptions = {}): CheckpointAudit {
  const given = options.stride;
  if (given !== undefined && !(Number.isInteger(given) && given >= 1)) throw new CheckpointError(`the stride to audit with must be a whole number of at least 1, not ${given}`);
  let pairing: SourcePairing | undefined;
  let candidates: Candidate[];
  if (checkpoint.layers && checkpoint.layers.length > 0) candidates = graphCandidates(checkpoint.layers);
  else {
    const paired = options.source !== undefined ? pairWithSource(checkpoint, options.source) : undefined;
    pairing = paired?.report;
    candidates = stateDictCandidates(checkpoint, paired?.layers ?? new Map(), given);
  }
  const layers = candidates.map((candidate) => auditLayer(checkpoint, candidate));
  const rank = (layer: AuditedLayer) => (layer.verdict === 'unknown' ? -1 : layer.periodicEnergy);
  layers.sort((a, b) => rank(b) - rank(a));
  return { layers, ...(pairing ? { pairing } : {}) };
}

function graphCandidates(layers: readonly CheckpointLayer[]): Candidate[] {
  const candidates: Candidate[] = [];
  for (const layer of layers) {
    if (layer.op === 'conv2d' && layer.pixelShuffle === undefined) continue;
    const base = { name: layer.name, weight: layer.weight, ...(layer.bias !== undefined ? { bias: layer.bias } : {}), layout: layer.weightLayout, dilation: layer.dilation, groups: layer.groups, ...(layer.note !== undefined ? { note: layer.note } : {}) };
    if (layer.op === 'conv2d') {
      const r = layer.pixelShuffle as number;
      candidates.push({ ...base, op: 'subPixelConvolution', stride: [r, r], strideFrom: 'graph', factor: r });
    } else candidates.push({ ...base, op: layer.op, stride: layer.stride, strideFrom: 'graph' });
  }
  return candidates;
}

function stateDictCandidates(checkpoint: Checkpoint, paired: ReadonlyMap<string, SourceLayer>, given: number | undefined): Candidate[] {
  const names = new Set(checkpoint.tensors.map((t) => t.name));
  const candidates: Candidate[] = [];
  for (const info of checkpoint.tensors) {
    if (!auditedWeight(info)) continue;
    const op = TRANSPOSED_BY_RANK[info.shape.length] as AuditedOp;
    const axes = spatialAxes(op);
    const name = info.name.endsWith('.weight') ? info.name.slice(0, -'.weight'.length) : info.name;
    const bias = info.name.endsWith('.weight') && names.has(`${name}.bias`) ? `${name}.bias` : undefined;
    const base = { name, weight: info.name, ...(bias !== undefined ? { bias } : {}), layout: 'torch' as const };
    const layer = paired.get(info.name);
    if (layer !== undefined && !layer.op.startsWith('convTranspose')) {
      if (layer.op !== 'conv2d' || layer.pixelShuffle === undefined) continue; // a plain convolution does not upsample
      const r = layer.pixelShuffle;
      candidates.push({ ...base, op: 'subPixelConvolution', stride: [r, r], strideFrom: 'source', dilation: layer.dilation ?? [1, 1], groups: layer.groups ?? 1, factor: r, source: layer });
      continue;
    }
    const fromSource = layer?.stride;
    const stride = fromSource ?? (given !== undefined ? new Array<number>(axes).fill(given) : undefined);
    const strideFrom: StrideFrom = fromSource ? 'source' : stride ? 'given' : 'none';
    candidates.push({ ...base, op, stride, strideFrom, dilation: layer?.dilation ?? new Array<number>(axes).fill(1), groups: layer?.groups ?? 1, ...(layer ? { source: layer } : {}) });
  }
  return candidates;
}

/** Whether a bare state dict's tensor is a weight to audit: any 4-D tensor, and 3-D and 5-D ones named as weights. */
function auditedWeight(info: { readonly name: string; readonly shape: readonly number[] }): boolean {
  const rank = info.shape.length;
  return rank === 4 || ((rank === 3 || rank === 5) && (info.name === 'weight' || info.name.endsWith('.weight')));
}

/**
 * The source's layers matched to the checkpoint's weight keys (3-D, 4-D and 5-D). A key is matched by a model the
 * source defines and a prefix stripped from the key (`generator.`, DataParallel's `module.`): the
 * (model, prefix) that pairs the most keys is taken first, then others for the keys left under other
 * prefixes (a GAN checkpoint holding `netG.` and `netD.`, or two generators), each only when it pairs
 * at least half the keys under its prefix, so that a model whose paths happen to coincide with a few
 * of another's (`main.0`) does not claim them. A key pairs only with a layer whose kernel size and
 * channel counts, where the source states them, fit the weight's shape.
 */
function pairWithSource(checkpoint: Checkpoint, source: string): { layers: Map<string, SourceLayer>; report: SourcePairing } {
  const keys = checkpoint.tensors.filter((t) => auditedWeight(t) && t.name.endsWith('.weight')).map((t) => t.name);
  const shapes = new Map(checkpoint.tensors.map((t) => [t.name, t.shape]));
  const fits = (layer: SourceLayer | undefined, key: string): layer is SourceLayer => layer !== undefined && weightFits(layer, shapes.get(key) ?? []);
  const models = sourceModels(source).map((model) => ({ name: model.name, byPath: new Map(model.layers.map((layer) => [layer.path, layer])) }));
  const layers = new Map<string, SourceLayer>();
  const paired: SourcePairing['paired'] = [];
  const groups: { model: string; prefix: string }[] = [];
  for (;;) {
    const remaining = keys.filter((key) => !layers.has(key) && !groups.some((g) => key.startsWith(g.prefix) && g.prefix !== ''));
    let best: { model: (typeof models)[number]; prefix: string; count: number } | undefined;
    for (const model of models) {
      const counts = new Map<string, number>();
      for (const key of remaining) {
        const segments = key.slice(0, -'.weight'.length).split('.');
        for (let k = 0; k < segments.length; k++) {
          if (!fits(model.byPath.get(segments.slice(k).join('.')), key)) continue;
          const prefix = segments.slice(0, k).map((s) => `${s}.`).join('');
          counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
        }
      }
      for (const [prefix, count] of counts) {
        if (groups.some((g) => g.prefix === prefix)) continue;
        if (!best || count > best.count || (count === best.count && prefix.length < best.prefix.length)) best = { model, prefix, count };
      }
    }
    if (!best) break;
    const under = remaining.filter((key) => key.startsWith(best.prefix)).length;
    if (groups.length > 0 && best.count * 2 < under) break;
    groups.push({ model: best.model.name, prefix: best.prefix });
    for (const key of remaining) {
      if (!key.startsWith(best.prefix)) continue;
      const path = key.slice(best.prefix.length, -'.weight'.length);
      const layer = best.model.byPath.get(path);
      if (!fits(layer, key)) continue;
      layers.set(key, layer);
      paired.push({ key, path, model: best.model.name, line: layer.line, callee: layer.callee });
    }
  }
  const unpaired = keys.filter((key) => !layers.has(key));
  return { layers, report: { model: groups[0]?.model ?? '', prefix: groups[0]?.prefix ?? '', groups, paired, unpaired } };
}

function auditLayer(checkpoint: Checkpoint, candidate: Candidate): AuditedLayer {
  const info = checkpoint.tensors.find((t) => t.name === candidate.weight);
  const fileShape = info?.shape ?? [];
  const sourced = candidate.source ? { source: { line: candidate.source.line, offset: candidate.source.offset, callee: candidate.source.callee } } : {};
  const head = {
    name: candidate.name,
    op: candidate.op,
    weight: candidate.weight,
    ...(candidate.bias !== undefined ? { bias: candidate.bias } : {}),
    weightShape: torchShape(fileShape, candidate),
    strideFrom: candidate.strideFrom,
    dilation: [...candidate.dilation],
    groups: candidate.groups,
    ...(candidate.note !== undefined ? { note: candidate.note } : {}),
    ...sourced,
  };
  const unknown = (reason: string, stride: number[] | null = null): AuditedLayer => ({ ...head, stride, phaseSums: [], periodicEnergy: 0, verdict: 'unknown', reason });
  if (!candidate.stride) return unknown('no stride known: pair the checkpoint with its model source, or give the stride to audit with');
  const stride = [...candidate.stride];
  try {
    const problem = shapeProblem(head.weightShape, candidate, stride);
    if (problem) return unknown(problem, stride);
    const weight = toTorchLayout(checkpoint.tensor(candidate.weight), candidate);
    if (candidate.op === 'subPixelConvolution') {
      const r = candidate.factor as number;
      const bias = candidate.bias !== undefined ? checkpoint.tensor(candidate.bias) : undefined;
      if (bias && bias.data.length !== weight.shape[0]) return unknown(`its bias ${candidate.bias} holds ${bias.data.length} values for ${weight.shape[0]} output channels`, stride);
      const measure = measurePhases(subPixelPhaseSums(weight, bias, r));
      const icnr = icnrDistance(weight, r);
      const structure = icnr.structured ? 'its sub-kernels still have ICNR structure' : `its sub-kernels are ${percent(icnr.distance)} away from ICNR structure`;
      return { ...head, stride, phaseSums: measure.phaseSums, periodicEnergy: measure.periodicEnergy, verdict: measure.verdict, worstChannel: measure.worstChannel, reason: `${reasonOf(measure, stride)}; ${structure}`, icnr };
    }
    const measure = measurePhases(transposedPhaseSums(weight, stride, candidate.dilation, candidate.groups));
    return { ...head, stride, phaseSums: measure.phaseSums, periodicEnergy: measure.periodicEnergy, verdict: measure.verdict, worstChannel: measure.worstChannel, reason: reasonOf(measure, stride) };
  } catch (error) {
    if (error instanceof CheckpointError) return unknown(`its weight could not be read: ${error.message}`, stride);
    throw error;
  }
}

function reasonOf(measure: ReturnType<typeof measurePhases>, stride: readonly number[]): string {
  const phases = stride.join('×');
  // A sequence's pattern is a period along its one axis: "a period-4 pattern", not "a 4 pattern".
  const pattern = stride.length === 1 ? `period-${phases}` : phases;
  if (measure.verdict === 'even') return `even: every output channel's ${phases} phase sums agree to within ${EVEN_TOLERANCE.toExponential()} of their largest, so a constant input comes out constant`;
  const channel = measure.phaseSums[measure.worstChannel]?.flat() ?? [];
  const low = channel.reduce((a, b) => Math.min(a, b), Infinity);
  const high = channel.reduce((a, b) => Math.max(a, b), -Infinity);
  return `uneven: a constant input paints a ${pattern} pattern, ${percent(measure.periodicEnergy)} of its energy periodic; worst output channel ${measure.worstChannel}, whose phase sums range from ${low.toPrecision(4)} to ${high.toPrecision(4)}`;
}

function percent(share: number): string {
  return `${(share * 100).toPrecision(3)} %`;
}

/** Why the weight's shape does not fit the layer, or undefined when it does. */
function shapeProblem(shape: readonly number[], candidate: Candidate, stride: readonly number[]): string | undefined {
  const axes = spatialAxes(candidate.op);
  if (shape.length !== axes + 2) return `its weight has shape [${shape.join(', ')}], not the ${AXES_IN_WORDS[axes + 2]} axes of a ${axes}-D convolution's`;
  if (stride.length !== axes || candidate.dilation.length !== axes) return `its stride ${stride.join('×')} or dilation ${candidate.dilation.join('×')} does not give one value for each of its ${axes} spatial axes`;
  if (!stride.every((s) => Number.isInteger(s) && s >= 1)) return `its stride ${stride.join('×')} is not ${axes === 1 ? 'a whole number' : 'whole numbers'} of at least 1`;
  const channels = candidate.op === 'subPixelConvolution' ? (shape[0] as number) : (shape[1] as number) * candidate.groups;
  const phases = stride.reduce((a, b) => a * b, 1);
  if (channels * phases > MAX_PHASE_SUMS) return `its ${channels} channels × ${stride.join('×')} phases are more phase sums than the audit computes (${MAX_PHASE_SUMS})`;
  if (candidate.op === 'subPixelConvolution') {
    const r = candidate.factor as number;
    if ((shape[0] as number) % (r * r) !== 0) return `its ${shape[0]} output channels are not a multiple of ${r * r}, the ${r}× pixel shuffle's r²`;
  } else if ((shape[0] as number) % candidate.groups !== 0) return `its ${shape[0]} input channels do not split into ${candidate.groups} groups`;
  return undefined;
}

const AXES_IN_WORDS: Readonly<Record<number, string>> = { 3: 'three', 4: 'four', 5: 'five' };

/** A Keras kernel's shape turned to PyTorch's order. */
function torchShape(shape: readonly number[], candidate: Candidate): number[] {
  if (candidate.layout !== 'keras' || shape.length < 3) return [...shape];
  return kerasToTorchShape(shape);
}

function toTorchLayout(weight: CheckpointTensor, candidate: Candidate): CheckpointTensor {
  return candidate.layout === 'keras' ? kerasToTorch(weight) : weight;
}
