/**
 * Monte Carlo on every core. Blocks of trials are shared out between this
 * thread and worker threads; the samples live in SharedArrayBuffers, and this
 * thread waits (Atomics.wait) for the workers, so the evaluation stays a plain
 * synchronous call. Each block draws from its own seeded stream, so the result
 * is identical to a single-threaded run with the same seed.
 *
 * Workers start in the background when the pool is made; until they report
 * ready, runs stay on this thread (a cold start would cost more than it saves).
 *
 * @impure starts threads.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { MonteCarloExecutor } from '../app/uncertainty.ts';
import { BLOCK, runBlocks } from '../core/uncertainty/monte-carlo/monte-carlo.ts';
import type { McExecution } from '../core/uncertainty/monte-carlo/evaluate.ts';

/**
 * The worker's module: built (dist/), its JavaScript; from the TypeScript
 * sources, a bootstrap that registers tsx in the thread first.
 */
const WORKER_ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('./monte-carlo-worker-entry.mjs', import.meta.url)
  : new URL('./monte-carlo-worker.js', import.meta.url);

/** Fewer trials than this run on one thread: the hand-off would cost more than it saves. */
const MIN_TRIALS = 4 * BLOCK;

export interface MonteCarloPool {
  readonly executor: MonteCarloExecutor;
  readonly threads: number;
  /** Resolves when every worker has loaded (for benchmarks and tests). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function createMonteCarloPool(threads = Math.max(0, availableParallelism() - 1)): MonteCarloPool {
  const workers = Array.from({ length: threads }, () => {
    const w = new Worker(WORKER_ENTRY);
    w.unref();
    return w;
  });
  const readyFlags = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, threads)));
  const readiness: Promise<void> = Promise.all(
    workers.map(
      (w, i) =>
        new Promise<void>((resolve, reject) => {
          w.once('message', (m: { ready?: boolean }) => {
            if (m.ready) {
              Atomics.store(readyFlags, i, 1);
              resolve();
            }
          });
          w.once('error', reject);
        }),
    ),
  ).then(() => undefined);
  readiness.catch(() => undefined);
  const allReady = () => workers.every((_, i) => Atomics.load(readyFlags, i) === 1);

  const executor: MonteCarloExecutor = (raw, trials) => {
    if (threads === 0 || trials < MIN_TRIALS || !allReady()) return null;
    const source = JSON.stringify(raw);
    const shared = new Map<Float64Array, SharedArrayBuffer>();
    const execution: McExecution = {
      allocate(length) {
        const buffer = new SharedArrayBuffer(length * 8);
        const view = new Float64Array(buffer);
        shared.set(view, buffer);
        return view;
      },
      run(plan, first, count, total, results, streamOffset) {
        const parts = threads + 1;
        const per = Math.ceil(count / parts);
        const done = new Int32Array(new SharedArrayBuffer(4));
        let expected = 0;
        for (let t = 0; t < threads; t++) {
          const start = first + (t + 1) * per;
          const n = Math.min(per, first + count - start);
          if (n <= 0) continue;
          expected++;
          workers[t]!.postMessage({
            source,
            seed: plan.seed.toString(),
            first: start,
            count: n,
            trials: total,
            streamOffset,
            // each worker writes blocks [start, start + n) at their offset within the run
            offset: (start - first) * BLOCK,
            buffers: results.map((r) => shared.get(r)!),
            done: done.buffer,
          });
        }
        // This thread takes the first share.
        runBlocks(plan, first, Math.min(per, count), total, results, streamOffset);
        for (let seen = Atomics.load(done, 0); seen >= 0 && seen < expected; seen = Atomics.load(done, 0)) {
          if (Atomics.wait(done, 0, seen, 120_000) === 'timed-out') throw new Error('a Monte Carlo worker did not answer within 2 minutes');
        }
        if (Atomics.load(done, 0) < 0) throw new Error('a Monte Carlo worker failed');
      },
    };
    return execution;
  };

  return {
    executor,
    threads,
    ready: () => readiness,
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
