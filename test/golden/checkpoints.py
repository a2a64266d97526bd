"""Writes the checkpoint fixtures of test/unit/checkpoint/readers.test.ts into a folder, with real tools:
torch.save (zip and legacy formats) from PyTorch 1.13, safetensors written per its specification
(https://github.com/huggingface/safetensors#format; the package itself is not installed), NumPy's
np.save / np.savez / np.savez_compressed, and files that must be refused (unsafe pickles, a zip
bomb). expected.json holds every tensor's values as float64 and the checkerboard audits computed
here with NumPy from the issue's definitions.

Usage: python3 checkpoints.py OUT_DIR MARKER_PATH
(MARKER_PATH: the file the malicious pickles would create if anything ran them.)
"""
import builtins
import io
import json
import os
import struct
import sys
import zipfile

import numpy as np
import torch
import torch.nn as nn

out, marker = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
torch.manual_seed(18)
rng = np.random.default_rng(18)
expected = {'files': {}, 'audits': []}

# The DCGAN generator of samples/, built small (nz, ngf are its module-level names).
repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
with open(os.path.join(repo, 'samples', 'dcgan_generator.py')) as f:
    DCGAN_SOURCE = f.read()

SRGAN_SOURCE = '''
import torch.nn as nn

class UpsampleBlock(nn.Module):
    def __init__(self, in_channels, up_scale):
        super(UpsampleBlock, self).__init__()
        self.conv = nn.Conv2d(in_channels, in_channels * up_scale ** 2, kernel_size=3, padding=1)
        self.pixel_shuffle = nn.PixelShuffle(up_scale)
        self.prelu = nn.PReLU()

    def forward(self, x):
        return self.prelu(self.pixel_shuffle(self.conv(x)))

class Upsampler(nn.Module):
    def __init__(self):
        super(Upsampler, self).__init__()
        self.head = nn.Conv2d(3, 8, kernel_size=9, padding=4)
        self.up1 = UpsampleBlock(8, 2)
        self.up2 = UpsampleBlock(8, 2)
        self.tail = nn.Conv2d(8, 3, kernel_size=9, padding=4)
'''

GROUPED_SOURCE = '''
import torch.nn as nn

class Grouped(nn.Module):
    def __init__(self):
        super().__init__()
        self.up = nn.ConvTranspose2d(4, 6, 3, stride=2, groups=2, dilation=2)
        self.wide = nn.ConvTranspose2d(6, 2, (3, 4), stride=(2, 3), dilation=(1, 2), groups=2)
'''


def model_from(source, name, *args, **names):
    scope = {}
    exec(source, scope)
    scope.update(names)
    return scope[name](*args)


def values(t):
    if isinstance(t, torch.Tensor):
        return t.detach().to(torch.float64).contiguous().reshape(-1).tolist()
    return np.asarray(t).astype(np.float64).reshape(-1, order='C').tolist()


def record(file, tensors, dtypes=None):
    expected['files'][file] = {'tensors': [{'name': n, 'shape': list(t.shape), 'dtype': (dtypes or {}).get(n), 'values': values(t)} for n, t in tensors.items()]}


def flat_state(obj, prefix=''):
    """Tensors of a nested object by dotted path, as Layer Lens lists them."""
    found = {}
    if isinstance(obj, torch.Tensor):
        found[prefix or 'tensor'] = obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            found.update(flat_state(v, f'{prefix}.{k}' if prefix else str(k)))
    elif isinstance(obj, (list, tuple)):
        for k, v in enumerate(obj):
            found.update(flat_state(v, f'{prefix}.{k}' if prefix else str(k)))
    return found


TORCH_DTYPES = {torch.float64: 'float64', torch.float32: 'float32', torch.float16: 'float16', torch.bfloat16: 'bfloat16', torch.int64: 'int64',
                torch.int32: 'int32', torch.int16: 'int16', torch.int8: 'int8', torch.uint8: 'uint8', torch.bool: 'bool'}


