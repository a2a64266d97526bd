"""PyTorch's side of `npm run bench`: times F.conv_transpose2d in float64 on the cases it receives.

Reads a JSON list of cases on stdin ({label, input, weight, stride, padding, outputPadding}); inputs
are generated with the same linear congruential generator as scripts/bench.ts, so both sides compute
the same thing. Prints one JSON object per case: the median milliseconds per call (single-threaded,
after warm-up) and checksums of the output that the TypeScript side compares with its own.
"""
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F


def seeded(n, seed):
    """Matches `seeded` in scripts/bench.ts: values in [-1, 1)."""
    values = []
    s = seed & 0xFFFFFFFF
    for _ in range(n):
        s = (s * 1664525 + 1013904223) & 0xFFFFFFFF
        values.append(s / 2**31 - 1)
    return values


def tensor(shape, seed):
    n = 1
    for d in shape:
        n *= d
    return torch.tensor(seeded(n, seed), dtype=torch.float64).reshape(shape)


def measure(fn, budget_s=1.5):
    # Warm up like the TypeScript side: a third of the budget, at least 3 calls.
    warm_until = time.perf_counter() + budget_s / 3
    calls = 0
    while calls < 3 or time.perf_counter() < warm_until:
        fn()
        calls += 1
    times = []
    started = time.perf_counter()
    while len(times) < 5 or (time.perf_counter() - started < budget_s and len(times) < 200):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), len(times)


def main():
    torch.set_num_threads(1)
    for case in json.load(sys.stdin):
        x = tensor(case["input"], 11)
        w = tensor(case["weight"], 13)
        args = dict(stride=case["stride"], padding=case.get("padding", 0), output_padding=case.get("outputPadding", 0))
        with torch.no_grad():
            y = F.conv_transpose2d(x, w, **args)
            ms, runs = measure(lambda: F.conv_transpose2d(x, w, **args))
        print(json.dumps({
            "label": case["label"],
            "ms": ms,
            "runs": runs,
            "shape": list(y.shape),
            "sum": float(y.sum()),
            "sumOfSquares": float((y * y).sum()),
        }), flush=True)


if __name__ == "__main__":
    main()
