/**
 * Certificates owners filed, as stored (persistence/filed-certificate-store.ts)
 * over the demo: a filing and its one decision, each entered in the ledger;
 * the filing that stands for a number (pending or confirmed, never rejected),
 * compared as a printed identifier; the list by subject, lab, state and read
 * scope, paged by id.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CalendarDate } from '../../src/core/dates.ts';
import type { Db } from '../../src/persistence/db.ts';
import { DrizzleAccessStore } from '../../src/persistence/access-store.ts';
import { DrizzleFiledCertificateStore } from '../../src/persistence/filed-certificate-store.ts';
import { withDemoServices } from '../helpers/app-services.ts';
import { countOf, testDatabases } from '../helpers/db.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';

const filing = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  subjectId: 'lab-balance-07',
  labId: 'city-institute',
  certificateNo: `SIMT-F-${id}`,
  performedOn: '2026-11-01' as CalendarDate,
  filedBy: 'steel-works',
  filedByKey: 'key-steel',
  request: { xml: '<dcc/>' },
  unmapped: ['a note'],
  ...over,
});

async function store(tx: Db): Promise<DrizzleFiledCertificateStore> {
  const access = new DrizzleAccessStore(tx);
  for (const [id, role, org] of [
    ['key-steel', 'owner', 'steel-works'],
    ['key-lab', 'lab', 'city-institute'],
  ] as const)
    await access.insertKey({ id, secretHash: 'h', role, organisationId: org, label: id, expiresOn: null, purpose: null, issuedByKey: null });
  return new DrizzleFiledCertificateStore(tx, TEST_LEDGER_KEYS);
}

for (const database of testDatabases()) {
  const it = suite(`persistence/filed-certificate-store on ${database.name}`);

  it('a filing reads back pending; its one decision is stored and entered in the ledger with it', () =>
    withDemoServices(database, async (_s, tx) => {
      const filed = await store(tx);
      await filed.insert(filing('f-1'));
      const got = (await filed.get('f-1'))!;
      assert.equal(
        [got.subjectId, got.labId, got.certificateNo, got.performedOn, got.filedBy, got.request, got.unmapped, got.decision],
        ['lab-balance-07', 'city-institute', 'SIMT-F-f-1', '2026-11-01', 'steel-works', { xml: '<dcc/>' }, ['a note'], null],
      );
      await filed.decide('f-1', { decision: 'rejected', reason: 'not ours', decidedByKey: 'key-lab', decidedByOrganisation: 'city-institute' });
      const decided = (await filed.get('f-1'))!.decision!;
      assert.equal([decided.decision, (decided as { reason: string }).reason, decided.decidedByOrganisation], ['rejected', 'not ours', 'city-institute']);
      assert.is(await countOf(tx, "select count(*) as n from ledger where entity_id = 'f-1' and kind in ('filed_certificate', 'filed_decision')"), 2);
      assert.is(await filed.get('nope'), undefined);
    }));

  it('the filing standing for a number is a pending or confirmed one, matched as a printed identifier; a rejected one stands for nothing', () =>
    withDemoServices(database, async (_s, tx) => {
      const filed = await store(tx);
      await filed.insert(filing('f-1', { certificateNo: 'SIMT-ZL2026-0001' }));
      assert.is((await filed.standingByCertificate(' simt-zl2026-0001'))?.id, 'f-1');
      await filed.decide('f-1', { decision: 'rejected', reason: 'x', decidedByKey: 'key-lab', decidedByOrganisation: 'city-institute' });
      assert.is(await filed.standingByCertificate('SIMT-ZL2026-0001'), undefined);
      await filed.insert(filing('f-2', { certificateNo: 'SIMT-ZL2026-0001' }));
      await filed.decide('f-2', { decision: 'confirmed', recordId: 'rec-balance07-2025', decidedByKey: 'key-lab', decidedByOrganisation: 'city-institute' });
      assert.is((await filed.standingByCertificate('SIMT-ZL2026-0001'))?.id, 'f-2');
    }));

  it('lists by subject, lab, state and read scope, in id order, a page at a time', () =>
    withDemoServices(database, async (_s, tx) => {
      const filed = await store(tx);
      for (const id of ['f-3', 'f-1', 'f-2']) await filed.insert(filing(id));
      await filed.insert(filing('f-4', { labId: 'acme-cal' }));
      await filed.decide('f-2', { decision: 'rejected', reason: 'x', decidedByKey: 'key-lab', decidedByOrganisation: 'city-institute' });
      const ids = async (f: Parameters<typeof filed.list>[0], limit = 10, after: string | null = null) => {
        const p = await filed.list(f, { limit, after });
        return [p.items.map((x) => x.id), p.lastId];
      };
      assert.equal(await ids({}), [['f-1', 'f-2', 'f-3', 'f-4'], null]);
      assert.equal(await ids({ labId: 'acme-cal' }), [['f-4'], null]);
      assert.equal(await ids({ state: 'pending' }), [['f-1', 'f-3', 'f-4'], null]);
      assert.equal(await ids({ state: 'rejected' }), [['f-2'], null]);
      assert.equal(await ids({ subjectId: 'scale-stall-17' }), [[], null]);
      assert.equal(await ids({}, 2), [['f-1', 'f-2'], 'f-2']);
      assert.equal(await ids({}, 2, 'f-2'), [['f-3', 'f-4'], null]);
      // the owner of the balance sees them all; another owner none; acme-cal the one naming it
      assert.equal(await ids({ visibleTo: { kind: 'organisation', organisationId: 'steel-works' } }), [['f-1', 'f-2', 'f-3', 'f-4'], null]);
      assert.equal(await ids({ visibleTo: { kind: 'organisation', organisationId: 'city-market' } }), [[], null]);
      assert.equal(await ids({ visibleTo: { kind: 'lab', organisationId: 'acme-cal' } }), [['f-4'], null]);
    }));

  it.run();
}
