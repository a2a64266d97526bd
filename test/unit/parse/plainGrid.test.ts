import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { JSON_DIALECT, JULIA, MATLAB, PYTHON, type Dialect } from '../../../src/core/parse/dialects';
import { ParseError } from '../../../src/core/parse/errors';
import { parseLatexCellTokens } from '../../../src/core/parse/latex';
import { parseDelimited } from '../../../src/core/parse/table';
import { parseBracketedTokens, parseMatlabTokens } from '../../../src/core/parse/parseMatrix';
import { readPlainDelimited, readPlainLatexCells, readPlainMatlab, readPlainNested } from '../../../src/core/parse/plainGrid';
import { assertTensor } from './helpers';

/** What the full parser makes of the text: a result or the message of its ParseError. */
function fullParse(read: () => { shape: readonly number[]; data: Float64Array }): { shape: number[]; data: number[] } | string {
  try {
    const { shape, data } = read();
    return { shape: [...shape], data: [...data] };
  } catch (error) {
    if (error instanceof ParseError) return error.message;
    throw error;
  }
}

/** The fast path either gives up or returns exactly the full parser's result (to the bit). */
function agreesWithFullParser(fast: { shape: readonly number[]; data: Float64Array } | undefined, full: ReturnType<typeof fullParse>, text: string): void {
  if (!fast) return;
  assert.notEqual(typeof full, 'string', `fast path accepted ${JSON.stringify(text)}, which the full parser rejects: ${String(full)}`);
  const expected = full as { shape: number[]; data: number[] };
  assertTensor(fast, expected.shape, expected.data);
}

type Case = [text: string, shape: number[], values: number[]];
type Read = (text: string) => { shape: readonly number[]; data: Float64Array } | undefined;

/** Each case takes the fast path, gives the expected tensor, and agrees with the full parser. */
function readsFast(cases: Case[], fast: Read, full: (text: string) => ReturnType<typeof fullParse>): void {
  for (const [text, shape, values] of cases) {
    const tensor = fast(text);
    assert.ok(tensor, `fast path gave up on ${JSON.stringify(text)}`);
    assertTensor(tensor, shape, values);
    agreesWithFullParser(tensor, full(text), text);
  }
}

const matlabFast = (text: string, dialect: Dialect = MATLAB) => readPlainMatlab(text, 0, text.length, dialect.rules.numbers, dialect === JULIA);
const matlabFull = (text: string, dialect: Dialect = MATLAB) => fullParse(() => parseMatlabTokens(text, 0, text.length, dialect, dialect.name === 'julia' ? 'julia' : 'matlab').tensor);
const latexFast = (text: string) => readPlainLatexCells(text, 0, text.length);
const latexFull = (text: string) => fullParse(() => parseLatexCellTokens(text, 0, text.length));

