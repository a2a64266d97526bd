#!/usr/bin/python3
"""Writes the ONNX and Keras checkpoints the checkpoint-reader tests read back (issue 18).

    /usr/bin/python3 test/golden/checkpoint-onnx-keras.py OUT_DIR

Run by test/unit/checkpoint/onnxKeras.test.ts into a temporary directory; nothing it writes is
committed. The ONNX files come from `torch.onnx.export` itself (Debian python3-torch) and are
checked with `onnx.checker` (python3-onnx). Keras is not installed here, so the Keras files are
written with h5py exactly as Keras lays them out: Keras 2's `model.save('x.h5')` (attributes
`keras_version`, `backend`, `model_config` on the root; `model_weights/<layer>` groups with a
`weight_names` attribute and `<layer>/<weight>:0` datasets) and Keras 3's `model.save('x.keras')`
(a zip of `metadata.json`, `config.json` and `model.weights.h5` whose datasets sit at
`layers/<layer>/vars/<i>`). `expected.json` holds every tensor's name, shape, dtype and values
(Python floats, which JSON carries exactly), and the layers each file describes.
"""
import io
import json
import os
import sys
import zipfile

import h5py
import numpy as np
import onnx
import onnx.helper
import onnx.numpy_helper
import torch
import torch.nn as nn

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
expected = {}


def tensor_entry(name, array, dtype):
    return {'name': name, 'shape': list(array.shape), 'dtype': dtype, 'data': [float(v) for v in np.asarray(array, dtype=np.float64).ravel()]}


def onnx_expectations(path):
    model = onnx.load(path)
    onnx.checker.check_model(model)
    names = {v: k for k, v in onnx.TensorProto.DataType.items()}
    return [tensor_entry(t.name, onnx.numpy_helper.to_array(t), names[t.data_type]) for t in model.graph.initializer]


# --- ONNX from torch.onnx.export -----------------------------------------------------------------

class Generator(nn.Module):
    """DCGAN-style: an even k4 s2 layer, an uneven k3 s2 layer, and a grouped, dilated one."""

    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(8, 6, 4, 2, 1, bias=False),
            nn.ReLU(True),
            nn.ConvTranspose2d(6, 4, 3, 2, 1, output_padding=1),
            nn.ReLU(True),
            nn.ConvTranspose2d(4, 4, 3, stride=(2, 1), padding=2, dilation=2, groups=2),
            nn.Tanh(),
        )

    def forward(self, x):
        return self.main(x)


class SubPixel(nn.Module):
    """SRGAN-style upsampler: a convolution to 3·r² channels, then PixelShuffle(2) (DepthToSpace CRD)."""

    def __init__(self):
        super().__init__()
        self.head = nn.Conv2d(3, 5, 3, padding=1)
        self.up = nn.Conv2d(5, 3 * 4, 3, padding=1)
        self.shuffle = nn.PixelShuffle(2)

    def forward(self, x):
        return self.shuffle(self.up(torch.relu(self.head(x))))


class WaveDecoder(nn.Module):
    """WaveGAN-style 1-D upsampling (issue 22): k25 s4 p11 op1, then a grouped, dilated k5 s2."""

    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose1d(8, 4, 25, stride=4, padding=11, output_padding=1),
            nn.ReLU(True),
            nn.ConvTranspose1d(4, 4, 5, stride=2, dilation=3, groups=2, bias=False),
        )

    def forward(self, x):
        return self.main(x)


class VolumeDecoder(nn.Module):
    """3-D U-Net-style upsampling (issue 22): an even constant k2 s2, then an anisotropic k(1,4,3) s(1,2,3)."""

    def __init__(self):
        super().__init__()
        self.up1 = nn.ConvTranspose3d(4, 4, kernel_size=2, stride=2)
        self.up2 = nn.ConvTranspose3d(4, 2, kernel_size=(1, 4, 3), stride=(1, 2, 3), padding=(0, 1, 0), bias=False)

    def forward(self, x):
        return self.up2(torch.relu(self.up1(x)))


torch.manual_seed(18)
generator = Generator()
# A constant kernel shows the overlap alone: even for k4 s2, uneven for k3 s2 (4, 2, 2, 1 taps per phase).
with torch.no_grad():
    generator.main[0].weight.fill_(0.125)
    generator.main[2].weight.fill_(0.25)
