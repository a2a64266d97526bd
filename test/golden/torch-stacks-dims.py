"""Generates torch-stacks-dims.json: the shape of every layer of the 1-D and 3-D stacks in
test/fixtures/dims (a HiFi-GAN-style vocoder, a 3-D U-Net decoder), as PyTorch computes them by
running the modules (forward hooks), with each module's parameter count. Compared with Layer
Lens's propagation from the source alone in test/unit/insight/stacksDims.test.ts.

Run with Debian's python3-torch:
    /usr/bin/python3 test/golden/torch-stacks-dims.py > test/golden/torch-stacks-dims.json
The output is deterministic.
"""
import importlib.util
import json
import os
import re

import torch

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "dims")


def load(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(FIXTURES, name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def case(file, stack, sequential, input_shape):
    entries = []

    def hook(module, inputs, output):
        entries.append({
            "module": type(module).__name__,
            "input": list(inputs[0].shape),
            "output": list(output.shape),
            "parameters": sum(p.numel() for p in module.parameters(recurse=False)),
        })

    handles = [m.register_forward_hook(hook) for m in sequential]
    with torch.no_grad():
        sequential(torch.zeros(input_shape))
    for h in handles:
        h.remove()
    return {"file": file, "stack": stack, "input": input_shape, "layers": entries}


def main():
    torch.manual_seed(0)
    hifigan = load("hifigan_generator").Generator().eval()
    unet = load("unet3d_decoder").UNet3DDecoder().eval()
    cases = [
        case("hifigan_generator.py", "self.pre", hifigan.pre, [2, 80, 32]),
        case("hifigan_generator.py", "self.pre", hifigan.pre, [1, 80, 7]),
        case("hifigan_generator.py", "self.tail", hifigan.tail, [1, 128, 50]),
        case("unet3d_decoder.py", "self.bottleneck", unet.bottleneck, [1, 256, 8, 8, 8]),
        case("unet3d_decoder.py", "self.bottleneck", unet.bottleneck, [2, 256, 6, 10, 12]),
    ]
    text = json.dumps({"torch": torch.__version__, "cases": cases}, indent=1)
    print(re.sub(r"\[\s*([-\d,\s]*?)\s*\]", lambda m: "[" + ", ".join(m.group(1).split()).replace(",,", ",") + "]", text))


main()