describe('plain-grid fast paths', () => {
  describe('MATLAB / Julia', () => {
    it('reads plain grids with spaces, commas, semicolons and line breaks', () => {
      const cases: Case[] = [
        ['[1 2; 3 4]', [2, 2], [1, 2, 3, 4]],
        ['[1, 2; 3, 4]', [2, 2], [1, 2, 3, 4]],
        ['  [ -1 +2 ;\r\n  3.5e-1\t.25 ];\n', [2, 2], [-1, 2, 0.35, 0.25]],
        ['[1 -2]', [1, 2], [1, -2]],
        ['[1\n2\n\n3]', [3, 1], [1, 2, 3]],
        ['[0.1 0.2 0.3]', [1, 3], [0.1, 0.2, 0.3]],
      ];
      readsFast(cases, (text) => matlabFast(text)?.tensor, matlabFull);
    });

    it('leaves everything else to the full parser', () => {
      const others = [
        '[1 - 2]', // arithmetic
        '[1-2]',
        '[1 2]\'', // transpose
        '[1 2 % comment\n 3 4]',
        '[1 2 ...\n 3 4]',
        '[1 2; 3]', // ragged: the full parser says how
        '[1,,2]',
        '[,1]',
        '[1 2,;3 4]',
        '[1:3]',
        '[NaN 1]',
        '[1i 2]',
        '[]',
        '[[1 2]; [3 4]]',
        '[1 2',
        '[1 2] x',
        '1 2; 3 4',
        '[1.5.2]',
      ];
      for (const text of others) assert.equal(matlabFast(text), undefined, JSON.stringify(text));
      assert.equal(matlabFast('[1, 2, 3]', JULIA), undefined, 'a Julia comma list is a vector');
      assert.equal(matlabFast('[1 2;; 3 4]', JULIA), undefined, "Julia's ;; is another dimension");
      assert.ok(matlabFast('[1 2 3]', JULIA));
    });

    it('agrees with the full parser on generated grids', () => {
      fc.assert(
        fc.property(grids, fc.constantFrom(...SEPARATORS), fc.boolean(), (rows, [cell, row], julia) => {
          const text = `[${rows.map((r) => r.join(cell)).join(row)}]`;
          const dialect = julia ? JULIA : MATLAB;
          const fast = matlabFast(text, dialect);
          if (!julia || !cell.includes(',')) assert.ok(fast, `gave up on ${JSON.stringify(text)}`);
          agreesWithFullParser(fast?.tensor, matlabFull(text, dialect), text);
        }),
      );
    });

    it('never accepts what the full parser rejects, nor reads it differently (mutated text)', () => {
      fc.assert(
        fc.property(grids, fc.array(fc.tuple(fc.nat(), fc.constantFrom(' ', '-', '+', ',', ';', '\n', '.', 'e', '[', ']', "'", '1', '')), { maxLength: 4 }), (rows, edits) => {
          let text = `[${rows.map((r) => r.join(' ')).join('; ')}]`;
          for (const [at, insert] of edits) {
            const k = at % (text.length + 1);
            text = text.slice(0, k) + insert + text.slice(k + (insert === '' ? 1 : 0));
          }
          agreesWithFullParser(matlabFast(text)?.tensor, matlabFull(text), text);
        }),
      );
    });
  });

  describe('LaTeX cells', () => {
    it('reads signed numbers between & and \\\\', () => {
      const cases: Case[] = [
        ['1 & 2 \\\\ 3 & 4', [2, 2], [1, 2, 3, 4]],
        ['\n -1 & - 2 \\\\\n \u22123 & +.5 \\\\\n', [2, 2], [-1, -2, -3, 0.5]],
        ['1~&~2', [1, 2], [1, 2]],
        ['1 \\\\ \\\\ 2', [2, 1], [1, 2]],
      ];
      readsFast(cases, latexFast, latexFull);
    });

    it('leaves commands, arithmetic, comments and malformed rows to the full parser', () => {
      const others = ['\\frac{1}{2} & 1', '1.5 \\times 10^{-7}', '1 & 2 % note\n \\\\ 3 & 4', '1 & 2 \\\\[2pt] 3 & 4', '1 & \\\\ 2 & 3', '& 1', '1 &', '1 & 2 \\\\ 3', '1 2', '2^3', '\\hline 1', '', '1 - 2'];
      for (const text of others) assert.equal(latexFast(text), undefined, JSON.stringify(text));
    });

    it('agrees with the full parser on generated and mutated cells', () => {
      fc.assert(
        fc.property(grids, fc.array(fc.tuple(fc.nat(), fc.constantFrom(' ', '-', '&', '\\', '\\\\', '.', 'e', '~', '1', '')), { maxLength: 3 }), (rows, edits) => {
          let text = rows.map((r) => r.join(' & ')).join(' \\\\\n');
          assert.ok(latexFast(text), `gave up on ${JSON.stringify(text)}`);
          for (const [at, insert] of edits) {
            const k = at % (text.length + 1);
            text = text.slice(0, k) + insert + text.slice(k + (insert === '' ? 1 : 0));
          }
          agreesWithFullParser(latexFast(text), latexFull(text), text);
        }),
      );
    });
  });
});

/** Number spellings both notations share, signed or not. */
const numberText = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => String(v)),
  fc.tuple(fc.nat(999), fc.integer({ min: -30, max: 30 })).map(([m, e]) => `${m}e${e}`),
  fc.nat(9999).map((n) => `.${n}`),
);

const grids = fc.integer({ min: 1, max: 5 }).chain((columns) => fc.array(fc.array(numberText, { minLength: columns, maxLength: columns }), { minLength: 1, maxLength: 5 }));

const SEPARATORS: [string, string][] = [
  [' ', '; '],
  [', ', ';'],
  ['\t', '\n'],
  ['  ', ';\n  '],
  [',', '\r\n'],
];

