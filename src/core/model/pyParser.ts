/**
 * A small Python parser for the model reader: statements by indentation (expressions are
 * `pyExpressions.ts`'s). It reads what model definitions are written with and
 * turns anything else into an `other` statement (never an exception), so one unusual line leaves
 * the rest of a class readable.
 */
import type { ClassDef, Expr, FunctionDef, Param, Stmt } from './pyAst';
import { SyntaxProblem } from './pyAst';
import { ExprParser, parseExpression } from './pyExpressions';
import { LineIndex, logicalLines, pyTokens, type LogicalLine, type PyToken } from './pyTokens';

const AUGMENTED = new Set(['+=', '-=', '*=', '/=', '//=', '%=', '**=', '@=', '|=', '&=']);

/** A whole file's statements. `file` names it in the classes it defines. */
export function parseModule(text: string, file = ''): Stmt[] {
  const lines = new LineIndex(text);
  const logical = logicalLines(text, pyTokens(text), lines);
  const reader = new BlockReader(logical, file);
  return reader.block(-1);
}

class BlockReader {
  i = 0;
  constructor(
    private readonly lines: readonly LogicalLine[],
    private readonly file: string,
  ) {}

  /** The statements indented more than `parentIndent`, from the current line on. */
  block(parentIndent: number): Stmt[] {
    const out: Stmt[] = [];
    const first = this.lines[this.i];
    if (!first || first.indent <= parentIndent) return out;
    const indent = first.indent;
    while (this.i < this.lines.length && (this.lines[this.i] as LogicalLine).indent >= indent) {
      const line = this.lines[this.i] as LogicalLine;
      if (line.indent > indent) {
        this.i++; // stray deeper line (a decorator's continuation, broken code): skipped
        continue;
      }
      const stmt = this.statement(line);
      if (stmt) out.push(stmt);
    }
    return out;
  }

  /** The body after a header ending at `colon`: the rest of the line, or the indented block below. */
  private suite(line: LogicalLine, colon: number): Stmt[] {
    this.i++;
    const rest = line.tokens.slice(colon + 1);
    if (rest.length > 0) return [simpleStatement(rest, line.line)];
    return this.block(line.indent);
  }

  private statement(line: LogicalLine): Stmt | undefined {
    const tokens = line.tokens;
    const head = tokens[0] as PyToken;
    const word = head.kind === 'name' ? head.text : '';
    const colon = headerColon(tokens);
    try {
      switch (word) {
        case 'if': {
          const branches: [Expr, Stmt[]][] = [[parseExpression(tokens.slice(1, colon)), this.suite(line, colon)]];
          let orelse: Stmt[] = [];
          for (;;) {
            const next = this.lines[this.i];
            if (!next || next.indent !== line.indent) break;
            const w = (next.tokens[0] as PyToken).text;
            const c = headerColon(next.tokens);
            if (w === 'elif') branches.push([parseExpression(next.tokens.slice(1, c)), this.suite(next, c)]);
            else if (w === 'else') {
              orelse = this.suite(next, c);
              break;
            } else break;
          }
          return { t: 'if', branches, orelse, line: line.line };
        }
        case 'for': {
          const p = new ExprParser(tokens.slice(1, colon));
          const target = p.targetList();
          if (!p.isWord('in')) throw new SyntaxProblem(p.here(), 'expected in');
          p.pos++;
          const iter = p.exprList();
          const body = this.suite(line, colon);
          this.skipElse(line);
          return { t: 'for', target, iter, body, line: line.line };
        }
        case 'while': {
          const cond = parseExpression(tokens.slice(1, colon));
          const body = this.suite(line, colon);
          this.skipElse(line);
          return { t: 'while', cond, body, line: line.line };
        }
        case 'def':
          return { t: 'def', def: this.functionDef(line, colon), line: line.line };
        case 'class':
          return { t: 'class', def: this.classDef(line, colon), line: line.line };
        case 'with':
          return { t: 'with', body: this.suite(line, colon), line: line.line };
        case 'try': {
          const body = this.suite(line, colon);
          let final: Stmt[] = [];
          for (;;) {
            const next = this.lines[this.i];
            if (!next || next.indent !== line.indent) break;
            const w = (next.tokens[0] as PyToken).text;
            if (w !== 'except' && w !== 'else' && w !== 'finally') break;
            const handler = this.suite(next, headerColon(next.tokens));
            if (w === 'finally') final = handler;
          }
          return { t: 'try', body, final, line: line.line };
        }
        case 'async':
        case 'elif':
        case 'else':
        case 'except':
        case 'finally':
          this.suite(line, colon);
          return { t: 'other', text: word, line: line.line };
        default:
          if (head.kind === 'op' && head.text === '@') {
            this.i++;
            return undefined;
          }
          this.i++;
          return simpleStatement(tokens, line.line);
      }
    } catch (e) {
      if (!(e instanceof SyntaxProblem)) throw e;
      if (colon > 0 && this.i < this.lines.length && (this.lines[this.i] as LogicalLine) === line) this.suite(line, colon);
      else if ((this.lines[this.i] as LogicalLine | undefined) === line) this.i++;
      const problem: Stmt = { t: 'other', text: e.message, line: line.line };
      // A method whose header cannot be read still exists: calling it says why it is not read.
      const name = tokens[1];
      if (word === 'def' && name?.kind === 'name') return { t: 'def', def: { name: name.text, params: [], body: [problem], line: line.line }, line: line.line };
      return problem;
    }
  }

  private skipElse(header: LogicalLine): void {
    const next = this.lines[this.i];
    if (next && next.indent === header.indent && (next.tokens[0] as PyToken).text === 'else') this.suite(next, headerColon(next.tokens));
  }

