/**
 * The evidence ledger: every record, correction, sidecar, finding and audit is
 * chained by hash as it is written; an edit behind the application's back
 * (plain SQL, with the append-only triggers switched off as a database owner
 * could) is found and named, as is evidence that never entered the ledger.
 */
import { sql } from 'drizzle-orm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withApp } from '../helpers/app.ts';
import { countOf, testDatabases } from '../helpers/db.ts';
import type { Db } from '../../src/persistence/db.ts';
import { createServices } from '../../src/main/services.ts';
import { rowsOf } from '../../src/persistence/db.ts';
import { LEDGER_KINDS } from '../../src/core/ledger/chain.ts';
import { NO_LEDGER_KEYS } from '../../src/app/ledger.ts';
import type { AnchorLog, LedgerKeys } from '../../src/app/ports.ts';
import { sealUpgrade } from '../../src/persistence/ledger-store.ts';
import { memoryAnchorLog, testKeyRing } from '../helpers/ledger.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';

/** Runs SQL as someone with the table owner's rights: triggers off for the statement. */
async function behindTheBack(db: Db, table: string, statement: string): Promise<void> {
  await db.execute(sql.raw(`alter table ${table} disable trigger user`));
  await db.execute(sql.raw(statement));
  await db.execute(sql.raw(`alter table ${table} enable trigger user`));
}

const count = countOf;

/** Runs SQL as a superuser would: every trigger (foreign keys too) off for it. */
async function asSuperuser(db: Db, statements: string): Promise<void> {
  await db.execute(sql.raw('set local session_replication_role = replica'));
  for (const s of statements.split(';').filter((x) => x.trim() !== '')) await db.execute(sql.raw(s));
  await db.execute(sql.raw('set local session_replication_role = origin'));
}

/**
 * The careful insider's rewrite: change an entity behind the application's
 * back, then recompute every entry from its first one with the database's own
 * functions (metrotrace_ledger_content, metrotrace_sha256, metrotrace_ledger_link),
 * so that every hash and every link checks again.
 */
async function rewriteChain(db: Db, kind: string, id: string): Promise<number> {
  const from = await countOf(db, `select min(seq)::int as n from ledger where kind = '${kind}' and entity_id = '${id}'`);
  await db.execute(sql.raw('set local session_replication_role = replica'));
  await db.execute(
    sql.raw(`do $$
    declare r record; prev text; content text;
    begin
      select hash into prev from ledger where seq = ${from} - 1;
      prev := coalesce(prev, repeat('0', 64));
      for r in select * from ledger where seq >= ${from} order by seq loop
        content := case when r.kind = '${kind}' and r.entity_id = '${id}' then metrotrace_sha256(metrotrace_ledger_content(r.kind, r.entity_id)) else r.content_hash end;
        update ledger set content_hash = content, prev_hash = prev, hash = metrotrace_ledger_link(r.seq, r.kind, r.entity_id, content, prev) where seq = r.seq;
        prev := metrotrace_ledger_link(r.seq, r.kind, r.entity_id, content, prev);
      end loop;
    end $$`),
  );
  await db.execute(sql.raw('set local session_replication_role = origin'));
  return from;
}

const ledgerOf = (db: Db, keys: LedgerKeys = TEST_LEDGER_KEYS, anchors: AnchorLog | null = null) =>
  createServices(db, () => 'unused', undefined, undefined, undefined, { keys, anchors }).ledger;

