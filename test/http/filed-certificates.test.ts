/**
 * An owner cannot forge a lab's certificate (issue #16, observation 2): a DCC
 * the equipment's owner files in a lab's name is unverified evidence, which
 * counts for nothing until that lab (or an admin) confirms it. On PGlite and
 * (with DATABASE_URL) PostgreSQL.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadRegistryData } from '../../src/app/demo.ts';
import { DrizzleUnitOfWork } from '../../src/persistence/unit-of-work.ts';
import { ANONYMOUS, DEMO, rowCounts, sequentialIds, TEST_RULES, withApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';

const golden = (id: string) => readFileSync(new URL(`../../fixtures/dcc/${id}.xml`, import.meta.url), 'utf8');
const as = (token: string) => ({ authorization: `Bearer ${token}` });

async function call(app: FastifyInstance, method: 'GET' | 'POST', url: string, token: string | null, status: number, payload?: object) {
  const res = await app.inject({ method, url, headers: token === null ? ANONYMOUS : as(token), ...(payload ? { payload } : {}) });
  assert.is(res.statusCode, status, `${method} ${url}: ${res.body.slice(0, 500)}`);
  return res.headers['content-type']?.toString().includes('json') ? res.json() : res.body;
}

/** The demo without the hospital gas meter's calibration: the meter's chain is broken until a certificate is recorded. */
function demoWithoutGasCertificate(): unknown {
  const data = { ...(DEMO as Record<string, unknown[]>) };
  data['records'] = (data['records'] as Array<{ id: string }>).filter((r) => r.id !== 'rec-hosp-gas-2026');
  return data;
}

