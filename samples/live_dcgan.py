"""A DCGAN-style generator (with a sub-pixel block) to try Audit Live Model on.

Run it under the Python debugger (debug type "debugpy") with a breakpoint in `forward`, then run
"Layer Lens: Audit Live Model for Checkerboard Artifacts (Debug Session)" on `self` (or on `netG`
from the Variables view of the outer frame): the checkerboard audit of the live weights opens in
the checkpoint editor's view. `netD` has no upsampling layer; `big` is a tensor large enough to take a while to read. The integration tests run it with
LAYER_LENS_LIVE_OUT set: it then saves the generator's state dict there (generator.pt), so that
the audit of the file can be compared with the live one.
"""
import os
import time

import torch
from torch import nn

NZ, NGF = 16, 8


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(NZ, NGF * 4, 4, 1, 0, bias=False),
            nn.BatchNorm2d(NGF * 4),
            nn.ReLU(True),
            nn.ConvTranspose2d(NGF * 4, NGF * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(NGF * 2),
            nn.ReLU(True),
            nn.ConvTranspose2d(NGF * 2, NGF, 4, 2, 1, bias=False),
            nn.ReLU(True),
            nn.Conv2d(NGF, 3 * 4, 3, 1, 1),
            nn.PixelShuffle(2),
            nn.Tanh(),
        )

    def forward(self, z):
        return self.main(z)  # the audit tests' breakpoint


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(nn.Conv2d(3, 8, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(8, 1, 4, 1, 0))

    def forward(self, image):
        return self.main(image)


def main():
    torch.manual_seed(0)
    global netG, netD, big
    netG = Generator()
    netD = Discriminator()
    # A stride-2 kernel trained toward the checkerboard: one phase of the second layer summed larger.
    with torch.no_grad():
        netG.main[3].weight[:, :, ::2, ::2] += 0.5
    out_dir = os.environ.get('LAYER_LENS_LIVE_OUT')
    if out_dir:
        torch.save(netG.state_dict(), os.path.join(out_dir, 'generator.pt'))
    z = torch.randn(1, NZ, 1, 1)
    big = torch.randn(3, 1024, 1024)  # 3,145,728 values: a fetch long enough to cancel
    netD(netG(z))
    deadline = time.time() + float(os.environ.get('LAYER_LENS_LIVE_LINGER', '0'))
    while out_dir and time.time() < deadline and not os.path.exists(os.path.join(out_dir, 'done')):
        time.sleep(0.05)


if __name__ == '__main__':
    main()
