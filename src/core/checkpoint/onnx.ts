/**
 * ONNX models (`.onnx`): the graph's initializers are the tensors, and its `ConvTranspose` / `Conv`
 * nodes, with their `strides`, `dilations` and `group` attributes, are the layers (a `Conv` whose
 * output reaches a `DepthToSpace` in CRD mode is a sub-pixel convolution: PyTorch exports
 * `PixelShuffle` so).
 *
 * The protobuf wire format is read with protobufjs's minimal `Reader` (the library's generated
 * decoders use the same loop): only the fields of onnx.proto that Layer Lens needs are decoded,
 * everything else is skipped by wire type. A model is one protobuf message, so the whole file is
 * read (protobuf itself caps a message at 2 GB; larger models keep their weights in external data,
 * which is listed but not read). `raw_data` stays a view into those bytes until a tensor is asked for.
 */
import { Reader } from 'protobufjs/minimal';
import { bfloat16ToNumber, checkReadable, decodeElements, ELEMENT_SIZE, elementCount, halfToNumber, type ElementType } from './elements';
import { type ByteSource, type Checkpoint, type CheckpointLayer, type CheckpointTensor, type CheckpointTensorInfo, CheckpointError } from './types';

/** onnx.proto's `TensorProto.DataType`: the name the ONNX Python API prints, and the element size in raw_data. */
/** ONNX's TensorProto data types: the name, and the element type raw_data holds (none for strings and complex numbers). */
const DATA_TYPES: ReadonlyMap<number, { readonly name: string; readonly element?: ElementType }> = new Map<number, { readonly name: string; readonly element?: ElementType }>([
  [1, { name: 'FLOAT', element: 'f32' }], [2, { name: 'UINT8', element: 'u8' }], [3, { name: 'INT8', element: 'i8' }],
  [4, { name: 'UINT16', element: 'u16' }], [5, { name: 'INT16', element: 'i16' }], [6, { name: 'INT32', element: 'i32' }],
  [7, { name: 'INT64', element: 'i64' }], [8, { name: 'STRING' }], [9, { name: 'BOOL', element: 'bool' }],
  [10, { name: 'FLOAT16', element: 'f16' }], [11, { name: 'DOUBLE', element: 'f64' }], [12, { name: 'UINT32', element: 'u32' }],
  [13, { name: 'UINT64', element: 'u64' }], [14, { name: 'COMPLEX64' }], [15, { name: 'COMPLEX128' }],
  [16, { name: 'BFLOAT16', element: 'bf16' }],
]);

/** Protobuf's own limit on one message, and so on a model file without external data. */
const MAX_MODEL_BYTES = 2 ** 31 - 1;

/** One initializer as the file lists it; its values are decoded only when asked for. */
interface Initializer {
  readonly info: CheckpointTensorInfo;
  readonly dataType: number;
  /** Where the tensor's bytes are in the file (for the messages). */
  readonly offset: number;
  raw?: Uint8Array;
  /** float_data / int32_data / int64_data / double_data / uint64_data, in the file's order. */
  readonly typed: number[];
  external?: string;
  segmented: boolean;
}

interface Attribute {
  i?: number;
  ints?: number[];
  s?: string;
  /** A tensor value (a `Constant` node's `value`). */
  t?: Initializer;
}

interface GraphNode {
  readonly opType: string;
  readonly domain: string;
  readonly inputs: string[];
  readonly outputs: string[];
  readonly attributes: Map<string, Attribute>;
}

export function readOnnx(source: ByteSource): Checkpoint {
  if (source.byteLength > MAX_MODEL_BYTES) {
    throw new CheckpointError(`the ONNX file is ${source.byteLength} bytes, more than protobuf's 2 GB limit for one model; a model this large keeps its weights in external data files, which Layer Lens does not read`);
  }
  const bytes = source.read(0, source.byteLength);
  refuseOtherFormats(bytes);
  const { initializers, nodes } = decode(bytes);
  const byName = new Map(initializers.map((init) => [init.info.name, init]));
  return {
    format: 'onnx',
    tensors: initializers.map((init) => init.info),
    tensor(name) {
      const init = byName.get(name);
      if (init === undefined) throw new CheckpointError(`the ONNX graph has no initializer named '${name}'`);
      return tensorValues(init);
    },
    layers: layersOf(nodes, byName),
  };
}

