/**
 * The batch of `metrotrace uncertainty evaluate --jsonl`: one spec a line in,
 * one result (or {"line", "error"}) a line out, in the order of the input.
 *
 * A large batch is shared out to worker threads (uncertainty-batch-worker.ts):
 * this thread reads the lines, cuts them into jobs of JOB_LINES, sends each to
 * the least busy worker and writes the answers strictly in the order of the
 * jobs; it loads neither mathjs nor the model, so the workers start at once.
 * Every worker runs the same code on the same lines as the one-thread loop,
 * so the output is byte for byte the one thread's (a test compares them). A
 * worker costs about this process's start-up (mathjs, the model compiled
 * again), so a small batch stays on one thread.
 *
 * @impure reads and writes streams, starts threads.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { Writable } from 'node:stream';
import type { UncertaintyService } from '../app/uncertainty.ts';
import { parseSpecText } from '../codecs/uncertainty-spec.ts';
import { MetrologyError } from '../core/errors.ts';
import { LineWriter } from './line-writer.ts';

/** Lines per job: large enough that handing a job over is cheap, small enough that the last ones finish together. */
export const JOB_LINES = 500;

export interface BatchJob {
  /** The line number (from 1) of the job's first line in the whole input. */
  readonly first: number;
  /** The lines as read, without their \n (a trailing \r is dropped when evaluated). */
  readonly lines: readonly string[];
}

export interface BatchResult {
  /** The UTF-8 output of the job's lines, in order. */
  readonly chunks: readonly Buffer[];
  /** How many of its lines were rejected. */
  readonly failures: number;
}

