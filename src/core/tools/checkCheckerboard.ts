/**
 * `check_checkerboard`: code with transposed convolutions (one call, or a whole stack such as an
 * `nn.Sequential` or a generator's `__init__`) → for each transposed convolution the overlap
 * verdict the editor's CodeLens and diagnostic show (insight/layerOverlap.ts), the share of a
 * constant input's response energy at the checkerboard frequencies, and the quick fixes the editor
 * offers (insight/overlapFixes.ts, each one already checked to keep or state the output size); for
 * each stack, its summary and the compound checkerboard of the whole stack (engine/compoundOverlap.ts,
 * as the stack view draws it).
 */
import { compoundOverlap } from '../engine/compoundOverlap';
import { LayerError } from '../engine/errors';
import { layerInsights } from '../insight/layerInsight';
import { applyEdits, overlapFixes, type OverlapFix } from '../insight/overlapFixes';
import { stackSummary } from '../insight/stackReport';
import { compoundCells, MAX_COMPOUND_CELLS, stackPath } from '../insight/stackPath';
import { analyzeStack } from '../insight/stackShapes';
import { findLayerStacks, stackContext } from '../parse/layerStacks';
import { positionFinder } from '../text/positions';
import { callText, defineTool, ok, ToolInputError, MAX_CODE_LENGTH } from './tool';
import { MAX_AXIS_SIZE } from './layerOutputShape';

export interface CheckCheckerboardInput {
  readonly code: string;
  readonly inputSize?: number;
}

export interface CheckerboardLayer {
  readonly layer: string;
  /** 1-based, in the code given. */
  readonly line: number;
  readonly verdict: 'even' | 'uneven-counts' | 'uneven-kernel' | 'gaps';
  /** `even`, `uneven 1:2`, `gaps`: what the CodeLens says. */
  readonly label: string;
  readonly reason: string;
  /** Share (0–1) of a constant input's response energy at the stride's checkerboard frequencies. */
  readonly periodicEnergy: number;
  /** Products per output cell by output position mod stride (rows × columns). */
  readonly countTile: number[][];
  readonly fixes: { readonly title: string; readonly code: string; readonly keepsSize: boolean }[];
}

export interface CheckerboardStack {
  readonly name: string;
  readonly line: number;
  readonly summary: string;
  readonly transposedLayers: number;
  readonly unevenLayers: number;
  /** The whole stack's compound map: its periodic energy and spread ((max − min) / mean), or why there is none. */
  readonly compound: { readonly periodicEnergy: number; readonly spread: number; readonly period: number[] } | { readonly unavailable: string };
}

export interface CheckCheckerboardData {
  readonly layers: CheckerboardLayer[];
  readonly stacks: CheckerboardStack[];
}

/** The plain types of the result's fields, for its output schema. */
const STRING = { type: 'string' } as const;
const INTEGER = { type: 'integer' } as const;
const NUMBER = { type: 'number' } as const;

/** How a fix's code is indented when it spans lines: Python's usual four spaces. */
const FORMATTING = { indentUnit: '    ' };

