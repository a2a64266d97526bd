"""Generates torch-volumes.jsonl: the 1-D and 3-D layers (issue 22) computed by PyTorch 1.13 in
float64, in the line format of torch-reference.jsonl: conv1d, conv_transpose1d, conv3d,
conv_transpose3d, max/avg_pool1d and 3d, and F.interpolate in modes nearest, linear and trilinear,
with every option per axis, batched and unbatched inputs, and the calls PyTorch refuses (with its
message in `error`).

Run with a python3 that has PyTorch 1.13 (Debian's python3-torch: /usr/bin/python3):
    /usr/bin/python3 test/golden/torch-volumes.py > test/golden/torch-volumes.jsonl
The output is deterministic (seeded inputs, rounded to 3 decimals; tensors kept small).
"""
import json
import random

import torch
import torch.nn.functional as F

torch.manual_seed(20261207)
rng = random.Random(20261207)


def values(*shape):
    return torch.round(torch.randn(*shape, dtype=torch.float64) * 1000) / 1000


def finite_or_name(v):
    """JSON has no NaN or infinities: they are written as the strings "NaN", "Infinity", "-Infinity"."""
    if v != v:
        return "NaN"
    if v in (float("inf"), float("-inf")):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def tensor_json(t):
    return {"shape": list(t.shape), "data": [finite_or_name(v) for v in t.flatten().tolist()]}


def as_list(value, rank):
    """An option as the engine's params hold it: an int stays an int, a tuple becomes a list."""
    return list(value) if isinstance(value, (list, tuple)) else value


def emit(op, x, params, call, weight=None, bias=None):
    line = {"op": op, "input": tensor_json(x)}
    if weight is not None:
        line["weight"] = tensor_json(weight)
    if bias is not None:
        line["bias"] = tensor_json(bias)
    line["params"] = params
    try:
        line["expected"] = tensor_json(call())
    except (RuntimeError, ValueError, NotImplementedError) as error:
        line["error"] = str(error).strip().split("\n")[0]
    print(json.dumps(line, allow_nan=False))


# ---- convolutions ---------------------------------------------------------------------------