/** One input line's output line, or null for a blank line; `onFailure` hears of each rejected spec. */
function evaluateLine(service: UncertaintyService, raw: string, line: number, onFailure: () => void): string | null {
  const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (text.trim() === '') return null;
  try {
    return service.evaluateJsonText(parseSpecText(text));
  } catch (e) {
    if (!(e instanceof MetrologyError)) throw e;
    onFailure();
    return JSON.stringify({ line, error: e.toJSON() });
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

/** Evaluates a job into its output bytes (what the batch writes for those lines). */
export function evaluateJob(service: UncertaintyService, job: BatchJob): BatchResult {
  const chunks: Buffer[] = [];
  const sink = {
    write(chunk: Buffer | string): boolean {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  const out = new LineWriter(sink);
  let failures = 0;
  const failed = () => failures++;
  for (let i = 0; i < job.lines.length; i++) {
    const text = evaluateLine(service, job.lines[i]!, job.first + i, failed);
    if (text !== null) out.line(text);
  }
  out.handOver();
  return { chunks, failures };
}

/**
 * The batch on this thread alone: results are encoded a line at a time into a
 * buffer written when full, not a write per line (most of a line's cost was
 * the write) nor a joined string (its encoding was a quarter of a batch).
 */
async function oneThread(service: UncertaintyService, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<number> {
  let failures = 0;
  let line = 0;
  const failed = () => failures++;
  const out = new LineWriter(output);
  for await (const lines of lineChunks(input)) {
    for (const raw of lines) {
      const text = evaluateLine(service, raw, ++line, failed);
      if (text !== null) out.line(text);
    }
    if (out.pending >= 1 << 16) await out.flush();
  }
  await out.flush();
  return failures;
}

/** A worker thread of the batch, as this thread sees it. */
export interface BatchWorker {
  /** Jobs sent and not yet answered. */
  readonly waiting: number;
  run(job: BatchJob): Promise<BatchResult>;
  close(): Promise<void>;
}

/**
 * The worker's module: built (dist/), its JavaScript; from the TypeScript
 * sources, a bootstrap that registers tsx in the thread first.
 */
const WORKER_ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('./uncertainty-batch-worker-entry.mjs', import.meta.url)
  : new URL('./uncertainty-batch-worker.js', import.meta.url);

interface WorkerAnswer {
  readonly id: number;
  readonly chunks?: ReadonlyArray<{ readonly buffer: ArrayBuffer; readonly offset: number; readonly length: number }>;
  readonly failures?: number;
  readonly error?: string;
}

/** Starts a batch worker thread; jobs sent before it has loaded wait in its queue. */
export function startBatchWorker(): BatchWorker {
  const worker = new Worker(WORKER_ENTRY);
  const answers = new Map<number, { resolve: (r: BatchResult) => void; reject: (e: Error) => void }>();
  let broken: Error | null = null;
  let nextId = 0;
  const fail = (e: Error) => {
    broken ??= e;
    for (const a of answers.values()) a.reject(e);
    answers.clear();
  };
  worker.on('message', (m: WorkerAnswer) => {
    const answer = answers.get(m.id);
    if (!answer) return;
    answers.delete(m.id);
    if (m.error !== undefined) answer.reject(new Error(m.error));
    else answer.resolve({ chunks: m.chunks!.map((c) => Buffer.from(c.buffer, c.offset, c.length)), failures: m.failures! });
  });
  worker.on('error', fail);
  worker.on('exit', () => fail(new Error('a batch worker thread stopped')));
  return {
    get waiting() {
      return answers.size;
    },
    run(job) {
      if (broken) return Promise.reject(broken);
      const id = nextId++;
      return new Promise<BatchResult>((resolve, reject) => {
        answers.set(id, { resolve, reject });
        worker.postMessage({ id, job });
      });
    },
    async close() {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}

/** Jobs a worker may have waiting: enough that it never idles between two, few enough to bound what is held in memory. */
const MAX_WAITING = 3;

/**
 * The batch shared out to worker threads, this thread reading the lines,
 * sending them in jobs and writing the answers in the order of the jobs.
 */
async function sharedOut(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, workers: readonly BatchWorker[]): Promise<number> {
  const results = new Map<number, BatchResult>();
  const running = new Set<Promise<void>>();
  let written = 0;
  let sent = 0;
  let failures = 0;
  let failure: Error | null = null;
  let blocked = false;
  let wake: (() => void) | null = null;
  const writeOut = () => {
    for (let r = results.get(written); r !== undefined; r = results.get(written)) {
      results.delete(written++);
      failures += r.failures;
      for (const chunk of r.chunks) if (!output.write(chunk)) blocked = true;
    }
  };
  const leastBusy = () => workers.reduce((a, b) => (b.waiting < a.waiting ? b : a));
  const send = async (job: BatchJob) => {
    while (failure === null && leastBusy().waiting >= MAX_WAITING) await new Promise<void>((resolve) => (wake = resolve));
    if (failure) throw failure;
    const seq = sent++;
    const p: Promise<void> = leastBusy()
      .run(job)
      .then(
        (r) => {
          results.set(seq, r);
          writeOut();
        },
        (e: Error) => {
          failure ??= e;
        },
      )
      .finally(() => {
        running.delete(p);
        const w = wake;
        wake = null;
        w?.();
      });
    running.add(p);
  };
  let line = 0;
  let lines: string[] = [];
  for await (const chunk of lineChunks(input)) {
    for (const raw of chunk) {
      lines.push(raw);
      if (lines.length === JOB_LINES) {
        await send({ first: line + 1, lines });
        line += lines.length;
        lines = [];
      }
    }
    if (blocked) {
      blocked = false;
      // the answers are written as workers finish, so 'drain' may already have
      // come and gone while this loop awaited a job: wait only while it is still due
      if ((output as Writable).writableNeedDrain) await once(output, 'drain');
    }
  }
  if (lines.length > 0) await send({ first: line + 1, lines });
  await Promise.all(running);
  if (failure) throw failure;
  writeOut();
  return failures;
}

/**
 * Evaluates the batch of `input` onto `output`: on this thread with `service`,
 * or by the given worker threads. Returns how many specs were rejected.
 */
export function runBatch(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, by: UncertaintyService | readonly BatchWorker[]): Promise<number> {
  return Array.isArray(by) ? sharedOut(input, output, by) : oneThread(by as UncertaintyService, input, output);
}
