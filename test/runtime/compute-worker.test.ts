/**
 * The computation worker's protocol, talked to directly (the pool's behaviour
 * around it, deadlines and memory, is runtime/compute-pool.test.ts).
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const it = suite('the computation worker thread');
type Answer = { id: number; ok: boolean; value?: unknown; error?: { code: string; path: string; message: string } };

let worker: Worker;
const ready = (async () => {
  worker = new Worker(new URL('../../src/runtime/compute-worker-entry.mjs', import.meta.url));
  const [first] = await once(worker, 'message');
  return first as unknown;
})();

async function ask(id: number, job: unknown): Promise<Answer> {
  worker.postMessage({ id, job });
  const [answer] = await once(worker, 'message');
  return answer as Answer;
}

const sum = { model: 'a + b', quantities: { a: { value: '1', u: '0.3' }, b: { value: '2', u: '0.4' } }, coverage: { k: '2' } };

it('says it is ready once loaded', async () => {
  assert.equal(await ready, { ready: true });
});

it('answers a job with its id and the value the kernel gives', async () => {
  const answer = await ask(7, { kind: 'evaluate', input: sum });
  assert.is(answer.id, 7);
  assert.is(answer.ok, true);
  // an evaluation answers with its JSON text (what the API sends as it is)
  const value = JSON.parse(answer.value as string) as Record<string, unknown>;
  const y = (value.outputs as Record<string, Record<string, unknown>>).y!;
  assert.is(y.standardUncertainty, '0.5');
  assert.is(y.reported, 'y = 3.0 ± 1.0, k = 2, p ≈ 95 %');
  assert.equal(value.method, 'lpu');
  assert.equal(y.interval, ['2', '4']);
});

it('a coded error comes back as its code, path and message', async () => {
  const answer = await ask(8, { kind: 'evaluate', input: { ...sum, model: 'a +' } });
  assert.equal([answer.id, answer.ok, answer.error!.code, answer.error!.path], [8, false, 'INVALID_MODEL', '/model']);
  assert.match(answer.error!.message, /not a valid expression/);
  const dcc = await ask(9, { kind: 'dcc', input: '<x/>' });
  assert.equal([dcc.ok, dcc.error!.code], [false, 'INVALID_DCC']);
});

it('any other failure is INTERNAL, named, and the worker goes on', async () => {
  const answer = await ask(10, null);
  assert.equal([answer.id, answer.ok, answer.error!.code, answer.error!.path], [10, false, 'INTERNAL', '']);
  assert.match(answer.error!.message, /^TypeError: /);
  assert.is((await ask(11, { kind: 'evaluate', input: sum })).ok, true);
});

it('Monte Carlo without a seed draws one from the system for each job', async () => {
  const mc = { model: 'a', quantities: { a: { value: '1', u: '0.3' } }, method: 'monte-carlo', trials: '1000' };
  const seedOf = async (id: number, input: object) => (JSON.parse((await ask(id, { kind: 'evaluate', input })).value as string) as { seed: string }).seed;
  const a = await seedOf(12, mc);
  const b = await seedOf(13, mc);
  assert.match(a, /^\d+$/);
  assert.is.not(a, b);
  assert.is(await seedOf(14, { ...mc, seed: '5' }), '5');
});

it.after(async () => {
  await worker.terminate();
});

it.run();
