/**
 * Python expressions for the model reader, by precedence climbing over one logical line's tokens:
 * literals and displays, comprehensions, calls with keywords and `*`/`**`, subscripts and slices,
 * operators, comparisons, `and`/`or`/`not`, conditional expressions and lambdas.
 */
import type { Arg, Expr, Generator, Param } from './pyAst';
import { SyntaxProblem } from './pyAst';
import type { PyToken } from './pyTokens';

const COMPARISONS = new Set(['==', '!=', '<', '>', '<=', '>=', 'in', 'is', 'not']);

export class ExprParser {
  pos = 0;
  constructor(private readonly tokens: readonly PyToken[]) {}

  peek(offset = 0): PyToken | undefined {
    return this.tokens[this.pos + offset];
  }
  isOp(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && t.kind === 'op' && t.text === text;
  }
  isWord(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && t.kind === 'name' && t.text === text;
  }
  get done(): boolean {
    return this.pos >= this.tokens.length;
  }
  here(): number {
    return this.peek()?.start ?? this.tokens[this.tokens.length - 1]?.end ?? 0;
  }
  expectOp(text: string): void {
    if (!this.isOp(text)) throw new SyntaxProblem(this.here(), `expected ${text}`);
    this.pos++;
  }
  name(): string {
    const t = this.peek();
    if (!t || t.kind !== 'name') throw new SyntaxProblem(this.here(), 'expected a name');
    this.pos++;
    return t.text;
  }

  /** `a, b` as a tuple, or a single expression (the form of assignment sides and `return`). */
  exprList(stopWords: readonly string[] = []): Expr {
    const at = this.here();
    const first = this.starOr();
    if (!this.isOp(',')) return first;
    const items = [first];
    while (this.isOp(',')) {
      this.pos++;
      if (this.done || this.isOp('=') || this.isOp(':') || stopWords.some((w) => this.isWord(w))) break;
      items.push(this.starOr());
    }
    return { t: 'tuple', items, at };
  }

  starOr(): Expr {
    if (this.isOp('*')) {
      const at = this.here();
      this.pos++;
      return { t: 'star', e: this.or(), at };
    }
    return this.test();
  }

  test(): Expr {
    if (this.isWord('lambda')) return this.lambda();
    const at = this.here();
    const a = this.or();
    if (this.isWord('if') && !this.inComprehensionCondition) {
      this.pos++;
      const cond = this.or();
      if (!this.isWord('else')) throw new SyntaxProblem(this.here(), 'expected else');
      this.pos++;
      return { t: 'ifexp', cond, a, b: this.test(), at };
    }
    return a;
  }
  private inComprehensionCondition = false;

  lambda(): Expr {
    const at = this.here();
    this.pos++;
    const params: Param[] = [];
    while (!this.isOp(':')) {
      params.push({ name: this.name() });
      if (this.isOp(',')) this.pos++;
    }
    this.pos++;
    return { t: 'lambda', params, body: this.test(), at };
  }

  or(): Expr {
    return this.boolChain('or', () => this.and());
  }
  and(): Expr {
    return this.boolChain('and', () => this.not());
  }
  boolChain(op: 'and' | 'or', next: () => Expr): Expr {
    const at = this.here();
    const first = next();
    if (!this.isWord(op)) return first;
    const items = [first];
    while (this.isWord(op)) {
      this.pos++;
      items.push(next());
    }
    return { t: 'bool', op, items, at };
  }
  not(): Expr {
    if (this.isWord('not')) {
      const at = this.here();
      this.pos++;
      return { t: 'un', op: 'not', e: this.not(), at };
    }
    return this.comparison();
  }
  comparison(): Expr {
    const at = this.here();
    const first = this.binary(0);
    const ops: string[] = [];
    const items = [first];
    for (;;) {
      const t = this.peek();
      if (!t || !COMPARISONS.has(t.text) || (t.kind === 'str' || t.kind === 'num')) break;
      if (t.text === 'not' && !this.isWord('in', 1)) break;
      this.pos++;
      let op = t.text;
      if (op === 'not') {
        this.pos++;
        op = 'not in';
      } else if (op === 'is' && this.isWord('not')) {
        this.pos++;
        op = 'is not';
      }
      ops.push(op);
      items.push(this.binary(0));
    }
    return ops.length === 0 ? first : { t: 'cmp', ops, items, at };
  }

