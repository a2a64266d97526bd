/** How `npm run bench` writes its figures: Markdown tables that paste into docs/performance.md as they are. */
import { spread } from './measure';

export function markdownTable(header: readonly string[], align: readonly ('left' | 'right' | 'center')[], rows: readonly (readonly string[])[]): string {
  const rule = align.map((a) => (a === 'right' ? '---:' : a === 'center' ? ':---:' : '---'));
  return [header, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Three significant digits: 131, 13.6, 1.94, 0.0183. */
export function formatMs(ms: number): string {
  return String(Number(ms.toPrecision(3)));
}

/** One figure over the runs: the value for one run, "median (min–max)" for several. */
export function formatSpread(values: readonly number[]): string {
  const s = spread(values);
  return s.count === 1 ? formatMs(s.median) : `${formatMs(s.median)} (${formatMs(s.min)}–${formatMs(s.max)})`;
}

/**
 * Layer Lens's time over a peer's, said from Layer Lens's side so a reader sees at once who wins:
 * 3.8 → "LL 3.8× slower", 0.25 → "LL 4.0× faster"; within 5 % either way, "LL ≈ same".
 */
export function formatRatio(layerLensOverPeer: number): string {
  const times = (r: number) => `${r >= 10 ? r.toFixed(0) : r.toFixed(1)}×`;
  if (layerLensOverPeer >= 1.05) return `LL ${times(layerLensOverPeer)} slower`;
  if (layerLensOverPeer <= 1 / 1.05) return `LL ${times(1 / layerLensOverPeer)} faster`;
  return 'LL ≈ same';
}

/** A relative error in two significant digits: 0 stays 0, the rest in exponent form. */
export function formatError(error: number): string {
  return error === 0 ? '0' : Number.isFinite(error) ? error.toExponential(1) : '∞';
}
