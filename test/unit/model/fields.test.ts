import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel, runModel } from '../../../src/core/model/analyzeModel';
import { TraceRecorder, type TraceStep } from '../../../src/core/model/modelTrace';
import { fieldSummary, globalSupport, identitySupport, padSupport, transposedSupport, unionSupport, windowSupport, type Support } from '../../../src/core/model/support';
import type { Tensor, Value } from '../../../src/core/model/values';
import { modelField } from '../../../src/core/insight/modelField';

/** test/golden/models/torch-fields.json, written by test/golden/torch-fields.py (PyTorch 1.13). */
interface GoldenStep {
  readonly path: string;
  readonly op: string;
  readonly outputShape: number[];
  /** `[output row, first input row, last input row]` at the middle column (gradient support). */
  readonly rows: [number, number | null, number | null][];
}
interface GoldenCase {
  readonly name: string;
  readonly files: string[];
  readonly className: string;
  readonly args: Record<string, boolean | number>;
  readonly input: number[];
  readonly steps: GoldenStep[];
}

const models = join(__dirname, '../../../../test/golden/models');
const golden = JSON.parse(readFileSync(join(models, 'torch-fields.json'), 'utf8')) as { cases: GoldenCase[] };
const read = (file: string): string => readFileSync(join(models, file), 'utf8');

/** A recorder that also keeps each step's whole support (the trace keeps only its summary). */
class SupportRecorder extends TraceRecorder {
  readonly supports: (Support | undefined)[] = [];
  override record(step: Omit<TraceStep, 'inputs' | 'output' | 'sources' | 'field'>, inputs: readonly Value[], output: Value): void {
    const before = this.steps.length;
    super.record(step, inputs, output);
    if (this.steps.length > before) this.supports.push((TraceRecorder.tensors([output])[0]?.value as Tensor | undefined)?.support);
  }
}

function traced(c: GoldenCase): SupportRecorder {
  const [main, ...rest] = c.files as [string, ...string[]];
  const model = buildModel(read(main), { className: c.className, files: Object.fromEntries(rest.map((f) => [f, read(f)])), args: c.args });
  let recorder: SupportRecorder | undefined;
  const result = runModel(model, c.input, true, (input) => (recorder = new SupportRecorder(input)));
  assert.ok(result.output, `${c.name} runs on ${c.input.join('×')}`);
  return recorder as SupportRecorder;
}