// ---------------------------------------------------------------------------------------------
// The wire format: ModelProto → GraphProto → TensorProto / NodeProto / AttributeProto.

/** A protobufjs reader error (`index out of range: 120 + 55 > 160`) said in words, with what was being read. */
function damaged(what: string, error: unknown, reader: Reader): CheckpointError {
  if (error instanceof CheckpointError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new CheckpointError(`the ONNX file is cut short or damaged: reading ${what} near byte ${reader.pos} of ${reader.len} failed (${detail})`);
}

/**
 * Reads the fields of one message up to `end`, handing each to `field`, which consumes the ones it
 * knows and returns false for the rest (skipped by wire type, as protobuf's generated decoders do).
 */
function readFields(reader: Reader, end: number, field: (number: number, wireType: number) => boolean): void {
  while (reader.pos < end) {
    const tag = reader.uint32();
    const number = tag >>> 3;
    const wireType = tag & 7;
    if (number === 0) throw new CheckpointError(`the ONNX file is damaged: a field numbered 0 at byte ${reader.pos} (not a protobuf message)`);
    if (!field(number, wireType)) reader.skipType(wireType);
  }
  if (reader.pos !== end) throw new CheckpointError(`the ONNX file is damaged: a field runs past the end of its message at byte ${end}`);
}

/** The end of the length-delimited message starting at the reader, checked against its parent's end. */
function messageEnd(reader: Reader, parentEnd: number): number {
  const length = reader.uint32();
  const end = reader.pos + length;
  if (end > parentEnd) throw new CheckpointError(`the ONNX file is cut short or damaged: a message at byte ${reader.pos} claims ${length} bytes, past the end of what contains it (byte ${parentEnd})`);
  return end;
}

/** A signed 64-bit varint as a number, refused past 2^53. */
function safeInteger(value: { low: number; high: number } | number, what: string): number {
  const n = typeof value === 'number' ? value : value.high * 2 ** 32 + (value.low >>> 0);
  if (!Number.isSafeInteger(n)) throw new CheckpointError(`the ONNX file gives ${what} a value beyond 2^53`);
  return n;
}

/** A repeated integer field, packed (wire type 2) or one value per field. */
function int64s(reader: Reader, wireType: number, what: string, into: number[]): void {
  const values = wireType === 2 ? reader.int64s() : [reader.int64()];
  for (const value of values) into.push(safeInteger(value, what));
}

function decode(bytes: Uint8Array): { initializers: Initializer[]; nodes: GraphNode[] } {
  const reader = new Reader(bytes);
  let graph: { initializers: Initializer[]; nodes: GraphNode[] } | undefined;
  let irVersion: number | undefined;
  try {
    readFields(reader, reader.len, (field, wireType) => {
      if (field === 1 && wireType === 0) irVersion = safeInteger(reader.int64(), 'ir_version');
      else if (field === 7 && wireType === 2) graph = readGraph(reader, messageEnd(reader, reader.len));
      else return false;
      return true;
    });
  } catch (error) {
    throw damaged('the model', error, reader);
  }
  if (irVersion === undefined || graph === undefined) {
    throw new CheckpointError(`not an ONNX model: the file has ${irVersion === undefined ? 'no ir_version' : 'no graph'} (an ONNX file is a ModelProto with both)`);
  }
  return graph;
}

function readGraph(reader: Reader, end: number): { initializers: Initializer[]; nodes: GraphNode[] } {
  const initializers: Initializer[] = [];
  const nodes: GraphNode[] = [];
  readFields(reader, end, (field, wireType) => {
    if (wireType !== 2) return false;
    if (field === 1) nodes.push(readNode(reader, messageEnd(reader, end)));
    else if (field === 5) {
      const at = reader.pos;
      try {
        initializers.push(readTensor(reader, messageEnd(reader, end), at));
      } catch (error) {
        throw damaged(`initializer ${initializers.length + 1}`, error, reader);
      }
    } else return false;
    return true;
  });
  return { initializers, nodes };
}

/** A TensorProto: an initializer (which must have a name) or a `Constant` node's value (which need not). */
function readTensor(reader: Reader, end: number, offset: number, role: 'initializer' | 'constant' = 'initializer'): Initializer {
  const dims: number[] = [];
  const typed: number[] = [];
  let dataType = 0;
  let name = '';
  let raw: Uint8Array | undefined;
  let segmented = false;
  let location = 0;
  const external = new Map<string, string>();
  readFields(reader, end, (field, wireType) => {
    switch (field) {
      case 1: int64s(reader, wireType, 'a dimension', dims); return true;
      case 2: dataType = reader.int32(); return true;
      case 3: segmented = true; return false;
      // Packed fields append in place (a spread of a large field would overflow the stack).
      case 4: if (wireType === 2) reader.floats(typed); else typed.push(reader.float()); return true;
      case 5: if (wireType === 2) reader.int32s(typed); else typed.push(reader.int32()); return true;
      case 7: int64s(reader, wireType, 'an int64 value', typed); return true;
      case 8: name = reader.string(); return true;
      case 9: raw = reader.bytes(); return true;
      case 10: if (wireType === 2) reader.doubles(typed); else typed.push(reader.double()); return true;
      case 11: {
        const values = wireType === 2 ? reader.uint64s() : [reader.uint64()];
        for (const value of values) typed.push(typeof value === 'number' ? value : (value.high >>> 0) * 2 ** 32 + (value.low >>> 0));
        return true;
      }
      case 13: {
        const entryEnd = messageEnd(reader, end);
        let key = '';
        let value = '';
        readFields(reader, entryEnd, (f, w) => {
          if (w !== 2 || (f !== 1 && f !== 2)) return false;
          if (f === 1) key = reader.string();
          else value = reader.string();
          return true;
        });
        external.set(key, value);
        return true;
      }
      case 14: location = reader.int32(); return true;
      default: return false;
    }
  });
  if (name === '' && role === 'initializer') throw new CheckpointError(`the ONNX file has an initializer without a name at byte ${offset}`);
  if (dims.some((d) => d < 0)) throw new CheckpointError(`the ONNX initializer '${name}' has a negative dimension (${dims.join('×')})`);
  const init: Initializer = { info: { name, shape: dims, dtype: DATA_TYPES.get(dataType)?.name ?? `data type ${dataType}` }, dataType, offset, typed, segmented };
  if (raw !== undefined) init.raw = raw;
  if (location === 1 || external.size > 0) init.external = external.get('location') ?? 'another file';
  return init;
}

function readNode(reader: Reader, end: number): GraphNode {
  const node: GraphNode = { opType: '', domain: '', inputs: [], outputs: [], attributes: new Map() };
  let opType = '';
  let domain = '';
  readFields(reader, end, (field, wireType) => {
    if (wireType !== 2) return false;
    if (field === 1) node.inputs.push(reader.string());
    else if (field === 2) node.outputs.push(reader.string());
    else if (field === 4) opType = reader.string();
    else if (field === 7) domain = reader.string();
    else if (field === 5) readAttribute(reader, messageEnd(reader, end), node.attributes);
    else return false;
    return true;
  });
  return { ...node, opType, domain };
}

function readAttribute(reader: Reader, end: number, into: Map<string, Attribute>): void {
  let name = '';
  const attribute: Attribute = {};
  readFields(reader, end, (field, wireType) => {
    if (field === 1 && wireType === 2) name = reader.string();
    else if (field === 3 && wireType === 0) attribute.i = safeInteger(reader.int64(), 'an attribute');
    else if (field === 4 && wireType === 2) attribute.s = reader.string();
    else if (field === 8) int64s(reader, wireType, 'an attribute', (attribute.ints ??= []));
    else if (field === 5 && wireType === 2) {
      const at = reader.pos;
      attribute.t = readTensor(reader, messageEnd(reader, end), at, 'constant');
    } else return false;
    return true;
  });
  into.set(name, attribute);
}

/** A zip, HDF5, NumPy or safetensors file handed to the ONNX reader is named, not parsed as protobuf noise. */
function refuseOtherFormats(bytes: Uint8Array): void {
  const starts = (...prefix: number[]): boolean => prefix.every((b, i) => bytes[i] === b);
  const other = starts(0x50, 0x4b) ? 'a zip archive (a PyTorch or Keras 3 file?)'
    : starts(0x89, 0x48, 0x44, 0x46) ? 'an HDF5 file (Keras .h5?)'
      : starts(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59) ? 'a NumPy .npy file'
        : starts(0x80) ? 'a Python pickle (a legacy PyTorch file?)'
          : bytes.length >= 9 && bytes[8] === 0x7b && bytes[6] === 0 && bytes[7] === 0 ? 'a safetensors file'
            : undefined;
  if (other !== undefined) throw new CheckpointError(`not an ONNX model: the file starts like ${other}`);
}

// ---------------------------------------------------------------------------------------------
// Values.

function tensorValues(init: Initializer): CheckpointTensor {
  const { name, shape, dtype } = init.info;
  if (init.external !== undefined) {
    throw new CheckpointError(`the ONNX initializer '${name}' keeps its values outside the .onnx file, in '${init.external}' (external data); Layer Lens reads only what is inside the model file`);
  }
  if (init.segmented) throw new CheckpointError(`the ONNX initializer '${name}' is split into segments, which Layer Lens does not read`);
  const element = DATA_TYPES.get(init.dataType)?.element;
  if (element === undefined) {
    throw new CheckpointError(`the ONNX initializer '${name}' holds ${dtype} values, which have no real number to show`);
  }
  const where = `the ONNX initializer '${name}'`;
  const count = elementCount(shape, where);
  if (init.raw !== undefined) {
    const size = ELEMENT_SIZE[element];
    if (init.raw.byteLength !== count * size) {
      throw new CheckpointError(`the ONNX initializer '${name}' (at byte ${init.offset}) has ${init.raw.byteLength} bytes of raw_data but its shape ${shape.join('×')} of ${dtype} needs ${count * size}`);
    }
    checkReadable(count, where);
    // raw_data: little-endian, row-major, whatever the machine.
    return { shape: [...shape], data: decodeElements(init.raw, element, count) };
  }
  if (init.typed.length !== count) {
    throw new CheckpointError(`the ONNX initializer '${name}' (at byte ${init.offset}) has ${init.typed.length} values but its shape ${shape.join('×')} needs ${count}`);
  }
  checkReadable(count, where);
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const v = init.typed[i] as number;
    // FLOAT16 and BFLOAT16 travel as their bit patterns in int32_data.
    data[i] = element === 'f16' ? halfToNumber(v) : element === 'bf16' ? bfloat16ToNumber(v) : v;
  }
  return { shape: [...shape], data };
}

