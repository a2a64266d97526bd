/**
 * Keras models: `.h5` (Keras 2's `model.save`: HDF5 with the model config as JSON in the root's
 * `model_config` attribute and the weights under `model_weights/<layer>`, named by each layer
 * group's `weight_names` attribute) and `.keras` (Keras 3: a zip of `config.json` and
 * `model.weights.h5`, whose weights sit at `layers/<layer>/vars/<i>`). A weights-only file
 * (`save_weights`) is listed too, without layers: it carries no hyperparameters.
 *
 * HDF5 is read by jsfive (pure JavaScript, read-only, so it runs in the web extension too) and the
 * zip by fflate. Nothing in the file is executed: the config is JSON, read as data.
 */
import { strFromU8, unzipSync } from 'fflate';
import { type AttributeValue, Dataset, File, Group } from 'jsfive';
import { checkReadable, elementCount } from './elements';
import { type ByteSource, type Checkpoint, type CheckpointLayer, type CheckpointTensor, type CheckpointTensorInfo, CheckpointError } from './types';

/** Largest config.json / model.weights.h5 a `.keras` zip may expand to, and its largest ratio to the compressed size (a zip bomb is refused before inflating). */
const MAX_ENTRY_BYTES = 2 ** 31 - 1;
const MAX_EXPANSION = 1000;

interface KerasTensor {
  readonly info: CheckpointTensorInfo;
  /** jsfive reads a dataset's values only when `value` is asked for. */
  readonly dataset: Dataset;
}

interface LayerConfig {
  readonly className: string;
  readonly config: Record<string, unknown>;
}

export function readKeras(source: ByteSource, fileName: string): Checkpoint {
  const bytes = source.read(0, source.byteLength);
  try {
    return bytes[0] === 0x50 && bytes[1] === 0x4b ? readKeras3(bytes, fileName) : readHdf5Model(bytes, fileName);
  } catch (error) {
    // jsfive reads the HDF5 structures as it is asked for them: a damaged file fails wherever it is read first.
    throw hdf5Error(fileName, error);
  }
}

// ---------------------------------------------------------------------------------------------
// Containers.

function readKeras3(bytes: Uint8Array, fileName: string): Checkpoint {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter(file) {
        if (file.name !== 'config.json' && file.name !== 'model.weights.h5') return false;
        if (file.originalSize > MAX_ENTRY_BYTES || file.originalSize > Math.max(1 << 20, file.size * MAX_EXPANSION)) {
          throw new CheckpointError(`${fileName}: the zip entry '${file.name}' claims to expand from ${file.size} to ${file.originalSize} bytes; refused as a zip bomb`);
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof CheckpointError) throw error;
    throw new CheckpointError(`${fileName} is not a readable .keras zip: ${error instanceof Error ? error.message : String(error)}`);
  }
  const weights = entries['model.weights.h5'];
  if (weights === undefined) throw new CheckpointError(`${fileName} has no model.weights.h5 inside (a Keras 3 .keras file is a zip of config.json and model.weights.h5)`);
  const configBytes = entries['config.json'];
  const config = configBytes === undefined ? undefined : parseConfig(strFromU8(configBytes), `${fileName}: config.json`);
  const file = openHdf5(weights, `${fileName}: model.weights.h5`);
  const tensors = inConfigOrder(keras3Tensors(file, `${fileName}: model.weights.h5`), config);
  const layers = config === undefined ? undefined : keras3Layers(config, tensors);
  return checkpoint(tensors, layers, fileName);
}

function readHdf5Model(bytes: Uint8Array, fileName: string): Checkpoint {
  const file = openHdf5(bytes, fileName);
  const modelWeights = file.keys.includes('model_weights') ? file.get('model_weights') : file;
  if (modelWeights instanceof Group && modelWeights.attrs['layer_names'] !== undefined) {
    const tensors = keras2Tensors(modelWeights, fileName);
    const configText = file.attrs['model_config'];
    const config = typeof configText === 'string' ? parseConfig(configText, `${fileName}: model_config`) : undefined;
    return checkpoint(tensors, config === undefined ? undefined : keras2Layers(config, tensors), fileName);
  }
  if (file.keys.includes('layers')) return checkpoint(keras3Tensors(file, fileName), undefined, fileName);
  throw new CheckpointError(`${fileName} is an HDF5 file but not a Keras model: it has neither a model_weights group nor a layer_names attribute (Keras 2) nor a layers group (Keras 3 weights)`);
}

function openHdf5(bytes: Uint8Array, where: string): File {
  const signature = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((b, i) => bytes[i] === b)) {
    throw new CheckpointError(`${where} is not an HDF5 file: it does not start with HDF5's signature \\x89HDF\\r\\n\\x1a\\n`);
  }
  try {
    // jsfive reads an ArrayBuffer of exactly the file: the bytes' own when they are all of it, else a copy.
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
    return new File(whole ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer, where);
  } catch (error) {
    throw hdf5Error(where, error);
  }
}

