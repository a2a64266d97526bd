/**
 * `audit_checkpoint`: a checkpoint file (and the model source its keys come from) → the
 * checkerboard audit of its trained weights (src/core/checkpoint/audit.ts): every transposed and
 * sub-pixel convolution, worst first, with its verdict, periodic energy and where its stride came
 * from, and how the keys paired with the source. The file is read through the host, whole and
 * within {@link MAX_CHECKPOINT_BYTES}; its format is told from its bytes by `readCheckpoint`
 * (formats registered later, ONNX and Keras, are read the same way).
 */
import { auditCheckpoint, type AuditedLayer, type CheckpointAudit } from '../checkpoint/audit';
import { utf8 } from '../checkpoint/elements';
import { readCheckpoint } from '../checkpoint/read';
import type { Checkpoint } from '../checkpoint/types';
import { defineFileTool, ok } from './tool';
import { MAX_CHECKPOINT_BYTES, MAX_SOURCE_BYTES } from './toolFiles';

export interface AuditCheckpointInput {
  readonly path: string;
  readonly source?: string;
  readonly stride?: number;
}

export type AuditVerdict = 'uneven' | 'even' | 'unknown' | 'none';

/** An audited layer as the tool reports it: the core's, without the phase sums of every channel (the worst channel's are kept). */
export type ReportedLayer = Omit<AuditedLayer, 'phaseSums' | 'stride'> & { readonly stride?: number[]; readonly worstPhaseSums?: number[][] };

export interface AuditCheckpointData {
  readonly file: string;
  readonly format: Checkpoint['format'];
  /** `uneven` when any layer is, else `unknown` when any layer's stride is not known, else `even`; `none` with no layer to audit. */
  readonly verdict: AuditVerdict;
  readonly layers: ReportedLayer[];
  readonly pairing?: CheckpointAudit['pairing'];
}

const integers = { type: 'array', items: { type: 'integer' } } as const;

export const auditCheckpointTool = defineFileTool<AuditCheckpointInput, AuditCheckpointData>({
  name: 'audit_checkpoint',
  title: 'Audit Checkpoint',
  description:
    'Audits the trained weights in a checkpoint file (PyTorch .pt/.pth/.bin/.ckpt from torch.save, .safetensors, NumPy .npy/.npz, and other formats Layer Lens reads) ' +
    'for checkerboard artifacts: for every transposed convolution (and sub-pixel convolution before a PixelShuffle) the phase sums of its kernel, ' +
    'the share of energy at the stride frequencies (periodic energy), and a verdict (even / uneven / unknown), worst first. ' +
    'A bare state dict has no strides: give "source", the model file the keys come from (its layers are paired with the keys), or "stride". ' +
    'Nothing in the file is executed; a damaged or unsafe file is refused with the reason.',
  inputSchema: {
    type: 'object',
    properties: {
      path: { type: 'string', description: 'The checkpoint file: absolute, or relative to the workspace folder (the current directory outside VS Code).', maxLength: 4096 },
      source: { type: 'string', description: 'The model source file (Python) whose layers made the checkpoint keys, for their strides.', maxLength: 4096 },
      stride: { type: 'integer', description: 'The stride of transposed convolutions neither the file nor the source describes.', minimum: 1, maximum: 64 },
    },
    required: ['path'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      file: { type: 'string' },
      format: { type: 'string' },
      verdict: { type: 'string', enum: ['uneven', 'even', 'unknown', 'none'] },
      layers: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            op: { type: 'string', enum: ['convTranspose1d', 'convTranspose2d', 'convTranspose3d', 'subPixelConvolution'] },
            weight: { type: 'string' },
            bias: { type: 'string' },
            weightShape: integers,
            stride: integers,
            strideFrom: { type: 'string', enum: ['graph', 'source', 'given', 'none'] },
            dilation: integers,
            groups: { type: 'integer' },
            periodicEnergy: { type: 'number' },
            verdict: { type: 'string', enum: ['even', 'uneven', 'unknown'] },
            worstChannel: { type: 'integer' },
            worstPhaseSums: { type: 'array', items: { type: 'array', items: { type: 'number' } } },
            reason: { type: 'string' },
            icnr: { type: 'object', properties: { structured: { type: 'boolean' }, distance: { type: 'number' } }, required: ['structured', 'distance'], additionalProperties: false },
            note: { type: 'string' },
            source: { type: 'object', properties: { line: { type: 'integer' }, offset: { type: 'integer' }, callee: { type: 'string' } }, required: ['line', 'offset', 'callee'], additionalProperties: false },
          },
          required: ['name', 'op', 'weight', 'weightShape', 'strideFrom', 'dilation', 'groups', 'periodicEnergy', 'verdict', 'reason'],
          additionalProperties: false,
        },
      },
      pairing: {
        type: 'object',
        properties: {
          model: { type: 'string' },
          prefix: { type: 'string' },
          groups: { type: 'array', items: { type: 'object', properties: { model: { type: 'string' }, prefix: { type: 'string' } }, required: ['model', 'prefix'], additionalProperties: false } },
          paired: {
            type: 'array',
            items: { type: 'object', properties: { key: { type: 'string' }, path: { type: 'string' }, model: { type: 'string' }, line: { type: 'integer' }, callee: { type: 'string' } }, required: ['key', 'path', 'model', 'line', 'callee'], additionalProperties: false },
          },
          unpaired: { type: 'array', items: { type: 'string' } },
        },
        required: ['model', 'prefix', 'groups', 'paired', 'unpaired'],
        additionalProperties: false,
      },
    },
    required: ['file', 'format', 'verdict', 'layers'],
    additionalProperties: false,
  },
  invocationMessage: (input) => `Layer Lens: reading the checkpoint ${input.path}${input.source !== undefined ? ` and the model source ${input.source}` : ''} to audit its transposed convolutions (nothing in the file is run)`,
  async execute(input, files) {
    const bytes = await files.read(input.path, MAX_CHECKPOINT_BYTES);
    const source = input.source !== undefined ? utf8(await files.read(input.source, MAX_SOURCE_BYTES)) : undefined;
    const data = auditData(input.path, readCheckpoint(bytes, input.path), { ...(source !== undefined ? { source } : {}), ...(input.stride !== undefined ? { stride: input.stride } : {}) });
    return ok(auditText(data, input.source), data);
  },
});

