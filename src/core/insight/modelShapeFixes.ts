/**
 * The quick fixes of a size mismatch in a model's forward() (modelShape.ts), each one edit of the
 * document (one Undo restores it):
 *
 * - pad the resized tensor to the skip's size before the operation, as Pytorch-UNet's `Up` does
 *   (`diffY = x2.size()[2] - x1.size()[2]` … `F.pad(x1, [diffX // 2, diffX - diffX // 2, …])`);
 * - set `output_padding` on the transposed convolution that made it, solved with the inverse of the
 *   output-size formula (sizeSolver.ts) — offered only when that makes the sizes agree for this
 *   input, and otherwise shown disabled with the reason;
 * - resize it with `F.interpolate(x1, size=x2.shape[-2:])` in place.
 *
 * Each fix is checked by reading the edited text again for the same input: a fix after which the
 * same operation still breaks (another instance of a shared layer, say) is disabled, with that reason.
 */
import { parseModule } from '../model/pyParser';
import type { Stmt } from '../model/pyAst';
import type { MismatchOperand, ProducingLayer } from '../model/shapeMismatch';
import { followForward, matchingParen, mismatchRoles, sizeOf, type ModelShapeProblem } from './modelShape';
import { solveAxis } from './sizeSolver';

export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface ModelShapeFix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** Why the fix cannot be applied (shown greyed out with this reason), when it cannot. */
  readonly disabled?: string;
}

export function modelShapeFixes(text: string, problem: ModelShapeProblem): ModelShapeFix[] {
  const m = problem.mismatch;
  if (m.file !== '') return [];
  const { skip, resized } = mismatchRoles(m);
  const fixes: ModelShapeFix[] = [];
  const named = skip.name !== undefined && resized.name !== undefined && resized.start !== undefined && resized.end !== undefined;
  const rank = m.operands[0].shape.length;
  if (named && rank >= 3 && rank <= 5) {
    const fn = functionalName(text);
    const pad = padFix(text, problem, skip, resized, fn);
    if (pad) fixes.push(pad);
    const spatial = rank - 2;
    fixes.push({
      title: `Resize ${resized.name} to ${skip.name}'s size with F.interpolate`,
      edits: withImport(text, fn, [{ start: resized.start as number, end: resized.end as number, newText: `${fn.name}.interpolate(${resized.name}, size=${skip.name}.shape[-${spatial}:])` }]),
    });
  }
  const padding = outputPaddingFix(text, resized.layer, skip);
  if (padding) fixes.push(padding);
  return fixes.map((fix) => (fix.disabled ? fix : verified(text, problem, fix)));
}

/** The name `torch.nn.functional` is imported as, and whether an import must be added. */
function functionalName(text: string): { readonly name: string; readonly imported: boolean } {
  const as = /^\s*import\s+torch\.nn\.functional\s+as\s+(\w+)/m.exec(text) ?? /^\s*from\s+torch\.nn\s+import\s+functional\s+as\s+(\w+)/m.exec(text);
  if (as) return { name: as[1] as string, imported: true };
  if (/^\s*from\s+torch\.nn\s+import\s+functional\s*$/m.test(text)) return { name: 'functional', imported: true };
  return { name: 'F', imported: false };
}

