"""Generates models/torch-fields.json: the receptive field of every layer's output, row by row, on the
model's input, measured by gradient support in PyTorch for the model sources of models/ (the same ones
torch-models.py runs). test/unit/model/fields.test.ts compares the model view's per-layer fields with it.

For each listed layer call (convolutions, transposed convolutions, pooling, upsampling, pixel shuffle,
padding) and a few consecutive output rows around the middle (at the middle column), the first and last
input row whose gradient is non-zero: the gradient support, with every convolution's weights set to the
same positive value and zero biases (so nothing cancels and every activation stays positive), in float64,
on a positive input. Max pooling's support is its argmax, which depends on the values: it is measured as
average pooling of the same window (the rows the maximum may come from), as Layer Lens defines it.
Models with statistics over the map (instance and group norm) are left out: every value reaches all.

Inputs are tall and narrow (rows only are compared) so that the middle rows' fields lie inside the input.

Run with Debian's python3-torch (PyTorch 1.13):
    /usr/bin/python3 test/golden/torch-fields.py > test/golden/models/torch-fields.json
The output is deterministic.
"""
import importlib
import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

# name, files (main first), class, constructor arguments, input [N, C, H, W]
MODELS = [
    ("unet", ["unet_model.py", "unet_parts.py"], "UNet", {}, [1, 3, 240, 16]),
    ("unet_bilinear", ["unet_model.py", "unet_parts.py"], "UNet", {"bilinear": True}, [1, 3, 240, 16]),
    ("unet_nopad", ["unet_nopad.py"], "UNET", {}, [1, 3, 256, 16]),
    ("resnet_generator", ["resnet_generator.py"], "ResnetGenerator", {}, [1, 3, 148, 8]),
    ("srgan", ["srgan.py"], "Generator", {}, [1, 3, 48, 8]),
    ("dcgan", ["dcgan.py"], "Generator", {}, [1, 100, 12, 2]),
    ("styles", ["styles.py"], "Styles", {}, [1, 3, 96, 16]),
]
LISTED = (nn.Conv2d, nn.ConvTranspose2d, nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d, nn.Upsample,
          nn.PixelShuffle, nn.ReflectionPad2d, nn.ReplicationPad2d, nn.ZeroPad2d, nn.ConstantPad2d)
ROWS = 7


def as_average(module):
    """Max pooling replaced by average pooling over the same window (see the module comment)."""
    for name, child in module.named_children():
        if isinstance(child, nn.MaxPool2d):
            assert child.dilation in (1, (1, 1))
            setattr(module, name, nn.AvgPool2d(child.kernel_size, child.stride, child.padding, child.ceil_mode))
        else:
            as_average(child)


def measure(model, shape):
    model = model.double().eval()
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.constant_(m.weight, 1.0 / m.weight[0].numel())
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    calls = []
    for name, module in model.named_modules():
        if isinstance(module, LISTED):
            module.register_forward_hook(lambda m, i, o, name=name: calls.append((name, type(m).__name__, o)))
    x = torch.full(shape, 1e-3, dtype=torch.float64, requires_grad=True)
    model(x)
    steps = []
    for name, op, out in calls:
        h, w = out.shape[-2:]
        column = w // 2
        first = max(0, h // 2 - ROWS // 2)
        rows = []
        for i in range(first, min(h, first + ROWS)):
            (grad,) = torch.autograd.grad(out[0, :, i, column].sum(), x, retain_graph=True)
            support = grad[0].abs().sum(0).sum(1) > 0
            found = support.nonzero().flatten().tolist()
            rows.append([i, found[0], found[-1]] if found else [i, None, None])
        steps.append({"path": name, "op": op, "outputShape": list(out.shape), "column": column, "rows": rows})
    return steps


def main():
    torch.set_num_threads(1)
    saved = F.max_pool2d
    F.max_pool2d = lambda input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False: F.avg_pool2d(input, kernel_size, stride, padding, ceil_mode)
    cases = []
    for name, files, class_name, args, shape in MODELS:
        module = importlib.import_module("models." + files[0][:-3])
        model = getattr(module, class_name)(**args)
        as_average(model)
        cases.append({"name": name, "files": files, "className": class_name, "args": args, "input": shape, "steps": measure(model, shape)})
        print(name, file=sys.stderr)
    F.max_pool2d = saved
    json.dump({"torch": torch.__version__.split("a")[0], "cases": cases}, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