subpixel = SubPixel()
# Opset 9 has no DepthToSpace in CRD mode: torch exports PixelShuffle as Reshape, Transpose, Reshape.
wave = WaveDecoder()
volume = VolumeDecoder()
with torch.no_grad():
    volume.up1.weight.fill_(0.25)
for name, model, shape, opset in (('dcgan', generator, (1, 8, 4, 4), 13), ('subpixel', subpixel, (1, 3, 8, 8), 13), ('subpixel_opset9', subpixel, (1, 3, 8, 8), 9),
                                  ('wave', wave, (1, 8, 16), 13), ('volume', volume, (1, 4, 3, 4, 4), 13)):
    model.eval()
    path = os.path.join(out, f'{name}.onnx')
    torch.onnx.export(model, torch.randn(*shape), path, opset_version=opset, do_constant_folding=False)
    expected[f'{name}.onnx'] = {'tensors': onnx_expectations(path)}

expected['dcgan.onnx']['layers'] = [
    {'name': 'main.0', 'op': 'convTranspose2d', 'weight': 'main.0.weight', 'stride': [2, 2], 'dilation': [1, 1], 'groups': 1},
    {'name': 'main.2', 'op': 'convTranspose2d', 'weight': 'main.2.weight', 'bias': 'main.2.bias', 'stride': [2, 2], 'dilation': [1, 1], 'groups': 1},
    {'name': 'main.4', 'op': 'convTranspose2d', 'weight': 'main.4.weight', 'bias': 'main.4.bias', 'stride': [2, 1], 'dilation': [2, 2], 'groups': 2},
]
expected['subpixel.onnx']['layers'] = [
    {'name': 'head', 'op': 'conv2d', 'weight': 'head.weight', 'bias': 'head.bias', 'stride': [1, 1], 'dilation': [1, 1], 'groups': 1},
    {'name': 'up', 'op': 'conv2d', 'weight': 'up.weight', 'bias': 'up.bias', 'stride': [1, 1], 'dilation': [1, 1], 'groups': 1, 'pixelShuffle': 2},
]
expected['subpixel_opset9.onnx']['layers'] = expected['subpixel.onnx']['layers']
expected['wave.onnx']['layers'] = [
    {'name': 'main.0', 'op': 'convTranspose1d', 'weight': 'main.0.weight', 'bias': 'main.0.bias', 'stride': [4], 'dilation': [1], 'groups': 1},
    {'name': 'main.2', 'op': 'convTranspose1d', 'weight': 'main.2.weight', 'stride': [2], 'dilation': [3], 'groups': 2},
]
expected['volume.onnx']['layers'] = [
    {'name': 'up1', 'op': 'convTranspose3d', 'weight': 'up1.weight', 'bias': 'up1.bias', 'stride': [2, 2, 2], 'dilation': [1, 1, 1], 'groups': 1},
    {'name': 'up2', 'op': 'convTranspose3d', 'weight': 'up2.weight', 'stride': [1, 2, 3], 'dilation': [1, 1, 1], 'groups': 1},
]

# --- ONNX written with onnx.helper: typed fields, DCR, external data -------------------------------

rng = np.random.default_rng(18)
w64 = rng.standard_normal((4, 8, 2, 2))
w32 = rng.standard_normal((8, 1, 3, 3)).astype(np.float32)
b16 = rng.standard_normal(8).astype(np.float16)
shape = np.array([1, 2, 8, 8], dtype=np.int64)
inits = [
    onnx.helper.make_tensor('convt.weight', onnx.TensorProto.DOUBLE, w64.shape, w64.ravel().tolist()),  # double_data
    onnx.helper.make_tensor('conv.weight', onnx.TensorProto.FLOAT, w32.shape, w32.ravel().tolist()),  # float_data
    onnx.helper.make_tensor('conv.bias', onnx.TensorProto.FLOAT16, b16.shape, b16.view(np.uint16).tolist(), raw=False),  # int32_data bits
    onnx.helper.make_tensor('shape', onnx.TensorProto.INT64, shape.shape, shape.tolist()),  # int64_data
]
nodes = [
    onnx.helper.make_node('ConvTranspose', ['x', 'convt.weight'], ['t'], strides=[2, 2], group=1),
    onnx.helper.make_node('Cast', ['t'], ['tf'], to=onnx.TensorProto.FLOAT),
    onnx.helper.make_node('Conv', ['tf', 'conv.weight', 'conv.bias_f'], ['c'], pads=[1, 1, 1, 1], group=8),
    onnx.helper.make_node('Cast', ['conv.bias'], ['conv.bias_f'], to=onnx.TensorProto.FLOAT),
    onnx.helper.make_node('DepthToSpace', ['c'], ['y'], blocksize=2, mode='DCR'),
]
graph = onnx.helper.make_graph(
    [nodes[0], nodes[1], nodes[3], nodes[2], nodes[4]], 'typed',
    [onnx.helper.make_tensor_value_info('x', onnx.TensorProto.DOUBLE, [1, 4, 4, 4])],
    [onnx.helper.make_tensor_value_info('y', onnx.TensorProto.FLOAT, [1, 2, 16, 16])], inits)
