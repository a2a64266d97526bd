/**
 * The name a matrix literal is assigned to (`k3` in `k3 = np.array(…)`, `k3 <- matrix(…)`,
 * `const k3 = […]`, `k3: np.ndarray = …`), which is how the samples and their readers refer to it
 * ("pick `k3`"). Read from the text just before the literal, on its line; `undefined` when the
 * literal is not the right-hand side of an assignment (an argument, a table, a LaTeX matrix).
 */

/** How far back on the line an assignment is looked for: far enough for a long annotated name. */
const LOOKBEHIND = 200;

/**
 * A (dotted) name, an optional type annotation, and an assignment operator ending the text: `=`
 * (not `==`, `<=`, `>=`, `!=` or an augmented `+=`), Python's `:=`, R's `<-` and `<<-`.
 */
const ASSIGNMENT = /(?:^|[^\w.$])([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*(?::[^=\n]*)?(?:(?<![=!<>:+\-*/%&|^~@])=|:=|<<?-)\s*$/u;

/** The name the literal starting at `start` of `text` is assigned to, if it is assigned. */
export function assignedName(text: string, start: number): string | undefined {
  const from = Math.max(0, start - LOOKBEHIND);
  const before = text.slice(from, start);
  const line = before.slice(before.lastIndexOf('\n') + 1);
  return ASSIGNMENT.exec(line)?.[1];
}