/** The audit of a read checkpoint, as the tool reports it. */
export function auditData(file: string, checkpoint: Checkpoint, options: { source?: string; stride?: number }): AuditCheckpointData {
  const audit = auditCheckpoint(checkpoint, options);
  const layers = audit.layers.map(({ phaseSums, stride, ...rest }): ReportedLayer => ({
    ...rest,
    ...(stride ? { stride } : {}),
    ...(rest.worstChannel !== undefined && phaseSums[rest.worstChannel] ? { worstPhaseSums: phaseSums[rest.worstChannel] } : {}),
  }));
  const verdict: AuditVerdict = layers.length === 0 ? 'none' : layers.some((l) => l.verdict === 'uneven') ? 'uneven' : layers.some((l) => l.verdict === 'unknown') ? 'unknown' : 'even';
  return { file, format: checkpoint.format, verdict, layers, ...(audit.pairing ? { pairing: audit.pairing } : {}) };
}

const STRIDE_FROM: Readonly<Record<AuditedLayer['strideFrom'], string>> = { graph: "the file's graph", source: 'the source', given: 'given', none: 'not known' };

/** The table `layer-lens audit` prints: one row per layer, worst first, then each reason and the pairing. */
export function auditText(data: AuditCheckpointData, sourcePath?: string): string {
  const header = ['layer', 'op', 'weight', 'stride', 'from', 'periodic energy', 'verdict'];
  const rows = data.layers.map((l) => [l.name, l.op, `[${l.weightShape.join(', ')}]`, l.stride ? l.stride.join('×') : '?', STRIDE_FROM[l.strideFrom], l.verdict === 'unknown' ? '—' : l.periodicEnergy.toPrecision(3), l.verdict]);
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] as string).length)));
  const line = (r: readonly string[]) => r.map((cell, c) => (c === 5 ? cell.padStart(widths[c] as number) : cell.padEnd(widths[c] as number))).join('  ').trimEnd();
  const counts = (['uneven', 'even', 'unknown'] as const).map((v) => [v, data.layers.filter((l) => l.verdict === v).length] as const).filter(([, n]) => n > 0);
  const out = [`${data.file} (${data.format}): ${data.layers.length} layer${data.layers.length === 1 ? '' : 's'} audited${counts.length > 0 ? ` — ${counts.map(([v, n]) => `${n} ${v}`).join(', ')}` : ''}; verdict: ${data.verdict}.`];
  if (data.layers.length > 0) out.push(...all.map(line), '', ...data.layers.map((l) => `${l.name}: ${l.reason}${l.note ? ` (${l.note})` : ''}`));
  else out.push('No transposed or sub-pixel convolution weight (a 4-D tensor, or a 3-D or 5-D one named weight) to audit.');
  const pairing = data.pairing;
  if (pairing) {
    out.push(`Paired with ${sourcePath ?? 'the source'}: ${pairing.paired.length} key${pairing.paired.length === 1 ? '' : 's'} with ${pairing.model}${pairing.prefix ? ` (prefix ${pairing.prefix})` : ''}${pairing.unpaired.length > 0 ? `; no layer in the source for ${pairing.unpaired.join(', ')}` : ''}.`);
  } else if (data.layers.some((l) => l.strideFrom === 'none')) {
    out.push('Strides not known: give the model source (--source / "source") or a stride (--stride / "stride").');
  }
  return out.join('\n');
}
