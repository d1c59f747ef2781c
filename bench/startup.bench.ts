/**
 * Start-up (issue 19): whole processes, as a person runs them, built (dist/,
 * what `npm ci` leaves), each against baselines from the same run: a bare
 * `node -e 0`, and the same command through tsx from the TypeScript sources
 * (compiled at run time, as before the build). Rounds alternate subject and
 * baseline so that both see the same load on this shared machine.
 *
 *   S1 metrotrace --help
 *   S2 metrotrace uncertainty evaluate (one spec: GUM H.1, the end gauge)
 *   S3 metrotrace status --certificate … on the demo database
 *   S4 first `metrotrace serve` on a new data directory: until /health answers
 *      with the demo loaded (baseline: the same from the sources with
 *      METROTRACE_TEMPLATES=0, i.e. initdb, migrations and the demo loaded
 *      item by item, as before the build; one round, it takes a minute)
 *
 *   npm run bench -- startup      (METROTRACE_BENCH_ROUNDS, default 5)
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertBuilt, median, type Row } from './lib.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/metrotrace');
const ROUNDS = Math.max(1, Number(process.env.METROTRACE_BENCH_ROUNDS ?? 5));
const SPEC = 'fixtures/gum/h1-end-gauge.json';
const CERTIFICATE = 'XH-JD2026-00317';
const SOURCE = { METROTRACE_FROM_SOURCE: '1' };

/** Wall time of one process, ms; it must exit with `status`. */
function wall(args: string[], env: NodeJS.ProcessEnv = {}, status = 0): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 2 ** 20 });
  const ms = performance.now() - t0;
  if (r.status !== status) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/** Starts `serve` on `dataDir` and gives the ms until GET /health answers 200; the server is stopped after. */
async function firstStart(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: '0', LOG: '0', METROTRACE_DATA: dataDir, DATABASE_URL: '', METROTRACE_DEMO: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stderr.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const m = /API on (http:\/\/\S+?) /.exec(text);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${text}`)));
    });
    for (;;) {
      const res = await fetch(`${url}/health`).catch(() => undefined);
      if (res?.ok) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    return performance.now() - t0;
  } finally {
    child.kill('SIGINT');
    await exited;
  }
}

const row = (
  workload: string,
  values: number[],
  baseline: string,
  baselineValues: number[],
  target?: { text: string; met: (value: number, ratio: number) => boolean },
): Row => {
  const value = median(values);
  const baselineValue = median(baselineValues);
  const ratio = value / baselineValue;
  return {
    workload,
    figure: `wall ms (median of ${values.length})`,
    value,
    unit: 'ms',
    baseline: `${baseline} (median of ${baselineValues.length})`,
    baselineValue,
    ratio,
    ...(target ? { target: target.text, met: target.met(value, ratio) } : {}),
  };
};

export let notes = '';

export async function runStartupBenchmarks(): Promise<Row[]> {
  assertBuilt();
  const loadBefore = loadavg()[0]!;
  const scratch = mkdtempSync(join(tmpdir(), 'metrotrace-bench-startup-'));
  try {
    const node0: number[] = [];
    const help: number[] = [];
    const helpSource: number[] = [];
    const evaluate: number[] = [];
    const evaluateSource: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      node0.push(wall(['-e', '0']));
      help.push(wall([BIN, '--help']));
      helpSource.push(wall([BIN, '--help'], SOURCE));
      evaluate.push(wall([BIN, 'uncertainty', 'evaluate', SPEC]));
      evaluateSource.push(wall([BIN, 'uncertainty', 'evaluate', SPEC], SOURCE));
    }

    const starts: number[] = [];
    for (let i = 0; i < Math.min(ROUNDS, 3); i++) starts.push(await firstStart(join(scratch, `data-${i}`)));
    const startsBefore = [await firstStart(join(scratch, 'data-before'), { ...SOURCE, METROTRACE_TEMPLATES: '0' })];

    // S3 on the demo database the first start made (at a date where the certificate is in force: exit 0).
    const data = { METROTRACE_DATA: join(scratch, 'data-0'), DATABASE_URL: '' };
    const status: number[] = [];
    const statusSource: number[] = [];
    const node0b: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      node0b.push(wall(['-e', '0']));
      status.push(wall([BIN, 'status', '--certificate', CERTIFICATE, '--at', '2026-06-01'], data));
      statusSource.push(wall([BIN, 'status', '--certificate', CERTIFICATE, '--at', '2026-06-01'], { ...data, ...SOURCE }));
    }

    notes = [
      'Each figure is the wall time of a whole process (node start-up included), built (`dist/`), with its baselines from the same run: a bare `node -e 0`, and the same command run through tsx from the TypeScript sources (`METROTRACE_FROM_SOURCE=1`, compiled at run time as before the build).',
      `S4's baseline is the first start as it was before the build: from the sources, with \`METROTRACE_TEMPLATES=0\` (PostgreSQL's initdb, every migration, and the demo loaded item by item through the services): ${(startsBefore[0]! / 1000).toFixed(1)} s in this run. Built, a new data directory is a copy of the demo prepared at install time (\`dist/pglite-demo\`), then the server issues its own demo keys.`,
      'S3 and the first start are mostly PGlite: opening an existing data directory (WebAssembly PostgreSQL starting) takes most of S3.',
      `Load average (1 min) of this shared machine: ${loadBefore.toFixed(1)} as the run began, ${loadavg()[0]!.toFixed(1)} as it ended (on a loaded machine the ratios to \`node -e 0\` move with the load too: compare runs made at similar loads).`,
    ].join('\n\n');

    const perNode = (limit: number) => ({ text: `≤ ${limit}× node -e 0`, met: (_v: number, r: number) => r <= limit });
    const under = (ms: number) => ({ text: `≤ ${ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`}`, met: (v: number) => v <= ms });
    return [
      row('S1 metrotrace --help', help, 'node -e 0', node0, perNode(3)),
      row('S1 metrotrace --help', help, 'the same through tsx from the sources', helpSource),
      row(`S2 metrotrace uncertainty evaluate ${SPEC}`, evaluate, 'node -e 0', node0, under(500)),
      row(`S2 metrotrace uncertainty evaluate ${SPEC}`, evaluate, 'the same through tsx from the sources', evaluateSource),
      row(`S3 metrotrace status --certificate ${CERTIFICATE} (demo database)`, status, 'node -e 0', node0b, under(1500)),
      row(`S3 metrotrace status --certificate ${CERTIFICATE} (demo database)`, status, 'the same through tsx from the sources', statusSource),
      row(
        'S4 first metrotrace serve on a new data directory, until /health answers (demo loaded)',
        starts,
        'before the build: sources, initdb, migrations, demo item by item',
        startsBefore,
        under(15_000),
      ),
    ];
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
