"""The expanding path of U-Net (Ronneberger et al. 2015), written the way the reference
implementations write it: up-convolutions of kernel 2 and stride 2, each followed by two 3×3
convolutions over the up-sampled map concatenated with the skip connection."""
import torch
import torch.nn as nn


class UNetDecoder(nn.Module):
    def __init__(self, base=64, n_classes=2):
        super().__init__()
        self.up4 = nn.ConvTranspose2d(base * 16, base * 8, kernel_size=2, stride=2)
        self.conv4 = nn.Conv2d(base * 16, base * 8, 3, padding=1)  # after torch.cat with the skip
        self.up3 = nn.ConvTranspose2d(base * 8, base * 4, kernel_size=2, stride=2)
        self.conv3 = nn.Conv2d(base * 8, base * 4, 3, padding=1)
        self.up2 = nn.ConvTranspose2d(base * 4, base * 2, kernel_size=2, stride=2)
        self.conv2 = nn.Conv2d(base * 4, base * 2, 3, padding=1)
        self.up1 = nn.ConvTranspose2d(base * 2, base, kernel_size=2, stride=2)
        self.conv1 = nn.Conv2d(base * 2, base,
                               kernel_size=3,  # same size
                               padding=1)
        self.head = nn.Conv2d(base, n_classes, kernel_size=1)

    def forward(self, x, skips):
        for up, conv, skip in zip([self.up4, self.up3, self.up2, self.up1],
                                  [self.conv4, self.conv3, self.conv2, self.conv1], skips):
            x = torch.relu(conv(torch.cat([up(x), skip], dim=1)))
        return self.head(x)
