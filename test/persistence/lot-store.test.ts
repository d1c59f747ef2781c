/**
 * The lot store (persistence/lot-store.ts): a meter belongs to one lot, held by
 * the database too (a unique index), so two lots registered at the same time
 * cannot both take it — the status of a meter is read from its one lot. On
 * PGlite and (with DATABASE_URL) PostgreSQL.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { LotRow } from '../../src/app/ports.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import { MetrologyError } from '../../src/core/errors.ts';
import { DrizzleLotStore } from '../../src/persistence/lot-store.ts';
import { withApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';

const lot = (id: string): LotRow => ({
  id,
  ownerId: 'city-market',
  category: 'MV004',
  model: 'LXS-20E',
  patternApprovalNo: null,
  manufacturer: '宁波水表',
  batch: null,
  installedFrom: '2020-07-01' as CalendarDate,
  installedTo: '2020-07-28' as CalendarDate,
  region: '310104',
  size: 2,
  registeredOn: '2026-01-05' as CalendarDate,
});

for (const database of testDatabases()) {
  const it = suite(`lot store on ${database.name}`);

  it('a registered meter is a member of one lot: the second lot that names it is refused by the database (DUPLICATE), the first keeps it', () =>
    withApp(database, async ({ db }) => {
      const store = new DrizzleLotStore(db, TEST_LEDGER_KEYS);
      await store.insertLot(
        lot('lot-a'),
        [
          { serial: 'A1', equipmentId: 'water-meter-0231' },
          { serial: 'A2', equipmentId: null },
        ],
        null,
      );
      let refused: unknown;
      try {
        await db.transaction((tx) =>
          new DrizzleLotStore(tx as never, TEST_LEDGER_KEYS).insertLot(
            lot('lot-b'),
            [
              { serial: 'B1', equipmentId: 'water-meter-0231' },
              { serial: 'B2', equipmentId: null },
            ],
            null,
          ),
        );
      } catch (e) {
        refused = e;
      }
      assert.instance(refused, MetrologyError, String(refused));
      assert.equal([(refused as MetrologyError).code, (refused as MetrologyError).path], ['DUPLICATE', '/members/equipmentIds']);
      assert.is((await store.lotOfEquipment('water-meter-0231'))?.lotId, 'lot-a');
      // serial-only members (no registered equipment) are not held to it
      await store.insertLot(
        lot('lot-c'),
        [
          { serial: 'C1', equipmentId: null },
          { serial: 'C2', equipmentId: null },
        ],
        null,
      );
    }));

  it.run();
}
