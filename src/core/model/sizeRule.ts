/**
 * The rule a set of valid input sides follows, in words and as a formula: "H must be a multiple
 * of 16 and at least 16" (`H = 16·k, k ≥ 1`), "H must be at least 5", "H must be exactly 64".
 */

export interface SizeRule {
  readonly rule: string;
  readonly formula: string;
}

/** Describes `sides` (sorted, within 1..maxSide) by the simplest rule that gives exactly them. */
export function describeSides(sides: readonly number[], maxSide: number): SizeRule {
  const first = sides[0];
  if (first === undefined) return { rule: `no square input from 1 to ${maxSide} runs through the model`, formula: 'none' };
  if (sides.length === 1) return { rule: `H must be exactly ${first} (within 1 to ${maxSide})`, formula: `H = ${first}` };
  const step = (sides[1] as number) - first;
  const last = sides[sides.length - 1] as number;
  const regular = sides.every((s, i) => s === first + i * step);
  if (regular && last + step <= maxSide) {
    // Bounded above: a Linear layer after the features fixes their size, so only a band of inputs runs.
    return step === 1
      ? { rule: `H must be from ${first} to ${last}`, formula: `${first} ≤ H ≤ ${last}` }
      : { rule: `H must be one of ${first}, ${first + step}, … ${last} (every ${step})`, formula: `H = ${first} + ${step}·k, ${first} ≤ H ≤ ${last}` };
  }
  if (regular) {
    if (step === 1) {
      return first === 1
        ? { rule: `every size from 1 to ${maxSide} runs`, formula: 'H ≥ 1' }
        : { rule: `H must be at least ${first}`, formula: `H ≥ ${first}` };
    }
    const remainder = first % step;
    const k0 = Math.floor(first / step);
    if (remainder === 0) {
      return { rule: `H must be a multiple of ${step} and at least ${first}`, formula: `H = ${step}·k, k ≥ ${k0}` };
    }
    return { rule: `H must be ${remainder} more than a multiple of ${step} and at least ${first}`, formula: `H = ${step}·k + ${remainder}, k ≥ ${k0}` };
  }
  const shown = sides.slice(0, 12).join(', ');
  return { rule: `H must be one of ${shown}${sides.length > 12 ? `, … (${sides.length} sizes)` : ''}`, formula: `H ∈ {${shown}${sides.length > 12 ? ', …' : ''}}` };
}
