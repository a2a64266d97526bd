/**
 * The hover benchmarks' Python file: a DCGAN-like block (a `Sequential` of transposed convolutions,
 * one uneven, a size comment, a NumPy kernel) repeated to `lines` lines. scripts/benchHover.ts and
 * the first-hover measurement in the real VS Code (test/integration/firstHover.test.ts) read the same.
 */
export function pythonFile(lines: number): string {
  const chunk = [
    'import torch.nn as nn',
    'import numpy as np',
    '',
    'class Block(nn.Module):',
    '    def __init__(self, ngf):',
    '        super().__init__()',
    '        self.main = nn.Sequential(',
    '            # state size. (ngf*8) x 4 x 4',
    '            nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False),',
    '            nn.BatchNorm2d(ngf * 4),',
    '            nn.ReLU(True),',
    '            nn.ConvTranspose2d(ngf * 4, ngf * 2, 3, stride=2, padding=1, output_padding=1),',
    '        )',
    '        self.k = np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16',
    '',
  ];
  const all: string[] = [];
  while (all.length < lines) all.push(...chunk);
  return all.slice(0, lines).join('\n');
}
