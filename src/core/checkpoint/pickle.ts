/**
 * A restricted reader of Python pickles, for what `torch.save` writes: it follows the opcodes to
 * build dicts, lists, tuples, strings, numbers and bytes, and knows exactly the few globals a state
 * dict needs, never by calling them: `collections.OrderedDict`, torch's tensor and parameter
 * rebuilders (`torch._utils._rebuild_tensor_v2`, `_rebuild_tensor`, `_rebuild_parameter`), the
 * storage classes named in persistent ids (`('storage', torch.FloatStorage, key, location, numel)`),
 * and the few plain-value builders listed in {@link CALLABLES}.
 * Any other global (`os.system`, `builtins.eval`, `posix.system`, a model class) is refused by its
 * name at the opcode that names it, before anything could use it; nothing the file names is ever run.
 */
import { ELEMENT_SIZE, latin1, utf8, type ElementType } from './elements';
import { CheckpointError } from './types';

/** A storage a persistent id names: its key (the zip entry `data/<key>` or the legacy storage's key) and element type. */
export interface StorageRef {
  readonly kind: 'storage';
  readonly key: string;
  readonly type: ElementType;
  readonly dtype: string;
  readonly numel: number;
}

/** A tensor as torch rebuilds it: a view of a storage. */
export interface TensorRef {
  readonly kind: 'tensor';
  readonly storage: StorageRef;
  readonly offset: number;
  readonly shape: number[];
  readonly strides: number[];
}

/** A global the reader knows, kept as a marker (never resolved to anything callable). */
interface GlobalRef {
  readonly kind: 'global';
  readonly name: string;
}

export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

export class PyDict {
  readonly entries = new Map<string | number | boolean | null, PyValue>();
}

export type PyValue = null | boolean | number | bigint | string | Uint8Array | PyValue[] | PyTuple | PyDict | TensorRef | StorageRef | GlobalRef;

/** torch's storage classes, by name, with the element type each holds. */
const STORAGES: Readonly<Record<string, { type: ElementType; dtype: string }>> = {
  DoubleStorage: { type: 'f64', dtype: 'float64' },
  FloatStorage: { type: 'f32', dtype: 'float32' },
  HalfStorage: { type: 'f16', dtype: 'float16' },
  BFloat16Storage: { type: 'bf16', dtype: 'bfloat16' },
  LongStorage: { type: 'i64', dtype: 'int64' },
  IntStorage: { type: 'i32', dtype: 'int32' },
  ShortStorage: { type: 'i16', dtype: 'int16' },
  CharStorage: { type: 'i8', dtype: 'int8' },
  ByteStorage: { type: 'u8', dtype: 'uint8' },
  BoolStorage: { type: 'bool', dtype: 'bool' },
};

/**
 * The globals a checkpoint may name, each read by {@link reduce} into a tensor or a plain value
 * (the same list PyTorch's own `weights_only` loader allows, less what a state dict never holds):
 * torch's rebuilders, `OrderedDict`, and `torch.Size`, `set`, `torch.device` and `_codecs.encode`
 * (how protocol 2 writes `bytes`), which become a tuple, a list, a string and bytes.
 */
const CALLABLES = new Set([
  'collections.OrderedDict', 'torch._utils._rebuild_tensor_v2', 'torch._utils._rebuild_tensor', 'torch._utils._rebuild_parameter',
  'torch._utils._rebuild_parameter_with_state', 'torch._tensor._rebuild_from_type_v2', 'torch.Size', 'builtins.set', '__builtin__.set',
  'torch.device', '_codecs.encode',
]);
/** Classes named only as the type a tensor is rebuilt as (`_rebuild_from_type_v2`'s second argument); never called. */
const TENSOR_TYPES = new Set(['torch.Tensor', 'torch.nn.parameter.Parameter']);

/** Where a pickle's bytes come from: `take(n)` returns the next `n` bytes or throws at the end. */
export interface PickleInput {
  readonly position: number;
  take(length: number): Uint8Array;
  byte(): number;
}

/** A pickle held in memory, as a {@link PickleInput} starting at `start`. */
export function bytesInput(bytes: Uint8Array, what: string, start = 0): PickleInput {
  let position = start;
  return {
    get position() {
      return position;
    },
    take(length) {
      if (position + length > bytes.length) throw new CheckpointError(`${what} ends inside a pickle (at byte ${bytes.length}, ${position + length - bytes.length} bytes short): the file is truncated`);
      const out = bytes.subarray(position, position + length);
      position += length;
      return out;
    },
    byte() {
      return this.take(1)[0] as number;
    },
  };
}

const MARK = Symbol('mark');
type Slot = PyValue | typeof MARK;

