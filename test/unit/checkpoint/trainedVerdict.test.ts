/**
 * The trained verdict in a paired model source: a state dict audited against its source, each
 * paired layer remembered by its call's text and occurrence, found again after edits elsewhere,
 * dropped when its own call changes, and the verdict in words.
 */
import * as assert from 'node:assert/strict';
import { auditCheckpoint } from '../../../src/core/checkpoint/audit';
import { callTextAt, locateTrained, percentText, trainedLensTitle, trainedRecords, trainedVerdictText } from '../../../src/core/checkpoint/trainedVerdict';
import type { Checkpoint } from '../../../src/core/checkpoint/types';

const SOURCE = `import torch.nn as nn

class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(2, 2, 3, 2, 1),  # "(" in a comment
            nn.ReLU(True),
            nn.ConvTranspose2d(2, 2, 3, 2, 1),
            nn.ReLU(True),
            nn.ConvTranspose2d(2, 1, 4, 2, 1),
        )
`;

/** Weights of ones: kernel 3 stride 2 paints (phase sums 4, 2, 2, 1 per input channel), kernel 4 stride 2 does not. */
function checkpoint(): Checkpoint {
  const tensors: Record<string, number[]> = { 'main.0.weight': [2, 2, 3, 3], 'main.2.weight': [2, 2, 3, 3], 'main.4.weight': [2, 1, 4, 4] };
  return {
    format: 'pytorch',
    tensors: Object.entries(tensors).map(([name, shape]) => ({ name, shape, dtype: 'float32' })),
    tensor(name) {
      const shape = tensors[name] as number[];
      return { shape, data: new Float64Array(shape.reduce((a, b) => a * b, 1)).fill(1) };
    },
  };
}

describe('trained verdict in the paired source', () => {
  const audit = auditCheckpoint(checkpoint(), { source: SOURCE });
  const records = trainedRecords(audit, SOURCE);
  const byName = (name: string) => records.find((r) => r.name === name);
  const first = SOURCE.indexOf('nn.ConvTranspose2d(2, 2, 3, 2, 1)');
  const second = SOURCE.indexOf('nn.ConvTranspose2d(2, 2, 3, 2, 1)', first + 1);
  const third = SOURCE.indexOf('nn.ConvTranspose2d(2, 1, 4, 2, 1)');

  it('remembers each paired layer by its call text and which occurrence of it it is', () => {
    assert.deepEqual(records.map((r) => [r.name, r.callText, r.occurrence, r.verdict]).sort(), [
      ['main.0', 'nn.ConvTranspose2d(2, 2, 3, 2, 1)', 0, 'uneven'],
      ['main.2', 'nn.ConvTranspose2d(2, 2, 3, 2, 1)', 1, 'uneven'],
      ['main.4', 'nn.ConvTranspose2d(2, 1, 4, 2, 1)', 0, 'even'],
    ]);
  });

  it('finds each call where it is, and again after lines are added above', () => {
    const at = (text: string) => Object.fromEntries(locateTrained(records, text).map(({ record, offset }) => [record.name, offset]));
    assert.deepEqual(at(SOURCE), { 'main.0': first, 'main.2': second, 'main.4': third });
    const shifted = `# a comment\n# another\n${SOURCE}`;
    assert.deepEqual(at(shifted), { 'main.0': first + 22, 'main.2': second + 22, 'main.4': third + 22 });
  });

  it('drops a layer whose call was edited, and both records of two equal calls when one of them is edited (which is which cannot be told)', () => {
    const kernelChanged = SOURCE.replace('nn.ConvTranspose2d(2, 1, 4, 2, 1)', 'nn.ConvTranspose2d(2, 1, 3, 2, 1)');
    assert.deepEqual(locateTrained(records, kernelChanged).map(({ record }) => record.name).sort(), ['main.0', 'main.2']);
    const oneEdited = SOURCE.replace('nn.ConvTranspose2d(2, 2, 3, 2, 1)', 'nn.ConvTranspose2d(2, 2, 4, 2, 1)');
    assert.deepEqual(locateTrained(records, oneEdited).map(({ record, offset }) => [record.name, offset]), [['main.4', third]]);
  });

  it('reads a call text through nested brackets and strings, and refuses what is not a call', () => {
    const text = 'x = nn.Conv2d(f(1, [2, 3]), ")", k=(3, 3)) + 1';
    assert.equal(callTextAt(text, 4), 'nn.Conv2d(f(1, [2, 3]), ")", k=(3, 3))');
    assert.equal(callTextAt('a b(1)', 0), undefined);
    assert.equal(callTextAt('nn.Conv2d(1, 2', 0), undefined);
  });

  it('says the verdict in words', () => {
    const main0 = byName('main.0');
    assert.ok(main0);
    assert.equal(main0.worstChannel, 0);
    const energy = main0.periodicEnergy;
    assert.equal(trainedVerdictText('G_epoch200.pt', main0), `trained weights in G_epoch200.pt: uneven, ${percentText(energy)} periodic energy, worst output channel 0`);
    assert.equal(trainedVerdictText('G.pt', { op: 'convTranspose2d', verdict: 'uneven', periodicEnergy: 0.073, worstChannel: 12 }), 'trained weights in G.pt: uneven, 7.3 % periodic energy, worst output channel 12');
    assert.equal(trainedVerdictText('G.pt', byName('main.4') as NonNullable<ReturnType<typeof byName>>), 'trained weights in G.pt: even, 0 % periodic energy');
    assert.equal(trainedVerdictText('S.pt', { op: 'subPixelConvolution', verdict: 'uneven', periodicEnergy: 0.2, worstChannel: 1, icnr: { structured: false, distance: 0.35 } }), 'trained weights in S.pt: uneven, 20.0 % periodic energy, worst channel 1, 35.0 % from ICNR');
    assert.equal(trainedLensTitle('G.pt', { name: 'up2.conv', verdict: 'uneven', periodicEnergy: 0.00042 }), 'Trained up2.conv (G.pt): uneven, 0.042 %');
  });
});
