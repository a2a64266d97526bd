"""A convolutional VAE decoder for 64×64 RGB images: a linear layer from the latent code, then
transposed convolutions that double the size, as the usual PyTorch VAE examples write it."""
import torch
import torch.nn as nn

latent_dim = 128
hidden = [256, 128, 64, 32]


class VAEDecoder(nn.Module):
    def __init__(self, channels=3):
        super().__init__()
        self.fc = nn.Linear(latent_dim, 256 * 4 * 4)
        self.decoder = nn.Sequential(
            nn.Unflatten(1, (256, 4, 4)),
            nn.ConvTranspose2d(256, 128, kernel_size=4, stride=2, padding=1),  # 8 x 8
            nn.BatchNorm2d(128),
            nn.LeakyReLU(0.2),
            nn.ConvTranspose2d(128, 64, 4,
                               stride=2,  # 16 x 16
                               padding=1),
            nn.BatchNorm2d(64),
            nn.LeakyReLU(0.2),
            nn.ConvTranspose2d(64, 32, 3, stride=2, padding=1, output_padding=1),
            nn.BatchNorm2d(32),
            nn.LeakyReLU(0.2),
            nn.ConvTranspose2d(32, 32, kernel_size=3, stride=2, padding=1, output_padding=1),
            nn.BatchNorm2d(32),
            nn.LeakyReLU(0.2),
            nn.Conv2d(32, out_channels=channels, kernel_size=3, padding=1),
            nn.Sigmoid(),
        )

    def forward(self, z):
        return self.decoder(self.fc(z))
