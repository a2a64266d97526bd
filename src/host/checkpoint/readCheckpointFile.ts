/**
 * Which reader reads a checkpoint file, by its name. ONNX and Keras here; the PyTorch, safetensors
 * and NumPy readers come with the `readCheckpoint` dispatcher of src/core/checkpoint (issue 18's
 * other half), which this defers to once merged.
 */
import { readKeras } from '../../core/checkpoint/keras';
import { readOnnx } from '../../core/checkpoint/onnx';
import { CheckpointError, type ByteSource, type Checkpoint } from '../../core/checkpoint/types';

export function readCheckpointFile(source: ByteSource, fileName: string): Checkpoint {
  const extension = fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase();
  if (extension === 'onnx') return readOnnx(source);
  if (extension === 'keras' || extension === 'h5' || extension === 'hdf5') return readKeras(source, fileName);
  throw new CheckpointError(`${fileName}: this build of Layer Lens reads .onnx, .keras and .h5 checkpoints; .${extension} files come with the PyTorch, safetensors and NumPy readers`);
}
