import torch
from torch import nn
from torch.nn import Conv2d, BatchNorm2d
import torch.nn.functional as F


class ResBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.body = nn.Sequential(Conv2d(c, c, (3, 3), (1, 1), (1, 1)), BatchNorm2d(c), nn.ReLU(inplace=True), Conv2d(c, c, 3, padding='same'))

    def forward(self, x):
        return x + self.body(x)


class Stem(nn.Sequential):
    def __init__(self, cin, cout):
        super().__init__(torch.nn.Conv2d(cin, cout, 4, 2, 1), nn.LeakyReLU(0.2, True))

    def forward(self, x):
        return super().forward(x)


class Styles(nn.Module):
    def __init__(self, c=16, n=3, latent=8):
        super().__init__()
        self.stem = Stem(3, c)
        self.res = nn.Sequential(*[ResBlock(c) for _ in range(n)])
        self.mix = nn.ModuleList([nn.Conv2d(c, c, 1) for i in range(2)])
        self.to_latent = nn.Sequential(nn.Flatten(), nn.LazyLinear(latent) if False else nn.Linear(c * 8 * 8, latent))
        self.from_latent = nn.Sequential(nn.Linear(latent, c * 8 * 8), nn.Unflatten(1, (c, 8, 8)))
        self.up = nn.Upsample(scale_factor=2)
        self.out = nn.Conv2d(2 * c, 3, kernel_size=3, padding=1)

    def forward(self, x, skip=None):
        h = self.stem(x)
        h = self.res(h)
        for i, m in enumerate(self.mix):
            h = m(h) + h if i % 2 == 0 else F.relu(m(h))
        b, c, hh, ww = h.shape
        z = self.to_latent(F.adaptive_avg_pool2d(h, (8, 8)))
        y = self.from_latent(z)
        y = F.interpolate(y, size=(hh, ww), mode='bilinear', align_corners=False)
        y = torch.cat([y, h] if skip is None else [y, skip], dim=1)
        y = self.up(y)
        return torch.tanh(self.out(y)), z.view(b, -1, 1, 1).squeeze(-1)
