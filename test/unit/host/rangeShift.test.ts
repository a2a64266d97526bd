import * as assert from 'node:assert/strict';
import { shiftRange } from '../../../src/host/transposed/rangeShift';

const edit = (rangeOffset: number, rangeLength: number, text: string) => ({ rangeOffset, rangeLength, text });
const shift = (range: { start: number; end: number }, changes: ReturnType<typeof edit>[]) => {
  const { start, end } = shiftRange(range, changes);
  return { start, end };
};

describe('following a literal through edits', () => {
  const literal = { start: 10, end: 20 };

  it('moves with edits before it and ignores edits after it', () => {
    assert.deepEqual(shift(literal, [edit(0, 0, 'abc')]), { start: 13, end: 23 });
    assert.deepEqual(shift(literal, [edit(2, 5, '')]), { start: 5, end: 15 });
    assert.deepEqual(shift(literal, [edit(25, 3, 'xy')]), literal);
    assert.deepEqual(shift(literal, [edit(20, 0, ' * 2')]), literal, 'typing right after it');
  });

  it('grows and shrinks with edits inside it', () => {
    assert.deepEqual(shift(literal, [edit(12, 1, '10')]), { start: 10, end: 21 });
    assert.deepEqual(shift(literal, [edit(11, 8, '')]), { start: 10, end: 12 });
  });

  it('covers an edit across its border, and text inserted at its start', () => {
    assert.deepEqual(shift(literal, [edit(8, 4, 'np.array([')]), { start: 8, end: 26 });
    assert.deepEqual(shift(literal, [edit(18, 5, ']')]), { start: 10, end: 19 });
    assert.deepEqual(shift(literal, [edit(10, 0, 'x')]), { start: 10, end: 21 }, 'inserted at the opening bracket: inside');
  });

  it('applies several changes of one event, all in offsets before the event', () => {
    // Multi-cursor: insert "1" at 5 and at 15 (inside the literal).
    assert.deepEqual(shift(literal, [edit(5, 0, '1'), edit(15, 0, '1')]), { start: 11, end: 22 });
    assert.deepEqual(shift(literal, [edit(15, 0, '1'), edit(5, 0, '1')]), { start: 11, end: 22 });
  });

  it('says when an edit crossed a border, which a write-back must not trust', () => {
    assert.equal(shiftRange(literal, [edit(12, 1, '10')]).crossedBorder, false);
    assert.equal(shiftRange(literal, [edit(18, 5, ']')]).crossedBorder, true);
  });

  it('never ends before it starts', () => {
    assert.deepEqual(shift(literal, [edit(0, 30, '')]), { start: 0, end: 0 });
  });
});
