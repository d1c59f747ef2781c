import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDate, type CalendarDate } from '../../../src/core/dates.ts';
import { Decimal } from '../../../src/core/numeric/decimal.ts';
import { judgeInspection, rectificationsOverdue, settleOutcome, type InUseInspection } from '../../../src/core/supervision/inspection.ts';
import {
  checkMeasure,
  gradeOf,
  INTEGRITY_RULES,
  measuresAt,
  ruleTableAt,
  type IntegrityFacts,
  type IntegrityMeasure,
} from '../../../src/core/supervision/integrity.ts';

const d = (s: string) => parseDate(s, '/');
const point = (nominal: string, indication: string, inUseMpe: string | null = null) => ({
  nominal: new Decimal(nominal),
  indication: new Decimal(indication),
  unit: 'kg',
  inUseMpe: inUseMpe === null ? null : new Decimal(inUseMpe),
});
const fine = { labelPresent: true, labelMatches: true, sealIntact: true, points: [] };
const mpe = { kind: 'mpe' as const, mpe: '0.005' as never, unit: 'kg' };

test('the findings call for their outcome, most severe first', () => {
  assert.equal(judgeInspection(fine, true, 'MV016', mpe), { required: 'compliant', reasons: [], points: [] });
  assert.equal(judgeInspection(fine, false, 'MV016', mpe).required, 'prohibited', 'a lapsed verification prohibits use');
  const noLabel = judgeInspection({ ...fine, labelPresent: false, labelMatches: null }, true, 'MV016', mpe);
  assert.equal([noLabel.required, noLabel.reasons], ['rectify', ['label_missing']]);
  const both = judgeInspection({ ...fine, labelMatches: false, sealIntact: false }, true, 'MV016', mpe);
  assert.equal([both.required, both.reasons], ['prohibited', ['seal_broken', 'label_mismatch']]);
  assert.throws(() => judgeInspection({ ...fine, labelPresent: false, labelMatches: true }, true, null, mpe), /no label to compare/);
});

test('the in-use MPE of a weighing instrument is twice its verification MPE (OIML R 76); elsewhere the inspector states it', () => {
  const within = judgeInspection({ ...fine, points: [point('10', '10.010')] }, true, 'MV016', mpe);
  assert.equal(
    [within.points[0]!.inUseMpe.toString(), within.points[0]!.mpeSource, within.points[0]!.withinMpe, within.required],
    ['0.01', 'derived', true, 'compliant'],
  );
  const beyond = judgeInspection({ ...fine, points: [point('10', '9.9899')] }, true, 'MV016', mpe);
  assert.equal([beyond.points[0]!.error.toString(), beyond.required, beyond.reasons], ['-0.0101', 'prohibited', ['in_use_error_exceeded']]);
  assert.throws(() => judgeInspection({ ...fine, points: [point('10', '10')] }, true, 'MV004', mpe), /no in-use MPE is on record for category MV004/);
  assert.throws(
    () => judgeInspection({ ...fine, points: [point('10', '10')] }, true, 'MV016', { kind: 'class', accuracyClass: 'III' }),
    /state the in-use MPE/,
  );
  assert.is(judgeInspection({ ...fine, points: [point('10', '10.02', '0.03')] }, true, 'MV004', mpe).required, 'compliant');
});

test('an inspector may be stricter (saying why), never more lenient; rectification dates', () => {
  const seal = judgeInspection({ ...fine, sealIntact: false }, true, null, mpe);
  assert.throws(() => settleOutcome(seal, 'rectify', null, d('2026-11-20'), null), /more lenient 'rectify'/);
  const ok = judgeInspection(fine, true, null, mpe);
  assert.throws(() => settleOutcome(ok, 'prohibited', null, d('2026-11-20'), null), /say why in remarks/);
  assert.equal(settleOutcome(ok, 'prohibited', null, d('2026-11-20'), 'used beyond its approved range'), { outcome: 'prohibited', rectifyBy: null });
  assert.equal(settleOutcome(ok, 'rectify', null, d('2026-11-20'), 'label faded'), { outcome: 'rectify', rectifyBy: '2026-12-05' });
  assert.throws(() => settleOutcome(ok, 'compliant', d('2026-12-01'), d('2026-11-20'), null), /belongs to a 'rectify' outcome/);
});

