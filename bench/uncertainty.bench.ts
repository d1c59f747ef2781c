/**
 * Uncertainty engine benchmarks W1–W4 (issue: uncertainty engine).
 *   W1  GUM H.1, 10,000 evaluations with varying inputs through the batch path,
 *       against the same LPU in float64.
 *   W2  linear sum of N independent inputs: growth with N; N = 100 with a full
 *       correlation matrix.
 *   W3  uncertain numbers down a chain of depth D, two instruments at the end:
 *       their correlation, against the same computation with dense float arrays.
 *   W4  Monte Carlo of H.1, 10⁶ trials, against a naive single-thread loop and,
 *       when python3-numpy is installed, the same Monte Carlo in numpy.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { UncertaintyService } from '../src/app/uncertainty.ts';
import { Decimal } from '../src/core/numeric/decimal.ts';
import { correlation, mul, result, ureal } from '../src/core/uncertainty/uncertain-real.ts';
import { createMonteCarloPool } from '../src/runtime/monte-carlo-pool.ts';
import { assertBuilt, median, time, type Row } from './lib.ts';

const H1_MODEL = 'l_s + d - l_s * (delta_alpha * theta + alpha_s * delta_theta)';

function h1Spec(i: number) {
  // Inputs vary per evaluation (a batch of similar gauge blocks).
  const ls = (50 + (i % 97) * 1e-6).toFixed(6);
  return {
    measurand: 'l',
    model: H1_MODEL,
    quantities: {
      l_s: { value: ls, u: '0.000025', dof: '18', unit: 'mm' },
      d: { value: ((i % 13) * 1e-5 + 0.000215).toFixed(7), u: '0.0000097', dof: '25.6', unit: 'mm' },
      alpha_s: { value: '0.0000115', distribution: 'rectangular', halfWidth: '0.000002', unit: '1/K' },
      theta: { value: (-0.1 + (i % 7) * 0.01).toFixed(2), u: '0.41', unit: 'K' },
      delta_alpha: { value: '0', u: '0.00000058', dof: '50' },
      delta_theta: { value: '0', u: '0.029', dof: '2' },
    },
    coverage: { probability: '0.99' },
  };
}

/** The same LPU in float64: value, sensitivities (hand-derived), u_c, ν_eff, k (cached), U, budget. */
function floatH1(q: Record<string, { value: string; u?: string; halfWidth?: string; dof?: string }>, kCache: Map<number, number>, kOf: (nu: number) => number) {
  const v = (n: string) => Number(q[n]!.value);
  const ls = v('l_s');
  const d = v('d');
  const as = v('alpha_s');
  const th = v('theta');
  const da = v('delta_alpha');
  const dt = v('delta_theta');
  const u = [
    Number(q.l_s!.u),
    Number(q.d!.u),
    Number(q.alpha_s!.halfWidth) / Math.sqrt(3),
    Number(q.theta!.u),
    Number(q.delta_alpha!.u),
    Number(q.delta_theta!.u),
  ];
  const dof = [18, 25.6, Infinity, Infinity, 50, 2];
  const value = ls + d - ls * (da * th + as * dt);
  const c = [1 - (da * th + as * dt), 1, -ls * dt, -ls * da, -ls * th, -ls * as];
  let variance = 0;
  let den = 0;
  const contributions = c.map((ci, i) => ci * u[i]!);
  for (let i = 0; i < 6; i++) {
    variance += contributions[i]! ** 2;
    if (Number.isFinite(dof[i]!)) den += contributions[i]! ** 4 / dof[i]!;
  }
  const uc = Math.sqrt(variance);
  const nu = den === 0 ? Infinity : variance ** 2 / den;
  const key = Math.floor(nu);
  let k = kCache.get(key);
  if (k === undefined) kCache.set(key, (k = kOf(key)));
  return {
    value: String(value),
    u: String(uc),
    nu: String(nu),
    k: String(k),
    U: String(k * uc),
    budget: contributions.map((x) => ({ c: String(x), share: String((x * x) / variance) })),
  };
}

/** The machine is shared: the load average (1 min) at the start and the end of the run, for the notes. */
let loadAtStart = 0;
let loadAtEnd = 0;

