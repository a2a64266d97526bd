# Channels: a [C_in, H, W] input and a [C_in, C_out/groups, kH, kW] weight, as PyTorch lays them out.
# Put the cursor in `x`, run "Layer Lens: Transposed Convolution (ConvTranspose2d)", pick `w`, stride 1. The panel walks
# one output channel at a time; each output channel is the sum of what every input channel adds.
# Change `groups` to 2 in the panel: each input channel then feeds only its own two output channels.
import torch
import torch.nn.functional as F

x = torch.tensor([[[1., 2., 0.], [0., 1., 3.], [2., 0., 1.]],
                  [[0., 1., 1.], [2., 0., 0.], [1., 1., 2.]]])
w = torch.tensor([[[[1., 0.], [0., 1.]], [[1., 1.], [1., 1.]]],
                  [[[2., -1.], [0., 1.]], [[0., 1.], [-1., 0.]]]])

# Depthwise: groups = 2 input channels, one output channel each. Pick `w_dw`, then set groups to 2.
w_dw = torch.tensor([[[[1., 1.], [1., 1.]]],
                     [[[1., -1.], [-1., 1.]]]])

y = F.conv_transpose2d(x, w, stride=1)  # [2, 4, 4]
