/**
 * The whole-model benchmarks: analyzeModel on a 200-layer model built by a loop (residual blocks
 * with `+` in forward), validInputSizes over sides 1..1024 on it and on the Pytorch-UNet-style model
 * of the golden tests (parts imported from a second file), and the model view's whole answer (the
 * traced run with every step's receptive field, and the size search 1..1024) that the engine
 * worker computes for Inspect Model.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { core } from './core';
import { medianMs } from './measure';
import { answerModel } from '../../src/core/model/modelMessages';
import type { StackFigure } from './stack';

/** A model of `blocks` residual blocks, each a conv, a norm, a conv and a norm: 4 listed layers a block. */
export function residualModel(blocks: number): string {
  return `import torch.nn as nn


class Block(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.conv1 = nn.Conv2d(ch, ch, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(ch)
        self.conv2 = nn.Conv2d(ch, ch, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(ch)
        self.act = nn.ReLU(inplace=True)

    def forward(self, x):
        out = self.act(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.act(out + x)


class Deep(nn.Module):
    def __init__(self, ch=64, blocks=${blocks}):
        super().__init__()
        self.blocks = nn.ModuleList([Block(ch) for _ in range(blocks)])

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return x
`;
}

export async function modelFigures(): Promise<StackFigure[]> {
  const figures: StackFigure[] = [];
  const deep = residualModel(50);
  const analyse = () => core.analyzeModel(deep, { className: 'Deep', inputShape: [1, 64, 128, 128] });
  const layers = analyse().layers.length;
  if (layers !== 200) throw new Error(`the 200-layer model was read as ${layers} layers`);
  figures.push({ name: 'analyzeModel, 200 layers (50 residual blocks), 128×128', ms: await medianMs(analyse, 2000) });

  const models = join(__dirname, '../../../test/golden/models');
  const unet = readFileSync(join(models, 'unet_model.py'), 'utf8');
  const files = { 'unet_parts.py': readFileSync(join(models, 'unet_parts.py'), 'utf8') };
  const sizes = () => core.validInputSizes(unet, { className: 'UNet', channels: 3, maxSide: 1024, files });
  if (sizes().sides.length !== 1009) throw new Error('the U-Net should run for sides 16..1024');
  figures.push({ name: 'validInputSizes, U-Net (23 modules run per side), sides 1..1024', ms: await medianMs(sizes, 3000) });
  const deepSizes = () => core.validInputSizes(deep, { className: 'Deep', channels: 64, maxSide: 1024 });
  if (deepSizes().sides.length !== 1024) throw new Error('the 200-layer model should run for every side');
  figures.push({ name: 'validInputSizes, 200 layers (50 residual blocks), sides 1..1024', ms: await medianMs(deepSizes, 3000) });
  // What the model view asks the worker (modelService.ts): the traced run and the search 1..1024.
  const view = (source: string, className: string, inputShape: number[], extra: Record<string, string>) => () =>
    answerModel({ source, className, inputShape, files: extra, trace: true, validSides: { channels: inputShape[1] as number, maxSide: 1024 } });
  figures.push({ name: 'model view answer, U-Net 64×64 (trace with fields + sizes 1..1024)', ms: await medianMs(view(unet, 'UNet', [1, 3, 64, 64], files), 3000) });
  figures.push({ name: 'model view answer, 200 layers 128×128 (trace with fields + sizes 1..1024)', ms: await medianMs(view(deep, 'Deep', [1, 64, 128, 128], {}), 3000) });
  return figures;
}
