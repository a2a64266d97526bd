/**
 * The restricted pickle reader on hand-written pickles: what it builds, what it refuses by name, and
 * inputs built to exhaust it.
 */
import * as assert from 'node:assert/strict';
import { bytesInput, PyDict, readPickle, type PyValue } from '../../../src/core/checkpoint/pickle';
import { CheckpointError } from '../../../src/core/checkpoint/types';

const text = (s: string) => [...s].map((c) => c.charCodeAt(0));
const read = (bytes: number[]): PyValue => readPickle(bytesInput(Uint8Array.from(bytes), 'test.pkl'), 'test.pkl');

describe('restricted pickle reader', () => {
  it('builds dicts, lists, tuples and plain values', () => {
    // {'a': [1, 2.5, None, True], 'b': ('x',)} in protocol 2
    const value = read([0x80, 2, 0x7d, 0x28, 0x58, 1, 0, 0, 0, ...text('a'), 0x5d, 0x28, 0x4b, 1, 0x47, 0x40, 0x04, 0, 0, 0, 0, 0, 0, 0x4e, 0x88, 0x65, 0x58, 1, 0, 0, 0, ...text('b'), 0x8c, 1, ...text('x'), 0x85, 0x75, 0x2e]);
    assert.ok(value instanceof PyDict);
    assert.deepEqual(value.entries.get('a'), [1, 2.5, null, true]);
  });

  it('refuses os.system by name at the GLOBAL, and builtins.eval through STACK_GLOBAL', () => {
    const system = [0x80, 2, ...text('cos\nsystem\n'), 0x8c, 4, ...text('true'), 0x85, 0x52, 0x2e];
    assert.throws(() => read(system), (e: unknown) => e instanceof CheckpointError && /Python global os\.system \(at byte 2\)/.test(e.message));
    const evaluate = [0x80, 4, 0x8c, 8, ...text('builtins'), 0x8c, 4, ...text('eval'), 0x93, 0x8c, 1, ...text('1'), 0x85, 0x52, 0x2e];
    assert.throws(() => read(evaluate), /Python global builtins\.eval/);
  });

  it('refuses a known callable used as a class, and a persistent id that is not a storage', () => {
    assert.throws(() => read([0x80, 2, ...text('ccollections\nOrderedDict\n'), 0x29, 0x81, 0x2e]), /builds an object of collections\.OrderedDict/);
    assert.throws(() => read([0x80, 2, 0x8c, 3, ...text('abc'), 0x51, 0x2e]), /persistent id that is not a torch storage/);
  });

  it('reads one APPENDS of 300,000 items without exhausting the call stack', () => {
    const bytes = [0x80, 2, 0x5d, 0x28, ...new Array<number>(300000).fill(0x4e), 0x65, 0x2e];
    const value = read(bytes);
    assert.ok(Array.isArray(value) && value.length === 300000);
  });

  it('a pickle cut short is truncated, not a crash', () => {
    assert.throws(() => read([0x80, 2, 0x58, 0xff, 0xff, 0, 0]), /test\.pkl ends inside a pickle .* the file is truncated/);
  });

  it('reads torch.Size, set, bytes and torch.device as plain values, and _rebuild_from_type_v2 as its tensor', () => {
    const storage = [0x28, 0x8c, 7, ...text('storage'), ...text('ctorch\nFloatStorage\n'), 0x8c, 1, ...text('0'), 0x8c, 3, ...text('cpu'), 0x4b, 2, 0x74, 0x51];
    const rebuildArgs = [0x28, ...storage, 0x4b, 0, 0x4b, 2, 0x85, 0x4b, 1, 0x85, 0x89, 0x4e, 0x74];
    // _rebuild_from_type_v2(_rebuild_tensor_v2, torch.Tensor, (storage, 0, (2,), (1,), False, None), {})
    const fromType = [...text('ctorch._tensor\n_rebuild_from_type_v2\n'), 0x28, ...text('ctorch._utils\n_rebuild_tensor_v2\n'), ...text('ctorch\nTensor\n'), ...rebuildArgs, 0x7d, 0x74, 0x52];
    const value = read([0x80, 2, 0x7d, 0x28, 0x8c, 1, ...text('t'), ...fromType, 0x8c, 1, ...text('b'), ...text('c_codecs\nencode\n'), 0x8c, 3, 0x61, 0xc3, 0xbf, 0x8c, 6, ...text('latin1'), 0x86, 0x52, 0x75, 0x2e]);
    assert.ok(value instanceof PyDict);
    const tensor = value.entries.get('t') as { kind: string; shape: number[] };
    assert.equal(tensor.kind, 'tensor');
    assert.deepEqual(tensor.shape, [2]);
    assert.deepEqual(value.entries.get('b'), Uint8Array.from([0x61, 0xff]));
    assert.throws(() => read([0x80, 2, ...text('ctorch\nTensor\n'), 0x29, 0x52, 0x2e]), /calls torch\.Tensor, which builds no tensor/);
  });
});
