/**
 * The default input of a model class whose layers are not images: a sequence or a volume, by the
 * class's first convolution as its `__init__` writes it (read from the text alone, the way the
 * checkpoint audit pairs state-dict keys: src/core/checkpoint/sourceModules.ts). Host code only: the
 * model page's input box parses shapes with insight/modelInput.ts and needs none of this.
 */
import { sourceModels } from '../checkpoint/sourceModules';

/**
 * The input a model class takes by its first convolution written in its `__init__` (its own, or a
 * submodule class's of the same file): `[1, C, 256]` for a `Conv1d` / `ConvTranspose1d` (a
 * sequence), `[1, C, 32, 32, 32]` for a 3-D one (a volume), C its `in_channels` where written as a
 * number or given by the class's defaults (else 1); undefined for a 2-D first convolution or none, where the image default stands.
 */
export function rankedDefaultInput(source: string, className: string): number[] | undefined {
  const first = sourceModels(source).find((model) => model.name === className)?.layers[0];
  if (!first) return undefined;
  const channels = first.inChannelsByDefault ?? 1;
  if (first.op.endsWith('1d')) return [1, channels, 256];
  if (first.op.endsWith('3d')) return [1, channels, 32, 32, 32];
  return undefined;
}
