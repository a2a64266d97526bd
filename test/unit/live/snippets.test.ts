/**
 * The snippets run in a real Python (Debian's, with torch and numpy, as CI installs them), evaluated
 * inside a function's frame as a debugger evaluates them, and their answers read by the core.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseLiveExpression, type LiveExpression } from '../../../src/core/live/expression';
import { fetchSnippet, frameTensorsSnippet, moduleSnippet, reference, type PythonSnippet } from '../../../src/core/live/snippets';
import { readFetchAnswer, readFrameTensors, describeFrameTensor } from '../../../src/core/live/wire';
import { asciiText, decodeBase64 } from '../../../src/core/live/base64';
import { planLiveLayer, readModuleDescription } from '../../../src/core/live/moduleLayer';

const PYTHON = '/usr/bin/python3';
const MISSING = `${PYTHON} with torch and numpy is needed: these tests run the snippets in it (Debian: apt-get install python3-torch python3-numpy; .ci/run installs them).`;

/** The frame the snippets are evaluated in: a module's forward with tensors of every kind. */
const FRAME = `
import sys, json, torch, numpy as np
class G(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.up = torch.nn.ConvTranspose2d(4, 2, 4, 2, 1)
    def forward(self, x):
        t = torch.arange(12, dtype=torch.float32).reshape(3, 4).t()  # not contiguous
        half = torch.tensor([0.1, 65504.0], dtype=torch.float16)
        brain = torch.tensor([0.1, 3.0], dtype=torch.bfloat16)
        ints = torch.tensor([[-(2**40), 7]], dtype=torch.int64)
        flags = torch.tensor([True, False])
        scalar = torch.tensor(0.1, dtype=torch.float64)
        z = torch.zeros(2, dtype=torch.complex64)
        a = np.arange(6, dtype=np.float32).reshape(2, 3)[:, ::2]
        words = {'a': 1}
        L = locals()
        return [eval(s, globals(), L) for s in json.load(sys.stdin)]
`;

function evaluate(snippets: readonly PythonSnippet[]): string[] {
  // The comprehension runs in forward's frame through eval's explicit locals, as a debugger's evaluate does.
  const script = `${FRAME}\nprint(json.dumps(G()(torch.randn(1, 4, 3, 3, requires_grad=True))))`;
  const run = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(snippets), encoding: 'utf8', timeout: 60_000 });
  // Without torch (a machine that did not install python3-torch) there is nothing to run them in.
  if (run.status !== 0 && /No module named '(torch|numpy)'/.test(run.stderr)) throw new Error(MISSING);
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as string[];
}

const checked = (text: string): LiveExpression => {
  const reading = parseLiveExpression(text);
  assert.ok(reading.ok);
  return reading.expression;
};

const FETCHED = ['t', 'half', 'brain', 'ints', 'flags', 'scalar', 'x', 'a', 'z', 'words', 'self.up.weight[1, 0]'];

describe('live snippets in a real Python', function () {
  this.timeout(60_000);
  /** Every snippet's answer, from one run of Python (importing torch takes seconds). */
  let answers: string[] = [];
  before(function () {
    if (!existsSync(PYTHON)) throw new Error(MISSING);
    answers = evaluate([
      ...FETCHED.map((name) => fetchSnippet(reference(checked(name)), { start: 0, end: 100, limit: 1000 })),
      fetchSnippet(reference(checked('t')), { start: 0, end: 100, limit: 11 }),
      fetchSnippet(reference(checked('t')), { start: 5, end: 8, limit: 12 }),
      moduleSnippet(checked('self.up')),
      fetchSnippet({ kind: 'moduleCall', module: checked('self.up'), input: checked('x') }, { start: 0, end: 1000, limit: 1000 }),
      frameTensorsSnippet(),
    ]);
  });

  it('reads every dtype exactly, row-major whatever the strides, and refuses complex and non-arrays', () => {
    const byName = Object.fromEntries(FETCHED.map((name, i) => [name, readFetchAnswer(answers[i]!)]));
    const array = (name: string) => {
      const answer = byName[name]!;
      assert.equal(answer.kind, 'array', name);
      return answer.kind === 'array' ? answer : assert.fail();
    };
    assert.deepEqual(array('t').header.shape, [4, 3]);
    assert.deepEqual([...array('t').values], [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    assert.deepEqual([...array('half').values], [Math.fround(0.0999755859375), 65504]);
    assert.equal(array('half').header.dtype, 'float16');
    assert.deepEqual([...array('brain').values], [0.10009765625, 3]);
    assert.deepEqual([...array('ints').values], [-(2 ** 40), 7]);
    assert.deepEqual([...array('flags').values], [1, 0]);
    assert.deepEqual(array('scalar').header.shape, []);
    assert.deepEqual([...array('scalar').values], [0.1]);
    assert.equal(array('x').header.requiresGrad, true);
    assert.equal(array('x').values.length, 36);
    assert.deepEqual([...array('a').values], [0, 2, 3, 5]);
    assert.equal(array('a').header.kind, 'ndarray');
    assert.equal(array('z').header.fetched, false);
    assert.equal(array('z').header.dtype, 'complex64');
    assert.deepEqual(byName.words, { kind: 'other', type: 'builtins.dict' });
    assert.deepEqual(array('self.up.weight[1, 0]').header.shape, [4, 4]);
  });

  it('sends no values past the limit, and a range when asked', () => {
    const [over, range] = answers.slice(FETCHED.length, FETCHED.length + 2).map(readFetchAnswer);
    assert.ok(over?.kind === 'array' && !over.header.fetched && over.values.length === 0 && over.header.count === 12);
    assert.ok(range?.kind === 'array');
    assert.deepEqual([...(range.kind === 'array' ? range.values : [])], [9, 2, 6]);
  });

  it('describes a module and calls it on its input; lists the frame\'s tensors by shape, dtype and device', () => {
    const [module, output, frame] = answers.slice(FETCHED.length + 2);
    const description = readModuleDescription(JSON.parse(asciiText(decodeBase64(module!))));
    const plan = planLiveLayer(description, 'self.up');
    assert.deepEqual(plan, { ok: true, plan: { op: 'convTranspose2d', bias: true, options: { stride: [2, 2], dilation: [1, 1], groups: 1, padding: [1, 1], outputPadding: [0, 0] } } });
    const answer = readFetchAnswer(output!);
    assert.ok(answer.kind === 'array');
    assert.deepEqual(answer.kind === 'array' && answer.header.shape, [1, 2, 6, 6]);
    const shown = readFrameTensors(frame!).map(describeFrameTensor);
    assert.ok(shown.includes('x: [1, 4, 3, 3] float32 cpu'), shown.join('\n'));
    assert.ok(shown.includes('a: [2, 2] float32'), shown.join('\n'));
    assert.ok(shown.includes('scalar: [] float64 cpu'), shown.join('\n'));
    assert.ok(!shown.some((line) => line.startsWith('self') || line.startsWith('words')));
  });
});