/** `edits`, plus `import torch.nn.functional as F` after the imports at the top of the file when it is missing. */
function withImport(text: string, fn: { readonly imported: boolean }, edits: TextEdit[]): TextEdit[] {
  if (fn.imported) return edits;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let at = 0;
  // The first block of imports: the ones before the first line of code that follows an import.
  const line = /^(.*)$/gm;
  for (let match = line.exec(text); match && match.index < text.length; match = line.exec(text)) {
    const content = match[1] as string;
    if (/^(?:import|from)\s+\S/.test(content)) {
      // A parenthesised import goes on to its `)`.
      const open = content.indexOf('(');
      at = open >= 0 && !content.includes(')') ? matchingParen(text, match.index + open) + 1 : match.index + content.replace(/\r$/, '').length;
      line.lastIndex = Math.max(line.lastIndex, at);
    } else if (at > 0 && content.trim() !== '' && !content.trimStart().startsWith('#')) break;
    if (match[0] === '') line.lastIndex++;
  }
  const statement = `import torch.nn.functional as F`;
  const edit = at === 0 ? { start: 0, end: 0, newText: `${statement}${eol}` } : { start: at, end: at, newText: `${eol}${statement}` };
  return [edit, ...edits];
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Whether a statement of the file starts on `line` (1-based): lines can be inserted before it. */
function statementStartsOn(text: string, line: number): boolean {
  const lines = new Set<number>();
  const visit = (body: readonly Stmt[]): void => {
    for (const s of body) {
      lines.add(s.line);
      if (s.t === 'if') {
        for (const [, b] of s.branches) visit(b);
        visit(s.orelse);
      } else if (s.t === 'for' || s.t === 'while' || s.t === 'with') visit(s.body);
      else if (s.t === 'try') {
        visit(s.body);
        visit(s.final);
      } else if (s.t === 'def') visit(s.def.body);
      else if (s.t === 'class') visit(s.def.body);
    }
  };
  visit(parseModule(text));
  return lines.has(line);
}

function padFix(text: string, problem: ModelShapeProblem, skip: MismatchOperand, resized: MismatchOperand, fn: { readonly name: string; readonly imported: boolean }): ModelShapeFix | undefined {
  const m = problem.mismatch;
  if (!statementStartsOn(text, m.line)) return undefined;
  const start = lineStartOf(text, m.start);
  const indent = /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const s = skip.name as string;
  const r = resized.name as string;
  const rank = m.operands[0].shape.length;
  const axes = rank === 3 ? ['X'] : rank === 4 ? ['Y', 'X'] : ['Z', 'Y', 'X'];
  // F.pad lists the last axis first: [left, right, top, bottom, …].
  const lines = axes.map((a, i) => `${indent}diff${a} = ${s}.size()[${i + 2}] - ${r}.size()[${i + 2}]`);
  const pads = [...axes].reverse().map((a) => `diff${a} // 2, diff${a} - diff${a} // 2`);
  lines.push(`${indent}${r} = ${fn.name}.pad(${r}, [${pads.join(', ')}])`);
  return {
    title: `Pad ${r} to ${s}'s size before ${m.op} (as Pytorch-UNet's Up does)`,
    edits: withImport(text, fn, [{ start, end: start, newText: lines.map((l) => l + eol).join('') }]),
  };
}

const TRANSPOSED: Readonly<Record<string, 'convTranspose1d' | 'convTranspose2d'>> = { ConvTranspose1d: 'convTranspose1d', ConvTranspose2d: 'convTranspose2d' };

const perAxis = (v: number | readonly number[] | undefined, n: number, fallback: number): number[] => Array.from({ length: n }, (_, i) => (typeof v === 'number' ? v : (v?.[i] ?? fallback)));

function outputPaddingFix(text: string, layer: ProducingLayer | undefined, skip: MismatchOperand): ModelShapeFix | undefined {
  if (!layer) return undefined;
  const op = TRANSPOSED[layer.type];
  if (!op) return undefined;
  const title = `Set output_padding on ${layer.path || layer.type} (${layer.type}, line ${layer.line}) to reach ${sizeOf(skip.shape)}`;
  if (layer.file !== '') return { title, edits: [], disabled: `the ${layer.type} is constructed in ${layer.file}` };
  const n = layer.outputShape.length - 2;
  const stride = perAxis(layer.args.stride, n, 1);
  const padding = perAxis(layer.args.padding, n, 0);
  const kernel = perAxis(layer.args.kernel_size, n, 1);
  const dilation = perAxis(layer.args.dilation, n, 1);
  const current = perAxis(layer.args.output_padding, n, 0);
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    const input = layer.inputShape[i + 2] as number;
    const wanted = skip.shape[i + 2] as number;
    const axis = { kernel: kernel[i] as number, stride: stride[i] as number, padding: padding[i] as number, outputPadding: current[i] as number, dilation: dilation[i] as number };
    const found = wanted >= 1 ? solveAxis(op, axis, input, wanted).find((s) => !s.kernelChanged && s.axis.padding === axis.padding) : undefined;
    if (!found) {
      const limit = Math.max(axis.stride, axis.dilation) - 1;
      return { title, edits: [], disabled: `output_padding adds 0 to ${limit} to the ${input} → ${layer.outputShape[i + 2]} of ${layer.path || layer.type} (stride ${axis.stride}): ${wanted} cannot be reached with padding=${axis.padding}` };
    }
    values.push(found.axis.outputPadding);
  }
  const edit = outputPaddingEdit(text, layer.line, values);
  return edit ? { title: `Set output_padding=${valueText(values)} on ${layer.path || layer.type} (${layer.type}, line ${layer.line})`, edits: [edit] } : { title, edits: [], disabled: `the ${layer.type} call on line ${layer.line} could not be found` };
}