test('a rectification is overdue when its date passed without a compliant inspection after the order', () => {
  const base = {
    equipmentId: 'e1',
    organisationId: 'o',
    regulatorId: null,
    planId: null,
    inspectors: ['x'],
    labelPresent: true,
    labelMatches: true,
    sealIntact: true,
    verificationState: 'in_force',
    points: [],
    photos: [],
    reasons: [],
    remarks: null,
  };
  const order = { ...base, id: 'i1', inspectedOn: d('2026-10-01'), outcome: 'rectify', rectifyBy: d('2026-10-16') } as InUseInspection;
  const late = { ...base, id: 'i2', inspectedOn: d('2026-10-20'), outcome: 'compliant', rectifyBy: null } as InUseInspection;
  const onTime = { ...late, id: 'i3', inspectedOn: d('2026-10-15') } as InUseInspection;
  assert.equal(rectificationsOverdue([order], d('2026-10-16')), [], 'not overdue on its last day');
  assert.equal(
    rectificationsOverdue([order, late], d('2026-11-01')).map((i) => i.id),
    ['i1'],
    'put right too late',
  );
  assert.equal(rectificationsOverdue([order, onTime], d('2026-11-01')), []);
});

const facts = (over: Partial<IntegrityFacts> = {}): IntegrityFacts => ({
  organisationId: 'o',
  at: d('2026-11-25'),
  mandatoryInstruments: 10,
  notUsable: 0,
  suspect: 0,
  failedVerifications: 0,
  inspections: { compliant: 0, rectify: 0, prohibited: 0 },
  rectificationsOverdue: 0,
  commitment: true,
  dishonest: false,
  ...over,
});
const table = ruleTableAt(INTEGRITY_RULES, d('2026-11-25'));

test('grades: the worst rule sets the grade; each fact speaks once, by the strictest rule it met', () => {
  assert.equal([gradeOf(facts(), table).grade, gradeOf(facts(), table).reasons], ['A', []]);
  assert.is(gradeOf(facts({ commitment: false }), table).grade, 'B', 'without a commitment, at best B');
  const g = gradeOf(facts({ notUsable: 4, failedVerifications: 1 }), table);
  assert.equal(g.grade, 'D');
  assert.equal(
    g.reasons.map((r) => [r.fact, r.value, r.grade]),
    [
      ['notUsableShare', '0.4', 'D'],
      ['failedVerifications', '1', 'B'],
    ],
  );
  assert.is(gradeOf(facts({ notUsable: 1 }), table).grade, 'C', '10 % may not be used');
  assert.is(gradeOf(facts({ dishonest: true }), table).grade, 'D');
  assert.is(gradeOf(facts({ mandatoryInstruments: 0, notUsable: 0 }), table).grade, 'A', 'no mandatory instruments: no share to judge');
  assert.throws(() => ruleTableAt(INTEGRITY_RULES, d('2019-12-31')), /no integrity rule table is in force/);
});

test('measures: a listing, its appeal and its removal; refusals', () => {
  const m = (kind: IntegrityMeasure['kind'], on: string, reason: string | null = 'r'): IntegrityMeasure => ({
    id: `${kind}-${on}`,
    organisationId: 'o',
    kind,
    decidedOn: d(on),
    reason,
    regulatorId: null,
  });
  const history = [m('commitment', '2026-01-01', null), m('listed', '2026-03-01'), m('appealed', '2026-03-10'), m('removed', '2026-06-01')];
  assert.equal(measuresAt(history, d('2026-03-15')).listing?.decidedOn, '2026-03-01');
  assert.is(measuresAt(history, d('2026-03-15')).appeals.length, 1);
  assert.is(measuresAt(history, d('2026-06-01')).listing, null);
  assert.is(measuresAt(history, d('2025-12-31')).commitmentOn, null);
  const today = d('2026-11-25') as CalendarDate;
  assert.throws(() => checkMeasure(history, m('removed', '2026-07-01'), today), /not listed on 2026-07-01/);
  assert.throws(() => checkMeasure(history.slice(0, 2), m('listed', '2026-04-01'), today), /already listed since 2026-03-01/);
  assert.throws(() => checkMeasure(history, m('listed', '2026-05-01'), today), /cannot take effect before it/);
  assert.throws(() => checkMeasure(history, m('listed', '2026-12-01'), today), /after today/);
  assert.throws(() => checkMeasure(history, m('listed', '2026-07-01', null), today), /states its reason/);
  checkMeasure(history, m('listed', '2026-07-01'), today);
});

test.run();