def save_torch(obj, file, legacy=False):
    torch.save(obj, os.path.join(out, file), _use_new_zipfile_serialization=not legacy)
    tensors = flat_state(obj)
    record(file, tensors, {n: TORCH_DTYPES[t.dtype] for n, t in tensors.items()})


# --- phase sums, periodic energy and verdicts, from the definitions -------------------------------

def transposed_phase_sums(w, stride, dilation, groups):
    w = np.asarray(w, dtype=np.float64)
    cin, per_group, kh, kw = w.shape
    sh, sw = stride
    dh, dw = dilation
    p = np.zeros((per_group * groups, sh, sw))
    in_per_group = cin // groups
    for c in range(cin):
        g = c // in_per_group
        for oo in range(per_group):
            for i in range(kh):
                for j in range(kw):
                    p[g * per_group + oo, (i * dh) % sh, (j * dw) % sw] += w[c, oo, i, j]
    return p


def subpixel_phase_sums(w, b, r):
    w = np.asarray(w, dtype=np.float64)
    sums = w.reshape(w.shape[0], -1).sum(axis=1) + (np.asarray(b, dtype=np.float64) if b is not None else 0)
    return sums.reshape(-1, r, r)


def measure(p):
    mean = p.mean(axis=(1, 2), keepdims=True)
    squares = (p ** 2).sum()
    energy = float(((p - mean) ** 2).sum() / squares) if squares > 0 else 0.0
    uneven = any(np.abs(ch - ch.mean()).max() > 1e-6 * np.abs(ch).max() for ch in p)
    return {'phaseSums': p.tolist(), 'periodicEnergy': energy, 'verdict': 'uneven' if uneven else 'even'}


def audit_case(file, layers, source=None, stride=None):
    expected['audits'].append({'file': file, 'source': source, 'stride': stride, 'layers': layers})


def layer(name, op, weight, stride, stride_from, p):
    return {'name': name, 'op': op, 'weightShape': list(weight.shape), 'stride': list(stride), 'strideFrom': stride_from, **measure(p)}


# --- DCGAN generator: zip, legacy, safetensors -----------------------------------------------------
with open(os.path.join(out, 'dcgan.py'), 'w') as f:
    f.write(DCGAN_SOURCE)
netG = model_from(DCGAN_SOURCE, 'Generator', nz=8, ngf=4)
sd = netG.state_dict()
save_torch(sd, 'dcgan.pt')
save_torch(sd, 'dcgan_legacy.pt', legacy=True)
dcgan_strides = {'main.0': (1, 1), 'main.3': (2, 2), 'main.6': (2, 2), 'main.9': (2, 2), 'main.12': (2, 2)}
audit_case('dcgan.pt', [layer(n, 'convTranspose2d', sd[n + '.weight'], s, 'source', transposed_phase_sums(sd[n + '.weight'], s, (1, 1), 1)) for n, s in dcgan_strides.items()], source='dcgan.py')
audit_case('dcgan.pt', [layer(n, 'convTranspose2d', sd[n + '.weight'], (2, 2), 'given', transposed_phase_sums(sd[n + '.weight'], (2, 2), (1, 1), 1)) for n in dcgan_strides], stride=2)
audit_case('dcgan_legacy.pt', [{'name': n, 'op': 'convTranspose2d', 'weightShape': list(sd[n + '.weight'].shape), 'stride': None, 'strideFrom': 'none', 'phaseSums': [], 'periodicEnergy': 0, 'verdict': 'unknown'} for n in dcgan_strides])

# A checkpoint as training scripts save it: the generator's state dict nested, with plain values beside it.
checkpoint = {'generator': sd, 'epoch': 3, 'loss': 0.25, 'name': 'G_epoch3', 'history': [1.5, 2.5]}
save_torch(checkpoint, 'G_epoch3.pth')
audit_case('G_epoch3.pth', [layer('generator.' + n, 'convTranspose2d', sd[n + '.weight'], s, 'source', transposed_phase_sums(sd[n + '.weight'], s, (1, 1), 1)) for n, s in dcgan_strides.items()], source='dcgan.py')