export const notes = (): string =>
  [
    `Load average (1 min) on this shared 2-core machine: ${loadAtStart.toFixed(1)} at the start of the run, ${loadAtEnd.toFixed(1)} at the end; every figure is`,
    'the median of several rounds, and the ratios compare figures taken in the same run.',
    '',
    'W1 in process is `evaluateJsonText(JSON.parse(line))` over 10,000 lines: what the API does with a spec (its worker',
    'thread writes the result text and the route sends it as it is) and what the CLI batch writes for a line (it then encodes',
    'the text into a reused buffer, src/cli/line-writer.ts). Until this run the API built the result object and serialised it;',
    'that path is the row "building the result object", and earlier runs\' in-process W1 figures (45,471/s) were that path.',
    'The whole-process figures include start-up, loading mathjs and differentiating the model once (a batch of one spec',
    'took 0.6 s wall against 0.15 s for `--help` at load ≈ 5), and writing the 77 MB of results.',
    'W1 whole process runs as a user runs it, on one thread (the default); the row "on 2 worker threads" is the same file',
    'with `--threads 2` in the same run, which uses BOTH cores of this machine (the main thread only reads and writes).',
    'The in-process W1 rows are one core.',
  ].join('\n');

export async function runUncertaintyBenchmarks(): Promise<Row[]> {
  loadAtStart = loadavg()[0]!;
  const rows: Row[] = [];
  const service = new UncertaintyService();

  // ---- W1
  const N = 10000;
  const lines = Array.from({ length: N }, (_, i) => JSON.stringify(h1Spec(i)));
  // What the API and the CLI's batch do with a spec: the fast lane writing the result's text directly.
  const w1 = time(() => {
    for (const line of lines) service.evaluateJsonText(JSON.parse(line));
  }, 5);
  // The same result built as an object and serialised (what the API did until it sent the text).
  const w1object = time(() => {
    for (const line of lines) JSON.stringify(service.evaluateJson(JSON.parse(line)));
  }, 5);
  // The general lane (readSpec, Decimal LPU, writeLpuResult): what every spec took before.
  const w1general = time(() => {
    for (const line of lines) JSON.stringify(service.evaluate(JSON.parse(line)).json);
  }, 3);
  const kOf = (nu: number) =>
    Number(
      (
        service.evaluate({ model: 'x', quantities: { x: { value: '0', u: '1', dof: String(nu) } }, coverage: { probability: '0.99' } }).json.outputs as Record<
          string,
          { coverageFactor: string }
        >
      ).y!.coverageFactor,
    );
  const kCache = new Map<number, number>();
  const w1f = time(() => {
    for (const line of lines) JSON.stringify(floatH1(JSON.parse(line).quantities, kCache, kOf));
  }, 5);
  rows.push({
    workload: 'W1 GUM H.1 batch (10,000 evaluations), in process',
    figure: 'evaluations/s (exact, 40 digits)',
    value: Math.round(N / (w1 / 1000)),
    unit: '1/s',
    baseline: 'the same LPU in float64 (evaluations/s)',
    baselineValue: Math.round(N / (w1f / 1000)),
    ratio: w1 / w1f,
    target: '≥ 50,000/s on one core',
    met: N / (w1 / 1000) >= 50000,
  });
  rows.push({
    workload: 'W1 GUM H.1 batch, in process, building the result object and `JSON.stringify` (what the API did before it sent the text)',
    figure: 'evaluations/s (exact, 40 digits)',
    value: Math.round(N / (w1object / 1000)),
    unit: '1/s',
    baseline: 'the result written as text (the row above), same run',
    baselineValue: Math.round(N / (w1 / 1000)),
    ratio: w1object / w1,
  });
  rows.push({
    workload: 'W1 GUM H.1 batch, in process: exact kernel vs the Decimal path',
    figure: 'evaluations/s, general lane (Decimal)',
    value: Math.round(N / (w1general / 1000)),
    unit: '1/s',
    baseline: 'the fast lane (exact kernel) building the result object too, same run',
    baselineValue: Math.round(N / (w1object / 1000)),
    ratio: w1general / w1object,
  });
  rows.push(...wholeProcessW1(kOf));

  // ---- W2
  const linear = (n: number, correlated = false) => {
    const quantities: Record<string, object> = {};
    for (let i = 0; i < n; i++) quantities[`x${i}`] = { value: String(i % 10), u: '0.01', dof: '10' };
    const correlations: object[] = [];
    if (correlated) for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) correlations.push({ a: `x${i}`, b: `x${j}`, r: '0.5' });
    return { model: Array.from({ length: n }, (_, i) => `x${i}`).join(' + '), quantities, ...(correlated ? { correlations } : {}) };
  };
  // What the CLI's batch and the API run (evaluateJson: the exact kernel's fast
  // lane, reverse mode for a model this wide), beside the general Decimal lane.
  const perEval: Record<number, number> = {};
  let generalW2 = 0;
  for (const n of [10, 100, 1000, 10000]) {
    const spec = linear(n);
    service.evaluateJson(spec); // compile once (cached); the figure is the evaluation
    const reps = n >= 10000 ? 3 : n >= 1000 ? 20 : 200;
    perEval[n] =
      time(() => {
        for (let r = 0; r < reps; r++) service.evaluateJson(spec);
      }, 3) / reps;
    if (n === 1000) {
      service.evaluate(spec);
      generalW2 =
        time(() => {
          for (let r = 0; r < reps; r++) service.evaluate(spec);
        }, 3) / reps;
    }
  }
  for (const n of [100, 1000, 10000]) {
    rows.push({
      workload: `W2 linear sum, N = ${n}`,
      figure: 'ms per evaluation',
      value: perEval[n]!,
      unit: 'ms',
      baseline: 'N = 10 per evaluation × N/10 (1.0 = linear growth)',
      baselineValue: (perEval[10]! * n) / 10,
      ratio: perEval[n]! / ((perEval[10]! * n) / 10),
      ...(n === 1000 ? { target: '≤ 2.5 ms', met: perEval[n]! <= 2.5 } : {}),
    });
  }
  rows.push({
    workload: 'W2 linear sum, N = 1000: exact kernel vs the Decimal path',
    figure: 'ms per evaluation, general lane (Decimal)',
    value: generalW2,
    unit: 'ms',
    baseline: 'the fast lane (exact kernel), same run',
    baselineValue: perEval[1000]!,
    ratio: generalW2 / perEval[1000]!,
  });
  const full = linear(100, true);
  service.evaluate(full);
  const corr = time(() => service.evaluate(full), 5);
  rows.push({
    workload: 'W2 linear sum, N = 100, full correlation matrix (r = 0.5)',
    figure: 'ms per evaluation',
    value: corr,
    unit: 'ms',
    baseline: 'N = 100 independent',
    baselineValue: perEval[100]!,
    ratio: corr / perEval[100]!,
  });

  // ---- W3
  for (const depth of [10, 100]) {
    const one = new Decimal(1);
    const u = new Decimal('1e-6');
    let r = new Decimal(0);
    const decimalMs =
      time(() => {
        for (let rep = 0; rep < 50; rep++) {
          let s = ureal(one, u, undefined, 'primary');
          for (let i = 1; i <= depth; i++) s = result(mul(s, ureal(one, u, undefined, `ratio ${i}`)), `level ${i}`);
          r = correlation(mul(s, ureal(one, u, undefined, 'a')), mul(s, ureal(one, u, undefined, 'b')));
        }
      }, 5) / 50;
    const exact = new Decimal(depth + 1).div(depth + 2);
    // Baseline: the same chain with dense float sensitivity vectors (one entry per influence).
    const floatMs =
      time(() => {
        for (let rep = 0; rep < 50; rep++) {
          const n = depth + 3;
          let s = new Float64Array(n);
          s[0] = 1e-6;
          for (let i = 1; i <= depth; i++) {
            const next = Float64Array.from(s);
            next[i] = 1e-6;
            s = next;
          }
          const a = Float64Array.from(s);
          a[depth + 1] = 1e-6;
          const b = Float64Array.from(s);
          b[depth + 2] = 1e-6;
          let ab = 0;
          let aa = 0;
          let bb = 0;
          for (let i = 0; i < n; i++) {
            ab += a[i]! * b[i]!;
            aa += a[i]! ** 2;
            bb += b[i]! ** 2;
          }
          void (ab / Math.sqrt(aa * bb));
        }
      }, 5) / 50;
    rows.push({
      workload: `W3 chain depth D = ${depth}, correlation of two instruments`,
      figure: `ms (r = ${r.eq(exact) ? 'exactly' : 'NOT'} ${depth + 1}/${depth + 2})`,
      value: decimalMs,
      unit: 'ms',
      baseline: 'dense float64 sensitivity vectors',
      baselineValue: floatMs,
      ratio: decimalMs / floatMs,
      ...(depth === 100 ? { target: '≤ 0.4 ms, r exact (issue 19)', met: decimalMs <= 0.4 && r.eq(exact) } : {}),
    });
  }

  // ---- W4
  const mcSpec = {
    ...h1Spec(0),
    quantities: { ...h1Spec(0).quantities, delta_theta: { value: '0', distribution: 'u-shaped', halfWidth: '0.05' } },
    method: 'monte-carlo',
    trials: '1000000',
    seed: '101',
  };
  const pool = createMonteCarloPool();
  await pool.ready();
  const pooled = new UncertaintyService({ monteCarlo: pool.executor });
  pooled.evaluate(mcSpec);
  const before = process.memoryUsage().rss;
  let peak = before;
  const mcTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    pooled.evaluate(mcSpec);
    mcTimes.push(performance.now() - t0);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  await pool.close();
  const mc = median(mcTimes);
  const single = time(() => service.evaluate(mcSpec), 3);
  const naive = time(() => naiveH1(1_000_000), 2);
  // numpy (Debian's python3-numpy), vectorised on one thread: the peer issue 19 names for W4
  const numpy =
    spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0
      ? (JSON.parse(spawnSync('/usr/bin/python3', ['bench/peers/w4_numpy.py', '5'], { encoding: 'utf8' }).stdout.trim()) as { ms: number; numpy: string })
      : null;
  rows.push({
    workload: `W4 Monte Carlo of H.1, 10⁶ trials, this thread + ${pool.threads} worker(s)`,
    figure: 'wall ms (sampling, model, interval)',
    value: mc,
    unit: 'ms',
    baseline: 'naive single-thread loop (Math.random, closure per trial, Array sort)',
    baselineValue: naive,
    ratio: mc / naive,
    target: '≤ 300 ms on 2 cores',
    met: mc <= 300,
  });
  if (numpy) {
    rows.push({
      workload: `W4 Monte Carlo of H.1, 10⁶ trials, this thread + ${pool.threads} worker(s), against numpy`,
      figure: 'wall ms',
      value: mc,
      unit: 'ms',
      baseline: `numpy ${numpy.numpy}, the same draws' distributions vectorised on one thread (bench/peers/w4_numpy.py), same run, ms`,
      baselineValue: numpy.ms,
      ratio: mc / numpy.ms,
      target: '≤ 0.5× numpy',
      met: mc / numpy.ms <= 0.5,
    });
  }
  rows.push({
    workload: 'W4 Monte Carlo of H.1, 10⁶ trials, one thread',
    figure: 'wall ms',
    value: single,
    unit: 'ms',
    baseline: 'naive single-thread loop',
    baselineValue: naive,
    ratio: single / naive,
  });
  rows.push({
    workload: 'W4 Monte Carlo of H.1, 10⁶ trials',
    figure: 'resident memory growth (MB)',
    value: (peak - before) / 1e6,
    unit: 'MB',
    baseline: 'resident memory before the run (MB)',
    baselineValue: before / 1e6,
    ratio: (peak - before) / before,
    target: '< 200 MB',
    met: (peak - before) / 1e6 < 200,
  });
  loadAtEnd = loadavg()[0]!;
  return rows;
}

