/**
 * The layer panel's parameter fields, per layer: what each shows for the current options and how
 * an edit changes them. Pure, so the rules are tested without a browser. A field only checks the
 * form of what is typed (a whole number, a pair); whether PyTorch accepts the result is the
 * engine's to say, on the whole call.
 */
import type { GatherLayerCall } from '../../src/core/engine/index';
import { formatPair, parsePairText } from '../shared/params';

export type FieldEdit = { readonly ok: true; readonly call: GatherLayerCall } | { readonly ok: false; readonly message: string };

export type Field =
  | { readonly kind: 'text'; readonly key: string; readonly label: string; readonly title: string; readonly value: string; readonly placeholder?: string; readonly edit: (text: string) => FieldEdit }
  | { readonly kind: 'check'; readonly key: string; readonly label: string; readonly title: string; readonly checked: boolean; readonly edit: (checked: boolean) => FieldEdit }
  | { readonly kind: 'choice'; readonly key: string; readonly label: string; readonly title: string; readonly value: string; readonly choices: readonly string[]; readonly edit: (value: string) => FieldEdit };

type Options = Readonly<Record<string, unknown>>;

/** The call with `options` replaced (the op and tensors are kept). */
function withOptions(call: GatherLayerCall, options: Options): GatherLayerCall {
  return { ...call, options } as GatherLayerCall;
}

/** `2`, `2, 1`, or a word PyTorch takes instead (`same`). */
function pairText(value: unknown, fallback: string): string {
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value) && value.length === 2) return formatPair([value[0] as number, value[1] as number]);
  if (typeof value === 'string') return value;
  return fallback;
}

/** A pair field: `2` or `2, 1`; empty restores PyTorch's default when `optional`. */
function pairField(call: GatherLayerCall, key: string, label: string, title: string, fallback: string, extra: { optional?: string; words?: readonly string[] } = {}): Field {
  const options = call.options as Options;
  return {
    kind: 'text',
    key,
    label,
    title,
    value: options[key] === undefined && extra.optional ? '' : pairText(options[key], fallback),
    ...(extra.optional ? { placeholder: extra.optional } : {}),
    edit: (text) => {
      const trimmed = text.trim();
      if (trimmed === '' && extra.optional) {
        const { [key]: _removed, ...rest } = options;
        return { ok: true, call: withOptions(call, rest) };
      }
      if (extra.words?.includes(trimmed)) return { ok: true, call: withOptions(call, { ...options, [key]: trimmed }) };
      const parsed = parsePairText(label, trimmed);
      if (!parsed.ok) return { ok: false, message: extra.words ? `${parsed.message} (or ${extra.words.map((w) => `“${w}”`).join(', ')})` : parsed.message };
      return { ok: true, call: withOptions(call, { ...options, [key]: [...parsed.pair] }) };
    },
  };
}

function checkField(call: GatherLayerCall, key: string, label: string, title: string, fallback: boolean): Field {
  const options = call.options as Options;
  return { kind: 'check', key, label, title, checked: typeof options[key] === 'boolean' ? (options[key] as boolean) : fallback, edit: (checked) => ({ ok: true, call: withOptions(call, { ...options, [key]: checked }) }) };
}

/** One or two positive numbers (a scale factor need not be whole). */
function scaleField(call: GatherLayerCall): Field {
  const options = call.options as Options;
  const usesSize = options.size !== undefined;
  const key = usesSize ? 'size' : 'scaleFactor';
  return {
    kind: 'text',
    key,
    label: usesSize ? 'size' : 'scale_factor',
    title: usesSize ? 'The output size: one whole number, or height and width' : 'How many times larger: one number, or height and width (need not be whole)',
    value: pairText(options[key], '2'),
    edit: (text) => {
      const parts = text.trim().replace(/^[([]\s*|\s*[)\]]$/g, '').split(/\s*[,\s]\s*/).filter(Boolean);
      const values = parts.map(Number);
      if (parts.length === 0 || parts.length > 2) return { ok: false, message: `${usesSize ? 'size' : 'scale_factor'} takes one number, or two (height, width)` };
      const bad = parts.find((_, i) => !Number.isFinite(values[i]) || (values[i] as number) <= 0 || (usesSize && !Number.isInteger(values[i])));
      if (bad !== undefined) return { ok: false, message: usesSize ? `size must be whole numbers of at least 1, not “${bad}”` : `scale_factor must be a number above 0, not “${bad}”` };
      return { ok: true, call: withOptions(call, { ...options, [key]: [values[0], values[1] ?? values[0]] }) };
    },
  };
}

