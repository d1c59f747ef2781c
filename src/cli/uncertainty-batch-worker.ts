/**
 * A worker thread of `uncertainty evaluate --jsonl` (uncertainty-batch.ts):
 * evaluates the jobs of lines it is sent with its own UncertaintyService and
 * answers with their output bytes, the buffers handed over rather than copied.
 * Monte Carlo lines run on this thread (a pooled run gives the same samples).
 *
 * @impure runs in a worker thread.
 */
import { parentPort } from 'node:worker_threads';
import { UncertaintyService } from '../app/uncertainty.ts';
import { randomSeed } from '../runtime/ambient.ts';
import { type BatchJob, evaluateJob } from './uncertainty-batch.ts';

const service = new UncertaintyService({ defaultSeed: randomSeed });

parentPort!.on('message', ({ id, job }: { id: number; job: BatchJob }) => {
  try {
    const { chunks, failures } = evaluateJob(service, job);
    // the line writer's buffers are its own (never node's shared pool, which is smaller): hand them over
    const transfer = [...new Set(chunks.map((c) => c.buffer))].filter((b) => b.byteLength >= 1 << 16) as ArrayBuffer[];
    parentPort!.postMessage({ id, failures, chunks: chunks.map((c) => ({ buffer: c.buffer, offset: c.byteOffset, length: c.length })) }, transfer);
  } catch (e) {
    parentPort!.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
});

parentPort!.postMessage({ ready: true });
