/**
 * Runs the code a hover runs, once, on a small model, in the turn after the editor features are
 * created. V8 compiles a function the first time it is called, and the first hover after the
 * window opens used to pay for compiling the whole path (the lexer, the call reader, the input
 * sizes, the fixes, the markdown): a few hundred milliseconds on a busy machine, for a hover that
 * then takes a few. Here it is paid while nothing waits, on a text of a dozen lines.
 */
import { layerHoverMarkdown, matrixHoverMarkdown } from '../../core/insight/hoverMarkdown';
import { DocumentInsights } from '../../core/insight/layerInsight';
import { localRegions } from '../../core/insight/localRegions';
import { overlapFixes } from '../../core/insight/overlapFixes';
import { countTileSvg, heatmapSvg, paletteFor } from '../../core/insight/svg';
import { findMatrixAt } from '../../core/parse/index';

const MODEL = [
  'import torch.nn as nn',
  'import numpy as np',
  '',
  'class Generator(nn.Module):',
  '    def __init__(self, ngf=64):',
  '        super().__init__()',
  '        self.main = nn.Sequential(',
  '            # state size. (ngf*8) x 4 x 4',
  '            nn.ConvTranspose2d(ngf * 8, ngf * 4, 3, 2, 1, bias=False),',
  '            nn.BatchNorm2d(ngf * 4),',
  '            nn.ReLU(True),',
  '            nn.ConvTranspose2d(ngf * 4, 3, 4, stride=2, padding=1),',
  '        )',
  '        self.k = np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16',
  '',
].join('\n');

/** Exercises the hover's code on MODEL; never throws (a failure here must not cost a feature). */
export function warmUpHoverPaths(): void {
  try {
    const palette = paletteFor('dark');
    const insights = new DocumentInsights(MODEL, 'python', 32);
    localRegions(MODEL, MODEL.length - 1, 'python');
    for (const insight of insights.all()) {
      const tile = insight.overlap?.countTile;
      const tileImage = tile && countTileSvg(tile.shape[0] as number, tile.shape[1] as number, tile.data, palette);
      layerHoverMarkdown(insight, { tileImage, fixes: overlapFixes(MODEL, insight.call, { indentUnit: '    ' }) });
    }
    const matrix = findMatrixAt(MODEL, MODEL.indexOf('[[1, 2, 1]') + 2, 'python');
    if (matrix) matrixHoverMarkdown(matrix, { heatmap: heatmapSvg(matrix.shape[0] as number, matrix.shape[1] as number, matrix.data, palette), links: [] });
  } catch (error) {
    console.warn('[Layer Lens] warming up the hover failed:', error);
  }
}