for (const database of testDatabases()) {
  const ledger = suite(`evidence ledger on ${database.name}`);

  ledger('every piece of evidence of the demo, and what it rests on, is chained and signed, and the chain verifies', () =>
    withApp(database, async ({ app, db }) => {
      const res = await app.inject({ method: 'GET', url: '/v1/ledger/verify' });
      assert.is(res.statusCode, 200);
      const report = res.json();
      const evidence =
        (await count(db, 'select count(*)::int as n from calibration_records')) +
        (await count(db, 'select count(*)::int as n from record_sidecars')) +
        (await count(db, 'select count(*)::int as n from tolerance_findings')) +
        (await count(db, 'select count(*)::int as n from energy_audits')) +
        (await count(db, 'select count(*)::int as n from organisations')) +
        (await count(db, 'select count(*)::int as n from lab_scopes')) +
        (await count(db, 'select count(*)::int as n from lab_cmcs')) +
        (await count(db, 'select count(*)::int as n from equipment')) +
        (await count(db, 'select count(*)::int as n from api_keys')) +
        (await count(db, 'select count(*)::int as n from equipment_events')) +
        (await count(db, 'select count(*)::int as n from filed_certificates')) +
        (await count(db, 'select count(*)::int as n from filed_certificate_decisions')) +
        (await count(db, 'select count(*)::int as n from lab_scope_versions')) +
        (await count(db, 'select count(*)::int as n from lab_cmc_versions'));
      assert.ok(evidence >= 100);
      assert.equal(
        { valid: report.valid, authenticated: report.authenticated, checked: report.checked, broken: report.broken, unledgered: report.unledgered.count },
        { valid: true, authenticated: true, checked: evidence, broken: null, unledgered: 0 },
      );
      assert.is(await count(db, 'select count(*)::int as n from ledger_macs'), evidence, 'every entry carries a MAC');
      const kinds = rowsOf<{ kind: string }>(await db.execute(sql`select distinct kind from ledger order by kind`)).map((r) => r.kind);
      for (const kind of ['organisation', 'scope', 'equipment', 'api_key', 'record']) assert.ok(kinds.includes(kind), kind);
      assert.ok(kinds.every((k) => (LEDGER_KINDS as readonly string[]).includes(k)));
      assert.match(report.head.hash, /^[0-9a-f]{64}$/);
    }),
  );

  ledger('a record edited with plain SQL is found, with the entry and the record named', () =>
    withApp(database, async ({ app, db }) => {
      await behindTheBack(db, 'calibration_records', "update calibration_records set valid_until = '2030-12-31' where id = 'rec-stall17-2026'");
      const report = (await app.inject({ method: 'GET', url: '/v1/ledger/verify' })).json();
      assert.is(report.valid, false);
      assert.equal([report.broken.kind, report.broken.entityId, report.broken.reason], ['record', 'rec-stall17-2026', 'content_changed']);
      assert.is(report.checked, report.broken.seq - 1, 'everything before the broken link still checks');
    }),
  );

  ledger('an edited measured value, a deleted reference, an altered or removed ledger entry are each found', () =>
    withApp(database, async ({ db }) => {
      const { ledger } = createServices(db, () => 'unused', undefined, undefined, undefined, { keys: TEST_LEDGER_KEYS });
      const seqOf = async (id: string) => count(db, `select seq::int as n from ledger where kind = 'record' and entity_id = '${id}'`);

      await behindTheBack(db, 'measured_points', "update measured_points set as_found = '15.000' where record_id = 'rec-stall17-2026'");
      let r = await ledger.verify({ batch: 7 });
      assert.equal([r.broken?.entityId, r.broken?.reason], ['rec-stall17-2026', 'content_changed']);
      await behindTheBack(db, 'measured_points', "update measured_points set as_found = '15.005' where record_id = 'rec-stall17-2026'");
      assert.ok((await ledger.verify()).valid, 'restoring the value restores the chain');

      await behindTheBack(db, 'record_references', "delete from record_references where record_id = 'rec-stall17-2026'");
      r = await ledger.verify();
      assert.equal([r.broken?.entityId, r.broken?.reason], ['rec-stall17-2026', 'content_changed']);
      await behindTheBack(
        db,
        'record_references',
        "insert into record_references (record_id, reference_id, position) values ('rec-stall17-2026', 'district-f1-set', 0)",
      );
      assert.ok((await ledger.verify()).valid);

      const seq = await seqOf('rec-stall17-2026');
      await behindTheBack(db, 'ledger', `update ledger set content_hash = repeat('a', 64) where seq = ${seq}`);
      r = await ledger.verify();
      assert.equal([r.broken?.seq, r.broken?.reason], [seq, 'entry_hash']);
      await asSuperuser(db, `delete from ledger_macs where seq = ${seq}; delete from ledger where seq = ${seq}`);
      r = await ledger.verify();
      assert.equal([r.broken?.seq, r.broken?.reason], [seq + 1, 'gap']);
    }),
  );

  ledger('evidence written behind the application is reported as outside the ledger; a deleted record as missing', () =>
    withApp(database, async ({ db }) => {
      const { ledger } = createServices(db, () => 'unused', undefined, undefined, undefined, { keys: TEST_LEDGER_KEYS });
      await db.execute(sql`insert into calibration_records (id, kind, subject_id, lab_id, certificate_no, performed_on, valid_until, conformity)
        values ('forged-1', 'verification', 'scale-stall-17', 'district-station', 'FORGED-1', '2026-11-01', '2027-10-31', 'pass')`);
      let r = await ledger.verify();
      assert.is(r.valid, false);
      assert.is(r.broken, null, 'the chain itself is intact');
      assert.equal(r.unledgered, { count: 1, examples: [{ kind: 'record', id: 'forged-1' }] });

      await behindTheBack(db, 'measured_points', "delete from measured_points where record_id = 'rec-stall42-2025'");
      await behindTheBack(db, 'record_references', "delete from record_references where record_id = 'rec-stall42-2025'");
      await behindTheBack(db, 'calibration_records', "delete from calibration_records where id = 'rec-stall42-2025'");
      r = await ledger.verify();
      assert.equal([r.broken?.entityId, r.broken?.reason], ['rec-stall42-2025', 'entity_missing']);
    }),
  );

  ledger('a nullable column added later leaves old entries valid; filling it, or emptying a field, is a change', () =>
    withApp(database, async ({ db }) => {
      const { ledger } = createServices(db, () => 'unused', undefined, undefined, undefined, { keys: TEST_LEDGER_KEYS });
      await db.execute(sql`alter table calibration_records add column future_note text`);
      assert.ok((await ledger.verify()).valid, 'a new nullable column changes no content');
      await behindTheBack(db, 'calibration_records', "update calibration_records set future_note = 'x' where id = 'rec-stall17-2026'");
      let r = await ledger.verify();
      assert.equal([r.broken?.entityId, r.broken?.reason], ['rec-stall17-2026', 'content_changed']);
      await behindTheBack(db, 'calibration_records', "update calibration_records set future_note = null where id = 'rec-stall17-2026'");
      assert.ok((await ledger.verify()).valid);
      await behindTheBack(db, 'calibration_records', "update calibration_records set remarks = null where id = 'rec-infant-2026'");
      r = await ledger.verify();
      assert.equal([r.broken?.entityId, r.broken?.reason], ['rec-infant-2026', 'content_changed']);
    }),
  );

  ledger('a write that fails leaves neither the record nor a ledger entry', () =>
    withApp(database, async ({ app, db }) => {
      const before = await count(db, 'select count(*)::int as n from ledger');
      const res = await app.inject({
        method: 'POST',
        url: '/v1/calibrations',
        payload: {
          kind: 'verification',
          subjectId: 'scale-stall-17',
          labId: 'district-station',
          referenceIds: ['no-such-standard'],
          certificateNo: 'X-1',
          performedOn: '2026-11-20',
          validUntil: '2027-11-19',
          conformity: 'pass',
        },
      });
      assert.ok(res.statusCode >= 400 && res.statusCode < 500);
      assert.is(await count(db, 'select count(*)::int as n from ledger'), before);
      const ok = await app.inject({
        method: 'POST',
        url: '/v1/calibrations',
        payload: {
          kind: 'verification',
          subjectId: 'scale-stall-17',
          labId: 'district-station',
          referenceIds: ['district-f1-set'],
          certificateNo: 'X-2',
          performedOn: '2026-11-20',
          validUntil: '2027-11-19',
          conformity: 'pass',
        },
      });
      assert.is(ok.statusCode, 201);
      assert.is(await count(db, 'select count(*)::int as n from ledger'), before + 1);
    }),
  );

  ledger("the careful insider: an edited record value with the chain recomputed by the database's own functions is caught by the MAC", () =>
    withApp(database, async ({ db }) => {
      await behindTheBack(db, 'measured_points', "update measured_points set as_found = '15.000' where record_id = 'rec-stall17-2026'");
      const from = await rewriteChain(db, 'record', 'rec-stall17-2026');
      const unkeyed = await ledgerOf(db, NO_LEDGER_KEYS).verify();
      assert.equal([unkeyed.valid, unkeyed.authenticated, unkeyed.broken], [true, false, null], 'the hashes alone are fooled: this is the attack');
      assert.match(unkeyed.summary, /MACs were NOT checked/);
      const r = await ledgerOf(db).verify();
      assert.is(r.valid, false);
      assert.equal([r.broken?.seq, r.broken?.kind, r.broken?.entityId, r.broken?.reason], [from, 'record', 'rec-stall17-2026', 'mac']);
      assert.is(r.checked, from - 1);
    }),
  );

  ledger('the careful insider: deleting the newest record with its entry (and its MAC) is caught by the anchor', () =>
    withApp(database, async ({ app, db }) => {
      const anchors = memoryAnchorLog();
      const ledgerWith = ledgerOf(db, TEST_LEDGER_KEYS, anchors);
      const ok = await app.inject({
        method: 'POST',
        url: '/v1/calibrations',
        payload: {
          id: 'rec-tail',
          kind: 'verification',
          subjectId: 'scale-stall-17',
          labId: 'district-station',
          referenceIds: ['district-f1-set'],
          certificateNo: 'TAIL-1',
          performedOn: '2026-11-20',
          validUntil: '2027-11-19',
          conformity: 'pass',
        },
      });
      assert.is(ok.statusCode, 201);
      const taken = (await ledgerWith.anchor())!.anchor;
      assert.is(taken.seq, await count(db, 'select max(seq)::int as n from ledger'));
      let r = await ledgerWith.verify();
      assert.equal([r.valid, r.authenticated, r.anchors.count, r.anchors.latest?.seq], [true, true, 1, taken.seq]);

      const id = rowsOf<{ entity_id: string }>(await db.execute(sql.raw(`select entity_id from ledger where seq = ${taken.seq}`)))[0]!.entity_id;
      await asSuperuser(
        db,
        `delete from ledger_macs where seq = ${taken.seq}; delete from ledger where seq = ${taken.seq}; delete from calibration_records where id = '${id}'`,
      );
      assert.ok((await ledgerOf(db).verify()).valid, 'without the anchor the shortened chain checks: this is the attack');
      r = await ledgerWith.verify();
      assert.is(r.valid, false);
      assert.equal([r.broken?.reason, r.broken?.seq, r.head.seq], ['behind_anchor', taken.seq, taken.seq - 1]);

      // and writing a new entry in its place (with a good MAC, by the application) disagrees with the anchor
      const again = await app.inject({
        method: 'POST',
        url: '/v1/calibrations',
        payload: {
          id: 'rec-other',
          kind: 'verification',
          subjectId: 'scale-stall-17',
          labId: 'district-station',
          referenceIds: ['district-f1-set'],
          certificateNo: 'TAIL-2',
          performedOn: '2026-11-21',
          validUntil: '2027-11-19',
          conformity: 'pass',
        },
      });
      assert.is(again.statusCode, 201);
      r = await ledgerWith.verify();
      assert.equal([r.broken?.reason, r.broken?.seq], ['anchor_mismatch', taken.seq]);
    }),
  );

  ledger('an anchor not signed by the key ring is refused', () =>
    withApp(database, async ({ db }) => {
      const anchors = memoryAnchorLog();
      const l = ledgerOf(db, TEST_LEDGER_KEYS, anchors);
      const taken = (await l.anchor())!.anchor;
      anchors.lines[0] = { ...taken, seq: taken.seq - 1 };
      const r = await l.verify();
      assert.equal([r.valid, r.broken?.reason], [false, 'anchor_mac']);
    }),
  );

  ledger("equipment, scopes, organisations, CMCs and keys changed behind the application's back are found", () =>
    withApp(database, async ({ db }) => {
      const l = ledgerOf(db);
      const { store } = createServices(db, () => 'x', undefined, undefined, undefined, { keys: TEST_LEDGER_KEYS });
      await store.insertCmc({
        id: 'cmc-mass-1',
        labId: 'district-station',
        quantity: 'mass',
        range: { min: '0' as never, max: '20' as never, unit: 'kg' },
        expandedUncertainty: '0.5' as never,
        relativeExpandedUncertainty: null,
        coverageFactor: '2' as never,
        validFrom: '2026-01-01' as never,
        validUntil: '2030-12-31' as never,
      });
      assert.ok((await l.verify()).valid);
      const cases: Array<[string, string, string, string]> = [
        ['equipment', "update equipment set accuracy_class = 'I' where id = 'scale-stall-17'", 'equipment', 'scale-stall-17'],
        ['organisations', "update organisations set name = 'Someone else' where id = 'district-station'", 'organisation', 'district-station'],
        ['lab_scopes', "update lab_scopes set valid_until = '2099-12-31' where id = (select min(id) from lab_scopes)", 'scope', ''],
        ['lab_cmcs', 'update lab_cmcs set coverage_factor = 1 where id = (select min(id) from lab_cmcs)', 'cmc', ''],
      ];
      for (const [table, statement, kind, id] of cases) {
        await db.execute(sql.raw('savepoint tamper'));
        await behindTheBack(db, table, statement);
        const r = await l.verify();
        assert.equal([r.valid, r.broken?.kind, r.broken?.reason], [false, kind, 'content_changed'], table);
        if (id) assert.is(r.broken?.entityId, id);
        await db.execute(sql.raw('rollback to savepoint tamper'));
      }
      assert.ok((await l.verify()).valid);
    }),
  );

  ledger('a key whose secret hash is replaced by one the insider knows is found; a revocation is a new entry, and verifies', () =>
    withApp(database, async ({ db, access, keyFor }) => {
      const l = ledgerOf(db);
      await keyFor('lab', 'district-station');
      const key = (await access.listKeys()).find((k) => k.role === 'lab')!;
      await access.revoke(key.id);
      assert.is(await count(db, `select count(*)::int as n from ledger where kind = 'api_key' and entity_id = '${key.id}'`), 2, 'issued, then revoked');
      assert.ok((await l.verify()).valid, 'only the latest entry of the key must match it');
      await behindTheBack(db, 'api_keys', `update api_keys set secret_hash = encode(sha256('known to the insider'), 'hex') where id = '${key.id}'`);
      const r = await l.verify();
      assert.equal([r.broken?.kind, r.broken?.entityId, r.broken?.reason], ['api_key', key.id, 'content_changed']);
    }),
  );

  ledger('key rotation: entries keep verifying under the key that signed them; a missing key is named; no key at all is unauthenticated', () =>
    withApp(database, async ({ db }) => {
      const first = await count(db, 'select max(seq)::int as n from ledger');
      const rotated = testKeyRing(['test-1', 1], ['test-2', 2]);
      const services = createServices(db, () => 'rotated-id', undefined, undefined, undefined, { keys: rotated });
      await services.store.insertOrganisation({ id: 'after-rotation', name: 'After rotation', kind: 'enterprise', regionCode: '310104', accreditation: null });
      const macs = rowsOf<{ key_id: string; n: number }>(
        await db.execute(sql`select key_id, count(*)::int as n from ledger_macs group by key_id order by key_id`),
      );
      assert.equal(
        macs.map((m) => m.key_id),
        ['test-1', 'test-2'],
      );
      let r = await ledgerOf(db, rotated).verify();
      assert.equal([r.valid, r.authenticated, r.keys.signingKeyId], [true, true, 'test-2']);
      r = await ledgerOf(db, testKeyRing(['test-2', 2])).verify();
      assert.equal([r.valid, r.broken?.seq, r.broken?.reason], [false, 1, 'mac']);
      assert.match(r.broken!.message, /key id this key ring does not hold/);
      r = await ledgerOf(db, testKeyRing(['test-1', 9], ['test-2', 2])).verify();
      assert.equal([r.broken?.seq, r.broken?.reason], [1, 'mac'], 'a different secret under the same id does not verify');
      r = await ledgerOf(db, NO_LEDGER_KEYS).verify();
      assert.equal([r.valid, r.authenticated, r.checked], [true, false, first + 1]);
      assert.match(r.summary, /MACs were NOT checked/);
    }),
  );

  ledger('entries written before MACs are sealed once at the upgrade; a seal is not renewed once MACs exist, and a rewrite under the seal is caught', () =>
    withApp(database, async ({ db }) => {
      // as a database upgraded by migration 0023 looks before its first start with a key: no MACs, a pending seal at the head
      await asSuperuser(
        db,
        `delete from ledger_macs; insert into ledger_seals (through_seq, through_hash) select seq, hash from ledger order by seq desc limit 1`,
      );
      const head = await count(db, 'select max(seq)::int as n from ledger');
      let r = await ledgerOf(db).verify();
      assert.equal([r.valid, r.broken?.reason, r.sealedAtUpgrade?.keyId], [false, 'mac', null], 'unsealed and unsigned: not valid under a key');
      assert.is(await sealUpgrade(db, TEST_LEDGER_KEYS, { anchored: true }), null, 'never once an anchor exists outside: MACs existed then');
      const sealed = await sealUpgrade(db, TEST_LEDGER_KEYS);
      assert.equal([sealed?.throughSeq, sealed?.keyId], [head, 'test-1']);
      assert.is(await sealUpgrade(db, TEST_LEDGER_KEYS), null, 'sealed once');
      r = await ledgerOf(db).verify();
      assert.equal([r.valid, r.authenticated, r.sealedAtUpgrade?.throughSeq], [true, true, head]);
      assert.match(r.summary, /written without a ledger key .*are covered by the seal/);
      await behindTheBack(db, 'calibration_records', "update calibration_records set valid_until = '2030-12-31' where id = 'rec-stall17-2026'");
      const from = await rewriteChain(db, 'record', 'rec-stall17-2026');
      r = await ledgerOf(db).verify();
      assert.equal([r.valid, r.broken?.seq, r.broken?.reason], [false, head, 'mac']);
      assert.ok(from < head);
    }),
  );

  ledger.run();
}