for (const database of testDatabases()) {
  const it = suite(`certificates filed by owners (#16, observation 2) on ${database.name}`);

  it("an owner filing a DCC in a lab's name files evidence, not a record: no chain, label or audit rests on it until the lab confirms", () =>
    withApp(
      database,
      async ({ app, db, keyFor }) => {
        await loadRegistryData(new DrizzleUnitOfWork(db, TEST_LEDGER_KEYS), demoWithoutGasCertificate(), sequentialIds('load'), TEST_RULES);
        const hospital = await keyFor('owner', 'city-hospital');
        const institute = await keyFor('lab', 'city-institute');
        const station = await keyFor('lab', 'district-station');
        const market = await keyFor('owner', 'city-market');
        const body = { xml: golden('rec-hosp-gas-2026'), subjectId: 'hosp-gas-meter', labId: 'city-institute', id: 'rec-hosp-gas-2026' };
        const admin = await keyFor('admin');
        const traceable = async () => (await call(app, 'GET', '/v1/equipment/hosp-gas-meter/traceability?at=2026-11-25', admin, 200)).traceable;
        assert.is(await traceable(), false, 'without a certificate the meter is not traceable');

        // another enterprise cannot file for the hospital's meter at all
        const foreign = await call(app, 'POST', '/v1/dcc', market, 403, body);
        assert.equal([foreign.code, foreign.path], ['FORBIDDEN', '/subjectId']);

        const before = await rowCounts(db);
        const filed = await call(app, 'POST', '/v1/dcc', hospital, 202, body);
        assert.equal(
          [filed.filed.state, filed.filed.labId, filed.filed.filedBy, filed.filed.certificateNo, filed.filed.decision],
          ['pending', 'city-institute', 'city-hospital', 'SIMT-LL2026-0310', null],
        );
        assert.equal(await rowCounts(db), before, 'no record, reference or point was written');
        assert.is(await traceable(), false, 'a pending filing makes no chain traceable');
        const trace = await call(app, 'GET', '/v1/equipment/hosp-gas-meter/traceability?at=2026-11-25', admin, 200);
        const note = trace.notes.find((n: { code: string }) => n.code === 'FILED_UNCONFIRMED');
        assert.ok(note, 'the break says a certificate awaits confirmation');
        assert.match(note.message, /SIMT-LL2026-0310.*filed by 'city-hospital' as issued by 'city-institute'.*counts for nothing/);
        const label = await call(app, 'GET', '/v1/label?certificateNo=SIMT-LL2026-0310', null, 404);
        assert.is(label.code, 'NOT_FOUND', 'the public label knows no certificate that is only filed');
        const again = await call(app, 'POST', '/v1/dcc', hospital, 409, body);
        assert.equal([again.code, again.path], ['DUPLICATE', '/xml']);

        // who sees it: the filer, the lab it names, an admin; not another lab
        const id = filed.filed.id as string;
        assert.equal(
          (await call(app, 'GET', '/v1/dcc/filed?state=pending', hospital, 200)).items.map((f: { id: string }) => f.id),
          [id],
        );
        assert.equal(
          (await call(app, 'GET', '/v1/dcc/filed?state=pending', institute, 200)).items.map((f: { id: string }) => f.id),
          [id],
        );
        assert.equal((await call(app, 'GET', '/v1/dcc/filed', station, 200)).items, []);
        await call(app, 'GET', `/v1/dcc/filed/${id}`, station, 403);
        assert.match(await call(app, 'GET', `/v1/dcc/filed/${id}/dcc.xml`, institute, 200), /SIMT-LL2026-0310/);

        // only the lab it names (or an admin) decides; the owner cannot confirm its own filing
        await call(app, 'POST', `/v1/dcc/filed/${id}/confirm`, hospital, 403);
        const other = await call(app, 'POST', `/v1/dcc/filed/${id}/confirm`, station, 403);
        assert.match(other.detail, /only the lab it names as issuer \('city-institute'\) or an admin/);
        await call(app, 'POST', `/v1/dcc/filed/${id}/reject`, station, 403, { reason: 'not ours' });
        assert.equal(await rowCounts(db), before);

        // the institute confirms: the record is created through every rule, the chain is whole again
        const confirmed = await call(app, 'POST', `/v1/dcc/filed/${id}/confirm`, institute, 201);
        assert.equal(
          [confirmed.filed.state, confirmed.filed.decision.recordId, confirmed.record.id, confirmed.record.labId],
          ['confirmed', 'rec-hosp-gas-2026', 'rec-hosp-gas-2026', 'city-institute'],
        );
        assert.is(await traceable(), true);
        const after = await call(app, 'GET', '/v1/equipment/hosp-gas-meter/traceability?at=2026-11-25', admin, 200);
        assert.equal(
          after.notes.filter((n: { code: string }) => n.code === 'FILED_UNCONFIRMED'),
          [],
          'once confirmed, nothing awaits',
        );
        const decided = await call(app, 'POST', `/v1/dcc/filed/${id}/confirm`, institute, 409);
        assert.is(decided.code, 'ALREADY_DECIDED');
        await call(app, 'POST', `/v1/dcc/filed/${id}/reject`, admin, 409, { reason: 'too late' });
        // the filing and its decision are in the ledger, and the ledger verifies
        const ledger = await call(app, 'GET', '/v1/ledger/verify', admin, 200);
        assert.equal([ledger.valid, ledger.broken, ledger.unledgered.count], [true, null, 0], JSON.stringify(ledger));
      },
      { demo: false },
    ));

  it('a rejected filing counts for nothing and stays on file; a confirmation the rules refuse leaves it pending', () =>
    withApp(
      database,
      async ({ app, db, keyFor }) => {
        await loadRegistryData(new DrizzleUnitOfWork(db, TEST_LEDGER_KEYS), demoWithoutGasCertificate(), sequentialIds('load'), TEST_RULES);
        const hospital = await keyFor('owner', 'city-hospital');
        const admin = await keyFor('admin');
        // filed in the name of a lab with no scope for gas meters: the lab's confirmation is refused by the record rules
        const station = await keyFor('lab', 'district-station');
        const body = { xml: golden('rec-hosp-gas-2026'), subjectId: 'hosp-gas-meter', labId: 'district-station' };
        const { filed } = await call(app, 'POST', '/v1/dcc', hospital, 202, body);
        const before = await rowCounts(db);
        const refused = await call(app, 'POST', `/v1/dcc/filed/${filed.id}/confirm`, station, 400);
        assert.is(refused.code, 'LAB_NOT_AUTHORISED', refused.detail);
        assert.equal(await rowCounts(db), before, 'nothing was written');
        assert.is((await call(app, 'GET', `/v1/dcc/filed/${filed.id}`, hospital, 200)).state, 'pending');
        // a reason is required to reject
        const empty = await call(app, 'POST', `/v1/dcc/filed/${filed.id}/reject`, admin, 400, { reason: '   ' });
        assert.equal([empty.code, empty.path], ['MISSING_FIELD', '/reason']);
        const rejected = await call(app, 'POST', `/v1/dcc/filed/${filed.id}/reject`, station, 200, { reason: 'we did not issue SIMT-LL2026-0310' });
        assert.equal(
          [rejected.state, rejected.decision.reason, rejected.decision.decidedByOrganisation],
          ['rejected', 'we did not issue SIMT-LL2026-0310', 'district-station'],
        );
        assert.is((await call(app, 'POST', `/v1/dcc/filed/${filed.id}/confirm`, admin, 409)).code, 'ALREADY_DECIDED');
        // once rejected, the number may be filed again (in the right lab's name)
        await call(app, 'POST', '/v1/dcc', hospital, 202, { ...body, labId: 'city-institute' });
      },
      { demo: false },
    ));

  it('a lab imports only its own certificates; an admin records any', () =>
    withApp(
      database,
      async ({ app, db, keyFor }) => {
        await loadRegistryData(new DrizzleUnitOfWork(db, TEST_LEDGER_KEYS), demoWithoutGasCertificate(), sequentialIds('load'), TEST_RULES);
        const body = { xml: golden('rec-hosp-gas-2026'), subjectId: 'hosp-gas-meter', labId: 'city-institute' };
        const station = await call(app, 'POST', '/v1/dcc', await keyFor('lab', 'district-station'), 403, body);
        assert.equal([station.code, station.path], ['FORBIDDEN', '/labId']);
        const recorded = await call(app, 'POST', '/v1/dcc', await keyFor('admin'), 201, body);
        assert.is(recorded.record.labId, 'city-institute');
      },
      { demo: false },
    ));

  it.run();
}
