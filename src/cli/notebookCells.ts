/**
 * The cells of a Jupyter notebook (.ipynb, nbformat 4) as the editor sees them: each cell its own
 * document, a code cell in the notebook's language (Python unless the notebook or the cell says
 * otherwise), a Markdown cell as Markdown. Layer Lens's diagnostics appear in cells in the editor,
 * so `check` reads them the same way, cell by cell (a stack never spans two cells there either).
 */

export interface NotebookCell {
  /** 1-based, counting every cell (as Jupyter and VS Code number them). */
  readonly index: number;
  readonly languageId: string;
  readonly text: string;
}

/** The cells, or why the text is not a notebook (a sentence, for the error naming the file). */
export function notebookCells(json: string): NotebookCell[] | string {
  let notebook: unknown;
  try {
    notebook = JSON.parse(json);
  } catch (error) {
    return `not a notebook: ${(error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ')}`;
  }
  const cells = (notebook as { cells?: unknown } | null)?.cells;
  if (!Array.isArray(cells)) return 'not a notebook: it has no "cells" list';
  const metadata = (notebook as { metadata?: { kernelspec?: { language?: unknown }; language_info?: { name?: unknown } } }).metadata;
  const language = [metadata?.language_info?.name, metadata?.kernelspec?.language].find((l): l is string => typeof l === 'string') ?? 'python';
  return cells.map((cell: unknown, i): NotebookCell => {
    const { cell_type: type, source, metadata: cellMetadata } = (cell ?? {}) as { cell_type?: unknown; source?: unknown; metadata?: { vscode?: { languageId?: unknown } } };
    const text = Array.isArray(source) ? source.filter((s): s is string => typeof s === 'string').join('') : typeof source === 'string' ? source : '';
    const own = cellMetadata?.vscode?.languageId;
    const languageId = type === 'markdown' ? 'markdown' : type === 'code' ? (typeof own === 'string' ? own : language.toLowerCase()) : 'raw';
    return { index: i + 1, languageId, text };
  });
}
