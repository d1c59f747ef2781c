/**
 * Hostile users (issue #16): no key acts beyond its organisation, and none
 * reads beyond what its role may. On PGlite and (with DATABASE_URL) PostgreSQL.
 */
import type { FastifyInstance } from 'fastify';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rowCounts, withApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';

const as = (token: string) => ({ authorization: `Bearer ${token}` });

async function expectStatus(
  app: FastifyInstance,
  method: 'GET' | 'POST',
  url: string,
  token: string,
  status: number,
  payload?: object,
): Promise<Record<string, unknown>> {
  const res = await app.inject({ method, url, headers: as(token), ...(payload ? { payload } : {}) });
  assert.is(res.statusCode, status, `${method} ${url}: ${res.body.slice(0, 400)}`);
  return res.headers['content-type']?.toString().includes('json') ? res.json() : {};
}

for (const database of testDatabases()) {
  const it = suite(`hostile users (#16) on ${database.name}`);

  it("3. an inspector acts only in its own regulator's name and region; a key fits its organisation", () =>
    withApp(database, async ({ app, db, keyFor }) => {
      // a second regulator, of another province, with its own inspector
      await expectStatus(app, 'POST', '/v1/organisations', await keyFor('admin'), 201, {
        id: 'js-samr',
        name: 'Jiangsu AMR',
        kind: 'regulator',
        regionCode: '320000',
      });
      const shanghai = await keyFor('inspector', 'city-samr');
      const jiangsu = await keyFor('inspector', 'js-samr');
      const acme = await keyFor('lab', 'acme-cal');
      const before = await rowCounts(db);
      // a 365-day grace in Shanghai's name, by Jiangsu's inspector
      const p = await expectStatus(app, 'POST', '/v1/verification-policies', jiangsu, 403, {
        regulatorId: 'city-samr',
        category: 'MV016',
        graceDays: 365,
        validFrom: '2026-01-01',
        validUntil: '2030-12-31',
      });
      assert.equal([p.code, p.path], ['FORBIDDEN', '/regulatorId']);
      // capacities: of a lab in Shanghai, not by Jiangsu's inspector; a lab declares only its own
      await expectStatus(app, 'POST', '/v1/verification-capacities', jiangsu, 403, {
        labId: 'district-station',
        category: 'MV016',
        monthly: 99,
        validFrom: '2026-01-01',
        validUntil: '2027-12-31',
      });
      await expectStatus(app, 'POST', '/v1/verification-capacities', acme, 403, {
        labId: 'district-station',
        category: 'MV016',
        monthly: 99,
        validFrom: '2026-01-01',
        validUntil: '2027-12-31',
      });
      // plans: only for one's own region
      await expectStatus(app, 'POST', '/v1/verification-plans', jiangsu, 403, { from: '2026-11-25', months: 12, regionCode: '310000' });
      assert.equal(await rowCounts(db), before, 'nothing of it was written');
      // what they may do, they do
      await expectStatus(app, 'POST', '/v1/verification-capacities', await keyFor('lab', 'district-station'), 201, {
        labId: 'district-station',
        category: 'MV016',
        monthly: 3,
        validFrom: '2026-01-01',
        validUntil: '2027-12-31',
      });
      const plan = await expectStatus(app, 'POST', '/v1/verification-plans', shanghai, 201, { id: 'plan-sh', from: '2026-11-25', months: 12 });
      assert.ok(plan, 'the inspector plans for its own region by default');
      await expectStatus(app, 'GET', '/v1/verification-plans/plan-sh', shanghai, 200);
      await expectStatus(app, 'GET', '/v1/verification-plans/plan-sh', jiangsu, 403);
      // an admin cannot bind a lab key to an enterprise, nor an inspector's to a lab
      const admin = await keyFor('admin');
      const lab = await expectStatus(app, 'POST', '/v1/keys', admin, 400, { role: 'lab', organisationId: 'city-market', label: 'market as lab' });
      assert.equal([lab.code, lab.path], ['WRONG_ORGANISATION_KIND', '/organisationId']);
      await expectStatus(app, 'POST', '/v1/keys', admin, 400, { role: 'inspector', organisationId: 'district-station', label: 'station as inspector' });
    }));

  it("7. reads are scoped: owners their own, labs their own and their customers', inspectors and auditors their region", () =>
    withApp(database, async ({ app, keyFor }) => {
      const market = await keyFor('owner', 'city-market');
      const station = await keyFor('lab', 'district-station');
      await expectStatus(app, 'POST', '/v1/organisations', await keyFor('admin'), 201, {
        id: 'js-samr',
        name: 'Jiangsu AMR',
        kind: 'regulator',
        regionCode: '320000',
      });
      const jiangsu = await keyFor('inspector', 'js-samr');
      const shanghai = await keyFor('auditor', 'city-samr');
      // the market reads its own scale, not the steel works' energy inventory, audit or meters
      await expectStatus(app, 'GET', '/v1/equipment/scale-stall-17/status?at=2026-11-25', market, 200);
      const refusal = await expectStatus(app, 'GET', '/v1/organisations/steel-works/energy-inventory', market, 403);
      assert.match(String(refusal.detail), /reads the instruments, records and energy data of 'city-market'/);
      await expectStatus(app, 'POST', '/v1/energy-audits', shanghai, 201, { id: 'audit-steel', organisationId: 'steel-works', at: '2026-11-25' });
      await expectStatus(app, 'GET', '/v1/energy-audits/audit-steel', market, 403);
      await expectStatus(app, 'GET', '/v1/energy-audits/audit-steel/report.html', market, 403);
      await expectStatus(app, 'GET', '/v1/equipment/steel-main-meter', market, 403);
      await expectStatus(app, 'GET', '/v1/equipment/steel-main-meter/traceability', market, 403);
      await expectStatus(app, 'GET', '/v1/calibrations/rec-steel-2026-corr/dcc.xml', market, 403);
      await expectStatus(app, 'GET', '/v1/status?certificateNo=SIMT-JD2025-6610', market, 403);
      await expectStatus(app, 'GET', '/v1/equipment/correlation?a=scale-stall-17&b=steel-main-meter', market, 403);
      // lists hold only what the key may read
      const listed = (await expectStatus(app, 'GET', '/v1/equipment?limit=500', market, 200)).items as Array<{ ownerId: string }>;
      assert.ok(listed.length > 0 && listed.every((e) => e.ownerId === 'city-market'), JSON.stringify(listed.map((e) => e.ownerId)));
      const due = (await expectStatus(app, 'GET', '/v1/due?from=2026-11-25&to=2027-11-24', market, 200)).items as Array<{ ownerId: string }>;
      assert.ok(due.length > 0 && due.every((d) => d.ownerId === 'city-market'));
      await expectStatus(app, 'GET', '/v1/due?from=2026-11-25&to=2027-11-24&owner=steel-works', market, 403);
      // the station reads what it verified (the market's scales) and its own standard, not the steel works' meters
      await expectStatus(app, 'GET', '/v1/equipment/scale-stall-42/calibrations', station, 200);
      await expectStatus(app, 'GET', '/v1/equipment/district-f1-set/status', station, 200);
      await expectStatus(app, 'GET', '/v1/equipment/steel-main-meter/status', station, 403);
      const records = (await expectStatus(app, 'GET', '/v1/calibrations?limit=500', station, 200)).items as Array<{ labId: string; subjectId: string }>;
      assert.ok(
        records.every((r) => r.labId === 'district-station' || r.subjectId === 'district-f1-set'),
        JSON.stringify(records.map((r) => [r.labId, r.subjectId])),
      );
      // the impact of its own standard, limited to what it may see
      const impact = (await expectStatus(app, 'GET', '/v1/equipment/district-f1-set/dependents?since=2025-01-01', station, 200)).dependents as Array<{
        equipmentId: string;
      }>;
      assert.ok(impact.some((d) => d.equipmentId === 'scale-stall-17'));
      // Shanghai's regulator reads Shanghai; Jiangsu's does not, and its due list is its own region
      await expectStatus(app, 'GET', '/v1/equipment/steel-main-meter/status', shanghai, 200);
      await expectStatus(app, 'GET', '/v1/equipment/steel-main-meter/status', jiangsu, 403);
      await expectStatus(app, 'GET', '/v1/due?to=2027-11-24&region=310000', jiangsu, 403);
      const theirs = await expectStatus(app, 'GET', '/v1/due?to=2027-11-24', jiangsu, 200);
      assert.is(theirs.count, 0, "nothing of Shanghai on Jiangsu's list");
      // the public label stays open to everyone
      assert.is((await app.inject({ method: 'GET', url: '/v1/label?certificateNo=SIMT-JD2025-6610', headers: { authorization: undefined } })).statusCode, 200);
    }));

  it('the due list is paged: a count of all, a page of items, where to continue', () =>
    withApp(database, async ({ app, keyFor }) => {
      const inspector = await keyFor('inspector', 'city-samr');
      const all = await expectStatus(app, 'GET', '/v1/due?from=2026-11-25&to=2027-11-24', inspector, 200);
      const first = await expectStatus(app, 'GET', '/v1/due?from=2026-11-25&to=2027-11-24&limit=2', inspector, 200);
      assert.equal([first.count, (first.items as unknown[]).length], [all.count, 2]);
      const second = await expectStatus(app, 'GET', `/v1/due?from=2026-11-25&to=2027-11-24&limit=2&cursor=${first.nextCursor}`, inspector, 200);
      const ids = (x: Record<string, unknown>) => (x.items as Array<{ equipmentId: string }>).map((i) => i.equipmentId);
      assert.equal([...ids(first), ...ids(second)], ids(all).slice(0, 4));
      await expectStatus(app, 'GET', '/v1/due?from=2026-11-25&to=2027-11-24&cursor=ghost', inspector, 400);
    }));

  it.run();
}
