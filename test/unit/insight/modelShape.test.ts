import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeModel } from '../../../src/core/model/analyzeModel';
import { modelShapeProblems, type ModelShapeProblem } from '../../../src/core/insight/modelShape';
import { applyEdits, modelShapeFixes, outputPaddingEdit } from '../../../src/core/insight/modelShapeFixes';
import { documentDiagnostics } from '../../../src/core/insight/documentDiagnostics';
import { summarizeDocument } from '../../../src/core/insight/documentSummary';
import { unetWithoutPadding } from './unetWithoutPadding';

const root = join(__dirname, '..', '..', '..', '..');
const UNET = unetWithoutPadding(root);
const CAT_LINE = UNET.slice(0, UNET.indexOf('torch.cat([x2, x1]')).split('\n').length;
const UP_LINE = UNET.slice(0, UNET.indexOf('nn.ConvTranspose2d(in_channels')).split('\n').length;
const UNET_LOOP = readFileSync(join(root, 'test/golden/models/unet_nopad.py'), 'utf8');

/** One down and one up step: a single transposed convolution, so output_padding can fix it alone. */
const ONE_STEP = `import torch
import torch.nn as nn
import torch.nn.functional as nnf


class TinyUNet(nn.Module):
    def __init__(self, channels=3, width=8):
        super().__init__()
        self.enc = nn.Conv2d(channels, width, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.mid = nn.Conv2d(width, width * 2, 3, padding=1)
        self.up = nn.ConvTranspose2d(width * 2, width, kernel_size=2, stride=2)
        self.dec = nn.Conv2d(width * 2, channels, 3, padding=1)

    def forward(self, x):
        skip = self.enc(x)
        y = self.up(self.mid(self.pool(skip)))
        return self.dec(torch.cat([y, skip], 1))
`;

function only(text: string, input: number[]): ModelShapeProblem {
  const problems = modelShapeProblems(text, input);
  assert.equal(problems.length, 1, JSON.stringify(problems.map((p) => p.message)));
  return problems[0] as ModelShapeProblem;
}

