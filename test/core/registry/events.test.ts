/** The life of an equipment as events: its state on a day, which change may follow which, and who records it; worked out by hand. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Caller } from '../../../src/core/access/roles.ts';
import type { CalendarDate } from '../../../src/core/dates.ts';
import { MetrologyError } from '../../../src/core/errors.ts';
import type { DecimalText } from '../../../src/core/numeric/decimal.ts';
import { checkEvent, checkEventWriter, type EquipmentEvent, equipmentAt, type EventKind } from '../../../src/core/registry/events.ts';
import type { Equipment } from '../../../src/core/registry/types.ts';

const d = (s: string) => s as CalendarDate;
const standard: Equipment = {
  id: 'weights-f1',
  ownerId: 'nim-sh',
  name: 'F1 weights',
  assetCode: null,
  serialNumber: null,
  manufacturer: null,
  model: null,
  quantity: 'mass',
  range: { min: '0.001' as DecimalText, max: '20' as DecimalText, unit: 'kg' },
  accuracy: { kind: 'class', accuracyClass: 'F1' },
  level: 'public_highest_standard',
  category: null,
  usage: 'other',
  status: 'in_service',
  assessment: { certificateNo: 'A-2021', validFrom: d('2021-11-25'), validUntil: d('2026-11-24') },
  realisation: null,
};
let n = 0;
const ev = (kind: EventKind, effectiveOn: string, over: Partial<EquipmentEvent> = {}): EquipmentEvent => ({
  id: `e${++n}`,
  equipmentId: standard.id,
  kind,
  effectiveOn: d(effectiveOn),
  reason: 'a reason',
  assessment: null,
  newOwnerId: null,
  location: null,
  ...over,
});
const refusal = (f: () => void): [string, string] | null => {
  try {
    f();
    return null;
  } catch (e) {
    assert.instance(e, MetrologyError);
    return [(e as MetrologyError).code, (e as MetrologyError).path];
  }
};

test('the equipment on a day: its registration with the events effective by then applied, the same day in the order recorded', () => {
  const renewed = { certificateNo: 'A-2026', validFrom: d('2026-11-20'), validUntil: d('2031-11-19') };
  const history = [
    ev('suspended', '2026-03-01'),
    ev('relocated', '2026-02-01', { location: 'room 2' }),
    ev('resumed', '2026-03-01'),
    ev('assessment_renewed', '2026-11-20', { assessment: renewed }),
    ev('transferred', '2026-12-01', { newOwnerId: 'nim-js' }),
    ev('repaired', '2026-06-10'),
    ev('seal_broken', '2026-01-05', { equipmentId: 'another' }),
  ];
  const on = (day: string) => equipmentAt(standard, history, d(day));
  assert.is(on('2026-01-31').equipment, standard, 'unchanged: the registration itself');
  assert.equal([on('2026-02-01').location, on('2026-02-01').equipment.status], ['room 2', 'in_service']);
  assert.is(on('2026-03-01').equipment.status, 'in_service', 'suspended then resumed the same day, in that order');
  assert.equal([on('2026-06-10').reverifyAfter, on('2026-06-09').reverifyAfter], ['2026-06-10', null]);
  assert.is(on('2026-11-20').equipment.assessment, renewed);
  assert.equal([on('2026-11-30').equipment.ownerId, on('2026-12-01').equipment.ownerId], ['nim-sh', 'nim-js']);
  const scrapped = equipmentAt(standard, [ev('scrapped', '2026-05-05')], d('2026-05-05'));
  assert.equal([scrapped.equipment.status, scrapped.scrappedOn], ['retired', '2026-05-05']);
});

test('a change may not be dated after today, nor before the latest change', () => {
  const history = [ev('relocated', '2026-06-01', { location: 'lab' })];
  const check = (e: EquipmentEvent) => refusal(() => checkEvent(standard, history, e, d('2026-12-03'), () => true));
  assert.equal(check(ev('retired', '2026-12-04')), ['DATE_IN_FUTURE', '/effectiveOn']);
  assert.equal(check(ev('retired', '2026-05-31')), ['EVENT_OUT_OF_ORDER', '/effectiveOn']);
  assert.is(check(ev('retired', '2026-06-01')), null, 'the same day is not before it');
});

test('which change may follow which', () => {
  const check = (history: EquipmentEvent[], e: EquipmentEvent, registered = standard) =>
    refusal(() => checkEvent(registered, history, e, d('2026-12-03'), (id) => id === 'nim-js' || id === 'nim-sh'));
  assert.equal(check([], ev('resumed', '2026-02-01')), ['INVALID_TRANSITION', '/kind'], 'nothing to resume');
  assert.equal(check([ev('suspended', '2026-01-01')], ev('suspended', '2026-02-01')), ['INVALID_TRANSITION', '/kind']);
  assert.is(check([ev('retired', '2026-01-01')], ev('resumed', '2026-02-01')), null);
  assert.equal(check([ev('retired', '2026-01-01')], ev('retired', '2026-02-01')), ['INVALID_TRANSITION', '/kind']);
  assert.equal(check([ev('scrapped', '2026-01-01')], ev('relocated', '2026-02-01', { location: 'x' })), ['INVALID_TRANSITION', '/kind']);
  assert.equal(check([], ev('suspended', '2026-02-01', { reason: null })), ['MISSING_FIELD', '/reason']);
  assert.equal(check([], ev('relocated', '2026-02-01')), ['MISSING_FIELD', '/location']);
  assert.equal(check([], ev('transferred', '2026-02-01')), ['MISSING_FIELD', '/newOwnerId']);
  assert.equal(check([], ev('transferred', '2026-02-01', { newOwnerId: 'ghost' })), ['UNKNOWN_REFERENCE', '/newOwnerId']);
  assert.equal(check([], ev('transferred', '2026-02-01', { newOwnerId: 'nim-sh' })), ['INVALID_TRANSITION', '/kind'], 'already its owner');
  assert.is(check([], ev('transferred', '2026-02-01', { newOwnerId: 'nim-js' })), null);
});

test('a renewed assessment: standards only, dates in order, extending the one in force', () => {
  const renew = (validFrom: string, validUntil: string) =>
    ev('assessment_renewed', '2026-11-20', { assessment: { certificateNo: 'A-new', validFrom: d(validFrom), validUntil: d(validUntil) } });
  const check = (e: EquipmentEvent, registered = standard) => refusal(() => checkEvent(registered, [], e, d('2026-12-03'), () => true));
  assert.is(check(renew('2026-11-20', '2031-11-19')), null);
  assert.equal(check(renew('2026-11-20', '2026-11-24')), ['INVALID_FIELD', '/assessment/validUntil'], 'does not extend');
  assert.equal(check(renew('2026-11-20', '2026-11-19')), ['INVALID_RANGE', '/assessment/validUntil']);
  assert.equal(check(ev('assessment_renewed', '2026-11-20')), ['MISSING_FIELD', '/assessment']);
  assert.equal(check(renew('2026-11-20', '2031-11-19'), { ...standard, level: 'working_instrument', assessment: null }), ['INVALID_TRANSITION', '/kind']);
});

test('who records it: the owner on the day (its owner or lab key) or an admin; a prohibition only through an inspection', () => {
  const key = (role: 'admin' | 'owner' | 'lab' | 'inspector', organisationId: string | null): Caller => ({ kind: 'key', keyId: 'k', role, organisationId });
  const write = (caller: Caller, e = ev('relocated', '2026-02-01')) => refusal(() => checkEventWriter(caller, 'nim-sh', e));
  assert.is(write(key('admin', null)), null);
  assert.is(write(key('lab', 'nim-sh')), null);
  assert.is(write(key('owner', 'nim-sh')), null);
  assert.equal(write(key('owner', 'nim-js')), ['FORBIDDEN', '']);
  assert.equal(write(key('inspector', 'nim-sh')), ['FORBIDDEN', '']);
  assert.equal(write({ kind: 'public' }), ['FORBIDDEN', '']);
  assert.equal(write(key('admin', null), ev('use_prohibited', '2026-02-01')), ['FORBIDDEN', '/kind']);
});

test.run();
