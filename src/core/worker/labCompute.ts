/**
 * The checkerboard lab's computation, as the engine worker runs it: the panel's settings in, the
 * three methods with their maps, measures, spectra and transposed forms out, in the protocol's
 * shapes (typed arrays, transferred rather than copied). Pure: it runs in a worker thread, a Web
 * Worker, or a test.
 */
import { LayerError } from '../engine/errors';
import { labInput, LAB_METHODS, runCheckerboardLab, type LabComparison, type LabMethodResult } from '../engine/checkerboardLab';
import type { Window } from '../engine/periodicity';
import type { Tensor } from '../engine/tensor';
import { upsamplingAsTransposed, type TransposedForm } from '../engine/upsamplingAsTransposed';
import { LAB_LIMITS, labSettingsProblem, type LabComputed, type LabMethodView, type LabSettings, type LabTransposedForm, type LabWindow } from '../protocol/lab';
import { type MatrixView } from '../protocol/common';

/** The clock of every runtime the core runs in (Node, web workers, webviews); ES2022 itself has none. */
declare const performance: { now(): number };

/** Runs the lab on `settings` (already checked against the protocol's limits). */
export function computeLab(settings: LabSettings): LabComputed {
  const started = performance.now();
  const input = labInputOf(settings);
  const problem = labSettingsProblem(settings);
  if (problem) throw new LayerError('too-large', problem);
  for (const [name, values] of [['input', input.data], ['kernel', settings.kernel?.data]] as const) {
    if (values && !values.every(Number.isFinite)) {
      throw new LayerError('invalid-parameter', `the ${name} holds NaN or infinite values, which have no spectrum: the lab compares finite numbers only`);
    }
  }
  const kernel = settings.kernel ? tensorOf(settings.kernel) : settings.kernelSize;
  const lab = runCheckerboardLab(input, { factor: settings.factor, kernel, mode: settings.mode, stages: settings.stages });
  const methods = LAB_METHODS.map((method) => methodView(lab, lab[method])) as unknown as LabComputed['methods'];
  return {
    input: viewOf(input),
    kernel: viewOf(lab.firstStage.kernel),
    factor: lab.factor,
    stages: lab.stages,
    period: lab.period,
    mode: lab.mode,
    methods,
    milliseconds: performance.now() - started,
  };
}

/** Every buffer of a result, to transfer with it. */
export function labBuffers(result: LabComputed): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const add = (m: MatrixView | undefined) => {
    if (m) buffers.add(m.data.buffer as ArrayBuffer);
  };
  add(result.input);
  add(result.kernel);
  for (const m of result.methods) {
    for (const view of [m.output, m.counts, m.response, m.spectrum, m.countTile, m.transposedForm?.kernel]) add(view);
  }
  return [...buffers];
}

function labInputOf(settings: LabSettings): Tensor {
  switch (settings.input) {
    case 'constant':
    case 'gradient':
    case 'pattern':
      return labInput(settings.input, [settings.size, settings.size], settings.seed);
    case 'matrix':
    case 'image': {
      const matrix = settings.matrix;
      if (!matrix || matrix.rows === 0 || matrix.cols === 0) throw new LayerError('invalid-shape', `the ${settings.input} input is empty`);
      if (Math.max(matrix.rows, matrix.cols) > LAB_LIMITS.inputSide) {
        throw new LayerError('invalid-shape', `the ${settings.input} input is ${matrix.rows}×${matrix.cols}, larger than the lab's ${LAB_LIMITS.inputSide} cells a side`);
      }
      return tensorOf(matrix);
    }
    default: {
      const never: never = settings.input;
      throw new LayerError('invalid-parameter', `unknown lab input ${String(never)}`);
    }
  }
}

function methodView(lab: LabComparison, m: LabMethodResult): LabMethodView {
  const measures = m.measures;
  const form = upsamplingAsTransposed(lab.firstStage, m.method);
  return {
    method: m.method,
    output: viewOf(m.output),
    counts: viewOf(m.counts),
    response: viewOf(m.kernelResponse),
    ...(measures ? { window: windowOf(measures.window), countTile: viewOf(measures.countTile), countRatio: measures.countRatio } : {}),
    ...(m.spectrum ? { spectrum: viewOf(m.spectrum) } : {}),
    ...(m.outputShare !== undefined ? { outputShare: m.outputShare } : {}),
    ...(m.constantShare !== undefined ? { constantShare: m.constantShare } : {}),
    verdict: { kind: m.verdict.kind, reason: m.verdict.reason },
    ...(form
      ? { transposedForm: formView(form) }
      : { whyUnavailable: 'Bilinear resizing clamps at the borders, which no transposed convolution does, so the step player cannot show it: choose nearest to step through this method.' }),
  };
}

function formView(form: TransposedForm): LabTransposedForm {
  return { kernel: viewOf(form.kernel), stride: form.stride, padding: form.padding, outputPadding: form.outputPadding };
}

function windowOf(window: Window): LabWindow {
  return { rows: [window.rows.start, window.rows.end], cols: [window.cols.start, window.cols.end] };
}

/** A matrix view with its own buffer (the engine's arrays may share one; each is transferred once). */
function viewOf(t: Tensor): MatrixView {
  const [rows, cols] = t.shape.length === 2 ? (t.shape as [number, number]) : [1, t.data.length];
  return { rows, cols, data: Float64Array.from(t.data) };
}

function tensorOf(m: MatrixView): Tensor {
  return { shape: [m.rows, m.cols], data: m.data };
}
