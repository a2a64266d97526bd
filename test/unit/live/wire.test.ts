import * as assert from 'node:assert/strict';
import { asciiText, decodeBase64 } from '../../../src/core/live/base64';
import { describeFrameTensor, readFetchAnswer, readFrameTensors, unquote } from '../../../src/core/live/wire';
import { addChannelBias, agreement, describeAgreement } from '../../../src/core/live/agreement';
import { enclosingFunctionStart, tensorUses } from '../../../src/core/live/tensorUses';
import { summariseValues } from '../../../src/core/live/valueSummary';
import { nestedArray } from '../../../src/core/live/nested';

const base64 = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64');

describe('live tensors: what comes back from the session', () => {
  it('decodes base64 as Node does, for every length and byte', () => {
    for (let length = 0; length < 40; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 97 + length * 13) & 0xff);
      assert.deepEqual(decodeBase64(base64(bytes)), bytes);
      assert.deepEqual(decodeBase64(base64(bytes).replace(/=+$/, '')), bytes);
    }
    assert.throws(() => decodeBase64('QU*D'), /not base64/);
    assert.equal(asciiText(decodeBase64(base64('{"a": 1}'))), '{"a": 1}');
  });

  it('strips the quotes an adapter may put around the answer, and nothing else', () => {
    assert.equal(unquote("'QUJD'"), 'QUJD');
    assert.equal(unquote('"QUJD"'), 'QUJD');
    assert.equal(unquote("b'QUJD'"), 'QUJD');
    assert.equal(unquote('QUJD'), 'QUJD');
    assert.equal(unquote("'Traceback: x'"), "'Traceback: x'");
  });

  it('reads float32 values as their exact float64 expansions, row-major, and a 0-d tensor as shape []', () => {
    const values = Float32Array.of(0.1, -2.5, 3.4028234663852886e38, 1e-45, NaN, -Infinity);
    const header = { kind: 'tensor', type: 'Parameter', shape: [2, 3], dtype: 'torch.float32', device: 'cuda:0', grad: true, count: 6, wire: 'f4', fetch: true };
    const bytes = Buffer.concat([Buffer.from(JSON.stringify(header) + '\n'), Buffer.from(values.buffer)]);
    const answer = readFetchAnswer(`'${bytes.toString('base64')}'`);
    assert.equal(answer.kind, 'array');
    if (answer.kind !== 'array') return;
    assert.deepEqual(answer.header, { kind: 'tensor', type: 'Parameter', shape: [2, 3], dtype: 'float32', device: 'cuda:0', requiresGrad: true, count: 6, wire: 'f4', fetched: true });
    assert.deepEqual([...answer.values], [...values]);
    assert.equal(answer.values[0], 0.10000000149011612);

    const scalar = { ...header, shape: [], count: 1, wire: 'f8', dtype: 'torch.float64' };
    const scalarBytes = Buffer.concat([Buffer.from(JSON.stringify(scalar) + '\n'), Buffer.from(Float64Array.of(0.1).buffer)]);
    const read = readFetchAnswer(scalarBytes.toString('base64'));
    assert.ok(read.kind === 'array' && read.header.shape.length === 0 && read.values[0] === 0.1);
  });

  it('refuses a header that does not add up, and passes on what is not an array', () => {
    const bad = { kind: 'tensor', shape: [2, 3], count: 5, wire: 'f4', fetch: true };
    assert.throws(() => readFetchAnswer(base64(JSON.stringify(bad) + '\n')), /does not hold 5 values/);
    assert.deepEqual(readFetchAnswer(base64('{"kind": "other", "type": "builtins.dict"}\n')), { kind: 'other', type: 'builtins.dict' });
    assert.throws(() => readFetchAnswer(base64('{"kind": "tensor", "shape": [1], "count": 1, "wire": "f4", "fetch": true}\n\u0001\u0002\u0003')), /not whole 32-bit values/);
  });

  it('reads the frame\'s tensors and writes them as the inline values show them', () => {
    const answer = base64(
      JSON.stringify([['x', [1, 64, 32, 32], 'torch.float32', 'cuda:0'], ['a', [3], 'int64', ''], ['bad', 'shape', 'f', ''], 'junk', ['f', [2], '`x` [a](command:x)', 'cpu'], ['not a name', [1], 'int8', '']]),
    );
    const tensors = readFrameTensors(answer);
    // A subclass's made-up dtype cannot carry Markdown into a hover.
    assert.deepEqual(tensors.map(describeFrameTensor), ['x: [1, 64, 32, 32] float32 cuda:0', 'a: [3] int64', 'f: [2] ? cpu']);
  });

  it('places the inline values at each line\'s first use, not on attributes, keyword arguments, strings or comments', () => {
    const lines = ['h = self.up(x)  # x here is a comment', 'y = f(x, scale=x) + x', 'print("x is", x.shape)', 't.x = 1', 'a, b = x, y', 'g(b=1)'];
    const uses = tensorUses(lines, ['x', 'y', 'b']).map((u) => `${u.line}:${u.name}@${u.start}`);
    assert.deepEqual(uses, ['0:x@12', '1:y@0', '1:x@6', '2:x@14', '4:b@3', '4:x@7', '4:y@10']);
  });

  it('starts the inline values at the def of the function the stop is in', () => {
    const source = ['"Docs naming x."', 'x = 1', 'class G:', '    def forward(self, x):', '        if x:', '', '            # note', '            y = x', '    def other(self):', '        return 2'];
    assert.equal(enclosingFunctionStart(source, 7), 3);
    assert.equal(enclosingFunctionStart(source, 4), 3);
    assert.equal(enclosingFunctionStart(source, 9), 8);
    assert.equal(enclosingFunctionStart(source, 1), 0);
  });

  it('measures agreement as the issue defines it', () => {
    assert.deepEqual(agreement([1, 2, 3], [1, 2, 3]), { maxAbsDiff: 0, maxRelDiff: 0 });
    const close = agreement([1.0000001, -4], [1, -4.0000004]);
    assert.ok(Math.abs(close.maxAbsDiff - 4e-7) < 1e-15);
    assert.equal(close.maxRelDiff, close.maxAbsDiff / 4.0000004);
    assert.deepEqual(agreement([NaN, Infinity], [NaN, Infinity]), { maxAbsDiff: 0, maxRelDiff: 0 });
    assert.deepEqual(agreement([NaN, 1], [0, 1]), { maxAbsDiff: Infinity, maxRelDiff: Infinity });
    assert.deepEqual(agreement([1e-3], [0]), { maxAbsDiff: 1e-3, maxRelDiff: Infinity });
    assert.throws(() => agreement([1], [1, 2]), /1 and 2 values/);
    assert.match(describeAgreement({ maxAbsDiff: 2.4e-7, maxRelDiff: 3.1e-7 }, 'float32'), /matches PyTorch's float32 output to 3\.1e-7 relative/);
    assert.match(describeAgreement({ maxAbsDiff: 0.5, maxRelDiff: 0.1 }, 'float32'), /differs/);
  });

  it('adds a bias on the channel axis of [N, C, H, W] and [C, H, W]', () => {
    assert.deepEqual([...addChannelBias([1, 2, 1, 2], Float64Array.of(0, 0, 0, 0), [1, 2])], [1, 1, 2, 2]);
    assert.deepEqual([...addChannelBias([2, 1, 2], Float64Array.of(1, 1, 1, 1), [10, 20])], [11, 11, 21, 21]);
    assert.deepEqual([...addChannelBias([2, 2, 1, 1], Float64Array.of(0, 0, 0, 0), [1, 2])], [1, 2, 1, 2]);
    // 1-D: [N, C, L] and [C, L].
    assert.deepEqual([...addChannelBias([1, 2, 2], Float64Array.of(0, 0, 0, 0), [1, 2], 1)], [1, 1, 2, 2]);
    assert.deepEqual([...addChannelBias([2, 2], Float64Array.of(0, 0, 0, 0), [1, 2], 1)], [1, 1, 2, 2]);
  });

  it('writes a flat row-major tensor as nested arrays', () => {
    assert.equal(nestedArray([], [7]), 7);
    assert.deepEqual(nestedArray([3], [1, 2, 3]), [1, 2, 3]);
    assert.deepEqual(nestedArray([2, 1, 3], [1, 2, 3, 4, 5, 6]), [[[1, 2, 3]], [[4, 5, 6]]]);
    assert.deepEqual(nestedArray([2, 0], []), [[], []]);
  });

  it('sums up values with their NaN count', () => {
    assert.equal(summariseValues([1, 2, NaN, 3]), 'min 1, max 3, mean NaN, 1 NaN');
    assert.equal(summariseValues([1, 2.5, -3]), 'min -3, max 2.5, mean 0.1667, 0 NaN');
    assert.equal(summariseValues([]), 'no values');
  });
});