typed = onnx.helper.make_model(graph, opset_imports=[onnx.helper.make_opsetid('', 13)])
onnx.checker.check_model(typed)
onnx.save(typed, os.path.join(out, 'typed.onnx'))
expected['typed.onnx'] = {'tensors': onnx_expectations(os.path.join(out, 'typed.onnx'))}

external = onnx.helper.make_model(onnx.helper.make_graph(
    [onnx.helper.make_node('ConvTranspose', ['x', 'w'], ['y'], strides=[2, 2])], 'external',
    [onnx.helper.make_tensor_value_info('x', onnx.TensorProto.FLOAT, [1, 2, 4, 4])],
    [onnx.helper.make_tensor_value_info('y', onnx.TensorProto.FLOAT, [1, 2, 10, 10])],
    [onnx.numpy_helper.from_array(rng.standard_normal((2, 2, 4, 4)).astype(np.float32), 'w')]))
onnx.save_model(external, os.path.join(out, 'external.onnx'), save_as_external_data=True,
                all_tensors_to_one_file=True, location='external.onnx.data', size_threshold=0)

# --- Keras 2: model.save('generator.h5') ---------------------------------------------------------

def keras_layer(class_name, name, **config):
    return {'class_name': class_name, 'config': {'name': name, 'trainable': True, 'dtype': 'float32', **config}}


def conv_config(filters, kernel, strides, dilation=(1, 1), use_bias=True, groups=None):
    config = {'filters': filters, 'kernel_size': list(kernel), 'strides': list(strides), 'padding': 'same',
              'data_format': 'channels_last', 'dilation_rate': list(dilation), 'activation': 'linear', 'use_bias': use_bias,
              'kernel_initializer': {'class_name': 'GlorotUniform', 'config': {'seed': None}},
              'bias_initializer': {'class_name': 'Zeros', 'config': {}},
              'kernel_regularizer': None, 'bias_regularizer': None, 'activity_regularizer': None,
              'kernel_constraint': None, 'bias_constraint': None}
    if groups is not None:
        config['groups'] = groups
    return config


# Keras names: conv2d_transpose, conv2d_transpose_1, ...; Conv2DTranspose kernels are
# [kH, kW, filters, C_in], Conv2D kernels [kH, kW, C_in/groups, filters].
k2_layers = [
    ('Conv2DTranspose', 'conv2d_transpose', conv_config(6, (4, 4), (2, 2), use_bias=False, groups=None), [('kernel', (4, 4, 6, 8))]),
    ('BatchNormalization', 'batch_normalization', {'axis': [3], 'momentum': 0.99, 'epsilon': 0.001, 'center': True, 'scale': True},
     [('gamma', (6,)), ('beta', (6,)), ('moving_mean', (6,)), ('moving_variance', (6,))]),
    ('LeakyReLU', 'leaky_re_lu', {'alpha': 0.2}, []),
    ('Conv2DTranspose', 'conv2d_transpose_1', {**conv_config(3, (3, 3), (2, 2)), 'output_padding': None}, [('kernel', (3, 3, 3, 6)), ('bias', (3,))]),
    ('Conv2D', 'conv2d', conv_config(4, (3, 3), (1, 1), dilation=(2, 2), groups=1), [('kernel', (3, 3, 3, 4)), ('bias', (4,))]),
]
config2 = {'class_name': 'Sequential', 'config': {'name': 'generator', 'layers': [
    {'class_name': 'InputLayer', 'config': {'batch_input_shape': [None, 4, 4, 8], 'dtype': 'float32', 'sparse': False, 'ragged': False, 'name': 'conv2d_transpose_input'}},
    *[keras_layer(cls, name, **cfg) for cls, name, cfg, _ in k2_layers]]}}
