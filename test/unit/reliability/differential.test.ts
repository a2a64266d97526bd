/**
 * Differential tests: literals read by Layer Lens against the language's own evaluator, installed
 * here (CI installs them: .ci/run): CPython with NumPy, GNU Octave for MATLAB, R, Node itself for
 * JavaScript and JSON, and PyTorch (python3-torch) for tensor arithmetic and bilinear upsampling. Julia has no Debian package in this distribution, so Julia notation is
 * not checked against Julia. Each evaluator runs once per suite with every case; a missing one
 * fails its suite, naming the package to install (a skipped comparison would pass unseen).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tensor, upsample, type UpsampleOptions } from '../../../src/core/engine/index';
import { ParseError, parseMatrix, type Notation } from '../../../src/core/parse/index';

interface Evaluated {
  readonly shape: number[];
  readonly values: number[];
}

/** `%.17g`-style text back to numbers (`Inf`, `-Inf`, `NaN`, `NA` as R and Octave write them). */
function numberOf(text: string): number {
  const t = text.trim();
  if (/^[+-]?inf(inity)?$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^(nan|na)$/i.test(t)) return NaN;
  return Number(t);
}

function run(program: string, args: string[], input?: string): string {
  const result = spawnSync(program, args, { input, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`${program} failed: ${result.stderr || result.error?.message}`);
  return result.stdout;
}

/** Lines `shape|v1,v2,…` (shape as `2x3`), one per case. */
function parseLines(output: string, count: number): Evaluated[] {
  const lines = output.split('\n').filter((line) => line.includes('|'));
  assert.equal(lines.length, count, `expected ${count} results, got:\n${output}`);
  return lines.map((line) => {
    const [shape, values] = line.split('|') as [string, string];
    return { shape: shape.split('x').map(Number), values: values === '' ? [] : values.split(',').map(numberOf) };
  });
}

function compare(cases: readonly string[], notation: Notation, evaluated: readonly Evaluated[], shapeOf: (shape: readonly number[]) => number[] = (s) => [...s]): void {
  cases.forEach((text, k) => {
    const expected = evaluated[k] as Evaluated;
    const ours = parseMatrix(text, notation);
    assert.deepEqual(shapeOf(ours.shape), expected.shape, `${JSON.stringify(text)}: shape`);
    const values = Array.from(ours.data);
    expected.values.forEach((v, i) => assert.ok(Object.is(values[i], v) || (Number.isNaN(v) && Number.isNaN(values[i] as number)), `${JSON.stringify(text)}[${i}]: Layer Lens ${values[i]}, the language ${v}`));
  });
}

function which(program: string): boolean {
  return ['/usr/bin', '/usr/local/bin', '/bin'].some((dir) => existsSync(`${dir}/${program}`));
}

describe('reliability: differential tests against the languages themselves', function () {
  this.timeout(180_000);

  describe('Python and NumPy (python3)', () => {
    const cases = [
      'np.array([[1, 2], [3, 4]]) / 16',
      '[2**3**2, -2**2, 2**-3, 1/3, 1e-7, 0.1 + 0.2, 2 - -3]',
      '[[1.5, -0.0], [float("inf"), -float("inf")]]',
      'np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype=np.float32) / 16',
      '(1, 2, (3))',
      // Issue 16: Python's integer -0 is 0 (only -0.0 is negative zero), NumPy's ** 0.5 is sqrt, C's pow(1, nan) is 1.
      'np.array([10., -0]) ** -1',
      '[1, -0, -0.0, 0 * -1, 0 * -1.0, -0 * 1.0]',
      'np.array([-np.inf, -0.0, 4.0]) ** 0.5',
      'np.array([-8.0, 8.0, -np.inf]) ** (1/3)',
      '[(-np.inf) ** 1/3, 1 ** float("nan"), (-1.0) ** float("inf"), (-np.inf) ** 0.5]',
      '[00, 0_0, 010.5, 1e010]',
      // Python's % takes the divisor's sign (CPython's float_rem), NumPy's too.
      '[-7 % 4, 7 % -4, -7.5 % 2, 7 % -4.0, 0 % -3, 0.0 % -3, -3 % float("inf"), 2 * 7 % 4]',
      'np.array([-7.0, 7.0, -0.0, 5.0]) % -4',
    ];
    before(() => {
      if (!which('python3') || spawnSync('python3', ['-c', 'import numpy']).status !== 0) {
        throw new Error('python3 with NumPy is not installed: these tests compare with it (Debian: apt-get install python3-numpy; .ci/run installs it).');
      }
    });
    it(`${cases.length} literals read as CPython and NumPy evaluate them`, () => {
      const script = [
        'import sys, json, math',
        'import numpy as np',
        'class _T:',
        '    float64 = np.float64',
        '    @staticmethod',
        '    def tensor(x, dtype=None): return np.array(x, dtype=np.float64)',
        'torch = _T()',
        'for text in json.load(sys.stdin):',
        '    a = np.asarray(eval(text), dtype=np.float64)',
        "    print('x'.join(map(str, a.shape)) + '|' + ','.join(repr(float(v)) for v in a.ravel()))",
      ].join('\n');
      const evaluated = parseLines(run('python3', ['-c', script], JSON.stringify(cases)), cases.length);
      compare(cases, 'python', evaluated);
    });
    it('what Python refuses (ZeroDivisionError, a complex power, OverflowError, a leading zero) is refused', () => {
      const refused = ['[1/0]', '[1 % 0]', '[0 ** -1]', '[0.0 ** -1]', '[(-8.0) ** (1/3)]', '[2.0 ** 1024]', '[10 ** 400]', '[010]', '[1, 2e3, 00.5, 0o17, 017]'];
      const script = [
        'import sys, json',
        'import numpy as np',
        'for text in json.load(sys.stdin):',
        '    try:',
        '        a = np.asarray(eval(text), dtype=np.float64)',
        "        print('value|')",
        '    except Exception as e:',
        "        print('refused|' + type(e).__name__)",
      ].join('\n');
      const answers = run('python3', ['-c', script], JSON.stringify(refused)).split('\n').filter((line) => line.includes('|'));
      refused.forEach((text, k) => {
        assert.match(answers[k] as string, /^refused\|/, `${text}: Python computes it`);
        assert.throws(() => parseMatrix(text, 'python'), ParseError, text);
      });
    });
    it('floor division, which Layer Lens does not compute, is refused, never read as a comment', () => {
      for (const text of ['np.array([8 // 2,\n -1])', 'torch.tensor([5 // 2,\n -3])']) {
        for (const notation of [undefined, 'python'] as const) assert.throws(() => parseMatrix(text, notation), /`\/\/` is not supported/, `${text} (${String(notation)})`);
      }
    });
  });

  describe('MATLAB notation (GNU Octave)', () => {
    const cases = ['[2^3^2]', '[1:3.99999999999]', '[0:0.1:0.3]', '[1 -2; 3 -4]', '[1 - 2, 3]', '[-2^2, 2^-1]', '[1e3 .5; 1/3 -0]', '[5:-1:1]', "[1 2 ...\n 3]'", '[1 2\n3 4]', '[1^NaN, 010, -0 * 1]', '[1 2\r3 4]', '[1 2 % c\r3 4]'];
    before(() => {
      if (!which('octave')) {
        throw new Error('octave is not installed: these tests compare with it (Debian: apt-get install octave; .ci/run installs it).');
      }
    });
    it(`${cases.length} literals read as Octave evaluates them`, () => {
      const script = cases.map((text) => `x = ${text}; printf('%s|', strjoin(arrayfun(@num2str, size(x), 'UniformOutput', false), 'x')); y = x.'; printf('%s\\n', strjoin(arrayfun(@(v) sprintf('%.17g', v), y(:)', 'UniformOutput', false), ','));`).join('\n');
      const evaluated = parseLines(run('octave', ['--no-gui', '--quiet', '--no-window-system', '--eval', script]), cases.length);
      // Octave prints the transpose's column order, which is the row-major order Layer Lens keeps.
      compare(cases, 'matlab', evaluated);
    });
    it('a row Octave rejects (`[1 -2; 3 - 4]`: 2 values above 1) is refused', () => {
      assert.throws(() => parseMatrix('[1 -2; 3 - 4]', 'matlab'));
    });
    it('a negative number to a power that is not a whole number, complex in Octave, is refused', () => {
      const complex = ['[(-8)^(1/3)]', '[(-1)^Inf]', '[(-Inf)^0.5]'];
      const script = complex.map((text) => `printf('%d\\n', iscomplex(${text}));`).join('\n');
      const answers = run('octave', ['--no-gui', '--quiet', '--no-window-system', '--eval', script]).trim().split('\n');
      complex.forEach((text, k) => {
        assert.equal(answers[k], '1', `${text}: Octave gives a real number`);
        assert.throws(() => parseMatrix(text, 'matlab'), /complex number in MATLAB/, text);
      });
    });
  });

  describe('R (Rscript)', () => {
    const cases = [
      'c(1:3.9999999)',
      'matrix(c(1, 2, 3, 4, 5, 6), nrow = 2, byrow = TRUE)',
      'c(2^3^2, -2^2, 5:1)',
      'matrix(c(1, 2, 3, 4), nrow = 2)',
      'c(1e-3, 1/3, -0.5)',
      // R's 0 is a double (-0 keeps its sign), 0L an integer (it has none); R_pow's 1^NaN and (-8)^(1/3).
      'c(-0, -0L, 010, 1^NaN, (-8)^(1/3), (-1)^Inf, (-Inf)^0.5)',
    ];
    before(() => {
      if (!which('Rscript')) {
        throw new Error('Rscript is not installed: these tests compare with it (Debian: apt-get install r-base-core; .ci/run installs it).');
      }
    });
    it(`${cases.length} literals read as R evaluates them (a vector as a column, as as.matrix makes it)`, () => {
      const script = cases.map((text) => `x <- as.matrix(${text}); cat(paste(dim(x), collapse = 'x'), '|', paste(sprintf('%.17g', t(x)), collapse = ','), '\\n', sep = '')`).join('\n');
      const evaluated = parseLines(run('Rscript', ['-e', script]), cases.length);
      compare(cases, 'r', evaluated);
    });
  });

  describe('PyTorch (python3 with torch)', () => {
    // The pyenv python3 on PATH may lack torch; Debian's /usr/bin/python3 (python3-torch) has it.
    const python = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
    before(() => {
      if (!python) throw new Error('python3 with torch is not installed: these tests compare with it (Debian: apt-get install python3-torch; .ci/run installs it).');
    });
    it('tensor ** 0.5 and ** -0.5 as PyTorch computes them (sqrt and rsqrt, not pow)', () => {
      const f64 = 'dtype=torch.float64';
      const cases = [`torch.tensor([-float("inf"), -0.0, 4.0, -4.0], ${f64}) ** 0.5`, `torch.tensor([-float("inf"), -0.0, 4.0, 1.0], ${f64}) ** -0.5`, `torch.tensor([10., -0], ${f64}) ** -1`];
      const script = [
        'import sys, json, torch',
        'for text in json.load(sys.stdin):',
        '    a = eval(text).to(torch.float64)',
        "    print('x'.join(map(str, a.shape)) + '|' + ','.join(repr(float(v)) for v in a.flatten().tolist()))",
      ].join('\n');
      compare(cases, 'python', parseLines(run(python as string, ['-c', script], JSON.stringify(cases)), cases.length));
    });
    it('200 random inputs with values of ±1e300, ±1.7e308 and subnormals agree to 1e-9 relative, both kernels', () => {
      let state = 2026;
      const next = (): number => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0), state / 2 ** 32);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
      const cases: { shape: number[]; data: number[]; options: UpsampleOptions }[] = [];
      while (cases.length < 200) {
        const shape = [1 + Math.floor(next() * 2), pick([1, 1, 2, 3]), 1 + Math.floor(next() * 5), 1 + Math.floor(next() * 5)];
        const scaleFactor: [number, number] = [pick([1.25, 1.5, 2, 3, 1.7, 0.75]), pick([1.25, 1.5, 2, 3, 1.7, 0.75])];
        if (Math.floor((shape[2] as number) * scaleFactor[0]) < 1 || Math.floor((shape[3] as number) * scaleFactor[1]) < 1) continue;
        const data = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => pick([1e300, -1e300, 1.7e308, 1e-310, (next() - 0.5) * 10, (next() - 0.5) * 1e10]));
        cases.push({ shape, data, options: { scaleFactor, mode: 'bilinear', alignCorners: next() < 0.25 } });
      }
      const script = [
        'import sys, json, torch',
        'import torch.nn.functional as F',
        'for c in json.load(sys.stdin):',
        "    x = torch.tensor(c['data'], dtype=torch.float64).reshape(c['shape'])",
        "    o = c['options']",
        "    y = F.interpolate(x, scale_factor=o['scaleFactor'], mode='bilinear', align_corners=o['alignCorners'])",
        "    print('x'.join(map(str, y.shape)) + '|' + ','.join(repr(v) for v in y.flatten().tolist()))",
      ].join('\n');
      const evaluated = parseLines(run(python as string, ['-c', script], JSON.stringify(cases)), cases.length);
      cases.forEach((c, k) => {
        const expected = evaluated[k] as Evaluated;
        const ours = upsample(tensor(c.shape, c.data), c.options);
        assert.deepEqual([...ours.shape], expected.shape);
        expected.values.forEach((v, i) => {
          const got = ours.data[i] as number;
          assert.ok(Object.is(got, v) || Math.abs(got - v) <= 1e-9 * Math.max(1, Math.abs(v)), `case ${k} ${JSON.stringify(c)}[${i}]: Layer Lens ${got}, PyTorch ${v}`);
        });
      });
    });
  });

  describe('JavaScript and JSON (this Node)', () => {
    const cases = [
      '[1, 2e3, -0.5, 2 ** -3, 1 / 3]',
      '[[1, 2], [3, 4]]',
      'new Float64Array([1, -0, 0.1 + 0.2])',
      '[-0, 1e-7, 0.1]',
      '[1 ** NaN, (-1) ** Infinity, 0 * -1]',
      // JavaScript's % keeps the dividend's sign.
      'Float64Array.of(1, 7 % 4, 2)',
      '[-7 % 4, 7 % -4, -0 % 5, 5.5 % 2, 1 % 0, 2 * 7 % 4]',
    ];
    it('what V8 refuses (`2 3`, and in strict code the legacy octal `010`) is refused, never read another way', () => {
      for (const text of ['Float64Array.of(1, 2 3, 4)', '[010]', '[08]', 'new Float64Array([1, 010])']) {
        let strict: unknown;
        try {
          strict = new Function(`'use strict'; return ${text}`)() as unknown;
        } catch (error) {
          strict = error;
        }
        assert.throws(() => parseMatrix(text, 'javascript'), ParseError, text);
        // Sloppy V8 reads `010` as 8; strict code refuses it. Layer Lens refuses it.
        if (/\b0\d/.test(text)) assert.ok(strict instanceof SyntaxError, `${text}: strict V8 read it`);
      }
    });
    it(`${cases.length} literals read as V8 evaluates them`, () => {
      for (const text of cases) {
        const value = new Function(`return ${text}`)() as unknown;
        const flat: number[] = [];
        const shape: number[] = [];
        let level: unknown = value;
        while (Array.isArray(level) || ArrayBuffer.isView(level)) {
          shape.push((level as ArrayLike<unknown>).length);
          level = (level as ArrayLike<unknown>)[0];
        }
        const walk = (v: unknown): void => {
          if (Array.isArray(v) || ArrayBuffer.isView(v)) Array.from(v as ArrayLike<unknown>).forEach(walk);
          else flat.push(v as number);
        };
        walk(value);
        compare([text], 'javascript', [{ shape, values: flat }]);
        if (text.startsWith('[') && !/[*/%]|NaN|Infinity/.test(text)) compare([text], 'json', [{ shape, values: JSON.parse(text) as number[] }].map((e) => ({ shape, values: flat.length ? flat : e.values })));
      }
    });
  });
});