/** The fields of a layer, in PyTorch's argument order. */
export function fieldsOf(call: GatherLayerCall): Field[] {
  switch (call.op) {
    case 'conv2d':
      return [
        pairField(call, 'stride', 'stride', 'How far the kernel moves between output cells', '1'),
        pairField(call, 'padding', 'padding', 'Zeros added around the input: a number, a pair, “same” or “valid” (PyTorch’s), or “keras-same” (Keras’ for any stride, the odd one after)', '0', { words: ['same', 'valid', 'keras-same'] }),
        pairField(call, 'dilation', 'dilation', 'Spacing between kernel taps', '1'),
        {
          kind: 'text',
          key: 'groups',
          label: 'groups',
          title: 'Input and output channels split into this many groups',
          value: String(call.options.groups ?? 1),
          edit: (text) => {
            const trimmed = text.trim();
            const groups = Number(trimmed);
            if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(groups) || groups < 1) return { ok: false, message: `groups must be a whole number of at least 1, not “${trimmed}”` };
            return { ok: true, call: { ...call, options: { ...call.options, groups } } };
          },
        },
      ];
    case 'maxPool2d':
      return [
        pairField(call, 'kernelSize', 'kernel_size', 'The window size', '2'),
        pairField(call, 'stride', 'stride', 'How far the window moves; empty means the window size, as in PyTorch', '', { optional: 'window' }),
        pairField(call, 'padding', 'padding', 'Implicit −∞ padding, at most half the window', '0'),
        pairField(call, 'dilation', 'dilation', 'Spacing between window cells', '1'),
        checkField(call, 'ceilMode', 'ceil_mode', 'Round the output size up, letting a last window start past the end', false),
      ];
    case 'avgPool2d':
      return [
        pairField(call, 'kernelSize', 'kernel_size', 'The window size', '2'),
        pairField(call, 'stride', 'stride', 'How far the window moves; empty means the window size, as in PyTorch', '', { optional: 'window' }),
        pairField(call, 'padding', 'padding', 'Implicit zero padding, at most half the window', '0'),
        checkField(call, 'ceilMode', 'ceil_mode', 'Round the output size up, letting a last window start past the end', false),
        checkField(call, 'countIncludePad', 'count_include_pad', 'Count the zero padding in the divisor', true),
      ];
    case 'upsample': {
      const options = call.options as Options;
      const mode = options.mode === 'bilinear' ? 'bilinear' : 'nearest';
      const fields: Field[] = [
        scaleField(call),
        {
          kind: 'choice',
          key: 'mode',
          label: 'mode',
          title: 'nearest copies the cell a point falls in; bilinear blends the four around it',
          value: mode,
          choices: ['nearest', 'bilinear'],
          edit: (value) => {
            // PyTorch refuses align_corners for 'nearest': the field goes with the mode.
            const { alignCorners: _dropped, ...rest } = options;
            return { ok: true, call: withOptions(call, value === 'bilinear' ? { ...rest, mode: 'bilinear', alignCorners: false } : { ...rest, mode: 'nearest' }) };
          },
        },
      ];
      if (mode === 'bilinear') fields.push(checkField(call, 'alignCorners', 'align_corners', 'Line up the corner cells of input and output exactly', false));
      return fields;
    }
    case 'pixelShuffle':
      return [
        {
          kind: 'text',
          key: 'upscaleFactor',
          label: 'upscale_factor',
          title: 'r: each group of r² channels becomes one channel r times taller and wider',
          value: String(call.options.upscaleFactor),
          edit: (text) => {
            const trimmed = text.trim();
            const r = Number(trimmed);
            if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(r) || r < 1) return { ok: false, message: `upscale_factor must be a whole number of at least 1, not “${trimmed}”` };
            return { ok: true, call: { ...call, options: { upscaleFactor: r } } };
          },
        },
      ];
  }
}
