/**
 * The ledger as stored (persistence/ledger-store.ts) on the shared empty test
 * database: an entry links to the one before and is signed; many entries at
 * once are the entries one by one would make; an entity and its entry land
 * together or not at all; the store reports rows never entered, content
 * changed since its entry, and the head. (The end-to-end suite,
 * test/persistence/ledger.test.ts, tampers with a loaded registry.)
 */
import { sql } from 'drizzle-orm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { GENESIS, macMessage } from '../../src/core/ledger/chain.ts';
import type { Db } from '../../src/persistence/db.ts';
import { appendManyToLedger, appendToLedger, DrizzleLedgerStore, sealUpgrade, writeEntered } from '../../src/persistence/ledger-store.ts';
import { inRollback, testDatabases } from '../helpers/db.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';
import { NO_LEDGER_KEYS } from '../../src/app/ledger.ts';

const org = (id: string) =>
  sql`insert into organisations (id, name, kind, region_code, accreditation) values (${id}, ${`Org ${id}`}, 'enterprise', '310104', null)`;

for (const database of testDatabases()) {
  const it = suite(`persistence/ledger-store on ${database.name}`);
  const withDb = (work: (tx: Db, store: DrizzleLedgerStore) => Promise<void>) => async () => {
    const { db } = await database.open();
    await inRollback(db, async (tx) => work(tx, new DrizzleLedgerStore(tx)));
  };

  it(
    'each entry names the hash of the one before, its own hash and content check, and it carries the signing key’s MAC',
    withDb(async (tx, store) => {
      const before = await store.head();
      await tx.execute(org('o-1'));
      await appendToLedger(tx, TEST_LEDGER_KEYS, 'organisation', 'o-1');
      await tx.execute(org('o-2'));
      await appendToLedger(tx, TEST_LEDGER_KEYS, 'organisation', 'o-2');
      const rows = await store.entries(before?.seq ?? 0, 10);
      assert.equal(
        rows.map((r) => [r.kind, r.entityId, r.latest]),
        [
          ['organisation', 'o-1', true],
          ['organisation', 'o-2', true],
        ],
      );
      assert.is(rows[0]!.prevHash, before?.hash ?? GENESIS);
      assert.is(rows[1]!.prevHash, rows[0]!.hash);
      for (const r of rows) {
        assert.is(r.actualHash, r.hash);
        assert.is(r.actualContentHash, r.contentHash);
        assert.equal(r.mac!.keyId, 'test-1');
        assert.is(TEST_LEDGER_KEYS.check(r.mac!.keyId, macMessage.entry(r.hash), r.mac!.mac), 'ok');
      }
      assert.equal(await store.head(), { seq: rows[1]!.seq, hash: rows[1]!.hash });
      assert.equal(await store.entries(rows[1]!.seq, 10), []);
      assert.is((await store.entries(before?.seq ?? 0, 1)).length, 1, 'the limit');
    }),
  );

  it(
    'many entries at once are the entries appended one by one would be; without a key none is signed',
    withDb(async (tx, store) => {
      const start = (await store.head())?.seq ?? 0;
      for (const id of ['a', 'b', 'c']) await tx.execute(org(id));
      await appendManyToLedger(tx, TEST_LEDGER_KEYS, 'organisation', ['b', 'a', 'c']);
      await appendManyToLedger(tx, TEST_LEDGER_KEYS, 'organisation', []);
      const many = await store.entries(start, 10);
      assert.equal(
        many.map((r) => r.entityId),
        ['b', 'a', 'c'],
      );
      assert.ok(many.every((r) => r.actualHash === r.hash && r.mac !== null));
      assert.is(many[1]!.prevHash, many[0]!.hash);
      await tx.execute(org('d'));
      await appendManyToLedger(tx, NO_LEDGER_KEYS, 'organisation', ['d']);
      await tx.execute(org('e'));
      await appendToLedger(tx, NO_LEDGER_KEYS, 'organisation', 'e');
      const unsigned = await store.entries(many[2]!.seq, 10);
      assert.equal(
        unsigned.map((r) => [r.entityId, r.mac]),
        [
          ['d', null],
          ['e', null],
        ],
      );
    }),
  );

  it(
    'an entity and its entry land together: a failed write leaves no entry; a row written behind the ledger’s back is reported',
    withDb(async (tx, store) => {
      const head = await store.head();
      let failed = false;
      try {
        await writeEntered(tx, TEST_LEDGER_KEYS, 'organisation', 'x', async (sp) => {
          await sp.execute(org('x'));
          throw new Error('after the write');
        });
      } catch {
        failed = true;
      }
      assert.ok(failed);
      assert.equal(await store.head(), head);
      await writeEntered(tx, TEST_LEDGER_KEYS, 'organisation', 'y', (sp) => sp.execute(org('y')));
      assert.equal(await store.unledgered(10), { count: 0, examples: [] });
      await tx.execute(org('sneaky'));
      assert.equal(await store.unledgered(10), { count: 1, examples: [{ kind: 'organisation', id: 'sneaky' }] });
      assert.equal(await store.unledgered(0), { count: 1, examples: [] });
    }),
  );

  it(
    'content changed after its entry no longer matches it; an entry superseded by a later one of its entity is not the latest',
    withDb(async (tx, store) => {
      const start = (await store.head())?.seq ?? 0;
      await tx.execute(org('o'));
      await appendToLedger(tx, TEST_LEDGER_KEYS, 'organisation', 'o');
      await tx.execute(sql`update organisations set name = 'renamed' where id = 'o'`);
      const [entry] = await store.entries(start, 1);
      assert.is.not(entry!.actualContentHash, entry!.contentHash);
      await appendToLedger(tx, TEST_LEDGER_KEYS, 'organisation', 'o');
      const [first, second] = await store.entries(start, 2);
      assert.equal([first!.latest, first!.actualContentHash, second!.latest], [false, null, true]);
      assert.is(second!.actualContentHash, second!.contentHash);
    }),
  );

  it(
    'the upgrade seal is signed only with a key, only once, and never when entries already carry MACs',
    withDb(async (tx, store) => {
      assert.is(await sealUpgrade(tx, NO_LEDGER_KEYS), null);
      assert.is(await sealUpgrade(tx, TEST_LEDGER_KEYS, { anchored: true }), null);
      // entries written without a key, then the seal the upgrade to MACs leaves awaiting one
      await tx.execute(org('old'));
      await appendToLedger(tx, NO_LEDGER_KEYS, 'organisation', 'old');
      const head = (await store.head())!;
      await tx.execute(sql`insert into ledger_seals (through_seq, through_hash) values (${head.seq}, ${head.hash})`);
      assert.equal(
        (await store.seals()).map((x) => [x.throughSeq, x.mac]),
        [[head.seq, null]],
      );
      // a database whose anchor log holds an anchor had MACs: a pending seal there is forged, and stays unsigned
      assert.is(await sealUpgrade(tx, TEST_LEDGER_KEYS, { anchored: true }), null);
      assert.is(await sealUpgrade(tx, NO_LEDGER_KEYS), null);
      const signed = await sealUpgrade(tx, TEST_LEDGER_KEYS);
      assert.equal([signed?.throughSeq, signed?.keyId], [head.seq, 'test-1']);
      assert.is(TEST_LEDGER_KEYS.check('test-1', macMessage.seal(head.seq, head.hash), signed!.mac!), 'ok');
      assert.is(await sealUpgrade(tx, TEST_LEDGER_KEYS), null, 'once');
    }),
  );

  it(
    'no seal is signed once an entry carries a MAC of its own',
    withDb(async (tx, store) => {
      await tx.execute(org('old'));
      await appendToLedger(tx, NO_LEDGER_KEYS, 'organisation', 'old');
      const head = (await store.head())!;
      await tx.execute(sql`insert into ledger_seals (through_seq, through_hash) values (${head.seq}, ${head.hash})`);
      await tx.execute(org('new'));
      await appendToLedger(tx, TEST_LEDGER_KEYS, 'organisation', 'new');
      assert.is(await sealUpgrade(tx, TEST_LEDGER_KEYS), null);
    }),
  );

  it.run();
}
