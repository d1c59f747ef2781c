/** Energy-metering audits of the three demo organisations, on PGlite and (with DATABASE_URL) PostgreSQL. */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rowCounts, withApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';

const EXPECTED = JSON.parse(readFileSync(new URL('../../fixtures/energy/expected-findings.json', import.meta.url), 'utf8')) as {
  at: string;
  organisations: Record<string, { verdict: string; findings: Array<[string, string, string, string, string | null, string | null]> }>;
};

for (const database of testDatabases()) {
  const it = suite(`energy-metering audits on ${database.name}`);

  it('each fixture organisation gives exactly its documented findings', async () => {
    await withApp(database, async ({ app }) => {
      for (const [org, expected] of Object.entries(EXPECTED.organisations)) {
        const res = await app.inject({ method: 'POST', url: '/v1/energy-audits', payload: { id: `audit-${org}`, organisationId: org, at: EXPECTED.at } });
        assert.is(res.statusCode, 201, res.body);
        const audit = res.json();
        assert.is(audit.verdict, expected.verdict, org);
        assert.equal(
          audit.findings.map((f: { severity: string; code: string; level: string; energyType: string; pointId: string | null; equipmentId: string | null }) => [
            f.severity,
            f.code,
            f.level,
            f.energyType,
            f.pointId,
            f.equipmentId,
          ]),
          expected.findings,
          org,
        );
        for (const f of audit.findings) assert.match(f.rule, /GB 17167-2006/);
      }
    });
  });

  it('the equipping-rate table: required points, metered points and exact rates', async () => {
    await withApp(database, async ({ app }) => {
      const audit = (await app.inject({ method: 'POST', url: '/v1/energy-audits', payload: { organisationId: 'steel-works', at: EXPECTED.at } })).json();
      const row = (level: string, type: string) => audit.rates.find((r: { level: string; energyType: string }) => r.level === level && r.energyType === type);
      assert.equal(
        [
          row('sub_unit', 'electricity').required,
          row('sub_unit', 'electricity').installed,
          row('sub_unit', 'electricity').rate,
          row('sub_unit', 'electricity').requiredRate,
        ],
        [2, 1, '50', '100'],
      );
      assert.equal(
        [row('equipment', 'electricity').rate, row('equipment', 'electricity').requiredRate, row('equipment', 'electricity').meets],
        ['50', '95', false],
      );
      const office = audit.points.find((p: { pointId: string }) => p.pointId === 'office');
      assert.equal(
        [office.required, office.reason],
        [false, '8 kW < 10 kW (GB 17167-2006 threshold of a major secondary energy-using unit (主要次级用能单位)): not a major secondary unit'],
      );
    });
  });

  it('the audit is stored with its input, reads back unchanged, recomputes to the same result, and cannot be altered', async () => {
    await withApp(database, async ({ app, db, energy }) => {
      const created = (
        await app.inject({ method: 'POST', url: '/v1/energy-audits', payload: { id: 'a-mall', organisationId: 'mall-plaza', at: EXPECTED.at } })
      ).json();
      const read = (await app.inject({ method: 'GET', url: '/v1/energy-audits/a-mall' })).json();
      assert.equal(read, created);
      const { stored } = await energy.getAudit('a-mall');
      assert.equal(JSON.parse(JSON.stringify(energy.recompute(stored))), created, 'recomputed from the stored input alone');
      try {
        await db.transaction(async (tx) => {
          await tx.execute(sql`update energy_audits set result = '{}'::jsonb where id = 'a-mall'`);
        });
        assert.unreachable('the update must be refused');
      } catch (e) {
        assert.match(String((e as Error).message) + String((e as { cause?: Error }).cause?.message), /APPEND_ONLY/);
      }
    });
  });

  it('the report is an HTML page with the verdict, the rate table, the chart and every finding', async () => {
    await withApp(database, async ({ app }) => {
      await app.inject({ method: 'POST', url: '/v1/energy-audits', payload: { id: 'a-steel', organisationId: 'steel-works', at: EXPECTED.at } });
      const res = await app.inject({ method: 'GET', url: '/v1/energy-audits/a-steel/report.html' });
      assert.is(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /text\/html/);
      assert.match(res.body, /Not compliant · 不符合要求/);
      assert.match(res.body, /Baoshan Special Steel Works/);
      assert.match(res.body, /<svg[^>]*aria-label="Equipping rates against requirements"/);
      assert.is((res.body.match(/<tr class="nonconformity">/g) ?? []).length, 6);
      const ok = await app.inject({ method: 'POST', url: '/v1/energy-audits', payload: { id: 'a-hosp', organisationId: 'city-hospital', at: EXPECTED.at } });
      assert.is(ok.statusCode, 201);
      assert.match((await app.inject({ method: 'GET', url: '/v1/energy-audits/a-hosp/report.html' })).body, /Compliant · 符合要求/);
    });
  });

  it('a bad inventory is refused with the field at fault, and nothing is written', async () => {
    await withApp(database, async ({ app, db }) => {
      const before = await rowCounts(db);
      const post = (org: string, payload: unknown) =>
        app.inject({ method: 'POST', url: `/v1/organisations/${org}/energy-inventory`, payload: payload as Record<string, unknown> });
      const point = { id: 'p', level: 'sub_unit', energyType: 'electricity', name: 'Workshop', consumption: { value: '50', unit: 'kW' } };
      const cases: Array<[string, unknown, number, string, string]> = [
        ['steel-works', { points: [{ ...point, consumption: { value: '50', unit: 'MW' } }] }, 400, 'INVALID_FIELD', '/points/0/consumption/unit'],
        ['steel-works', { points: [{ ...point, consumption: undefined }] }, 400, 'MISSING_FIELD', '/points/0/consumption'],
        ['steel-works', { points: [{ ...point, equipmentId: 'hosp-main-meter' }] }, 400, 'INVALID_FIELD', '/points/0/equipmentId'],
        ['steel-works', { points: [{ ...point, equipmentId: 'no-such-meter' }] }, 400, 'UNKNOWN_REFERENCE', '/points/0/equipmentId'],
        ['steel-works', { points: [point, point] }, 409, 'DUPLICATE', '/points/1/id'],
        ['steel-works', { points: [{ ...point, consumption: { value: 50, unit: 'kW' } }] }, 400, 'JSON_NUMBER', '/points/0/consumption/value'],
        ['city-institute', { points: [point] }, 400, 'WRONG_ORGANISATION_KIND', ''],
      ];
      for (const [org, payload, status, code, path] of cases) {
        const res = await post(org, payload);
        assert.equal([res.statusCode, res.json().code, res.json().path], [status, code, path], JSON.stringify(payload));
      }
      assert.equal(await rowCounts(db), before);
      const ok = await post('steel-works', { electricityUserClass: 'I', points: [point] });
      assert.is(ok.statusCode, 201, ok.body);
      assert.is(ok.json().version, 2, 'a new version after the demo one');
      const audit = (await app.inject({ method: 'POST', url: '/v1/energy-audits', payload: { organisationId: 'steel-works', at: EXPECTED.at } })).json();
      assert.equal(
        [audit.inventoryVersion, audit.verdict, audit.points[0].required],
        [2, 'non_compliant', true],
        'the audit reads the new version: a 50 kW workshop (≥ 10 kW) without a meter',
      );
      assert.equal(
        audit.findings.map((f: { code: string }) => f.code),
        ['EQUIPPING_RATE_LOW', 'METER_MISSING'],
      );
    });
  });

  it.run();
}
