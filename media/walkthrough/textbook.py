# The textbook transposed convolution: a 2×2 input, a 2×2 kernel of ones, stride 1.
# Put the cursor in `x` and run "Layer Lens: Transposed Convolution (ConvTranspose2d)" (pick `k` as the kernel, stride 1).
# Every input value pastes a scaled copy of the kernel; where pastes overlap they add up:
# the centre of the 3×3 output receives all four.
x = [[1, 2], [3, 4]]
k = [[1, 1], [1, 1]]

# Expected output:
# [[1, 3, 2],
#  [4, 10, 6],
#  [3, 7, 4]]

# A selection or cursor in these works too; this one is ragged, to see how Layer Lens explains it.
ragged = [[1, 2], [3]]

# Kernel 3, stride 2: the pastes overlap unevenly (counts 1 and 2 alternate), and even a constant
# input comes out as a checkerboard. Put the cursor in `flat`, pick `k3`, stride 2.
flat = [[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]]
k3 = [[1, 1, 1], [1, 1, 1], [1, 1, 1]]