describe('model shape diagnostics', () => {
  it('a Pytorch-UNet Up without padding breaks at its torch.cat for 78×78, said with the skip, the upsampled input and the input', () => {
    const p = only(UNET, [1, 3, 78, 78]);
    assert.equal(p.message, `torch.cat at line ${CAT_LINE}: the skip x2 is 9×9 but the upsampled input x1 (from up1.up, ConvTranspose2d at line ${UP_LINE}) is 8×8 for an input of 1×3×78×78.`);
    assert.equal(UNET.slice(p.start, p.end), 'torch.cat([x2, x1], dim=1)');
    assert.equal(p.className, 'UNet');
    assert.deepEqual(p.args, {});
    const m = p.mismatch;
    assert.deepEqual([m.op, m.axis, m.operands[0].name, m.operands[1].name, m.operands[1].layer?.type, m.operands[1].layer?.line], ['torch.cat', 2, 'x2', 'x1', 'ConvTranspose2d', UP_LINE]);
  });

  it('takes the constructor arguments from a call of the class with literals in the same file', () => {
    const text = UNET.replace('def __init__(self, n_channels=3, n_classes=2, bilinear=False)', 'def __init__(self, n_channels, n_classes, bilinear=False)');
    assert.deepEqual(modelShapeProblems(text, [1, 3, 78, 78]), []);
    const p = only(`${text}\n\nif __name__ == '__main__':\n    net = UNet(3, n_classes=5)\n`, [1, 3, 78, 78]);
    assert.deepEqual(p.args, { n_channels: 3, n_classes: 5 });
  });

  it('reports nothing for a size the model takes, and nothing without an input shape', () => {
    assert.deepEqual(modelShapeProblems(UNET, [1, 3, 64, 64]), []);
    assert.deepEqual(modelShapeProblems(UNET, []), []);
  });

  it('reports no channel mismatch: the setting\'s channels may be meant for another model', () => {
    assert.deepEqual(modelShapeProblems(UNET, [1, 5, 78, 78]).length, 0);
    // The analysis itself does raise there (contract unchanged: error set, no mismatch data).
    const raised = analyzeModel(UNET, { className: 'UNet', inputShape: [1, 5, 78, 78] }).error;
    assert.ok(raised && !raised.mismatch);
  });

  it('keeps analyzeModel\'s error fields and adds the mismatch data', () => {
    const error = analyzeModel(UNET_LOOP, { className: 'UNET', inputShape: [1, 3, 78, 78] }).error;
    assert.equal(error?.line, 62);
    assert.match(error?.message ?? '', /^torch\.cat at line 62: skip_connection is 9×9 but x is 8×8 for an input of 78×78/);
    assert.deepEqual(error?.mismatch?.operands.map((o) => [o.name, o.shape.join('x'), o.layer?.path]), [
      ['skip_connection', '1x512x9x9', 'pool'],
      ['x', '1x512x8x8', 'ups.0'],
    ]);
  });

  it('a residual + whose branches differ carries both shapes', () => {
    const text = `import torch.nn as nn
class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 4, 3)
    def forward(self, x):
        return x + self.conv(x)
`;
    const p = only(text, [1, 4, 16, 16]);
    assert.equal(p.message, '`+` at line 7: the first tensor x is 16×16 but the second tensor (from conv, Conv2d at line 5) is 14×14 for an input of 1×4×16×16.');
    assert.equal(text.slice(p.start, p.end), 'x + self.conv(x)');
  });

  it('is reported by documentDiagnostics as model-shape (what layer-lens check prints)', () => {
    const summary = summarizeDocument({ text: UNET, languageId: 'python', inputSize: 32, layers: true, modelInput: [1, 3, 78, 78] });
    const models = documentDiagnostics(summary).filter((d) => d.rule === 'model-shape');
    assert.equal(models.length, 1);
    assert.equal(models[0]?.severity, 'error');
    assert.equal(documentDiagnostics(summarizeDocument({ text: UNET, languageId: 'python', inputSize: 32, layers: true })).filter((d) => d.rule === 'model-shape').length, 0);
  });
});

