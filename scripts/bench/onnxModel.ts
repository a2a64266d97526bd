/**
 * A one-node ONNX model (a ConvTranspose) encoded by hand as protobuf bytes, so the benchmark can
 * hand onnxruntime a model built in memory. The only npm package that encodes ONNX (onnx-proto)
 * brings protobufjs and the whole schema for the dozen fields used here.
 *
 * Field numbers are those of onnx/onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto,
 * ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto).
 */

/** ONNX TensorProto.DataType values for the two element types the benchmark uses. */
export const onnxElementType = { float32: 1, float64: 11 } as const;
export type OnnxDtype = keyof typeof onnxElementType;

export interface ConvTransposeModel {
  readonly dtype: OnnxDtype;
  /** NCHW, or NCDHW for a 3-D layer. */
  readonly inputShape: readonly number[];
  /** [C_in, C_out, kH, kW] (or [C_in, C_out, kD, kH, kW]), PyTorch's (and ONNX's) layout for transposed convolution. */
  readonly weightShape: readonly number[];
  readonly stride: number;
  readonly padding: number;
  readonly outputPadding: number;
}

/** The graph's value names: feed `input` and `weight`, fetch `output`. */
export const valueNames = { input: 'x', weight: 'w', output: 'y' } as const;

const wire = { varint: 0, lengthDelimited: 2 } as const;
const attributeTypeInts = 7;
const irVersion = 8;
const opsetVersion = 17;

/** Appends protobuf fields to a growing byte list; nested messages are encoded first and added as bytes. */
class MessageWriter {
  private readonly bytes: number[] = [];

  private varint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`cannot encode ${value} as a non-negative varint`);
    let rest = value;
    while (rest >= 0x80) {
      this.bytes.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.bytes.push(rest);
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  int(field: number, value: number): this {
    this.tag(field, wire.varint);
    this.varint(value);
    return this;
  }

  /** A repeated integer field, written unpacked as onnx.proto (proto2, no [packed]) declares it. */
  ints(field: number, values: readonly number[]): this {
    for (const value of values) this.int(field, value);
    return this;
  }

  bytesField(field: number, value: Uint8Array): this {
    this.tag(field, wire.lengthDelimited);
    this.varint(value.length);
    for (const byte of value) this.bytes.push(byte);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytesField(field, new TextEncoder().encode(value));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

function intsAttribute(name: string, values: readonly number[]): Uint8Array {
  return new MessageWriter().string(1, name).int(20, attributeTypeInts).ints(8, values).finish();
}

/** A ValueInfoProto for a tensor; `shape` undefined leaves the shape to onnxruntime's inference. */
function tensorValueInfo(name: string, dtype: OnnxDtype, shape?: readonly number[]): Uint8Array {
  const tensorType = new MessageWriter().int(1, onnxElementType[dtype]);
  if (shape) {
    const shapeProto = new MessageWriter();
    for (const size of shape) shapeProto.bytesField(1, new MessageWriter().int(1, size).finish());
    tensorType.bytesField(2, shapeProto.finish());
  }
  const type = new MessageWriter().bytesField(1, tensorType.finish()).finish();
  return new MessageWriter().string(1, name).bytesField(2, type).finish();
}

/**
 * The model bytes: y = ConvTranspose(x, w) with PyTorch's stride, padding and output_padding on
 * every spatial axis (two, or three for a volume). The weight is a graph input rather than an initializer, so onnxruntime receives it
 * with every call as the other libraries do, instead of pre-packing it once when the session loads.
 */
export function convTransposeModel(model: ConvTransposeModel): Uint8Array {
  const kernel = model.weightShape.slice(2);
  const axes = model.inputShape.length - 2;
  if ((axes !== 2 && axes !== 3) || kernel.length !== axes) throw new RangeError('ConvTranspose needs 4-d or 5-d input and weight shapes of the same rank');
  const each = (value: number): number[] => new Array<number>(axes).fill(value);
  const node = new MessageWriter()
    .string(1, valueNames.input)
    .string(1, valueNames.weight)
    .string(2, valueNames.output)
    .string(3, 'conv_transpose')
    .string(4, 'ConvTranspose')
    .bytesField(5, intsAttribute('kernel_shape', kernel))
    .bytesField(5, intsAttribute('strides', each(model.stride)))
    // ONNX pads are every axis's start, then every axis's end; PyTorch's padding crops the same amount on each side.
    .bytesField(5, intsAttribute('pads', each(model.padding).concat(each(model.padding))))
    .bytesField(5, intsAttribute('output_padding', each(model.outputPadding)))
    .finish();
  const graph = new MessageWriter()
    .bytesField(1, node)
    .string(2, 'layer_lens_bench')
    .bytesField(11, tensorValueInfo(valueNames.input, model.dtype, model.inputShape))
    .bytesField(11, tensorValueInfo(valueNames.weight, model.dtype, model.weightShape))
    .bytesField(12, tensorValueInfo(valueNames.output, model.dtype))
    .finish();
  const opset = new MessageWriter().int(2, opsetVersion).finish();
  return new MessageWriter().int(1, irVersion).string(2, 'layer-lens-bench').bytesField(7, graph).bytesField(8, opset).finish();
}
