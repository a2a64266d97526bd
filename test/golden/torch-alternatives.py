"""Generates torch-alternatives.jsonl: the checkerboard lab's alternatives to a transposed
convolution, computed by PyTorch, in the line format of torch-reference.jsonl:

- resizeConvolution:   F.conv2d(F.interpolate(x, scale_factor=factor, mode=mode[, align_corners]), weight, bias, padding, dilation)
- subPixelConvolution: F.pixel_shuffle(F.conv2d(x, weight, bias, padding, dilation), factor)
- icnrWeight:          init.repeat_interleave(factor**2, dim=0), the ICNR weight (Aitken et al. 2017);
                       `expected` is that weight, and `check` records that pixel_shuffle(conv2d(x, weight,
                       padding='same'), factor) equals F.interpolate(conv2d(x, init, padding='same'),
                       scale_factor=factor, mode='nearest') on `input` (ICNR = convolution, then NN resize).

`params` holds factor, mode, alignCorners, padding ('same', 'valid' or [h, w]) and dilation.
Run with a python3 that has PyTorch 1.13 (Debian's python3-torch: /usr/bin/python3):
    /usr/bin/python3 test/golden/torch-alternatives.py > test/golden/torch-alternatives.jsonl
The output is deterministic (seeded inputs, values rounded to 3 decimals).
"""
import json

import torch
import torch.nn.functional as F

torch.manual_seed(20270214)


def rounded(*shape):
    return torch.round(torch.randn(*shape, dtype=torch.float64) * 1000) / 1000


def as_json(t):
    return {"shape": list(t.shape), "data": t.flatten().tolist()}


def padding_param(padding):
    return padding if isinstance(padding, str) else [padding, padding]


def resize_case(shape, c_out, k, factor, mode, align, padding, dilation, bias):
    x = rounded(*shape)
    w = rounded(c_out, shape[1], k, k)
    b = rounded(c_out) if bias else None
    kwargs = dict(scale_factor=factor, mode=mode)
    if align is not None:
        kwargs["align_corners"] = align
    y = F.conv2d(F.interpolate(x, **kwargs), w, b, padding=padding, dilation=dilation)
    params = {"factor": factor, "mode": mode, "padding": padding_param(padding), "dilation": [dilation, dilation]}
    if align is not None:
        params["alignCorners"] = align
    line = {"op": "resizeConvolution", "input": as_json(x), "weight": as_json(w), "params": params, "expected": as_json(y)}
    if b is not None:
        line["bias"] = as_json(b)
    return line


def sub_pixel_case(shape, c_out, k, factor, padding, dilation, bias):
    x = rounded(*shape)
    w = rounded(c_out * factor * factor, shape[1], k, k)
    b = rounded(c_out * factor * factor) if bias else None
    y = F.pixel_shuffle(F.conv2d(x, w, b, padding=padding, dilation=dilation), factor)
    params = {"factor": factor, "padding": padding_param(padding), "dilation": [dilation, dilation]}
    line = {"op": "subPixelConvolution", "input": as_json(x), "weight": as_json(w), "params": params, "expected": as_json(y)}
    if b is not None:
        line["bias"] = as_json(b)
    return line


def icnr_case(shape, c_out, k, factor):
    x = rounded(*shape)
    init = rounded(c_out, shape[1], k, k)
    weight = init.repeat_interleave(factor * factor, dim=0)
    sub_pixel = F.pixel_shuffle(F.conv2d(x, weight, padding="same"), factor)
    conv_then_resize = F.interpolate(F.conv2d(x, init, padding="same"), scale_factor=factor, mode="nearest")
    assert torch.equal(sub_pixel, conv_then_resize)
    return {"op": "icnrWeight", "input": as_json(x), "init": as_json(init), "params": {"factor": factor}, "expected": as_json(weight), "check": as_json(sub_pixel)}


def main():
    for shape in [(1, 1, 4, 5), (1, 2, 3, 3), (2, 1, 5, 2)]:
        for factor in [2, 3]:
            for mode, align in [("nearest", None), ("bilinear", False), ("bilinear", True)]:
                for k in [1, 2, 3, 4]:
                    print(json.dumps(resize_case(shape, 2 if shape[1] == 2 else 1, k, factor, mode, align, "same", 1, k == 3)))
            print(json.dumps(resize_case(shape, 1, 3, factor, "nearest", None, 1, 2, False)))
            print(json.dumps(resize_case(shape, 1, 2, factor, "bilinear", None, "valid", 1, True)))
            print(json.dumps(resize_case(shape, 1, 3, factor, "nearest", None, "same", factor, False)))
            for k in [1, 2, 3]:
                print(json.dumps(sub_pixel_case(shape, 2 if k == 2 else 1, k, factor, "same", 1, k == 3)))
            print(json.dumps(sub_pixel_case(shape, 1, 2, factor, 1, 1, False)))
            for k in [1, 3]:
                print(json.dumps(icnr_case(shape, 2 if shape[1] == 1 else 1, k, factor)))


if __name__ == "__main__":
    main()
