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
import { createServices } from '../../src/http/services.ts';

/** Runs SQL as someone with the table owner's rights: triggers off for the statement. */
async function behindTheBack(db: Db, table: string, statement: string): Promise<void> {
  await db.execute(sql.raw(`alter table ${table} disable trigger user`));
  await db.execute(sql.raw(statement));
  await db.execute(sql.raw(`alter table ${table} enable trigger user`));
}

const count = countOf;

for (const database of testDatabases()) {
  const ledger = suite(`evidence ledger on ${database.name}`);

  ledger('every piece of evidence of the demo is chained, and the chain verifies', () =>
    withApp(database, async ({ app, db }) => {
      const res = await app.inject({ method: 'GET', url: '/v1/ledger/verify' });
      assert.is(res.statusCode, 200);
      const report = res.json();
      const evidence =
        (await count(db, 'select count(*)::int as n from calibration_records')) +
        (await count(db, 'select count(*)::int as n from record_sidecars')) +
        (await count(db, 'select count(*)::int as n from tolerance_findings')) +
        (await count(db, 'select count(*)::int as n from energy_audits'));
      assert.ok(evidence >= 35);
      assert.equal({ valid: report.valid, checked: report.checked, broken: report.broken, unledgered: report.unledgered.count }, { valid: true, checked: evidence, broken: null, unledgered: 0 });
      assert.match(report.head.hash, /^[0-9a-f]{64}$/);
    }));

  ledger('a record edited with plain SQL is found, with the entry and the record named', () =>
    withApp(database, async ({ app, db }) => {
      await behindTheBack(db, 'calibration_records', "update calibration_records set valid_until = '2030-12-31' where id = 'rec-stall17-2026'");
      const report = (await app.inject({ method: 'GET', url: '/v1/ledger/verify' })).json();
      assert.is(report.valid, false);
      assert.equal([report.broken.kind, report.broken.entityId, report.broken.reason], ['record', 'rec-stall17-2026', 'content_changed']);
      assert.is(report.checked, report.broken.seq - 1, 'everything before the broken link still checks');
    }));

  ledger('an edited measured value, a deleted reference, an altered or removed ledger entry are each found', () =>
    withApp(database, async ({ db }) => {
      const { ledger } = createServices(db, () => 'unused');
      const seqOf = async (id: string) => count(db, `select seq::int as n from ledger where kind = 'record' and entity_id = '${id}'`);

      await behindTheBack(db, 'measured_points', "update measured_points set as_found = '15.000' where record_id = 'rec-stall17-2026'");
      let r = await ledger.verify({ batch: 7 });
      assert.equal([r.broken?.entityId, r.broken?.reason], ['rec-stall17-2026', 'content_changed']);
      await behindTheBack(db, 'measured_points', "update measured_points set as_found = '15.005' where record_id = 'rec-stall17-2026'");
      assert.ok((await ledger.verify()).valid, 'restoring the value restores the chain');

      await behindTheBack(db, 'record_references', "delete from record_references where record_id = 'rec-stall17-2026'");
      r = await ledger.verify();
      assert.equal([r.broken?.entityId, r.broken?.reason], ['rec-stall17-2026', 'content_changed']);
      await behindTheBack(db, 'record_references', "insert into record_references (record_id, reference_id, position) values ('rec-stall17-2026', 'district-f1-set', 0)");
      assert.ok((await ledger.verify()).valid);

      const seq = await seqOf('rec-stall17-2026');
      await behindTheBack(db, 'ledger', `update ledger set content_hash = repeat('a', 64) where seq = ${seq}`);
      r = await ledger.verify();
      assert.equal([r.broken?.seq, r.broken?.reason], [seq, 'entry_hash']);
      await behindTheBack(db, 'ledger', `delete from ledger where seq = ${seq}`);
      r = await ledger.verify();
      assert.equal([r.broken?.seq, r.broken?.reason], [seq + 1, 'gap']);
    }));

  ledger('evidence written behind the application is reported as outside the ledger; a deleted record as missing', () =>
    withApp(database, async ({ db }) => {
      const { ledger } = createServices(db, () => 'unused');
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
    }));

  ledger('a nullable column added later leaves old entries valid; filling it, or emptying a field, is a change', () =>
    withApp(database, async ({ db }) => {
      const { ledger } = createServices(db, () => 'unused');
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
    }));

  ledger('a write that fails leaves neither the record nor a ledger entry', () =>
    withApp(database, async ({ app, db }) => {
      const before = await count(db, 'select count(*)::int as n from ledger');
      const res = await app.inject({ method: 'POST', url: '/v1/calibrations', payload: { kind: 'verification', subjectId: 'scale-stall-17', labId: 'district-station', referenceIds: ['no-such-standard'], certificateNo: 'X-1', performedOn: '2026-11-20', validUntil: '2027-11-19', conformity: 'pass' } });
      assert.ok(res.statusCode >= 400 && res.statusCode < 500);
      assert.is(await count(db, 'select count(*)::int as n from ledger'), before);
      const ok = await app.inject({ method: 'POST', url: '/v1/calibrations', payload: { kind: 'verification', subjectId: 'scale-stall-17', labId: 'district-station', referenceIds: ['district-f1-set'], certificateNo: 'X-2', performedOn: '2026-11-20', validUntil: '2027-11-19', conformity: 'pass' } });
      assert.is(ok.statusCode, 201);
      assert.is(await count(db, 'select count(*)::int as n from ledger'), before + 1);
    }));

  ledger.run();
}
