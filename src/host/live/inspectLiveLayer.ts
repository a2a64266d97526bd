/**
 * "Layer Lens: Run Live Layer (Debug Session)": a PyTorch layer module of the paused frame (`self.up`) run by
 * Layer Lens's own engine on its real weight, bias and input, beside the module's own output on
 * that input in the session. Returns `{ op, params, output, agreement }`: Layer Lens's float64
 * output, and its difference from the module's (`maxAbsDiff`, and `maxRelDiff` over the largest
 * magnitude of Layer Lens's output). Reads, in this order: the module's class and hyperparameters,
 * the input, the weight and bias, then the module's output on the input (the one call of user
 * code it makes, because the user asked for that comparison).
 */
import * as vscode from 'vscode';
import { UserFacingError } from '../common/arguments';
import { readSettings } from '../common/settings';
import { reportingProblems } from '../common/problems';
import { toNumberArray } from '../common/result';
import { conv1d, convTranspose1d, gatherLayerShape, outputShape, type GatherLayerCall, type Tensor } from '../../core/engine/index';
import { renderExpression, withAttribute, type LiveExpression } from '../../core/live/expression';
import { addChannelBias, agreement, describeAgreement, type Agreement } from '../../core/live/agreement';
import { planLiveLayer, readModuleDescription, type LiveLayerPlan } from '../../core/live/moduleLayer';
import { frameTensorsSnippet, moduleSnippet, reference } from '../../core/live/snippets';
import { readFrameTensors } from '../../core/live/wire';
import { checkOutputSize } from '../common/previewedInput';
import { computeConvTranspose, computeGatherLayer } from '../worker/computeLayer';
import { fetchArray } from './fetchArray';
import { chooseInput, readInspectLiveLayerArguments } from './liveArguments';
import { evaluateJson, evaluateSnippet, pausedFrame, type PausedFrame } from './pausedFrame';
import { showLiveGather, showLiveTransposed, type LivePanelServices } from './livePanels';

/** What the command returns. */
export interface LiveLayerResult {
  /** PyTorch's class name: `ConvTranspose2d`, `Conv2d`, `MaxPool2d`, … */
  readonly op: string;
  /** The hyperparameters as the module holds them (PyTorch's names), and whether it has a bias. */
  readonly params: Record<string, unknown>;
  readonly output: { readonly shape: number[]; readonly data: number[] };
  readonly agreement: Agreement;
}

export function inspectLiveLayerCommand(services: LivePanelServices, raw: unknown): Promise<LiveLayerResult | undefined> {
  return reportingProblems(async () => {
    const args = await readInspectLiveLayerArguments(raw);
    if (!args) return undefined;
    const frame = await pausedFrame(args.choice.frameId);
    const limit = readSettings().maxOutputElements;
    const moduleLabel = renderExpression(args.module);

    const description = readModuleDescription(await evaluateJson(frame, moduleSnippet(args.module), moduleLabel));
    const reading = planLiveLayer(description, moduleLabel);
    if (!reading.ok) throw new UserFacingError(reading.problem);
    const plan = reading.plan;
    const inputExpression = args.input ?? (await askForInput(frame, moduleLabel, description.attributes.in_channels));
    if (!inputExpression) return undefined;
    const inputLabel = renderExpression(inputExpression);

    const fetch = (expression: LiveExpression) => fetchArray(frame, { source: reference(expression), label: renderExpression(expression), limit });
    const input = await fetch(inputExpression);
    const inputTensor: Tensor = { shape: input.header.shape, data: input.values };
    const weight = 'bias' in plan ? await fetch(withAttribute(args.module, 'weight')) : undefined;
    const bias = 'bias' in plan && plan.bias ? await fetch(withAttribute(args.module, 'bias')) : undefined;

    const ours = await compute(services, plan, inputTensor, weight && { shape: weight.header.shape, data: weight.values }, bias?.values, limit);
    const theirs = await fetchArray(frame, { source: { kind: 'moduleCall', module: args.module, input: inputExpression }, label: `${moduleLabel}(${inputLabel})`, limit });
    if (theirs.header.shape.join() !== ours.shape.join()) {
      throw new UserFacingError(`${moduleLabel}(${inputLabel}) has shape [${theirs.header.shape.join(', ')}] in the session but Layer Lens computes [${ours.shape.join(', ')}] for ${description.type} on [${inputTensor.shape.join(', ')}].`);
    }
    const result = agreement(theirs.values, ours.data);

    if (args.choice.show) {
      // The panels draw 2-D layers; a 1-D convolution gets the message alone.
      if (plan.op === 'convTranspose2d' && weight) showLiveTransposed(services, moduleLabel, inputTensor, { shape: weight.header.shape, data: weight.values }, plan.options, frame.place);
      else if (plan.op !== 'convTranspose1d' && plan.op !== 'conv1d') showLiveGather(services, gatherCall(plan, inputTensor, weight && { shape: weight.header.shape, data: weight.values }), `${moduleLabel}(${inputLabel})`, frame.place);
      void vscode.window.showInformationMessage(`Layer Lens: ${moduleLabel} (${description.type}) on ${inputLabel} [${inputTensor.shape.join(', ')}]: Layer Lens's output ${describeAgreement(result, theirs.header.dtype)}.`);
    }
    return {
      op: description.type,
      params: { ...description.attributes, bias: description.bias },
      output: { shape: [...ours.shape], data: toNumberArray(ours.data) },
      agreement: result,
    };
  });
}

