/**
 * The registry store's contract, run on embedded PGlite always and on the
 * PostgreSQL server when DATABASE_URL is set: the same behaviour on both.
 */
import { sql } from 'drizzle-orm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadRegistryData } from '../../src/app/demo.ts';
import { MetrologyError } from '../../src/core/errors.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import type { CalibrationRecord, Cmc } from '../../src/core/registry/types.ts';
import type { DecimalText } from '../../src/core/numeric/decimal.ts';
import { amendCmc, amendScope } from '../../src/core/registry/versions.ts';
import { readRecord } from '../../src/codecs/registry.ts';
import type { Db } from '../../src/persistence/db.ts';
import { translateDbError } from '../../src/persistence/db-errors.ts';
import { DrizzleRegistryStore } from '../../src/persistence/registry-store.ts';
import { DEMO, rowCounts, sequentialIds, TEST_RULES, withApp } from '../helpers/app.ts';
import { DrizzleUnitOfWork } from '../../src/persistence/unit-of-work.ts';
import { inRollback, testDatabases } from '../helpers/db.ts';

/** Runs `work` in a savepoint so that a failing statement does not abort the test's transaction. */
async function attempt(db: Db, work: (sp: Db) => Promise<unknown>): Promise<unknown> {
  try {
    await db.transaction(async (sp) => {
      await work(sp as unknown as Db);
    });
    return undefined;
  } catch (e) {
    return translateDbError(e);
  }
}

function record(overrides: Record<string, unknown>): CalibrationRecord {
  return readRecord(
    {
      id: 'rec-x',
      kind: 'verification',
      subjectId: 'scale-stall-17',
      labId: 'district-station',
      referenceIds: ['district-f1-set'],
      certificateNo: 'X-1',
      performedOn: '2026-11-01',
      validUntil: '2027-10-31',
      conformity: 'pass',
      ...overrides,
    },
    () => 'unused',
  );
}

