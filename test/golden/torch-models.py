"""Generates models/torch-models.json: whole models (the sources in models/, written in the style of
Pytorch-UNet, pytorch-CycleGAN-and-pix2pix, the PyTorch DCGAN tutorial, SRGAN-PyTorch, PyTorch-VAE and a
small feature pyramid, torchvision's ResNet-18 and VGG, the PyTorch tutorial's LeNet, a small DenseNet, and a model of mixed idioms) run by PyTorch for every square input side 1..128 and a few non-square inputs.
The model tests (test/unit/model/*.test.ts) read the same sources and compare analyzeModel and
validInputSizes with what PyTorch did.

Recorded per model and input: the output shapes or the error PyTorch raised; for some inputs, every
convolution, transposed convolution, linear, pooling and normalization module as it ran (forward
hooks): its named_modules() name, type, input and output shapes, parameter count and multiply-adds;
and, for models without max pooling or global statistics, the receptive field of the centre output
value measured by gradient support with constant positive weights.

Multiply-adds (MACs), for the whole batch:
  Conv:           output numel * (C_in / groups) * kH * kW        (bias not counted)
  ConvTranspose:  input numel * (C_out / groups) * kH * kW        (= N*C_in*H_in*W_in * C_out/groups * kH*kW)
  Linear:         output numel * in_features
  pooling, normalization: 0
Models run in eval() mode under torch.no_grad(), in float32, batch 1.

Run with Debian's python3-torch (PyTorch 1.13):
    /usr/bin/python3 test/golden/torch-models.py > test/golden/models/torch-models.json
    /usr/bin/python3 test/golden/torch-models.py --dims > test/golden/models/torch-models-dims.json
The output is deterministic. `--dims` runs the 1-D and 3-D models (issue 22) instead: a Wave-U-Net
on [1, C, L] for every length 1..128, and a 3-D U-Net on [1, C, S, S, S] for every cube side 1..32
and a few non-cube volumes; their multiply-adds count the kernel's every axis (kD·kH·kW).
"""
import importlib
import json
import os
import sys

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

# name, files (main first), class, constructor keyword arguments (besides the defaults), input channels
MODELS = [
    ("unet", ["unet_model.py", "unet_parts.py"], "UNet", {}, 3),
    ("unet_bilinear", ["unet_model.py", "unet_parts.py"], "UNet", {"bilinear": True}, 3),
    ("unet_nopad", ["unet_nopad.py"], "UNET", {}, 3),
    ("resnet_generator", ["resnet_generator.py"], "ResnetGenerator", {}, 3),
    ("dcgan", ["dcgan.py"], "Generator", {}, 100),
    ("srgan", ["srgan.py"], "Generator", {}, 3),
    ("vae", ["vae.py"], "VAE", {}, 3),
    ("fpn", ["fpn_head.py"], "TinyFPN", {}, 3),
    ("resnet18", ["resnet.py"], "ResNet", {}, 3),
    ("vgg", ["vgg.py"], "VGG", {}, 3),
    ("lenet", ["tutorial_models.py"], "Net", {}, 1),
    ("dense", ["tutorial_models.py"], "Dense", {}, 3),
    ("styles", ["styles.py"], "Styles", {}, 3),
]
# name, files, class, arguments, input channels, spatial rank, largest side, detailed sides, non-cube inputs
MODELS_DIMS = [
    ("wave_unet", ["wavegan1d.py"], "WaveUNet", {}, 1, 1, 128, [7, 16, 64, 128], []),
    ("unet3d", ["unet3d.py"], "UNet3D", {}, 2, 3, 32, [8, 12, 16, 24], [[12, 16, 20], [16, 12, 24], [8, 12, 16], [12, 13, 16]]),
]
NON_SQUARE = [[64, 48], [78, 100], [33, 65], [17, 128], [100, 4]]
DETAIL_SIDES = [1, 7, 16, 33, 64, 78, 128]
RECEPTIVE = {"resnet_generator": 40, "srgan": 40}
LISTED = (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d, nn.Linear,
          nn.MaxPool1d, nn.MaxPool2d, nn.MaxPool3d, nn.AvgPool1d, nn.AvgPool2d, nn.AvgPool3d,
          nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d, nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d,
          nn.InstanceNorm1d, nn.InstanceNorm2d, nn.InstanceNorm3d, nn.GroupNorm, nn.LayerNorm)


