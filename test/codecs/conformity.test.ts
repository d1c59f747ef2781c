/**
 * Decision rules and decisions on the wire. The figures are the normal tails:
 * x = 10, U = 0.5, k = 2 (u = 0.25) against [9, 11] is 4 u from each limit,
 * P(out) = 2·Q(4) = 2 × 3.16712418331e-5; x = 10.7 is Q(1.2) = 0.115069670227
 * from the upper limit; the one-sided 97.5 % quantile is 1.959963985.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { evaluateDecisions, readDecisionRequest, readRule, writeRule } from '../../src/codecs/conformity.ts';
import { refusal } from '../helpers/refusal.ts';

const point = (value: string, extra: Record<string, unknown> = {}) => ({ value, expandedUncertainty: '0.5', coverageFactor: '2', ...extra });

const rules = suite('decision rules');

rules('read and written back: r defaults to 1, decimals as strings', () => {
  assert.equal(writeRule(readRule({ kind: 'simple' }, '/rule')), { kind: 'simple' });
  assert.equal(writeRule(readRule({ kind: 'guard_band' }, '/rule')), { kind: 'guard_band', r: '1' });
  assert.equal(writeRule(readRule({ kind: 'guard_band', r: '0.50' }, '/rule')), { kind: 'guard_band', r: '0.5' });
  assert.equal(writeRule(readRule({ kind: 'max_pfa', pfa: '0.025' }, '/rule')), { kind: 'max_pfa', pfa: '0.025' });
});

rules('refusals at the rule path', () => {
  assert.equal(
    refusal(() => readRule({ kind: 'coin' }, '/rule')),
    ['INVALID_FIELD', '/rule/kind'],
  );
  assert.equal(
    refusal(() => readRule({ kind: 'max_pfa' }, '/rule')),
    ['MISSING_FIELD', '/rule/pfa'],
  );
  assert.equal(
    refusal(() => readRule({ kind: 'max_pfa', pfa: '0.5' }, '/rule')),
    ['INVALID_FIELD', '/rule/pfa'],
  );
  assert.equal(
    refusal(() => readRule({ kind: 'guard_band', r: '11' }, '/rule')),
    ['INVALID_FIELD', '/rule/r'],
  );
  assert.equal(
    refusal(() => readRule({ kind: 'simple', r: '1' }, '/rule')),
    ['UNKNOWN_FIELD', '/rule/r'],
  );
  assert.equal(
    refusal(() => readRule('simple', '/rule')),
    ['INVALID_FIELD', '/rule'],
  );
});

const decisions = suite('decisions');

decisions('guard band w = U: pass, conditional pass in the band, conditional fail just outside, with their risks', () => {
  const out = evaluateDecisions(
    readDecisionRequest({
      rule: { kind: 'guard_band' },
      tolerance: { lower: '9', upper: '11' },
      points: [point('10'), point('10.7'), point('11.2', { dof: '10' })],
    }),
  );
  assert.match(out.rule, /^guard band w = U \(ILAC G8:2019 4\.2\.2\)/);
  assert.equal(out.decisions[0], {
    decision: 'pass',
    accepted: true,
    acceptanceLimits: { lower: '9.5', upper: '10.5' },
    probabilityConforming: '0.999936657516',
    specificRisk: { kind: 'false_accept', probability: '0.0000633424836662' },
  });
  assert.equal(out.decisions[1], {
    decision: 'conditional_pass',
    accepted: false,
    acceptanceLimits: { lower: '9.5', upper: '10.5' },
    probabilityConforming: '0.884930329773',
    specificRisk: { kind: 'false_reject', probability: '0.884930329773' },
  });
  assert.is(out.decisions[2]!.decision, 'conditional_fail');
  assert.is(out.decisions[2]!.accepted, false);
});

decisions('simple acceptance against an upper limit alone, and max PFA moving the limit in by z·u', () => {
  const simple = evaluateDecisions(readDecisionRequest({ rule: { kind: 'simple' }, tolerance: { upper: '11' }, points: [point('10')] }));
  assert.equal(simple.decisions[0], {
    decision: 'pass',
    accepted: true,
    acceptanceLimits: { lower: null, upper: '11' },
    probabilityConforming: '0.999968328758',
    specificRisk: { kind: 'false_accept', probability: '0.0000316712418331' },
  });
  const pfa = evaluateDecisions(readDecisionRequest({ rule: { kind: 'max_pfa', pfa: '0.025' }, tolerance: { upper: '11' }, points: [point('10')] }));
  assert.match(pfa.rule, 'at most 0.025');
  assert.match(pfa.decisions[0]!.acceptanceLimits!.upper!, /^10\.5100090038/);
});

decisions('u is U/k; dof "inf" and absent are the normal distribution', () => {
  const req = readDecisionRequest({ rule: { kind: 'simple' }, tolerance: { lower: '0' }, points: [point('1', { dof: 'inf' }), point('1', { dof: '7' })] });
  assert.is(req.points[0]!.u.toString(), '0.25');
  assert.is(req.points[0]!.k.toString(), '2');
  assert.is(req.points[0]!.nu.toString(), 'Infinity');
  assert.is(req.points[1]!.nu.toString(), '7');
});

decisions('refusals: no tolerance, no positive U or k, dof not a whole number as text, an unknown field', () => {
  const req = (tolerance: unknown, p: unknown) => () => readDecisionRequest({ rule: { kind: 'simple' }, tolerance, points: [p] });
  assert.equal(refusal(req({}, point('1'))), ['MISSING_FIELD', '/tolerance']);
  assert.equal(refusal(req({ upper: '2', middle: '1' }, point('1'))), ['UNKNOWN_FIELD', '/tolerance/middle']);
  assert.equal(refusal(req({ upper: '2' }, point('1', { expandedUncertainty: '0' }))), ['NEGATIVE_UNCERTAINTY', '/points/0/expandedUncertainty']);
  assert.equal(refusal(req({ upper: '2' }, point('1', { coverageFactor: '-2' }))), ['INVALID_FIELD', '/points/0/coverageFactor']);
  for (const dof of ['0', '2.5', 7, '1234567', 'infinite'])
    assert.equal(refusal(req({ upper: '2' }, point('1', { dof }))), ['INVALID_DOF', '/points/0/dof'], String(dof));
  assert.equal(refusal(req({ upper: '2' }, point('1', { unit: 'kg' }))), ['UNKNOWN_FIELD', '/points/0/unit']);
  assert.equal(
    refusal(() => readDecisionRequest({ rule: { kind: 'simple' }, tolerance: { upper: '2' }, points: [], extra: 1 })),
    ['UNKNOWN_FIELD', '/extra'],
  );
  assert.equal(
    refusal(() => readDecisionRequest({ tolerance: { upper: '2' }, points: [] })),
    ['MISSING_FIELD', '/rule'],
  );
});

rules.run();
decisions.run();
