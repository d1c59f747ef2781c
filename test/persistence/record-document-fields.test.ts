/**
 * The fields of a Chinese verification document (issue #18 item 3, migration
 * 0026) stored and read back through every path, kept by the database's own
 * checks, and covered by the ledger. On PGlite and (with DATABASE_URL) PostgreSQL.
 */
import { sql } from 'drizzle-orm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServices } from '../../src/main/services.ts';
import type { Db } from '../../src/persistence/db.ts';
import { rowsOf } from '../../src/persistence/db.ts';
import { translateDbError } from '../../src/persistence/db-errors.ts';
import { withApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';

const FIELDS = {
  verificationType: 'periodic',
  procedure: 'JJG 539-2016',
  verifier: '张伟',
  checker: '李娜',
  approver: '王强',
  certificateKind: 'verification_certificate',
  labelNo: 'HG-2026-110001',
  sealNo: 'FY-2026-0042',
  customerName: '徐汇区菜市场管理处',
};

const verification = (over: Record<string, unknown>) => ({
  kind: 'verification',
  subjectId: 'scale-stall-17',
  labId: 'district-station',
  referenceIds: ['district-f1-set'],
  certificateNo: `T-${Math.random().toString(36).slice(2, 10)}`,
  performedOn: '2026-11-20',
  validUntil: '2027-11-19',
  conformity: 'pass',
  ...over,
});

async function refusedByDb(db: Db, statement: string): Promise<string> {
  try {
    await db.transaction(async (sp) => {
      await (sp as unknown as Db).execute(sql.raw(statement));
    });
  } catch (e) {
    return String((translateDbError(e) as Error).message ?? e) + ' ' + String((e as { cause?: { message?: string } }).cause?.message ?? (e as Error).message);
  }
  throw new Error(`expected the database to refuse: ${statement}`);
}

for (const database of testDatabases()) {
  const it = suite(`record document fields on ${database.name}`);

  it('every field round-trips through the API, the store, the chain loader and the certificate; the ledger covers them', () =>
    withApp(database, async ({ app, db }) => {
      const res = await app.inject({ method: 'POST', url: '/v1/calibrations', payload: verification({ id: 'v-fields', ...FIELDS }) });
      assert.is(res.statusCode, 201, res.body);
      const got = (await app.inject({ method: 'GET', url: '/v1/calibrations/v-fields' })).json();
      for (const [k, v] of Object.entries(FIELDS)) assert.is(got[k], v, k);
      // through the one-statement loader the chain and the documents read
      const { registry, traceability, ledger } = createServices(db, () => 'unused', undefined, undefined, undefined, { keys: TEST_LEDGER_KEYS });
      const graph = await traceability.loadGraph(['scale-stall-17'], '2026-11-25' as never);
      const loaded = graph.records('scale-stall-17').find((r) => r.id === 'v-fields')!;
      for (const [k, v] of Object.entries(FIELDS)) assert.is((loaded as unknown as Record<string, unknown>)[k], v, `closure ${k}`);
      assert.is((await registry.getRecord('v-fields')).record.verifier, '张伟');
      const html = (await app.inject({ method: 'GET', url: '/v1/calibrations/v-fields/certificate.html' })).body;
      for (const v of ['JJG 539-2016', '张伟', '李娜', '王强', 'HG-2026-110001', 'FY-2026-0042', '徐汇区菜市场管理处'])
        assert.ok(html.includes(v), `the certificate prints ${v}`);

      assert.ok((await ledger.verify()).valid, 'old entries and the new one verify');
      await db.execute(sql.raw('alter table calibration_records disable trigger user'));
      await db.execute(sql.raw("update calibration_records set verifier = '赵六' where id = 'v-fields'"));
      await db.execute(sql.raw('alter table calibration_records enable trigger user'));
      const r = await ledger.verify();
      assert.equal([r.broken?.entityId, r.broken?.reason], ['v-fields', 'content_changed'], 'a changed verifier is a changed record');
    }));

  it('a failed verification is stored without validUntil, as a result notice; its instrument is failed and on the due list', () =>
    withApp(database, async ({ app, db }) => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/calibrations',
        payload: verification({
          id: 'v-fail',
          conformity: 'fail',
          validUntil: null,
          certificateKind: 'result_notice',
          verificationType: 'periodic',
          points: [{ nominal: '15', asFound: '15.031', unit: 'kg' }],
        }),
      });
      assert.is(res.statusCode, 201, res.body);
      const got = (await app.inject({ method: 'GET', url: '/v1/calibrations/v-fail' })).json();
      assert.equal([got.validUntil, got.certificateKind], [null, 'result_notice']);
      const current = rowsOf<{ valid_until: string | null; conformity: string }>(
        await db.execute(sql`select valid_until, conformity from verification_current where equipment_id = 'scale-stall-17'`),
      );
      assert.equal(
        current.map((c) => [c.valid_until, c.conformity]),
        [[null, 'fail']],
      );
      const status = (await app.inject({ method: 'GET', url: '/v1/equipment/scale-stall-17/status?at=2026-11-25' })).json();
      assert.equal([status.state, status.dueOn], ['failed', null], JSON.stringify(status));
      const label = await app.inject({ method: 'GET', url: '/v1/calibrations/v-fail/label.svg' });
      assert.is(label.json().code, 'LABEL_NOT_ISSUED');
      // and with a validity it is refused
      const bad = await app.inject({ method: 'POST', url: '/v1/calibrations', payload: verification({ conformity: 'fail', validUntil: '2027-11-19' }) });
      assert.equal([bad.statusCode, bad.json().code, bad.json().path], [400, 'VALIDITY_ON_RESULT_NOTICE', '/validUntil']);
    }));

  it('the database refuses what the application would: a verification type on a calibration, an unknown kind, a passed verification without validity', () =>
    withApp(database, async ({ db }) => {
      const insert = (cols: string, vals: string) =>
        `insert into calibration_records (id, kind, subject_id, lab_id, certificate_no, performed_on, ${cols}) values ('db-x', ${vals})`;
      for (const [cols, vals, check] of [
        [
          'valid_until, verification_type',
          "'calibration', 'lab-balance-07', 'city-institute', 'DB-1', '2026-01-01', '2026-12-31', 'initial'",
          'verification_type_check',
        ],
        [
          'valid_until, conformity, certificate_kind',
          "'verification', 'lab-balance-07', 'city-institute', 'DB-2', '2026-01-01', '2026-12-31', 'pass', 'licence'",
          'certificate_kind_check',
        ],
        ['conformity', "'verification', 'lab-balance-07', 'city-institute', 'DB-3', '2026-01-01', 'pass'", 'pass_validity_check'],
      ] as const) {
        const message = await refusedByDb(db, insert(cols, vals));
        assert.ok(message.includes(check), `${check}: ${message}`);
      }
    }));

  it.run();
}
