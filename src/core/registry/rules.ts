/**
 * The registry's integrity rules, as pure checks over values already loaded.
 * Each throws a MetrologyError naming the field at fault; the use cases call
 * them before anything is written, so a rejected input leaves no trace.
 */
import type { CalendarDate } from '../dates.ts';
import { fail } from '../errors.ts';
import { Decimal, valueOf } from '../numeric/decimal.ts';
import { checkRule, decide, type PointDecision } from '../conformity/decision-rule.ts';
import { authorised, recordAt, REFERENCE_VALIDITY_CODES, referenceFindings, resolveChain, type TraceGraph } from '../traceability/chain.ts';
import { suspicion } from '../verification/status.ts';
import type { CalibrationRecord, Cmc, Equipment, LabScope, MeasuredPoint, MeasuringRange, Organisation } from './types.ts';
import { comparableUnits, compareQuantities, hasOffset } from './units.ts';
import { certificateKindOf, isStandardLevel, PERFORMING_KINDS } from './vocabulary.ts';

export function checkRange(range: MeasuringRange | null, path: string): void {
  if (range?.min && range.max && valueOf(range.min).greaterThan(valueOf(range.max))) {
    fail('INVALID_RANGE', `${path}/min`, `the range's lower bound ${range.min} lies above its upper bound ${range.max}`);
  }
}

export function checkScope(scope: LabScope, lab: Organisation | undefined): void {
  if (!lab) fail('UNKNOWN_REFERENCE', '/labId', `no organisation has id '${scope.labId}'`);
  if (!PERFORMING_KINDS.includes(lab.kind)) {
    fail('WRONG_ORGANISATION_KIND', '/labId', `'${lab.id}' is a ${lab.kind}; only a legal metrology institute or a calibration lab has an authorised scope`);
  }
  checkRange(scope.range, '/range');
  if (scope.validUntil < scope.validFrom) {
    fail('INVALID_RANGE', '/validUntil', `the scope ends (${scope.validUntil}) before it starts (${scope.validFrom})`);
  }
}

/**
 * The authority that issued a scope's authorisation (授权证书) is a registered
 * regulator: a market-regulation administration grants mandatory-verification
 * authority, not a lab or an owner.
 * @throws UNKNOWN_REFERENCE, WRONG_ORGANISATION_KIND at /issuedBy
 */
export function checkIssuer(issuedBy: string | null | undefined, issuer: Organisation | undefined): void {
  if (issuedBy === null || issuedBy === undefined) return;
  if (!issuer) fail('UNKNOWN_REFERENCE', '/issuedBy', `no organisation has id '${issuedBy}'; register the regulator that issued the authorisation first`);
  if (issuer.kind !== 'regulator') {
    fail(
      'WRONG_ORGANISATION_KIND',
      '/issuedBy',
      `'${issuer.id}' is a ${issuer.kind.replace(/_/g, ' ')}; an authorisation is issued by a regulator (市场监督管理局)`,
    );
  }
}

export function checkEquipment(equipment: Equipment, owner: Organisation | undefined): void {
  if (!owner) fail('UNKNOWN_REFERENCE', '/ownerId', `no organisation has id '${equipment.ownerId}'`);
  checkRange(equipment.range, '/range');
  const a = equipment.assessment;
  if (a && a.validUntil < a.validFrom) {
    fail('INVALID_RANGE', '/assessment/validUntil', `the assessment certificate expires (${a.validUntil}) before it is issued (${a.validFrom})`);
  }
  if (a && !isStandardLevel(equipment.level)) {
    fail('INVALID_FIELD', '/assessment', 'only a measurement standard has an assessment certificate (计量标准考核证书); a working instrument does not');
  }
  if (equipment.realisation && equipment.level !== 'national_primary_standard') {
    fail(
      'INVALID_FIELD',
      '/realisation',
      'only a national primary standard declares an SI realisation or an NMI certificate; other levels trace through records',
    );
  }
  if ((equipment.level === 'national_primary_standard' || equipment.level === 'public_highest_standard') && owner.kind !== 'legal_metrology_institute') {
    fail(
      'WRONG_ORGANISATION_KIND',
      '/level',
      `a ${equipment.level === 'national_primary_standard' ? 'national primary standard (国家计量基准)' : 'public highest standard (社会公用计量标准)'} is held by a legal metrology institute; '${owner.id}' is a ${owner.kind.replace(/_/g, ' ')}`,
    );
  }
}

/** Nothing that has happened (a calibration, a finding, an event) is dated after today. */
export function checkNotFuture(date: CalendarDate, today: CalendarDate, path: string, what: string): void {
  if (date > today) fail('DATE_IN_FUTURE', path, `${what} is dated ${date}, after today (${today}); record it on or after the day it happens`);
}

