/**
 * The arguments a model is built with when its `__init__` requires some, as milesial's
 * `UNet(n_channels, n_classes, bilinear=False)` does: found in the workspace's calls of the class
 * (literal arguments only), given by the user, or the defaults; what is left is said to be missing.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findConstructorCalls, modelConstructor, pythonLiteral, readArgumentText } from '../../../src/core/model/constructorArguments';
import { answerModel } from '../../../src/core/model/modelMessages';

const models = join(__dirname, '../../../../test/golden/models');
const parts = readFileSync(join(models, 'unet_parts.py'), 'utf8');
const defaults = readFileSync(join(models, 'unet_model.py'), 'utf8');
// As milesial/Pytorch-UNet writes it: the channels and classes have no defaults.
const unet = defaults.replace('def __init__(self, n_channels=3, n_classes=2, bilinear=False)', 'def __init__(self, n_channels, n_classes, bilinear=False)');
const train = 'import argparse\nfrom unet import UNet\n\ndef main(args):\n    model = UNet(n_channels=3, n_classes=args.classes, bilinear=args.bilinear)\n    return model\n';
const hubconf = 'import torch\nfrom unet import UNet as _UNet\n\n\ndef unet_carvana(pretrained=False, scale=0.5):\n    net = _UNet(n_channels=3, n_classes=2, bilinear=False)\n    return net\n';
const request = { source: unet, className: 'UNet', inputShape: [1, 3, 78, 78], files: { 'unet_parts.py': parts } };

describe('constructor arguments', () => {
  it('reads the parameters with their defaults and says which are missing when nothing builds the class', () => {
    const built = modelConstructor(unet, request);
    assert.equal(built?.call, 'UNet(n_channels=?, n_classes=?, bilinear=False)');
    assert.deepEqual(built?.missing, ['n_channels', 'n_classes']);
    const answer = answerModel(request);
    assert.equal(answer.analysis.output, null);
    // Said at the class (line 8), not at the first layer that would use the value (in unet_parts.py), and no size is searched.
    assert.deepEqual(answer.analysis.unknown && { line: answer.analysis.unknown.line, file: answer.analysis.unknown.file }, { line: 8, file: '' });
    assert.match(answer.analysis.unknown?.message ?? '', /^UNet\.__init__\(\) needs n_channels, n_classes: no default, and no call of the class with literal arguments gives them/);
    assert.equal(answerModel({ ...request, validSides: { channels: 3, maxSide: 64 } }).sizes, undefined);
  });

  it('takes the required arguments from the call that gives the most of them as literals', () => {
    const trainOnly = modelConstructor(unet, { ...request, callers: { 'train.py': train } });
    assert.deepEqual(trainOnly?.arguments[0], { name: 'n_channels', origin: 'call', text: '3', where: 'train.py:5' });
    assert.deepEqual(trainOnly?.missing, ['n_classes'], 'n_classes=args.classes says nothing');
    const both = answerModel({ ...request, callers: { 'train.py': train, 'hubconf.py': hubconf } });
    assert.deepEqual(both.builtWith?.arguments, [
      { name: 'n_channels', origin: 'call', text: '3', where: 'hubconf.py:6' },
      { name: 'n_classes', origin: 'call', text: '2', where: 'hubconf.py:6' },
      { name: 'bilinear', origin: 'default', text: 'False' },
    ]);
    assert.deepEqual(both.analysis.output?.shape, [1, 2, 78, 78]);
  });

  it('puts what the user gave first, and builds with it', () => {
    const answer = answerModel({ ...request, args: { n_classes: 5 }, callers: { 'hubconf.py': hubconf } });
    assert.equal(answer.builtWith?.call, 'UNet(n_channels=3, n_classes=5, bilinear=False)');
    assert.equal(answer.builtWith?.arguments[1]?.origin, 'given');
    assert.deepEqual(answer.analysis.output?.shape, [1, 5, 78, 78]);
  });

  it('names positional arguments by the parameters, through attributes, and leaves out calls it cannot read', () => {
    const params = [{ name: 'in_nc' }, { name: 'out_nc' }, { name: 'nf' }, { name: 'nb' }, { name: 'gc', defaultText: '32' }];
    const script = 'import RRDBNet_arch as arch\nmodel = arch.RRDBNet(3, 3, 64, 23, gc=32)\nother = arch.RRDBNet(*sizes)\nwrong = RRDBNet(1, 2, 3, 4, 5, 6)\n';
    const calls = findConstructorCalls(script, 'test.py', 'RRDBNet', params);
    assert.equal(calls.length, 1);
    assert.deepEqual([...(calls[0]?.literals ?? [])], [['in_nc', 3], ['out_nc', 3], ['nf', 64], ['nb', 23], ['gc', 32]]);
    assert.deepEqual(findConstructorCalls('RRDBNet = 1\n', 'a.py', 'RRDB.*', params), []);
  });

  it('reads a typed value as the Python literal it is, or says what is wrong', () => {
    assert.deepEqual(readArgumentText(' 64 '), { ok: true, value: 64 });
    assert.deepEqual(readArgumentText('-0.5'), { ok: true, value: -0.5 });
    assert.deepEqual(readArgumentText('True'), { ok: true, value: true });
    assert.deepEqual(readArgumentText('None'), { ok: true, value: null });
    assert.deepEqual(readArgumentText("'batch'"), { ok: true, value: 'batch' });
    assert.deepEqual(readArgumentText('(64, 128)'), { ok: true, value: [64, 128] });
    for (const bad of ['', 'batch', 'args.classes', '1 +', 'nn.BatchNorm2d', '[[1]]', 'x' + '1'.repeat(2000)]) {
      const read = readArgumentText(bad);
      assert.equal(read.ok, false, bad);
    }
    assert.equal(pythonLiteral(["it's", null, false, 2.5]), "['it\\'s', None, False, 2.5]");
  });
});
