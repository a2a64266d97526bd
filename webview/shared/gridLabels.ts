/**
 * Which row and column indices a grid writes beside it. Labels sit one cell apart; at small cells
 * (a 32-column grid has 13 px cells) two-digit labels are wider than that and run into each other
 * ("1011121314…"). So a grid labels every `step`-th index, the step the smallest of 1, 2, 5, 10,
 * 20, 50, … whose spacing holds the widest label and a gap: what fits, at steps a reader counts in.
 */

/** The least room between two labels, in CSS pixels. */
export const LABEL_GAP = 3;

/**
 * The step between labelled indices: the first of 1, 2, 5, 10, 20, 50, … for which `step` cells of
 * `spacing` px hold a label `extent` px long (its width for columns, its height for rows) and
 * {@link LABEL_GAP}. A grid of `count` indices labels at least index 0.
 */
export function labelStep(count: number, spacing: number, extent: number): number {
  if (!(spacing > 0)) return Math.max(1, count);
  for (let magnitude = 1; ; magnitude *= 10) {
    for (const m of [1, 2, 5]) {
      const step = m * magnitude;
      if (step * spacing >= extent + LABEL_GAP || step >= count) return step;
    }
  }
}

/** What a label's text measures in the page's font: one digit's width (the grids use tabular digits) and the line's height. */
export interface LabelMetrics {
  readonly digitWidth: number;
  readonly lineHeight: number;
}

/**
 * The label font's metrics, measured on a hidden label styled as the grids' are (the editor font,
 * smaller): the font follows VS Code's settings, so it cannot be known ahead.
 */
export function measureLabels(): LabelMetrics {
  const grid = document.createElement('div');
  grid.className = 'grid';
  grid.setAttribute('aria-hidden', 'true');
  grid.style.cssText = 'position: absolute; visibility: hidden; left: -10000px; top: 0;';
  const label = document.createElement('div');
  label.className = 'grid-index';
  const text = document.createElement('span');
  const digits = 10;
  text.textContent = '0'.repeat(digits);
  label.append(text);
  grid.append(label);
  document.body.append(grid);
  const box = text.getBoundingClientRect();
  grid.remove();
  return { digitWidth: box.width / digits, lineHeight: box.height };
}
