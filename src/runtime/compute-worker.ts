/**
 * A computation worker thread (see compute-pool.ts): runs one job at a time
 * and answers with its result, or with the coded error it ended in. The pool
 * terminates the thread when a job runs past its deadline or its memory.
 *
 * @impure runs in a worker thread; reads the system's random source for Monte Carlo seeds.
 */
import { parentPort } from 'node:worker_threads';
import { ComputationKernel, type ComputationJob } from '../app/computations.ts';
import { MetrologyError } from '../core/errors.ts';
import { randomSeed } from './ambient.ts';

const kernel = new ComputationKernel({ defaultSeed: randomSeed });

parentPort!.on('message', (m: { id: number; job: ComputationJob }) => {
  try {
    parentPort!.postMessage({ id: m.id, ok: true, value: kernel.run(m.job) });
  } catch (e) {
    const error =
      e instanceof MetrologyError
        ? { code: e.code, path: e.path, message: e.message }
        : { code: 'INTERNAL', path: '', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    parentPort!.postMessage({ id: m.id, ok: false, error });
  }
});

parentPort!.postMessage({ ready: true });