def conv_case(rank, transposed, in_shape, out_channels, kernel, stride=1, padding=0, output_padding=0, dilation=1, groups=1, bias=False, weight_shape=None):
    spatial = in_shape[-rank:]
    in_channels = in_shape[-rank - 1]
    k = kernel if isinstance(kernel, (list, tuple)) else (kernel,) * rank
    x = values(*in_shape)
    if weight_shape is None:
        weight_shape = (in_channels, max(1, out_channels // groups), *k) if transposed else (out_channels, max(1, in_channels // groups), *k)
    w = values(*weight_shape)
    b = values(out_channels) if bias else None
    name = {(1, False): "conv1d", (1, True): "convTranspose1d", (3, False): "conv3d", (3, True): "convTranspose3d"}[(rank, transposed)]
    params = {"stride": as_list(stride, rank), "padding": as_list(padding, rank), "dilation": as_list(dilation, rank), "groups": groups}
    if transposed:
        params["outputPadding"] = as_list(output_padding, rank)
        fn = F.conv_transpose1d if rank == 1 else F.conv_transpose3d
        call = lambda: fn(x, w, b, stride=stride, padding=padding, output_padding=output_padding, groups=groups, dilation=dilation)
    else:
        fn = F.conv1d if rank == 1 else F.conv3d
        call = lambda: fn(x, w, b, stride=stride, padding=padding, dilation=dilation, groups=groups)
    emit(name, x, params, call, w, b)


def conv1d_cases():
    for transposed in (False, True):
        for batched in (True, False):
            for stride in (1, 2, 3):
                for padding in (0, 1, 2):
                    for dilation in (1, 2):
                        kernel = rng.choice([1, 2, 3, 4])
                        length = rng.choice([5, 6, 7, 8])
                        shape = (2, 3, length) if batched else (3, length)
                        output_padding = rng.randrange(0, max(stride, dilation)) if transposed else 0
                        if not transposed and (length + 2 * padding < dilation * (kernel - 1) + 1):
                            kernel = 1
                        conv_case(1, transposed, shape, 2, kernel, stride, padding, output_padding, dilation, bias=(stride + padding) % 2 == 0)
        # groups, and one-element lists
        conv_case(1, transposed, (1, 4, 6), 6, 3, [2], [1], [1] if transposed else 0, [1], groups=2, bias=True)
        conv_case(1, transposed, (2, 6, 5), 3, 2, 1, 0, 0, 2, groups=3)
    # string paddings (plain convolution only), with even kernels for 'same'
    for padding in ("same", "valid"):
        for kernel in (1, 2, 3, 4):
            for dilation in (1, 2):
                conv_case(1, False, (1, 2, 9), 3, kernel, 1, padding, 0, dilation, bias=True)


def conv3d_cases():
    for transposed in (False, True):
        for index in range(36):
            batched = index % 3 != 0
            stride = rng.choice([1, 2, (1, 2, 1), (2, 1, 3)])
            padding = rng.choice([0, 1, (0, 1, 2), (1, 0, 0)])
            dilation = rng.choice([1, 1, 2, (1, 2, 1)])
            kernel = rng.choice([1, 2, 3, (2, 3, 1), (3, 1, 2)])
            groups = rng.choice([1, 1, 2])
            spatial = (rng.choice([3, 4]), rng.choice([3, 4, 5]), rng.choice([3, 4]))
            in_channels = 2 * groups
            shape = (rng.choice([1, 2]), in_channels, *spatial) if batched else (in_channels, *spatial)
            out_channels = rng.choice([1, 2]) * groups
            if transposed:
                s = stride if isinstance(stride, tuple) else (stride,) * 3
                d = dilation if isinstance(dilation, tuple) else (dilation,) * 3
                output_padding = tuple(rng.randrange(0, max(a, b)) for a, b in zip(s, d))
                if all(v == output_padding[0] for v in output_padding):
                    output_padding = output_padding[0]
            else:
                output_padding = 0
                k = kernel if isinstance(kernel, tuple) else (kernel,) * 3
                d = dilation if isinstance(dilation, tuple) else (dilation,) * 3
                p = padding if isinstance(padding, tuple) else (padding,) * 3
                if any(sz + 2 * pp < dd * (kk - 1) + 1 for sz, pp, dd, kk in zip(spatial, p, d, k)):
                    kernel = 1
            conv_case(3, transposed, shape, out_channels, kernel, stride, padding, output_padding, dilation, groups, bias=index % 2 == 0)
    for padding in ("same", "valid"):
        for kernel in (2, 3, (2, 3, 4)):
            for dilation in (1, (2, 1, 1)):
                conv_case(3, False, (1, 2, 4, 5, 4), 2, kernel, 1, padding, 0, dilation, bias=True)
    # The benchmark's layer, scaled down: k4 s2 p1.
    conv_case(3, True, (1, 4, 3, 3, 3), 2, 4, 2, 1, 0, 1, bias=True)
    conv_case(3, True, (1, 3, 2, 3, 2), 2, 3, 2, 1, 1, 1)


def conv_refusals():
    # output_padding too large, per axis
    conv_case(1, True, (1, 2, 4), 2, 3, 2, 0, 2, 1)
    conv_case(3, True, (1, 2, 3, 3, 3), 2, 3, (2, 2, 1), 0, (0, 0, 1), 1)
    conv_case(3, True, (1, 2, 3, 3, 3), 2, 3, 2, 0, 2, 1)
    # empty output
    conv_case(1, True, (1, 2, 1), 2, 1, 1, 1, 0, 1)
    conv_case(3, True, (1, 2, 1, 2, 2), 2, 1, 1, (1, 0, 0), 0, 1)
    # kernel larger than the padded input
    conv_case(1, False, (1, 2, 3), 2, 5)
    conv_case(3, False, (1, 2, 3, 4, 4), 2, (4, 3, 3))
    conv_case(3, False, (2, 4, 4, 4), 2, 3, 1, 0, 0, (2, 1, 1))
    # channels
    conv_case(3, False, (1, 3, 3, 3, 3), 2, 2, weight_shape=(2, 2, 2, 2, 2))
    conv_case(3, True, (1, 3, 3, 3, 3), 2, 2, weight_shape=(2, 2, 2, 2, 2))
    conv_case(1, False, (1, 3, 5), 2, 2, weight_shape=(2, 2, 2))
    conv_case(1, True, (2, 5), 2, 2, weight_shape=(3, 2, 2))
    # groups that do not divide the weight's channels
    conv_case(3, False, (1, 4, 3, 3, 3), 3, 1, groups=2, weight_shape=(3, 2, 1, 1, 1))
    conv_case(3, True, (1, 3, 3, 3, 3), 2, 1, groups=2, weight_shape=(3, 1, 1, 1, 1))
    # 'same' with a stride
    conv_case(3, False, (1, 2, 4, 4, 4), 2, 3, (1, 2, 1), "same")
    conv_case(1, False, (1, 2, 6), 2, 3, 2, "same")
    # bias of the wrong size
    x = values(1, 2, 3, 3, 3)
    w = values(2, 2, 2, 2, 2)
    b = values(3)
    emit("conv3d", x, {"stride": 1, "padding": 0, "dilation": 1, "groups": 1}, lambda: F.conv3d(x, w, b), w, b)
    emit("convTranspose3d", x, {"stride": 1, "padding": 0, "outputPadding": 0, "dilation": 1, "groups": 1}, lambda: F.conv_transpose3d(x, w, b), w, b)
    # a 4-D weight for a 3-D layer
    w4 = values(2, 2, 2, 2)
    emit("conv3d", x, {"stride": 1, "padding": 0, "dilation": 1, "groups": 1}, lambda: F.conv3d(x, w4), w4)


# ---- pooling --------------------------------------------------------------------------------

def pool_case(op, x, kernel, stride=None, padding=0, dilation=1, ceil_mode=False, count_include_pad=True, divisor_override=None):
    params = {"kernelSize": as_list(kernel, 0), "padding": as_list(padding, 0), "ceilMode": ceil_mode}
    if stride is not None:
        params["stride"] = as_list(stride, 0)
    if op.startswith("max"):
        params["dilation"] = as_list(dilation, 0)
        fn = F.max_pool1d if op == "maxPool1d" else F.max_pool3d
        call = lambda: fn(x, kernel, stride, padding, dilation, ceil_mode)
    else:
        params["countIncludePad"] = count_include_pad
        if op == "avgPool1d":
            call = lambda: F.avg_pool1d(x, kernel, stride, padding, ceil_mode, count_include_pad)
        else:
            if divisor_override is not None:
                params["divisorOverride"] = divisor_override
            call = lambda: F.avg_pool3d(x, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)
    emit(op, x, params, call)


def pool_cases():
    for op in ("maxPool1d", "avgPool1d"):
        for index in range(36):
            x = values(2, 2, rng.choice([5, 6, 7])) if index % 4 else values(3, rng.choice([4, 7]))
            kernel = rng.choice([1, 2, 3, 4])
            stride = rng.choice([None, 1, 2, 3])
            padding = rng.randrange(0, kernel // 2 + 1)
            dilation = rng.choice([1, 2]) if op == "maxPool1d" else 1
            ceil_mode = index % 2 == 1
            count_include_pad = index % 3 != 1
            pool_case(op, x, kernel, stride, padding, dilation, ceil_mode, count_include_pad)
    for op in ("maxPool3d", "avgPool3d"):
        for index in range(40):
            spatial = (rng.choice([3, 4, 5]), rng.choice([3, 4, 5]), rng.choice([3, 4]))
            x = values(rng.choice([1, 2]), 2, *spatial) if index % 4 else values(2, *spatial)
            kernel = rng.choice([2, 3, (2, 3, 1), (3, 2, 2), (1, 2, 3)])
            k = kernel if isinstance(kernel, tuple) else (kernel,) * 3
            stride = rng.choice([None, 1, 2, (1, 2, 1), (2, 1, 2)])
            padding = tuple(rng.randrange(0, kk // 2 + 1) for kk in k)
            padding = padding[0] if all(p == padding[0] for p in padding) else padding
            dilation = rng.choice([1, 2, (1, 2, 1)]) if op == "maxPool3d" else 1
            ceil_mode = index % 2 == 1
            count_include_pad = index % 3 != 1
            divisor = rng.choice([None, None, 3, -2, 5]) if op == "avgPool3d" else None
            pool_case(op, x, kernel, stride, padding, dilation, ceil_mode, count_include_pad, divisor)
    # NaN and infinities win max pooling
    x = values(1, 1, 2, 3, 3)
    x[0, 0, 1, 1, 1] = float("nan")
    x[0, 0, 0, 0, 0] = float("-inf")
    pool_case("maxPool3d", x, 2, 1)
    # refusals: padding over half the kernel, empty output, divisor 0
    pool_case("maxPool1d", values(1, 2, 6), 2, 1, 2)
    pool_case("avgPool1d", values(1, 2, 6), 3, 1, 2)
    pool_case("maxPool3d", values(1, 1, 4, 4, 4), (2, 4, 2), 1, (0, 3, 0))
    pool_case("avgPool3d", values(1, 1, 4, 4, 4), 3, 1, (0, 0, 2))
    pool_case("maxPool3d", values(1, 1, 2, 4, 4), 3)
    pool_case("avgPool3d", values(1, 1, 4, 1, 4), 2)
    pool_case("maxPool1d", values(1, 2, 2), 3)  # PyTorch 1.13 gives an empty output here, without autograd
    pool_case("maxPool1d", values(1, 2, 2), 3, 1, 0, 2)  # and refuses a negative size
    pool_case("avgPool3d", values(1, 1, 3, 3, 3), 2, divisor_override=0)


# ---- upsampling -----------------------------------------------------------------------------

def upsample_case(op, x, mode, align=None, **target):
    kwargs = dict(mode=mode, **target)
    if align is not None:
        kwargs["align_corners"] = align
    params = {"mode": mode}
    if "scale_factor" in target:
        params["scaleFactor"] = as_list(target["scale_factor"], 0)
    else:
        params["size"] = as_list(target["size"], 0)
    if align is not None:
        params["alignCorners"] = align
    emit(op, x, params, lambda: F.interpolate(x, **kwargs))


def upsample_cases():
    modes1 = [("nearest", None), ("linear", False), ("linear", True)]
    for shape in ((1, 1, 1), (1, 1, 4), (2, 3, 5), (1, 2, 7)):
        x = values(*shape)
        for mode, align in modes1:
            for sf in (0.5, 1.25, 1.5, 2.0, 2.3, 3.0, 1 / 3, [1.7]):
                if int(shape[2] * (sf[0] if isinstance(sf, list) else sf)) < 1:
                    continue
                upsample_case("upsample1d", x, mode, align, scale_factor=tuple(sf) if isinstance(sf, list) else sf)
            for size in (3, [8]):
                upsample_case("upsample1d", x, mode, align, size=tuple(size) if isinstance(size, list) else size)
    modes3 = [("nearest", None), ("trilinear", False), ("trilinear", True)]
    for shape in ((1, 1, 2, 3, 2), (1, 2, 3, 2, 3), (2, 1, 1, 1, 1), (1, 3, 2, 2, 3)):
        x = values(*shape)
        for mode, align in modes3:
            for sf in (0.5, 1.5, 2.0, 2.5, (1.0, 2.0, 1.5), (2.0, 0.7, 1.3)):
                scales = sf if isinstance(sf, tuple) else (sf,) * 3
                if any(int(n * s) < 1 for n, s in zip(shape[2:], scales)):
                    continue
                upsample_case("upsample3d", x, mode, align, scale_factor=sf)
            for size in (2, (3, 4, 2), (1, 5, 3)):
                upsample_case("upsample3d", x, mode, align, size=size)
    # refusals: the wrong rank for the mode, align_corners with nearest, empty output
    upsample_case("upsample", values(1, 2, 3, 3), "linear", False, scale_factor=2.0)
    upsample_case("upsample", values(2, 3, 3, 3), "trilinear", False, scale_factor=2.0)
    upsample_case("upsample", values(1, 1, 2, 2, 2), "bilinear", False, scale_factor=2.0)
    upsample_case("upsample1d", values(1, 2, 3), "nearest", True, scale_factor=2.0)
    upsample_case("upsample3d", values(1, 1, 2, 2, 2), "nearest", True, size=3)
    upsample_case("upsample1d", values(1, 2, 3), "linear", None, scale_factor=0.2)


def main():
    conv1d_cases()
    conv3d_cases()
    conv_refusals()
    pool_cases()
    upsample_cases()


if __name__ == "__main__":
    main()
