/**
 * The registry use cases (app/registry.ts) over the demo: registering
 * equipment (alone and as a batch that sees itself), appending a record with
 * every check it rests on (duplicates compared as printed identifiers, dates,
 * the writer's own lab and scope), equipment events through their history,
 * and what the catalogue makes mandatory.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readEvent } from '../../src/codecs/events.ts';
import { readEquipment, readRecord } from '../../src/codecs/registry.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import { keyCaller, withDemoServices } from '../helpers/app-services.ts';
import { rejects, throwsCode } from '../helpers/app-units.ts';
import { NEW_SCALE } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';

const AT = '2026-11-25' as CalendarDate;
const ids = () => 'drawn';

const scale = (over: Record<string, unknown> = {}) =>
  readEquipment(
    {
      id: 'scale-stall-99',
      ...NEW_SCALE,
      ...over,
    },
    ids,
  );

const verification = (over: Record<string, unknown> = {}) =>
  readRecord(
    {
      id: 'rec-stall99',
      kind: 'verification',
      subjectId: 'scale-stall-99',
      labId: 'district-station',
      referenceIds: ['district-f1-set'],
      certificateNo: 'XH-JD2026-09999',
      performedOn: '2026-11-20',
      validUntil: '2027-11-19',
      conformity: 'pass',
      verificationType: 'initial',
      ...over,
    },
    ids,
  );

const LAB = keyCaller('lab', 'district-station');

for (const database of testDatabases()) {
  const it = suite(`app/registry on ${database.name}`);

  it('registers an instrument and appends its verification; the record is read back, and the instrument is in force', () =>
    withDemoServices(database, async ({ registry, verification: v }) => {
      await registry.createEquipment(scale());
      assert.is((await registry.getEquipment('scale-stall-99')).assetCode, 'LH-99');
      const stored = await registry.createRecord(verification(), undefined, LAB);
      assert.equal([stored.record.id, stored.supersededBy], ['rec-stall99', null]);
      assert.is((await registry.getRecord('rec-stall99')).record.certificateNo, 'XH-JD2026-09999');
      assert.is((await v.status('scale-stall-99', AT)).status.state, 'in_force');
      assert.ok(registry.mandatory(await registry.getEquipment('scale-stall-99'), AT));
      assert.is(registry.intervalMonths(await registry.getEquipment('scale-stall-99'), AT), 12);
      // a measurement standard has no legal interval
      assert.is(registry.intervalMonths(await registry.getEquipment('district-f1-set'), AT), null);
      // nor has a weighing instrument in a use the catalogue does not make mandatory (the infant scale's, medical)
      const infant = await registry.getEquipment('infant-scale-ward3');
      assert.equal([registry.mandatory(infant, AT), registry.intervalMonths(infant, AT)], [false, null]);
      await rejects(registry.getEquipment('nope'), 'NOT_FOUND', '');
      await rejects(registry.getRecord('nope'), 'NOT_FOUND', '');
      await rejects(registry.getOrganisation('nope'), 'NOT_FOUND');
    }));

  it('refuses a duplicate asset code (ignoring case and full-width forms) or id, and an unknown owner', () =>
    withDemoServices(database, async ({ registry }) => {
      await rejects(registry.createEquipment(scale({ assetCode: 'ｌｈ-17' })), 'DUPLICATE', '/assetCode');
      await rejects(registry.createEquipment(scale({ id: 'scale-stall-17', assetCode: 'LH-X' })), 'DUPLICATE', '/id');
      await rejects(registry.createEquipment(scale({ ownerId: 'nobody' })), 'UNKNOWN_REFERENCE', '/ownerId');
      // another owner may use the same asset code
      await registry.createEquipment(scale({ ownerId: 'city-hospital', assetCode: 'LH-17' }));
    }));

  it('a batch of registrations sees the ones added before it', () =>
    withDemoServices(database, async ({ registry }) => {
      const a = scale({ id: 'a', assetCode: 'B-1' });
      const b = scale({ id: 'b', assetCode: ' b-1' });
      const stored = scale({ id: 'scale-stall-17', assetCode: 'Z-1' });
      // what the rows name is read once: here the stored scale-stall-17
      const batch = await registry.equipmentRegistrations(registry.store, [a, b, stored]);
      batch.add(a);
      throwsCode(() => batch.add(b), 'DUPLICATE', '/assetCode');
      throwsCode(() => batch.add(scale({ id: 'a', assetCode: 'B-2' })), 'DUPLICATE', '/id');
      assert.is(batch.withAssetCode('city-market', 'b-1')?.id, 'a');
      assert.is(batch.withId('scale-stall-17')?.name, 'Electronic price-computing scale, stall 17');
      throwsCode(() => batch.add(stored), 'DUPLICATE', '/id');
      assert.equal(
        batch.added.map((e) => e.id),
        ['a'],
      );
      await batch.write();
      assert.is((await registry.getEquipment('a')).assetCode, 'B-1');
    }));

  it('a record is refused for a taken certificate number, a future date, another lab’s writer or a lab outside its scope', () =>
    withDemoServices(database, async ({ registry }) => {
      await registry.createEquipment(scale());
      // numbers are compared as printed: case, spaces and full-width forms ignored
      const dup = await rejects(registry.createRecord(verification({ certificateNo: 'xh-jd2026-00317 ' })), 'DUPLICATE', '/certificateNo');
      assert.match(dup.message, "record 'rec-stall17-2026'");
      // another lab's number: the refusal does not name that lab's record
      const other = await rejects(registry.createRecord(verification({ certificateNo: 'SIMT-JD2026-1021' })), 'DUPLICATE', '/certificateNo');
      assert.match(other.message, 'already recorded by another lab');
      await rejects(registry.createRecord(verification({ performedOn: '2026-11-26', validUntil: '2027-11-25' })), 'DATE_IN_FUTURE', '/performedOn');
      await rejects(registry.createRecord(verification(), undefined, keyCaller('lab', 'acme-cal')), 'FORBIDDEN', '/labId');
      await rejects(
        registry.checkRecordWriter(keyCaller('lab', 'acme-cal'), { labId: 'acme-cal', subjectId: 'scale-stall-99', performedOn: AT }),
        'LAB_NOT_AUTHORISED',
        '/subjectId',
      );
      await registry.checkRecordWriter(keyCaller('admin', null), { labId: 'acme-cal', subjectId: 'scale-stall-99', performedOn: AT });
      // a lab corrects only its own records
      await rejects(
        registry.checkRecordWriter(keyCaller('lab', 'acme-cal'), {
          labId: 'acme-cal',
          subjectId: 'steel-main-meter',
          performedOn: AT,
          supersedes: 'rec-steel-main-2025',
        }),
        'FORBIDDEN',
        '/supersedes',
      );
      await registry.checkRecordWriter(keyCaller('lab', 'acme-cal'), {
        labId: 'acme-cal',
        subjectId: 'steel-main-meter',
        performedOn: AT,
        supersedes: 'rec-steel-2026-corr',
      });
      await rejects(registry.createRecord(verification({ subjectId: 'nope' }), undefined, LAB), 'NOT_FOUND', '/subjectId');
      assert.is((await registry.listRecords({ subjectId: 'scale-stall-99' }, { limit: 10, after: null })).items.length, 0, 'nothing landed');
    }));

  it('who may register what: one’s own organisation, and national standards or SI realisations only by an admin', () =>
    withDemoServices(database, async ({ registry }) => {
      registry.checkEquipmentWriter(keyCaller('owner', 'city-market'), { ownerId: 'city-market', level: 'working_instrument', realisation: null });
      throwsCode(
        () => registry.checkEquipmentWriter(keyCaller('owner', 'city-market'), { ownerId: 'steel-works', level: 'working_instrument', realisation: null }),
        'FORBIDDEN',
        '/ownerId',
      );
      throwsCode(
        () => registry.checkEquipmentWriter(keyCaller('owner', 'nim'), { ownerId: 'nim', level: 'national_primary_standard', realisation: null }),
        'FORBIDDEN',
        '/level',
      );
      throwsCode(
        () => registry.checkEquipmentWriter(keyCaller('lab', 'nim'), { ownerId: 'nim', level: 'working_standard', realisation: 'SI' }),
        'FORBIDDEN',
        '/realisation',
      );
      registry.checkEquipmentWriter(keyCaller('admin', null), { ownerId: 'nim', level: 'national_primary_standard', realisation: 'SI' });
    }));

  it('equipment events follow the history: suspended, then resumed; the owner records its own, on the equipment as it was that day', () =>
    withDemoServices(database, async ({ registry }) => {
      const owner = keyCaller('owner', 'city-market');
      await registry.recordEvent(
        owner,
        readEvent({ kind: 'suspended', effectiveOn: '2026-11-01', reason: 'display fault' }, 'scale-stall-17', () => 'ev-1'),
      );
      assert.is((await registry.equipmentAt('scale-stall-17', AT)).equipment.status, 'suspended');
      assert.is((await registry.equipmentAt('scale-stall-17', '2026-10-31' as CalendarDate)).equipment.status, 'in_service');
      await rejects(
        registry.recordEvent(
          owner,
          readEvent({ kind: 'suspended', effectiveOn: '2026-11-02', reason: 'again' }, 'scale-stall-17', () => 'ev-2'),
        ),
        'INVALID_TRANSITION',
      );
      await rejects(
        registry.recordEvent(
          owner,
          readEvent({ kind: 'resumed', effectiveOn: '2026-10-01', reason: 'fixed' }, 'scale-stall-17', () => 'ev-3'),
        ),
        'EVENT_OUT_OF_ORDER',
      );
      await registry.recordEvent(
        owner,
        readEvent({ kind: 'resumed', effectiveOn: '2026-11-10', reason: 'fixed' }, 'scale-stall-17', () => 'ev-4'),
      );
      assert.equal(
        (await registry.listEvents('scale-stall-17')).map((e) => [e.id, e.kind]),
        [
          ['ev-1', 'suspended'],
          ['ev-4', 'resumed'],
        ],
      );
      // water-meter-0231 went to mall-plaza on 2026-08-01: its former owner may no longer record its events
      await rejects(
        registry.recordEvent(
          owner,
          readEvent({ kind: 'suspended', effectiveOn: '2026-11-01', reason: 'x' }, 'water-meter-0231', () => 'ev-5'),
        ),
        'FORBIDDEN',
      );
      await rejects(registry.listEvents('nope'), 'NOT_FOUND', '');
    }));

  it.run();
}
