"""A small 3-D U-Net for volumes (Çiçek et al. 2016, "3D U-Net"): inputs [N, C, D, H, W]. Two
levels of Conv3d + BatchNorm3d and MaxPool3d down, ConvTranspose3d(kernel 2, stride 2) and a
trilinear Upsample up, torch.cat for the skips, `+` for a residual and AvgPool3d to smooth.
Written for Layer Lens's model tests.
"""
import torch
import torch.nn as nn


class DoubleConv3d(nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.block = nn.Sequential(
            nn.Conv3d(in_channels, out_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm3d(out_channels),
            nn.ReLU(inplace=True),
            nn.Conv3d(out_channels, out_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm3d(out_channels),
            nn.ReLU(inplace=True),
        )

    def forward(self, x):
        return self.block(x)


class UNet3D(nn.Module):
    def __init__(self, in_channels=2, n_classes=3, base=4):
        super().__init__()
        self.inc = DoubleConv3d(in_channels, base)
        self.pool = nn.MaxPool3d(2)
        self.enc1 = DoubleConv3d(base, 2 * base)
        self.enc2 = DoubleConv3d(2 * base, 4 * base)
        self.smooth = nn.AvgPool3d(kernel_size=3, stride=1, padding=1)
        self.up1 = nn.ConvTranspose3d(4 * base, 2 * base, kernel_size=2, stride=2)
        self.dec1 = DoubleConv3d(4 * base, 2 * base)
        self.up2 = nn.Upsample(scale_factor=2, mode='trilinear', align_corners=True)
        self.reduce = nn.Conv3d(2 * base, base, kernel_size=1)
        self.dec2 = DoubleConv3d(2 * base, base)
        self.outc = nn.Conv3d(base, n_classes, kernel_size=1)

    def forward(self, x):
        x1 = self.inc(x)
        x2 = self.enc1(self.pool(x1))
        x3 = self.enc2(self.pool(x2))
        x3 = x3 + self.smooth(x3)
        x = self.dec1(torch.cat([self.up1(x3), x2], dim=1))
        x = self.dec2(torch.cat([self.reduce(self.up2(x)), x1], dim=1))
        return self.outc(x)
