/** Decision rules and conformity decisions on the wire (decimals as strings). */
import { checkRule, type DecisionRule, decide, type PointDecision, ruleStatement, type Tolerance } from '../core/conformity/decision-rule.ts';
import { fail } from '../core/errors.ts';
import { Decimal, toText } from '../core/numeric/decimal.ts';
import { ObjectReader } from './reader.ts';

export function readRule(raw: unknown, path: string): DecisionRule {
  const r = ObjectReader.of(raw, path, 'a decision rule');
  const kind = r.oneOf('kind', ['simple', 'guard_band', 'max_pfa'] as const);
  let rule: DecisionRule;
  if (kind === 'simple') rule = { kind };
  else if (kind === 'guard_band') rule = { kind, r: r.has('r') ? r.decimal('r') : new Decimal(1) };
  else rule = { kind, pfa: r.decimal('pfa') };
  r.done();
  checkRule(rule, path);
  return rule;
}

export function writeRule(rule: DecisionRule) {
  return rule.kind === 'simple'
    ? { kind: rule.kind }
    : rule.kind === 'guard_band'
      ? { kind: rule.kind, r: toText(rule.r) }
      : { kind: rule.kind, pfa: toText(rule.pfa) };
}

export interface DecisionRequest {
  readonly rule: DecisionRule;
  readonly tolerance: Tolerance;
  readonly points: ReadonlyArray<{ value: Decimal; u: Decimal; k: Decimal; nu: Decimal }>;
}

export function readDecisionRequest(raw: unknown): DecisionRequest {
  const r = ObjectReader.of(raw, '', 'a decision request');
  const rule = readRule(r.required('rule'), '/rule');
  const t = r.object('tolerance');
  const tolerance = { lower: t.optionalDecimal('lower'), upper: t.optionalDecimal('upper') };
  t.done();
  if (!tolerance.lower && !tolerance.upper) fail('MISSING_FIELD', '/tolerance', 'a tolerance has a lower limit, an upper limit or both');
  const points = r.array('points', { max: 10_000 }).map((p, i) => {
    const pr = ObjectReader.of(p, `/points/${i}`, 'a measured point');
    const value = pr.decimal('value');
    const U = pr.decimal('expandedUncertainty');
    const k = pr.decimal('coverageFactor');
    if (!U.greaterThan(0)) fail('NEGATIVE_UNCERTAINTY', pr.at('expandedUncertainty'), 'a decision with risk needs an expanded uncertainty greater than zero');
    if (!k.greaterThan(0)) fail('INVALID_FIELD', pr.at('coverageFactor'), 'a coverage factor is greater than zero');
    const dof = pr.value('dof');
    let nu = new Decimal(Infinity);
    if (dof !== undefined && dof !== 'inf') {
      if (typeof dof !== 'string' || !/^[1-9][0-9]{0,5}$/.test(dof))
        fail('INVALID_DOF', pr.at('dof'), 'degrees of freedom are a whole number as a string, or "inf"');
      nu = new Decimal(dof);
    }
    pr.done();
    return { value, u: U.div(k), k, nu };
  });
  r.done();
  return { rule, tolerance, points };
}

export function writeDecision(d: PointDecision) {
  return {
    decision: d.decision,
    accepted: d.accepted,
    acceptanceLimits: d.acceptance && { lower: d.acceptance.lower && toText(d.acceptance.lower), upper: d.acceptance.upper && toText(d.acceptance.upper) },
    probabilityConforming: toText(d.probabilityConforming.toSignificantDigits(12)),
    specificRisk: { kind: d.specificRisk.kind, probability: toText(d.specificRisk.probability.toSignificantDigits(12)) },
  };
}

export function evaluateDecisions(req: DecisionRequest) {
  return {
    rule: ruleStatement(req.rule),
    decisions: req.points.map((p) => writeDecision(decide(req.rule, req.tolerance, p))),
  };
}