# --- SRGAN-style sub-pixel upsampler: ICNR and drifted ---------------------------------------------
def icnr_(conv, r):
    out_channels = conv.weight.shape[0] // (r * r)
    sub = torch.empty(out_channels, *conv.weight.shape[1:])
    nn.init.kaiming_normal_(sub)
    with torch.no_grad():
        conv.weight.copy_(sub.repeat_interleave(r * r, dim=0))
        conv.bias.copy_(torch.randn(out_channels).repeat_interleave(r * r))


with open(os.path.join(out, 'srgan.py'), 'w') as f:
    f.write(SRGAN_SOURCE)
up = model_from(SRGAN_SOURCE, 'Upsampler')
icnr_(up.up1.conv, 2)
icnr_(up.up2.conv, 2)
icnr_sd = {k: v.clone() for k, v in up.state_dict().items()}
save_torch(icnr_sd, 'srgan_icnr.pt')
with torch.no_grad():
    up.up2.conv.weight.add_(0.05 * torch.randn_like(up.up2.conv.weight))
    up.up2.conv.bias.add_(0.05 * torch.randn_like(up.up2.conv.bias))
drift_sd = {k: v.clone() for k, v in up.state_dict().items()}
save_torch(drift_sd, 'srgan_drift.pt')
for file, state in (('srgan_icnr.pt', icnr_sd), ('srgan_drift.pt', drift_sd)):
    rows = []
    for n in ('up1.conv', 'up2.conv'):
        w, b = state[n + '.weight'], state[n + '.bias']
        row = layer(n, 'subPixelConvolution', w, (2, 2), 'source', subpixel_phase_sums(w, b, 2))
        sub = np.asarray(w, dtype=np.float64).reshape(-1, 4, *w.shape[1:])
        mean = sub.mean(axis=1, keepdims=True)
        row['icnrDistance'] = float(np.sqrt(((sub - mean) ** 2).sum() / (sub ** 2).sum()))
        rows.append(row)
    audit_case(file, rows, source='srgan.py')

# --- grouped and dilated transposed convolutions ----------------------------------------------------
with open(os.path.join(out, 'grouped.py'), 'w') as f:
    f.write(GROUPED_SOURCE)
grouped = model_from(GROUPED_SOURCE, 'Grouped').state_dict()
save_torch(grouped, 'grouped.pt')
audit_case('grouped.pt', [
    layer('up', 'convTranspose2d', grouped['up.weight'], (2, 2), 'source', transposed_phase_sums(grouped['up.weight'], (2, 2), (2, 2), 2)),
    layer('wide', 'convTranspose2d', grouped['wide.weight'], (2, 3), 'source', transposed_phase_sums(grouped['wide.weight'], (2, 3), (1, 2), 2)),
], source='grouped.py')

# --- 1-D and 3-D transposed convolutions (issue 22): a WaveGAN generator, a 3-D U-Net decoder ----------
WAVEGAN_SOURCE = '''
import torch.nn as nn

class WaveGANGenerator(nn.Module):
    """Donahue et al. 2019: five ConvTranspose1d of kernel 25, stride 4 (built small: model_size 2)."""

    def __init__(self, model_size=2, latent_dim=16):
        super().__init__()
        self.fc = nn.Linear(latent_dim, 256 * model_size)
        self.deconv_1 = nn.ConvTranspose1d(16 * model_size, 8 * model_size, 25, stride=4, padding=11, output_padding=1)
        self.deconv_2 = nn.ConvTranspose1d(8 * model_size, 4 * model_size, 25, stride=4, padding=11, output_padding=1)
        self.deconv_3 = nn.ConvTranspose1d(4 * model_size, 2 * model_size, 25, stride=4, padding=11, output_padding=1)
        self.deconv_4 = nn.ConvTranspose1d(2 * model_size, model_size, 25, stride=4, padding=11, output_padding=1)
        self.deconv_5 = nn.ConvTranspose1d(model_size, 1, 24, stride=4, padding=10)
        self.post = nn.Sequential(nn.ConvTranspose1d(1, 2, 5, stride=2, dilation=3), nn.Conv1d(2, 1, 3, padding=1))
        self.grouped = nn.ConvTranspose1d(4, 6, 7, stride=3, groups=2)
'''

