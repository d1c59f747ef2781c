/**
 * Records as stored (persistence/record-store.ts) over the demo: a record
 * read back with its references and points in order and the correction that
 * supersedes it; certificate numbers compared as printed identifiers;
 * listing by each filter, paged by id; what a read scope sees; DCC sidecars.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { StoredRecord } from '../../src/app/ports.ts';
import { readRecord } from '../../src/codecs/registry.ts';
import { DrizzleRecordStore } from '../../src/persistence/record-store.ts';
import { withDemoServices } from '../helpers/app-services.ts';
import { countOf, testDatabases } from '../helpers/db.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';

const ids = (page: { items: StoredRecord[] }) => page.items.map((r) => r.record.id);

for (const database of testDatabases()) {
  const it = suite(`persistence/record-store on ${database.name}`);

  it('a record reads back with its points and the correction that supersedes it; a number matches ignoring case, spaces and width', () =>
    withDemoServices(database, async (_s, tx) => {
      const store = new DrizzleRecordStore(tx, TEST_LEDGER_KEYS);
      const e1 = (await store.getRecord('rec-city-e1-2025'))!;
      assert.equal(
        e1.record.points.map((p) => [p.nominal, p.asFound, p.expandedUncertainty]),
        [
          ['1', '1.000000031', '0.000000080'],
          ['0.1', '0.1000000052', '0.000000016'],
        ],
      );
      assert.is((await store.getRecord('rec-steel-2026'))!.supersededBy, 'rec-steel-2026-corr');
      assert.is((await store.getRecord('rec-steel-2026-corr'))!.supersededBy, null);
      assert.is((await store.recordByCertificate(' ｘｈ-jd2026-00317 '))?.record.id, 'rec-stall17-2026');
      assert.is(await store.recordByCertificate('XH-JD2026-0031'), undefined);
      assert.is(await store.getRecord('nope'), undefined);
    }));

  it('a new record lands with its references in order, its points and a signed ledger entry', () =>
    withDemoServices(database, async (_s, tx) => {
      const store = new DrizzleRecordStore(tx, TEST_LEDGER_KEYS);
      const record = readRecord(
        {
          id: 'rec-new',
          kind: 'calibration',
          subjectId: 'lab-balance-07',
          labId: 'city-institute',
          referenceIds: ['district-f1-set', 'city-e1-set'],
          certificateNo: 'NEW-1',
          performedOn: '2026-11-01',
          points: [
            { nominal: '2', asFound: '2.0010', unit: 'kg' },
            { nominal: '1', asFound: '1.00050', unit: 'kg' },
          ],
        },
        () => 'x',
      );
      await store.insertRecord(record);
      assert.equal((await store.getRecord('rec-new'))!.record, record);
      assert.is(
        await countOf(tx, "select count(*) as n from ledger l join ledger_macs m on m.seq = l.seq where l.kind = 'record' and l.entity_id = 'rec-new'"),
        1,
      );
    }));

  it('lists by subject, lab, kind, number and reference, in id order, a page at a time', () =>
    withDemoServices(database, async (_s, tx) => {
      const store = new DrizzleRecordStore(tx);
      const page = { limit: 10, after: null };
      assert.equal(ids(await store.listRecords({ subjectId: 'scale-stall-17' }, page)), ['rec-stall17-2025-fail', 'rec-stall17-2026']);
      assert.equal(ids(await store.listRecords({ subjectId: 'steel-main-meter', labId: 'acme-cal' }, page)), ['rec-steel-2026', 'rec-steel-2026-corr']);
      assert.equal(ids(await store.listRecords({ subjectId: 'steel-main-meter', kind: 'verification' }, page)), ['rec-steel-main-2025']);
      assert.equal(ids(await store.listRecords({ certificateNo: 'xh-jd2025-00942' }, page)), ['rec-stall42-2025']);
      const usingE1 = ['rec-balance07-2025', 'rec-district-f1-2024', 'rec-district-f1-2025', 'rec-district-f1-2026'];
      assert.equal(ids(await store.listRecords({ referenceId: 'city-e1-set' }, page)), usingE1);
      const first = await store.listRecords({ referenceId: 'city-e1-set' }, { limit: 3, after: null });
      assert.equal([ids(first), first.lastId], [usingE1.slice(0, 3), 'rec-district-f1-2025']);
      const last = await store.listRecords({ referenceId: 'city-e1-set' }, { limit: 3, after: first.lastId });
      assert.equal([ids(last), last.lastId], [['rec-district-f1-2026'], null]);
      // a page exactly full has no next page
      const exact = await store.listRecords({ referenceId: 'city-e1-set' }, { limit: 4, after: null });
      assert.equal([ids(exact), exact.lastId], [usingE1, null]);
    }));

  it('what a read scope sees: an owner its instruments’ records, a lab also those it issued', () =>
    withDemoServices(database, async (_s, tx) => {
      const store = new DrizzleRecordStore(tx);
      const asked = ['rec-stall17-2026', 'rec-steel-2026', 'rec-district-f1-2026'];
      assert.equal([...(await store.visibleRecords(asked, { kind: 'organisation', organisationId: 'city-market' }))], ['rec-stall17-2026']);
      // city-institute issued the F1 set's record, and verified the steel works' meter, whose records it therefore sees
      assert.equal([...(await store.visibleRecords(asked, { kind: 'lab', organisationId: 'city-institute' }))].sort(), [
        'rec-district-f1-2026',
        'rec-steel-2026',
      ]);
      // district-station owns the F1 set: it sees the record of its calibration, and those it issued
      assert.equal([...(await store.visibleRecords(asked, { kind: 'lab', organisationId: 'district-station' }))].sort(), [
        'rec-district-f1-2026',
        'rec-stall17-2026',
      ]);
      assert.is((await store.visibleRecords(asked, { kind: 'all' })).size, 3);
      assert.is((await store.visibleRecords([], { kind: 'all' })).size, 0);
    }));

  it('a DCC sidecar is stored once per record, entered in the ledger, and read back', () =>
    withDemoServices(database, async (_s, tx) => {
      const store = new DrizzleRecordStore(tx, TEST_LEDGER_KEYS);
      await store.insertSidecar('rec-city-e1-2025', { certificateNo: 'NIM-ZL2025-0412', components: [] });
      assert.equal(await store.getSidecar('rec-city-e1-2025'), { certificateNo: 'NIM-ZL2025-0412', components: [] });
      assert.is(await store.getSidecar('rec-stall17-2026'), undefined);
      assert.is(await countOf(tx, "select count(*) as n from ledger where kind = 'record_sidecar' and entity_id = 'rec-city-e1-2025'"), 1);
    }));

  it.run();
}
