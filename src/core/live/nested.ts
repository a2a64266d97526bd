/** A flat row-major tensor as nested arrays (what the layer commands take as a matrix argument); a 0-d tensor is its one number. */
export function nestedArray(shape: readonly number[], data: ArrayLike<number>): number | unknown[] {
  if (shape.length === 0) return data[0] as number;
  const strides = shape.map((_, axis) => shape.slice(axis + 1).reduce((a, b) => a * b, 1));
  const build = (axis: number, offset: number): unknown[] =>
    Array.from({ length: shape[axis] as number }, (_, i) => (axis === shape.length - 1 ? data[offset + i] : build(axis + 1, offset + i * (strides[axis] as number))));
  return build(0, 0);
}
