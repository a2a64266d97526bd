"""A small DCGAN-style generator to try Layer Lens's live tensors on.

Run it under the Python debugger (debug type "debugpy") with a breakpoint on the first line of
`forward`: the shapes of x and the other tensors show inline, "Layer Lens: Inspect Tensor (Debug Session)" on `x`
reads its values, and "Layer Lens: Run Live Layer (Debug Session)" on `self.up` runs the real layer on the
real input in Layer Lens. The integration tests run it with LAYER_LENS_LIVE_OUT set: it then writes
what they compare against (x's bytes, and how far self.up's float32 output is from float64).
"""
import json
import os
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.up = nn.ConvTranspose2d(64, 32, kernel_size=4, stride=2, padding=1)
        self.smooth = nn.Conv2d(32, 8, kernel_size=3, padding=1)
        self.pool = nn.AvgPool2d(2)
        self.shuffle = nn.PixelShuffle(2)
        self.mix = nn.Conv1d(64, 8, kernel_size=3, padding=1)  # not on the path: a 1-D layer to run live on x[0]

    def forward(self, x):
        h = self.up(x)  # the tests' first breakpoint
        h = torch.relu(self.smooth(h))
        return self.shuffle(self.pool(h))


def twenty_tensors(seed):
    """A frame with 20 tensors (and a few other variables), for the inline values' speed."""
    g = torch.Generator().manual_seed(seed)
    t00, t01, t02, t03, t04 = (torch.randn(1, 8, 16, 16, generator=g) for _ in range(5))
    t05, t06, t07, t08, t09 = (torch.randn(4, 32, generator=g) for _ in range(5))
    t10, t11, t12, t13, t14 = (torch.zeros(2, 3, dtype=torch.int64) for _ in range(5))
    a15, a16, a17, a18, a19 = (np.ones((3, 3), dtype=np.float32) for _ in range(5))
    label, count = 'twenty', 20
    return t00  # the tests' second breakpoint


def main():
    torch.manual_seed(0)
    generator = Generator()
    x = torch.randn(1, 64, 64, 64)
    out_dir = os.environ.get('LAYER_LENS_LIVE_OUT')
    if out_dir:
        with open(os.path.join(out_dir, 'x.f32'), 'wb') as f:
            f.write(x.numpy().astype('<f4').tobytes())
        up = generator.up
        with torch.no_grad():
            ours = up(x).double()
            exact = F.conv_transpose2d(x.double(), up.weight.double(), up.bias.double(), stride=2, padding=1)
        with open(os.path.join(out_dir, 'expected.json'), 'w') as f:
            json.dump({'maxAbsDiff': (ours - exact).abs().max().item(), 'maxAbs': exact.abs().max().item(), 'shape': list(exact.shape)}, f)
    generator(x)
    twenty_tensors(1)
    big = torch.randn(3, 1024, 1024)  # 3,145,728 values: read in several requests
    # Keep running (not paused) until the tests say they are done, so that they can ask a running session.
    deadline = time.time() + float(os.environ.get('LAYER_LENS_LIVE_LINGER', '0'))
    while out_dir and time.time() < deadline and not os.path.exists(os.path.join(out_dir, 'done')):
        time.sleep(0.05)


if __name__ == '__main__':
    main()
