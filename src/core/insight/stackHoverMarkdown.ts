/**
 * The hover over `nn.Sequential` / `keras.Sequential`: the stack's shapes, parameters and verdicts
 * as a Markdown table, the places it breaks, and a link to the stack view.
 */
import { codeSpan, plainText } from './markdownText';
import { formatShape, type StackAnalysis } from './stackShapes';
import { describeStackInput, stackSummary, type LineOf } from './stackReport';

/** Rows shown in a hover; the stack view shows every one. */
export const MAX_HOVER_ROWS = 40;

/** Text in the hover (or a table cell of it): escaped, as it may quote the document (see ./markdownText). */
function cell(text: string): string {
  return plainText(text, 400);
}

function codeCell(text: string): string {
  return codeSpan(text, { inTable: true });
}

export function stackHoverMarkdown(analysis: StackAnalysis, lineOf: LineOf, inspect: { readonly title: string; readonly uri: string }): string {
  const lines = [
    `**${cell(stackSummary(analysis))}** — ${codeCell(analysis.stack.name)}`,
    '',
    `Input ${cell(formatShape(analysis.input, analysis.channelsLast))} (${cell(describeStackInput(analysis, lineOf))}) → output ${cell(formatShape(analysis.output, analysis.channelsLast))}`,
    '',
    '| # | layer | output | parameters | overlap |',
    '| ---: | --- | --- | ---: | --- |',
  ];
  for (const row of analysis.rows.slice(0, MAX_HOVER_ROWS)) {
    const mark = row.problem ? ' ⚠' : '';
    lines.push(`| ${row.index + 1} | ${codeCell(row.item.label)}${mark} | ${cell(formatShape(row.output, analysis.channelsLast))} | ${cell(row.parameters)} | ${cell(row.overlap?.label ?? '')} |`);
  }
  if (analysis.rows.length > MAX_HOVER_ROWS) lines.push('', `…and ${analysis.rows.length - MAX_HOVER_ROWS} more in the stack view.`);
  for (const { index, problem } of analysis.problems) lines.push('', `⚠ Layer ${index + 1} (line ${lineOf((analysis.rows[index]?.item.start ?? 0)) + 1}): ${cell(problem.message)}`);
  lines.push('', `[${inspect.title}](${inspect.uri})`);
  return lines.join('\n');
}
