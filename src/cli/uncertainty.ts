/**
 * metrotrace uncertainty evaluate FILE|- [--jsonl [--threads N]] [--report]
 *
 * One spec → one result JSON on stdout; with --jsonl, one spec a line in and
 * one result (or {"error": …}) a line out, streamed, for large batches
 * (uncertainty-batch.ts), on worker threads when asked (--threads N).
 */
import { createReadStream, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { MonteCarloExecutor } from '../app/uncertainty.ts';
import { parseSpecText } from '../codecs/uncertainty-spec.ts';
import { randomSeed } from '../runtime/ambient.ts';
import type { MonteCarloPool } from '../runtime/monte-carlo-pool.ts';
import type { Command } from './command.ts';

function readInput(file: string): string {
  return readFileSync(file === '-' ? 0 : file, 'utf8');
}

/**
 * The worker threads a batch asks for (--threads; null when that is not a whole
 * number from 1 to 64). One, this thread, unless asked: measured on this 2-core
 * machine at load ≈ 5, two workers took 1.75× the CPU of one thread for 50,000
 * H.1 specs (each worker loads mathjs and compiles the model again, and warms
 * its own JIT) and were slower in wall time too, the second core being busy.
 */
function batchThreads(asked: string | undefined): number | null {
  if (asked === undefined) return 1;
  const n = Number(asked);
  return Number.isInteger(n) && n >= 1 && n <= 64 ? n : null;
}

async function batch(file: string, threads: number): Promise<number> {
  // (the batch's module, worker_threads and the line writer included, is loaded only with --jsonl)
  const { runBatch, startBatchWorker } = await import('./uncertainty-batch.ts');
  const input = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1 << 16 });
  let failures: number;
  if (threads > 1) {
    // worker threads evaluate, this one reads and writes (and loads no model)
    const workers = Array.from({ length: threads }, () => startBatchWorker());
    try {
      failures = await runBatch(input, process.stdout, workers);
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }
  } else {
    // A batch lasts long enough for worker threads to pay off on Monte Carlo lines;
    // they start with the first such line (an LPU batch does not pay for them).
    const [{ UncertaintyService }, { createMonteCarloPool }] = await Promise.all([import('../app/uncertainty.ts'), import('../runtime/monte-carlo-pool.ts')]);
    let pool: MonteCarloPool | null = null;
    const monteCarlo: MonteCarloExecutor = (raw, trials) => (pool ??= createMonteCarloPool()).executor(raw, trials);
    try {
      failures = await runBatch(input, process.stdout, new UncertaintyService({ defaultSeed: randomSeed, monteCarlo }));
    } finally {
      await (pool as MonteCarloPool | null)?.close();
    }
  }
  if (failures > 0) console.error(`metrotrace: ${failures} of the specs were rejected (see their "error" lines)`);
  return failures > 0 ? 2 : 0;
}

export const uncertaintyCommand: Command = {
  summary: 'Evaluate measurement uncertainty from a JSON spec (GUM LPU or Monte Carlo; see docs/uncertainty-spec.md)',
  usage:
    'metrotrace uncertainty evaluate FILE|- [--jsonl [--threads N]] [--report]\n\n  --jsonl      one spec per line in, one result per line out, in order (streaming batch mode)\n  --threads N  threads that evaluate the batch (default 1, this thread; N > 1: N worker threads, this one only reading and writing); the output is the same\n  --report     a readable budget table instead of JSON',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { jsonl: { type: 'boolean' }, report: { type: 'boolean' }, threads: { type: 'string' } },
    });
    const [verb, file] = positionals;
    if (verb !== 'evaluate' || file === undefined) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    if (values.jsonl) {
      const threads = batchThreads(values.threads);
      if (threads === null) {
        console.error(`metrotrace: --threads takes a whole number from 1 to 64, got '${values.threads}'\n\nusage: ${this.usage}`);
        return 2;
      }
      return await batch(file, threads);
    }
    const { UncertaintyService } = await import('../app/uncertainty.ts');
    const service = new UncertaintyService({ defaultSeed: randomSeed });
    const evaluation = service.evaluate(parseSpecText(readInput(file)));
    // the report's module is loaded only when one is asked for
    console.log(values.report ? (await import('../codecs/uncertainty-report.ts')).renderReport(evaluation) : JSON.stringify(evaluation.json, null, 2));
    return 0;
  },
};
