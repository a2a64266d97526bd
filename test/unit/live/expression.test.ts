import * as assert from 'node:assert/strict';
import { parseLiveExpression, renderExpression, withAttribute, withIndex } from '../../../src/core/live/expression';
import { referenceAt } from '../../../src/core/live/referenceAt';

const rendered = (text: string): string => {
  const reading = parseLiveExpression(text);
  assert.ok(reading.ok, `${text}: ${reading.ok ? '' : reading.problem}`);
  return renderExpression(reading.expression);
};
const problem = (text: unknown): string => {
  const reading = parseLiveExpression(text);
  assert.ok(!reading.ok, `${String(text)} was accepted`);
  return reading.problem;
};

describe('live expressions: names, attribute chains and integer indexing only', () => {
  it('accepts and renders canonically what the issue names', () => {
    assert.equal(rendered('x'), 'x');
    assert.equal(rendered('self.up'), 'self.up');
    assert.equal(rendered(' big[0,5] '), 'big[0, 5]');
    assert.equal(rendered('outs [ -1 ] . weight'), 'outs[-1].weight');
    assert.equal(rendered('x[0,]'), 'x[0]');
    assert.equal(rendered('m.layers[2][0].bias'), 'm.layers[2][0].bias');
    assert.equal(rendered('x[-0]'), 'x[0]');
  });

  it('refuses calls, operators, slices, strings, keywords and dunder names, saying where', () => {
    assert.match(problem('f(x)'), /"\(x\)" cannot follow a reference.*no calls or operators \(at column 2 of "f\(x\)"\)/);
    assert.match(problem('x + 1'), /cannot follow a reference/);
    assert.match(problem('x[0:2]'), /not integer indexing/);
    assert.match(problem('x[i]'), /not integer indexing/);
    assert.match(problem("x['a']"), /not integer indexing/);
    assert.match(problem('x[]'), /not integer indexing/);
    assert.match(problem('x[0'), /never closed/);
    assert.match(problem('lambda'), /keyword/);
    assert.match(problem('x.__class__'), /starting with "__"/);
    assert.match(problem('__import__'), /starting with "__"/);
    assert.match(problem('1x'), /expected a Python name/);
    assert.match(problem(''), /found nothing/);
    assert.match(problem('x.'), /found nothing/);
    assert.match(problem('x;import os'), /cannot follow/);
    assert.match(problem('x\nimport os'), /cannot follow/);
    assert.match(problem(42), /not number/);
    assert.match(problem(undefined), /not nothing/);
    assert.match(problem('a'.repeat(201)), /201 characters/);
    assert.match(problem('x[99999999999]'), /out of any tensor's range/);
  });

  it('adds Layer Lens\'s own attributes and slices to a checked reference', () => {
    const reading = parseLiveExpression('self.up');
    assert.ok(reading.ok);
    assert.equal(renderExpression(withAttribute(reading.expression, 'weight')), 'self.up.weight');
    assert.equal(renderExpression(withIndex(reading.expression, [0, 1])), 'self.up[0, 1]');
    assert.throws(() => withAttribute(reading.expression, 'weight()'));
  });

  it('finds the reference at the cursor as the debugger\'s hover does', () => {
    const line = '        h = self.up.weight(x)  # note';
    assert.equal(referenceAt(line, line.indexOf('self') + 1), 'self');
    assert.equal(referenceAt(line, line.indexOf('up') + 1), 'self.up');
    assert.equal(referenceAt(line, line.indexOf('weight')), 'self.up.weight');
    assert.equal(referenceAt(line, line.indexOf('(x') + 1), 'x');
    assert.equal(referenceAt(line, 2), undefined);
    assert.equal(referenceAt('y = 1e5', 5), undefined);
  });
});
