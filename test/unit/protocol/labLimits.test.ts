/**
 * The lab's limits against the engine's: every combination the lab's page offers (sizes, factors,
 * kernels, stages, on generated inputs, a matrix of the largest side and an image scaled to 128)
 * either is one the engine runs within the lab's budget or is offered disabled with the reason, so nothing a
 * person picks fails; a new input that makes the stack too large lowers its stages. The heaviest
 * combination offered runs to the end in the worker's code, and its time is printed.
 */
import * as assert from 'node:assert/strict';
import { LayerError } from '../../../src/core/engine/errors';
import { checkUpsamplingWork } from '../../../src/core/engine/upsamplingComparison';
import { upsamplingWork } from '../../../src/core/engine/upsamplingWork';
import { LAB_LIMITS, labSettingsProblem, fitLabSettings, type LabSettings } from '../../../src/core/protocol/lab';
import { answer } from '../../../src/core/worker/engineService';

const range = (min: number, max: number) => Array.from({ length: max - min + 1 }, (_, i) => min + i);
/** The sizes the page lists for generated inputs (webview/lab/main.ts). */
const SIZES = [8, 16, 32, 64, 128, 256];

function matrixOf(side: number): NonNullable<LabSettings['matrix']> {
  return { rows: side, cols: side, data: new Float64Array(side * side).fill(0.5) };
}

/** Every combination of the page's fields, on each kind of input. */
function offered(): LabSettings[] {
  const all: LabSettings[] = [];
  const inputs: Pick<LabSettings, 'input' | 'size' | 'matrix'>[] = [
    ...SIZES.map((size) => ({ input: 'pattern' as const, size })),
    { input: 'matrix', size: 32, matrix: matrixOf(LAB_LIMITS.inputSide) },
    { input: 'image', size: 32, matrix: matrixOf(128) },
  ];
  for (const input of inputs) {
    for (const factor of range(LAB_LIMITS.factor.min, LAB_LIMITS.factor.max)) {
      for (const kernelSize of range(LAB_LIMITS.kernelSize.min, LAB_LIMITS.kernelSize.max)) {
        for (const stages of range(LAB_LIMITS.stages.min, LAB_LIMITS.stages.max)) all.push({ ...input, factor, kernelSize, stages, mode: 'nearest', seed: 1 });
      }
    }
  }
  return all;
}

/** What the engine says before it runs anything (its work check), or nothing. */
function engineRefusal(settings: LabSettings): string | undefined {
  const side = settings.matrix?.rows ?? settings.size;
  try {
    checkUpsamplingWork('the checkerboard lab', [side, side], settings.factor, [settings.kernelSize, settings.kernelSize], settings.stages);
    return undefined;
  } catch (error) {
    if (error instanceof LayerError) return error.message;
    throw error;
  }
}

describe('the lab’s limits and the engine’s', () => {
  it('offers enabled only what the engine runs, and disables what it refuses, saying why', () => {
    let accepted = 0;
    let refused = 0;
    for (const settings of offered()) {
      const problem = labSettingsProblem(settings);
      const refusal = engineRefusal(settings);
      const wide = (settings.matrix?.rows ?? settings.size) * settings.factor ** settings.stages > LAB_LIMITS.outputSide;
      const name = JSON.stringify({ ...settings, matrix: undefined });
      if (wide) assert.match(problem ?? '', /larger than the lab's 2048 cells a side/, name);
      // The lab's budget is under the engine's: whatever the engine refuses, the lab refuses first.
      else if (refusal) assert.ok(problem, name);
      if (!problem) assert.equal(refusal, undefined, name);
      if (problem && !wide) assert.match(problem, /Layer Lens spends on one comparison/);
      if (problem) refused++;
      else accepted++;
    }
    assert.ok(accepted > 0 && refused > 0);
  });

  it('refuses the combination the old limits allowed and the engine did not (32×32, factor 4, 9×9, 3 stages), and lowers its stages to 2', () => {
    const settings: LabSettings = { input: 'pattern', size: 32, factor: 4, kernelSize: 9, stages: 3, mode: 'nearest', seed: 1 };
    assert.match(labSettingsProblem(settings) ?? '', /the checkerboard lab of a 32×32 input by factor 4 over 3 stages with a 9×9 kernel would take about 8\.7 billion multiply-adds, more than the 600 million/);
    const { response } = answer({ id: 1, op: 'checkerboardLab', settings });
    assert.ok(!response.ok && response.failure.kind === 'layer', 'the worker refuses it too');
    assert.equal(fitLabSettings(settings).stages, 2);
    assert.equal(labSettingsProblem(fitLabSettings(settings)), undefined);
  });

  it('runs one stage of factor 2 with every size and kernel, so lowering stages and factor always ends at a runnable comparison', () => {
    for (const settings of offered().filter((s) => s.stages === 1 && s.factor === 2)) assert.equal(labSettingsProblem(settings), undefined, JSON.stringify({ ...settings, matrix: undefined }));
    for (const settings of offered()) {
      const fitted = fitLabSettings(settings);
      assert.equal(labSettingsProblem(fitted), undefined);
      assert.equal(fitted.kernelSize, settings.kernelSize, 'the kernel is never changed');
      if (labSettingsProblem(settings) === undefined) assert.equal(fitted, settings, 'settings that fit are kept');
    }
    // A 256×256 matrix by 4 with a 9×9 kernel: one stage is still too much; factor 2 fits.
    const matrix = offered().find((s) => s.input === 'matrix' && s.factor === 4 && s.kernelSize === 9 && s.stages === 1)!;
    assert.deepEqual([fitLabSettings(matrix).factor, fitLabSettings(matrix).stages], [2, 1]);
  });

  it('runs the heaviest combination it offers to the end in the worker’s code', function () {
    this.timeout(300_000);
    const runnable = offered().filter((s) => labSettingsProblem(s) === undefined && s.input === 'pattern');
    const work = (s: LabSettings) => upsamplingWork([s.size, s.size], s.factor, [s.kernelSize, s.kernelSize], s.stages);
    const heaviest = runnable.reduce((a, b) => (work(b) > work(a) ? b : a));
    const started = performance.now();
    const { response } = answer({ id: 2, op: 'checkerboardLab', settings: heaviest });
    const milliseconds = performance.now() - started;
    assert.ok(response.ok && 'lab' in response, `the heaviest offered combination ran: ${JSON.stringify(response)}`);
    console.log(`      heaviest lab combination offered: ${heaviest.size}×${heaviest.size}, factor ${heaviest.factor}, ${heaviest.kernelSize}×${heaviest.kernelSize}, ${heaviest.stages} stage(s), ${(work(heaviest) / 1e9).toFixed(2)} billion estimated: ${milliseconds.toFixed(0)} ms`);
  });
});
