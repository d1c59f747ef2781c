/** Traceability over the demo registry, on PGlite and (with DATABASE_URL) PostgreSQL. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';

for (const database of testDatabases()) {
  const it = suite(`GET /v1/equipment/{id}/traceability on ${database.name}`);
  const trace = (id: string, at: string) =>
    withApp(database, async ({ app }) => {
      const res = await app.inject({ method: 'GET', url: `/v1/equipment/${id}/traceability?at=${at}` });
      assert.is(res.statusCode, 200, res.body);
      result = res.json();
    });
  let result: { traceable: boolean; findings: Array<{ code: string; equipmentId: string }>; chain: { record: { id: string } | null; references: Array<{ equipmentId: string; at: string; references: Array<{ equipmentId: string; realisation: string | null }> }> } };

  it('the steel works meter traces through its corrected calibration to the national energy standard', async () => {
    await trace('steel-main-meter', '2026-11-25');
    assert.is(result.traceable, true, JSON.stringify(result.findings));
    assert.is(result.chain.record!.id, 'rec-steel-2026-corr', 'the correction, not the superseded record');
    assert.is(result.chain.references[0]!.equipmentId, 'grid-portable-std');
    assert.is(result.chain.references[0]!.at, '2026-05-21');
    const city = result.chain.references[0]!.references[0]!;
    assert.is(city.equipmentId, 'city-energy-std');
  });

  it('a stall scale is broken because its working standard was used after its assessment certificate lapsed', async () => {
    await trace('scale-stall-17', '2026-11-25');
    assert.is(result.traceable, false);
    assert.equal(result.findings.map((f) => [f.code, f.equipmentId]), [['ASSESSMENT_EXPIRED', 'district-f1-set']]);
  });

  it('an expired certificate and a failed verification are findings at the instrument', async () => {
    await trace('scale-stall-42', '2026-11-25');
    assert.ok(result.findings.some((f) => f.code === 'CERTIFICATE_EXPIRED' && f.equipmentId === 'scale-stall-42'));
    await trace('infant-scale-ward3', '2026-11-25');
    assert.ok(result.findings.some((f) => f.code === 'RECORD_FAILED' && f.equipmentId === 'infant-scale-ward3'));
  });

  it('before any record there is nothing in force', async () => {
    await trace('meter-home-0815', '2020-01-01');
    assert.equal(result.findings.map((f) => f.code), ['NO_RECORD_IN_FORCE']);
  });

  it('an unknown equipment is a 404, an impossible date a 400', () =>
    withApp(database, async ({ app }) => {
      assert.is((await app.inject({ method: 'GET', url: '/v1/equipment/ghost/traceability?at=2026-01-01' })).statusCode, 404);
      const bad = await app.inject({ method: 'GET', url: '/v1/equipment/scale-stall-17/traceability?at=2026-02-30' });
      assert.equal([bad.statusCode, bad.json().code, bad.json().path], [400, 'INVALID_DATE', '?at']);
    }));

  it.run();
}