def write_keras2(file, config, layers, value_of=lambda name, shape: rng.standard_normal(shape)):
    """Keras 2's model.save(file): the config on the root, each layer's variables under model_weights; returns their entries."""
    tensors = []
    with h5py.File(os.path.join(out, file), 'w') as f:
        f.attrs['backend'] = 'tensorflow'
        f.attrs['keras_version'] = '2.11.0'
        f.attrs['model_config'] = json.dumps(config)
        weights = f.create_group('model_weights')
        weights.attrs['backend'] = 'tensorflow'
        weights.attrs['keras_version'] = '2.11.0'
        weights.attrs['layer_names'] = np.array([name.encode('utf8') for _, name, _, _ in layers])
        for _, name, _, variables in layers:
            group = weights.create_group(name)
            names = [f'{name}/{var}:0'.encode('utf8') for var, _ in variables]
            group.attrs['weight_names'] = np.array(names) if names else np.array([], dtype=np.float64)
            for var, shape in variables:
                value = value_of(name, shape).astype(np.float32)
                group.create_dataset(f'{name}/{var}:0', data=value)
                tensors.append(tensor_entry(f'{name}/{var}:0', value, 'float32'))
    return tensors


tensors = write_keras2('generator.h5', config2, k2_layers)
expected['generator.h5'] = {'tensors': tensors, 'layers': [
    {'name': 'conv2d_transpose', 'op': 'convTranspose2d', 'weight': 'conv2d_transpose/kernel:0', 'stride': [2, 2], 'dilation': [1, 1], 'groups': 1},
    {'name': 'conv2d_transpose_1', 'op': 'convTranspose2d', 'weight': 'conv2d_transpose_1/kernel:0', 'bias': 'conv2d_transpose_1/bias:0', 'stride': [2, 2], 'dilation': [1, 1], 'groups': 1},
    {'name': 'conv2d', 'op': 'conv2d', 'weight': 'conv2d/kernel:0', 'bias': 'conv2d/bias:0', 'stride': [1, 1], 'dilation': [2, 2], 'groups': 1},
]}

# Keras 2's model.save_weights('generator.weights.h5'): the weights group is the root itself, no config.
with h5py.File(os.path.join(out, 'generator.h5'), 'r') as source, h5py.File(os.path.join(out, 'generator_weights.h5'), 'w') as f:
    for key in ('backend', 'keras_version', 'layer_names'):
        f.attrs[key] = source['model_weights'].attrs[key]
    for name in source['model_weights']:
        source.copy(source['model_weights'][name], f, name=name)
expected['generator_weights.h5'] = {'tensors': expected['generator.h5']['tensors']}

# --- Keras 3: model.save('generator.keras') ------------------------------------------------------

def keras3_layer(class_name, name, config):
    return {'module': 'keras.layers', 'class_name': class_name, 'config': {'name': name, 'trainable': True, 'dtype': 'float32', **config}, 'registered_name': None}


k3_layers = [
    ('Conv2DTranspose', 'conv2d_transpose', conv_config(4, (3, 3), (2, 2)), [(4, (3, 3, 4, 2)), (None, (4,))]),
    ('ReLU', 're_lu', {}, []),
    ('Conv2D', 'conv2d', conv_config(8, (3, 3), (1, 1), groups=2), [(None, (3, 3, 2, 8)), (None, (8,))]),
]
config3 = {'module': 'keras', 'class_name': 'Sequential', 'config': {'name': 'sequential', 'trainable': True, 'dtype': 'float32', 'layers': [
    {'module': 'keras.layers', 'class_name': 'InputLayer', 'config': {'batch_shape': [None, 4, 4, 2], 'dtype': 'float32', 'sparse': False, 'name': 'input_layer'}, 'registered_name': None},
    *[keras3_layer(cls, name, cfg) for cls, name, cfg, _ in k3_layers]]}, 'registered_name': None,
    'build_config': {'input_shape': [None, 4, 4, 2]}}
