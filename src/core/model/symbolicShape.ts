/**
 * Shapes in the input's named sizes (`[N, 64, ⌊H/2⌋, ⌊W/2⌋]`), carried beside the numbers through
 * one traced run of `forward()`. Each axis is a {@link Dim} or null where no formula can be formed
 * (a size read from a tensor and used as a number, a product of two sizes, ceil-mode pooling…): the
 * model view then shows the numbers only. A formula is only ever kept when it holds for every input
 * size the model runs on: the rules of symbolFlow.ts are exact, and as a last guard each formula is
 * evaluated at the run's own input and dropped if it disagrees with the number.
 */
import type { SizeArithmetic } from '../engine/sizeArithmetic';
import type { Arg, Expr } from './pyAst';
import { dimConst, dimFloorDiv, dimName, dimPlus, dimText, dimTimes, dimValue, isConstDim, type Dim } from './symbolicDim';

/** One formula per axis, null where there is none. */
export type SymShape = readonly (Dim | null)[];

/** The model reader's sizes as an arithmetic for the engine's size formulas (engine/sizeArithmetic.ts). */
export const DIM_SIZES: SizeArithmetic<Dim> = { plus: dimPlus, times: dimTimes, floorDiv: dimFloorDiv };

/** The names of an input's axes: `[N, C, H, W]`, `[N, C, L]`, `[N, C, D, H, W]`, `[N, F]` (C and F stay numbers: the first layer fixes them). */
function axisNames(rank: number): readonly (string | null)[] | undefined {
  switch (rank) {
    case 2:
      return ['N', null];
    case 3:
      return ['N', null, 'L'];
    case 4:
      return ['N', null, 'H', 'W'];
    case 5:
      return ['N', null, 'D', 'H', 'W'];
    default:
      return undefined;
  }
}

/** The state of the formulas during one run: the named sizes' values, and whether sizes were read as numbers. */
export class SymbolState {
  /** The named sizes' values for this run (`{ N: 1, H: 64, W: 64 }`). */
  readonly env: Record<string, number> = {};
  /** forward() has read a tensor's size as a number (`x.size()`, `x.shape`, `len(x)`): numbers given to operations may now depend on the input. */
  sizesRead = false;
  /** forward() has decided something on a number after reading sizes: what runs may depend on the input, so no formula is formed from here on. */
  stopped = false;
  /** Formulas dropped because they disagreed with the numbers (a bug if ever non-zero; the tests check it). */
  disagreements = 0;
  readonly input: SymShape | undefined;

  constructor(inputShape: readonly number[]) {
    const names = axisNames(inputShape.length);
    this.input = names?.map((name, i) => {
      if (name === null) return dimConst(inputShape[i] as number);
      this.env[name] = inputShape[i] as number;
      return dimName(name);
    });
  }

  /** The argument expressions of the calls being evaluated, innermost last (see {@link literalNumbers}). */
  private readonly calls: (readonly Arg[])[] = [];

  /** Runs `evaluate` (a call written with `args`) with its argument expressions known. */
  during<T>(args: readonly Arg[], evaluate: () => T): T {
    this.calls.push(args);
    try {
      return evaluate();
    } finally {
      this.calls.pop();
    }
  }

  /**
   * Whether every argument of the call being run that is not a tensor is written as a literal in the
   * source (`F.pad(x, (1, 1, 1, 1))`, `x.view(-1, 256)`): such numbers cannot depend on the input,
   * even after a size was read. `isTensor` says which values are tensors.
   */
  literalNumbers(args: readonly unknown[], kw: ReadonlyMap<string, unknown>, isTensor: (v: unknown) => boolean): boolean {
    const exprs = this.calls[this.calls.length - 1];
    if (!exprs || exprs.some((a) => a.star !== undefined)) return false;
    const positional = exprs.filter((a) => a.name === undefined);
    const named = new Map(exprs.filter((a) => a.name !== undefined).map((a) => [a.name as string, a.value] as const));
    if (positional.length !== args.length) return false;
    const literalOr = (value: unknown, expr: Expr | undefined): boolean => isTensor(value) || (expr !== undefined && isLiteral(expr));
    return args.every((v, i) => literalOr(v, positional[i]?.value)) && [...kw].every(([name, v]) => literalOr(v, named.get(name)));
  }

  /** A number used in control flow: after sizes were read, the rest of the run may depend on the input. */
  decided(): void {
    if (this.sizesRead) this.stopped = true;
  }

  /** A tensor was iterated: the number of items (its first size) decides what runs from here on. */
  iterated(): void {
    this.sizesRead = true;
    this.stopped = true;
  }

  /** The formulas `sym` for a tensor of `shape`, each checked against its number (null where there is none). */
  checked(shape: readonly number[], sym: SymShape | undefined): SymShape | undefined {
    if (!sym || this.stopped || sym.length !== shape.length) return undefined;
    const out = sym.map((d, i) => {
      if (d === null) return null;
      if (dimValue(d, this.env) === shape[i]) return d;
      this.disagreements++;
      return null;
    });
    return out.some((d) => d !== null) ? out : undefined;
  }

}

/** A number, string, None/True/False, or a tuple or list of them, as written in the source. */
function isLiteral(e: Expr): boolean {
  switch (e.t) {
    case 'num':
    case 'str':
      return true;
    case 'name':
      return e.id === 'None' || e.id === 'True' || e.id === 'False';
    case 'un':
      return (e.op === '-' || e.op === '+') && isLiteral(e.e);
    case 'tuple':
    case 'list':
      return e.items.every(isLiteral);
    default:
      return false;
  }
}

/** The shape written with its formulas (`[N, 64, ⌊H/2⌋, ⌊W/2⌋]`), or undefined when an axis has none. */
export function symShapeText(sym: SymShape | undefined | null): string | undefined {
  if (!sym || sym.some((d) => d === null)) return undefined;
  return `[${(sym as readonly Dim[]).map(dimText).join(', ')}]`;
}

/** Whether the formulas say more than the numbers (some axis depends on a named size). */
export function isSymbolic(sym: SymShape | undefined | null): boolean {
  return !!sym && sym.some((d) => d !== null && !isConstDim(d));
}
