/**
 * The quick fixes of a Keras merge whose inputs do not line up (kerasShape.ts), each one edit of the
 * document (one Undo restores it), offered only when reading the edited text again gets past the
 * merge for the same input:
 *
 * - crop the larger input to the smaller with `layers.Cropping2D(((top, bottom), (left, right)))(x)`,
 *   as Keras U-Nets crop their skips (the odd pixel at the bottom and the right), when the sides
 *   differ by rounding (each less than twice the other: not a branch of another resolution);
 * - pad the smaller input to the larger with `layers.ZeroPadding2D(((top, bottom), (left, right)))(x)`;
 * - set `output_padding` on the `Conv2DTranspose` that made an input, from Keras's own rule
 *   (backend_utils.py `_get_output_shape_given_tf_padding`: with `output_padding` p, "same" gives
 *   `(n − 1)·s + k mod 2 + p`, "valid" `(n − 1)·s + k + p`, and p must be below the strides).
 *
 * A fix after which the same merge breaks again (code that several blocks share: a crop of fixed
 * size cannot suit every level) or the model stops earlier is shown disabled, with the reason.
 */
import type { KerasMergeMismatch, KerasMergeOperand, KerasTransposedLayer } from '../model/kerasMismatch';
import { expressionEnd, sidesOf, type KerasShapeProblem } from './kerasShape';
import { followForward, matchingParen } from './modelShape';
import { applyEdits, outputPaddingEdit, type ModelShapeFix, type TextEdit } from './modelShapeFixes';

export function kerasShapeFixes(text: string, problem: KerasShapeProblem): ModelShapeFix[] {
  const m = problem.keras;
  if (m.file !== '') return [];
  const a = m.operands[0];
  const b = m.operands[m.other];
  if (!a || !b) return [];
  const fixes: { fix: ModelShapeFix; added: number }[] = [];
  const sa = a.shape.slice(1, -1);
  const sb = b.shape.slice(1, -1);
  const rank = sa.length;
  const order = sa.every((n, i) => n >= (sb[i] as number)) ? ([a, b] as const) : sb.every((n, i) => n >= (sa[i] as number)) ? ([b, a] as const) : undefined;
  // A rounding mismatch (a side pooled down and upsampled back: 15 → 7 → 14) is cropped or padded
  // away; an input twice the other's size or more is another resolution (a strided branch missing
  // its strided shortcut), which no crop makes right.
  const rounding = order && order[0].shape.slice(1, -1).every((n, i) => n < 2 * (order[1].shape[i + 1] as number));
  // A Concatenate along a side (axis=1) may join different sizes there: a crop of every side is not what it needs.
  const alongChannels = m.axis === undefined || m.axis === -1 || m.axis === a.shape.length - 1;
  if (order && rounding && alongChannels && rank >= 1 && rank <= 3) {
    const [big, small] = order;
    const diffs = big.shape.slice(1, -1).map((n, i) => n - (small.shape[i + 1] as number));
    const amounts = pairsText(diffs);
    const crop = wrapFix(text, m, big, `Cropping${rank}D`, amounts, (what, call) => `Crop ${what} from ${sidesOf(big.shape)} to ${sidesOf(small.shape)} with ${call}`);
    if (crop) fixes.push({ fix: crop, added: 1 });
    const pad = wrapFix(text, m, small, `ZeroPadding${rank}D`, amounts, (what, call) => `Pad ${what} from ${sidesOf(small.shape)} to ${sidesOf(big.shape)} with ${call}`);
    if (pad) fixes.push({ fix: pad, added: 1 });
  }
  for (const [i, operand] of m.operands.entries()) {
    const target = i === 0 ? b : a;
    if (operand.transposed && (i === 0 || i === m.other)) {
      const fix = outputPaddingFix(text, operand.transposed, target);
      if (fix) fixes.push({ fix, added: 0 });
    }
  }
  return fixes.map(({ fix, added }) => (fix.disabled ? fix : verified(text, problem, fix, added)));
}

/** `((0, 1), (0, 1))` for 2-D differences, `(0, 1)` for 1-D: the smaller half first, as Pytorch-UNet's and Keras U-Nets' crops do. */
function pairsText(diffs: readonly number[]): string {
  const pairs = diffs.map((d) => `(${Math.floor(d / 2)}, ${d - Math.floor(d / 2)})`);
  return pairs.length === 1 ? (pairs[0] as string) : `(${pairs.join(', ')})`;
}

/** Wraps `operand`'s expression in the merge's list in `Layer(amounts)(…)`. */
function wrapFix(text: string, m: KerasMergeMismatch, operand: KerasMergeOperand, layer: string, amounts: string, title: (what: string, call: string) => string): ModelShapeFix | undefined {
  if (operand.start === undefined) return undefined;
  const ref = layerReference(text, layer);
  if (!ref) return undefined;
  const start = operand.start;
  const end = expressionEnd(text, start);
  const written = text.slice(start, end);
  const index = m.operands.indexOf(operand);
  const what = /^[A-Za-z_]\w*$/.test(written) ? written : `input ${index}`;
  const call = `${ref.name}(${amounts})`;
  return { title: title(what, call), edits: [...ref.edits, { start, end, newText: `${call}(${written})` }] };
}

/**
 * How the file can name Keras layer `layer`: as the `layers` module it imports (`layers.Cropping2D`,
 * `L.Cropping2D`), bare where it imports layers by name (added to that import: an edit), or through
 * `tf.keras.layers` / `keras.layers`; undefined when the file names none of these.
 */
