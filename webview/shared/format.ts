/**
 * How a value is written in a grid cell: short enough to fit (four significant digits), exact for
 * integers, and never hiding NaN or infinities. The full value goes in the cell's tooltip.
 */
export function formatCellValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '∞';
  if (value === -Infinity) return '−∞';
  if (Object.is(value, -0)) return '0';
  if (Number.isInteger(value) && Math.abs(value) < 1e6) return minus(String(value));
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e6) return minus(trimZeros(value.toPrecision(4)));
  return minus(value.toExponential(2).replace(/\.?0+e/, 'e'));
}

/** The exact value, for tooltips and screen readers. */
export function formatExactValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  return String(value);
}

function trimZeros(text: string): string {
  return text.includes('.') && !text.includes('e') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/** A real minus sign reads better in a grid than a hyphen. */
function minus(text: string): string {
  return text.replace(/^-/, '−');
}
