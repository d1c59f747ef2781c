/**
 * Rows as JSON built inside PostgreSQL (persistence/row-json.ts) over the
 * demo: a record, an instrument, an organisation and an event read through
 * the JSON documents are the values the stores read column by column, every
 * numeric and date as text (trailing zeros kept, no JSON number anywhere).
 */
import { sql } from 'drizzle-orm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readRecord } from '../../src/codecs/registry.ts';
import { rowsOf, type Db } from '../../src/persistence/db.ts';
import {
  type EventJson,
  equipmentFromJson,
  eventFromJson,
  JSON_TEXT,
  type JsonRecord,
  organisationFromJson,
  recordFromJson,
} from '../../src/persistence/row-json.ts';
import { DrizzleRegistryStore } from '../../src/persistence/registry-store.ts';
import { withDemoServices } from '../helpers/app-services.ts';
import { testDatabases } from '../helpers/db.ts';

async function one(tx: Db, query: ReturnType<typeof sql>): Promise<string> {
  return rowsOf<{ j: string }>(await tx.execute(query))[0]!.j;
}

for (const database of testDatabases()) {
  const it = suite(`persistence/row-json on ${database.name}`);

  it('a record as JSON: the stored record, references in order, points with every digit, and no JSON number', () =>
    withDemoServices(database, async (_s, tx) => {
      const text = await one(tx, sql`select ${sql.raw(JSON_TEXT.record)}::text as j from calibration_records r where r.id = 'rec-city-e1-2025'`);
      assert.ok(text.includes('"expandedUncertainty" : "0.000000080"') || text.includes('"expandedUncertainty":"0.000000080"'), text);
      assert.not.match(text, /:\s*-?\d/, 'no value is a JSON number');
      const fromJson = recordFromJson(JSON.parse(text) as JsonRecord);
      const stored = (await new DrizzleRegistryStore(tx).getRecord('rec-city-e1-2025'))!.record;
      assert.equal(fromJson, stored);
      const corr = recordFromJson(
        JSON.parse(
          await one(tx, sql`select ${sql.raw(JSON_TEXT.record)}::text as j from calibration_records r where r.id = 'rec-steel-2026-corr'`),
        ) as JsonRecord,
      );
      assert.equal([corr.supersedes, corr.referenceIds, corr.points[0]!.asFound], ['rec-steel-2026', ['grid-portable-std'], '1.00016']);
      // references keep the order the record gives them, whatever their ids
      const refs = ['city-e1-set', 'nim-kg', 'district-f1-set'];
      await new DrizzleRegistryStore(tx).insertRecord(
        readRecord(
          {
            id: 'rec-refs',
            kind: 'calibration',
            subjectId: 'lab-balance-07',
            labId: 'city-institute',
            referenceIds: refs,
            certificateNo: 'REFS-1',
            performedOn: '2026-11-01',
          },
          () => 'x',
        ),
      );
      const ordered = recordFromJson(
        JSON.parse(await one(tx, sql`select ${sql.raw(JSON_TEXT.record)}::text as j from calibration_records r where r.id = 'rec-refs'`)) as JsonRecord,
      );
      assert.equal(ordered.referenceIds, refs);
    }));

  it('an instrument, an organisation and an event as JSON are what the store reads', () =>
    withDemoServices(database, async (_s, tx) => {
      const store = new DrizzleRegistryStore(tx);
      const kg = equipmentFromJson(JSON.parse(await one(tx, sql`select ${sql.raw(JSON_TEXT.equipment)}::text as j from equipment e where e.id = 'nim-kg'`)));
      assert.equal(kg, await store.getEquipment('nim-kg'));
      assert.equal(kg.accuracy, { kind: 'expanded', expandedUncertainty: '0.000000020', coverageFactor: '2', unit: 'kg' });
      const o = organisationFromJson(
        JSON.parse(await one(tx, sql`select ${sql.raw(JSON_TEXT.organisation)}::text as j from organisations o where o.id = 'district-station'`)),
      );
      assert.equal(o, await store.getOrganisation('district-station'));
      const ev = eventFromJson(
        JSON.parse(
          await one(tx, sql`select ${sql.raw(JSON_TEXT.event)}::text as j from equipment_events ev where ev.equipment_id = 'grid-portable-std'`),
        ) as EventJson,
      );
      assert.equal(
        [ev.kind, ev.effectiveOn, ev.assessment],
        ['assessment_renewed', '2023-03-20', { certificateNo: '[2023]沪量标证字第0207号', validFrom: '2023-04-01', validUntil: '2027-03-31' }],
      );
      assert.equal(ev, (await store.listEvents('grid-portable-std'))[0]);
      const transfer = eventFromJson(
        JSON.parse(
          await one(tx, sql`select ${sql.raw(JSON_TEXT.event)}::text as j from equipment_events ev where ev.equipment_id = 'water-meter-0231'`),
        ) as EventJson,
      );
      assert.equal([transfer.assessment, transfer.newOwnerId], [null, 'mall-plaza']);
    }));

  it('a tolerance finding as JSON holds only what the chain reads of it', () =>
    withDemoServices(database, async (s, tx) => {
      await s.traceability.recordOutOfTolerance({
        id: 'f-1',
        equipmentId: 'district-f1-set',
        foundOn: '2026-11-25' as never,
        lastKnownGood: '2026-06-01' as never,
        remarks: 'x',
      });
      const j = JSON.parse(await one(tx, sql`select ${sql.raw(JSON_TEXT.tolerance)}::text as j from tolerance_findings t where t.id = 'f-1'`));
      assert.equal(j, { equipmentId: 'district-f1-set', foundOn: '2026-11-25', lastKnownGood: '2026-06-01' });
    }));

  it.run();
}
