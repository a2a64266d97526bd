/**
 * The checkerboard audit of a checkpoint: every transposed convolution and sub-pixel convolution it
 * holds, with its phase sums, periodic energy and verdict (src/core/checkpoint/phaseSums.ts), worst
 * first.
 *
 * Where the hyperparameters come from, in order: the file's own graph (`checkpoint.layers`, ONNX and
 * Keras), the model source the state dict is paired with (src/core/checkpoint/sourceModules.ts), the
 * stride the caller gives (for weights neither states), or none (verdict `unknown`). A bare state
 * dict cannot tell a convolution from a transposed one, so without a graph every 4-D weight the
 * source does not name as a plain convolution is audited as a transposed convolution.
 */
import { EVEN_TOLERANCE, icnrDistance, measurePhases, subPixelPhaseSums, transposedPhaseSums } from './phaseSums';
import { sourceModels, weightFits, type SourceLayer } from './sourceModules';
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

export interface AuditedLayer {
  /** The weight's key without `.weight` (`main.3`). */
  readonly name: string;
  readonly op: 'convTranspose2d' | 'subPixelConvolution';
  /** The weight tensor's key, and its bias's when it has one (a sub-pixel convolution's bias paints). */
  readonly weight: string;
  readonly bias?: string;
  /** In PyTorch's layout: `[C_in, C_out/groups, kH, kW]` (transposed), `[C·r², C_in/groups, kH, kW]` (sub-pixel). */
  readonly weightShape: number[];
  /** `[r, r]` for a sub-pixel convolution; null when unknown. */
  readonly stride: [number, number] | null;
  readonly strideFrom: StrideFrom;
  readonly dilation: [number, number];
  readonly groups: number;
  /** `[channel][a][b]`; empty when the stride is unknown. */
  readonly phaseSums: number[][][];
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
  /** 4-D weights the source names no layer for. */
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
  readonly stride: readonly [number, number] | undefined;
  readonly strideFrom: StrideFrom;
  readonly dilation: readonly [number, number];
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
    } else candidates.push({ ...base, op: 'convTranspose2d', stride: layer.stride, strideFrom: 'graph' });
  }
  return candidates;
}

function stateDictCandidates(checkpoint: Checkpoint, paired: ReadonlyMap<string, SourceLayer>, given: number | undefined): Candidate[] {
  const names = new Set(checkpoint.tensors.map((t) => t.name));
  const candidates: Candidate[] = [];
  for (const info of checkpoint.tensors) {
    if (info.shape.length !== 4) continue;
    const name = info.name.endsWith('.weight') ? info.name.slice(0, -'.weight'.length) : info.name;
    const bias = info.name.endsWith('.weight') && names.has(`${name}.bias`) ? `${name}.bias` : undefined;
    const base = { name, weight: info.name, ...(bias !== undefined ? { bias } : {}), layout: 'torch' as const };
    const layer = paired.get(info.name);
    if (layer?.op === 'conv2d') {
      if (layer.pixelShuffle === undefined) continue; // a plain convolution does not upsample
      const r = layer.pixelShuffle;
      candidates.push({ ...base, op: 'subPixelConvolution', stride: [r, r], strideFrom: 'source', dilation: layer.dilation ?? [1, 1], groups: layer.groups ?? 1, factor: r, source: layer });
      continue;
    }
    const fromSource = layer?.stride;
    const stride = fromSource ?? (given !== undefined ? ([given, given] as const) : undefined);
    const strideFrom: StrideFrom = fromSource ? 'source' : stride ? 'given' : 'none';
    candidates.push({ ...base, op: 'convTranspose2d', stride, strideFrom, dilation: layer?.dilation ?? [1, 1], groups: layer?.groups ?? 1, ...(layer ? { source: layer } : {}) });
  }
  return candidates;
}

/**
 * The source's layers matched to the checkpoint's 4-D weight keys. A key is matched by a model the
 * source defines and a prefix stripped from the key (`generator.`, DataParallel's `module.`): the
 * (model, prefix) that pairs the most keys is taken first, then others for the keys left under other
 * prefixes (a GAN checkpoint holding `netG.` and `netD.`, or two generators), each only when it pairs
 * at least half the keys under its prefix, so that a model whose paths happen to coincide with a few
 * of another's (`main.0`) does not claim them. A key pairs only with a layer whose kernel size and
 * channel counts, where the source states them, fit the weight's shape.
 */
