/**
 * The verification use case (app/verification.ts) over the demo at
 * 2026-11-25, whose instruments were chosen to show each state (see the
 * demo's $comment): status with its due date and days to it, the lookup by
 * certificate or asset code, the public label (kept until a fact changes),
 * the due list in its order, compliance counts and an owner's calendar.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readEvent } from '../../src/codecs/events.ts';
import { readEquipment } from '../../src/codecs/registry.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import { keyCaller, withDemoServices } from '../helpers/app-services.ts';
import { rejects } from '../helpers/app-units.ts';
import { testDatabases } from '../helpers/db.ts';
import { HOSPITAL_LH_42 } from '../helpers/app.ts';

const AT = '2026-11-25' as CalendarDate;
const d = (s: string) => s as CalendarDate;

for (const database of testDatabases()) {
  const it = suite(`app/verification on ${database.name}`);

  it('the status of each demo instrument: its state, the record it rests on, the due date and the days to it', () =>
    withDemoServices(database, async ({ verification }) => {
      const expected: Array<[string, string, string | null, string | null, number | null]> = [
        // verified 2026-03-12, valid to 2027-03-11: 5 + 31 + 31 + 28 + 11 = 106 days from 2026-11-25
        ['scale-stall-17', 'in_force', 'rec-stall17-2026', '2027-03-11', 106],
        // due by 2026-10-19: 12 + 25 = 37 days overdue
        ['scale-stall-42', 'overdue', 'rec-stall42-2025', '2026-10-19', -37],
        // due 2026-12-09: 14 days left
        ['pressure-gauge-boiler2', 'due_soon', 'rec-boiler2-2026', '2026-12-09', 14],
        ['gas-detector-kitchen', 'never_verified', null, null, null],
        ['water-meter-0231', 'service_life_ended', 'rec-water0231-2020', null, null],
        ['scale-stall-09', 'withdrawn', null, null, null],
        ['infant-scale-ward3', 'not_mandatory', null, null, null],
      ];
      for (const [id, state, record, dueOn, days] of expected) {
        const v = await verification.status(id, AT);
        assert.is(v.status.state, state, id);
        if (state === 'withdrawn' || state === 'not_mandatory') continue;
        assert.equal(
          [
            v.status.record?.id ?? null,
            v.status.state === 'service_life_ended' ? null : v.status.dueOn,
            v.status.state === 'service_life_ended' ? null : v.status.daysToDue,
          ],
          [record, dueOn, days],
          id,
        );
      }
      const stall42 = await verification.status('scale-stall-42', AT);
      assert.is(stall42.status.message, 'certificate XH-JD2025-00942 of 2025-10-20 was due by 2026-10-19; it is 37 days overdue');
      assert.equal([stall42.ownerName, stall42.ownerRegionCode, stall42.lab?.id], ['Longhua Wet Market Management Co. (demo)', '310104', 'district-station']);
      // on its due date it was due soon, the day after in its grace period
      assert.is((await verification.status('scale-stall-42', d('2026-10-19'))).status.state, 'due_soon');
      assert.equal(
        [
          (await verification.status('scale-stall-42', d('2026-10-20'))).status.state,
          (await verification.status('scale-stall-42', d('2026-10-20'))).status.daysToDue,
        ],
        ['expired_in_grace', -1],
      );
      await rejects(verification.status('no-such-equipment', AT), 'NOT_FOUND');
    }));

  it('statusMany gives each instrument the status status gives it', () =>
    withDemoServices(database, async ({ verification }) => {
      const ids = ['scale-stall-17', 'scale-stall-42', 'water-meter-0231', 'gas-detector-kitchen'];
      const many = await verification.statusMany(ids, AT);
      for (const id of ids) assert.equal(many.get(id)!.status, (await verification.status(id, AT)).status, id);
    }));

  it('looks up by certificate number or by asset code (with its owner); what matches nothing is NOT_FOUND at its parameter', () =>
    withDemoServices(database, async ({ verification, registry }) => {
      assert.is((await verification.lookup({ certificateNo: 'XH-JD2026-00317' }, AT)).status.equipmentId, 'scale-stall-17');
      // an older certificate of the same instrument finds the instrument too
      assert.is((await verification.lookup({ certificateNo: 'XH-JD2025-00317' }, AT)).status.equipmentId, 'scale-stall-17');
      assert.is((await verification.lookup({ assetCode: 'LH-42', ownerId: 'city-market' }, AT)).status.equipmentId, 'scale-stall-42');
      await rejects(verification.lookup({ certificateNo: 'XH-JD2099-00001' }, AT), 'NOT_FOUND', '?certificateNo');
      await rejects(verification.lookup({ assetCode: 'LH-42', ownerId: 'steel-works' }, AT), 'NOT_FOUND', '?assetCode');
      await rejects(verification.lookup({}, AT), 'MISSING_FIELD', '?certificateNo');
      // an asset code two owners use needs the owner
      await registry.createEquipment(readEquipment(HOSPITAL_LH_42, () => 'x'));
      await rejects(verification.lookup({ assetCode: 'LH-42' }, AT), 'INVALID_FIELD', '?ownerId');
      assert.is((await verification.lookup({ assetCode: 'LH-42', ownerId: 'city-hospital' }, AT)).status.equipmentId, 'hosp-lh-42');
    }));

  it('the public label shows the status without the chain, and shows a suspension on the very next lookup', () =>
    withDemoServices(database, async ({ verification, registry }) => {
      const before = await verification.label({ certificateNo: 'XH-JD2026-00317' }, AT);
      assert.equal([before.status.state, before.equipment.id, before.lab?.id], ['in_force', 'scale-stall-17', 'district-station']);
      assert.not.ok('trace' in before);
      assert.equal(await verification.label({ certificateNo: 'XH-JD2026-00317' }, AT), before, 'the kept answer');
      await registry.recordEvent(
        keyCaller('admin', null),
        readEvent({ kind: 'suspended', effectiveOn: '2026-11-20', reason: 'display fault' }, 'scale-stall-17', () => 'ev-1'),
      );
      const after = await verification.label({ certificateNo: 'XH-JD2026-00317' }, AT);
      assert.is(after.status.state, (await verification.status('scale-stall-17', AT)).status.state);
      assert.is.not(after.status.state, 'in_force');
    }));

  it('the due list: mandatory instruments due by the end of the horizon, those without a due date first, then by date', () =>
    withDemoServices(database, async ({ verification }) => {
      const rows = async (f: Parameters<typeof verification.due>[0]) =>
        (await verification.due(f)).map((i) => [i.status.equipmentId, i.status.state, i.status.dueOn, i.ownerId]);
      assert.equal(await rows({ from: AT, to: d('2027-03-31') }), [
        ['gas-detector-kitchen', 'never_verified', null, 'city-hospital'],
        ['water-meter-0231', 'service_life_ended', '2026-03-01', 'mall-plaza'],
        ['scale-stall-42', 'overdue', '2026-10-19', 'city-market'],
        ['pressure-gauge-boiler2', 'due_soon', '2026-12-09', 'steel-works'],
        ['scale-stall-17', 'in_force', '2027-03-11', 'city-market'],
      ]);
      // due on the last day of the horizon counts; the day after it does not
      assert.is((await rows({ from: AT, to: d('2027-03-11') })).length, 5);
      assert.is((await rows({ from: AT, to: d('2027-03-10') })).length, 4);
      assert.equal(await rows({ from: AT, to: d('2027-03-31'), ownerId: 'city-market' }), [
        ['scale-stall-42', 'overdue', '2026-10-19', 'city-market'],
        ['scale-stall-17', 'in_force', '2027-03-11', 'city-market'],
      ]);
      assert.equal(
        (await rows({ from: AT, to: d('2027-03-31'), usage: 'safety_protection' })).map((r) => r[0]),
        ['gas-detector-kitchen', 'pressure-gauge-boiler2'],
      );
    }));

  it('compliance counts and the calendar of an owner', () =>
    withDemoServices(database, async ({ verification }) => {
      const counts = await verification.complianceCounts({ at: AT, ownerId: 'city-market' });
      // stall 17 and stall 42 are its mandatory instruments now (stall 09 was scrapped, the water meter transferred); stall 42 is overdue
      assert.equal([...counts], [['city-market', { mandatory: 2, notUsable: 1, suspect: 0 }]]);
      const calendar = await verification.calendar('city-market', AT, 365);
      assert.equal(
        calendar.map((e) => [e.equipmentId, e.kind, e.on]),
        [
          ['scale-stall-42', 'not_usable', '2026-11-25'],
          ['scale-stall-17', 'verification_due', '2027-03-11'],
        ],
      );
    }));

  it.run();
}