/** The input, from the frame's tensors (read by shape, dtype and device only) or typed. */
async function askForInput(frame: PausedFrame, moduleLabel: string, inChannels: unknown): Promise<LiveExpression | undefined> {
  const tensors = readFrameTensors(await evaluateSnippet(frame, frameTensorsSnippet(), "the frame's tensors"));
  return chooseInput(tensors, moduleLabel, typeof inChannels === 'number' ? inChannels : undefined);
}

/**
 * Layer Lens's output: the engine (inline when small, in its worker when large; the 1-D
 * convolutions, which the worker does not take, inline), then the bias, as PyTorch adds it.
 */
async function compute(services: LivePanelServices, plan: LiveLayerPlan, input: Tensor, weight: Tensor | undefined, bias: Float64Array | undefined, limit: number): Promise<Tensor> {
  if (plan.op === 'convTranspose1d' || plan.op === 'conv1d') {
    if (!weight) throw new Error('Layer Lens bug: a convolution without its weight');
    checkOutputSize(outputShape(plan.op, input.shape, { ...plan.options, weightShape: weight.shape }).shape, limit);
    const output = plan.op === 'convTranspose1d' ? convTranspose1d(input, weight, plan.options) : conv1d(input, weight, plan.options);
    return bias ? { shape: output.shape, data: addChannelBias(output.shape, output.data, bias, 1) } : output;
  }
  if (plan.op === 'convTranspose2d') {
    if (!weight) throw new Error('Layer Lens bug: a transposed convolution without its weight');
    checkOutputSize(outputShape('convTranspose2d', input.shape, { ...plan.options, weightShape: weight.shape }).shape, limit);
    const output = await computeConvTranspose(services.engine, input, weight, plan.options);
    return bias ? { shape: output.shape, data: addChannelBias(output.shape, output.data, bias) } : output;
  }
  const call = gatherCall(plan, input, weight);
  checkOutputSize(gatherLayerShape(call).shape, limit);
  const output = await computeGatherLayer(services.engine, call);
  return bias ? { shape: output.shape, data: addChannelBias(output.shape, output.data, bias) } : output;
}

function gatherCall(plan: LiveLayerPlan, input: Tensor, weight: Tensor | undefined): GatherLayerCall {
  switch (plan.op) {
    case 'conv2d':
      if (!weight) throw new Error('Layer Lens bug: a convolution without its weight');
      return { op: 'conv2d', input, weight, options: plan.options };
    case 'maxPool2d':
      return { op: 'maxPool2d', input, options: plan.options };
    case 'avgPool2d':
      return { op: 'avgPool2d', input, options: plan.options };
    case 'upsample':
      return { op: 'upsample', input, options: plan.options };
    case 'pixelShuffle':
      return { op: 'pixelShuffle', input, options: plan.options };
    case 'convTranspose2d':
    case 'convTranspose1d':
    case 'conv1d':
      throw new Error(`Layer Lens bug: ${plan.op} is not a layer of the layer panel`);
  }
}