def macs(module, inp, out):
    if isinstance(module, (nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d)):
        k = 1
        for s in module.kernel_size:
            k *= s
        return inp.numel() * module.out_channels // module.groups * k
    if isinstance(module, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
        k = 1
        for s in module.kernel_size:
            k *= s
        return out.numel() * module.in_channels // module.groups * k
    if isinstance(module, nn.Linear):
        return out.numel() * module.in_features
    return 0


def shapes_of(value):
    if isinstance(value, torch.Tensor):
        return [list(value.shape)]
    return [list(v.shape) for v in value]


def run(model, shape, detail):
    layers = []
    handles = []
    if detail:
        for name, module in model.named_modules():
            if isinstance(module, LISTED):
                def hook(m, inputs, output, name=name):
                    layers.append({
                        "path": name,
                        "op": type(m).__name__,
                        "inputShape": list(inputs[0].shape),
                        "outputShape": list(output.shape),
                        "macs": macs(m, inputs[0], output),
                        "params": sum(p.numel() for p in m.parameters(recurse=False)),
                    })
                handles.append(module.register_forward_hook(hook))
    try:
        with torch.no_grad():
            out = model(torch.ones(shape))
        result = {"input": shape, "outputs": shapes_of(out)}
    except Exception as e:  # PyTorch refused this input
        result = {"input": shape, "error": str(e).split("\n")[0]}
    for h in handles:
        h.remove()
    if detail and "error" not in result:
        result["layers"] = layers
    return result


def receptive_field(model, channels, side):
    """Rows and columns of the input that reach the centre output value, by gradient support."""
    model = model.double()
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            fan = m.weight[0].numel()
            nn.init.constant_(m.weight, 1.0 / fan)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    # A small input keeps every value far from tanh's saturation, where its gradient rounds to 0.
    x = torch.full([1, channels, side, side], 1e-3, dtype=torch.float64, requires_grad=True)
    out = model(x)
    h, w = out.shape[-2:]
    out[0, :, h // 2, w // 2].sum().backward()
    support = x.grad[0].abs().sum(0) > 0
    rows = support.any(1).nonzero().flatten().tolist()
    cols = support.any(0).nonzero().flatten().tolist()
    return {"input": side, "output": [h // 2, w // 2], "rows": [rows[0], rows[-1]], "cols": [cols[0], cols[-1]]}


def main_dims():
    """The 1-D and 3-D models: every length (cube side) 1..largest, and the non-cube volumes."""
    torch.manual_seed(0)
    torch.set_num_threads(1)
    cases = []
    for name, files, class_name, args, channels, rank, largest, detail, others in MODELS_DIMS:
        module = importlib.import_module("models." + files[0][:-3])
        model = getattr(module, class_name)(**args).eval()
        runs = [run(model, [1, channels] + [side] * rank, side in detail) for side in range(1, largest + 1)]
        runs += [run(model, [1, channels] + list(size), True) for size in others]
        cases.append({"name": name, "files": files, "className": class_name, "args": args, "channels": channels, "rank": rank,
                      "maxSide": largest, "params": sum(p.numel() for p in model.parameters()), "runs": runs})
        print(name, file=sys.stderr)
    json.dump({"torch": torch.__version__.split("a")[0], "cases": cases}, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    cases = []
    for name, files, class_name, args, channels in MODELS:
        module = importlib.import_module("models." + files[0][:-3])
        model = getattr(module, class_name)(**args).eval()
        total = sum(p.numel() for p in model.parameters())
        runs = []
        for side in range(1, 129):
            runs.append(run(model, [1, channels, side, side], side in DETAIL_SIDES))
        for h, w in NON_SQUARE:
            runs.append(run(model, [1, channels, h, w], True))
        case = {"name": name, "files": files, "className": class_name, "args": args, "channels": channels,
                "params": total, "runs": runs}
        if name in RECEPTIVE:
            case["receptiveField"] = receptive_field(getattr(module, class_name)(**args).eval(), channels, RECEPTIVE[name])
        cases.append(case)
        print(name, file=sys.stderr)
    json.dump({"torch": torch.__version__.split("a")[0], "cases": cases}, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main_dims() if sys.argv[1:] == ["--dims"] else main()
