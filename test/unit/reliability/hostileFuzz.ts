/**
 * A seeded fuzzer for the pure library: texts mutated from literals, layer code and pathological
 * runs, fed to every parser and finder, and layer calls with hostile options. Each call must return
 * or throw a LayerError / ParseError; anything else is a crash. Shared by the few-second run in the
 * unit tests and `npm run fuzz` (scripts/fuzz.ts), which runs it for 100,000 inputs and more.
 */
import {
  analyzeOverlap,
  analyzeVolumeOverlap,
  avgPool1d,
  avgPool2d,
  avgPool3d,
  conv1d,
  conv3d,
  convTranspose1d,
  convTranspose3d,
  maxPool1d,
  maxPool3d,
  upsample1d,
  upsample3d,
  compareUpsampling,
  compoundOverlap,
  conv2d,
  convTranspose2d,
  findLayerCalls,
  findLayerStacks,
  findMatrices,
  findMatrixAt,
  LayerError,
  maxPool2d,
  NOTATIONS,
  outputShape,
  ParseError,
  parseMatrix,
  pixelShuffle,
  upsample,
  type Notation,
} from '../../../src/core';
import { mulberry32 } from '../../../src/core/engine/seededWeight';
import { plainText, codeSpan } from '../../../src/core/insight/markdownText';
import { summarizeDocument } from '../../../src/core/insight/documentSummary';
import { DocumentInsights } from '../../../src/core/insight/layerInsight';
import { localRegions } from '../../../src/core/insight/localRegions';

const LANGUAGES = [undefined, 'python', 'json', 'javascript', 'matlab', 'julia', 'r', 'latex', 'markdown', 'quarto', 'csv', 'tsv', 'plaintext', 'wolfram'];

const SEEDS = [
  '[[1, 2], [3, 4]]',
  'np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], dtype=np.float32) / 16',
  "[float('nan'), -np.inf, 2**-3, -1/16, 8 // 2]",
  '[1 2; 3 4]',
  "[0 0.25 ...\n 0.5]'",
  '[1:3 4:6; 2^3^2 1:0.5:3]',
  'matrix(c(1, 2, 3, 4), nrow = 2, byrow = TRUE)',
  'c(1:9, -2:2)',
  '{{1, 2*^3}, {Infinity, Indeterminate}}',
  '0,0.1\n0.2,0.3\n',
  '\t1\t2\n3\t4\t5\n',
  '\\begin{bmatrix} -\\frac{1}{2} & 2^{-3} \\\\ \\infty & 1.5 \\times 10^{-7} \\,\\phantom{1} \\end{bmatrix}',
  '| a | b |\n|---|---|\n| 1 | 2 |',
  '```python\nx = [[1, 2], [3, 4]]\n```\n`[5, 6]` $\\begin{pmatrix}1\\end{pmatrix}$',
  'new Float32Array([1, 2, 3]); Float64Array.of(1, 7 % 4, 2)',
  '"""doc [1, 2]"""\nx = [[1, 2],  # c\n  [3, 4]]\n',
  'import torch.nn as nn\nself.main = nn.Sequential(\n    # state size. (ngf*8) x 4 x 4\n    nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False),\n    nn.BatchNorm2d(ngf * 4),\n    nn.ReLU(True),\n)\n',
  'x = layers.Conv2DTranspose(64, 3, strides=2, padding="same")(x)\nx = layers.UpSampling2D(2)(x)\n',
  'class G(nn.Module):\n    def __init__(self):\n        self.up = nn.ConvTranspose2d(3, 3, 3, stride=2.0)\n        self.c = nn.Conv2d(3, 3, 3)\n',
];

/** Pieces that have broken parsers before: long runs, unbalanced brackets, open strings and fences. */
const HOSTILE_RUNS = ['(', '[', '{', ')', ']', '`', '```\n', '"""', "'", '\\,', '\\begin{bmatrix}', 'nn.Sequential(', 'f(', '\n', ' ', '1 ', '[1]\n', '%', '#', '//', '1:3999', '\r'];
const ALPHABET = '[](){},;: \n\t\r0123456789.-+*/^e_xjnaINf\'"#%&\\|`$=~<>!';