function pairWithSource(checkpoint: Checkpoint, source: string): { layers: Map<string, SourceLayer>; report: SourcePairing } {
  const keys = checkpoint.tensors.filter((t) => t.shape.length === 4 && t.name.endsWith('.weight')).map((t) => t.name);
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
    dilation: [candidate.dilation[0], candidate.dilation[1]] as [number, number],
    groups: candidate.groups,
    ...(candidate.note !== undefined ? { note: candidate.note } : {}),
    ...sourced,
  };
  const unknown = (reason: string, stride: [number, number] | null = null): AuditedLayer => ({ ...head, stride, phaseSums: [], periodicEnergy: 0, verdict: 'unknown', reason });
  if (!candidate.stride) return unknown('no stride known: pair the checkpoint with its model source, or give the stride to audit with');
  const stride: [number, number] = [candidate.stride[0], candidate.stride[1]];
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

function reasonOf(measure: ReturnType<typeof measurePhases>, stride: readonly [number, number]): string {
  const phases = `${stride[0]}×${stride[1]}`;
  if (measure.verdict === 'even') return `even: every output channel's ${phases} phase sums agree to within ${EVEN_TOLERANCE.toExponential()} of their largest, so a constant input comes out constant`;
  const channel = measure.phaseSums[measure.worstChannel]?.flat() ?? [];
  const low = channel.reduce((a, b) => Math.min(a, b), Infinity);
  const high = channel.reduce((a, b) => Math.max(a, b), -Infinity);
  return `uneven: a constant input paints a ${phases} pattern, ${percent(measure.periodicEnergy)} of its energy periodic; worst output channel ${measure.worstChannel}, whose phase sums range from ${low.toPrecision(4)} to ${high.toPrecision(4)}`;
}

function percent(share: number): string {
  return `${(share * 100).toPrecision(3)} %`;
}

/** Why the weight's shape does not fit the layer, or undefined when it does. */
function shapeProblem(shape: readonly number[], candidate: Candidate, stride: readonly [number, number]): string | undefined {
  if (shape.length !== 4) return `its weight has shape [${shape.join(', ')}], not the four axes of a 2-D convolution's`;
  if (!(Number.isInteger(stride[0]) && Number.isInteger(stride[1]) && stride[0] >= 1 && stride[1] >= 1)) return `its stride ${stride[0]}×${stride[1]} is not a pair of whole numbers of at least 1`;
  const channels = candidate.op === 'subPixelConvolution' ? (shape[0] as number) : (shape[1] as number) * candidate.groups;
  if (channels * stride[0] * stride[1] > MAX_PHASE_SUMS) return `its ${channels} channels × ${stride[0]}×${stride[1]} phases are more phase sums than the audit computes (${MAX_PHASE_SUMS})`;
  if (candidate.op === 'subPixelConvolution') {
    const r = candidate.factor as number;
    if ((shape[0] as number) % (r * r) !== 0) return `its ${shape[0]} output channels are not a multiple of ${r * r}, the ${r}× pixel shuffle's r²`;
  } else if ((shape[0] as number) % candidate.groups !== 0) return `its ${shape[0]} input channels do not split into ${candidate.groups} groups`;
  return undefined;
}

/** A Keras kernel's shape turned to PyTorch's order. */
function torchShape(shape: readonly number[], candidate: Candidate): number[] {
  if (candidate.layout !== 'keras' || shape.length !== 4) return [...shape];
  const [kh, kw, a, b] = shape as [number, number, number, number];
  // Conv2DTranspose: [kH, kW, C_out, C_in] → [C_in, C_out, kH, kW]; Conv2D: [kH, kW, C_in, C_out] → [C_out, C_in, kH, kW].
  return [b, a, kh, kw];
}

function toTorchLayout(weight: CheckpointTensor, candidate: Candidate): CheckpointTensor {
  if (candidate.layout !== 'keras') return weight;
  const [kh, kw, a, b] = weight.shape as [number, number, number, number];
  const data = new Float64Array(weight.data.length);
  // Both Keras layouts move their last axis first and their third second: out[y][x][i][j] = in[i][j][x][y].
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let x = 0; x < a; x++) for (let y = 0; y < b; y++) data[((y * a + x) * kh + i) * kw + j] = weight.data[((i * kw + j) * a + x) * b + y] as number;
  return { shape: [b, a, kh, kw], data };
}
