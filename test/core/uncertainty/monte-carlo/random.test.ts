import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Random } from '../../../../src/core/uncertainty/monte-carlo/random.ts';

const it = suite('seeded random numbers');
const N = 40_000;

type State = { a: number; b: number; c: number; d: number };
const state = (r: Random) => r as unknown as State;

/** xoshiro128** written from Blackman & Vigna's reference C, in BigInt arithmetic mod 2³². */
function reference(s0: State): () => number {
  const M = 0xffffffffn;
  const s = [s0.a, s0.b, s0.c, s0.d].map((v) => BigInt(v >>> 0));
  const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & M;
  return () => {
    const result = (rotl((s[1]! * 5n) & M, 7n) * 9n) & M;
    const t = (s[1]! << 9n) & M;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11n);
    return Number(result);
  };
}

function moments(draw: () => number, n = N) {
  let sum = 0;
  let ss = 0;
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = draw();
  for (const x of xs) sum += x;
  const mean = sum / n;
  for (const x of xs) ss += (x - mean) ** 2;
  return { mean, variance: ss / (n - 1), xs };
}

it('the 32-bit outputs are xoshiro128** of the seeded state', () => {
  const r = new Random(12345n, 0);
  const ref = reference(state(r));
  for (let i = 0; i < 1000; i++) assert.is(r.nextUint32(), ref(), `draw ${i}`);
});

it('a seed and a stream give one sequence; another seed or stream another', () => {
  const draws = (seed: bigint, stream: number) => {
    const r = new Random(seed, stream);
    return Array.from({ length: 8 }, () => r.nextUint32());
  };
  assert.equal(draws(7n, 3), draws(7n, 3));
  assert.not.equal(draws(7n, 3), draws(7n, 4));
  assert.not.equal(draws(7n, 3), draws(8n, 3));
  assert.not.equal(draws(0n, 0), draws(1n << 40n, 0), 'bits above the 32nd count');
  // a seed on record reproduces its run: these draws were made before and must not change
  // (the engine draws 63-bit seeds; the 32-bit fold that makes 1 and 2^32 alike is kept for this)
  assert.equal(draws(6917529027641081857n, 0).slice(0, 3), [701906792, 2359703418, 96373399]);
  assert.equal(draws(12345n, 0).slice(0, 3), [2407269127, 3079606827, 3141336397]);
  for (const v of draws(-5n, 0)) assert.ok(Number.isInteger(v) && v >= 0 && v < 2 ** 32, 'negative seeds too: unsigned 32-bit outputs');
});

it('a uniform double takes 27 + 26 bits of two outputs and lies in the open interval (0, 1)', () => {
  const r = new Random(99n, 1);
  const ref = reference(state(r));
  // across blocks drawn ahead (1,024 at a time): the sequence of drawing each when asked
  for (let i = 0; i < 3000; i++) {
    const hi = ref() >>> 5;
    const lo = ref() >>> 6;
    assert.is(r.uniform(), (hi * 2 ** 26 + lo + 0.5) / 2 ** 53, `uniform ${i}`);
  }
  // raw draws first, then uniforms: they follow on; raw draws after uniforms would not, and are refused
  const s = new Random(7n, 3);
  const after = reference(state(s));
  assert.is(s.nextUint32(), after());
  assert.is(s.uniform(), ((after() >>> 5) * 2 ** 26 + (after() >>> 6) + 0.5) / 2 ** 53);
  assert.throws(() => s.nextUint32(), /drawn ahead/);
  const { mean, variance, xs } = moments(() => r.uniform());
  for (const x of xs) assert.ok(x > 0 && x < 1);
  // U(0, 1): mean 1/2 (σ of the mean 0.0014), variance 1/12
  assert.ok(Math.abs(mean - 0.5) < 0.006, String(mean));
  assert.ok(Math.abs(variance - 1 / 12) < 0.002, String(variance));
});

it('normal deviates: mean 0, variance 1, both of each polar pair used', () => {
  const r = new Random(2024n, 0);
  const { mean, variance, xs } = moments(() => r.normal());
  assert.ok(Math.abs(mean) < 0.02, String(mean));
  assert.ok(Math.abs(variance - 1) < 0.03, String(variance));
  // P(|Z| < 1.96) = 0.95
  const inside = xs.filter((x) => Math.abs(x) < 1.959963984540054).length / N;
  assert.ok(Math.abs(inside - 0.95) < 0.006, String(inside));
  // the second deviate of a pair costs no draw
  const a = new Random(5n, 0);
  const b = new Random(5n, 0);
  a.normal();
  a.normal();
  b.normal();
  assert.is(a.uniform(), b.uniform());
});

it('gamma deviates have mean and variance equal to the shape, below one too', () => {
  for (const shape of [0.5, 2.5, 9]) {
    const r = new Random(77n, shape * 10);
    const { mean, variance, xs } = moments(() => r.gamma(shape));
    for (const x of xs) assert.ok(x > 0);
    assert.ok(Math.abs(mean - shape) < 0.04 * Math.sqrt(shape) + 0.01, `${shape}: mean ${mean}`);
    assert.ok(Math.abs(variance / shape - 1) < 0.06, `${shape}: variance ${variance}`);
  }
});

it('Student t deviates: variance ν/(ν − 2), and for ν = 1 quartiles at ±1 (Cauchy)', () => {
  const r = new Random(31n, 0);
  const five = moments(() => r.studentT(5));
  assert.ok(Math.abs(five.mean) < 0.03, String(five.mean));
  assert.ok(Math.abs(five.variance - 5 / 3) < 0.12, String(five.variance));
  // t₀.₉₇₅(5) = 2.5706: 95 % of draws within it
  const inside = five.xs.filter((x) => Math.abs(x) < 2.570581835636314).length / N;
  assert.ok(Math.abs(inside - 0.95) < 0.006, String(inside));
  const cauchy = moments(() => r.studentT(1)).xs.filter((x) => Math.abs(x) < 1).length / N;
  assert.ok(Math.abs(cauchy - 0.5) < 0.01, String(cauchy));
  const many = moments(() => r.studentT(1e6));
  assert.ok(Math.abs(many.variance - 1) < 0.03, 'ν → ∞: the normal distribution');
});

it.run();
