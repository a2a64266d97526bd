import * as assert from 'node:assert/strict';
import { missingParts, partialCallAt, partialLayerMarkdown } from '../../../src/core/insight/partialLayer';
import { findLayerCalls } from '../../../src/core/parse/index';

/** The half-typed call at the end of `text` and its hover. */
function hoverAtEnd(text: string, inputSize = 16): string {
  const call = partialCallAt(findLayerCalls(text, 'python'), text.length);
  assert.ok(call, `a half-typed call at the end of ${JSON.stringify(text)}`);
  return partialLayerMarkdown(call, text, inputSize);
}

describe('partialLayer: a layer call whose ( is not closed yet', () => {
  it('gives the layer, the arguments read so far, the output size and its formula, and the missing )', () => {
    const text = 'import torch.nn as nn\nup = nn.ConvTranspose2d(16, 8, kernel_size=4, stride=2';
    const markdown = hoverAtEnd(text);
    assert.match(markdown, /\*\*`nn\.ConvTranspose2d`\*\* · not closed yet/);
    assert.match(markdown, /- `in_channels` = `16`/);
    assert.match(markdown, /- `kernel_size` = `4`/);
    assert.match(markdown, /- `stride` = `2`/);
    assert.match(markdown, /Output so far \*\*34×34\*\* for an input 16×16/);
    assert.match(markdown, /H_out = .* = 34/);
    assert.match(markdown, /Missing: the closing parenthesis `\)`\.$/);
  });

  it('names the argument the output size needs while it is missing, and the value being typed', () => {
    const text = 'import torch.nn as nn\nup = nn.ConvTranspose2d(16, 8, stride=';
    const markdown = hoverAtEnd(text);
    assert.doesNotMatch(markdown, /Output so far/);
    assert.match(markdown, /Missing: a value for `stride`, `kernel_size` \(the output size needs it\), the closing parenthesis `\)`\./);
  });

  it('says so when nothing is typed yet, and uses the framework’s names (Keras pool_size)', () => {
    assert.match(hoverAtEnd('import torch.nn as nn\nup = nn.ConvTranspose2d('), /No argument typed yet/);
    const keras = 'from tensorflow.keras import layers\np = layers.MaxPooling2D(strides=2';
    const call = partialCallAt(findLayerCalls(keras, 'python'), keras.length);
    assert.ok(call);
    assert.deepEqual(missingParts(call), ['`pool_size` (the output size needs it)', 'the closing parenthesis `)`']);
  });

  it('finds no half-typed call in a closed one, nor before a call starts', () => {
    const text = 'import torch.nn as nn\nup = nn.ConvTranspose2d(16, 8, 4, stride=2)\n';
    assert.equal(partialCallAt(findLayerCalls(text, 'python'), text.indexOf('16')), undefined);
    const open = 'import torch.nn as nn\nx = 1\nup = nn.ConvTranspose2d(16, 8, 4';
    assert.equal(partialCallAt(findLayerCalls(open, 'python'), open.indexOf('x = 1')), undefined);
  });

  it('keeps backticks typed into an argument inside its code span', () => {
    const markdown = hoverAtEnd('import torch.nn as nn\nup = nn.ConvTranspose2d(16, 8, kernel_size=`4`');
    assert.match(markdown, /`` `4` ``/);
  });
});