UNET3D_SOURCE = '''
import torch.nn as nn

class UNet3DDecoder(nn.Module):
    """The decoder half of a 3-D U-Net (Çiçek et al. 2016), built small."""

    def __init__(self):
        super().__init__()
        self.up1 = nn.ConvTranspose3d(16, 8, kernel_size=2, stride=2)
        self.conv1 = nn.Conv3d(16, 8, kernel_size=3, padding=1)
        self.up2 = nn.ConvTranspose3d(8, 4, kernel_size=3, stride=2, padding=1, output_padding=1)
        self.conv2 = nn.Conv3d(8, 4, kernel_size=3, padding=1)
        self.up3 = nn.ConvTranspose3d(4, 4, kernel_size=(1, 4, 3), stride=(1, 2, 3), padding=(0, 1, 0), dilation=(1, 1, 2), groups=2)
        self.head = nn.Conv3d(4, 2, kernel_size=1)
'''


def transposed_phase_sums_nd(w, stride, dilation, groups):
    """Phase sums of a transposed convolution of any rank, as [channel][row][column]: the last axis's
    phase is the column, the others' (row-major) the row (Layer Lens's layout for 1-D and 3-D layers)."""
    w = np.asarray(w, dtype=np.float64)
    cin, per_group = w.shape[:2]
    p = np.zeros((per_group * groups, *stride))
    in_per_group = cin // groups
    for c in range(cin):
        g = c // in_per_group
        for oo in range(per_group):
            for tap in np.ndindex(*w.shape[2:]):
                phase = tuple((i * d) % s for i, d, s in zip(tap, dilation, stride))
                p[(g * per_group + oo, *phase)] += w[(c, oo, *tap)]
    return p.reshape(p.shape[0], -1, p.shape[-1])


torch.manual_seed(22)
for file, source in (('wavegan.py', WAVEGAN_SOURCE), ('unet3d.py', UNET3D_SOURCE)):
    with open(os.path.join(out, file), 'w') as f:
        f.write(source)
wavegan_model = model_from(WAVEGAN_SOURCE, 'WaveGANGenerator')
unet3d_model = model_from(UNET3D_SOURCE, 'UNet3DDecoder')
# A constant kernel whose taps cover every phase alike comes out even: k24 s4 (6 taps per phase), k2 s2 in 3-D (1 per phase).
with torch.no_grad():
    wavegan_model.deconv_5.weight.fill_(0.05)
    unet3d_model.up1.weight.fill_(0.125)
wavegan = wavegan_model.state_dict()
save_torch(wavegan, 'wavegan.pt')
wavegan_layers = {'deconv_1': ((4,), (1,), 1), 'deconv_2': ((4,), (1,), 1), 'deconv_3': ((4,), (1,), 1), 'deconv_4': ((4,), (1,), 1), 'deconv_5': ((4,), (1,), 1),
                  'post.0': ((2,), (3,), 1), 'grouped': ((3,), (1,), 2)}
audit_case('wavegan.pt', [layer(n, 'convTranspose1d', wavegan[n + '.weight'], s, 'source', transposed_phase_sums_nd(wavegan[n + '.weight'], s, d, g)) for n, (s, d, g) in wavegan_layers.items()], source='wavegan.py')
# Without the source: every 3-D `.weight` (the Conv1d's too) audited as a ConvTranspose1d with the stride given.
audit_case('wavegan.pt', [layer(n, 'convTranspose1d', wavegan[n + '.weight'], (4,), 'given', transposed_phase_sums_nd(wavegan[n + '.weight'], (4,), (1,), 1))
                          for n in [*wavegan_layers, 'post.1']], stride=4)
