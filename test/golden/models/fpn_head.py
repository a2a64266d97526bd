import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvBNAct(nn.Sequential):
    def __init__(self, in_ch, out_ch, stride=1):
        super().__init__(
            nn.Conv2d(in_ch, out_ch, 3, stride=stride, padding=1, bias=False),
            nn.GroupNorm(8, out_ch),
            nn.SiLU(inplace=True),
        )


class TinyFPN(nn.Module):
    """A small feature pyramid: strided stages, top-down path with F.interpolate, a padded head."""

    def __init__(self, in_channels=3, width=32, num_classes=5):
        super().__init__()
        self.stem = ConvBNAct(in_channels, width)
        self.stages = nn.ModuleList([ConvBNAct(width * 2 ** i, width * 2 ** (i + 1), stride=2) for i in range(3)])
        self.lateral = nn.ModuleDict({
            f"p{i}": nn.Conv2d(width * 2 ** i, width, 1) for i in range(4)
        })
        self.smooth = nn.Conv2d(width, width, 3)
        self.norm = nn.InstanceNorm2d(width, affine=True)
        self.head = nn.Linear(width, num_classes)

    def forward(self, x):
        n, c, h, w = x.shape
        feats = [self.stem(x)]
        for stage in self.stages:
            feats.append(stage(feats[-1]))
        top = self.lateral["p3"](feats[3])
        for i in (2, 1, 0):
            lat = self.lateral[f"p{i}"](feats[i])
            top = lat + F.interpolate(top, size=lat.shape[-2:], mode="nearest")
        top = F.pad(top, (1, 1, 1, 1), mode="reflect")
        out = self.norm(self.smooth(top))
        a, b = torch.chunk(out, 2, dim=1)
        out = torch.cat([b, a], dim=1) * 0.5
        up = F.interpolate(out, scale_factor=2, mode="bilinear", align_corners=False)
        pooled = F.adaptive_avg_pool2d(up, 1).flatten(1)
        logits = self.head(pooled)
        seg = up.permute(0, 2, 3, 1).reshape(n, -1, up.size(1))
        return logits, seg
