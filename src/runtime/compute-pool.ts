/**
 * Computations off the main thread, each with a deadline and a memory cap.
 * A request can make an uncertainty evaluation, a batch of decisions or a DCC
 * parse arbitrarily expensive; run on the event loop, one such request held up
 * every other request (and /health) for minutes. Here each job runs in a
 * worker thread; past its deadline, or its memory, the thread is terminated
 * (and replaced) and the caller gets COMPUTATION_LIMIT naming the limit. The
 * main thread only waits on a message, so it keeps answering meanwhile.
 *
 * Jobs queue when every worker is busy; the deadline counts from when a worker
 * takes the job.
 *
 * @impure starts and terminates threads.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Computations, ComputationJob } from '../app/computations.ts';
import type { DccImport } from '../codecs/dcc.ts';
import { MetrologyError, type ErrorCode } from '../core/errors.ts';

/**
 * The worker's module: built (dist/), its JavaScript; from the TypeScript
 * sources, a bootstrap that registers tsx in the thread first.
 */
const WORKER_ENTRY = import.meta.url.endsWith('.ts') ? new URL('./compute-worker-entry.mjs', import.meta.url) : new URL('./compute-worker.js', import.meta.url);

export interface ComputeLimits {
  /** Wall-clock time a job may run, ms. */
  readonly deadlineMs: number;
  /** Heap a worker may use, MiB (V8's old generation). */
  readonly memoryMb: number;
  /** Worker threads. */
  readonly threads: number;
}

export const DEFAULT_COMPUTE_LIMITS: ComputeLimits = { deadlineMs: 10_000, memoryMb: 512, threads: Math.max(1, availableParallelism() - 1) };

export interface ComputePool extends Computations {
  /** Resolves when every worker has loaded (for benchmarks and tests). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

interface Pending {
  readonly id: number;
  readonly job: ComputationJob;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  /** Loaded and able to take a job (a job's deadline never counts the loading). */
  started: boolean;
  busy: { pending: Pending; timer: NodeJS.Timeout } | null;
}

const WORDS: Record<ComputationJob['kind'], string> = { evaluate: 'the uncertainty evaluation', decide: 'the conformity decisions', dcc: 'reading the DCC' };

export function createComputePool(limits: ComputeLimits = DEFAULT_COMPUTE_LIMITS): ComputePool {
  const queue: Pending[] = [];
  let nextId = 1;
  let closed = false;
  /** Workers that died before they were ready, in a row: past a few, stop respawning (something is wrong with the install). */
  let failedStarts = 0;
  let broken: string | null = null;

  const spawn = (): Slot => {
    const worker = new Worker(WORKER_ENTRY, { resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb } });
    const slot: Slot = { worker, ready: Promise.resolve(), started: false, busy: null };
    slot.ready = new Promise<void>((resolve, reject) => {
      worker.once('message', (m: { ready?: boolean }) => {
        if (!m.ready) return;
        failedStarts = 0;
        slot.started = true;
        resolve();
        dispatch();
      });
      worker.once('error', (e) => {
        failedStarts++;
        reject(e);
      });
    });
    slot.ready.catch(() => undefined);
    worker.on('message', (m: { id?: number; ok?: boolean; value?: unknown; error?: { code: ErrorCode; path: string; message: string } }) => {
      if (m.id === undefined || slot.busy?.pending.id !== m.id) return;
      const { pending, timer } = slot.busy;
      clearTimeout(timer);
      slot.busy = null;
      if (m.ok) pending.resolve(m.value);
      else pending.reject(new MetrologyError(m.error!.code, m.error!.path, m.error!.message));
      dispatch();
    });
    // out of memory, a crash: the job in hand fails with the reason, the thread is replaced
    worker.on('error', (err: Error & { code?: string }) => {
      const memory = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      replace(slot, memory ? `${limits.memoryMb} MiB of memory` : null, err);
    });
    worker.on('exit', () => {
      if (!closed && slots.includes(slot)) replace(slot, null, new Error('the computation thread stopped'));
    });
    return slot;
  };

  const slots: Slot[] = Array.from({ length: limits.threads }, spawn);

  function replace(slot: Slot, limit: string | null, cause?: Error): void {
    const i = slots.indexOf(slot);
    if (i < 0) return;
    const busy = slot.busy;
    slot.busy = null;
    if (busy) {
      clearTimeout(busy.timer);
      busy.pending.reject(
        limit
          ? new MetrologyError(
              'COMPUTATION_LIMIT',
              '',
              `${WORDS[busy.pending.job.kind]} went past its limit of ${limit} and was stopped; make it smaller (fewer trials or points, a simpler model) or run it with the command line, which has no such limit`,
            )
          : new MetrologyError('INTERNAL', '', `${WORDS[busy.pending.job.kind]} failed: ${cause?.message ?? 'the computation thread stopped'}`),
      );
    }
    slots.splice(i, 1);
    void slot.worker.terminate();
    if (closed) return;
    if (failedStarts >= 3) {
      broken = `the computation threads do not start (${cause?.message ?? 'unknown reason'})`;
      for (const p of queue.splice(0)) p.reject(new MetrologyError('INTERNAL', '', broken));
      return;
    }
    slots.push(spawn());
    dispatch();
  }

  function dispatch(): void {
    for (const slot of slots) {
      if (!slot.started || slot.busy || queue.length === 0) continue;
      const pending = queue.shift()!;
      const timer = setTimeout(() => replace(slot, `${limits.deadlineMs / 1000} s`), limits.deadlineMs);
      slot.busy = { pending, timer };
      slot.worker.postMessage({ id: pending.id, job: pending.job });
    }
  }

  function run<T>(job: ComputationJob): Promise<T> {
    if (closed) return Promise.reject(new MetrologyError('UNAVAILABLE', '', 'the server is shutting down'));
    if (broken) return Promise.reject(new MetrologyError('INTERNAL', '', broken));
    return new Promise<T>((resolve, reject) => {
      queue.push({ id: nextId++, job, resolve: resolve as (v: unknown) => void, reject });
      dispatch();
    });
  }

  return {
    evaluate: (spec) => run<string>({ kind: 'evaluate', input: spec }),
    decide: (request) => run({ kind: 'decide', input: request }),
    readDcc: (xml) => run<DccImport>({ kind: 'dcc', input: xml }),
    ready: () => Promise.all(slots.map((s) => s.ready)).then(() => undefined),
    close: async () => {
      closed = true;
      for (const p of queue.splice(0)) p.reject(new MetrologyError('UNAVAILABLE', '', 'the server is shutting down'));
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
