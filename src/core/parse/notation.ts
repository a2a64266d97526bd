/**
 * The notations Layer Lens reads and writes. Python, NumPy, PyTorch and TensorFlow parse alike
 * (a bracketed literal, optionally inside the library's constructor); they differ in how
 * `formatMatrix` spells the result and in what `findMatrixAt` reports.
 */
export type Notation =
  | 'python'
  | 'numpy'
  | 'torch'
  | 'tensorflow'
  | 'json'
  | 'javascript'
  | 'matlab'
  | 'julia'
  | 'r'
  | 'mathematica'
  | 'csv'
  | 'tsv'
  | 'latex'
  | 'markdown';

/** Every notation, in the order a picker would show them. */
export const NOTATIONS: readonly Notation[] = [
  'python',
  'numpy',
  'torch',
  'tensorflow',
  'json',
  'javascript',
  'matlab',
  'julia',
  'r',
  'mathematica',
  'csv',
  'tsv',
  'latex',
  'markdown',
];

/** The notations whose literals are always matrices (a single row is `[1, n]`, never 1-D). */
export function isAlwaysTwoDimensional(notation: Notation): boolean {
  switch (notation) {
    case 'matlab':
    case 'julia':
    case 'r':
    case 'csv':
    case 'tsv':
    case 'latex':
    case 'markdown':
      return true;
    default:
      return false;
  }
}

const notationByLanguage: ReadonlyMap<string, Notation> = new Map<string, Notation>([
  ['python', 'python'],
  ['jupyter', 'python'],
  ['json', 'json'],
  ['jsonc', 'json'],
  ['json5', 'json'],
  ['javascript', 'javascript'],
  ['typescript', 'javascript'],
  ['javascriptreact', 'javascript'],
  ['typescriptreact', 'javascript'],
  ['matlab', 'matlab'],
  ['octave', 'matlab'],
  ['julia', 'julia'],
  ['r', 'r'],
  ['latex', 'latex'],
  ['tex', 'latex'],
  ['markdown', 'markdown'],
  ['csv', 'csv'],
  ['tsv', 'tsv'],
  ['wolfram', 'mathematica'],
  ['mathematica', 'mathematica'],
]);

/**
 * The notation of a VS Code language id, or `undefined` when the text must be looked at to tell
 * (`plaintext`, unknown languages).
 */
export function notationForLanguage(languageId: string | undefined): Notation | undefined {
  return languageId === undefined ? undefined : notationByLanguage.get(languageId.toLowerCase());
}
