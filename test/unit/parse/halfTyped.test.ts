/**
 * Issue 16, half-typed text: a string or comment left open earlier in a file (a `"""` just typed, a
 * snippet that begins inside a docstring, a stray quote) must not hide the matrices and layer
 * calls below it. The fixtures are written in the shape of real files: a descriptor network whose
 * snippet begins inside its class docstring, an optical-flow module cut inside a function's
 * doctest, a docstring just opened above a module's layers, R and Python lines after a string left
 * open.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findLayerCalls, findMatrices, findMatrixAt, type FoundMatrix } from '../../../src/core/parse/index';
import { findLayerStacks } from '../../../src/core/parse/layerStacks';
import { tripleQuoteSpans } from '../../../src/core/parse/tripleQuotes';
import { PYTHON } from '../../../src/core/parse/dialects';

function fixture(name: string): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) dir = join(dir, '..');
  return readFileSync(join(dir, 'test/unit/parse/fixtures/halfTyped', name), 'utf8');
}

/** The text of a found literal, its white space run together. */
const source = (text: string, found: FoundMatrix | undefined): string | undefined => found && text.slice(found.start, found.end).replace(/\s+/g, ' ');

/** Offset of `needle` in `text` (its first occurrence), plus `delta`. */
function at(text: string, needle: string, delta = 1): number {
  const index = text.indexOf(needle);
  assert.ok(index >= 0, `test bug: ${needle} not found`);
  return index + delta;
}

const sources = (text: string, languageId: string): string[] => findMatrices(text, languageId).map((m) => source(text, m) as string);
const callNames = (text: string, languageId = 'python'): string[] => findLayerCalls(text, languageId).map((call) => call.name);

