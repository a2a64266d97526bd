/** What the model reader records (analyzeModel's `layers`): a convolution, transposed convolution, linear, pooling or normalization module as it ran. */
export interface LayerRecord {
  /** PyTorch's `named_modules()` name (`up1.conv.double_conv.0`). */
  readonly path: string;
  /** The module's class in torch.nn (`Conv2d`, `BatchNorm2d`…). */
  readonly op: string;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly macs: number;
  /** The module's own parameters (`parameters(recurse=False)`); NaN when not known. */
  readonly params: number;
  /** Where the module is constructed: 1-based line in `file` (`''`: the main source). */
  readonly line: number;
  readonly file: string;
}