/**
 * The legal authority of the lab behind a verification of an instrument under
 * mandatory verification (强制检定): on the performance date it must hold a
 * scope that allows mandatory verification and covers the instrument's
 * category (or, for a scope without one, its quantity) and its range, in a
 * comparable unit. Anything else may not be written; the label would claim a
 * verification the law does not recognise.
 * @throws LAB_NOT_AUTHORISED at /labId
 */
export function checkAuthority(record: CalibrationRecord, subject: Equipment, scopes: readonly LabScope[], mandatory: boolean): void {
  if (record.kind !== 'verification' || !mandatory) return;
  if (authorised(scopes, subject, record.performedOn, { mandatoryVerification: true })) return;
  const held = scopes.filter((s) => s.validFrom <= record.performedOn && record.performedOn <= s.validUntil);
  const why =
    held.length === 0
      ? 'it held no scope valid on that day'
      : held.some((s) => s.mandatoryVerification)
        ? `none of its scopes valid that day covers ${subject.category ? `category ${subject.category}` : subject.quantity} over ${subject.range.min ?? '−∞'}–${subject.range.max ?? '∞'} ${subject.range.unit}`
        : 'none of its scopes valid that day allows mandatory verification';
  fail(
    'LAB_NOT_AUTHORISED',
    '/labId',
    `'${record.labId}' may not verify '${subject.id}' on ${record.performedOn}: the instrument is under mandatory verification and ${why}; a mandatory verification is performed by an institution authorised for it (计量授权)`,
  );
}

/**
 * Every reference standard of a record in the registry was usable on the
 * performance date: a record in force (not expired, not failed), a valid
 * assessment certificate where one is required, not suspended, no
 * out-of-tolerance finding reaching back before that day. References outside
 * the registry (`externalReferences`) are not checked.
 * @throws REFERENCE_NOT_VALID at /referenceIds/i, naming the reason
 */
export function checkReferences(record: CalibrationRecord, graph: TraceGraph): void {
  record.referenceIds.forEach((id, i) => {
    const bad = referenceFindings(graph, id, record).filter((f) => REFERENCE_VALIDITY_CODES.has(f.code));
    if (bad.length === 0) return;
    fail(
      'REFERENCE_NOT_VALID',
      `/referenceIds/${i}`,
      `reference '${id}' could not be used on ${record.performedOn}: ${bad.map((f) => `${f.code} — ${f.message}`).join('; ')}`,
      { reason: bad[0]!.code },
    );
  });
}

/**
 * A verification under mandatory verification that passes is what the public
 * label will call usable, so it must name the standards it was performed with
 * (in the registry or, from another registry, as external references) and the
 * chain behind it must hold on its day — otherwise it would be suspect from
 * the moment it is written. (A failed verification claims nothing.)
 * @throws MISSING_FIELD at /referenceIds, CHAIN_BROKEN at /referenceIds naming the findings
 */
export function checkMandatoryVerification(record: CalibrationRecord, subject: Equipment, graph: TraceGraph | null): void {
  if (record.kind !== 'verification' || record.conformity !== 'pass') return;
  if (record.referenceIds.length === 0 && (record.externalReferences ?? []).length === 0) {
    fail(
      'MISSING_FIELD',
      '/referenceIds',
      `a verification of '${subject.id}', which is under mandatory verification, names the standards it was performed with (referenceIds, or externalReferences for standards outside this registry)`,
    );
  }
  if (!graph) return;
  const withRecord: TraceGraph = {
    ...graph,
    equipment: (id) => (id === subject.id ? subject : graph.equipment(id)),
    records: (id) => (id === subject.id ? [record] : graph.records(id)),
  };
  const broken = suspicion(record, resolveChain(withRecord, subject.id, record.performedOn, record).findings);
  if (broken.length === 0) return;
  fail(
    'CHAIN_BROKEN',
    '/referenceIds',
    `the chain behind this verification of '${subject.id}' was broken on ${record.performedOn}: ${broken.map((f) => `${f.code} at ${f.equipmentId} — ${f.message}`).join('; ')}; the label would call the instrument suspect from the start`,
    { findings: broken.map((f) => f.code) },
  );
}

/**
 * A result cannot be known better than the standard it was obtained with: at
 * any point of the record that states U and k, its relative standard
 * uncertainty may not lie below what the record in force of a reference (of
 * the same quantity) states at the same nominal value, in a comparable unit —
 * below that divided by √n with n references, the best their mean could do.
 * Points without such a twin are not compared: a weight set's 1 g piece says
 * nothing about a balance at 10 kg. (Nor are values on an offset scale such as
 * °C, where a relative uncertainty means nothing.)
 * @throws UNCERTAINTY_BELOW_REFERENCE at the point
 */
