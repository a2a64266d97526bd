/**
 * `readCheckpoint` with every format Layer Lens reads: the dispatcher (./read.ts) knows the
 * safetensors, PyTorch and NumPy readers itself and takes the ONNX and Keras readers, with their
 * protobuf and HDF5 libraries, from here. Import `readCheckpoint` from this module, not from ./read.ts.
 */
import { readKeras } from './keras';
import { readOnnx } from './onnx';
import { readCheckpoint, registerCheckpointFormat } from './read';

registerCheckpointFormat('onnx', (source) => readOnnx(source));
registerCheckpointFormat('keras', readKeras);

export { readCheckpoint };