const valueText = (values: readonly number[]) => (values.every((v) => v === values[0]) ? String(values[0]) : `(${values.join(', ')})`);

/**
 * Sets `output_padding=` in the transposed convolution constructed on `line` (`constructor`: how its
 * class is written, PyTorch's by default, Keras's `Conv2DTranspose(` for kerasShapeFixes.ts):
 * replaces the keyword's value, or adds the keyword.
 */
export function outputPaddingEdit(text: string, line: number, values: readonly number[], constructor = /ConvTranspose[123]d\s*\(/): TextEdit | undefined {
  let lineStart = 0;
  for (let l = 1; l < line; l++) {
    lineStart = text.indexOf('\n', lineStart) + 1;
    if (lineStart === 0) return undefined;
  }
  const name = constructor.exec(text.slice(lineStart));
  if (!name) return undefined;
  const open = lineStart + name.index + name[0].length - 1;
  const close = matchingParen(text, open);
  if (close < 0) return undefined;
  const inner = text.slice(open + 1, close);
  const value = valueText(values);
  const existing = /\boutput_padding\s*=\s*/.exec(inner);
  if (existing) {
    const from = open + 1 + existing.index + existing[0].length;
    // The value runs to the next comma at depth 0, or the `)`.
    let depth = 0;
    let to = from;
    for (; to < close; to++) {
      const c = text[to];
      if (c === '(' || c === '[') depth++;
      else if (c === ')' || c === ']') depth--;
      else if (c === ',' && depth === 0) break;
    }
    const end = from + text.slice(from, to).trimEnd().length;
    return { start: from, end, newText: value };
  }
  const last = open + 1 + inner.trimEnd().length;
  if (text[last - 1] === ',') {
    // A call written one argument per line keeps that layout.
    const multiline = text.slice(last, close).includes('\n');
    if (multiline) {
      const prevStart = lineStartOf(text, last - 1);
      const indent = /^[ \t]*/.exec(text.slice(prevStart))?.[0] ?? '';
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      return { start: last, end: last, newText: `${eol}${indent}output_padding=${value},` };
    }
    return { start: last, end: last, newText: ` output_padding=${value}` };
  }
  return { start: last, end: last, newText: `${inner.trim() === '' ? '' : ', '}output_padding=${value}` };
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** The fix, disabled with the reason when the operation still breaks after it for the same input. */
function verified(text: string, problem: ModelShapeProblem, fix: ModelShapeFix): ModelShapeFix {
  const m = problem.mismatch;
  const edited = applyEdits(text, fix.edits);
  const shift = fix.edits.filter((e) => e.start <= m.start).reduce((sum, e) => sum + e.newText.length - (e.end - e.start), 0);
  const after = followForward(edited, { className: problem.className, inputShape: m.inputShape, args: problem.args });
  const still = after.error?.mismatch;
  if (!still || still.start !== m.start + shift) return fix;
  const [a, b] = still.operands;
  return { ...fix, disabled: `${m.op} at line ${still.line} would still break: ${sizeOf(a.shape)} and ${sizeOf(b.shape)} for an input of ${m.inputShape.join('×')}${fix.title.startsWith('Set output_padding') ? ' (the layer is built by code that several blocks share)' : ''}` };
}
