/**
 * The checkerboard audit (src/core/checkpoint/audit.ts) as the checkpoint editor draws it: each
 * layer's worst output channels with their phase-sum heatmaps and periodic energy, how many channels
 * are uneven, the strides a user may pick for a weight nothing describes, and the file's own notes.
 * A channel's phases go as a matrix view shaped by the stride: `1 × s` for a 1-D layer (drawn as
 * bars), `s_h × s_w` for a 2-D one, and `s_d` slices of `s_h × s_w` (`lead: [s_d]`) for a 3-D one.
 */
import type { AuditLayerView, AuditView, ChannelPhases } from '../protocol/checkpoint';
import { MAX_SHOWN_CHANNELS } from '../protocol/checkpoint';
import { spatialAxes, type AuditedLayer, type CheckpointAudit } from './audit';
import { EVEN_TOLERANCE } from './phaseSums';
import type { CheckpointLayer } from './types';

export function auditView(audit: CheckpointAudit, fileLayers: readonly CheckpointLayer[] | undefined, sourceName?: string): AuditView {
  // The notes of layers the audit leaves out (a convolution before a DCR DepthToSpace is not an upsampling layer); an audited layer shows its own.
  const audited = new Set(audit.layers.map((layer) => layer.name));
  const notes = (fileLayers ?? []).flatMap((layer) => (layer.note !== undefined && !audited.has(layer.name) ? [`${layer.name}: ${layer.note}`] : []));
  const pairing = audit.pairing && sourceName !== undefined
    ? { source: sourceName, model: audit.pairing.model, paired: audit.pairing.paired.map((p) => `${p.key} → ${p.callee} (line ${p.line})`), unpaired: [...audit.pairing.unpaired] }
    : undefined;
  return { layers: audit.layers.map((layer) => layerView(layer, sourceName)), notes, ...(pairing ? { pairing } : {}) };
}

function layerView(layer: AuditedLayer, sourceName: string | undefined): AuditLayerView {
  const channels = layer.phaseSums.map((phases, channel) => ({ channel, periodicEnergy: channelEnergy(phases), uneven: isUneven(phases), phases }));
  const shown: ChannelPhases[] = [...channels]
    .sort((a, b) => b.periodicEnergy - a.periodicEnergy || a.channel - b.channel)
    .slice(0, MAX_SHOWN_CHANNELS)
    .map(({ channel, periodicEnergy, phases }) => ({ channel, periodicEnergy, phases: phaseView(phases, layer.stride) }));
  const nothingStated = layer.strideFrom === 'none' || layer.strideFrom === 'given';
  return {
    name: layer.name,
    op: layer.op,
    weightShape: [...layer.weightShape],
    ...(layer.stride ? { stride: layer.stride } : {}),
    strideFrom: layer.strideFrom,
    periodicEnergy: layer.periodicEnergy,
    verdict: layer.verdict,
    reason: layer.reason,
    ...(layer.worstChannel !== undefined ? { worstChannel: layer.worstChannel } : {}),
    channels: shown,
    channelCount: layer.phaseSums.length,
    unevenChannels: channels.filter((c) => c.uneven).length,
    strideChoices: nothingStated && layer.op !== 'subPixelConvolution' ? strideChoices(layer.weightShape[2] ?? 0) : [],
    // A sub-pixel convolution opens as the transposed convolution it equals (trainedKernel.ts), which needs dilation 1.
    openable: layer.stride !== null && layer.weightShape.length === spatialAxes(layer.op) + 2 && (layer.op !== 'subPixelConvolution' || layer.dilation.every((d) => d === 1)),
    ...(layer.source && sourceName !== undefined ? { source: `${sourceName}:${layer.source.line}, ${layer.source.callee}` } : {}),
    ...(layer.note !== undefined ? { note: layer.note } : {}),
  };
}

/** One channel's phase sums `[row][column]` as a matrix view; a 3-D layer's rows split into its `s_d` depth phases. */
function phaseView(phases: readonly (readonly number[])[], stride: readonly number[] | null): ChannelPhases['phases'] {
  const data = Float64Array.from(phases.flat());
  const cols = phases[0]?.length ?? 0;
  if (stride?.length === 3) {
    const [depth, rows] = stride as [number, number, number];
    return { lead: [depth], rows, cols, data };
  }
  return { rows: phases.length, cols, data };
}

/** One channel's share of its constant response's energy at the stride frequencies. */
function channelEnergy(phases: readonly (readonly number[])[]): number {
  const values = phases.flat();
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const total = values.reduce((a, v) => a + v * v, 0);
  return total > 0 ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / total : 0;
}

/** The audit's rule, per channel: uneven when a phase sum strays from their mean by more than 1e-6 of the largest. */
function isUneven(phases: readonly (readonly number[])[]): boolean {
  const values = phases.flat();
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const largest = Math.max(0, ...values.map(Math.abs));
  return values.some((v) => Math.abs(v - mean) > EVEN_TOLERANCE * largest);
}

/** The strides offered for a transposed-convolution weight nothing describes: 2, and the (first axis's) kernel size's divisors above 1. */
export function strideChoices(kernelSize: number): number[] {
  const choices = new Set([2]);
  for (let s = 2; s <= kernelSize; s++) if (kernelSize % s === 0) choices.add(s);
  return [...choices].sort((a, b) => a - b);
}
