import * as assert from 'node:assert/strict';
import { runFuzz } from './hostileFuzz';

describe('reliability: seeded fuzz of the parsers, finders and engine', function () {
  this.timeout(60_000);
  it('6,000 hostile inputs (seed 16): no crash, every call under 2 s (`npm run fuzz` runs 100,000 and reports calls over 100 ms)', () => {
    const report = runFuzz(16, 6000, { slowMs: 2000 });
    assert.deepEqual(report.crashes.slice(0, 3), [], `${report.crashes.length} crashes`);
    assert.deepEqual(report.slow.slice(0, 3), [], `${report.slow.length} slow calls`);
    assert.ok(report.calls > 6000 * 3);
  });
});