export const checkCheckerboardTool = defineTool<CheckCheckerboardInput, CheckCheckerboardData>({
  name: 'check_checkerboard',
  title: 'Check Checkerboard',
  description:
    'Checks transposed convolutions for checkerboard artifacts (uneven overlap: output pixels receiving different numbers of kernel products, ' +
    'so even a constant input comes out as a grid pattern). Give one layer call (e.g. "nn.ConvTranspose2d(64, 32, 3, stride=2, padding=1)") ' +
    'or Python code holding a stack of layers (nn.Sequential, a module\'s __init__, a Keras Sequential). For each transposed convolution: ' +
    'the verdict (even / uneven a:b / gaps), the periodic energy (0 = no checkerboard, up to 1), the count tile, and fixes as replacement code ' +
    '(a kernel size divisible by the stride that keeps the output size, or nearest upsampling followed by a convolution). For each stack: ' +
    'the compound checkerboard of all its layers together.',
  inputSchema: {
    type: 'object',
    properties: {
      code: { type: 'string', description: 'A layer call or Python code with layers (a stack, a model class).', maxLength: MAX_CODE_LENGTH },
      inputSize: { type: 'integer', description: "Optional: the stack's input height (= width), when the code does not state it.", minimum: 1, maximum: MAX_AXIS_SIZE },
    },
    required: ['code'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      layers: {
        type: 'array',
        description: 'Each transposed convolution: its verdict, periodic energy, count tile and fixes.',
        items: {
          type: 'object',
          properties: {
            layer: STRING,
            line: INTEGER,
            verdict: { type: 'string', enum: ['even', 'uneven-counts', 'uneven-kernel', 'gaps'] },
            label: STRING,
            reason: STRING,
            periodicEnergy: NUMBER,
            countTile: { type: 'array', items: { type: 'array', items: NUMBER } },
            fixes: {
              type: 'array',
              items: { type: 'object', properties: { title: STRING, code: STRING, keepsSize: { type: 'boolean' } }, required: ['title', 'code', 'keepsSize'], additionalProperties: false },
            },
          },
          required: ['layer', 'line', 'verdict', 'label', 'reason', 'periodicEnergy', 'countTile', 'fixes'],
          additionalProperties: false,
        },
      },
      stacks: {
        type: 'array',
        description: "Each stack of layers: its summary and the compound checkerboard of the whole stack (or why there is none: 'unavailable').",
        items: {
          type: 'object',
          properties: {
            name: STRING,
            line: INTEGER,
            summary: STRING,
            transposedLayers: INTEGER,
            unevenLayers: INTEGER,
            compound: {
              type: 'object',
              properties: { periodicEnergy: NUMBER, spread: NUMBER, period: { type: 'array', items: INTEGER }, unavailable: STRING },
              additionalProperties: false,
            },
          },
          required: ['name', 'line', 'summary', 'transposedLayers', 'unevenLayers', 'compound'],
          additionalProperties: false,
        },
      },
    },
    required: ['layers', 'stacks'],
    additionalProperties: false,
  },
  invocationMessage: (input) => `Layer Lens: checkerboard check of ${input.code.length} characters of code (reads only the text given)`,
  execute(input) {
    const text = input.code;
    const position = positionFinder(text);
    const lineOf = (offset: number) => position(offset).line;
    const layers: CheckerboardLayer[] = [];
    for (const insight of layerInsights(text, 'python', input.inputSize ?? 32)) {
      if (!insight.overlap) continue;
      const { verdict, countTile, label, periodicEnergy } = insight.overlap;
      const [rows, cols] = countTile.shape as [number, number];
      layers.push({
        layer: callText(text, insight.call),
        line: lineOf(insight.call.start),
        verdict: verdict.kind,
        label,
        reason: verdict.reason,
        periodicEnergy,
        countTile: Array.from({ length: rows }, (_, r) => Array.from(countTile.data.subarray(r * cols, (r + 1) * cols))),
        fixes: overlapFixes(text, insight.call, FORMATTING).map((fix) => ({ title: fix.title, code: fixedLines(text, fix), keepsSize: fix.keepsSize })),
      });
    }
    const stacks = stacksOf(text, lineOf, input.inputSize);
    if (layers.length === 0 && stacks.length === 0) {
      throw new ToolInputError('No transposed convolution or stack of layers was found in the code. Give a call such as "nn.ConvTranspose2d(64, 32, 4, stride=2, padding=1)" or an nn.Sequential(...) of layers.');
    }
    return ok(describe(layers, stacks), { layers, stacks });
  },
});

function stacksOf(text: string, lineOf: (offset: number) => number, inputSize: number | undefined): CheckerboardStack[] {
  const context = stackContext(text, 'python');
  return findLayerStacks(text, 'python', context).map((stack) => {
    const analysis = analyzeStack(stack, context.constants, inputSize);
    return {
      name: stack.name,
      line: lineOf(stack.start),
      summary: stackSummary(analysis),
      transposedLayers: analysis.transposedCount,
      unevenLayers: analysis.unevenCount,
      compound: compound(analysis),
    };
  });
}

function compound(analysis: ReturnType<typeof analyzeStack>): CheckerboardStack['compound'] {
  const path = stackPath(analysis);
  if (path.steps.length === 0) return { unavailable: 'no layer of the stack changes the image size' };
  if (compoundCells(path, analysis).last > MAX_COMPOUND_CELLS) return { unavailable: `the map would be larger than ${MAX_COMPOUND_CELLS} cells` };
  try {
    const last = compoundOverlap(path).steps.at(-1);
    if (!last) return { unavailable: 'no layer of the stack changes the image size' };
    return { periodicEnergy: last.periodicEnergy, spread: last.spread, period: [...last.period] };
  } catch (error) {
    if (error instanceof LayerError) return { unavailable: error.message };
    throw error;
  }
}

/** The whole lines a fix touches, as they read after it. */
function fixedLines(text: string, fix: OverlapFix): string {
  const start = Math.min(...fix.edits.map((e) => e.start));
  const end = Math.max(...fix.edits.map((e) => e.end));
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const nextBreak = text.indexOf('\n', end);
  const lineEnd = nextBreak === -1 ? text.length : nextBreak;
  const shifted = fix.edits.map((e) => ({ ...e, start: e.start - lineStart, end: e.end - lineStart }));
  return applyEdits(text.slice(lineStart, lineEnd), shifted);
}

const share = (value: number) => (Number.isFinite(value) ? value.toFixed(3) : String(value));

function describe(layers: readonly CheckerboardLayer[], stacks: readonly CheckerboardStack[]): string {
  const lines: string[] = [];
  for (const layer of layers) {
    lines.push(`Line ${layer.line}: ${layer.layer}: overlap ${layer.label} (${layer.reason}); periodic energy ${share(layer.periodicEnergy)}.`);
    for (const fix of layer.fixes) lines.push(`  Fix: ${fix.title}:\n    ${fix.code.trim().replace(/\n/g, '\n    ')}`);
  }
  for (const stack of stacks) {
    const c = stack.compound;
    const measure = 'unavailable' in c ? `no compound map (${c.unavailable})` : `compound periodic energy ${share(c.periodicEnergy)}, spread ${share(c.spread)} with period ${c.period.join('×')}`;
    lines.push(`Line ${stack.line}: ${stack.name}: ${stack.summary}; ${measure}.`);
  }
  return lines.join('\n');
}
