/**
 * The stack benchmarks: finding and analysing a 40-layer stack (shapes, parameter counts, overlap
 * verdicts, formulas), and the compound overlap map of a stack whose output is 256×256, which the
 * extension computes in the engine worker.
 */
import { core } from './core';
import { medianMs } from './measure';

export interface StackFigure {
  readonly name: string;
  readonly ms: number;
}

/** A generator of `layers` elements: transposed convolutions (stride 2 every fourth, 1 otherwise) with norms and activations between. */
function deepStack(layers: number): string {
  const lines = ['import torch.nn as nn', 'ngf = 64', '', 'class Deep(nn.Module):', '    def __init__(self):', '        super().__init__()', '        self.main = nn.Sequential('];
  let convs = 0;
  for (let i = 0; lines.length - 7 < layers; i++) {
    const kind = i % 3;
    if (kind === 0) {
      const stride = convs % 4 === 0 && convs < 12 ? 2 : 1;
      lines.push(`            nn.ConvTranspose2d(ngf * ${8 - (convs % 4)}, ngf * ${8 - ((convs + 1) % 4)}, ${stride === 2 ? 3 : 3}, stride=${stride}, padding=1${stride === 2 ? ', output_padding=1' : ''}, bias=False),`);
      convs++;
    } else if (kind === 1) lines.push(`            nn.BatchNorm2d(ngf * ${8 - (convs % 4)}),`);
    else lines.push('            nn.ReLU(True),');
  }
  lines.push('        )');
  return lines.join('\n');
}

const GENERATOR_256 = `import torch.nn as nn
net = nn.Sequential(
    nn.ConvTranspose2d(512, 256, 4, 2, 1),
    nn.ReLU(True),
    nn.ConvTranspose2d(256, 128, 3, stride=2, padding=1, output_padding=1),
    nn.ReLU(True),
    nn.ConvTranspose2d(128, 64, 4, 2, 1),
    nn.ReLU(True),
    nn.ConvTranspose2d(64, 3, 3, stride=2, padding=1, output_padding=1),
)
`;

export async function stackFigures(): Promise<StackFigure[]> {
  const figures: StackFigure[] = [];
  const deep = deepStack(40);
  const analyse = () => {
    const [stack] = core.findLayerStacks(deep, 'python');
    if (!stack || stack.items.length !== 40) throw new Error(`the 40-layer stack was read as ${stack?.items.length ?? 0} elements`);
    return core.analyzeStack(stack, core.readConstants(deep));
  };
  analyse();
  figures.push({ name: '40-layer stack: find, shapes, parameters, verdicts (symbolic input)', ms: await medianMs(analyse, 1000) });
  const [stack] = core.findLayerStacks(deep, 'python');
  const constants = core.readConstants(deep);
  figures.push({ name: '40-layer stack: shapes for a 16×16 input', ms: await medianMs(() => core.analyzeStack(stack!, constants, [16, 16]), 1000) });

  const [generator] = core.findLayerStacks(GENERATOR_256, 'python');
  const path = core.stackPath(core.analyzeStack(generator!, new Map(), [16, 16]));
  const compound = core.compoundOverlap(path);
  const last = compound.steps[compound.steps.length - 1]?.map.shape.join('×');
  if (last !== '256×256') throw new Error(`the compound map is ${last}, not 256×256`);
  figures.push({ name: 'compound overlap map, 4 layers, 16×16 → 256×256, every per-layer map', ms: await medianMs(() => core.compoundOverlap(path), 1500) });
  return figures;
}
