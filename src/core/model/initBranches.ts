/**
 * Which branch of an `if`/`elif`/`else` in a module's `__init__` the constructor's default
 * arguments take, for the stack view's reading of `__init__` (`if norm_type == "spatial": … else:
 * nn.GroupNorm(…)` in diffusers' Decoder): the conditions are evaluated with the defaults and the
 * file's constants by the model reader's evaluator; when one cannot be, the branches are
 * alternatives, and said to be.
 */
import { Interpreter } from './interpreter';
import { parseExpression, parseModule } from './pyParser';
import { pyTokens } from './pyTokens';
import { Scope, truthy, unknown, type Value } from './values';

export type BranchVerdict =
  /** Not in a branch, or in the branch the defaults take. */
  | { readonly kind: 'taken' }
  /** In a branch the defaults do not take. */
  | { readonly kind: 'skipped' }
  /** The defaults do not decide: `condition` is the branch's own (`else` for an else). */
  | { readonly kind: 'alternative'; readonly condition: string };

interface Header {
  readonly offset: number;
  readonly indent: number;
  readonly word: 'if' | 'elif' | 'else';
  readonly condition: string;
}

interface Line {
  readonly start: number;
  readonly indent: number;
  readonly text: string;
}

function lineAt(text: string, start: number): Line {
  const end = text.indexOf('\n', start);
  const raw = text.slice(start, end < 0 ? text.length : end);
  const stripped = raw.trimStart();
  return { start, indent: raw.length - stripped.length, text: stripped };
}

/** The code lines above `offset`'s line, nearest first (blank and comment lines left out). */
function* linesAbove(text: string, offset: number, limit: number): Generator<Line> {
  let end = text.lastIndexOf('\n', offset - 1);
  for (let n = 0; end > limit && n < 5000; n++) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = lineAt(text, start);
    if (line.text !== '' && !line.text.startsWith('#')) yield line;
    end = start - 1;
  }
}

const HEADER = /^(if|elif|else)\b\s*(.*?)\s*:\s*(#.*)?$/s;

/** The `if` chain headers from the `if` down to the header of the branch holding `offset`'s line, innermost chain first. */
function chainsOf(text: string, offset: number, defStart: number, defIndent: number): Header[][] {
  const chains: Header[][] = [];
  let indent = lineAt(text, text.lastIndexOf('\n', offset - 1) + 1).indent;
  let at = offset;
  for (;;) {
    let header: Header | undefined;
    for (const line of linesAbove(text, at, defStart)) {
      if (line.indent >= indent) continue;
      const m = HEADER.exec(line.text);
      if (m && line.indent > defIndent) header = { offset: line.start, indent: line.indent, word: m[1] as Header['word'], condition: m[2] ?? '' };
      break;
    }
    if (!header) return chains;
    const chain: Header[] = [header];
    if (header.word !== 'if') {
      for (const line of linesAbove(text, header.offset, defStart)) {
        if (line.indent > header.indent) continue;
        const m = HEADER.exec(line.text);
        if (line.indent < header.indent || !m || m[1] === 'else') return chains; // broken chain: not read
        chain.unshift({ offset: line.start, indent: line.indent, word: m[1] as Header['word'], condition: m[2] ?? '' });
        if (m[1] === 'if') break;
      }
    }
    chains.push(chain);
    indent = header.indent;
    at = (chain[0] as Header).offset;
  }
}

/** Evaluates conditions of one `__init__` with its defaults; made once per document read. */
export class InitConditions {
  private interpreter: Interpreter | undefined;
  private readonly scopes = new Map<number, Scope | null>();

  constructor(readonly text: string) {}

  private scopeOf(defStart: number): Scope | null {
    const cached = this.scopes.get(defStart);
    if (cached !== undefined) return cached;
    let scope: Scope | null = null;
    try {
      this.interpreter ??= new Interpreter(this.text);
      const interpreter = this.interpreter;
      // The header as written (its lines inside brackets, comments and all), with a body to parse.
      const header = this.text.slice(defStart, headerEnd(this.text, defStart));
      const [stmt] = parseModule(`${header}\n    pass\n`);
      if (stmt?.t === 'def') {
        const globals = interpreter.globalsOf('');
        const local = new Scope(globals);
        interpreter.within('', true, () => {
          for (const p of stmt.def.params) local.set(p.name, p.default ? safeEval(interpreter, p.default, globals) : unknown(`${p.name} has no default`));
        });
        scope = local;
      }
    } catch {
      scope = null;
    }
    this.scopes.set(defStart, scope);
    return scope;
  }

  /** Whether the default arguments take the branch holding `offset` (see {@link BranchVerdict}). */
  verdict(offset: number, defStart: number, defIndent: number): BranchVerdict {
    const chains = chainsOf(this.text, offset, defStart, defIndent);
    for (const chain of chains) {
      const own = chain[chain.length - 1] as Header;
      const taken = this.takenIndex(chain, defStart);
      if (taken === undefined) return { kind: 'alternative', condition: own.word === 'else' ? 'else' : own.condition };
      if (taken !== chain.length - 1) return { kind: 'skipped' };
    }
    return { kind: 'taken' };
  }

  /** The index of the branch taken, as far as the chain goes (its length when none up to it is), or undefined. */
  private takenIndex(chain: readonly Header[], defStart: number): number | undefined {
    const scope = this.scopeOf(defStart);
    const interpreter = this.interpreter;
    if (!scope || !interpreter) return undefined;
    for (let i = 0; i < chain.length; i++) {
      const header = chain[i] as Header;
      if (header.word === 'else') return i;
      try {
        const value = interpreter.within('', true, () => interpreter.eval(parseExpression(pyTokens(header.condition)), scope));
        if (truthy(value)) return i;
      } catch {
        return undefined;
      }
    }
    return chain.length;
  }
}

/** The end of a `def` header starting at `start`: just past its `:` outside brackets. */
function headerEnd(text: string, start: number): number {
  let depth = 0;
  for (let p = start; p < text.length; p++) {
    const c = text[p];
    if (c === '#') p = text.indexOf('\n', p) < 0 ? text.length : text.indexOf('\n', p);
    else if (c === '"' || c === "'") p = Math.max(p, text.indexOf(c, p + 1));
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ':' && depth === 0) return p + 1;
  }
  return text.length;
}

let lastConditions: InitConditions | undefined;

/** The conditions of `text`'s `__init__`s, one reader for the text last asked about (a document is read stack by stack). */
export function conditionsFor(text: string): InitConditions {
  if (lastConditions?.text !== text) lastConditions = new InitConditions(text);
  return lastConditions;
}

function safeEval(interpreter: Interpreter, expr: Parameters<Interpreter['eval']>[0], scope: Scope): Value {
  try {
    return interpreter.eval(expr, scope);
  } catch (e) {
    return unknown(e instanceof Error ? e.message : String(e));
  }
}
