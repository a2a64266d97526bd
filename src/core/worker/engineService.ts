/**
 * What the engine worker does with a message, on either platform (`worker_threads` in Node, a Web
 * Worker in the browser): validate it, run it, and answer with the result, whose buffer is
 * transferred rather than copied, or with the failure in words.
 */
import { LayerError } from '../engine/errors';
import { compoundOverlap } from '../engine/compoundOverlap';
import { convTranspose2d, runGatherLayer } from '../engine/index';
import { summarizeDocument } from '../insight/documentSummary';
import { computeLab, labBuffers } from './labCompute';
import { listMatrices } from './matrixListing';
import { isWorkerRequest, type WorkerResponse } from './protocol';

export interface WorkerAnswer {
  readonly response: WorkerResponse;
  /** Buffers to transfer with the response. */
  readonly transfer: ArrayBuffer[];
}

export function answer(message: unknown): WorkerAnswer {
  if (!isWorkerRequest(message)) {
    const id = typeof (message as { id?: unknown })?.id === 'number' ? (message as { id: number }).id : -1;
    return { response: { id, ok: false, failure: { kind: 'internal', message: 'the engine worker received a malformed request' } }, transfer: [] };
  }
  try {
    if (message.op === 'checkerboardLab') {
      const lab = computeLab(message.settings);
      return { response: { id: message.id, ok: true, lab }, transfer: labBuffers(lab) };
    }
    if (message.op === 'listMatrices') return { response: { id: message.id, ok: true, matrices: listMatrices(message.text, message.languageId) }, transfer: [] };
    if (message.op === 'compoundOverlap') {
      const compound = compoundOverlap(message.options);
      return { response: { id: message.id, ok: true, compound }, transfer: compound.steps.map((step) => step.map.data.buffer as ArrayBuffer) };
    }
    if (message.op === 'summarizeDocument') return { response: { id: message.id, ok: true, summary: summarizeDocument(message.request) }, transfer: [] };
    const output = message.op === 'gatherLayer' ? runGatherLayer(message.call) : convTranspose2d(message.input, message.weight, message.options);
    return { response: { id: message.id, ok: true, output }, transfer: [output.data.buffer as ArrayBuffer] };
  } catch (error) {
    const failure =
      error instanceof LayerError
        ? ({ kind: 'layer', code: error.code, message: error.message } as const)
        : ({ kind: 'internal', message: error instanceof Error ? error.message : String(error) } as const);
    return { response: { id: message.id, ok: false, failure }, transfer: [] };
  }
}
