/**
 * What the engine worker does with a message, on either platform (`worker_threads` in Node, a Web
 * Worker in the browser): validate it, run it, and answer with the result, whose buffer is
 * transferred rather than copied, or with the failure in words.
 */
import { LayerError } from '../engine/errors';
import { compoundOverlap } from '../engine/compoundOverlap';
import { convTranspose2d, runGatherLayer } from '../engine/index';
import { runVolumeLayer } from '../engine/volumeLayer';
import { summarizeDocument } from '../insight/documentSummary';
import { computeLab, labBuffers } from './labCompute';
import { listMatrices } from './matrixListing';
import { answerModel } from '../model/modelMessages';
import { isWorkerRequest, type TextPiece, type WorkerResponse } from './protocol';
import { ParseError } from '../parse/errors';
import { findMatrices, type FoundMatrix } from '../parse/find';
import { parseRange } from '../parse/parseMatrix';

export interface WorkerAnswer {
  readonly response: WorkerResponse;
  /** Buffers to transfer with the response. */
  readonly transfer: ArrayBuffer[];
}

/** The literals of parts of a document, at their offsets in the document. */
export function findMatricesIn(pieces: readonly TextPiece[], languageId: string | undefined): FoundMatrix[] {
  return pieces.flatMap(({ text, offset }) => findMatrices(text, languageId).map((m) => ({ ...m, start: m.start + offset, end: m.end + offset })));
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
    if (message.op === 'analyzeModel') return { response: { id: message.id, ok: true, model: answerModel(message.request) }, transfer: [] };
    if (message.op === 'summarizeDocument') return { response: { id: message.id, ok: true, summary: summarizeDocument(message.request) }, transfer: [] };
    if (message.op === 'parseMatrix') {
      const located = parseRange(message.text, 0, message.text.length, message.notation);
      return { response: { id: message.id, ok: true, located }, transfer: [located.tensor.data.buffer as ArrayBuffer] };
    }
    if (message.op === 'findMatrices') {
      const found = findMatricesIn(message.pieces, message.languageId);
      return { response: { id: message.id, ok: true, found }, transfer: [...new Set(found.map((m) => m.data.buffer as ArrayBuffer))] };
    }
    const output =
      message.op === 'gatherLayer' ? runGatherLayer(message.call) : message.op === 'volumeLayer' ? runVolumeLayer(message.call) : convTranspose2d(message.input, message.weight, message.options);
    return { response: { id: message.id, ok: true, output }, transfer: [output.data.buffer as ArrayBuffer] };
  } catch (error) {
    const failure =
      error instanceof LayerError
        ? ({ kind: 'layer', code: error.code, message: error.message } as const)
        : error instanceof ParseError
          ? ({ kind: 'parse', problem: error.problem, message: error.message, range: { start: error.range.start, end: error.range.end } } as const)
          : ({ kind: 'internal', message: error instanceof Error ? error.message : String(error) } as const);
    return { response: { id: message.id, ok: false, failure }, transfer: [] };
  }
}