export function layerReference(text: string, layer: string): { readonly name: string; readonly edits: readonly TextEdit[] } | undefined {
  const pkg = String.raw`(?:tensorflow\.)?(?:tf_)?keras`;
  if (new RegExp(String.raw`^[ \t]*from[ \t]+${pkg}(?:\.layers)?[ \t]+import[ \t]+\*`, 'm').test(text)) return { name: layer, edits: [] };
  if (new RegExp(String.raw`^[ \t]*from[ \t]+${pkg}(?:\.layers)?[ \t]+import[ \t]+[^\n]*\b${layer}\b`, 'm').test(text)) return { name: layer, edits: [] };
  const module = new RegExp(String.raw`^[ \t]*from[ \t]+${pkg}[ \t]+import[ \t]+(?:[^\n#]*,[ \t]*)?layers(?:[ \t]+as[ \t]+(\w+))?[ \t]*(?:,|#|\r?$)`, 'm').exec(text) ?? new RegExp(String.raw`^[ \t]*import[ \t]+${pkg}\.layers[ \t]+as[ \t]+(\w+)`, 'm').exec(text);
  if (module) return { name: `${module[1] ?? 'layers'}.${layer}`, edits: [] };
  const names = new RegExp(String.raw`^[ \t]*from[ \t]+${pkg}\.layers[ \t]+import[ \t]+`, 'm').exec(text);
  if (names) {
    // Added after the last name of that import (before its `)` when it is parenthesised).
    const at = names.index + names[0].length;
    if (text[at] === '(') {
      const close = matchingParen(text, at);
      if (close < 0) return undefined;
      const inner = text.slice(at + 1, close).trimEnd();
      const last = at + 1 + inner.length;
      return { name: layer, edits: [{ start: last, end: last, newText: inner.endsWith(',') ? ` ${layer},` : `, ${layer}` }] };
    }
    const lineEnd = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at);
    const content = text.slice(at, lineEnd).replace(/[ \t]*(?:#.*)?\r?$/, '');
    if (content.endsWith('\\')) return undefined;
    return { name: layer, edits: [{ start: at + content.length, end: at + content.length, newText: `, ${layer}` }] };
  }
  const tf = /^[ \t]*import[ \t]+tensorflow[ \t]+as[ \t]+(\w+)/m.exec(text);
  if (tf) return { name: `${tf[1]}.keras.layers.${layer}`, edits: [] };
  if (/^[ \t]*(?:import[ \t]+keras\b(?![.\w])|from[ \t]+tensorflow[ \t]+import[ \t]+(?:[^\n]*,[ \t]*)?keras\b(?![ \t]+as))/m.test(text)) return { name: `keras.layers.${layer}`, edits: [] };
  return undefined;
}

/** output_padding on transposed convolution `t` so that its output has `target`'s sides, by Keras's rule. */
function outputPaddingFix(text: string, t: KerasTransposedLayer, target: KerasMergeOperand): ModelShapeFix | undefined {
  const wanted = target.shape.slice(1, -1);
  const title = `Set output_padding on ${t.path} (${t.type}, line ${t.line}) to reach ${wanted.join('×')}`;
  if (t.file !== '') return { title, edits: [], disabled: `the ${t.type} is constructed in ${t.file}` };
  if (t.padding !== 'same' && t.padding !== 'valid') return undefined;
  const values: number[] = [];
  for (const [i, want] of wanted.entries()) {
    const n = t.inputShape[i + 1] as number;
    const s = t.strides[i] as number;
    const kk = ((t.kernel[i] as number) - 1) * (t.dilation[i] as number) + 1;
    if (![n, s, kk].every(Number.isSafeInteger)) return undefined;
    const base = (n - 1) * s + (t.padding === 'same' ? kk % 2 : kk);
    const p = want - base;
    if (p < 0 || p >= s) {
      return { title, edits: [], disabled: `output_padding adds 0 to ${s - 1} (it must be below the strides, ${s}) to the ${base} that ${t.path} makes from ${n} with padding "${t.padding}": ${want} cannot be reached` };
    }
    values.push(p);
  }
  const edit = outputPaddingEdit(text, t.line, values, /Conv(?:olution)?[123]DTranspose\s*\(/);
  const shown = values.every((v) => v === values[0]) ? String(values[0]) : `(${values.join(', ')})`;
  return edit ? { title: `Set output_padding=${shown} on ${t.path} (${t.type}, line ${t.line})`, edits: [edit] } : { title, edits: [], disabled: `the ${t.type} call on line ${t.line} could not be found` };
}

/**
 * The fix, disabled with the reason unless the model, read again from the edited text for the same
 * input, gets past the merge (`added`: the layers the fix inserts before it): it runs, or it stops
 * later at another place.
 */
function verified(text: string, problem: KerasShapeProblem, fix: ModelShapeFix, added: number): ModelShapeFix {
  const m = problem.keras;
  const edited = applyEdits(text, fix.edits);
  const shift = fix.edits.filter((e) => e.start < m.start).reduce((sum, e) => sum + e.newText.length - (e.end - e.start), 0);
  const after = followForward(edited, { className: problem.className, inputShape: problem.inputShape, args: problem.args });
  const stop = after.error ?? after.unknown;
  if (!stop) return fix;
  const again = after.error?.kerasMerge;
  if (again && again.start === m.start + shift) {
    const x = again.operands[0]?.shape ?? [];
    const y = again.operands[again.other]?.shape ?? [];
    const reason = (stop.steps ?? 0) > m.steps + added ? ' (for another call of the code it is in: a fixed size cannot suit every call)' : '';
    return { ...fix, disabled: `${m.layer.replace(/_\d+$/, '')} at line ${again.line} would still break${reason}: ${sidesOf(x)} and ${sidesOf(y)} for an input of ${sidesOf(problem.inputShape)}` };
  }
  if ((stop.steps ?? 0) > m.steps + added) return fix;
  return { ...fix, disabled: `the model would stop before the merge: ${stop.message}` };
}