export interface FuzzReport {
  readonly inputs: number;
  readonly calls: number;
  readonly crashes: { readonly what: string; readonly error: string }[];
  /** Calls over `slowMs`, slowest first. */
  readonly slow: { readonly what: string; readonly ms: number }[];
  readonly slowestMs: number;
}

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** A text of about `size` characters at most: a seed, mutated, or a run of a hostile piece. */
export function hostileText(random: Random, size: number): string {
  const kind = random();
  if (kind < 0.15) {
    const piece = pick(random, HOSTILE_RUNS);
    const around = pick(random, SEEDS);
    const repeat = 1 + Math.floor(random() * Math.max(1, size / piece.length));
    return random() < 0.5 ? piece.repeat(repeat) + around : around + piece.repeat(repeat);
  }
  let text = pick(random, SEEDS);
  if (kind < 0.3) text = Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(random, SEEDS)).join(pick(random, ['\n', ' ', ', ', '\n\n']));
  const edits = Math.floor(random() * 6);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * (text.length + 1));
    const remove = Math.floor(random() * 4);
    let insert = '';
    for (let k = Math.floor(random() * 4); k > 0; k--) insert += ALPHABET[Math.floor(random() * ALPHABET.length)];
    text = text.slice(0, at) + insert + text.slice(at + remove);
  }
  return text.slice(0, size);
}

const HOSTILE_VALUES: readonly unknown[] = [0, 1, 2, 3, -1, 1.5, NaN, Infinity, 1e9, 2 ** 31, 2 ** 53 - 1, null, 'two', [2, 2], [1, 0], [2], [[2]], {}, undefined, 1e308, -0, [2, 2, 2], [1, 1, 0], [1e9, 1, 1]];

function hostileShape(random: Random): number[] {
  const rank = 1 + Math.floor(random() * 4);
  return Array.from({ length: rank }, () => (random() < 0.1 ? pick(random, [0, 1e15, -1, 2.5]) : 1 + Math.floor(random() * 4)));
}

function hostileTensor(random: Random): { shape: number[]; data: Float64Array } {
  const shape = hostileShape(random);
  const size = shape.reduce((a, b) => a * b, 1);
  const length = Number.isSafeInteger(size) && size >= 0 && size <= 4096 ? (random() < 0.9 ? size : Math.floor(random() * 8)) : 0;
  const data = new Float64Array(length);
  for (let i = 0; i < length; i++) data[i] = random() < 0.05 ? pick(random, [NaN, Infinity, -Infinity, 1e300, -0]) : Math.round((random() - 0.5) * 8);
  return { shape, data };
}

function hostileOptions(random: Random): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const name of ['stride', 'padding', 'outputPadding', 'dilation', 'groups', 'kernelSize', 'scaleFactor', 'size', 'upscaleFactor', 'mode', 'alignCorners', 'ceilMode', 'countIncludePad', 'divisorOverride']) {
    if (random() < 0.3) options[name] = name === 'mode' ? pick(random, ['nearest', 'linear', 'bilinear', 'trilinear', 'bicubic', 3]) : pick(random, HOSTILE_VALUES);
  }
  return options;
}

/** A tensor with one more leading axis of 1 half the time, so that 5-D volumes and 3-D sequence weights come up. */
function maybeLifted(random: Random, t: { shape: number[]; data: Float64Array }): { shape: number[]; data: Float64Array } {
  return random() < 0.5 ? { shape: [1, ...t.shape], data: t.data } : t;
}

/** A 1-D or 3-D layer (issue 22) on hostile tensors and options. */
function sequenceOrVolumeCall(random: Random, op: number, rawInput: { shape: number[]; data: Float64Array }, rawWeight: { shape: number[]; data: Float64Array }, opts: Record<string, unknown>): unknown {
  const input = maybeLifted(random, rawInput);
  const weight = maybeLifted(random, rawWeight);
  switch (op) {
    case 10: return pick(random, [convTranspose3d, convTranspose1d])(input, weight, opts);
    case 11: return pick(random, [conv3d, conv1d])(input, weight, opts);
    case 12: return pick(random, [maxPool3d, avgPool3d, maxPool1d, avgPool1d])(input, { kernelSize: 2, ...opts } as never);
    case 13: return pick(random, [upsample1d, upsample3d, upsample])(input, { scaleFactor: 2, ...opts } as never);
    case 14: {
      const op = pick(random, ['convTranspose3d', 'conv3d', 'maxPool1d', 'avgPool3d', 'upsample1d', 'upsample3d'] as const);
      return outputShape(op, input.shape, { weightShape: weight.shape, kernelSize: 2, scaleFactor: 2, ...opts } as never);
    }
    default: return analyzeVolumeOverlap({ inputSize: input.shape.slice(0, pick(random, [1, 3])), kernel: pick(random, [weight, ...HOSTILE_VALUES]) as never, ...opts });
  }
}