describe('per-layer receptive fields against PyTorch (test/golden/models/torch-fields.json)', () => {
  for (const c of golden.cases) {
    it(`${c.name} on ${c.input.join('×')}: each layer's rows reach the input rows PyTorch's gradient does`, () => {
      const recorder = traced(c);
      const height = c.input[2] as number;
      const seen = new Map<string, number>();
      let inside = 0;
      for (const step of c.steps) {
        // The golden script hooks each listed module; the trace has the same calls in the same order.
        const n = seen.get(step.path) ?? 0;
        seen.set(step.path, n + 1);
        const at = recorder.steps.map((s, i) => [s, i] as const).filter(([s]) => s.kind === 'layer' && s.path === step.path)[n];
        assert.ok(at, `${c.name}: ${step.path} call ${n + 1} is traced`);
        const [s, index] = at;
        assert.deepEqual(s.output, step.outputShape, `${c.name}: ${step.path} output shape`);
        const support = recorder.supports[index];
        if (!support) {
          // Not followed after a linear layer or a reshape: in PyTorch every row reaches the whole input.
          assert.ok(step.rows.every(([, lo, hi]) => lo === 0 && hi === height - 1), `${c.name}: ${step.path} has a field`);
          continue;
        }
        for (const [row, lo, hi] of step.rows) {
          const vlo = support.rows.lo[row] as number;
          const vhi = support.rows.hi[row] as number;
          if (vlo >= 0 && vhi <= height - 1) {
            // Inside the input, the field is exactly the gradient support.
            inside++;
            assert.deepEqual([vlo, vhi], [lo, hi], `${c.name}: ${step.path} (${s.op}) row ${row}`);
          } else {
            // Reaching into the padding: clipped, it still covers what the gradient reaches.
            assert.ok(lo !== null && hi !== null && Math.max(0, vlo) <= lo && Math.min(height - 1, vhi) >= hi, `${c.name}: ${step.path} row ${row}: [${vlo}, ${vhi}] covers [${lo}, ${hi}]`);
          }
        }
      }
      assert.ok(inside >= c.steps.length, `${c.name}: ${inside} rows compared inside the input`);
    });
  }

  it('states size, jump and offset as the textbook arithmetic does for a plain stack', () => {
    // conv 3 p1 → conv 3 s2 p1 → conv 3 p1: size 1 + 2·1 + 2·1 + 2·2 = 9, jump 2, offset −1 −1 −2·1 = −4.
    const input = identitySupport(32, 32);
    const w = (kernel: number, stride: number, padding: number) => ({ kernel, stride, padding, dilation: 1 });
    const a = windowSupport(input, [32, 32], [w(3, 1, 1), w(3, 1, 1)]);
    const b = windowSupport(a, [16, 16], [w(3, 2, 1), w(3, 2, 1)]);
    const c = windowSupport(b, [16, 16], [w(3, 1, 1), w(3, 1, 1)]);
    assert.deepEqual(fieldSummary(c).rows, { size: 9, minSize: 9, jump: [2, 1], offset: -4 });
  });

  it('gives a transposed convolution a fractional jump and the sizes of its phases', () => {
    const input = identitySupport(8, 8);
    const up = transposedSupport(input, [16, 16], [{ kernel: 3, stride: 2, padding: 1, dilation: 1 }, { kernel: 3, stride: 2, padding: 1, dilation: 1 }]);
    // Output 2i takes input i; output 2i+1 takes i and i+1.
    assert.deepEqual(fieldSummary(up).rows, { size: 2, minSize: 1, jump: [1, 2], offset: 0 });
    assert.deepEqual([up.rows.lo[3], up.rows.hi[3]], [1, 2]);
  });

  it('writes a field short for the cell and in words for the tooltip', () => {
    const input = identitySupport(8, 8);
    const win = { kernel: 3, stride: 2, padding: 1, dilation: 1 };
    const up = transposedSupport(windowSupport(input, [4, 4], [win, win]), [8, 8], [win, win]);
    const field = modelField(fieldSummary(up));
    assert.equal(field.text, '≤5×5 s1 −1');
    assert.match(field.words, /sees 3 to 5 input rows \(depending on the position\)/);
    const half = modelField(fieldSummary(transposedSupport(input, [16, 16], [win, win])));
    assert.equal(half.text, '≤2×2 s1/2 0');
    assert.match(half.words, /by 1\/2 of an input row \(effective stride 1\/2: the output is upsampled, 2 output rows per input row\)/);
    const normed = modelField(fieldSummary(globalSupport(windowSupport(input, [8, 8], [{ ...win, stride: 1 }, { ...win, stride: 1 }]), 'InstanceNorm2d')));
    assert.equal(normed.text, '3×3 s1 −1 +all');
    assert.match(normed.words, /Through InstanceNorm2d's statistics over the map, every value also depends on the whole input/);
  });

  it('extends the input plane into padding (negative offset) and unites branches', () => {
    const input = identitySupport(10, 10);
    const padded = padSupport(input, [3, 3, 3, 3]);
    assert.equal(fieldSummary(padded).rows.offset, -3);
    const wide = windowSupport(input, [10, 10], [{ kernel: 5, stride: 1, padding: 2, dilation: 1 }, { kernel: 5, stride: 1, padding: 2, dilation: 1 }]);
    const sum = unionSupport(input, wide) as Support;
    assert.deepEqual(fieldSummary(sum).rows, { size: 5, minSize: 5, jump: [1, 1], offset: -2 });
  });
});