  private functionDef(line: LogicalLine, colon: number): FunctionDef {
    const tokens = line.tokens;
    const p = new ExprParser(tokens.slice(0, colon));
    p.pos = 1;
    const name = p.name();
    p.expectOp('(');
    const params: Param[] = [];
    while (!p.isOp(')')) {
      let star: 1 | 2 | undefined;
      if (p.isOp('*') || p.isOp('**')) {
        star = p.isOp('*') ? 1 : 2;
        p.pos++;
        if (p.isOp(',')) {
          p.pos++;
          continue; // bare `*`: keyword-only marker
        }
      }
      if (p.isOp('/')) {
        p.pos++;
        if (p.isOp(',')) p.pos++;
        continue;
      }
      const pname = p.name();
      if (p.isOp(':')) {
        p.pos++;
        p.test(); // annotation
      }
      let def: Expr | undefined;
      if (p.isOp('=')) {
        p.pos++;
        def = p.test();
      }
      params.push({ name: pname, default: def, star });
      if (p.isOp(',')) p.pos++;
      else if (!p.isOp(')')) throw new SyntaxProblem(p.here(), 'expected , or )');
    }
    return { name, params, body: this.suite(line, colon), line: line.line };
  }

  private classDef(line: LogicalLine, colon: number): ClassDef {
    const tokens = line.tokens;
    const name = (tokens[1] as PyToken).text;
    let bases: Expr[] = [];
    if (tokens[2]?.text === '(') {
      const e = parseExpression(tokens.slice(2, colon));
      bases = e.t === 'tuple' ? [...e.items] : [e];
    }
    return { name, bases, body: this.suite(line, colon), line: line.line, file: this.file };
  }
}

/** The first `:` outside brackets (a compound statement's header end), or -1. */
function headerColon(tokens: readonly PyToken[]): number {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as PyToken;
    if (t.kind !== 'op') continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
    else if (t.text === ':' && depth === 0) return i;
  }
  return -1;
}

/** Assignment, augmented assignment, return, import… or an expression statement. */
function simpleStatement(tokens: readonly PyToken[], line: number): Stmt {
  const head = tokens[0] as PyToken;
  try {
    if (head.kind === 'name') {
      switch (head.text) {
        case 'return':
          return tokens.length === 1 ? { t: 'return', line } : { t: 'return', e: parseExpression(tokens.slice(1)), line };
        case 'pass':
        case 'break':
        case 'continue':
          return { t: head.text, line };
        case 'raise':
          return { t: 'raise', line };
        case 'import':
          return { t: 'import', names: importNames(tokens.slice(1)), line };
        case 'from': {
          const importAt = tokens.findIndex((t) => t.kind === 'name' && t.text === 'import');
          const module = tokens
            .slice(1, importAt)
            .map((t) => t.text)
            .join('');
          return { t: 'from', module, names: importNames(tokens.slice(importAt + 1).filter((t) => t.text !== '(' && t.text !== ')')), line };
        }
        case 'assert':
        case 'global':
        case 'nonlocal':
        case 'del':
        case 'print':
          return { t: 'other', text: head.text, line };
        default:
      }
    }
    // Split on top-level `=` (chained assignment) or find an augmented operator.
    let depth = 0;
    const cuts: number[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i] as PyToken;
      if (t.kind !== 'op') continue;
      if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
      else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
      else if (depth === 0 && AUGMENTED.has(t.text)) {
        return { t: 'aug', target: parseExpression(tokens.slice(0, i)), op: t.text.slice(0, -1), value: parseExpression(tokens.slice(i + 1)), line };
      } else if (depth === 0 && t.text === '=') cuts.push(i);
    }
    if (cuts.length === 0) return { t: 'expr', e: parseExpression(tokens), line };
    const parts: Expr[] = [];
    let from = 0;
    for (const cut of cuts) {
      parts.push(annotatedTarget(tokens.slice(from, cut)));
      from = cut + 1;
    }
    return { t: 'assign', targets: parts, value: parseExpression(tokens.slice(from)), line };
  } catch (e) {
    if (e instanceof SyntaxProblem) return { t: 'other', text: e.message, line };
    throw e;
  }
}

/** `x: int` as an assignment target is `x`. */
function annotatedTarget(tokens: readonly PyToken[]): Expr {
  const colon = headerColon(tokens);
  return parseExpression(colon > 0 ? tokens.slice(0, colon) : tokens);
}

function importNames(tokens: readonly PyToken[]): [string, string][] {
  const out: [string, string][] = [];
  let dotted = '';
  let alias: string | undefined;
  let expectAlias = false;
  const flush = (): void => {
    if (dotted) out.push([dotted, alias ?? dotted]);
    dotted = '';
    alias = undefined;
  };
  for (const t of tokens) {
    if (t.text === ',') flush();
    else if (t.text === 'as') expectAlias = true;
    else if (expectAlias) {
      alias = t.text;
      expectAlias = false;
    } else dotted += t.text;
  }
  flush();
  return out;
}

export { parseExpression };

/** The last files parsed: a Keras model is read again for every input size searched (kerasModel.ts), from the same text. */
const parsed = new Map<string, Stmt[]>();
const PARSED_KEPT = 8;

export function parsedModule(text: string, name: string): Stmt[] {
  const key = `${name}\u0000${text}`;
  let body = parsed.get(key);
  if (!body) {
    body = parseModule(text, name);
    parsed.set(key, body);
    if (parsed.size > PARSED_KEPT) parsed.delete(parsed.keys().next().value as string);
  }
  return body;
}
