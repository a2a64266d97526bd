/**
 * The layer hover's part about the model: the input and output shape of a layer call in each run
 * of a model's forward() for the configured input (`layerLens.models.inputShape`), read in the
 * summary's worker (modelLayerRuns.ts), and a transposed convolution's overlap verdict on the input
 * it really gets (stackModel.ts), which the hover otherwise states for an input the code implies.
 */
import type { DocumentSummary } from './documentSummary';
import type { ConvAxis } from './layerSize';
import { codeSpan, plainText } from './markdownText';
import { overlapOnInput } from './stackModel';

type LayerRuns = NonNullable<DocumentSummary['modelLayers']>[number];

const shapeText = (dims: readonly number[]) => `[${dims.join(', ')}]`;

/** Markdown lines for the runs of one layer call (one block per class that runs it); empty when none does. */
export function layerRunsMarkdown(entries: readonly LayerRuns[], inputShape: readonly number[], transposed?: { readonly axes: readonly ConvAxis[]; readonly rank: 1 | 2 | 3; readonly even: boolean }): string[] {
  const lines: string[] = [];
  for (const entry of entries) {
    const calls = entry.runs.length + entry.more;
    lines.push(`**In the model** — ${codeSpan(`${entry.className}.forward()`)} for ${inputShape.join('×')} (\`layerLens.models.inputShape\`)${calls > 1 ? `, ${calls} runs` : ''}:`, '');
    for (const run of entry.runs) lines.push(`- ${codeSpan(run.path)}: ${shapeText(run.input)} → ${shapeText(run.output)}`);
    if (entry.more > 0) lines.push(`- …and ${entry.more} more`);
    if (transposed) lines.push(...overlapLines(entry, transposed));
    lines.push('');
  }
  return lines;
}

/** The verdict on each distinct input the runs give, where it differs from the layer's own (a 1×1 input has no checkerboard). */
function overlapLines(entry: LayerRuns, transposed: { readonly axes: readonly ConvAxis[]; readonly rank: 1 | 2 | 3; readonly even: boolean }): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const run of entry.runs) {
    const spatial = run.input.slice(2);
    const key = spatial.join('×');
    if (seen.has(key)) continue;
    seen.add(key);
    const verdict = overlapOnInput(transposed.axes, transposed.rank, spatial);
    if (!verdict || verdict.even === transposed.even) continue;
    lines.push(`- overlap on its input ${key} in the model: **${plainText(verdict.label)}** — ${plainText(verdict.reason)}`);
  }
  if (lines.length === 0 && !transposed.even && entry.runs.length > 0) lines.push(`- the uneven overlap shows on every input it gets in the model (${[...seen].join(', ')})`);
  return lines;
}