/** Runs `inputs` fuzz inputs from `seed`; every call is timed and checked. */
export function runFuzz(seed: number, inputs: number, options: { readonly maxTextLength?: number; readonly slowMs?: number } = {}): FuzzReport {
  const random = mulberry32(seed);
  const slowMs = options.slowMs ?? 100;
  const crashes: { what: string; error: string }[] = [];
  const slow: { what: string; ms: number }[] = [];
  let slowestMs = 0;
  let calls = 0;
  const call = (what: () => string, run: () => unknown): void => {
    calls++;
    const started = performance.now();
    try {
      run();
    } catch (error) {
      if (!(error instanceof LayerError) && !(error instanceof ParseError)) crashes.push({ what: what(), error: String((error as Error)?.stack ?? error).slice(0, 400) });
    }
    const ms = performance.now() - started;
    slowestMs = Math.max(slowestMs, ms);
    if (ms > slowMs) slow.push({ what: what(), ms });
  };
  const describe = (name: string, text: string, extra = ''): string => `${name}(${JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…(${text.length} chars)` : text)}${extra})`;
  for (let n = 0; n < inputs; n++) {
    if (n % 8 === 7) {
      // A layer call with hostile tensors and options.
      const input = hostileTensor(random);
      const weight = hostileTensor(random);
      const opts = hostileOptions(random);
      const what = () => `engine(${JSON.stringify(input.shape)}, ${JSON.stringify(weight.shape)}, ${JSON.stringify(opts)})`;
      const op = Math.floor(random() * 16);
      call(what, () => {
        if (op >= 10) return sequenceOrVolumeCall(random, op, input, weight, opts);
        switch (op) {
          case 0: return convTranspose2d(input, weight, opts);
          case 1: return conv2d(input, weight, opts);
          case 2: return maxPool2d(input, { kernelSize: 2, ...opts } as never);
          case 3: return avgPool2d(input, { kernelSize: 2, ...opts } as never);
          case 4: return upsample(input, { scaleFactor: 2, ...opts } as never);
          case 5: return pixelShuffle(input, { upscaleFactor: 2, ...opts } as never);
          case 6: return outputShape(pick(random, ['convTranspose2d', 'conv2d', 'maxPool2d', 'upsample', 'pixelShuffle'] as const), input.shape, { weightShape: weight.shape, kernelSize: 2, scaleFactor: 2, upscaleFactor: 2, ...opts } as never);
          case 7: return analyzeOverlap({ inputSize: [input.shape[0], input.shape[1]] as never, kernel: pick(random, HOSTILE_VALUES) as never, ...opts });
          case 8: return compoundOverlap({ inputSize: pick(random, HOSTILE_VALUES) as never, steps: [] });
          default: return compareUpsampling(input, { factor: pick(random, HOSTILE_VALUES) as never, kernel: pick(random, HOSTILE_VALUES) as never });
        }
      });
      continue;
    }
    const text = hostileText(random, options.maxTextLength ?? 2000);
    const notation = pick<Notation | undefined>(random, [undefined, ...NOTATIONS]);
    const language = pick(random, LANGUAGES);
    const offset = Math.floor(random() * (text.length + 1));
    call(() => describe('parseMatrix', text, `, ${String(notation)}`), () => parseMatrix(text, notation));
    call(() => describe('findMatrixAt', text, `, ${offset}, ${String(language)}`), () => findMatrixAt(text, offset, language));
    call(() => describe('findMatrices', text, `, ${String(language)}`), () => findMatrices(text, language));
    if (language === 'python' || language === 'markdown' || language === undefined) {
      call(() => describe('findLayerCalls', text), () => findLayerCalls(text, language));
      call(() => describe('findLayerStacks', text), () => findLayerStacks(text, language));
      call(() => describe('localRegions', text, `, ${offset}`), () => {
        const local = localRegions(text, offset, 'python', 0);
        return local && new DocumentInsights(text, 'python', 32, local.regions).at(offset);
      });
      call(() => describe('summarizeDocument', text), () => summarizeDocument({ text, languageId: 'python', matrixLanguage: 'python', inputSize: 32, layers: true }));
    }
    call(() => describe('codeSpan', text), () => `${codeSpan(text)}${plainText(text)}`);
  }
  slow.sort((a, b) => b.ms - a.ms);
  return { inputs, calls, crashes, slow, slowestMs };
}
