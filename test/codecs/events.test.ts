/** Equipment events ⇄ their contract: the id drawn, the date real, each field only with its kind; the state at a date written. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { toEvent, writeEquipmentState, writeEvent } from '../../src/codecs/events.ts';
import { readEquipment } from '../../src/codecs/registry.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import { refusal } from '../helpers/refusal.ts';

const newId = () => 'ev-new';

const it = suite('equipment events');

it('an id given is kept, else drawn; blank reasons and locations are null', () => {
  assert.is(toEvent({ kind: 'suspended', effectiveOn: '2026-11-20' }, 'scale-1', newId).id, 'ev-new');
  const e = toEvent({ id: 'ev-1', kind: 'transferred', effectiveOn: '2026-11-20', newOwnerId: 'org-2', reason: ' sold ' }, 'scale-1', newId);
  assert.equal(writeEvent(e), {
    id: 'ev-1',
    equipmentId: 'scale-1',
    kind: 'transferred',
    effectiveOn: '2026-11-20',
    reason: 'sold',
    assessment: null,
    newOwnerId: 'org-2',
    location: null,
  });
  assert.is(toEvent({ kind: 'relocated', effectiveOn: '2026-11-20', location: '   ', reason: '' }, 's', newId).location, null);
});

it('an assessment belongs to a renewal, and is read with real dates', () => {
  const e = toEvent(
    { kind: 'assessment_renewed', effectiveOn: '2026-11-20', assessment: { certificateNo: 'A-1', validFrom: '2026-01-01', validUntil: '2030-12-31' } },
    's',
    newId,
  );
  assert.equal(e.assessment, { certificateNo: 'A-1', validFrom: '2026-01-01', validUntil: '2030-12-31' });
  assert.equal(
    refusal(() =>
      toEvent(
        { kind: 'suspended', effectiveOn: '2026-11-20', assessment: { certificateNo: 'A-1', validFrom: '2026-01-01', validUntil: '2030-12-31' } },
        's',
        newId,
      ),
    ),
    ['INVALID_FIELD', '/assessment'],
  );
});

it('a field of another kind, or an impossible date, is refused at its pointer', () => {
  assert.equal(
    refusal(() => toEvent({ kind: 'relocated', effectiveOn: '2026-11-20', newOwnerId: 'o' }, 's', newId)),
    ['INVALID_FIELD', '/newOwnerId'],
  );
  assert.equal(
    refusal(() => toEvent({ kind: 'transferred', effectiveOn: '2026-11-20', location: 'x' }, 's', newId)),
    ['INVALID_FIELD', '/location'],
  );
  assert.equal(
    refusal(() => toEvent({ kind: 'resumed', effectiveOn: '2026-13-01' }, 's', newId)),
    ['INVALID_DATE', '/effectiveOn'],
  );
});

it('the state of an instrument at a date', () => {
  const equipment = readEquipment(
    {
      id: 'scale-1',
      ownerId: 'market',
      name: 'scale',
      quantity: 'mass',
      range: { min: '0', max: '30', unit: 'kg' },
      accuracy: { kind: 'class', accuracyClass: 'III' },
      level: 'working_instrument',
    },
    newId,
  );
  const w = writeEquipmentState(
    { equipment, scrappedOn: null, reverifyAfter: '2026-11-21' as CalendarDate, prohibitedOn: null, location: 'stall 18' },
    '2026-12-01',
  );
  assert.equal(
    [w.at, w.equipment.id, w.scrappedOn, w.reverifyAfter, w.prohibitedOn, w.location],
    ['2026-12-01', 'scale-1', null, '2026-11-21', null, 'stall 18'],
  );
});

it.run();