function hdf5Error(where: string, error: unknown): CheckpointError {
  if (error instanceof CheckpointError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new CheckpointError(`${where}: the HDF5 file is cut short, damaged or uses a feature the reader does not know (${detail})`);
}

// ---------------------------------------------------------------------------------------------
// Tensors.

/** Keras 2: `layer_names` on the weights group, `weight_names` on each layer's group, datasets at `<layer>/<weight name>`. */
function keras2Tensors(weights: Group, where: string): KerasTensor[] {
  const tensors: KerasTensor[] = [];
  const seen = new Set<string>();
  for (const layerName of strings(weights.attrs['layer_names'])) {
    const group = weights.get(layerName);
    if (!(group instanceof Group)) throw new CheckpointError(`${where}: layer_names lists '${layerName}' but model_weights has no such group`);
    for (const weightName of strings(group.attrs['weight_names'])) {
      const name = seen.has(weightName) ? `${layerName}/${weightName}` : weightName;
      seen.add(name);
      tensors.push(tensorAt(group, weightName, name, `${where}: ${layerName}/${weightName}`));
    }
  }
  return tensors;
}

/** Keras 3: every `vars` group's datasets `0, 1, …`, depth first, named by their path. */
function keras3Tensors(root: Group, where: string): KerasTensor[] {
  const tensors: KerasTensor[] = [];
  const walk = (group: Group, path: string, depth: number): void => {
    if (depth > 32) throw new CheckpointError(`${where}: groups nested deeper than 32 levels at '${path}'`);
    for (const key of group.keys) {
      if (path === '' && key === 'optimizer') continue; // the optimizer's slots are not the model's weights
      const child = group.get(key);
      const childPath = path === '' ? key : `${path}/${key}`;
      if (key === 'vars' && child instanceof Group) {
        const indices = child.keys.filter((k) => /^\d+$/.test(k)).sort((a, b) => Number(a) - Number(b));
        for (const index of indices) tensors.push(tensorAt(child, index, `${childPath}/${index}`, `${where}: ${childPath}/${index}`));
      } else if (child instanceof Group) walk(child, childPath, depth + 1);
    }
  };
  try {
    walk(root, '', 0);
  } catch (error) {
    throw hdf5Error(where, error);
  }
  return tensors;
}

/**
 * HDF5 lists a group's members by name (h5py tracks no creation order), so Keras 3's weights come
 * back alphabetically; the config gives the model's own order.
 */
function inConfigOrder(tensors: KerasTensor[], config: unknown): KerasTensor[] {
  const order = new Map(layerConfigs(config).map(({ config: layer }, i) => [layer['name'], i]));
  const rank = (t: KerasTensor): number => order.get(/([^/]+)\/vars\/\d+$/.exec(t.info.name)?.[1]) ?? order.size;
  return tensors.map((t, i) => ({ t, i })).sort((a, b) => rank(a.t) - rank(b.t) || a.i - b.i).map(({ t }) => t);
}

function tensorAt(group: Group, path: string, name: string, where: string): KerasTensor {
  let dataset: Group | Dataset | null;
  try {
    dataset = group.get(path);
  } catch (error) {
    throw hdf5Error(where, error);
  }
  if (!(dataset instanceof Dataset)) throw new CheckpointError(`${where}: the weight is named but the file has no dataset there`);
  return { info: { name, shape: [...dataset.shape], dtype: dtypeName(dataset.dtype) }, dataset };
}

/** numpy's dtype strings in Keras's words (`<f4` → `float32`). */
function dtypeName(dtype: string | object): string {
  if (typeof dtype !== 'string') return 'compound';
  const match = /^[<>|=]?([fiu])(\d+)$/.exec(dtype);
  if (match === null) return dtype;
  const kind = match[1] === 'f' ? 'float' : match[1] === 'i' ? 'int' : 'uint';
  return `${kind}${Number(match[2]) * 8}`;
}

function checkpoint(tensors: readonly KerasTensor[], layers: CheckpointLayer[] | undefined, fileName: string): Checkpoint {
  const byName = new Map(tensors.map((t) => [t.info.name, t]));
  const result: { -readonly [K in keyof Checkpoint]: Checkpoint[K] } = {
    format: 'keras',
    tensors: tensors.map((t) => t.info),
    tensor(name) {
      const tensor = byName.get(name);
      if (tensor === undefined) throw new CheckpointError(`${fileName} has no weight named '${name}'`);
      return values(tensor, fileName);
    },
  };
  if (layers !== undefined) result.layers = layers;
  return result;
}

function values(tensor: KerasTensor, fileName: string): CheckpointTensor {
  const { name, shape } = tensor.info;
  // jsfive allocates what the header claims: a claim past what Layer Lens reads is refused first.
  const count = elementCount(shape, `${fileName}: the weight '${name}'`);
  checkReadable(count, `${fileName}: the weight '${name}'`);
  let data: ArrayLike<number | bigint>;
  try {
    data = tensor.dataset.value;
  } catch (error) {
    throw hdf5Error(`${fileName}: ${name}`, error);
  }
  if (data.length !== count) throw new CheckpointError(`${fileName}: the weight '${name}' has ${data.length} values but its shape ${shape.join('×')} needs ${count}`);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = Number(data[i]);
  return { shape: [...shape], data: out };
}

// ---------------------------------------------------------------------------------------------
// The model config: layers and their hyperparameters.

function parseConfig(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CheckpointError(`${where} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Every layer of the config, nested models (Sequential, Functional) opened, in order. */
function layerConfigs(model: unknown, depth = 0): LayerConfig[] {
  if (depth > 32 || typeof model !== 'object' || model === null) return [];
  const { class_name: className, config } = model as { class_name?: unknown; config?: unknown };
  if (typeof className !== 'string') return [];
  // Keras 2.0's Sequential config was the list of layers itself.
  const layers = Array.isArray(config) ? config : (config as { layers?: unknown } | null)?.layers;
  if (Array.isArray(layers)) return layers.flatMap((layer) => layerConfigs(layer, depth + 1));
  return typeof config === 'object' && config !== null ? [{ className, config: config as Record<string, unknown> }] : [];
}

/** A config's int or list as one value per spatial axis (a list shorter than the axes repeats its first value). */
function perAxis(value: unknown, axes: number, fallback: number): number[] {
  if (typeof value === 'number') return new Array<number>(axes).fill(value);
  if (Array.isArray(value) && typeof value[0] === 'number') return Array.from({ length: axes }, (_, a) => (typeof value[a] === 'number' ? (value[a] as number) : (value[0] as number)));
  return new Array<number>(axes).fill(fallback);
}

const OPS: ReadonlyMap<string, CheckpointLayer['op']> = new Map([
  ['Conv1DTranspose', 'convTranspose1d'], ['Convolution1DTranspose', 'convTranspose1d'],
  ['Conv2DTranspose', 'convTranspose2d'], ['Convolution2DTranspose', 'convTranspose2d'], ['Conv2D', 'conv2d'], ['Convolution2D', 'conv2d'],
  ['Conv3DTranspose', 'convTranspose3d'], ['Convolution3DTranspose', 'convTranspose3d'],
]);

/** The spatial axes of each op: a kernel `[…kernel, a, b]` has two more. */
const AXES: Readonly<Record<CheckpointLayer['op'], number>> = { convTranspose1d: 1, convTranspose2d: 2, convTranspose3d: 3, conv2d: 2 };

/** The config's convolutions with the tensors that hold their kernel and bias, as `weightsOf` finds them. */
function configLayers(model: unknown, weightsOf: (layerName: string) => { kernel?: KerasTensor; bias?: KerasTensor }): CheckpointLayer[] {
  const layers: CheckpointLayer[] = [];
  for (const { className, config } of layerConfigs(model)) {
    const op = OPS.get(className);
    const name = config['name'];
    if (op === undefined || typeof name !== 'string') continue;
    const { kernel, bias } = weightsOf(name);
    const axes = AXES[op];
    if (kernel === undefined || kernel.info.shape.length !== axes + 2) continue;
    const groups = config['groups'];
    const layer: { -readonly [K in keyof CheckpointLayer]: CheckpointLayer[K] } = {
      name, op, weight: kernel.info.name, weightLayout: 'keras',
      stride: perAxis(config['strides'], axes, 1), dilation: perAxis(config['dilation_rate'], axes, 1),
      groups: typeof groups === 'number' && Number.isInteger(groups) && groups > 0 ? groups : 1,
    };
    if (bias !== undefined) layer.bias = bias.info.name;
    layers.push(layer);
  }
  return layers;
}

function keras2Layers(model: unknown, tensors: readonly KerasTensor[]): CheckpointLayer[] {
  // Keras 2 names a weight `<layer>/<variable>:0`, nested name scopes before it.
  const find = (layerName: string, variable: string): KerasTensor | undefined =>
    tensors.find((t) => t.info.name === `${layerName}/${variable}:0` || t.info.name.endsWith(`/${layerName}/${variable}:0`));
  return configLayers(model, (name) => ({ kernel: find(name, 'kernel'), bias: find(name, 'bias') }));
}

function keras3Layers(model: unknown, tensors: readonly KerasTensor[]): CheckpointLayer[] {
  // Keras 3 keeps a layer's variables at `…/<layer>/vars/<i>`: 0 the kernel, 1 the bias.
  const find = (layerName: string, index: number): KerasTensor | undefined =>
    tensors.find((t) => t.info.name === `layers/${layerName}/vars/${index}`) ?? tensors.find((t) => t.info.name.endsWith(`/${layerName}/vars/${index}`));
  return configLayers(model, (name) => ({ kernel: find(name, 0), bias: find(name, 1) }));
}

// ---------------------------------------------------------------------------------------------

function strings(value: AttributeValue | undefined): string[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  // HDF5 fixed-length strings come back padded with NULs.
  return list.filter((v): v is string => typeof v === 'string').map((v) => v.replace(/\0+$/, ''));
}

