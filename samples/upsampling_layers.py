"""Transposed convolutions with even and uneven overlap, for Layer Lens's hovers, CodeLens and quick fixes."""
import torch.nn as nn

# kernel 3, stride 2: uneven overlap (1 and 2 products alternate), the checkerboard of Odena et al. 2016
up = nn.ConvTranspose2d(16, 8, 3, stride=2)

# kernel 4, stride 2, padding 1: even overlap, exactly twice the input size
even = nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.up = nn.ConvTranspose2d(64, 32, kernel_size=3, stride=2, padding=1, output_padding=1)