// ---------------------------------------------------------------------------------------------
// Layers.

/** Element-wise ops between a convolution and its DepthToSpace that keep each channel's values in place. */
const CHANNEL_PRESERVING = new Set(['Identity', 'Relu', 'LeakyRelu', 'PRelu', 'Elu', 'Selu', 'Tanh', 'Sigmoid', 'Clip', 'HardSigmoid', 'Softplus', 'Cast']);

/** A `ConvTranspose` node's op by its weight's rank (`[C_in, C_out/group, …kernel]`). */
const TRANSPOSED_BY_RANK: Readonly<Record<number, CheckpointLayer['op']>> = { 3: 'convTranspose1d', 4: 'convTranspose2d', 5: 'convTranspose3d' };

function layersOf(nodes: readonly GraphNode[], initializers: ReadonlyMap<string, Initializer>): CheckpointLayer[] {
  const producer = new Map<string, GraphNode>();
  const consumers = new Map<string, GraphNode[]>();
  for (const node of nodes) {
    for (const output of node.outputs) producer.set(output, node);
    for (const input of node.inputs) consumers.set(input, [...(consumers.get(input) ?? []), node]);
  }
  /** The initializer behind a node input, through `Identity` nodes (torch exports shared weights so). */
  const initializerOf = (input: string | undefined): Initializer | undefined => {
    for (let name = input, hops = 0; name !== undefined && name !== '' && hops < 16; hops++) {
      const init = initializers.get(name);
      if (init !== undefined) return init;
      const node = producer.get(name);
      name = node?.opType === 'Identity' ? node.inputs[0] : undefined;
    }
    return undefined;
  };
  const layers: CheckpointLayer[] = [];
  for (const node of nodes) {
    if ((node.opType !== 'Conv' && node.opType !== 'ConvTranspose') || (node.domain !== '' && node.domain !== 'ai.onnx')) continue;
    const weight = initializerOf(node.inputs[1]);
    // Transposed convolutions of 1, 2 or 3 spatial axes and 2-D convolutions (a sub-pixel layer's), whose
    // weights the file holds; a weight computed at run time has nothing to audit.
    const rank = weight?.info.shape.length ?? 0;
    const op = node.opType === 'ConvTranspose' ? TRANSPOSED_BY_RANK[rank] : rank === 4 ? 'conv2d' : undefined;
    if (weight === undefined || op === undefined) continue;
    const bias = initializerOf(node.inputs[2]);
    const perAxis = (key: string): number[] => {
      const values = node.attributes.get(key)?.ints ?? [];
      return Array.from({ length: rank - 2 }, (_, a) => values[a] ?? 1);
    };
    const layer: { -readonly [K in keyof CheckpointLayer]: CheckpointLayer[K] } = {
      name: weight.info.name.replace(/\.weight$/, ''),
      op,
      weight: weight.info.name,
      weightLayout: 'torch',
      stride: perAxis('strides'),
      dilation: perAxis('dilations'),
      groups: node.attributes.get('group')?.i ?? 1,
    };
    if (bias !== undefined) layer.bias = bias.info.name;
    if (node.opType === 'Conv') {
      const shuffle = depthToSpaceAfter(node, consumers, (input) => initializerOf(input) ?? producer.get(input ?? '')?.attributes.get('value')?.t);
      const channels = weight.info.shape[0] ?? 0;
      if (shuffle !== undefined && shuffle.mode === 'CRD' && channels % (shuffle.blocksize * shuffle.blocksize) === 0) {
        layer.pixelShuffle = shuffle.blocksize;
      } else if (shuffle !== undefined && shuffle.mode !== 'CRD') {
        layer.note = `its output feeds DepthToSpace in ${shuffle.mode} mode, which orders the channels depth-first (TensorFlow's depth_to_space), not as PyTorch's PixelShuffle (CRD mode): audited as a plain convolution`;
      }
    }
    layers.push(layer);
  }
  return layers;
}

