"""A 1-D encoder-decoder for audio in the style of WaveGAN's generator (Donahue et al. 2019) with a
U-Net's skip connections: inputs [N, C, L]. Strided Conv1d and MaxPool1d/AvgPool1d halve and quarter
the length, ConvTranspose1d of kernel 25, stride 4 (WaveGAN's) and a linear Upsample bring it back,
torch.cat joins the skips and `+` a residual. Written for Layer Lens's model tests.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ResBlock1d(nn.Module):
    def __init__(self, channels, dilation=1):
        super().__init__()
        self.conv = nn.Conv1d(channels, channels, 3, padding=dilation, dilation=dilation)
        self.norm = nn.BatchNorm1d(channels)

    def forward(self, x):
        return x + F.leaky_relu(self.norm(self.conv(x)), 0.2)


class WaveUNet(nn.Module):
    def __init__(self, in_channels=1, width=8):
        super().__init__()
        self.inc = nn.Conv1d(in_channels, width, kernel_size=15, padding=7)
        self.down1 = nn.Sequential(nn.Conv1d(width, 2 * width, kernel_size=4, stride=4), nn.LeakyReLU(0.2))
        self.pool = nn.MaxPool1d(2)
        self.res = ResBlock1d(2 * width, dilation=3)
        self.smooth = nn.AvgPool1d(3, stride=1, padding=1)
        self.up1 = nn.Upsample(scale_factor=2, mode='linear', align_corners=False)
        self.up2 = nn.ConvTranspose1d(4 * width, width, kernel_size=25, stride=4, padding=11, output_padding=1)
        self.outc = nn.Conv1d(2 * width, 1, kernel_size=1)

    def forward(self, x):
        x1 = self.inc(x)
        x2 = self.down1(x1)
        x3 = self.res(self.pool(x2))
        x = self.up1(self.smooth(x3))
        x = self.up2(torch.cat([x, x2], dim=1))
        return torch.tanh(self.outc(torch.cat([x, x1], dim=1)))
