import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  findMatrices,
  findMatrixAt,
  formatMatrix,
  NOTATIONS,
  PARSE_MAX_TEXT_LENGTH,
  ParseError,
  parseMatrix,
  type Notation,
} from '../../../src/core/parse/index';

const LANGUAGES = [undefined, 'python', 'json', 'jsonc', 'javascript', 'typescript', 'matlab', 'octave', 'julia', 'r', 'latex', 'markdown', 'csv', 'tsv', 'plaintext', 'wolfram', 'cobol'];

/** Runs `read` and asserts it either returns or throws a ParseError, within `budgetMs` (a hang detector, generous for a shared machine). */
function onlyParseErrors(read: () => unknown, what: string, budgetMs = 2_000): void {
  const started = performance.now();
  try {
    read();
  } catch (error) {
    if (!(error instanceof ParseError)) throw new Error(`${what} threw ${String(error)}`, { cause: error });
    assert.ok(error.range.start >= 0 && error.range.end >= error.range.start, `${what}: bad range`);
  }
  const elapsed = performance.now() - started;
  assert.ok(elapsed < budgetMs, `${what} took ${elapsed.toFixed(0)} ms`);
}

const SEEDS = [
  '[[1, 2], [3, 4]]',
  "np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype=np.float32) / 16",
  "[float('nan'), -np.inf, 2**-3, -1/16]",
  '[1 2; 3 4]',
  "[0 0.25 ...\n 0.5]'",
  'matrix(c(1, 2, 3, 4), nrow = 2, byrow = TRUE)',
  '{{1, 2*^3}, {Infinity, Indeterminate}}',
  '0,0.1\n0.2,0.3\n',
  '\\begin{bmatrix} -\\frac{1}{2} & 2^{-3} \\\\ \\infty & 1.5 \\times 10^{-7} \\end{bmatrix}',
  '| a | b |\n|---|---|\n| 1 | 2 |',
  'new Float32Array([1, 2, 3])',
  '"""doc [1, 2]"""\nx = [[1, 2],  # c\n  [3, 4]]\n',
];
const ALPHABET = '[](){},;: \n\t0123456789.-+*/^e_xjnaINf\'"#%&\\|`$=';