for (const database of testDatabases()) {
  const it = suite(`registry store on ${database.name}`);
  const withDemo = (work: (store: DrizzleRegistryStore, db: Db) => Promise<void>) => async () => {
    const { db } = await database.open();
    await inRollback(db, async (tx) => {
      const store = new DrizzleRegistryStore(tx);
      await loadRegistryData(new DrizzleUnitOfWork(tx), DEMO, sequentialIds(), TEST_RULES);
      await work(store, tx);
    });
  };

  it(
    'reads back every decimal digit for digit, trailing zeros included',
    withDemo(async (store) => {
      const stored = await store.getRecord('rec-city-e1-2025');
      assert.ok(stored);
      assert.is(stored.record.points[0]!.expandedUncertainty, '0.000000080');
      assert.is(stored.record.points[1]!.asFound, '0.1000000052');
      const kg = await store.getEquipment('nim-kg');
      assert.equal(kg!.accuracy, { kind: 'expanded', expandedUncertainty: '0.000000020', coverageFactor: '2', unit: 'kg' });
    }),
  );

  it(
    'keeps references in order and reports the correction that supersedes a record',
    withDemo(async (store) => {
      const original = await store.getRecord('rec-steel-2026');
      assert.is(original!.supersededBy, 'rec-steel-2026-corr');
      const correction = await store.getRecord('rec-steel-2026-corr');
      assert.is(correction!.record.supersedes, 'rec-steel-2026');
      assert.is(correction!.supersededBy, null);
      assert.equal(correction!.record.referenceIds, ['grid-portable-std']);
    }),
  );

  it(
    'refuses UPDATE, DELETE and TRUNCATE of records in the database itself',
    withDemo(async (_store, db) => {
      for (const statement of [
        sql`update calibration_records set remarks = 'edited' where id = 'rec-stall17-2026'`,
        sql`delete from calibration_records where id = 'rec-stall17-2026'`,
        sql`update measured_points set as_found = '15' where record_id = 'rec-stall17-2026'`,
        sql`delete from record_references`,
        sql`truncate calibration_records cascade`,
      ]) {
        const err = await attempt(db, (sp) => sp.execute(statement));
        assert.instance(err, MetrologyError);
        assert.is((err as MetrologyError).code, 'APPEND_ONLY');
      }
      const after = await db.execute(sql`select remarks from calibration_records where id = 'rec-stall17-2026'`);
      const rows = ((after as unknown as { rows?: unknown[] }).rows ?? after) as Array<{ remarks: string | null }>;
      assert.is(rows[0]!.remarks, null);
    }),
  );

  it(
    'refuses a correction of another equipment even when the application check is bypassed',
    withDemo(async (store, db) => {
      const err = await attempt(db, (sp) => new DrizzleRegistryStore(sp).insertRecord(record({ supersedes: 'rec-stall42-2025', certificateNo: 'X-2' })));
      assert.is((err as MetrologyError).code, 'SUPERSEDES_OTHER_SUBJECT');
      assert.is(await store.getRecord('rec-x'), undefined);
    }),
  );

  it(
    'writes a record with its references and points all or nothing',
    withDemo(async (store, db) => {
      const before = await rowCounts(db);
      const err = await attempt(db, (sp) =>
        new DrizzleRegistryStore(sp).transaction((tx) =>
          tx.insertRecord(record({ referenceIds: ['district-f1-set', 'no-such-standard'], points: [{ nominal: '1', unit: 'kg' }] })),
        ),
      );
      assert.is((err as MetrologyError).code, 'UNKNOWN_REFERENCE');
      assert.equal(await rowCounts(db), before);
      assert.is(await store.getRecord('rec-x'), undefined);
    }),
  );

  it(
    "reads a record's context in one statement, as the separate reads give it (scopes and CMCs with their amendments, the corrected record, a number written another way)",
    withDemo(async (store) => {
      // a CMC and an amendment of it, and one of a scope, so versions are read and clipped
      const cmc: Cmc = {
        id: 'cmc-x',
        labId: 'district-station',
        quantity: 'mass',
        range: { min: '0' as DecimalText, max: '30' as DecimalText, unit: 'kg' },
        expandedUncertainty: '0.50' as DecimalText,
        relativeExpandedUncertainty: null,
        coverageFactor: '2' as DecimalText,
        validFrom: '2024-01-01' as CalendarDate,
        validUntil: '2027-12-31' as CalendarDate,
      };
      await store.insertCmc(cmc);
      const head = { id: 'cmc-x-2', kind: 'amend' as const, effectiveFrom: '2026-01-01' as CalendarDate, reason: 'narrowed' };
      await store.insertCmcAmendment(amendCmc((await store.cmcHistory('cmc-x'))!, head, { expandedUncertainty: '0.40' }));
      const [scope] = await store.scopeHistories('district-station');
      const scopeHead = { id: 'scope-x-2', kind: 'amend' as const, effectiveFrom: '2026-12-01' as CalendarDate, reason: null };
      await store.insertScopeAmendment(amendScope(scope!, scopeHead, { validUntil: '2030-12-31' as CalendarDate }));
      const original = await store.getRecord('rec-steel-2026');
      for (const asked of [
        { ...original!.record, supersedes: 'rec-steel-2026', certificateNo: ` ${original!.record.certificateNo.toLowerCase()} ` },
        {
          subjectId: 'scale-stall-17',
          referenceIds: ['district-f1-set', 'no-such-standard'],
          labId: 'district-station',
          supersedes: null,
          certificateNo: 'NEW-1',
        },
        { subjectId: 'no-such-instrument', referenceIds: [], labId: 'no-such-lab', supersedes: 'no-such-record', certificateNo: 'NEW-2' },
      ]) {
        const context = await store.recordContext(asked);
        assert.equal(context.equipment, await store.getEquipmentMany([asked.subjectId, ...asked.referenceIds]));
        assert.equal(context.lab, await store.getOrganisation(asked.labId));
        assert.equal(context.scopes, await store.listScopes(asked.labId));
        assert.equal(context.cmcs, await store.listCmcs(asked.labId));
        assert.equal(context.superseded, asked.supersedes === null ? undefined : await store.getRecord(asked.supersedes));
        assert.equal(context.sameCertificate, await store.recordByCertificate(asked.certificateNo));
      }
      const first = await store.recordContext({ ...original!.record, supersedes: 'rec-steel-2026', certificateNo: original!.record.certificateNo });
      assert.is(first.superseded?.supersededBy, 'rec-steel-2026-corr');
      assert.is(first.sameCertificate?.record.id, original!.record.id);
      const station = await store.recordContext({
        subjectId: 'scale-stall-17',
        referenceIds: [],
        labId: 'district-station',
        supersedes: null,
        certificateNo: 'NEW-3',
      });
      assert.equal(
        station.cmcs.map((c) => [c.expandedUncertainty, c.validFrom, c.validUntil]),
        [
          ['0.50', '2024-01-01', '2025-12-31'],
          ['0.40', '2026-01-01', '2027-12-31'],
        ],
      );
      assert.ok(station.scopes.some((s) => s.validUntil === '2030-12-31'));
    }),
  );

  it(
    'the closure as known at an instant leaves out a record corrected by then, as the closure as known now does',
    withDemo(async (store) => {
      // the demo's rec-steel-2026 is corrected by rec-steel-2026-corr, both written in this transaction
      const { subjectId } = (await store.getRecord('rec-steel-2026'))!.record;
      const idsOf = async (asKnownAt: string | null) =>
        ((await store.loadUpwardClosure([subjectId], 1000, '2026-12-31' as CalendarDate, asKnownAt)).records.get(subjectId) ?? []).map((r) => r.id).sort();
      const later = new Date(Date.now() + 3_600_000).toISOString();
      const current = await idsOf(null);
      assert.ok(current.includes('rec-steel-2026-corr') && !current.includes('rec-steel-2026'), current.join(', '));
      assert.equal(await idsOf(later), current);
      // before anything of the demo was written, nothing of it was known
      assert.equal(await idsOf('2000-01-01T00:00:00Z'), []);
    }),
  );

  it('outside any transaction, writes a record with its references and ledger entry in a transaction of its own: all or nothing', async () => {
    // the demo, committed once per process into the database of preloaded data
    await withApp(database, async () => {});
    const { db } = await database.openPreloaded();
    const before = await rowCounts(db);
    const err = await new DrizzleRegistryStore(db)
      .insertRecord(record({ id: 'rec-root', certificateNo: 'X-ROOT-1', referenceIds: ['district-f1-set', 'no-such-standard'] }))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.is((err as MetrologyError).code, 'UNKNOWN_REFERENCE');
    assert.equal(await rowCounts(db), before, 'not the record without its references, nor a ledger entry');
  });

  it(
    'turns unique violations into DUPLICATE with the field',
    withDemo(async (_store, db) => {
      const err = await attempt(db, (sp) => new DrizzleRegistryStore(sp).insertRecord(record({ certificateNo: 'XH-JD2026-00317' })));
      assert.is((err as MetrologyError).code, 'DUPLICATE');
      assert.is((err as MetrologyError).path, '/certificateNo');
    }),
  );

  it(
    'pages by id with no overlap and no gap',
    withDemo(async (store) => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 100; i++) {
        const page = await store.listEquipment({}, { limit: 3, after });
        seen.push(...page.items.map((e) => e.id));
        after = page.lastId;
        if (after === null) break;
      }
      const all = await store.listEquipment({}, { limit: 500, after: null });
      assert.equal(
        seen,
        all.items.map((e) => e.id),
      );
      assert.is(all.items.length, (DEMO as { equipment: unknown[] }).equipment.length);
      assert.equal([...seen].sort(), seen);
    }),
  );

  it(
    'filters equipment and records',
    withDemo(async (store) => {
      const trade = await store.listEquipment({ usage: 'trade_settlement' }, { limit: 50, after: null });
      assert.equal(
        trade.items.map((e) => e.id),
        ['meter-home-0815', 'scale-stall-09', 'scale-stall-17', 'scale-stall-42', 'steel-main-meter', 'water-meter-0231'],
      );
      const byRef = await store.listRecords({ referenceId: 'district-f1-set' }, { limit: 50, after: null });
      assert.equal(
        byRef.items.map((r) => r.record.id),
        ['rec-infant-2026', 'rec-stall09-2026', 'rec-stall17-2025-fail', 'rec-stall17-2026', 'rec-stall42-2025'],
      );
      const byCert = await store.listRecords({ certificateNo: 'NIM-DN2026-0069' }, { limit: 50, after: null });
      assert.equal(
        byCert.items.map((r) => r.record.subjectId),
        ['city-energy-std'],
      );
    }),
  );

  it.run();
}
