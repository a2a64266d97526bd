/**
 * What can be said about a layer call whose `(` is not closed yet (`nn.ConvTranspose2d(16, 8,
 * kernel_size=4, stride=2` while it is being typed): the layer, the arguments read so far, the
 * output size if the arguments it needs are there (for the default input size, since the layers
 * around a half-typed call are not read), and what is missing: the closing parenthesis, the
 * argument the output size needs, the value of the argument being typed. Pure; the hover is
 * src/host/editor/layerHover.ts.
 */
import type { LayerOp } from '../engine/options';
import { formatAxisFormula } from '../engine/formula';
import type { LayerCall, LayerParamName } from '../parse/index';
import { layerSize, rankOf } from './layerSize';

/** The arguments that the output size cannot do without, per layer: any one of them will do. */
const KERNEL_NEED = [{ param: 'kernelSize', pytorch: 'kernel_size', keras: 'kernel_size' }] as const;
const POOL_NEED = [{ param: 'kernelSize', pytorch: 'kernel_size', keras: 'pool_size' }] as const;
const UPSAMPLE_NEED = [
  { param: 'scaleFactor', pytorch: 'scale_factor', keras: 'size' },
  { param: 'size', pytorch: 'size', keras: 'size' },
] as const;
const SIZE_NEEDS: Readonly<Record<LayerOp, readonly { readonly param: LayerParamName; readonly pytorch: string; readonly keras: string }[]>> = {
  convTranspose2d: KERNEL_NEED,
  convTranspose1d: KERNEL_NEED,
  convTranspose3d: KERNEL_NEED,
  conv2d: KERNEL_NEED,
  conv1d: KERNEL_NEED,
  conv3d: KERNEL_NEED,
  maxPool2d: POOL_NEED,
  avgPool2d: POOL_NEED,
  maxPool1d: POOL_NEED,
  avgPool1d: POOL_NEED,
  maxPool3d: POOL_NEED,
  avgPool3d: POOL_NEED,
  upsample: UPSAMPLE_NEED,
  upsample1d: UPSAMPLE_NEED,
  upsample3d: UPSAMPLE_NEED,
  pixelShuffle: [{ param: 'upscaleFactor', pytorch: 'upscale_factor', keras: 'upscale_factor' }],
};

/** The half-typed layer call around `offset` (from its name to the end of what is typed) among `calls` (in document order), if any. */
export function partialCallAt(calls: readonly LayerCall[], offset: number): LayerCall | undefined {
  let found: LayerCall | undefined;
  for (const call of calls) {
    if (call.start > offset) break;
    // The cursor just after the last character typed still counts (where the `)` would go).
    if (!call.complete && offset <= Math.max(call.end, lastArgumentEnd(call)) + 1) found = call;
  }
  return found;
}

function lastArgumentEnd(call: LayerCall): number {
  const last = call.args[call.args.length - 1];
  return last ? last.valueEnd : call.open + 1;
}

/** A code span that survives backticks in the code. */
function code(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.includes('`') ? `\`\` ${clean} \`\`` : `\`${clean}\``;
}

/** What is still missing from a half-typed call, in the order a person would type it. */
export function missingParts(call: LayerCall): string[] {
  const missing: string[] = [];
  const last = call.args[call.args.length - 1];
  if (last && last.valueStart === last.valueEnd) missing.push(`a value for ${code(last.keyword?.name ?? last.parameter ?? 'the last argument')}`);
  const needs = SIZE_NEEDS[call.op];
  if (!needs.some((need) => call.params[need.param] !== undefined)) {
    const names = needs.map((need) => code(call.framework === 'pytorch' ? need.pytorch : need.keras));
    missing.push(`${[...new Set(names)].join(' or ')} (the output size needs it)`);
  }
  missing.push('the closing parenthesis `)`');
  return missing;
}

/** The hover's Markdown for a half-typed call, the output size worked out for a `defaultInputSize` input when the arguments allow. */
export function partialLayerMarkdown(call: LayerCall, text: string, defaultInputSize: number): string {
  const lines = [`**${code(call.name)}** · not closed yet: ${code(call.name + '(')} …`, ''];
  const typed = call.args.filter((arg) => arg.valueEnd > arg.valueStart);
  if (typed.length > 0) {
    lines.push('Read so far:', '');
    for (const arg of typed) {
      const value = text.slice(arg.valueStart, arg.valueEnd);
      const name = arg.keyword?.name ?? arg.parameter;
      lines.push(`- ${name === undefined ? code(value) : `${code(name)} = ${code(value)}`}`);
    }
    lines.push('');
  } else {
    lines.push('No argument typed yet.', '');
  }
  const missing = missingParts(call);
  const sizeKnown = missing.every((part) => !part.endsWith('(the output size needs it)'));
  if (sizeKnown) {
    const input = new Array<number>(rankOf(call.op)).fill(defaultInputSize);
    const size = layerSize(call, input);
    if (size.kind === 'sized') {
      lines.push(`Output so far **${size.output.join('×')}** for an input ${input.join('×')} (the default size; the layers before are read once the call is closed):`, '');
      lines.push('```text', ...size.formulas.map((formula) => formatAxisFormula(formula, 'both')), '```', '');
    } else if (size.kind === 'symbolic') {
      lines.push(`No output size yet: ${size.reason}.`, '');
    } else {
      lines.push(`As typed so far, the layer is refused: ${size.message}`, '');
    }
  }
  lines.push(`Missing: ${missing.join(', ')}.`);
  return lines.join('\n');
}