def keras3_weights(layers):
    """Keras 3's model.weights.h5 (a layer's variables at layers/<layer>/vars/<i>), as bytes, with their entries."""
    h5 = io.BytesIO()
    tensors = []
    with h5py.File(h5, 'w') as f:
        group_of_layers = f.create_group('layers')
        for _, name, _, variables in layers:
            group = group_of_layers.create_group(name).create_group('vars')
            for i, (_, shape) in enumerate(variables):
                value = rng.standard_normal(shape).astype(np.float32)
                group.create_dataset(str(i), data=value)
                tensors.append(tensor_entry(f'layers/{name}/vars/{i}', value, 'float32'))
        f.create_group('optimizer').create_group('vars')
        f.create_group('vars')
    return h5, tensors


def write_keras3(file, config, h5):
    with zipfile.ZipFile(os.path.join(out, file), 'w') as z:
        z.writestr('metadata.json', json.dumps({'keras_version': '3.3.3', 'date_saved': '2024-05-01@12:00:00'}))
        z.writestr('config.json', json.dumps(config))
        z.writestr('model.weights.h5', h5.getvalue())


h5, tensors = keras3_weights(k3_layers)
# Keras 3's model.save_weights('generator3.weights.h5'): the same file as inside the .keras zip.
with open(os.path.join(out, 'generator3.weights.h5'), 'wb') as f:
    f.write(h5.getvalue())
expected['generator3.weights.h5'] = {'tensors': sorted(tensors, key=lambda t: t['name'])}
write_keras3('generator.keras', config3, h5)
expected['generator.keras'] = {'tensors': tensors, 'layers': [
    {'name': 'conv2d_transpose', 'op': 'convTranspose2d', 'weight': 'layers/conv2d_transpose/vars/0', 'bias': 'layers/conv2d_transpose/vars/1', 'stride': [2, 2], 'dilation': [1, 1], 'groups': 1},
    {'name': 'conv2d', 'op': 'conv2d', 'weight': 'layers/conv2d/vars/0', 'bias': 'layers/conv2d/vars/1', 'stride': [1, 1], 'dilation': [1, 1], 'groups': 2},
]}


# --- Keras 1-D and 3-D transposed convolutions (issue 22) ---------------------------------------
# Keras 2 `model.save('decoder1d.h5')` of Conv1DTranspose layers (kernel [k, filters, C_in]), and a
# Keras 3 `decoder3d.keras` of Conv3DTranspose layers (kernel [kD, kH, kW, filters, C_in]).

def conv_nd_config(filters, kernel, strides, dilation, use_bias=True):
    return {**conv_config(filters, kernel, strides, dilation=dilation, use_bias=use_bias), 'output_padding': None}


k1_layers = [
    ('Conv1DTranspose', 'conv1d_transpose', conv_nd_config(4, (25,), (4,), (1,)), [('kernel', (25, 4, 8)), ('bias', (4,))]),
    ('LeakyReLU', 'leaky_re_lu', {'alpha': 0.2}, []),
    ('Conv1DTranspose', 'conv1d_transpose_1', conv_nd_config(2, (8,), (4,), (1,), use_bias=False), [('kernel', (8, 2, 4))]),
]
config1 = {'class_name': 'Sequential', 'config': {'name': 'decoder1d', 'layers': [
    {'class_name': 'InputLayer', 'config': {'batch_input_shape': [None, 16, 8], 'dtype': 'float32', 'sparse': False, 'ragged': False, 'name': 'input'}},
    *[keras_layer(cls, name, **cfg) for cls, name, cfg, _ in k1_layers]]}}
# The second layer's kernel is constant: k8 s4 puts 2 taps on every phase, so it is even.
tensors = write_keras2('decoder1d.h5', config1, k1_layers, lambda name, shape: np.full(shape, 0.125) if name == 'conv1d_transpose_1' else rng.standard_normal(shape))
expected['decoder1d.h5'] = {'tensors': tensors, 'layers': [
    {'name': 'conv1d_transpose', 'op': 'convTranspose1d', 'weight': 'conv1d_transpose/kernel:0', 'bias': 'conv1d_transpose/bias:0', 'stride': [4], 'dilation': [1], 'groups': 1},
    {'name': 'conv1d_transpose_1', 'op': 'convTranspose1d', 'weight': 'conv1d_transpose_1/kernel:0', 'stride': [4], 'dilation': [1], 'groups': 1},
]}