describe('robustness', () => {
  it('never throws anything but ParseError on random text, and never hangs', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...ALPHABET.split('')), maxLength: 80 }), fc.constantFrom<Notation | undefined>(undefined, ...NOTATIONS), (text, notation) => {
        onlyParseErrors(() => parseMatrix(text, notation), `parseMatrix(${JSON.stringify(text)}, ${notation})`);
      }),
      { numRuns: 3000 },
    );
  });
  it('never throws anything but ParseError on mutated literals, in parse and find', () => {
    const mutation = fc.record({
      seed: fc.constantFrom(...SEEDS),
      edits: fc.array(fc.record({ at: fc.nat(), remove: fc.nat({ max: 3 }), insert: fc.string({ unit: fc.constantFrom(...ALPHABET.split('')), maxLength: 3 }) }), { maxLength: 4 }),
      notation: fc.constantFrom<Notation | undefined>(undefined, ...NOTATIONS),
      language: fc.constantFrom(...LANGUAGES),
      cursor: fc.nat(),
    });
    fc.assert(
      fc.property(mutation, ({ seed, edits, notation, language, cursor }) => {
        let text = seed;
        for (const edit of edits) {
          const at = edit.at % (text.length + 1);
          text = text.slice(0, at) + edit.insert + text.slice(at + edit.remove);
        }
        const what = JSON.stringify(text);
        onlyParseErrors(() => parseMatrix(text, notation), `parseMatrix(${what}, ${notation})`);
        onlyParseErrors(() => findMatrixAt(text, cursor % (text.length + 1), language), `findMatrixAt(${what}, ${language})`);
        onlyParseErrors(() => findMatrices(text, language), `findMatrices(${what}, ${language})`);
      }),
      { numRuns: 3000 },
    );
  });
  it('finds what it reports: every literal from findMatrices parses back to the same values', () => {
    const text = SEEDS.join('\n\n');
    for (const language of LANGUAGES) {
      for (const found of findMatrices(text, language)) {
        const again = findMatrixAt(text, found.start, language);
        assert.ok(again, `${language}: ${text.slice(found.start, found.end)}`);
        assert.deepEqual([...again.shape], [...found.shape]);
      }
    }
  });

  describe('size limits', () => {
    it('refuses text longer than the limit with a ParseError about its size', () => {
      const huge = '1'.repeat(PARSE_MAX_TEXT_LENGTH + 1);
      assert.throws(() => parseMatrix(huge), (e: unknown) => e instanceof ParseError && e.problem === 'size' && /characters long/.test(e.message));
    });
    it('refuses 10,000 nested brackets without overflowing the stack', () => {
      const deep = `${'['.repeat(10_000)}1${']'.repeat(10_000)}`;
      assert.throws(() => parseMatrix(deep), (e: unknown) => e instanceof ParseError && /nested 5 levels deep/.test(e.message));
      assert.throws(() => parseMatrix(deep, 'matlab'), (e: unknown) => e instanceof ParseError && /nested more than 32 deep/.test(e.message));
      assert.throws(() => parseMatrix(`${'{'.repeat(10_000)}1${'}'.repeat(10_000)}`), ParseError);
      assert.throws(() => parseMatrix(`c(${'c('.repeat(10_000)}1${')'.repeat(10_001)}`, 'r'), ParseError);
      onlyParseErrors(() => findMatrixAt(deep, 5_000, 'python'), 'findMatrixAt in deep nesting');
      onlyParseErrors(() => findMatrices(deep, 'python'), 'findMatrices of deep nesting', 2000);
      onlyParseErrors(() => findMatrices(deep, 'plaintext'), 'findMatrices of deep nesting (plaintext)', 2000);
    });
    it('evaluates 10,000 nested parentheses of arithmetic without recursion', () => {
      const parens = `[${'('.repeat(10_000)}1${')'.repeat(10_000)}, 2]`;
      assert.deepEqual([...parseMatrix(parens).data], [1, 2]);
    });
    it('refuses tensors of more values than the limit', () => {
      assert.throws(() => parseMatrix('tf.constant(0, shape=[3000, 3000])'), ParseError);
    });
  });

  describe('speed (logged; asserted only against generous bounds)', () => {
    it('parses a 1000×1000 literal (about 6 MB)', function () {
      this.timeout(20_000);
      const data = new Float64Array(1_000_000);
      for (let k = 0; k < data.length; k++) data[k] = Math.round(Math.sin(k) * 1e3) / 1e3;
      const text = formatMatrix({ shape: [1000, 1000], data }, 'python');
      parseMatrix(text); // warm up the JIT
      let elapsed = Number.POSITIVE_INFINITY;
      let parsed = parseMatrix(text);
      for (let run = 0; run < 3; run++) {
        const started = performance.now();
        parsed = parseMatrix(text);
        elapsed = Math.min(elapsed, performance.now() - started);
      }
      console.log(`      1000×1000 Python literal, ${(text.length / 1e6).toFixed(1)} MB: parsed in ${elapsed.toFixed(0)} ms (best of 3)`);
      assert.deepEqual([...parsed.shape], [1000, 1000]);
      assert.equal(parsed.data[999_999], data[999_999]);
      assert.ok(elapsed < 3000);
      const matlab = formatMatrix({ shape: [1000, 1000], data }, 'matlab');
      const matlabStarted = performance.now();
      parseMatrix(matlab, 'matlab');
      console.log(`      1000×1000 MATLAB literal: parsed in ${(performance.now() - matlabStarted).toFixed(0)} ms`);
    });
    it('answers findMatrixAt on a 10,000-line file quickly', () => {
      const lines: string[] = [];
      for (let k = 0; k < 10_000; k++) {
        lines.push(k % 50 === 0 ? `kernel_${k} = np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16  # [9]` : `    value_${k} = compute(x[${k}], "label [${k}]")`);
      }
      const text = lines.join('\n');
      const offsets = Array.from({ length: 200 }, (_, k) => Math.floor(((k + 0.5) / 200) * text.length));
      const target = text.indexOf('[2, 4, 2]', text.length / 2) + 3;
      for (const offset of offsets) findMatrixAt(text, offset, 'python'); // warm up
      const started = performance.now();
      let hits = 0;
      for (const offset of offsets) if (findMatrixAt(text, offset, 'python')) hits++;
      const perCall = (performance.now() - started) / offsets.length;
      const oneStarted = performance.now();
      const found = findMatrixAt(text, target, 'python');
      const one = performance.now() - oneStarted;
      console.log(`      findMatrixAt on ${lines.length} lines (${(text.length / 1e3).toFixed(0)} kB): ${perCall.toFixed(2)} ms per call on average, ${one.toFixed(2)} ms on a literal (${hits} hits)`);
      assert.ok(found);
      assert.deepEqual([...found.shape], [3, 3]);
      assert.ok(perCall < 50);
      const allStarted = performance.now();
      const all = findMatrices(text, 'python');
      console.log(`      findMatrices on the same file: ${all.length} literals in ${(performance.now() - allStarted).toFixed(0)} ms`);
      assert.equal(all.length, 200);
    });
  });
});
