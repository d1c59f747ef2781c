/** Every verification state, under the legal interval and local policies, computed by hand. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CalendarDate } from '../../../src/core/dates.ts';
import type { CalibrationRecord } from '../../../src/core/registry/types.ts';
import { catalogueAt, classify } from '../../../src/core/verification/catalogue.ts';
import { policyFor, type PolicyOverride } from '../../../src/core/verification/policy.ts';
import { dueDateOf, isDueBy, isUsable, verificationStatus } from '../../../src/core/verification/status.ts';
import { loadCatalogues } from '../../../src/runtime/reference-data.ts';

const d = (s: string) => s as CalendarDate;
const catalogue = catalogueAt(loadCatalogues(), d('2026-01-01'))!;
const entry = (id: string) => catalogue.entries.find((e) => e.id === id)!;

const override = (o: Partial<PolicyOverride>): PolicyOverride => ({
  id: 'p',
  regulatorId: 'samr',
  regionCode: '310000',
  category: 'MV016',
  intervalMonths: null,
  serviceLifeMonths: null,
  graceDays: null,
  dueSoonDays: null,
  validFrom: d('2026-01-01'),
  validUntil: d('2030-12-31'),
  remarks: null,
  ...o,
});

let n = 0;
const verification = (performedOn: string, validUntil: string, conformity: 'pass' | 'fail' = 'pass'): CalibrationRecord => ({
  id: `r${++n}`,
  kind: 'verification',
  subjectId: 'x',
  labId: 'lab',
  referenceIds: [],
  certificateNo: `C-${n}`,
  performedOn: d(performedOn),
  validUntil: d(validUntil),
  conformity,
  points: [],
  supersedes: null,
  remarks: null,
});

function status(
  category: string,
  usage: 'trade_settlement' | 'medical' | 'safety_protection',
  records: CalibrationRecord[],
  at: string,
  overrides: PolicyOverride[] = [],
  region = '310104',
) {
  const classification = classify(catalogue, { category, usage, level: 'working_instrument' }, d(at));
  const policyOn = (day: CalendarDate) => (classification.mandatory ? policyFor(classification.entry!, overrides, region, day) : null);
  return verificationStatus({ equipmentId: 'x', classification, policy: policyOn(d(at)), policyOn, records, at: d(at) });
}

test('in force, due soon, overdue: due date is the certificate validity, brought forward to the legal interval', () => {
  const r = verification('2026-03-12', '2027-03-11');
  let s = status('MV016', 'trade_settlement', [r], '2026-11-25');
  assert.equal([s.state, s.dueOn, s.daysToDue], ['in_force', '2027-03-11', 106]);
  s = status('MV016', 'trade_settlement', [r], '2027-02-09');
  assert.equal([s.state, s.daysToDue], ['due_soon', 30]);
  s = status('MV016', 'trade_settlement', [r], '2027-03-11');
  assert.equal([s.state, s.daysToDue], ['due_soon', 0], 'the last valid day');
  s = status('MV016', 'trade_settlement', [r], '2027-03-12');
  assert.equal([s.state, s.daysToDue], ['overdue', -1]);
  // a certificate claiming 24 months for a 12-month instrument is due after 12
  s = status('MV016', 'trade_settlement', [verification('2026-03-12', '2028-03-11')], '2027-03-12');
  assert.equal([s.state, s.dueOn], ['overdue', '2027-03-11']);
});

test('grace days of a local policy delay overdue, never the lapse; the due-soon window follows the policy', () => {
  const r = verification('2025-10-20', '2026-10-19');
  const grace = override({ graceDays: 15, dueSoonDays: 45 });
  // the case: 6 days after the due date the verification has lapsed (not "due soon, -6 days")
  const lapsed = status('MV016', 'trade_settlement', [r], '2026-10-25', [grace]);
  assert.equal([lapsed.state, lapsed.daysToDue, lapsed.graceEndsOn], ['expired_in_grace', -6, '2026-11-03']);
  assert.match(lapsed.message, /may not be used/);
  assert.is(status('MV016', 'trade_settlement', [r], '2026-11-03', [grace]).state, 'expired_in_grace', '15 days after: still in grace, still lapsed');
  assert.is(status('MV016', 'trade_settlement', [r], '2026-11-04', [grace]).state, 'overdue');
  assert.is(status('MV016', 'trade_settlement', [r], '2026-09-04', [grace]).state, 'due_soon', '45 days ahead');
  assert.is(status('MV016', 'trade_settlement', [r], '2026-09-03', [grace]).state, 'in_force');
});

test('never verified, failed, and a later pass clears a failure', () => {
  assert.is(status('MV016', 'trade_settlement', [], '2026-11-25').state, 'never_verified');
  assert.is(
    status('MV016', 'trade_settlement', [verification('2026-12-01', '2027-11-30')], '2026-11-25').state,
    'never_verified',
    'a record after the date does not count',
  );
  const failed = verification('2026-09-15', '2027-09-14', 'fail');
  const s = status('MV016', 'trade_settlement', [failed], '2026-11-25');
  assert.equal([s.state, s.dueOn], ['failed', null]);
  assert.is(status('MV016', 'trade_settlement', [failed, verification('2026-10-01', '2027-09-30')], '2026-11-25').state, 'in_force');
});

test('limited service life (首次强制检定，限期使用，到期轮换) counts from the first passed verification', () => {
  const first = verification('2020-03-02', '2026-03-01');
  let s = status('MV004', 'trade_settlement', [first], '2026-03-01');
  assert.equal([s.state, s.serviceLifeEndsOn, s.dueOn], ['due_soon', '2026-03-01', '2026-03-01']);
  s = status('MV004', 'trade_settlement', [first], '2026-03-02');
  assert.is(s.state, 'service_life_ended');
  s = status('MV004', 'trade_settlement', [first], '2025-01-01');
  assert.is(s.state, 'in_force');
  const shorter = override({ category: 'MV004', serviceLifeMonths: 48, validFrom: d('2019-01-01') });
  assert.is(status('MV004', 'trade_settlement', [first], '2026-02-01', [shorter]).state, 'service_life_ended', 'a local policy may shorten the service life');
});

test('a local policy that shortens the interval or the service life applies from the day it takes effect, never to what was issued before it', () => {
  const six = override({ intervalMonths: 6, validFrom: d('2026-12-01') });
  // issued under the 12 months in force on 2026-03-12: valid as stated, not overdue from 2026-09-11
  const before = verification('2026-03-12', '2027-03-11');
  let s = status('MV016', 'trade_settlement', [before], '2026-12-01', [six]);
  assert.equal([s.state, s.dueOn, s.policy?.intervalMonths], ['in_force', '2027-03-11', 6]);
  assert.ok(
    s.policy?.basis.includes(
      `certificate ${before.certificateNo} of 2026-03-12 was issued under an interval of 12 months: the 6 months in force now apply from its next verification`,
    ),
    s.policy?.basis.join('; '),
  );
  // performed under it: capped at six months
  const after = verification('2026-12-05', '2027-12-04');
  s = status('MV016', 'trade_settlement', [before, after], '2027-06-10', [six]);
  assert.equal([s.state, s.dueOn], ['overdue', '2027-06-04']);
  // a policy that ended before the verification does not cap it; one in force that day does, after it ended too
  const past = override({ intervalMonths: 6, validFrom: d('2025-01-01'), validUntil: d('2025-12-31') });
  assert.is(status('MV016', 'trade_settlement', [before], '2026-12-01', [past]).dueOn, '2027-03-11');
  assert.is(status('MV016', 'trade_settlement', [verification('2025-06-01', '2026-05-31')], '2026-01-15', [past]).dueOn, '2025-11-30');
  // a shorter service life from 2026: meters first verified before it keep theirs
  const first = verification('2020-03-02', '2026-03-01');
  const shorter = override({ category: 'MV004', serviceLifeMonths: 48 });
  s = status('MV004', 'trade_settlement', [first], '2026-02-01', [shorter]);
  assert.equal([s.state, s.serviceLifeEndsOn], ['due_soon', '2026-03-01']);
  assert.ok(s.policy?.basis.includes('first verified on 2020-03-02 under a service life of 72 months, which it keeps'), s.policy?.basis.join('; '));
  assert.match(status('MV004', 'trade_settlement', [first], '2026-03-02', [shorter]).message, /its service life of 72 months ended on 2026-03-01/);
  s = status('MV004', 'trade_settlement', [verification('2026-02-01', '2032-01-31')], '2026-03-01', [shorter]);
  assert.is(s.serviceLifeEndsOn, '2030-01-31');
});

test('verified once and used until inaccurate (失准报废): in force with no due date; not mandatory for another usage', () => {
  const s = status('MV036', 'medical', [verification('2025-01-10', '2099-12-31')], '2026-11-25');
  assert.equal([s.state, s.dueOn], ['in_force', null]);
  assert.match(s.message, /until found inaccurate/);
  const other = status('MV016', 'medical', [verification('2026-06-02', '2027-06-01', 'fail')], '2026-11-25');
  assert.equal([other.state, other.record?.conformity], ['not_mandatory', 'fail']);
});

test('verified once with no further rule (首次强制检定, heat meters): in force after a pass, failed after a fail', () => {
  assert.equal(
    [
      status('MV009', 'trade_settlement', [verification('2025-04-20', '2099-12-31')], '2026-11-25').state,
      status('MV009', 'trade_settlement', [verification('2025-04-20', '2099-12-31')], '2026-11-25').dueOn,
    ],
    ['in_force', null],
  );
  assert.match(status('MV009', 'trade_settlement', [verification('2025-04-20', '2099-12-31')], '2026-11-25').message, /requires no further verification/);
  assert.is(status('MV009', 'trade_settlement', [verification('2025-04-20', '2099-12-31', 'fail')], '2026-11-25').state, 'failed');
});

test('a calibration without validUntil is due at the end of the policy interval from its day; without a policy, on its day (never valid for ever)', () => {
  const calibration: CalibrationRecord = { ...verification('2026-03-01', '2027-02-28'), kind: 'calibration', conformity: null, validUntil: null };
  const policy = policyFor(entry('MV016'), [], '310104', d('2026-03-01'));
  assert.is(policy.intervalMonths, 12);
  assert.is(dueDateOf(calibration, policy), '2027-02-28');
  // a local policy that shortens the interval dates it sooner
  assert.is(dueDateOf(calibration, policyFor(entry('MV016'), [override({ intervalMonths: 6 })], '310104', d('2026-03-01'))), '2026-08-31');
  // no interval anywhere: no stated validity, it vouches for its own day only
  assert.is(dueDateOf(calibration, null), '2026-03-01');
  // a stated validity is still capped by the legal interval
  assert.is(dueDateOf({ ...calibration, validUntil: d('2028-01-01') }, policy), '2027-02-28');
});

test('a failed verification without validUntil (a result notice) is failed, with no due date', () => {
  const failed: CalibrationRecord = { ...verification('2026-03-01', '2027-02-28', 'fail'), validUntil: null };
  const s = status('MV016', 'trade_settlement', [failed], '2026-06-01');
  assert.equal([s.state, s.dueOn, s.daysToDue], ['failed', null, null]);
});

test('a member of a lot to rotate is to rotate, whatever its own certificate says, until it is withdrawn', () => {
  const classification = classify(catalogue, { category: 'MV004', usage: 'trade_settlement', level: 'working_instrument' }, d('2026-12-01'));
  const policy = policyFor(classification.entry!, [], '310104', d('2026-12-01'));
  const records = [verification('2024-03-02', '2030-03-01')];
  const lotRotation = {
    lotId: 'wm-a',
    since: d('2026-11-20'),
    rotateBy: d('2027-02-19'),
    reason: 'lot wm-a: the sample of plan p-a was not accepted on 2026-11-20',
  };
  const base = { equipmentId: 'x', classification, policy, records, at: d('2026-12-01') };
  assert.is(verificationStatus(base).state, 'in_force', 'on its own certificate');
  const s = verificationStatus({ ...base, life: { status: 'in_service', scrappedOn: null, reverifyAfter: null, lotRotation } });
  assert.equal([s.state, s.dueOn, s.daysToDue, isUsable(s), isDueBy(s, d('2026-12-01'))], ['to_rotate', '2027-02-19', 80, false, true]);
  assert.is(
    s.message,
    'lot wm-a: the sample of plan p-a was not accepted on 2026-11-20: replace it by 2027-02-19 (80 days left); it may not stay in service after that day',
  );
  const late = verificationStatus({ ...base, at: d('2027-03-01'), life: { status: 'in_service', scrappedOn: null, reverifyAfter: null, lotRotation } });
  assert.match(late.message, /was to be replaced by 2027-02-19 and may not stay in service \(10 days late\)/);
  const scrapped = verificationStatus({ ...base, life: { status: 'retired', scrappedOn: d('2026-11-25'), reverifyAfter: null, lotRotation } });
  assert.is(scrapped.state, 'withdrawn', 'a meter already taken out is withdrawn, not still to rotate');
  const replaced = verificationStatus({
    ...base,
    life: { status: 'in_service', scrappedOn: null, reverifyAfter: null, lotRotation: { ...lotRotation, rotatedOn: d('2026-11-28') } },
  });
  assert.equal([replaced.state, replaced.message], ['withdrawn', 'the instrument was replaced with its lot wm-a on 2026-11-28 (轮换): it may not be used']);
});

test("a member of an extended lot whose own service life ended is usable to the extension's last day, not past it", () => {
  const classification = classify(catalogue, { category: 'MV004', usage: 'trade_settlement', level: 'working_instrument' }, d('2026-12-01'));
  const policy = policyFor(classification.entry!, [], '310104', d('2026-12-01'));
  // first verified 2020-03-02: 72 months of MV004 end on 2026-03-01
  const records = [verification('2020-03-02', '2026-03-01')];
  const base = { equipmentId: 'x', classification, policy, records, at: d('2026-12-01') };
  const life = (lotExtension: { lotId: string; planId: string; since: ReturnType<typeof d>; until: ReturnType<typeof d> } | null) => ({
    status: 'in_service' as const,
    scrappedOn: null,
    reverifyAfter: null,
    lotExtension,
  });
  assert.is(verificationStatus(base).state, 'service_life_ended', 'on its own records');
  const ext = { lotId: 'wm-k', planId: 'p-k', since: d('2026-11-20'), until: d('2027-11-19') };
  const s = verificationStatus({ ...base, life: life(ext) });
  assert.equal([s.state, s.dueOn, s.daysToDue, s.serviceLifeEndsOn, isUsable(s)], ['in_force', '2027-11-19', 353, '2026-03-01', true]);
  assert.match(
    s.message,
    /its own service life of 72 months ended on 2026-03-01; the sample of its lot wm-k \(plan p-k\) accepted on 2026-11-20 extends it to 2027-11-19/,
  );
  assert.is(verificationStatus({ ...base, at: d('2027-11-01'), life: life(ext) }).state, 'due_soon');
  // past the extension's last day it has ended again (the lot's own state then puts it to rotate)
  assert.is(verificationStatus({ ...base, at: d('2027-11-20'), life: life(ext) }).state, 'service_life_ended');
  // an extension ending before the meter's own life never shortens it
  const young = verificationStatus({ ...base, records: [verification('2024-03-02', '2030-03-01')], life: life(ext) });
  assert.equal([young.state, young.dueOn], ['in_force', '2030-03-01']);
});

test.run();
