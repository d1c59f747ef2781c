/** In-use inspections: the outcome the findings call for, the in-use MPE, rectification orders, computed by hand. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDate } from '../../../src/core/dates.ts';
import { Decimal } from '../../../src/core/numeric/decimal.ts';
import { judgeInspection, rectificationsOverdue, settleOutcome, type InUseInspection } from '../../../src/core/supervision/inspection.ts';

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

test.run();
