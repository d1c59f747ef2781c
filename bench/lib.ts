/**
 * Benchmark helpers. Machines here are shared and noisy, so every figure is
 * taken as the median of several rounds and reported next to a baseline
 * measured in the same run; the ratio is what the committed results compare.
 */
import { cpus, totalmem } from 'node:os';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs `work` `rounds` times (after one warm-up) and returns the median wall time in ms. */
export function time(work: () => void, rounds = 5): number {
  work();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    work();
    times.push(performance.now() - t0);
  }
  return median(times);
}

export function machine() {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

export interface Row {
  workload: string;
  figure: string;
  value: number;
  unit: string;
  baseline: string;
  baselineValue: number;
  ratio: number;
  target?: string;
  met?: boolean;
}
