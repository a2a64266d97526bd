/**
 * `node out/scripts/benchHover.js`: what a hover costs on a 10,000-line Python file, in the pure
 * code the hover providers run (the VS Code side only wraps the Markdown): the first hover after an
 * edit (parse every layer call, infer sizes, analyse overlaps), a later hover on the same version
 * (a cached look-up plus the Markdown and pictures), the quick fixes of an uneven layer, and a
 * matrix hover. Prints the median of repeated runs; the 50 ms budget is per hover.
 */
import { layerHoverMarkdown, matrixHoverMarkdown } from '../src/core/insight/hoverMarkdown';
import { DocumentInsights, insightAt, layerInsights, type LayerInsight } from '../src/core/insight/layerInsight';
import { overlapFixes } from '../src/core/insight/overlapFixes';
import { countTileSvg, heatmapSvg, paletteFor } from '../src/core/insight/svg';
import { findMatrixAt } from '../src/core/parse/index';
import { medianMs } from './bench/measure';
import { pythonFile } from './bench/pythonFile';

const LINES = 10_000;

async function main(): Promise<void> {
  const text = pythonFile(LINES);
  const palette = paletteFor('dark');
  const layerOffset = text.lastIndexOf('ConvTranspose2d(ngf * 4, ngf * 2, 3') + 3;
  const matrixOffset = text.lastIndexOf('[2, 4, 2]') + 2;
  const insights = layerInsights(text, 'python', 32);
  const hoverOn = (insight: LayerInsight | undefined) => {
    if (!insight?.overlap) throw new Error('the benchmark file has no uneven layer at the hover');
    const tile = insight.overlap.countTile;
    return layerHoverMarkdown(insight, { fixes: [], tileImage: countTileSvg(tile.shape[0] as number, tile.shape[1] as number, tile.data, palette) });
  };
  const matrixHover = () => {
    const found = findMatrixAt(text, matrixOffset, 'python');
    if (!found) throw new Error('the benchmark file has no matrix at the hover');
    return matrixHoverMarkdown(found, { heatmap: heatmapSvg(3, 3, found.data, palette), links: [] });
  };
  const figures: [string, number][] = [
    // What the hover provider does on a new version: find the calls and their input sizes, analyse the hovered one.
    ['first layer hover after an edit (find every call, analyse the hovered one)', await medianMs(() => hoverOn(new DocumentInsights(text, 'python', 32).at(layerOffset)), 3000)],
    ['later layer hover on the same version (cached analysis)', await medianMs(() => hoverOn(insightAt(insights, layerOffset)), 1500)],
    [`CodeLens and diagnostics after an edit (all ${insights.length} calls analysed)`, await medianMs(() => layerInsights(text, 'python', 32), 3000)],
    ['quick fixes of the uneven layer (computed, re-parsed, size-checked)', await medianMs(() => overlapFixes(text, insightAt(insights, layerOffset)!.call, { indentUnit: '    ' }), 3000)],
    ['matrix hover, uncached look-up at the end of the file', await medianMs(matrixHover, 1500)],
  ];
  console.log(`Hover timings on a ${LINES.toLocaleString('en-US')}-line Python file (median ms; budget 50 ms):`);
  for (const [name, ms] of figures) console.log(`  ${ms.toFixed(2).padStart(8)} ms  ${name}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