/**
 * Reads one pickle from `input` (to its STOP), building only the values described above.
 * `what` names the pickle in messages (`data.pkl`); every storage a persistent id names is also put
 * in `storages`, by key, when given.
 */
export function readPickle(input: PickleInput, what: string, storages?: Map<string, StorageRef>): PyValue {
  const stack: Slot[] = [];
  const memo = new Map<number, PyValue>();
  const pop = (): PyValue => {
    const value = stack.pop();
    if (value === undefined || value === MARK) throw bad('pops an empty stack');
    return value;
  };
  const top = (): PyValue => {
    const value = stack[stack.length - 1];
    if (value === undefined || value === MARK) throw bad('reads an empty stack');
    return value;
  };
  const popToMark = (): PyValue[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) throw bad('has no MARK to return to');
    const items = stack.splice(at) as Slot[];
    return items.slice(1) as PyValue[];
  };
  let opAt = 0;
  const bad = (problem: string) => new CheckpointError(`${what}: the pickle ${problem} (opcode at byte ${opAt})`);
  const u32 = () => {
    const b = input.take(4);
    return (b[0] as number) + ((b[1] as number) << 8) + ((b[2] as number) << 16) + (b[3] as number) * 0x1000000;
  };
  const line = () => {
    const chars: number[] = [];
    for (let c = input.byte(); c !== 0x0a; c = input.byte()) {
      chars.push(c);
      if (chars.length > 1 << 20) throw bad('has a text line longer than a megabyte');
    }
    return latin1(Uint8Array.from(chars));
  };
  const global = (module: string, name: string): PyValue => {
    const full = `${module}.${name}`;
    if (module === 'torch' && name in STORAGES) return { kind: 'global', name: full };
    if (CALLABLES.has(full) || TENSOR_TYPES.has(full)) return { kind: 'global', name: full };
    throw new CheckpointError(
      `${what} refers to the Python global ${full} (at byte ${opAt}). Layer Lens reads only tensors, storages, dicts, lists, tuples and plain values, and never runs anything a file names: this file is refused. If you trust it, load it in Python and save its state_dict() instead.`,
    );
  };
  for (;;) {
    opAt = input.position;
    const op = input.byte();
    switch (op) {
      case 0x80: // PROTO
        input.byte();
        break;
      case 0x95: // FRAME
        input.take(8);
        break;
      case 0x2e: // STOP
        return pop();
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new PyDict());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push(new PyTuple([]));
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4a: {
        // BININT
        const b = input.take(4);
        stack.push(new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true));
        break;
      }
      case 0x4b: // BININT1
        stack.push(input.byte());
        break;
      case 0x4d: {
        // BININT2
        const b = input.take(2);
        stack.push((b[0] as number) | ((b[1] as number) << 8));
        break;
      }
      case 0x8a: // LONG1
        stack.push(longOf(input.take(input.byte())));
        break;
      case 0x8b: {
        // LONG4
        const n = u32();
        if (n > 1024) throw bad(`has an integer of ${n} bytes`);
        stack.push(longOf(input.take(n)));
        break;
      }
      case 0x49: {
        // INT: a decimal line, 01 / 00 for True / False
        const text = line();
        stack.push(text === '01' ? true : text === '00' ? false : Number(text));
        break;
      }
      case 0x4c: // LONG: decimal with a trailing L
        stack.push(Number(line().replace(/L$/, '')));
        break;
      case 0x46: // FLOAT
        stack.push(Number(line()));
        break;
      case 0x47: {
        // BINFLOAT: big-endian float64
        const b = input.take(8);
        stack.push(new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, false));
        break;
      }
      case 0x58: // BINUNICODE
        stack.push(utf8(input.take(u32())));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(utf8(input.take(input.byte())));
        break;
      case 0x8d: {
        // BINUNICODE8
        const low = u32();
        if (u32() !== 0) throw bad('has a string longer than any file');
        stack.push(utf8(input.take(low)));
        break;
      }
      case 0x54: // BINSTRING
        stack.push(latin1(input.take(u32())));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(latin1(input.take(input.byte())));
        break;
      case 0x56: // UNICODE (raw-unicode-escape line; plain text in practice)
        stack.push(line());
        break;
      case 0x53: // STRING (quoted repr line)
        stack.push(line().replace(/^(['"])(.*)\1$/, '$2'));
        break;
      case 0x42: // BINBYTES
        stack.push(input.take(u32()).slice());
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(input.take(input.byte()).slice());
        break;
      case 0x74: // TUPLE
        stack.push(new PyTuple(popToMark()));
        break;
      case 0x85: // TUPLE1
        stack.push(new PyTuple([pop()]));
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push(new PyTuple([pop(), b]));
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push(new PyTuple([pop(), b, c]));
        break;
      }
      case 0x6c: // LIST
        stack.push(popToMark());
        break;
      case 0x64: {
        // DICT
        const items = popToMark();
        const dict = new PyDict();
        for (let k = 0; k + 1 < items.length; k += 2) dict.entries.set(keyOf(items[k] as PyValue, bad), items[k + 1] as PyValue);
        stack.push(dict);
        break;
      }
      case 0x61: {
        // APPEND
        const value = pop();
        listOf(top(), bad).push(value);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popToMark();
        for (const item of items) listOf(top(), bad).push(item);
        break;
      }
      case 0x73: {
        // SETITEM
        const value = pop();
        const key = pop();
        dictOf(top(), bad).entries.set(keyOf(key, bad), value);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popToMark();
        const dict = dictOf(top(), bad);
        for (let k = 0; k + 1 < items.length; k += 2) dict.entries.set(keyOf(items[k] as PyValue, bad), items[k + 1] as PyValue);
        break;
      }
      case 0x30: // POP
        stack.pop();
        break;
      case 0x31: // POP_MARK
        popToMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      case 0x71: // BINPUT
        memo.set(input.byte(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x70: // PUT
        memo.set(Number(line()), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: // LONG_BINGET
      case 0x67: {
        // GET
        const index = op === 0x68 ? input.byte() : op === 0x6a ? u32() : Number(line());
        if (!memo.has(index)) throw bad(`refers to memo ${index}, never stored`);
        stack.push(memo.get(index) as PyValue);
        break;
      }
      case 0x63: {
        // GLOBAL: "module\nname\n"
        const module = line();
        stack.push(global(module, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw bad('names a global with values that are not strings');
        stack.push(global(module, name));
        break;
      }
      case 0x52: {
        // REDUCE: callable(*args), for the known callables only
        const args = pop();
        const callable = pop();
        stack.push(reduce(callable, args, bad));
        break;
      }
      case 0x81: // NEWOBJ
      case 0x92: {
        // NEWOBJ_EX
        if (op === 0x92) pop();
        pop();
        const cls = pop();
        throw bad(`builds an object of ${isGlobal(cls) ? cls.name : 'a class it names'}, which a state dict never holds`);
      }
      case 0x62: // BUILD: sets an object's state (an OrderedDict's `_metadata`); the state is not needed
        pop();
        top();
        break;
      case 0x51: {
        // BINPERSID
        const storage = persistent(pop(), bad);
        storages?.set(storage.key, storage);
        stack.push(storage);
        break;
      }
      case 0x50: // PERSID (text ids are not torch's)
        throw bad('uses a text persistent id, which torch never writes');
      case 0x8f: // EMPTY_SET
        stack.push([]);
        break;
      case 0x90: {
        // ADDITEMS
        const items = popToMark();
        for (const item of items) listOf(top(), bad).push(item);
        break;
      }
      case 0x91: // FROZENSET
        stack.push(popToMark());
        break;
      case 0x69: // INST: module, name, then a call
      case 0x6f: // OBJ
      case 0x82: // EXT1
      case 0x83: // EXT2
      case 0x84: // EXT4
        throw bad(`uses opcode 0x${op.toString(16)}, which builds objects of classes a state dict never holds`);
      default:
        throw bad(`has an unknown opcode 0x${op.toString(16)}: the file is damaged or not a pickle`);
    }
  }
}

function reduce(callable: PyValue, args: PyValue, bad: (problem: string) => CheckpointError): PyValue {
  if (!isGlobal(callable)) throw bad('calls something that is not a global');
  const items = args instanceof PyTuple ? args.items : [];
  switch (callable.name) {
    case 'collections.OrderedDict': {
      const dict = new PyDict();
      const pairs = items[0];
      if (Array.isArray(pairs)) {
        for (const pair of pairs) {
          const kv = pair instanceof PyTuple ? pair.items : Array.isArray(pair) ? pair : [];
          if (kv.length === 2) dict.entries.set(keyOf(kv[0] as PyValue, bad), kv[1] as PyValue);
        }
      }
      return dict;
    }
    case 'torch._utils._rebuild_tensor':
    case 'torch._utils._rebuild_tensor_v2': {
      const [storage, offset, size, stride] = items;
      if (!isStorage(storage)) throw bad(`rebuilds a tensor from ${describe(storage)}, not a storage`);
      const shape = intsOf(size, 'size', bad);
      const strides = intsOf(stride, 'stride', bad);
      if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) throw bad('rebuilds a tensor at a storage offset that is not a whole number');
      if (shape.length !== strides.length) throw bad(`rebuilds a tensor of ${shape.length} axes with ${strides.length} strides`);
      return { kind: 'tensor', storage, offset, shape, strides };
    }
    case 'torch._utils._rebuild_parameter':
    case 'torch._utils._rebuild_parameter_with_state': {
      const data = items[0];
      if (!isTensor(data)) throw bad('rebuilds a parameter from something that is not a tensor');
      return data;
    }
    case 'torch._tensor._rebuild_from_type_v2': {
      // (func, type, args, state): the tensor func builds from args; the type and the state (attributes) are not needed.
      const [func, type, inner] = items;
      if (!isGlobal(type) || !TENSOR_TYPES.has(type.name)) throw bad(`rebuilds a tensor as ${describe(type)}, not as a torch.Tensor or Parameter`);
      const tensor = reduce(func as PyValue, inner as PyValue, bad);
      if (!isTensor(tensor)) throw bad('rebuilds something that is not a tensor from a tensor type');
      return tensor;
    }
    case 'torch.Size':
      return new PyTuple(items[0] instanceof PyTuple ? items[0].items : []);
    case 'builtins.set':
    case '__builtin__.set':
      return Array.isArray(items[0]) ? [...items[0]] : [];
    case 'torch.device':
      return items.map(String).join(':');
    case '_codecs.encode':
      return typeof items[0] === 'string' ? Uint8Array.from(items[0], (c) => c.charCodeAt(0) & 0xff) : new Uint8Array(0);
    default:
      throw bad(`calls ${callable.name}, which builds no tensor`);
  }
}

/** `('storage', torch.FloatStorage, key, location, numel[, view])`. */
function persistent(pid: PyValue, bad: (problem: string) => CheckpointError): StorageRef {
  const items = pid instanceof PyTuple ? pid.items : [];
  const [tag, cls, key, , numel] = items;
  if (tag !== 'storage' || !isGlobal(cls) || (typeof key !== 'string' && typeof key !== 'number') || typeof numel !== 'number') {
    throw bad(`has a persistent id that is not a torch storage: ${describe(pid)}`);
  }
  const storage = STORAGES[cls.name.slice('torch.'.length)];
  if (!storage) throw bad(`names ${cls.name} as a storage class`);
  if (!Number.isSafeInteger(numel) || numel < 0 || numel * ELEMENT_SIZE[storage.type] > Number.MAX_SAFE_INTEGER) throw bad(`declares a storage of ${numel} elements`);
  return { kind: 'storage', key: String(key), type: storage.type, dtype: storage.dtype, numel };
}

function longOf(bytes: Uint8Array): number {
  // Little-endian two's complement.
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] as number);
  if (bytes.length > 0 && ((bytes[bytes.length - 1] as number) & 0x80) !== 0) value -= 1n << BigInt(bytes.length * 8);
  return Number(value);
}

function keyOf(key: PyValue | undefined, bad: (problem: string) => CheckpointError): string | number | boolean | null {
  if (typeof key === 'string' || typeof key === 'number' || typeof key === 'boolean' || key === null) return key;
  if (key instanceof PyTuple) return key.items.map(String).join(',');
  throw bad('uses a dict key that is not a plain value');
}

function listOf(value: PyValue, bad: (problem: string) => CheckpointError): PyValue[] {
  if (!Array.isArray(value)) throw bad('appends to something that is not a list');
  return value;
}

function dictOf(value: PyValue, bad: (problem: string) => CheckpointError): PyDict {
  if (!(value instanceof PyDict)) throw bad('sets an item of something that is not a dict');
  return value;
}

function intsOf(value: PyValue | undefined, what: string, bad: (problem: string) => CheckpointError): number[] {
  const items = value instanceof PyTuple ? value.items : Array.isArray(value) ? value : undefined;
  if (!items || !items.every((v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0)) throw bad(`rebuilds a tensor whose ${what} is not a tuple of whole numbers`);
  return items as number[];
}

function isGlobal(value: PyValue | undefined): value is GlobalRef {
  return typeof value === 'object' && value !== null && !(value instanceof Uint8Array) && !Array.isArray(value) && 'kind' in value && value.kind === 'global';
}

function isStorage(value: PyValue | undefined): value is StorageRef {
  return typeof value === 'object' && value !== null && !(value instanceof Uint8Array) && !Array.isArray(value) && 'kind' in value && value.kind === 'storage';
}

export function isTensor(value: PyValue | undefined): value is TensorRef {
  return typeof value === 'object' && value !== null && !(value instanceof Uint8Array) && !Array.isArray(value) && 'kind' in value && value.kind === 'tensor';
}

function describe(value: PyValue | undefined): string {
  if (value instanceof PyTuple) return `(${value.items.map(describe).join(', ')})`;
  if (typeof value === 'string') return `'${value.slice(0, 40)}'`;
  if (isGlobal(value)) return value.name;
  return typeof value === 'object' ? (Array.isArray(value) ? 'a list' : 'an object') : String(value);
}
