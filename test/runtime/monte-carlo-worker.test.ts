/**
 * The Monte Carlo worker's protocol, talked to directly: blocks of a plan into
 * shared arrays, completion through a shared counter (the pool around it is
 * runtime/monte-carlo-pool.test.ts).
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readSpec } from '../../src/codecs/uncertainty-spec.ts';
import { compileOutputs } from '../../src/core/uncertainty/lpu.ts';
import { BLOCK, planMonteCarlo, runBlocks } from '../../src/core/uncertainty/monte-carlo/monte-carlo.ts';

const it = suite('the Monte Carlo worker thread');

const raw = {
  outputs: { y: 'a * exp(b)', z: 'a - b' },
  quantities: { a: { value: '2', u: '0.1', dof: '8' }, b: { value: '0.5', distribution: 'triangular', halfWidth: '0.2' } },
  method: 'monte-carlo',
  trials: '200000',
  seed: '77',
};
const source = JSON.stringify(raw);

/** What this thread computes for the same blocks. */
function expected(first: number, count: number, trials: number, streamOffset: number): Float64Array[] {
  const spec = readSpec(raw);
  const plan = planMonteCarlo(spec, compileOutputs(spec.outputs, spec.quantities), 77n);
  const results = [new Float64Array(count * BLOCK), new Float64Array(count * BLOCK)];
  runBlocks(plan, first, count, trials, results, streamOffset);
  return results;
}

/** The first index where two arrays differ (−1: none); uvu's diff of long arrays would take minutes. */
function firstDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

let worker: Worker;
const ready = (async () => {
  worker = new Worker(new URL('../../src/runtime/monte-carlo-worker-entry.mjs', import.meta.url));
  const [first] = await once(worker, 'message');
  return first as unknown;
})();

/** Sends a job and waits on its counter; returns the counter and the two output arrays. */
async function job(fields: {
  source?: string;
  seed?: string;
  first: number;
  count: number;
  trials: number;
  streamOffset: number;
  offset: number;
  length: number;
}) {
  const buffers = [new SharedArrayBuffer(fields.length * 8), new SharedArrayBuffer(fields.length * 8)];
  const done = new SharedArrayBuffer(4);
  const counter = new Int32Array(done);
  const { length: _length, ...rest } = fields;
  worker.postMessage({ source, seed: '77', ...rest, buffers, done });
  // Atomics.waitAsync (Node 16+, ES2024) is not in the project's TypeScript lib yet
  const { waitAsync } = Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: unknown } };
  const wait = waitAsync(counter, 0, 0);
  if (wait.async) await wait.value;
  return { done: Atomics.load(counter, 0), outputs: buffers.map((b) => new Float64Array(b)) };
}

it('says it is ready once loaded', async () => {
  assert.equal(await ready, { ready: true });
});

it('runs the blocks it is given into the shared arrays and counts itself done', async () => {
  const trials = 200_000; // blocks 0–3, the last one partial
  const { done, outputs } = await job({ first: 2, count: 2, trials, streamOffset: 0, offset: 0, length: 2 * BLOCK });
  assert.is(done, 1);
  const [y, z] = expected(2, 2, trials, 0);
  const n = trials - 2 * BLOCK; // 68,928 values in blocks 2 and 3
  assert.is(firstDifference(outputs[0]!.subarray(0, n), y!.subarray(0, n)), -1);
  assert.is(firstDifference(outputs[1]!.subarray(0, n), z!.subarray(0, n)), -1);
  assert.ok(
    outputs[0]!.subarray(0, n).every((v) => v > 0),
    'a·exp(b) > 0 for these inputs',
  );
  assert.ok(
    outputs[0]!.subarray(n).every((v) => v === 0),
    'nothing past the last trial',
  );
});

it('writes at the offset given, from the stream given', async () => {
  const offset = 1000;
  const { done, outputs } = await job({ first: 0, count: 1, trials: 200_000, streamOffset: 5, offset, length: offset + BLOCK });
  assert.is(done, 1);
  const [y] = expected(0, 1, 200_000, 5);
  assert.ok(
    outputs[0]!.subarray(0, offset).every((v) => v === 0),
    'nothing before the offset',
  );
  assert.is(firstDifference(outputs[0]!.subarray(offset), y!), -1);
  const [other] = expected(0, 1, 200_000, 0);
  assert.is(firstDifference(outputs[0]!.subarray(offset, offset + 10), other!.subarray(0, 10)), 0, 'another stream, other draws');
});

it('a job that fails marks the counter far below zero, and the worker goes on', async () => {
  const failed = await job({ source: '{ not json', first: 0, count: 1, trials: 10, streamOffset: 0, offset: 0, length: BLOCK });
  assert.is(failed.done, -1_000_000);
  const again = await job({ first: 0, count: 1, trials: 10, streamOffset: 0, offset: 0, length: BLOCK });
  assert.is(again.done, 1);
});

it.after(async () => {
  await worker.terminate();
});

it.run();
