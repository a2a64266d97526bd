"""Generates torch-upsample.jsonl: F.interpolate cases that the shared golden file does not cover
(non-integer and per-axis scale factors, explicit sizes, odd and tiny shapes), in the same line
format as torch-reference.jsonl.

Run with a python3 that has PyTorch 1.13 (Debian's python3-torch: /usr/bin/python3):
    /usr/bin/python3 test/golden/torch-upsample.py > test/golden/torch-upsample.jsonl
The output is deterministic (seeded inputs, values rounded to 3 decimals as in the shared file).
"""
import json

import torch
import torch.nn.functional as F

torch.manual_seed(20261125)
# One channel and several: PyTorch 1.13 computes nearest indices differently for the two.
SHAPES = [(1, 1, 1, 1), (1, 1, 1, 4), (1, 2, 3, 5), (1, 1, 3, 5), (1, 1, 4, 4), (2, 1, 7, 3), (1, 3, 7, 3), (1, 1, 6, 9), (2, 2, 5, 1)]
SCALES = [0.5, 0.7, 1.25, 1.5, 1.7, 2.0, 2.3, 2.5, 3.0, 1 / 3, [1.5, 2.3], [0.75, 2.0]]
SIZES = [[2, 2], [5, 7], [8, 3], [1, 6]]
MODES = [("nearest", None), ("bilinear", False), ("bilinear", True)]
# Where nearest's floorf(double index) matters (channels-first kernel): the double scale·dst falls
# just below a whole number that float32 rounds to, e.g. 39·(1/1.3) = 29.999999999999996 → row 30.
# Each target with one and two channels; appended after the cases above so their lines stay put.
FLOAT32_FLOOR = [
    ((31, 2), dict(scale_factor=1.3)),
    ((3, 16), dict(scale_factor=2.6)),
    ((11, 4), dict(scale_factor=3.7)),
    ((31, 16), dict(scale_factor=(1.3, 2.6))),
    ((30, 3), dict(size=[22, 5])),
    ((3, 30), dict(size=[4, 26])),
]


def case(x, mode, align, **target):
    kwargs = dict(mode=mode, **target)
    if align is not None:
        kwargs["align_corners"] = align
    y = F.interpolate(x, **kwargs)
    params = {"mode": mode}
    if "scale_factor" in target:
        sf = target["scale_factor"]
        params["scaleFactor"] = list(sf) if isinstance(sf, (list, tuple)) else [sf, sf]
    else:
        params["size"] = list(target["size"])
    if align is not None:
        params["alignCorners"] = align
    return {
        "op": "upsample",
        "input": {"shape": list(x.shape), "data": x.flatten().tolist()},
        "params": params,
        "expected": {"shape": list(y.shape), "data": y.flatten().tolist()},
    }


def main():
    for shape in SHAPES:
        x = torch.round(torch.randn(*shape, dtype=torch.float64) * 1000) / 1000
        for mode, align in MODES:
            for sf in SCALES:
                h, w = (sf, sf) if not isinstance(sf, list) else sf
                if int(shape[2] * h) < 1 or int(shape[3] * w) < 1:
                    continue  # PyTorch rejects empty outputs; the shared golden file covers that.
                print(json.dumps(case(x, mode, align, scale_factor=sf if not isinstance(sf, list) else tuple(sf))))
            for size in SIZES:
                print(json.dumps(case(x, mode, align, size=size)))
    for (h, w), target in FLOAT32_FLOOR:
        for channels in (2, 1):
            x = torch.round(torch.randn(1, channels, h, w, dtype=torch.float64) * 1000) / 1000
            for mode, align in MODES:
                print(json.dumps(case(x, mode, align, **target)))


if __name__ == "__main__":
    main()