export function checkUncertaintyAgainstReferences(record: CalibrationRecord, subject: Equipment, graph: TraceGraph): void {
  const references = record.referenceIds
    .map((id) => ({ id, equipment: graph.equipment(id), record: recordAt(graph.records(id), record.performedOn) }))
    .filter((r) => r.equipment?.quantity === subject.quantity && r.record !== null);
  if (references.length === 0) return;
  const root = new Decimal(record.referenceIds.length).sqrt();
  record.points.forEach((p, i) => {
    const u = relativeU(p);
    if (u === null) return;
    for (const r of references) {
      const twin = r.record!.points.find(
        (q) => comparableUnits(q.unit, p.unit) && relativeU(q) !== null && compareQuantities(valueOf(q.nominal), q.unit, valueOf(p.nominal), p.unit) === 0,
      );
      if (!twin) continue;
      const floor = relativeU(twin)!.div(root);
      if (!u.lessThan(floor)) continue;
      fail(
        'UNCERTAINTY_BELOW_REFERENCE',
        `/points/${i}/expandedUncertainty`,
        `the relative standard uncertainty stated at ${p.nominal} ${p.unit} (${u.toSignificantDigits(3).toString()}) is below the ${floor.toSignificantDigits(3).toString()} that ${r.id} (certificate ${r.record!.certificateNo}) states at the same value; a certificate's uncertainty includes its reference's — check U, k and the unit`,
      );
    }
  });
}

/** U/k over |nominal| of a point that states both (null otherwise, and on an offset scale such as °C). */
function relativeU(p: MeasuredPoint): Decimal | null {
  if (p.expandedUncertainty === null || p.coverageFactor === null || hasOffset(p.unit)) return null;
  const nominal = valueOf(p.nominal).abs();
  return nominal.isZero() ? null : valueOf(p.expandedUncertainty).div(valueOf(p.coverageFactor)).div(nominal);
}

/** What a new record is checked against: the rows its ids name, as loaded. */
export interface RecordContext {
  readonly subject: Equipment | undefined;
  readonly lab: Organisation | undefined;
  readonly references: ReadonlyMap<string, Equipment>;
  readonly superseded: CalibrationRecord | undefined;
  /** True when a correction already supersedes the record named by `supersedes`. */
  readonly supersededAlready: boolean;
}

/**
 * A reported uncertainty may not be smaller than the lab's CMC for that
 * quantity and range on the performance date (compared as standard
 * uncertainties, U/k, in comparable units: a point in g meets a CMC in kg).
 * Points outside every CMC of the lab are not checked here.
 * @throws CMC_VIOLATION naming the point
 */
export function checkCmc(record: CalibrationRecord, subject: Equipment, cmcs: readonly Cmc[]): void {
  record.points.forEach((p, i) => {
    if (p.expandedUncertainty === null || p.coverageFactor === null) return;
    const nominal = valueOf(p.nominal);
    const applicable = cmcs.filter(
      (c) =>
        c.quantity === subject.quantity &&
        comparableUnits(c.range.unit, p.unit) &&
        c.validFrom <= record.performedOn &&
        record.performedOn <= c.validUntil &&
        (c.range.min === null || compareQuantities(nominal, p.unit, valueOf(c.range.min), c.range.unit) >= 0) &&
        (c.range.max === null || compareQuantities(nominal, p.unit, valueOf(c.range.max), c.range.unit) <= 0),
    );
    if (applicable.length === 0) return;
    const reported = valueOf(p.expandedUncertainty).div(valueOf(p.coverageFactor));
    for (const c of applicable) {
      // the CMC's floor as a standard uncertainty: absolute in the range's unit, or relative to this point's value
      const [U, unit] =
        c.expandedUncertainty !== null
          ? [valueOf(c.expandedUncertainty), c.range.unit]
          : [valueOf(c.relativeExpandedUncertainty!).times(nominal.abs()), p.unit];
      const floor = U.div(valueOf(c.coverageFactor));
      if (compareQuantities(reported, p.unit, floor, unit, { difference: true }) < 0) {
        fail(
          'CMC_VIOLATION',
          `/points/${i}/expandedUncertainty`,
          `U = ${p.expandedUncertainty} ${p.unit} (k = ${p.coverageFactor}) at ${p.nominal} ${p.unit} is smaller than the lab's CMC ${c.id} (U = ${U.toString()} ${unit}, k = ${c.coverageFactor}); a lab may not claim better than its accredited capability`,
        );
      }
    }
  });
}