unet3d = unet3d_model.state_dict()
save_torch(unet3d, 'unet3d.pt')
unet3d_layers = {'up1': ((2, 2, 2), (1, 1, 1), 1), 'up2': ((2, 2, 2), (1, 1, 1), 1), 'up3': ((1, 2, 3), (1, 1, 2), 2)}
audit_case('unet3d.pt', [layer(n, 'convTranspose3d', unet3d[n + '.weight'], s, 'source', transposed_phase_sums_nd(unet3d[n + '.weight'], s, d, g)) for n, (s, d, g) in unet3d_layers.items()], source='unet3d.py')
audit_case('unet3d.pt', [layer(n, 'convTranspose3d', unet3d[n + '.weight'], (2, 2, 2), 'given', transposed_phase_sums_nd(unet3d[n + '.weight'], (2, 2, 2), (1, 1, 1), 1))
                         for n in ('up1', 'up2', 'up3', 'conv1', 'conv2', 'head')], stride=2)

# --- element types and views ----------------------------------------------------------------------
base = torch.randn(6, 8)
storage_sharing = torch.randn(40)
dtypes = {
    'f64': torch.randn(3, 2, dtype=torch.float64),
    'f16': torch.randn(5).half(),
    'bf16': torch.randn(2, 3).to(torch.bfloat16),
    'i64': torch.tensor([-(2 ** 40), -1, 0, 7, 2 ** 52]),
    'i32': torch.tensor([[-5, 6], [2 ** 31 - 1, -(2 ** 31)]], dtype=torch.int32),
    'i16': torch.tensor([-300, 300], dtype=torch.int16),
    'i8': torch.tensor([-128, 127, 0], dtype=torch.int8),
    'u8': torch.tensor([0, 255, 17], dtype=torch.uint8),
    'flag': torch.tensor([True, False, True]),
    'transposed': base.t(),
    'stepped': base[::2, 1::3],
    'offset': storage_sharing[7:19].view(3, 4),
    'scalar': torch.tensor(2.5),
    'nested': {'list': [torch.arange(3.0), (torch.ones(2, 2) * 4,)]},
}
save_torch(dtypes, 'dtypes.pt')
# Plain values torch pickles through globals of their own: torch.Size, a set, bytes (_codecs.encode), a device.
save_torch({'size': torch.Size([2, 3]), 'tags': {1, 2}, 'raw': b'ab\xff', 'device': torch.device('cpu'), 'p': nn.Parameter(torch.randn(2, 2))}, 'values.pt')
save_torch(dtypes, 'dtypes_legacy.pt', legacy=True)

# --- safetensors, written per the specification -----------------------------------------------------
ST = {torch.float64: 'F64', torch.float32: 'F32', torch.float16: 'F16', torch.bfloat16: 'BF16', torch.int64: 'I64', torch.int32: 'I32',
      torch.int16: 'I16', torch.int8: 'I8', torch.uint8: 'U8', torch.bool: 'BOOL'}


def raw_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().tobytes()
    return t.numpy().tobytes()