/** GTC 1.5 (Python, floats) on the same 50,000 specs, measured on this machine in the run that filed issue 19; GTC is not installable here (PyPI is unreachable). */
const GTC_RECORDED = 15246;

/**
 * W1 whole process: 50,000 H.1 specs through `metrotrace uncertainty evaluate
 * --jsonl` (start-up included), against python-uncertainties (Debian's
 * python3-uncertainties) on the same file in the same run, when installed.
 */
function wholeProcessW1(kOf: (nu: number) => number): Row[] {
  assertBuilt();
  const M = 50000;
  const dir = mkdtempSync(join(tmpdir(), 'metrotrace-w1-'));
  try {
    const specs = join(dir, 'h1.jsonl');
    writeFileSync(specs, Array.from({ length: M }, (_, i) => JSON.stringify(h1Spec(i))).join('\n') + '\n');
    const ktable = join(dir, 'k.json');
    const table: Record<number, number> = { 0: kOf(1e9) };
    for (let nu = 1; nu <= 400; nu++) table[nu] = kOf(nu);
    writeFileSync(ktable, JSON.stringify(table));
    const run = (cmd: string, args: string[]) => {
      const t0 = performance.now();
      const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
      const ms = performance.now() - t0;
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status} ${r.stderr}`);
      return ms;
    };
    const ours = median([0, 1, 2].map(() => run(process.execPath, ['bin/metrotrace', 'uncertainty', 'evaluate', '--jsonl', specs])));
    // the threads change the time, never the bytes
    const output = (threads: string) =>
      spawnSync(process.execPath, ['bin/metrotrace', 'uncertainty', 'evaluate', '--jsonl', '--threads', threads, specs], { maxBuffer: 1 << 28 }).stdout;
    if (!output('1').equals(output('2'))) throw new Error('W1: the batch on worker threads wrote other bytes than on one thread');
    const twoThreads = median([0, 1, 2].map(() => run(process.execPath, ['bin/metrotrace', 'uncertainty', 'evaluate', '--jsonl', '--threads', '2', specs])));
    // start-up alone (TypeScript compiled at run time until the build of issue 19 part 1 lands)
    const startup = median([0, 1, 2].map(() => run(process.execPath, ['bin/metrotrace', '--help'])));
    const python = '/usr/bin/python3';
    const peer =
      spawnSync(python, ['-c', 'import uncertainties'], { stdio: 'ignore' }).status === 0
        ? median([0, 1, 2].map(() => run(python, ['bench/peers/h1_uncertainties.py', specs, ktable])))
        : null;
    const rate = (ms: number) => Math.round(M / (ms / 1000));
    const rows: Row[] = [];
    if (peer !== null) {
      rows.push({
        workload: 'W1 GUM H.1, 50,000 specs, whole process (`uncertainty evaluate --jsonl`, start-up included)',
        figure: 'evaluations/s (exact, 40 digits)',
        value: rate(ours),
        unit: '1/s',
        baseline: 'python-uncertainties 3.1.6 (floats), same specs, same run, evaluations/s',
        baselineValue: rate(peer),
        // our time over theirs: at most 1 when we are at least as fast
        ratio: ours / peer,
        target: '≥ 1× python-uncertainties (ratio ≤ 1)',
        met: ours <= peer,
      });
      rows.push({
        workload: 'W1 GUM H.1, 50,000 specs, whole process less start-up (`metrotrace --help` wall time, same run)',
        figure: `evaluations/s (start-up ${Math.round(startup).toLocaleString('en')} ms subtracted)`,
        value: rate(Math.max(1, ours - startup)),
        unit: '1/s',
        baseline: 'python-uncertainties 3.1.6, whole process, same run, evaluations/s',
        baselineValue: rate(peer),
        ratio: Math.max(1, ours - startup) / peer,
      });
    }
    rows.push({
      workload: 'W1 GUM H.1, 50,000 specs, whole process on 2 worker threads (`--threads 2`: both cores)',
      figure: 'evaluations/s (exact, 40 digits)',
      value: rate(twoThreads),
      unit: '1/s',
      baseline: 'the default, one thread, same run (evaluations/s)',
      baselineValue: rate(ours),
      ratio: twoThreads / ours,
    });
    rows.push({
      workload: 'W1 GUM H.1, 50,000 specs, whole process, against GTC',
      figure: 'evaluations/s (exact, 40 digits)',
      value: rate(ours),
      unit: '1/s',
      baseline: 'GTC (floats), recorded in issue 19 on this machine, not installable here (evaluations/s)',
      baselineValue: GTC_RECORDED,
      ratio: GTC_RECORDED / rate(ours),
      target: '≥ 2× GTC (ratio ≤ 0.5)',
      met: rate(ours) >= 2 * GTC_RECORDED,
    });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What a first attempt looks like: Math.random, Box–Muller per draw, t by χ² sum, a closure per trial, Array sort. */
function naiveH1(trials: number): number[] {
  const normal = () => Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
  const t = (nu: number) => {
    let chi = 0;
    const whole = Math.max(1, Math.round(nu));
    for (let i = 0; i < whole; i++) chi += normal() ** 2;
    return normal() / Math.sqrt(chi / whole);
  };
  const model = (x: Record<string, number>) => x.l_s! + x.d! - x.l_s! * (x.delta_alpha! * x.theta! + x.alpha_s! * x.delta_theta!);
  const out: number[] = [];
  for (let i = 0; i < trials; i++) {
    out.push(
      model({
        l_s: 50.000623 + 0.000025 * t(18),
        d: 0.000215 + 0.0000097 * t(25.6),
        alpha_s: 0.0000115 + 0.000002 * (2 * Math.random() - 1),
        theta: -0.1 + 0.41 * normal(),
        delta_alpha: 0.00000058 * t(50),
        delta_theta: 0.05 * Math.sin(2 * Math.PI * Math.random()),
      }),
    );
  }
  out.sort((a, b) => a - b);
  return [out[Math.floor(0.005 * trials)]!, out[Math.floor(0.995 * trials)]!];
}
