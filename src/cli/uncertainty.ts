/**
 * metrotrace uncertainty evaluate FILE|- [--jsonl] [--report]
 *
 * One spec → one result JSON on stdout; with --jsonl, one spec a line in and
 * one result (or {"error": …}) a line out, streamed, for large batches.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type MonteCarloExecutor, UncertaintyService } from '../app/uncertainty.ts';
import { MetrologyError } from '../core/errors.ts';
import { randomSeed } from '../runtime/ambient.ts';
import type { MonteCarloPool } from '../runtime/monte-carlo-pool.ts';
import type { Command } from './command.ts';
import { LineWriter } from './line-writer.ts';

function readInput(file: string): string {
  return readFileSync(file === '-' ? 0 : file, 'utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new MetrologyError('INVALID_JSON', '', `the spec is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * The lines of a stream, a chunk at a time: a batch is evaluated line by line
 * without a promise per line (readline's async iterator cost as much as a
 * line's evaluation). Lines end with \n or \r\n.
 */
async function* lineChunks(input: NodeJS.ReadableStream): AsyncGenerator<string[]> {
  input.setEncoding('utf8');
  let rest = '';
  for await (const chunk of input as AsyncIterable<string>) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop()!;
    yield lines;
  }
  if (rest !== '') yield [rest];
}

async function batch(service: UncertaintyService, file: string): Promise<number> {
  const input = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1 << 16 });
  let failures = 0;
  let line = 0;
  // Results are encoded a line at a time into a buffer written when full, not a write per line
  // (most of a line's cost was the write) nor a joined string (its encoding was a quarter of a batch).
  const out = new LineWriter(process.stdout);
  for await (const lines of lineChunks(input)) {
    for (const raw of lines) {
      line++;
      const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (text.trim() === '') continue;
      try {
        out.line(service.evaluateJsonText(parseJson(text)));
      } catch (e) {
        if (!(e instanceof MetrologyError)) throw e;
        failures++;
        out.line(JSON.stringify({ line, error: e.toJSON() }));
      }
    }
    if (out.pending >= 1 << 16) await out.flush();
  }
  await out.flush();
  if (failures > 0) console.error(`metrotrace: ${failures} of the specs were rejected (see their "error" lines)`);
  return failures > 0 ? 2 : 0;
}

export const uncertaintyCommand: Command = {
  summary: 'Evaluate measurement uncertainty from a JSON spec (GUM LPU or Monte Carlo; see docs/uncertainty-spec.md)',
  usage:
    'metrotrace uncertainty evaluate FILE|- [--jsonl] [--report]\n\n  --jsonl   one spec per line in, one result per line out (streaming batch mode)\n  --report  a readable budget table instead of JSON',
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { jsonl: { type: 'boolean' }, report: { type: 'boolean' } } });
    const [verb, file] = positionals;
    if (verb !== 'evaluate' || file === undefined) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    if (values.jsonl) {
      // A batch lasts long enough for worker threads to pay off on Monte Carlo lines;
      // they start with the first such line (an LPU batch does not pay for them).
      // (the pool's module, worker_threads included, is loaded only with --jsonl)
      const { createMonteCarloPool } = await import('../runtime/monte-carlo-pool.ts');
      let pool: MonteCarloPool | null = null;
      const monteCarlo: MonteCarloExecutor = (raw, trials) => (pool ??= createMonteCarloPool()).executor(raw, trials);
      try {
        return await batch(new UncertaintyService({ defaultSeed: randomSeed, monteCarlo }), file);
      } finally {
        await (pool as MonteCarloPool | null)?.close();
      }
    }
    const service = new UncertaintyService({ defaultSeed: randomSeed });
    const evaluation = service.evaluate(parseJson(readInput(file)));
    // the report's module is loaded only when one is asked for
    console.log(values.report ? (await import('../codecs/uncertainty-report.ts')).renderReport(evaluation) : JSON.stringify(evaluation.json, null, 2));
    return 0;
  },
};