/**
 * The per-point decisions of a verification that states a decision rule: each
 * point's as-found value against nominal ± MPE of the subject, with the point's
 * expanded uncertainty.
 */
export function pointDecisions(record: CalibrationRecord, subject: Equipment): Array<{ point: number; decision: PointDecision }> {
  const rule = record.decisionRule;
  if (!rule) return [];
  if (subject.accuracy.kind !== 'mpe')
    fail(
      'INCONSISTENT_RECORD',
      '/decisionRule',
      `a decision rule is applied against the MPE of '${subject.id}', which states its accuracy as ${subject.accuracy.kind}`,
    );
  const mpe = valueOf(subject.accuracy.mpe);
  return record.points.map((p, i) => {
    if (p.asFound === null || p.expandedUncertainty === null || p.coverageFactor === null) {
      fail('INCONSISTENT_RECORD', `/points/${i}`, 'under a decision rule every point gives asFound, expandedUncertainty and coverageFactor');
    }
    const nominal = valueOf(p.nominal);
    const k = valueOf(p.coverageFactor);
    const decision = decide(
      rule,
      { lower: nominal.minus(mpe), upper: nominal.plus(mpe) },
      { value: valueOf(p.asFound), u: valueOf(p.expandedUncertainty).div(k), k, nu: new Decimal(Infinity) },
    );
    return { point: i, decision };
  });
}

/** A verification's stated conformity must be the one its decision rule gives. */
export function checkDecision(record: CalibrationRecord, subject: Equipment): void {
  if (!record.decisionRule) return;
  if (record.kind !== 'verification') fail('INCONSISTENT_RECORD', '/decisionRule', 'a decision rule belongs to a verification, which states conformity');
  if (record.points.length === 0) fail('INCONSISTENT_RECORD', '/points', 'a decision rule is applied to measured points; give them');
  checkRule(record.decisionRule, '/decisionRule');
  const decisions = pointDecisions(record, subject);
  const failing = decisions.filter((d) => !d.decision.accepted);
  const expected = failing.length > 0 ? 'fail' : 'pass';
  if (record.conformity !== expected) {
    const why = failing.length > 0 ? `point ${failing[0]!.point} is ${failing[0]!.decision.decision.replace('_', ' ')}` : 'every point is accepted';
    fail('INCONSISTENT_RECORD', '/conformity', `the stated decision rule gives '${expected}' (${why}), not '${record.conformity}'`);
  }
}

export function checkCmcDeclaration(cmc: Cmc): void {
  checkRange(cmc.range, '/range');
  if ((cmc.expandedUncertainty === null) === (cmc.relativeExpandedUncertainty === null)) {
    fail(
      'AMBIGUOUS_QUANTITY_FORM',
      '/expandedUncertainty',
      'a CMC gives either expandedUncertainty (in the range unit) or relativeExpandedUncertainty, not both',
    );
  }
  for (const [k, v] of [
    ['expandedUncertainty', cmc.expandedUncertainty],
    ['relativeExpandedUncertainty', cmc.relativeExpandedUncertainty],
    ['coverageFactor', cmc.coverageFactor],
  ] as const) {
    if (v !== null && !valueOf(v).greaterThan(0)) fail('INVALID_FIELD', `/${k}`, `${k} is greater than zero`);
  }
  if (cmc.validUntil < cmc.validFrom) fail('INVALID_RANGE', '/validUntil', `the CMC ends (${cmc.validUntil}) before it starts (${cmc.validFrom})`);
}

/**
 * The fields of a Chinese verification document (检定证书 / 检定结果通知书 /
 * 校准证书) agree with the record: the validity a passed verification must
 * state and a failed one must not, a verification type only on a
 * verification, and a stated document kind that is the one the record is
 * issued as (certificateKindOf, the one home of that rule).
 * @throws MISSING_FIELD, VALIDITY_ON_RESULT_NOTICE at /validUntil; VERIFICATION_TYPE_ON_CALIBRATION at /verificationType; CERTIFICATE_KIND_MISMATCH at /certificateKind
 */
