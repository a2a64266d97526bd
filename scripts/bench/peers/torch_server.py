"""PyTorch's side of `npm run bench`: a small server that times F.conv_transpose2d (and
F.conv_transpose3d, for 5-D inputs) in float64.

scripts/bench/peers/torch.ts starts it and speaks one JSON object per line over stdin/stdout:

  {"op": "prepare", "id", "inputPath", "inputShape", "weightPath", "weightShape", "stride", "padding", "outputPadding"}
      loads the case's input and weight (raw little-endian float64 files the benchmark wrote)
  {"op": "time", "id", "budgetMs"}   -> {"ms", "runs"}: median milliseconds per call after a warm-up
  {"op": "output", "id", "path"}     -> {"shape"}: writes one call's output to path as raw float64
  {"op": "release", "id"}

Every answer is one line; a failure answers {"error": "..."} and the server goes on. It runs on one
thread (torch.set_num_threads(1)) and stops at the end of its input.
"""
import json
import statistics
import sys
import time
import traceback
from array import array

import torch
import torch.nn.functional as F


def load(path, shape):
    with open(path, "rb") as f:
        return torch.frombuffer(bytearray(f.read()), dtype=torch.float64).reshape(shape)


def measure(fn, budget_s):
    # Warm up like the TypeScript side (scripts/bench/measure.ts): a third of the budget, at least 3 calls.
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


class Server:
    def __init__(self):
        self.cases = {}

    def prepare(self, request):
        x = load(request["inputPath"], request["inputShape"])
        w = load(request["weightPath"], request["weightShape"])
        args = dict(stride=request["stride"], padding=request["padding"], output_padding=request["outputPadding"])
        layer = F.conv_transpose3d if x.dim() == 5 else F.conv_transpose2d
        self.cases[request["id"]] = lambda: layer(x, w, **args)
        return {}

    def time(self, request):
        ms, runs = measure(self.cases[request["id"]], request["budgetMs"] / 1000)
        return {"ms": ms, "runs": runs}

    def output(self, request):
        y = self.cases[request["id"]]()
        with open(request["path"], "wb") as f:
            array("d", y.reshape(-1).tolist()).tofile(f)
        return {"shape": list(y.shape)}

    def release(self, request):
        self.cases.pop(request["id"], None)
        return {}


def main():
    torch.set_num_threads(1)
    server = Server()
    ops = {"prepare": server.prepare, "time": server.time, "output": server.output, "release": server.release}
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    with torch.no_grad():
        for line in sys.stdin:
            request = json.loads(line)
            try:
                answer = ops[request["op"]](request)
            except Exception:  # reported to the benchmark, which marks the cell and goes on
                answer = {"error": traceback.format_exc()}
            print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