def save_safetensors(tensors, file, metadata=None):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        blob = raw_bytes(tensors[name])
        header[name] = {'dtype': ST[tensors[name].dtype], 'shape': list(tensors[name].shape), 'data_offsets': [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    if metadata:
        header['__metadata__'] = metadata
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * (-len(text) % 8)
    with open(os.path.join(out, file), 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text + b''.join(blobs))
    record(file, {n: tensors[n] for n in sorted(tensors)}, {n: ST[tensors[n].dtype] for n in tensors})


save_safetensors({k: v for k, v in dtypes.items() if isinstance(v, torch.Tensor)}, 'dtypes.safetensors', {'format': 'pt'})
save_safetensors(dict(sd), 'dcgan.safetensors')
audit_case('dcgan.safetensors', [layer(n, 'convTranspose2d', sd[n + '.weight'], s, 'source', transposed_phase_sums(sd[n + '.weight'], s, (1, 1), 1)) for n, s in dcgan_strides.items()], source='dcgan.py')
save_safetensors(dict(unet3d), 'unet3d.safetensors')
audit_case('unet3d.safetensors', [layer(n, 'convTranspose3d', unet3d[n + '.weight'], s, 'source', transposed_phase_sums_nd(unet3d[n + '.weight'], s, d, g)) for n, (s, d, g) in unet3d_layers.items()], source='unet3d.py')

# --- NumPy -------------------------------------------------------------------------------------------
arrays = {
    'f8': rng.standard_normal((3, 4)),
    'f4': rng.standard_normal((2, 3)).astype('<f4'),
    'f2': rng.standard_normal(4).astype('<f2'),
    'i8': np.array([-(2 ** 40), 3], dtype='<i8'),
    'u2': np.array([0, 65535], dtype='<u2'),
    'b1': np.array([True, False]),
    'big': rng.standard_normal((2, 2)).astype('>f4'),
    'fortran': np.asfortranarray(rng.standard_normal((2, 3, 4))),
}
for name, a in arrays.items():
    np.save(os.path.join(out, f'{name}.npy'), a)
    record(f'{name}.npy', {name: a}, {name: a.dtype.str})
for version in ((2, 0), (3, 0)):
    with open(os.path.join(out, f'v{version[0]}.npy'), 'wb') as f:
        np.lib.format.write_array(f, arrays['f8'], version=version)
    record(f'v{version[0]}.npy', {f'v{version[0]}': arrays['f8']}, {f'v{version[0]}': '<f8'})
np.savez(os.path.join(out, 'arrays.npz'), **arrays)
record('arrays.npz', arrays, {n: a.dtype.str for n, a in arrays.items()})
np.savez_compressed(os.path.join(out, 'compressed.npz'), **arrays)
record('compressed.npz', arrays, {n: a.dtype.str for n, a in arrays.items()})
# A transposed convolution's weight in an .npz, audited with a given stride.
deconv = rng.standard_normal((2, 3, 3, 3))
np.savez(os.path.join(out, 'deconv.npz'), weight=deconv)
audit_case('deconv.npz', [layer('weight', 'convTranspose2d', deconv, (2, 2), 'given', transposed_phase_sums(deconv, (2, 2), (1, 1), 1))], stride=2)


# --- files to refuse ---------------------------------------------------------------------------------
class SystemCall:
    def __reduce__(self):
        return (os.system, (f'touch {marker}',))


class EvalCall:
    def __reduce__(self):
        return (builtins.eval, (f"__import__('os').system('touch {marker}')",))


torch.save({'weight': torch.ones(2), 'payload': SystemCall()}, os.path.join(out, 'evil_system.pt'))
torch.save({'weight': torch.ones(2), 'payload': SystemCall()}, os.path.join(out, 'evil_legacy.pt'), _use_new_zipfile_serialization=False)
torch.save({'weight': torch.ones(2), 'payload': EvalCall()}, os.path.join(out, 'evil_eval.pt'))

# A zip bomb: a deflated array of zeros whose directory declares 200 times more than it unpacks to.
zeros = io.BytesIO()
np.save(zeros, np.zeros(2 ** 21))
bomb = io.BytesIO()
with zipfile.ZipFile(bomb, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('zeros.npy', zeros.getvalue())
data = bytearray(bomb.getvalue())
true_size = struct.pack('<I', len(zeros.getvalue()))
lie = struct.pack('<I', len(zeros.getvalue()) * 200)
data = data.replace(true_size, lie)
open(os.path.join(out, 'bomb.npz'), 'wb').write(bytes(data))
# An entry that unpacks to more than its directory declares.
small = struct.pack('<I', 1 << 20)
open(os.path.join(out, 'overflow.npz'), 'wb').write(bytes(bytearray(bomb.getvalue()).replace(true_size, small)))

with open(os.path.join(out, 'expected.json'), 'w') as f:
    json.dump(expected, f)