  private static readonly LEVELS: readonly (readonly string[])[] = [['|'], ['^'], ['&'], ['<<', '>>'], ['+', '-'], ['*', '/', '//', '%', '@']];

  binary(level: number): Expr {
    if (level >= ExprParser.LEVELS.length) return this.unary();
    const at = this.here();
    let left = this.binary(level + 1);
    const ops = ExprParser.LEVELS[level] as readonly string[];
    for (;;) {
      const t = this.peek();
      if (!t || t.kind !== 'op' || !ops.includes(t.text)) return left;
      this.pos++;
      left = { t: 'bin', op: t.text, l: left, r: this.binary(level + 1), at };
    }
  }
  unary(): Expr {
    const t = this.peek();
    if (t && t.kind === 'op' && (t.text === '-' || t.text === '+' || t.text === '~')) {
      this.pos++;
      return { t: 'un', op: t.text, e: this.unary(), at: t.start };
    }
    return this.power();
  }
  power(): Expr {
    const at = this.here();
    const base = this.postfix();
    if (this.isOp('**')) {
      this.pos++;
      return { t: 'bin', op: '**', l: base, r: this.unary(), at };
    }
    return base;
  }
  postfix(): Expr {
    let e = this.atom();
    for (;;) {
      if (this.isOp('.')) {
        this.pos++;
        e = { t: 'attr', obj: e, name: this.name(), at: e.at };
      } else if (this.isOp('(')) {
        this.pos++;
        e = { t: 'call', fn: e, args: this.callArgs(), at: e.at };
      } else if (this.isOp('[')) {
        this.pos++;
        e = { t: 'sub', obj: e, index: this.subscript(), at: e.at };
      } else return e;
    }
  }
  callArgs(): Arg[] {
    const args: Arg[] = [];
    while (!this.isOp(')')) {
      if (this.done) throw new SyntaxProblem(this.here(), 'unclosed call');
      if (this.isOp('*') || this.isOp('**')) {
        const star = this.isOp('*') ? 1 : 2;
        this.pos++;
        args.push({ star, value: this.test() });
      } else if (this.peek()?.kind === 'name' && this.isOp('=', 1)) {
        const name = this.name();
        this.pos++;
        args.push({ name, value: this.test() });
      } else {
        const value = this.test();
        if (this.isWord('for')) args.push({ value: this.comprehension('gen', value, undefined, value.at) });
        else args.push({ value });
      }
      if (this.isOp(',')) this.pos++;
      else if (!this.isOp(')')) throw new SyntaxProblem(this.here(), 'expected , or )');
    }
    this.pos++;
    return args;
  }
  subscript(): Expr {
    const at = this.here();
    const items: Expr[] = [];
    let tuple = false;
    while (!this.isOp(']')) {
      items.push(this.sliceItem());
      if (this.isOp(',')) {
        tuple = true;
        this.pos++;
      } else if (!this.isOp(']')) throw new SyntaxProblem(this.here(), 'expected ]');
    }
    this.pos++;
    return tuple || items.length !== 1 ? { t: 'tuple', items, at } : (items[0] as Expr);
  }
  sliceItem(): Expr {
    const at = this.here();
    const lo = this.isOp(':') ? undefined : this.test();
    if (!this.isOp(':')) return lo as Expr;
    this.pos++;
    const hi = this.isOp(':') || this.isOp(']') || this.isOp(',') ? undefined : this.test();
    let step: Expr | undefined;
    if (this.isOp(':')) {
      this.pos++;
      step = this.isOp(']') || this.isOp(',') ? undefined : this.test();
    }
    return { t: 'slice', lo, hi, step, at };
  }
  atom(): Expr {
    const t = this.peek();
    if (!t) throw new SyntaxProblem(this.here(), 'expected an expression');
    this.pos++;
    if (t.kind === 'num') return { t: 'num', v: t.value as number, int: t.integer === true, at: t.start };
    if (t.kind === 'str') return { t: 'str', v: t.text, format: t.format === true, at: t.start };
    if (t.kind === 'name') return { t: 'name', id: t.text, at: t.start };
    if (t.text === '(') {
      if (this.isOp(')')) {
        this.pos++;
        return { t: 'tuple', items: [], at: t.start };
      }
      const first = this.starOr();
      if (this.isWord('for')) {
        const comp = this.comprehension('gen', first, undefined, t.start);
        this.expectOp(')');
        return comp;
      }
      if (this.isOp(')')) {
        this.pos++;
        return first;
      }
      const items = [first];
      while (this.isOp(',')) {
        this.pos++;
        if (this.isOp(')')) break;
        items.push(this.starOr());
      }
      this.expectOp(')');
      return { t: 'tuple', items, at: t.start };
    }
    if (t.text === '[') return this.listDisplay(t.start);
    if (t.text === '{') return this.dictDisplay(t.start);
    if (t.text === '...') return { t: 'name', id: 'Ellipsis', at: t.start };
    throw new SyntaxProblem(t.start, `unexpected ${t.text}`);
  }
  listDisplay(at: number): Expr {
    const items: Expr[] = [];
    while (!this.isOp(']')) {
      const item = this.starOr();
      if (this.isWord('for')) {
        const comp = this.comprehension('list', item, undefined, at);
        this.expectOp(']');
        return comp;
      }
      items.push(item);
      if (this.isOp(',')) this.pos++;
      else if (!this.isOp(']')) throw new SyntaxProblem(this.here(), 'expected , or ]');
    }
    this.pos++;
    return { t: 'list', items, at };
  }
  dictDisplay(at: number): Expr {
    const entries: (readonly [Expr, Expr])[] = [];
    const items: Expr[] = [];
    while (!this.isOp('}')) {
      const key = this.test();
      if (this.isOp(':')) {
        this.pos++;
        const value = this.test();
        if (this.isWord('for')) {
          const comp = this.comprehension('dict', value, key, at);
          this.expectOp('}');
          return comp;
        }
        entries.push([key, value]);
      } else if (this.isWord('for')) {
        const comp = this.comprehension('set', key, undefined, at);
        this.expectOp('}');
        return comp;
      } else items.push(key);
      if (this.isOp(',')) this.pos++;
      else if (!this.isOp('}')) throw new SyntaxProblem(this.here(), 'expected , or }');
    }
    this.pos++;
    return items.length > 0 ? { t: 'set', items, at } : { t: 'dict', entries, at };
  }
  comprehension(kind: 'list' | 'gen' | 'dict' | 'set', elt: Expr, key: Expr | undefined, at: number): Expr {
    const gens: Generator[] = [];
    while (this.isWord('for')) {
      this.pos++;
      const target = this.targetList();
      if (!this.isWord('in')) throw new SyntaxProblem(this.here(), 'expected in');
      this.pos++;
      const iter = this.or();
      const conds: Expr[] = [];
      while (this.isWord('if')) {
        this.pos++;
        const saved = this.inComprehensionCondition;
        this.inComprehensionCondition = true;
        conds.push(this.or());
        this.inComprehensionCondition = saved;
      }
      gens.push({ target, iter, conds });
    }
    return { t: 'comp', kind, elt, key, gens, at };
  }
  /** `i`, `(a, b)`, `a, b`: the target of a `for`. */
  targetList(): Expr {
    const at = this.here();
    const items = [this.postfix()];
    while (this.isOp(',')) {
      this.pos++;
      items.push(this.postfix());
    }
    return items.length === 1 ? (items[0] as Expr) : { t: 'tuple', items, at };
  }
}

/** Parses one expression from tokens (all of them must be used). */
export function parseExpression(tokens: readonly PyToken[]): Expr {
  const p = new ExprParser(tokens);
  const e = p.exprList();
  if (!p.done) throw new SyntaxProblem(p.here(), `unexpected ${p.peek()?.text ?? ''}`);
  return e;
}

