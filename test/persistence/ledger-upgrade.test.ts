/**
 * Upgrading a database from before ledger MACs (migration 0023): the existing
 * organisations, scopes, equipment and keys are entered, the head is sealed at
 * the first start with a key, and the upgraded ledger verifies; a rewrite of
 * an entry from before the upgrade is caught by the seal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MIGRATIONS_FOLDER, type Db } from '../../src/persistence/db.ts';
import { DrizzleLedgerStore, sealUpgrade } from '../../src/persistence/ledger-store.ts';
import { LedgerService } from '../../src/app/ledger.ts';
import { countOf } from '../helpers/db.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';
import { migrationsUpTo } from '../helpers/upgrade.ts';

test('a database from before MACs upgrades to a sealed ledger that verifies, and a rewrite under the seal is caught', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'metrotrace-upgrade-'));
  const client = new PGlite();
  try {
    // the migrations as they were before 0023
    const old = migrationsUpTo(dir, 22);
    const db = drizzle({ client }) as unknown as Db;
    await migrate(db as never, { migrationsFolder: old });
    await client.exec(`
      insert into organisations (id, name, kind, region_code) values ('lab', 'Lab', 'calibration_lab', '310000'), ('owner', 'Owner', 'enterprise', '310104');
      insert into lab_scopes (id, lab_id, quantity, valid_from, valid_until) values ('scope-1', 'lab', 'mass', '2026-01-01', '2030-12-31');
      insert into equipment (id, owner_id, name, quantity, range_unit, accuracy_kind, accuracy_class, level, usage, status)
        values ('scale', 'owner', 'Scale', 'mass', 'kg', 'class', 'III', 'working_instrument', 'trade_settlement', 'in_service');
      insert into calibration_records (id, kind, subject_id, lab_id, certificate_no, performed_on, valid_until, conformity)
        values ('rec-1', 'verification', 'scale', 'lab', 'C-1', '2026-01-10', '2027-01-09', 'pass');
      insert into api_keys (id, secret_hash, role, label) values ('key-1', repeat('a', 64), 'admin', 'old admin');`);
    await db.execute(sql`select metrotrace_ledger_append('record', 'rec-1')`);

    await migrate(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    assert.is(await countOf(db, 'select count(*)::int as n from ledger'), 6, 'the record, then two organisations, a scope, an equipment and a key');
    const ledger = new LedgerService(new DrizzleLedgerStore(db), { keys: TEST_LEDGER_KEYS });
    let r = await ledger.verify();
    assert.equal([r.valid, r.broken?.reason, r.sealedAtUpgrade?.throughSeq, r.sealedAtUpgrade?.keyId], [false, 'mac', 6, null], 'awaiting its seal');
    const unkeyed = await new LedgerService(new DrizzleLedgerStore(db)).verify();
    assert.equal([unkeyed.valid, unkeyed.authenticated, unkeyed.unledgered.count], [true, false, 0]);

    assert.is((await sealUpgrade(db, TEST_LEDGER_KEYS))?.throughSeq, 6);
    r = await ledger.verify();
    assert.equal([r.valid, r.authenticated, r.checked, r.sealedAtUpgrade?.keyId], [true, true, 6, 'test-1']);

    // equipment changed and every hash recomputed with the database's functions: the seal no longer matches
    await client.exec(`set session_replication_role = replica;
      update equipment set accuracy_class = 'I' where id = 'scale';
      do $$ declare r record; prev text := repeat('0', 64); c text; begin
        for r in select * from ledger order by seq loop
          c := case when r.kind = 'equipment' then metrotrace_sha256(metrotrace_ledger_content(r.kind, r.entity_id)) else r.content_hash end;
          update ledger set content_hash = c, prev_hash = prev, hash = metrotrace_ledger_link(r.seq, r.kind, r.entity_id, c, prev) where seq = r.seq;
          prev := metrotrace_ledger_link(r.seq, r.kind, r.entity_id, c, prev);
        end loop; end $$;
      set session_replication_role = origin;`);
    r = await ledger.verify();
    assert.equal([r.valid, r.broken?.seq, r.broken?.reason], [false, 6, 'mac']);
  } finally {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
