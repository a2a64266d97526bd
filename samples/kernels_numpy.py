"""Classic kernels written with NumPy, to use as Layer Lens kernels (Use as kernel / the kernel quick pick)."""
import numpy as np

image = np.array([
    [0.0, 0.2, 0.4, 0.6],
    [0.2, 0.4, 0.6, 0.8],
    [0.4, 0.6, 0.8, 1.0],
    [0.6, 0.8, 1.0, 1.0],
], dtype=np.float32)

sobel_x = np.array([[-1, 0, 1],
                    [-2, 0, 2],
                    [-1, 0, 1]])

gaussian_3x3 = np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16

# The bilinear upsampling kernel for stride 2: transposed convolution with it is bilinear interpolation.
bilinear_4x4 = np.array([
    [0.0625, 0.1875, 0.1875, 0.0625],
    [0.1875, 0.5625, 0.5625, 0.1875],
    [0.1875, 0.5625, 0.5625, 0.1875],
    [0.0625, 0.1875, 0.1875, 0.0625],
])

laplacian = np.asarray([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=float)
