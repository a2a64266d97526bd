/**
 * The rule a set of valid input sides follows, in words and as a formula: "H must be a multiple
 * of 16 and at least 16" (`H = 16·k, k ≥ 1`), "H must be at least 5", "H must be exactly 64". The
 * side is named by the input's rank: `L` for a sequence's length, `H` for a square image's side,
 * `D = H = W` for a cube volume's.
 */

export interface SizeRule {
  readonly rule: string;
  readonly formula: string;
}

/** What a side is called, and what the inputs tried are, by the input's spatial rank. */
const SIDE: Readonly<Record<1 | 2 | 3, { readonly name: string; readonly inputs: string }>> = {
  1: { name: 'L', inputs: 'input length' },
  2: { name: 'H', inputs: 'square input' },
  3: { name: 'D = H = W', inputs: 'cube input' },
};

/** Describes `sides` (sorted, within 1..maxSide) by the simplest rule that gives exactly them. */
export function describeSides(sides: readonly number[], maxSide: number, rank: 1 | 2 | 3 = 2): SizeRule {
  const { name: side, inputs } = SIDE[rank];
  const first = sides[0];
  if (first === undefined) return { rule: `no ${inputs} from 1 to ${maxSide} runs through the model`, formula: 'none' };
  if (sides.length === 1) return { rule: `${side} must be exactly ${first} (within 1 to ${maxSide})`, formula: `${side} = ${first}` };
  const step = (sides[1] as number) - first;
  const last = sides[sides.length - 1] as number;
  const regular = sides.every((s, i) => s === first + i * step);
  if (regular && last + step <= maxSide) {
    // Bounded above: a Linear layer after the features fixes their size, so only a band of inputs runs.
    return step === 1
      ? { rule: `${side} must be from ${first} to ${last}`, formula: `${first} ≤ ${side} ≤ ${last}` }
      : { rule: `${side} must be one of ${first}, ${first + step}, … ${last} (every ${step})`, formula: `${side} = ${first} + ${step}·k, ${first} ≤ ${side} ≤ ${last}` };
  }
  if (regular) {
    if (step === 1) {
      return first === 1
        ? { rule: `every size from 1 to ${maxSide} runs`, formula: `${side} ≥ 1` }
        : { rule: `${side} must be at least ${first}`, formula: `${side} ≥ ${first}` };
    }
    const remainder = first % step;
    const k0 = Math.floor(first / step);
    if (remainder === 0) {
      return { rule: `${side} must be a multiple of ${step} and at least ${first}`, formula: `${side} = ${step}·k, k ≥ ${k0}` };
    }
    return { rule: `${side} must be ${remainder} more than a multiple of ${step} and at least ${first}`, formula: `${side} = ${step}·k + ${remainder}, k ≥ ${k0}` };
  }
  const shown = sides.slice(0, 12).join(', ');
  return { rule: `${side} must be one of ${shown}${sides.length > 12 ? `, … (${sides.length} sizes)` : ''}`, formula: `${side} ∈ {${shown}${sides.length > 12 ? ', …' : ''}}` };
}