describe('model shape quick fixes', () => {
  const fixed = (text: string, input: number[], title: RegExp): string => {
    const p = only(text, input);
    const fix = modelShapeFixes(text, p).find((f) => title.test(f.title));
    assert.ok(fix, `no fix ${title}`);
    assert.equal(fix.disabled, undefined, fix.disabled);
    return applyEdits(text, fix.edits);
  };

  it('pads the upsampled tensor as Pytorch-UNet does, at the statement\'s indentation, adding the import', () => {
    const out = fixed(UNET, [1, 3, 78, 78], /^Pad x1 to x2's size/);
    assert.ok(out.startsWith('""" Parts of the U-Net model """\n\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n\nclass DoubleConv'));
    assert.ok(
      out.includes(
        '        x1 = self.up(x1)\n' +
          '        diffY = x2.size()[2] - x1.size()[2]\n' +
          '        diffX = x2.size()[3] - x1.size()[3]\n' +
          '        x1 = F.pad(x1, [diffX // 2, diffX - diffX // 2, diffY // 2, diffY - diffY // 2])\n' +
          '        x = torch.cat([x2, x1], dim=1)\n',
      ),
    );
    assert.deepEqual(modelShapeProblems(out, [1, 3, 78, 78]), []);
    assert.deepEqual(analyzeModel(out, { className: 'UNet', inputShape: [1, 3, 78, 78] }).output?.shape, [1, 2, 78, 78]);
  });

  it('resizes with F.interpolate in place, using the file\'s own name for torch.nn.functional', () => {
    const out = fixed(ONE_STEP, [1, 3, 77, 77], /F\.interpolate/);
    assert.ok(out.includes('return self.dec(torch.cat([nnf.interpolate(y, size=skip.shape[-2:]), skip], 1))'));
    assert.equal(out.split('import torch.nn.functional').length, 2);
    assert.deepEqual(analyzeModel(out, { className: 'TinyUNet', inputShape: [1, 3, 77, 77] }).output?.shape, [1, 3, 77, 77]);
  });

  it('sets output_padding from the inverse solver when that alone makes the sizes agree', () => {
    const p = only(ONE_STEP, [1, 3, 77, 77]);
    assert.match(p.message, /the skip skip is 77×77 but the upsampled input y \(from up, ConvTranspose2d at line 12\) is 76×76/);
    const out = fixed(ONE_STEP, [1, 3, 77, 77], /^Set output_padding=1 on up/);
    assert.ok(out.includes('nn.ConvTranspose2d(width * 2, width, kernel_size=2, stride=2, output_padding=1)'));
    assert.deepEqual(analyzeModel(out, { className: 'TinyUNet', inputShape: [1, 3, 77, 77] }).output?.shape, [1, 3, 77, 77]);
  });

  it('offers output_padding disabled, with the reason, when the layer is shared and another block would break', () => {
    const p = only(UNET_LOOP, [1, 3, 78, 78]);
    const fix = modelShapeFixes(UNET_LOOP, p).find((f) => f.title.startsWith('Set output_padding'));
    assert.equal(fix?.disabled, 'torch.cat at line 63 would still break: 78×78 and 79×79 for an input of 1×3×78×78 (the layer is built by code that several blocks share)');
    // The other two work in the loop: they adapt to each level.
    for (const title of [/^Pad x/, /F\.interpolate/]) {
      const f = modelShapeFixes(UNET_LOOP, p).find((x) => title.test(x.title));
      assert.equal(f?.disabled, undefined);
    }
  });

  it('says when output_padding cannot reach the size (more than stride − 1 rows short)', () => {
    const text = ONE_STEP.replace('self.pool = nn.MaxPool2d(2)', 'self.pool = nn.MaxPool2d(3)');
    const p = only(text, [1, 3, 32, 32]);
    const fix = modelShapeFixes(text, p).find((f) => f.title.startsWith('Set output_padding'));
    assert.match(fix?.disabled ?? '', /^output_padding adds 0 to 1 to the 10 → 20 of up \(stride 2\): 32 cannot be reached with padding=0$/);
  });

  it('adds the functional import after the imports, keeping CRLF line ends', () => {
    const text = ONE_STEP.replace('import torch.nn.functional as nnf\n', '').replace(/\n/g, '\r\n');
    const p = only(text, [1, 3, 77, 77]);
    const fix = modelShapeFixes(text, p).find((f) => f.title.includes('F.interpolate'));
    const out = applyEdits(text, fix?.edits ?? []);
    assert.ok(out.startsWith('import torch\r\nimport torch.nn as nn\r\nimport torch.nn.functional as F\r\n\r\n\r\nclass TinyUNet'), out.slice(0, 90));
    assert.ok(out.includes('torch.cat([F.interpolate(y, size=skip.shape[-2:]), skip], 1)'));
  });

  it('writes output_padding into the call as it is laid out', () => {
    const one = 'self.up = nn.ConvTranspose2d(8, 4, 2, stride=2)\n';
    assert.equal(applyEdits(one, [outputPaddingEdit(one, 1, [1, 1])!]), 'self.up = nn.ConvTranspose2d(8, 4, 2, stride=2, output_padding=1)\n');
    const has = 'self.up = nn.ConvTranspose2d(8, 4, 3, stride=2, output_padding=0, bias=False)\n';
    assert.equal(applyEdits(has, [outputPaddingEdit(has, 1, [1, 0])!]), 'self.up = nn.ConvTranspose2d(8, 4, 3, stride=2, output_padding=(1, 0), bias=False)\n');
    const lines = 'up = nn.ConvTranspose2d(\n    8, 4, kernel_size=2, stride=2,\n)\n';
    assert.equal(applyEdits(lines, [outputPaddingEdit(lines, 1, [1, 1])!]), 'up = nn.ConvTranspose2d(\n    8, 4, kernel_size=2, stride=2,\n    output_padding=1,\n)\n');
  });
});
