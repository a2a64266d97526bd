import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatMatrix, formatNumber, isAlwaysTwoDimensional, NOTATIONS, notationForLanguage, parseMatrix, type Notation } from '../../../src/core/parse/index';
import { assertTensor } from './helpers';

const box = { shape: [2, 2], data: new Float64Array([1, 2, 3, 4]) };
const special = { shape: [2, 3], data: new Float64Array([NaN, Infinity, -Infinity, -0, 1.5e-7, 1e21]) };

describe('formatMatrix', () => {
  it('writes each notation the way its users do', () => {
    const expected: Record<Notation, string> = {
      python: '[[1, 2],\n [3, 4]]',
      numpy: 'np.array([[1, 2],\n          [3, 4]], dtype=np.float64)',
      torch: 'torch.tensor([[1, 2],\n              [3, 4]], dtype=torch.float64)',
      tensorflow: 'tf.constant([[1, 2],\n             [3, 4]], dtype=tf.float64)',
      json: '[[1, 2],\n [3, 4]]',
      javascript: '[[1, 2],\n [3, 4]]',
      matlab: '[1 2;\n 3 4]',
      julia: '[1 2;\n 3 4]',
      r: 'matrix(c(1, 2, 3, 4), nrow = 2, ncol = 2, byrow = TRUE)',
      mathematica: '{{1, 2},\n {3, 4}}',
      csv: '1,2\n3,4\n',
      tsv: '1\t2\n3\t4\n',
      latex: '\\begin{bmatrix}\n1 & 2 \\\\\n3 & 4\n\\end{bmatrix}',
      markdown: '| c0 | c1 |\n| --- | --- |\n| 1 | 2 |\n| 3 | 4 |',
    };
    for (const notation of NOTATIONS) assert.equal(formatMatrix(box, notation), expected[notation], notation);
  });
  it('spells NaN, infinities, -0 and exponents per language', () => {
    assert.equal(formatNumber(NaN, 'numpy'), 'np.nan');
    assert.equal(formatNumber(-Infinity, 'numpy'), '-np.inf');
    assert.equal(formatNumber(NaN, 'python'), "float('nan')");
    assert.equal(formatNumber(Infinity, 'torch'), "float('inf')");
    assert.equal(formatNumber(NaN, 'json'), 'NaN');
    assert.equal(formatNumber(-Infinity, 'matlab'), '-Inf');
    assert.equal(formatNumber(NaN, 'mathematica'), 'Indeterminate');
    assert.equal(formatNumber(1.5e-7, 'mathematica'), '1.5*^-7');
    assert.equal(formatNumber(1e21, 'latex'), '1 \\times 10^{21}');
    assert.equal(formatNumber(Infinity, 'latex'), '\\infty');
    assert.equal(formatNumber(-0, 'csv'), '-0');
    assert.equal(formatNumber(0.1, 'r'), '0.1');
  });
  it('writes 3-D and 4-D tensors where the notation allows, and refuses them elsewhere', () => {
    const cube = { shape: [2, 1, 2], data: new Float64Array([1, 2, 3, 4]) };
    assert.equal(formatMatrix(cube, 'python'), '[[[1, 2]],\n [[3, 4]]]');
    assert.throws(() => formatMatrix(cube, 'matlab'), RangeError);
    assert.throws(() => formatMatrix({ shape: [0, 2], data: new Float64Array(0) }, 'python'), RangeError);
    assert.throws(() => formatMatrix({ shape: [2, 2], data: new Float64Array(3) }, 'python'), RangeError);
  });
  it('round-trips special values through every notation', () => {
    for (const notation of NOTATIONS) {
      const text = formatMatrix(special, notation);
      assertTensor(parseMatrix(text, notation), special.shape, [...special.data]);
    }
  });
  it('is read back by auto-detection for the notations that can be told apart', () => {
    for (const notation of ['python', 'numpy', 'torch', 'tensorflow', 'matlab', 'r', 'mathematica', 'csv', 'tsv', 'latex', 'markdown'] as const) {
      assertTensor(parseMatrix(formatMatrix(box, notation)), [2, 2], [1, 2, 3, 4]);
    }
  });
});

describe('notationForLanguage', () => {
  it("maps VS Code's language ids", () => {
    assert.equal(notationForLanguage('python'), 'python');
    assert.equal(notationForLanguage('jupyter'), 'python');
    assert.equal(notationForLanguage('jsonc'), 'json');
    assert.equal(notationForLanguage('typescriptreact'), 'javascript');
    assert.equal(notationForLanguage('octave'), 'matlab');
    assert.equal(notationForLanguage('tex'), 'latex');
    assert.equal(notationForLanguage('wolfram'), 'mathematica');
    assert.equal(notationForLanguage('tsv'), 'tsv');
    assert.equal(notationForLanguage('plaintext'), undefined);
    assert.equal(notationForLanguage(undefined), undefined);
  });
});

/** Random tensors of rank 1 to `maxRank`, with any float64 values (NaN, ±Infinity, -0 included). */
function tensors(maxRank: number): fc.Arbitrary<{ shape: number[]; data: Float64Array }> {
  return fc
    .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: maxRank })
    .chain((shape) => {
      const size = shape.reduce((a, b) => a * b, 1);
      return fc.array(fc.double(), { minLength: size, maxLength: size }).map((values) => ({ shape, data: Float64Array.from(values) }));
    });
}

describe('formatMatrix ∘ parseMatrix (property)', () => {
  for (const notation of NOTATIONS) {
    const twoD = isAlwaysTwoDimensional(notation);
    it(`round-trips random ${twoD ? '1-D and 2-D' : '1-D to 4-D'} tensors exactly in ${notation}`, () => {
      fc.assert(
        fc.property(tensors(twoD ? 2 : 4), (t) => {
          const back = parseMatrix(formatMatrix(t, notation), notation);
          const shape = twoD && t.shape.length === 1 ? [1, t.shape[0] as number] : t.shape;
          assert.deepEqual([...back.shape], shape);
          for (let k = 0; k < t.data.length; k++) assert.ok(Object.is(back.data[k], t.data[k]), `value ${k}: ${t.data[k]} came back as ${back.data[k]}`);
        }),
        { numRuns: 150 },
      );
    });
  }
});
