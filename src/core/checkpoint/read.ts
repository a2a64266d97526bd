/**
 * `readCheckpoint`: one entry for every checkpoint format, chosen by the file's first bytes (its
 * extension only breaks ties and names ONNX, which has no magic). ONNX and Keras readers live in
 * their own modules and are registered with {@link registerCheckpointFormat}, so this module does
 * not depend on their protobuf and HDF5 readers.
 */
import { isNpy, readNpy, readNpz } from './numpy';
import { isLegacyTorch, readLegacyTorch, readTorchZip, torchPickleEntry } from './pytorch';
import { looksLikeSafetensors, readSafetensors } from './safetensors';
import { bytesSource, CheckpointError, type ByteSource, type Checkpoint } from './types';
import { isZip, readZipDirectory } from './zip';

/** A reader of a format registered from outside: ONNX (`.onnx`) and Keras (`.keras` archives, `.h5` HDF5 files). */
export type CheckpointReader = (source: ByteSource, fileName: string) => Checkpoint;

/** Filled by {@link registerCheckpointFormat}; a build that has the readers may list them here instead. */
const registered: { onnx?: CheckpointReader; keras?: CheckpointReader } = {};

export function registerCheckpointFormat(format: 'onnx' | 'keras', reader: CheckpointReader): void {
  registered[format] = reader;
}

const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Reads a checkpoint's tensor list from its headers and directories; tensor values are read when
 * `tensor(name)` is called. `fileName` is the file's base name. Throws a {@link CheckpointError}
 * saying what is wrong and where for a bad, truncated or unsafe file.
 */
export function readCheckpoint(bytes: Uint8Array | ByteSource, fileName: string): Checkpoint {
  const source = bytes instanceof Uint8Array ? bytesSource(bytes) : bytes;
  const extension = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  if (source.byteLength === 0) throw new CheckpointError(`${fileName} is empty`);
  const head = source.read(0, Math.min(16, source.byteLength));
  if (isZip(source)) {
    const entries = readZipDirectory(source, fileName);
    if (torchPickleEntry(entries)) return readTorchZip(source, fileName, entries);
    if (extension === 'keras' || entries.some((e) => e.name === 'config.json' || e.name.endsWith('.weights.h5'))) return external('keras', source, fileName);
    return readNpz(source, fileName, entries);
  }
  if (isNpy(head)) return readNpy(source, fileName);
  if (HDF5_MAGIC.every((b, i) => head[i] === b)) return external('keras', source, fileName);
  // ONNX is a bare protobuf with no magic of its own: its extension decides, before the guesses below.
  if (extension === 'onnx') return external('onnx', source, fileName);
  if (isLegacyTorch(source)) return readLegacyTorch(source, fileName);
  if (looksLikeSafetensors(source)) return readSafetensors(source, fileName);
  switch (extension) {
    case 'safetensors':
      return readSafetensors(source, fileName); // refuses with the header's problem
    case 'pt':
    case 'pth':
    case 'bin':
    case 'ckpt':
      throw new CheckpointError(`${fileName} is neither a torch.save zip archive (it does not start with PK\\x03\\x04) nor torch's legacy format (a pickle starting with the magic number): it is truncated, damaged or not a PyTorch checkpoint`);
    case 'npy':
    case 'npz':
      throw new CheckpointError(`${fileName} starts with neither NumPy's \\x93NUMPY nor a zip header: it is truncated, damaged or not a NumPy file`);
    default:
      throw new CheckpointError(`${fileName} is not a checkpoint Layer Lens reads: its first bytes match no safetensors, PyTorch, NumPy, ONNX or Keras file`);
  }
}

function external(format: 'onnx' | 'keras', source: ByteSource, fileName: string): Checkpoint {
  const reader = registered[format];
  if (!reader) throw new CheckpointError(`${fileName} is ${format === 'onnx' ? 'an ONNX model' : 'a Keras file'}, and no ${format === 'onnx' ? 'ONNX' : 'Keras'} reader is registered`);
  return reader(source, fileName);
}