/**
 * PixelShuffle as torch exports it before opset 11: `Reshape` to `[N, C, r, r, H, W]`, `Transpose`
 * with perm `[0, 1, 4, 2, 5, 3]`, `Reshape` back; the same channel order as DepthToSpace in CRD mode.
 */
function pixelShuffleBeforeOpset11(reshape: GraphNode, transpose: GraphNode | undefined, constant: (input: string | undefined) => Initializer | undefined): { blocksize: number; mode: string } | undefined {
  const perm = transpose?.opType === 'Transpose' ? transpose.attributes.get('perm')?.ints : undefined;
  if (perm?.join(',') !== '0,1,4,2,5,3') return undefined;
  const shape = constant(reshape.inputs[1]);
  if (shape === undefined || shape.info.shape.join(',') !== '6') return undefined;
  try {
    const [, , r, s] = tensorValues(shape).data;
    return r !== undefined && r === s && Number.isInteger(r) && r > 0 ? { blocksize: r, mode: 'CRD' } : undefined;
  } catch {
    return undefined; // a shape the file does not hold in itself
  }
}

/** The `DepthToSpace` a convolution's output reaches, alone and through channel-preserving element-wise ops. */
function depthToSpaceAfter(
  conv: GraphNode,
  consumers: ReadonlyMap<string, GraphNode[]>,
  constant: (input: string | undefined) => Initializer | undefined,
): { blocksize: number; mode: string } | undefined {
  const only = (value: string | undefined): GraphNode | undefined => {
    const next = value === undefined ? undefined : consumers.get(value);
    return next?.length === 1 ? next[0] : undefined;
  };
  let value = conv.outputs[0];
  for (let hops = 0; value !== undefined && hops < 8; hops++) {
    const node = only(value);
    if (node === undefined) return undefined;
    if (node.opType === 'DepthToSpace') {
      return { blocksize: node.attributes.get('blocksize')?.i ?? 0, mode: node.attributes.get('mode')?.s ?? 'DCR' };
    }
    if (node.opType === 'Reshape') return pixelShuffleBeforeOpset11(node, only(node.outputs[0]), constant);
    if (!CHANNEL_PRESERVING.has(node.opType)) return undefined;
    value = node.outputs[0];
  }
  return undefined;
}
