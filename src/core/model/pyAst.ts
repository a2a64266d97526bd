/**
 * The syntax tree of the Python the model reader understands: the statements and expressions of
 * `__init__` and `forward` bodies, module-level constants, classes and helper functions. Every node
 * keeps its source offset (`at`) so that a problem is reported on its line.
 */

export interface Arg {
  readonly name?: string;
  /** `*args` (1) or `**kwargs` (2). */
  readonly star?: 1 | 2;
  readonly value: Expr;
}

export interface Generator {
  readonly target: Expr;
  readonly iter: Expr;
  readonly conds: readonly Expr[];
}

export type Expr = { readonly at: number } & (
  | { readonly t: 'num'; readonly v: number; readonly int: boolean }
  | { readonly t: 'str'; readonly v: string; readonly format: boolean }
  | { readonly t: 'name'; readonly id: string }
  | { readonly t: 'attr'; readonly obj: Expr; readonly name: string }
  | { readonly t: 'call'; readonly fn: Expr; readonly args: readonly Arg[] }
  | { readonly t: 'sub'; readonly obj: Expr; readonly index: Expr }
  | { readonly t: 'slice'; readonly lo?: Expr; readonly hi?: Expr; readonly step?: Expr }
  | { readonly t: 'tuple' | 'list' | 'set'; readonly items: readonly Expr[] }
  | { readonly t: 'dict'; readonly entries: readonly (readonly [Expr, Expr])[] }
  | { readonly t: 'bin'; readonly op: string; readonly l: Expr; readonly r: Expr }
  | { readonly t: 'un'; readonly op: string; readonly e: Expr }
  | { readonly t: 'cmp'; readonly ops: readonly string[]; readonly items: readonly Expr[] }
  | { readonly t: 'bool'; readonly op: 'and' | 'or'; readonly items: readonly Expr[] }
  | { readonly t: 'ifexp'; readonly cond: Expr; readonly a: Expr; readonly b: Expr }
  | { readonly t: 'comp'; readonly kind: 'list' | 'gen' | 'dict' | 'set'; readonly elt: Expr; readonly key?: Expr; readonly gens: readonly Generator[] }
  | { readonly t: 'lambda'; readonly params: readonly Param[]; readonly body: Expr }
  | { readonly t: 'star'; readonly e: Expr }
);

export interface Param {
  readonly name: string;
  readonly default?: Expr;
  readonly star?: 1 | 2;
}

export type Stmt = { readonly line: number } & (
  | { readonly t: 'expr'; readonly e: Expr }
  | { readonly t: 'assign'; readonly targets: readonly Expr[]; readonly value: Expr }
  | { readonly t: 'aug'; readonly target: Expr; readonly op: string; readonly value: Expr }
  | { readonly t: 'if'; readonly branches: readonly (readonly [Expr, readonly Stmt[]])[]; readonly orelse: readonly Stmt[] }
  | { readonly t: 'for'; readonly target: Expr; readonly iter: Expr; readonly body: readonly Stmt[] }
  | { readonly t: 'while'; readonly cond: Expr; readonly body: readonly Stmt[] }
  | { readonly t: 'return'; readonly e?: Expr }
  | { readonly t: 'def'; readonly def: FunctionDef }
  | { readonly t: 'class'; readonly def: ClassDef }
  | { readonly t: 'import'; readonly names: readonly (readonly [string, string])[] }
  | { readonly t: 'from'; readonly module: string; readonly names: readonly (readonly [string, string])[] }
  | { readonly t: 'raise'; readonly e?: Expr }
  | { readonly t: 'with'; readonly body: readonly Stmt[] }
  | { readonly t: 'try'; readonly body: readonly Stmt[]; readonly final: readonly Stmt[] }
  | { readonly t: 'pass' | 'break' | 'continue' | 'other'; readonly text?: string }
);

export interface FunctionDef {
  readonly name: string;
  readonly params: readonly Param[];
  readonly body: readonly Stmt[];
  readonly line: number;
}

export interface ClassDef {
  readonly name: string;
  readonly bases: readonly Expr[];
  readonly body: readonly Stmt[];
  readonly line: number;
  /** The file it is defined in (a key of `files`, or `''` for the main source). */
  readonly file: string;
}

/** A statement or expression the reader cannot parse: reported as unknown on its line. */
export class SyntaxProblem extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message);
  }
}
