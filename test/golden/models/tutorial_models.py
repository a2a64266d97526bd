import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):

    def __init__(self):
        super(Net, self).__init__()
        # 1 input image channel, 6 output channels, 5x5 square convolution
        # kernel
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        # an affine operation: y = Wx + b
        self.fc1 = nn.Linear(16 * 5 * 5, 120)  # 5*5 from image dimension
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        # Max pooling over a (2, 2) window
        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
        # If the size is a square, you can specify with a single number
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(-1, self.num_flat_features(x))
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x

    def num_flat_features(self, x):
        size = x.size()[1:]  # all dimensions except the batch dimension
        num_features = 1
        for s in size:
            num_features *= s
        return num_features


class Dense(nn.Module):
    def __init__(self, growth=12, layers=3, in_ch=3):
        super().__init__()
        self.blocks = nn.ModuleList()
        ch = in_ch
        for i in range(layers):
            self.blocks.add_module('dense%d' % (i + 1), nn.Sequential(nn.BatchNorm2d(ch), nn.ReLU(), nn.Conv2d(ch, growth, 3, padding=1, bias=False)))
            ch += growth
        self.trans = nn.Conv2d(ch, ch // 2, kernel_size=1)
        self.pool = nn.AvgPool2d(2)
        self.head = nn.Linear(ch // 2, 4)

    def forward(self, x):
        feats = [x]
        for block in self.blocks:
            out = block(torch.cat(feats, 1))
            feats.append(out)
        x = self.pool(self.trans(torch.cat(feats, dim=1)))
        x = F.avg_pool2d(x, x.size()[2:])
        x = x.mean([2, 3]) if x.dim() == 4 else x
        x = self.head(x.squeeze(-1).squeeze(-1) if x.dim() == 4 else x)
        return torch.sigmoid(x)