describe('plain nested-list fast path', () => {
  const nestedFast = (text: string, dialect: Dialect = PYTHON) => readPlainNested(text, 0, text.length, dialect.rules.numbers);
  const nestedFull = (text: string, dialect: Dialect = PYTHON) => fullParse(() => parseBracketedTokens(text, 0, text.length, dialect, dialect === JSON_DIALECT ? 'json' : 'python').tensor);

  it('reads nested lists of numbers, 1-D to 4-D', () => {
    const cases: Case[] = [
      ['[1, 2, 3]', [3], [1, 2, 3]],
      [' [[1, -2],\n  [+3, .5e1]]\n', [2, 2], [1, -2, 3, 5]],
      ['[[[1], [2]], [[3], [4]]]', [2, 2, 1], [1, 2, 3, 4]],
      ['[[[[7]]]]', [1, 1, 1, 1], [7]],
      ['[1_000, 0x10]', [2], [1000, 16]],
    ];
    readsFast(cases, (text) => nestedFast(text)?.tensor, (text) => nestedFull(text));
  });

  it('leaves ragged, empty, 5-D and decorated lists to the full parser', () => {
    const others = ['[[1, 2], [3]]', '[[1], 2]', '[1, [2]]', '[]', '[[]]', '[1, 2,]', '[[[[[1]]]]]', '[1, 2] # c', '[1 2]', '[- 1]', '[x, 1]', '[1, 2', 'np.array([1])', '[1, 2] * 2', '[1,, 2]', '[, 1]'];
    for (const text of others) assert.equal(nestedFast(text), undefined, JSON.stringify(text));
    assert.equal(nestedFast('[0x10]', JSON_DIALECT), undefined, 'JSON has no hexadecimal');
  });

  it('agrees with the full parser on generated and mutated lists', () => {
    fc.assert(
      fc.property(
        grids,
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(' ', '-', '+', ',', '[', ']', '.', 'e', '_', 'x', '1', '\n', '')), { maxLength: 4 }),
        (rows, json, edits) => {
          const dialect = json ? JSON_DIALECT : PYTHON;
          let text = `[${rows.map((r) => `[${r.join(', ')}]`).join(',\n ')}]`;
          assert.ok(nestedFast(text, dialect), `gave up on ${JSON.stringify(text)}`);
          for (const [at, insert] of edits) {
            const k = at % (text.length + 1);
            text = text.slice(0, k) + insert + text.slice(k + (insert === '' ? 1 : 0));
          }
          agreesWithFullParser(nestedFast(text, dialect)?.tensor, nestedFull(text, dialect), text);
        },
      ),
    );
  });
});

describe('plain table fast path', () => {
  type Delimiter = ',' | '\t' | ';' | 'whitespace';
  const tableFast = (text: string, delimiter: Delimiter = ',') => readPlainDelimited(text, 0, text.length, delimiter);
  const tableFull = (text: string, delimiter: Delimiter = ',') => fullParse(() => parseDelimited(text, delimiter, 0, text.length));

  it('reads rows of numbers, skipping blank lines and a trailing delimiter', () => {
    readsFast(
      [
        ['1,2\n3,4', [2, 2], [1, 2, 3, 4]],
        [' -1 , +2.5e1 ,\r\n\n.5,3,\n', [2, 2], [-1, 25, 0.5, 3]],
        ['1\n2\n3\n', [3, 1], [1, 2, 3]],
      ],
      tableFast,
      tableFull,
    );
    readsFast([['1\t2\n3\t4', [2, 2], [1, 2, 3, 4]]], (text) => tableFast(text, '\t'), (text) => tableFull(text, '\t'));
    readsFast([['1  2\t3\n4 5 6', [2, 3], [1, 2, 3, 4, 5, 6]]], (text) => tableFast(text, 'whitespace'), (text) => tableFull(text, 'whitespace'));
  });

  it('leaves headers, quotes, empty cells, specials and ragged rows to the full reader', () => {
    for (const text of ['a,b\n1,2', '"1",2', '1,,2', ',1', '1,nan', '1,2\n3', '1 2', '1,2 3', '']) assert.equal(tableFast(text), undefined, JSON.stringify(text));
    assert.equal(tableFast('1-2 3', 'whitespace'), undefined);
  });

  it('agrees with the full reader on generated and mutated tables', () => {
    fc.assert(
      fc.property(
        grids,
        fc.constantFrom<[Delimiter, string]>([',', ','], [',', ', '], ['\t', '\t'], ['whitespace', ' '], ['whitespace', '  \t']),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(' ', '-', '+', ',', '\t', '\n', '.', 'e', '"', 'x', '1', '')), { maxLength: 4 }),
        (rows, [delimiter, separator], edits) => {
          let text = rows.map((r) => r.join(separator)).join('\n');
          assert.ok(tableFast(text, delimiter), `gave up on ${JSON.stringify(text)}`);
          for (const [at, insert] of edits) {
            const k = at % (text.length + 1);
            text = text.slice(0, k) + insert + text.slice(k + (insert === '' ? 1 : 0));
          }
          agreesWithFullParser(tableFast(text, delimiter), tableFull(text, delimiter), text);
        },
      ),
    );
  });
});
