/**
 * The checkerboard lab's numbers, as the command returns them and as the panel exports them (JSON,
 * and CSV with one row per method). Pure: no `vscode`.
 */
import { LAB_METHODS, type LabComputed, type LabMethodName, type LabSettings, type LabVerdictKind } from '../../core/protocol/lab';

export interface LabMethodSummary {
  readonly verdict: LabVerdictKind;
  readonly reason: string;
  /** Share of energy at the stride-periodic frequencies for a constant input (the number to compare). */
  readonly constantShare: number | null;
  /** The same share for the output on the chosen input. */
  readonly outputShare: number | null;
  /** Largest over smallest products per interior cell (`null` without an interior; `Infinity` is written `"Infinity"` in JSON). */
  readonly countRatio: number | string | null;
}

export interface LabSummary {
  readonly input: string;
  readonly inputSize: readonly [number, number];
  readonly factor: number;
  readonly kernelSize: readonly [number, number];
  readonly mode: string;
  readonly stages: number;
  readonly period: number;
  readonly outputSize: readonly [number, number];
  readonly milliseconds: number;
  readonly methods: Readonly<Record<LabMethodName, LabMethodSummary>>;
}

/** `constant`, `pattern (seed 3)`, `photo.png`. */
export function describeLabInput(settings: LabSettings): string {
  switch (settings.input) {
    case 'constant':
    case 'gradient':
      return settings.input;
    case 'pattern':
      return `pattern (seed ${settings.seed})`;
    case 'matrix':
    case 'image':
      return settings.matrixLabel ?? settings.input;
    default: {
      const never: never = settings.input;
      return String(never);
    }
  }
}

export function labSummary(settings: LabSettings, result: LabComputed): LabSummary {
  const methods = Object.fromEntries(
    result.methods.map((m) => [
      m.method,
      {
        verdict: m.verdict.kind,
        reason: m.verdict.reason,
        constantShare: m.constantShare ?? null,
        outputShare: m.outputShare ?? null,
        countRatio: m.countRatio === undefined ? null : Number.isFinite(m.countRatio) ? m.countRatio : 'Infinity',
      },
    ]),
  ) as unknown as Record<LabMethodName, LabMethodSummary>;
  const first = result.methods[0];
  return {
    input: describeLabInput(settings),
    inputSize: [result.input.rows, result.input.cols],
    factor: result.factor,
    kernelSize: [result.kernel.rows, result.kernel.cols],
    mode: result.mode,
    stages: result.stages,
    period: result.period,
    outputSize: [first.output.rows, first.output.cols],
    milliseconds: Math.round(result.milliseconds * 10) / 10,
    methods,
  };
}

export function labJson(summary: LabSummary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}

const CSV_COLUMNS = ['method', 'verdict', 'constant_share', 'output_share', 'count_ratio', 'input', 'input_h', 'input_w', 'factor', 'kernel_h', 'kernel_w', 'mode', 'stages', 'reason'] as const;

/** One row per method; text fields quoted as RFC 4180 says. */
export function labCsv(summary: LabSummary): string {
  const quote = (value: string | number | null): string => {
    if (value === null) return '';
    const text = String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const rows = LAB_METHODS.map((id) => {
    const m = summary.methods[id];
    return [id, m.verdict, m.constantShare, m.outputShare, m.countRatio, summary.input, summary.inputSize[0], summary.inputSize[1], summary.factor, summary.kernelSize[0], summary.kernelSize[1], summary.mode, summary.stages, m.reason]
      .map(quote)
      .join(',');
  });
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
