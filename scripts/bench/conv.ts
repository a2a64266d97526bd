/**
 * The transposed-convolution comparison: every library on every case, interleaved within each run
 * (on this shared, noisy machine, figures taken minutes apart are not comparable), each output
 * checked once against the engine's.
 */
import { compare, type Agreement } from './agreement';
import { convCases, convData, type ConvCase, type ConvData } from './cases';
import { median } from './measure';
import type { Peer, PeerOutput, PeerSource } from './peers/peer';
import { formatMs } from './report';

/** One library's figures on one case. */
export interface PeerFigures {
  /** Median ms per call, one per run, in run order; a failure ends the list. */
  readonly ms: number[];
  failure?: string;
  /** Against the engine's output; the engine itself has none. */
  agreement?: Agreement;
}

export interface CaseFigures {
  readonly case: ConvCase;
  /** By peer name. */
  readonly peers: Map<string, PeerFigures>;
}

export interface Unavailable {
  readonly name: string;
  readonly reason: string;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Loads every library that can load; the others are reported with the reason, and the benchmark goes on. */
export async function loadPeers(sources: readonly PeerSource[]): Promise<{ peers: Peer[]; unavailable: Unavailable[] }> {
  const peers: Peer[] = [];
  const unavailable: Unavailable[] = [];
  for (const source of sources) {
    try {
      peers.push(await source.load());
    } catch (error) {
      unavailable.push({ name: source.name, reason: messageOf(error) });
    }
  }
  return { peers, unavailable };
}

async function outputOf(peer: Peer, c: ConvCase, data: ConvData): Promise<PeerOutput> {
  const prepared = await peer.prepare(c, data);
  try {
    return await prepared.output();
  } finally {
    await prepared.release();
  }
}

/** Layer Lens's time over the peer's, from the runs both completed: the median of the per-run ratios. */
export function medianRatio(reference: PeerFigures, peer: PeerFigures): number | undefined {
  const runs = Math.min(reference.ms.length, peer.ms.length);
  if (runs === 0) return undefined;
  return median(Array.from({ length: runs }, (_, run) => (reference.ms[run] as number) / (peer.ms[run] as number)));
}

export interface ConvOptions {
  readonly runs: number;
  readonly budgetMs: number;
  readonly log: (line: string) => void;
  /** Only the cases whose label contains this text; every case when absent. */
  readonly cases?: string;
}

/**
 * Times the reference (the engine) and the peers on every case, `runs` times over. Within a run the
 * order of the libraries rotates from one run to the next, so none always runs first or last.
 */
export async function compareConv(reference: Peer, others: readonly Peer[], options: ConvOptions): Promise<CaseFigures[]> {
  const chosen = convCases.filter((c) => options.cases === undefined || c.label.includes(options.cases));
  const figures = chosen.map((c): CaseFigures => ({ case: c, peers: new Map([reference, ...others].map((p) => [p.name, { ms: [] }])) }));
  const data = new Map<ConvCase, ConvData>();
  for (let run = 0; run < options.runs; run++) {
    for (const caseFigures of figures) {
      const c = caseFigures.case;
      const caseData = data.get(c) ?? convData(c);
      data.set(c, caseData);
      const expected = run === 0 ? await outputOf(reference, c, caseData) : undefined;
      const order = [reference, ...others];
      const rotated = [...order.slice(run % order.length), ...order.slice(0, run % order.length)];
      for (const peer of rotated) {
        const mine = caseFigures.peers.get(peer.name) as PeerFigures;
        if (mine.failure !== undefined) continue;
        try {
          const prepared = await peer.prepare(c, caseData);
          try {
            if (expected && peer !== reference) mine.agreement = compare(expected, await prepared.output(), peer.dtype);
            mine.ms.push(await prepared.time(options.budgetMs));
          } finally {
            await prepared.release();
          }
        } catch (error) {
          if (peer === reference) throw error;
          mine.failure = messageOf(error);
        }
      }
      const timings = order.map((p) => {
        const mine = caseFigures.peers.get(p.name) as PeerFigures;
        return `${p.name} ${mine.failure !== undefined ? 'failed' : formatMs(mine.ms[run] as number)}`;
      });
      options.log(`run ${run + 1}/${options.runs} · ${c.label}: ${timings.join(' · ')} ms`);
    }
  }
  return figures;
}