export function checkDocumentFields(record: CalibrationRecord): void {
  const failed = record.kind === 'verification' && record.conformity === 'fail';
  if (failed && record.validUntil !== null) {
    fail(
      'VALIDITY_ON_RESULT_NOTICE',
      '/validUntil',
      `a failed verification is issued a 检定结果通知书 (result notice), which carries no validity; leave out validUntil (given: ${record.validUntil})`,
    );
  }
  if (record.kind === 'verification' && record.conformity === 'pass' && record.validUntil === null) {
    fail('MISSING_FIELD', '/validUntil', 'a passed verification states the last day it is valid (有效期至); give validUntil');
  }
  if (record.validUntil !== null && record.validUntil < record.performedOn) {
    fail('INVALID_RANGE', '/validUntil', `the record is valid until ${record.validUntil}, before it was performed on ${record.performedOn}`);
  }
  if (record.kind === 'calibration' && record.verificationType != null) {
    fail(
      'VERIFICATION_TYPE_ON_CALIBRATION',
      '/verificationType',
      `a calibration has no verification type ('${record.verificationType}' is one of 首次/后续/周期/修理后检定 or 使用中检查); leave it out, or record a verification`,
    );
  }
  if (record.certificateKind != null && (record.kind !== 'verification' || record.conformity !== null)) {
    const expected = certificateKindOf(record.kind, record.conformity);
    if (record.certificateKind !== expected) {
      const what = record.kind === 'calibration' ? 'a calibration' : `a verification that ${record.conformity === 'pass' ? 'passed' : 'failed'}`;
      fail(
        'CERTIFICATE_KIND_MISMATCH',
        '/certificateKind',
        `${what} is issued as '${expected}', not '${record.certificateKind}'; leave certificateKind out and it is derived`,
      );
    }
  }
}

export function checkRecord(record: CalibrationRecord, ctx: RecordContext): void {
  if (record.kind === 'verification' && record.conformity === null) {
    fail('INCONSISTENT_RECORD', '/conformity', "a verification states its conformity decision: 'pass' or 'fail'");
  }
  checkDocumentFields(record);
  if (record.kind === 'calibration' && record.conformity !== null) {
    fail('INCONSISTENT_RECORD', '/conformity', 'a calibration reports measured points, not a conformity decision; record a verification for pass/fail');
  }
  if (record.kind === 'calibration' && record.points.length === 0) {
    fail('INCONSISTENT_RECORD', '/points', 'a calibration has at least one measured point');
  }
  record.points.forEach((p, i) => {
    if (p.expandedUncertainty && valueOf(p.expandedUncertainty).isNegative()) {
      fail('NEGATIVE_UNCERTAINTY', `/points/${i}/expandedUncertainty`, 'an expanded uncertainty is never negative');
    }
    if ((p.expandedUncertainty === null) !== (p.coverageFactor === null)) {
      fail('INCONSISTENT_RECORD', `/points/${i}/coverageFactor`, 'give the expanded uncertainty and its coverage factor k together');
    }
  });
  if (!ctx.subject) fail('UNKNOWN_REFERENCE', '/subjectId', `no equipment has id '${record.subjectId}'`);
  if (!ctx.lab) fail('UNKNOWN_REFERENCE', '/labId', `no organisation has id '${record.labId}'`);
  if (!PERFORMING_KINDS.includes(ctx.lab.kind)) {
    fail(
      'WRONG_ORGANISATION_KIND',
      '/labId',
      `'${ctx.lab.id}' is a ${ctx.lab.kind}; records are performed by a legal metrology institute or a calibration lab`,
    );
  }
  const seen = new Set<string>();
  record.referenceIds.forEach((id, i) => {
    const path = `/referenceIds/${i}`;
    if (seen.has(id)) fail('INVALID_FIELD', path, `reference '${id}' is listed twice`);
    seen.add(id);
    if (id === record.subjectId) fail('SELF_REFERENCE', path, `equipment '${id}' cannot be its own reference standard`);
    const ref = ctx.references.get(id);
    if (!ref) fail('UNKNOWN_REFERENCE', path, `no equipment has id '${id}'`);
    if (!isStandardLevel(ref.level)) {
      fail('NOT_A_STANDARD', path, `'${id}' is a working instrument; a reference must be a measurement standard`);
    }
  });
  if (record.supersedes !== null) {
    if (!ctx.superseded) fail('UNKNOWN_REFERENCE', '/supersedes', `no record has id '${record.supersedes}'`);
    if (ctx.superseded.subjectId !== record.subjectId) {
      fail(
        'SUPERSEDES_OTHER_SUBJECT',
        '/supersedes',
        `record '${record.supersedes}' is of equipment '${ctx.superseded.subjectId}', not '${record.subjectId}'; a correction replaces a record of the same equipment`,
      );
    }
    if (ctx.supersededAlready) {
      fail('ALREADY_SUPERSEDED', '/supersedes', `record '${record.supersedes}' has already been corrected; supersede the latest correction instead`);
    }
  }
}
