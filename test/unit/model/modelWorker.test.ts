import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answer } from '../../../src/core/worker/engineService';
import { isWorkerRequest, isWorkerResponse } from '../../../src/core/worker/protocol';

const models = join(__dirname, '../../../../test/golden/models');

describe('engine worker: analyzeModel off the extension host', () => {
  const request = {
    source: readFileSync(join(models, 'unet_model.py'), 'utf8'),
    className: 'UNet',
    inputShape: [1, 3, 78, 78],
    files: { 'unet_parts.py': readFileSync(join(models, 'unet_parts.py'), 'utf8') },
    validSides: { channels: 3, maxSide: 64 },
  };

  it('answers with the analysis and the valid sides, in a response the host accepts', () => {
    const { response } = answer({ id: 7, op: 'analyzeModel', request });
    assert.ok(isWorkerResponse(response));
    assert.ok(response.ok && 'model' in response);
    assert.deepEqual(response.model.analysis.output?.shape, [1, 2, 78, 78]);
    assert.equal(response.model.analysis.layers.length, 45);
    assert.deepEqual(response.model.sizes?.sides, Array.from({ length: 49 }, (_, i) => i + 16));
    assert.equal(response.model.sizes?.rule, 'H must be at least 16');
  });

  it('refuses malformed requests', () => {
    assert.equal(isWorkerRequest({ id: 1, op: 'analyzeModel', request: { ...request, inputShape: [1, -3] } }), false);
    assert.equal(isWorkerRequest({ id: 1, op: 'analyzeModel', request: { ...request, validSides: { channels: 3, maxSide: 1e9 } } }), false);
    assert.equal(isWorkerRequest({ id: 1, op: 'analyzeModel', request: { ...request, files: { a: 1 } } }), false);
    assert.equal(isWorkerRequest({ id: 1, op: 'analyzeModel', request }), true);
  });
});
