/**
 * A Monte Carlo worker thread: rebuilds the plan of a spec (cached by its text
 * and seed), runs the blocks it is given into the shared sample arrays, and
 * signals completion through a shared counter.
 *
 * @impure runs in a worker thread.
 */
import { parentPort } from 'node:worker_threads';
import { readSpec } from '../codecs/uncertainty-spec.ts';
import { compileOutputs } from '../core/uncertainty/lpu.ts';
import { planMonteCarlo, runBlocks, type McPlan } from '../core/uncertainty/monte-carlo/monte-carlo.ts';

interface Job {
  source: string;
  seed: string;
  first: number;
  count: number;
  trials: number;
  streamOffset: number;
  offset: number;
  buffers: SharedArrayBuffer[];
  done: SharedArrayBuffer;
}

const plans = new Map<string, McPlan>();

function planFor(source: string, seed: bigint): McPlan {
  const key = `${seed}|${source}`;
  let plan = plans.get(key);
  if (!plan) {
    const spec = readSpec(JSON.parse(source), { defaultSeed: () => seed });
    plan = planMonteCarlo(spec, compileOutputs(spec.outputs, spec.quantities), seed);
    if (plans.size > 16) plans.clear();
    plans.set(key, plan);
  }
  return plan;
}

parentPort!.on('message', (job: Job) => {
  const done = new Int32Array(job.done);
  try {
    const plan = planFor(job.source, BigInt(job.seed));
    const results = job.buffers.map((b) => new Float64Array(b, job.offset * 8));
    runBlocks(plan, job.first, job.count, job.trials, results, job.streamOffset);
    Atomics.add(done, 0, 1);
  } catch {
    Atomics.store(done, 0, -1_000_000);
  }
  Atomics.notify(done, 0);
});

parentPort!.postMessage({ ready: true });
