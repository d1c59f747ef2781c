/** Integrity grades and measures: the rule table in force, the grade the facts earn, a listing and its appeal, computed by hand. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDate, type CalendarDate } from '../../../src/core/dates.ts';
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
