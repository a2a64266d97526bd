import { strict as assert } from 'node:assert';
import { MAX_STORED_AUDITS, readStoredAudits, withStoredAudit, type StoredAudit } from '../../../src/core/checkpoint/storedVerdicts';

const record = {
  name: 'main.3',
  op: 'convTranspose2d' as const,
  verdict: 'uneven' as const,
  periodicEnergy: 0.073,
  worstChannel: 12,
  callText: 'nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False)',
  occurrence: 0,
  occurrences: 1,
};
const audit = { checkpoint: 'file:///w/G.pt', source: 'file:///w/dcgan.py', size: 14_000_000, mtime: 1_733_500_000_123.5, records: [record] };

describe('stored trained verdicts', () => {
  it('reads back what was stored, field for field', () => {
    const stored = JSON.parse(JSON.stringify([audit, { ...audit, checkpoint: 'file:///w/S.pt', records: [{ ...record, op: 'subPixelConvolution' as const, icnr: { structured: false, distance: 0.4 } }] }]));
    assert.deepEqual(readStoredAudits(stored), stored);
  });

  it('leaves out an entry that does not fit, keeping the others', () => {
    const bad: unknown[] = [
      null,
      'text',
      { ...audit, size: -1 },
      { ...audit, mtime: 'yesterday' },
      { ...audit, records: [] },
      { ...audit, records: [{ ...record, op: 'eval' }] },
      { ...audit, records: [{ ...record, verdict: 'fine' }] },
      { ...audit, records: [{ ...record, periodicEnergy: Number.NaN }] },
      { ...audit, records: [{ ...record, occurrence: 1, occurrences: 1 }] },
      { ...audit, records: [{ ...record, callText: '' }] },
      { ...audit, records: [{ ...record, worstChannel: 1.5 }] },
      { ...audit, records: [{ ...record, icnr: { structured: 'yes', distance: 0 } }] },
      { ...audit, records: [record, 7] },
    ];
    assert.deepEqual(readStoredAudits([...bad, audit]), [audit]);
    assert.deepEqual(readStoredAudits({ 0: audit }), []);
    assert.deepEqual(readStoredAudits(undefined), []);
  });

  it('keeps one audit per checkpoint, the latest, and at most the limit', () => {
    const later = { ...audit, mtime: audit.mtime + 1 };
    assert.deepEqual(withStoredAudit([audit], later), [later]);
    let audits: StoredAudit[] = [];
    for (let i = 0; i < MAX_STORED_AUDITS + 5; i++) audits = withStoredAudit(audits, { ...audit, checkpoint: `file:///w/${i}.pt` });
    assert.equal(audits.length, MAX_STORED_AUDITS);
    assert.equal(audits[0]?.checkpoint, 'file:///w/5.pt');
  });
});
