/**
 * Pytorch-UNet's model as one file, with its `Up` as many forks write it: without the `F.pad` of the
 * upsampled tensor to the skip's size (and without the functional import only that used). Made from
 * the golden files (test/golden/models/unet_parts.py and unet_model.py) so that the two cannot drift.
 * It runs for sides that are multiples of 16 and breaks at Up's torch.cat for others (78 × 78: the
 * skip is 9 × 9, the upsampled input 8 × 8).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function unetWithoutPadding(repoRoot: string): string {
  const read = (name: string) => readFileSync(join(repoRoot, 'test/golden/models', name), 'utf8');
  const parts = read('unet_parts.py').replace('import torch.nn.functional as F\n', '');
  const from = parts.indexOf('        # input is CHW\n');
  const to = parts.indexOf('        x = torch.cat([x2, x1], dim=1)\n');
  if (from < 0 || to < from) throw new Error('unet_parts.py no longer has the padding block of Up.forward');
  const model = read('unet_model.py').replace(/^from \.unet_parts import .*\n/m, '');
  return `${parts.slice(0, from)}${parts.slice(to)}\n\n${model}`;
}
