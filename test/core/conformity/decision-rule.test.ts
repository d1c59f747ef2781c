/** Decision rules against examples worked by hand (ILAC G8:2019, JCGM 106:2012). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkRule, decide, type DecisionRule } from '../../../src/core/conformity/decision-rule.ts';
import { Decimal } from '../../../src/core/numeric/decimal.ts';

const D = (s: string) => new Decimal(s);
const tol = { lower: D('-1.0'), upper: D('1.0') };
// U = 0.30 with k = 2: u = 0.15, normal
const at = (x: string, nu = 'Infinity') => ({ value: D(x), u: D('0.15'), k: D('2'), nu: new Decimal(nu) });
const simple: DecisionRule = { kind: 'simple' };
const guard: DecisionRule = { kind: 'guard_band', r: D('1') };
const sig = (d: Decimal, n = 6) => d.toSignificantDigits(n).toString();

test('simple acceptance at x = 0.8: pass, with the specific false-accept probability 1 − Φ(4/3) + Φ(−12)', () => {
  // (TU − x)/u = 0.2/0.15 = 1.3333…; 1 − Φ(1.33333) = 0.0912112 (normal table: Φ(1.3333) = 0.908789); Φ(−12) ≈ 1.8e-33
  const d = decide(simple, tol, at('0.8'));
  assert.equal([d.decision, d.specificRisk.kind], ['pass', 'false_accept']);
  assert.is(sig(d.specificRisk.probability), '0.0912112');
  assert.is(sig(d.probabilityConforming), '0.908789');
});

test('guard band w = U: pass, conditional pass, conditional fail, fail', () => {
  // acceptance interval [−0.7, 0.7]
  const cases: Array<[string, string, string]> = [
    ['0.7', 'pass', 'false_accept'],
    ['0.8', 'conditional_pass', 'false_reject'],
    ['1.1', 'conditional_fail', 'false_reject'],
    ['1.3', 'conditional_fail', 'false_reject'],
    ['1.31', 'fail', 'false_reject'],
    ['-0.85', 'conditional_pass', 'false_reject'],
  ];
  for (const [x, decision, risk] of cases) {
    const d = decide(guard, tol, at(x));
    assert.equal([x, d.decision, d.specificRisk.kind], [x, decision, risk]);
  }
  const d = decide(guard, tol, at('0.7'));
  assert.equal([d.acceptance!.lower!.toString(), d.acceptance!.upper!.toString()], ['-0.7', '0.7']);
  // at x = 0.7 the false-accept probability is 1 − Φ(2) = 0.0227501
  assert.is(sig(d.specificRisk.probability), '0.0227501');
  // at x = 1.1 the false-reject probability is P(true value in tolerance) = Φ(−2/3) − Φ(−14) = 0.252493
  assert.is(sig(decide(guard, tol, at('1.1')).specificRisk.probability), '0.252493');
});

test('a point in the guard band is not accepted: x = 0.8 against ±1.0 with U = 0.30 lies outside the acceptance limits ±0.7', () => {
  // the case: the old code said accepted: true
  const d = decide(guard, tol, at('0.8'));
  assert.equal([d.decision, d.accepted, d.acceptance!.lower!.toString(), d.acceptance!.upper!.toString()], ['conditional_pass', false, '-0.7', '0.7']);
  // the risk of this (rejecting) decision: P(true value in tolerance) = Φ(4/3) − Φ(−12) = 0.908789
  assert.equal([d.specificRisk.kind, sig(d.specificRisk.probability)], ['false_reject', '0.908789']);
  assert.is(decide(guard, tol, at('0.7')).accepted, true);
  assert.is(decide(simple, tol, at('0.8')).accepted, true);
});

test('guard band w = r·U with r = 0.5 narrows the acceptance interval to [−0.85, 0.85]', () => {
  const d = decide({ kind: 'guard_band', r: D('0.5') }, tol, at('0.85'));
  assert.equal([d.decision, d.acceptance!.upper!.toString()], ['pass', '0.85']);
  assert.is(decide({ kind: 'guard_band', r: D('0.5') }, tol, at('0.86')).decision, 'conditional_pass');
});

test('maximum PFA 2.5 %: x = 0.7 (PFA 2.28 %) passes, x = 0.72 (PFA 3.1 %) is a conditional pass', () => {
  const rule: DecisionRule = { kind: 'max_pfa', pfa: D('0.025') };
  assert.is(decide(rule, tol, at('0.7')).decision, 'pass');
  const d = decide(rule, tol, at('0.72'));
  // 1 − Φ(0.28/0.15) = 1 − Φ(1.86667) = ½·erfc(1.86667/√2) = 0.0309741
  // not accepted, so the risk reported is of false reject: 1 − 0.0309741
  assert.equal([d.decision, d.accepted, d.specificRisk.kind, sig(d.specificRisk.probability)], ['conditional_pass', false, 'false_reject', '0.969026']);
  assert.is(decide(rule, tol, at('1.2')).decision, 'fail');
});

test("maximum PFA 2.5 %: x = 0.8 (PFA 9.12 %) is not accepted, and the acceptance limits are the rule's: ±(1 − z₀.₉₇₅·0.15) = ±0.706005", () => {
  const rule: DecisionRule = { kind: 'max_pfa', pfa: D('0.025') };
  const d = decide(rule, tol, at('0.8'));
  // z₀.₉₇₅ = 1.959964 (normal table); 1 − 1.959964 × 0.15 = 0.7060054
  assert.equal([d.accepted, sig(d.acceptance!.lower!), sig(d.acceptance!.upper!)], [false, '-0.706005', '0.706005']);
  assert.is(sig(d.probabilityConforming), '0.908789');
  // at the limit itself the probability of a value outside the tolerance is α (plus the far tail, ~1e-30)
  assert.is(new Decimal(1).minus(decide(rule, tol, at(d.acceptance!.upper!.toString())).probabilityConforming).toPrecision(6), '0.0250000');
});

test('maximum PFA on a tolerance only a few u wide: the far tail moves the limits inwards until P_out = α', () => {
  // ±0.3 with u = 0.15: the one-sided limits ±(0.3 − 0.293995) = ±0.006005 would leave P_out ≈ 0.05 (both tails)
  const narrow = { lower: D('-0.3'), upper: D('0.3') };
  const rule: DecisionRule = { kind: 'max_pfa', pfa: D('0.05') };
  const d = decide(rule, narrow, at('0'));
  // at x = 0, P_out = 2·(1 − Φ(2)) = 0.0455003 ≤ 0.05: accepted; the limits are where P_out = 0.05
  assert.equal([d.decision, sig(d.specificRisk.probability)], ['pass', '0.0455003']);
  const edge = d.acceptance!.upper!;
  assert.ok(edge.greaterThan(0) && edge.lessThan(D('0.3').minus(D('1.644854').times(D('0.15')))), `limit ${edge.toString()} lies inside the one-sided one`);
  assert.is(decide(rule, narrow, at(edge.toString())).specificRisk.probability.toPrecision(4), '0.05000');
});

test('maximum PFA: no acceptance zone where even the middle of the tolerance carries more than α; α of 0.5 or more is refused', () => {
  // ±0.1 with u = 0.15: at x = 0, P_out = 2·(1 − Φ(0.667)) = 0.505 > 0.05
  const d = decide({ kind: 'max_pfa', pfa: D('0.05') }, { lower: D('-0.1'), upper: D('0.1') }, at('0'));
  assert.equal([d.acceptance, d.accepted, d.decision], [null, false, 'conditional_pass']);
  assert.throws(() => checkRule({ kind: 'max_pfa', pfa: D('0.5') }, '/rule'), /between 0 and 0.5/);
  assert.throws(() => checkRule({ kind: 'max_pfa', pfa: D('0.7') }, '/rule'), /between 0 and 0.5/);
});

test("Student's t with ν = 4 makes the tails heavier: 1 − F₄(4/3) + F₄(−12) = 0.1267823", () => {
  // closed form for ν = 4: F₄(t) = ½ + t(t² + 6) / (2(t² + 4)^{3/2});
  // 1 − F₄(1.33333) = 0.1266441 and F₄(−12) = 0.0001388 (the far limit no longer negligible)
  const d = decide(simple, tol, at('0.8', '4'));
  assert.is(sig(d.specificRisk.probability, 7), '0.1267823');
});

test('one-sided tolerance and bad input', () => {
  const d = decide(simple, { lower: null, upper: D('1') }, at('0.8'));
  assert.is(sig(d.specificRisk.probability), '0.0912112');
  assert.throws(() => decide(simple, tol, { ...at('0.8'), u: D('0') }), /standard uncertainty greater than zero/);
  assert.throws(() => decide(simple, { lower: D('1'), upper: D('-1') }, at('0')), /lower tolerance limit lies above/);
});

test.run();
