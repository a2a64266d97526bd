"""The compound overlap of 1-D and 3-D stacks, computed by PyTorch from the modules themselves:
an all-ones input of one channel sent through each spatial module of a stack with its weight
replaced by ones (F.conv_transpose1d/3d, F.conv1d/3d with the module's own stride, padding,
output_padding and dilation), pooling and upsampling modules run as they are, everything else
(activations, normalisation, dropout) left out, and each map scaled to mean 1. Layer Lens's
compound overlap (src/core/engine/compoundOverlap.ts) reads the same stacks from the source text
alone; test/unit/insight/compoundDims.test.ts runs this script and compares every map at 1e-9.

    /usr/bin/python3 test/golden/torch-compound-dims.py   (JSON on stdout; run by the test)
"""
import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
# The fixtures are plain modules: imported from their folder, writing no __pycache__ into it.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "dims"))
import hifigan_generator  # noqa: E402
import unet3d_decoder  # noqa: E402
import upsampling_stacks  # noqa: E402


def step(x, module):
    """One module on the one-channel map x ([1, 1, ...]), or None for a module that keeps the map."""
    if isinstance(module, (nn.ConvTranspose1d, nn.ConvTranspose3d)):
        run = F.conv_transpose1d if isinstance(module, nn.ConvTranspose1d) else F.conv_transpose3d
        ones = torch.ones(1, 1, *module.kernel_size)
        return run(x, ones, stride=module.stride, padding=module.padding, output_padding=module.output_padding, dilation=module.dilation)
    if isinstance(module, (nn.Conv1d, nn.Conv3d)):
        run = F.conv1d if isinstance(module, nn.Conv1d) else F.conv3d
        ones = torch.ones(1, 1, *module.kernel_size)
        return run(x, ones, stride=module.stride, padding=module.padding, dilation=module.dilation)
    if isinstance(module, (nn.MaxPool1d, nn.MaxPool3d, nn.AvgPool1d, nn.AvgPool3d, nn.Upsample)):
        return module(x)
    return None


def case(file, stack, sequential, input_size):
    x = torch.ones(1, 1, *input_size)
    maps = []
    for index, module in enumerate(sequential):
        y = step(x, module)
        if y is None:
            continue
        x = y / y.mean()
        maps.append({"row": index, "module": type(module).__name__, "shape": list(x.shape[2:]), "data": x.reshape(-1).tolist()})
    return {"file": file, "stack": stack, "input": input_size, "maps": maps}


def main():
    hifigan = hifigan_generator.Generator()
    unet = unet3d_decoder.UNet3DDecoder()
    stacks = upsampling_stacks
    cases = [
        case("upsampling_stacks.py", "self.up", stacks.WaveGANUpsampler().up, [16]),
        case("upsampling_stacks.py", "self.up", stacks.VolumeUpsampler().up, [6, 6, 6]),
        case("hifigan_generator.py", "self.pre", hifigan.pre, [32]),
        case("hifigan_generator.py", "self.tail", hifigan.tail, [50]),
        case("unet3d_decoder.py", "self.bottleneck", unet.bottleneck, [4, 6, 6]),
    ]
    print(json.dumps({"torch": torch.__version__, "cases": cases}))


main()