k3d_layers = [
    ('Conv3DTranspose', 'conv3d_transpose', conv_nd_config(4, (2, 2, 2), (2, 2, 2), (1, 1, 1)), [(4, (2, 2, 2, 4, 3)), (None, (4,))]),
    ('Conv3DTranspose', 'conv3d_transpose_1', conv_nd_config(2, (3, 4, 3), (1, 2, 3), (1, 1, 1)), [(None, (3, 4, 3, 2, 4)), (None, (2,))]),
]
config3d = {'module': 'keras', 'class_name': 'Sequential', 'config': {'name': 'decoder3d', 'trainable': True, 'dtype': 'float32', 'layers': [
    {'module': 'keras.layers', 'class_name': 'InputLayer', 'config': {'batch_shape': [None, 4, 4, 4, 3], 'dtype': 'float32', 'sparse': False, 'name': 'input_layer'}, 'registered_name': None},
    *[keras3_layer(cls, name, cfg) for cls, name, cfg, _ in k3d_layers]]}, 'registered_name': None,
    'build_config': {'input_shape': [None, 4, 4, 4, 3]}}
h5, tensors = keras3_weights(k3d_layers)
write_keras3('decoder3d.keras', config3d, h5)
expected['decoder3d.keras'] = {'tensors': tensors, 'layers': [
    {'name': 'conv3d_transpose', 'op': 'convTranspose3d', 'weight': 'layers/conv3d_transpose/vars/0', 'bias': 'layers/conv3d_transpose/vars/1', 'stride': [2, 2, 2], 'dilation': [1, 1, 1], 'groups': 1},
    {'name': 'conv3d_transpose_1', 'op': 'convTranspose3d', 'weight': 'layers/conv3d_transpose_1/vars/0', 'bias': 'layers/conv3d_transpose_1/vars/1', 'stride': [1, 2, 3], 'dilation': [1, 1, 1], 'groups': 1},
]}


# --- The audit, computed with NumPy from the layers above (issue 18's definitions) ----------------

def periodic_energy(phase_sums):
    p = np.asarray(phase_sums, dtype=np.float64)
    total = (p ** 2).sum()
    return float(((p - p.mean(axis=(1, 2), keepdims=True)) ** 2).sum() / total) if total > 0 else 0.0


def transposed_phase_sums(w, stride, dilation, groups):
    """Any rank, as [channel][row][column]: the last axis's phase the column, the others' (row-major) the row."""
    c_in, c_out_g = w.shape[:2]
    sums = np.zeros((c_out_g * groups, *stride))
    for c in range(c_in):
        g = c // (c_in // groups)
        for o in range(c_out_g):
            for tap in np.ndindex(*w.shape[2:]):
                sums[(g * c_out_g + o, *((i * d) % s for i, d, s in zip(tap, dilation, stride)))] += w[(c, o, *tap)]
    return sums.reshape(sums.shape[0], -1, sums.shape[-1])


def subpixel_phase_sums(w, b, r):
    sums = w.reshape(w.shape[0], -1).sum(axis=1) + (b if b is not None else 0)
    return sums.reshape(-1, r, r)


for file, entry in expected.items():
    values = {t['name']: np.array(t['data']).reshape(t['shape']) for t in entry['tensors']}
    audit = {}
    phase_sums = {}
    for layer in entry.get('layers', []):
        w = values[layer['weight']]
        if not file.endswith('.onnx'):
            w = w.transpose(w.ndim - 1, w.ndim - 2, *range(w.ndim - 2))  # Keras [...kernel, a, b] → PyTorch [b, a, ...kernel]
        if layer['op'].startswith('convTranspose'):
            p = transposed_phase_sums(w, layer['stride'], layer['dilation'], layer['groups'])
            audit[layer['name']] = periodic_energy(p)
            phase_sums[layer['name']] = p.tolist()
        elif 'pixelShuffle' in layer:
            audit[layer['name']] = periodic_energy(subpixel_phase_sums(w, values[layer['bias']] if 'bias' in layer else None, layer['pixelShuffle']))
    entry['audit'] = audit
    entry['phaseSums'] = phase_sums

with open(os.path.join(out, 'expected.json'), 'w') as f:
    json.dump(expected, f)
print(json.dumps({k: [t['name'] for t in v['tensors']] for k, v in expected.items()}))
