/**
 * The whole-model reader on 1-D and 3-D modules (issue 22): output shapes and parameter counts as
 * PyTorch 1.13 gives them (`m(torch.zeros(shape)).shape`, `sum(p.numel() for p in m.parameters())`,
 * noted beside each case), and PyTorch's refusal of a 4-D input to BatchNorm3d.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeModel } from '../../../src/core/model/analyzeModel';

const source = readFileSync(join(__dirname, '../../../../test/fixtures/dims/small_models.py'), 'utf8');

describe('model reader: 1-D and 3-D layers', () => {
  it('follows a volume through Conv3d, BatchNorm3d, MaxPool3d, InstanceNorm3d, AvgPool3d and ConvTranspose3d', () => {
    // torch: VolumeNet()(zeros(1, 1, 12, 20, 21)).shape == [1, 2, 12, 6, 6]; 7,226 parameters.
    const result = analyzeModel(source, { className: 'VolumeNet', inputShape: [1, 1, 12, 20, 21] });
    assert.equal(result.error, null);
    assert.equal(result.unknown, null);
    assert.deepEqual(result.output?.shape, [1, 2, 12, 6, 6]);
    assert.equal(result.params, 7226);
  });

  it('follows a sequence through Conv1d, BatchNorm1d, ConvTranspose1d, AvgPool1d and MaxPool1d', () => {
    // torch: Vocoder()(zeros(2, 80, 33)).shape == [2, 32, 132]; 68,832 parameters.
    const result = analyzeModel(source, { className: 'Vocoder', inputShape: [2, 80, 33] });
    assert.equal(result.error, null);
    assert.deepEqual(result.output?.shape, [2, 32, 132]);
    assert.equal(result.params, 68832);
  });

  it('raises where PyTorch raises: BatchNorm3d on a 4-D input', () => {
    const result = analyzeModel(source, { className: 'VolumeNet', inputShape: [1, 1, 12, 20] });
    assert.match(result.error?.message ?? '', /BatchNorm3d expects a 5-D input, but the input has shape \[8, 1, 12, 20\]/);
  });
});
