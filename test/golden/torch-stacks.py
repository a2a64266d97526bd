"""Generates torch-stacks.json: the shape of every layer of the sample models' stacks, as PyTorch
computes them by running the models (forward hooks on each module), with each module's parameter
count. The stack tests (test/unit/insight/stacks.test.ts) compare Layer Lens' propagation, read
from the source alone, against it.

Run with a python3 that has PyTorch 1.13 (Debian's python3-torch: /usr/bin/python3):
    /usr/bin/python3 test/golden/torch-stacks.py > test/golden/torch-stacks.json
The output is deterministic.
"""
import importlib.util
import json
import re
import os

import torch
import torch.nn as nn

SAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "samples")


def load(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(SAMPLES, name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def record(modules, run):
    """Runs `run()` with hooks on `modules` (in stack order) and returns one entry per module."""
    entries = [None] * len(modules)

    def hook(index):
        def fn(module, inputs, output):
            entries[index] = {
                "module": type(module).__name__,
                "input": list(inputs[0].shape),
                "output": list(output.shape),
                "parameters": sum(p.numel() for p in module.parameters(recurse=False)),
            }
        return fn

    handles = [m.register_forward_hook(hook(i)) for i, m in enumerate(modules)]
    with torch.no_grad():
        run()
    for h in handles:
        h.remove()
    return entries


def sequential_case(file, stack, model, sequential, input_shape, run=None):
    x = torch.zeros(input_shape)
    modules = list(sequential)
    return {"file": file, "stack": stack, "input": input_shape, "layers": record(modules, run or (lambda: sequential(x)))}


def main():
    torch.manual_seed(0)
    cases = []
    dcgan = load("dcgan_generator").Generator().eval()
    cases.append(sequential_case("dcgan_generator.py", "self.main", dcgan, dcgan.main, [2, 100, 1, 1]))
    cases.append(sequential_case("dcgan_generator.py", "self.main", dcgan, dcgan.main, [1, 100, 3, 3]))

    vae = load("vae_decoder").VAEDecoder().eval()
    z = torch.zeros(2, 128)
    cases.append({"file": "vae_decoder.py", "stack": "self.decoder", "input": [2, 4096],
                  "layers": record(list(vae.decoder), lambda: vae(z))})

    unet = load("unet_decoder").UNetDecoder().eval()
    order = [unet.up4, unet.conv4, unet.up3, unet.conv3, unet.up2, unet.conv2, unet.up1, unet.conv1, unet.head]
    x = torch.zeros(1, 1024, 4, 4)
    skips = [torch.zeros(1, 512, 8, 8), torch.zeros(1, 256, 16, 16), torch.zeros(1, 128, 32, 32), torch.zeros(1, 64, 64, 64)]
    cases.append({"file": "unet_decoder.py", "stack": "UNetDecoder.__init__", "input": [1, 1024, 4, 4],
                  "layers": record(order, lambda: unet(x, skips))})
    # One layer a line: the file stays readable in a diff.
    text = json.dumps({"torch": torch.__version__, "cases": cases}, indent=1)
    print(re.sub(r"\[\s*([-\d,\s]*?)\s*\]", lambda m: "[" + ", ".join(m.group(1).split()).replace(",,", ",") + "]", text))


main()