describe('half-typed text: a string or comment left open does not hide what follows', () => {
  describe('a snippet that begins inside a docstring', () => {
    it('a descriptor network cut inside its class docstring: its Sequential, its layers, its buffer literal', () => {
      const text = fixture('descriptor_snippet.py');
      assert.deepEqual(callNames(text), ['nn.Conv2d', 'nn.Conv2d']);
      const stacks = findLayerStacks(text, 'python');
      assert.deepEqual(
        stacks.map((stack) => [stack.name, stack.items.map((item) => item.label)]),
        [['self.features', ['nn.ReflectionPad2d', 'nn.Conv2d', 'nn.BatchNorm2d', 'nn.ReLU', 'nn.ReflectionPad2d', 'nn.Conv2d', 'nn.BatchNorm2d', 'nn.ReLU']]],
      );
      assert.deepEqual(sources(text, 'python'), ['torch.tensor([[0.25, 0.5], [0.5, 0.25]])']);
      assert.equal(source(text, findMatrixAt(text, at(text, '[0.25'), 'python')), 'torch.tensor([[0.25, 0.5], [0.5, 0.25]])');
    });
    it('an optical-flow module cut inside a doctest: the kernels below are read, the doctest stays text', () => {
      const text = fixture('optical_flow_snippet.py');
      const kernels = ['np.array([[-1, 1], [-1, 1]]) * 0.25', 'np.array([[-1, -1], [1, 1]]) * 0.25', 'np.array( [[1 / 12, 1 / 6, 1 / 12], [1 / 6, 0, 1 / 6], [1 / 12, 1 / 6, 1 / 12]] )'];
      assert.deepEqual(sources(text, 'python'), kernels);
      assert.equal(source(text, findMatrixAt(text, at(text, '[[-1, 1]'), 'python')), kernels[0]);
      assert.equal(source(text, findMatrixAt(text, at(text, '[[1 / 12', 2), 'python')), kernels[2]);
      assert.equal(findMatrixAt(text, at(text, '[[0, 1, 2]'), 'python'), undefined);
      assert.equal(findMatrixAt(text, at(text, '[3, 1, 0]'), 'python'), undefined);
    });
    it('a decoder block cut inside docstrings at both ends: its layers, stack and kernel', () => {
      const text = fixture('decoder_block_snippet.py');
      assert.deepEqual(callNames(text), ['nn.ConvTranspose2d', 'nn.Conv2d', 'nn.Conv2d']);
      assert.deepEqual(
        findLayerStacks(text, 'python').map((stack) => [stack.name, stack.items.length]),
        [['self.conv', 4]],
      );
      assert.equal(source(text, findMatrixAt(text, at(text, '[2, 4, 2]'), 'python')), 'torch.tensor([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16');
      assert.equal(findMatrixAt(text, at(text, 'Returns the'), 'python'), undefined);
    });
    it('a method pasted indented into a Markdown block, its quotes paired as written, is read as written', () => {
      const text = ['```python', '    def __init__(self):', '        """', '        Builds nn.Upsample(scale_factor=3) layers.', '        """', '        self.up = nn.Upsample(scale_factor=2)', '```', ''].join('\n');
      assert.deepEqual(
        findLayerCalls(text, 'markdown').map((call) => call.args.map((arg) => text.slice(arg.start, arg.end))),
        [['scale_factor=2']],
      );
    });
  });

  describe('a triple quote just typed', () => {
    it('above a module: the layers and kernels of both classes are found, the docstrings below stay strings', () => {
      const text = fixture('just_typed_docstring.py');
      assert.deepEqual(callNames(text), ['nn.ConvTranspose2d', 'nn.Conv2d']);
      assert.deepEqual(sources(text, 'python'), ['[[1, 2, 1], [2, 4, 2], [1, 2, 1]]', '[[0, 1], [1, 0]]']);
      assert.equal(source(text, findMatrixAt(text, at(text, '[2, 4, 2]'), 'python')), '[[1, 2, 1], [2, 4, 2], [1, 2, 1]]');
      assert.equal(source(text, findMatrixAt(text, at(text, '[1, 0]]'), 'python')), '[[0, 1], [1, 0]]');
    });
    it('in the middle of a file with one-line docstrings below', () => {
      const text = [
        'def blur():',
        '    """',
        '    k = [[1, 2, 1], [2, 4, 2], [1, 2, 1]]',
        '    return nn.Conv2d(1, 1, 3, padding=1)',
        '',
        'def sharpen():',
        '    """Sharpens."""',
        '    k = [[0, -1, 0], [-1, 5, -1], [0, -1, 0]]',
        '    return nn.Conv2d(1, 1, 3)',
        '',
        'def up():',
        '    """Doubles the size."""',
        '    return nn.ConvTranspose2d(8, 8, 2, stride=2)',
        '',
      ].join('\n');
      assert.deepEqual(callNames(text), ['nn.Conv2d', 'nn.Conv2d', 'nn.ConvTranspose2d']);
      assert.deepEqual(sources(text, 'python'), ['[[1, 2, 1], [2, 4, 2], [1, 2, 1]]', '[[0, -1, 0], [-1, 5, -1], [0, -1, 0]]']);
      assert.equal(source(text, findMatrixAt(text, at(text, '[2, 4'), 'python')), '[[1, 2, 1], [2, 4, 2], [1, 2, 1]]');
    });
    it('at the end of a file: the rest of its line is the string, nothing above changes', () => {
      const text = 'k = [[1, 2], [3, 4]]\n"""Notes\n[5, 6]\n';
      assert.deepEqual(sources(text, 'python'), ['[[1, 2], [3, 4]]', '[5, 6]']);
      assert.equal(findMatrixAt(text, at(text, 'Notes'), 'python'), undefined);
    });
    it('in a fenced Python block of Markdown: the block’s calls below are found, other blocks are their own', () => {
      const text = ['```python', '"""', 'up = nn.ConvTranspose2d(4, 2, 3)', '```', '', '```python', '"""Docs."""', 'down = nn.Conv2d(2, 4, 3)', '```', ''].join('\n');
      assert.deepEqual(callNames(text, 'markdown'), ['nn.ConvTranspose2d', 'nn.Conv2d']);
    });
    it('in Julia: a docstring just opened above a matrix', () => {
      const text = '"""\n    smooth(x)\nK = [1 2; 3 4]\n';
      assert.deepEqual(sources(text, 'julia'), ['[1 2; 3 4]']);
      assert.equal(source(text, findMatrixAt(text, at(text, '3 4'), 'julia')), '[1 2; 3 4]');
    });
  });

  describe('block comments and one-line strings left open', () => {
    it('an unclosed /* in JavaScript, %{ in MATLAB, #= in Julia comments out its own line only', () => {
      const js = 'const a = 1; /* the kernel:\nconst k = [[1, 0], [0, 1]];\n';
      assert.deepEqual(sources(js, 'javascript'), ['[[1, 0], [0, 1]]']);
      assert.equal(source(js, findMatrixAt(js, at(js, '[0, 1]'), 'javascript')), '[[1, 0], [0, 1]]');
      const matlab = '%{\nK = [1 2; 3 4];\n';
      assert.deepEqual(sources(matlab, 'matlab'), ['[1 2; 3 4]']);
      const julia = '#= notes\nK = [1 2; 3 4]\n';
      assert.equal(source(julia, findMatrixAt(julia, at(julia, '3 4'), 'julia')), '[1 2; 3 4]');
      // A closed block comment still hides what it holds.
      assert.deepEqual(sources('/* [9, 9] */ const k = [1, 2];', 'javascript'), ['[1, 2]']);
    });
    it('a stray quote in a line without a comment ends with its line (Python, R)', () => {
      const python = fixture('stray_quote.py');
      assert.deepEqual(sources(python, 'python'), ['np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]])']);
      assert.deepEqual(callNames(python), ['nn.Upsample']);
      const r = fixture('unclosed_string.R');
      assert.deepEqual(
        findMatrices(r, 'r').map((m) => Array.from(m.data)),
        [
          [-1, 0, 1, -2, 0, 2, -1, 0, 1],
          [0, 1, 0, 1, -4, 1, 0, 1, 0],
        ],
      );
      assert.equal(findMatrixAt(r, at(r, '-2, 0'), 'r')?.shape.join('x'), '3x3');
    });
  });

  describe('well-formed text is read as written', () => {
    it('a string of code stays a string, and a cursor in a docstring finds nothing', () => {
      const text = 'CODE = """\ndef f():\n    return [[1, 2], [3, 4]]\n"""\nk = [[5, 6]]\n';
      assert.equal(tripleQuoteSpans(text, 0, text.length, PYTHON.rules), undefined);
      assert.deepEqual(sources(text, 'python'), ['[[5, 6]]']);
      assert.equal(findMatrixAt(text, at(text, '[3, 4]'), 'python'), undefined);
      assert.deepEqual(callNames('"""\nnn.Conv2d(1, 2, 3)\n"""\nnn.Conv2d(4, 5, 6)\n'), ['nn.Conv2d']);
    });
    it('quotes Python and Julia allow are no evidence of breakage: concatenation, keywords, macros, indented comments', () => {
      const JULIA_RULES = { ...PYTHON.rules, stringMacros: true, significantIndentation: false };
      const wellFormed: [string, typeof PYTHON.rules][] = [
        ['x = \'a\' """b"""\ny = """c""".strip() if x else """d"""\n', PYTHON.rules],
        ['def f():\n    return """\n    text\n    """ % (1,)\n', PYTHON.rules],
        ['    # an indented comment may open a file\n"""Module."""\nk = [[1, 2]]\n', PYTHON.rules],
        ['@doc """\n    f(x)\n""" f\nr"""a"""i\n', JULIA_RULES],
      ];
      for (const [text, rules] of wellFormed) assert.equal(tripleQuoteSpans(text, 0, text.length, rules), undefined, text);
    });
    it('in broken text, a cursor in a real docstring still finds nothing', () => {
      const text = fixture('descriptor_snippet.py');
      assert.equal(findMatrixAt(text, at(text, 'Scales every'), 'python'), undefined);
      assert.equal(findMatrixAt(text, at(text, 'torch.rand(16'), 'python'), undefined);
    });
    it('string prefixes and string macros open strings; a word glued to a quote closes one', () => {
      // `r"""` is a raw docstring (Python), `raw"""` a string macro (Julia): neither is a stray.
      const python = 'def f():\n    r"""Raw [1, 2]."""\n    return [3, 4]\n"""\n';
      assert.deepEqual(sources(python, 'python'), ['[3, 4]']);
      const julia = 'x = raw"""\n[1 2]\n"""\nK = [3 4]\n"""\n';
      assert.deepEqual(sources(julia, 'julia'), ['[3 4]']);
    });
  });
});
