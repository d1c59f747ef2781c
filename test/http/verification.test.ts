/** Mandatory verification over HTTP with the demo data, on PGlite and (with DATABASE_URL) PostgreSQL. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rowCounts, withApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';

const AT = '2026-11-25';

for (const database of testDatabases()) {
  const it = suite(`mandatory verification on ${database.name}`);

  it('every status an inspector can meet, on the demo instruments', async () => {
    await withApp(database, async ({ app }) => {
      const expected: Record<string, [string, string | null]> = {
        'scale-stall-17': ['in_force', '2027-03-11'],
        'pressure-gauge-boiler2': ['due_soon', '2026-12-09'],
        'scale-stall-42': ['overdue', '2026-10-19'],
        'gas-detector-kitchen': ['never_verified', null],
        'scale-stall-09': ['withdrawn', null], // failed on 2026-09-15, scrapped on 2026-10-08 (a demo event)
        'water-meter-0231': ['service_life_ended', '2026-03-01'],
        'thermometer-ward3': ['in_force', null],
        'steel-main-meter': ['in_force', '2031-06-09'],
        'infant-scale-ward3': ['not_mandatory', null],
      };
      for (const [id, [state, dueOn]] of Object.entries(expected)) {
        const res = await app.inject({ method: 'GET', url: `/v1/equipment/${id}/status?at=${AT}` });
        assert.is(res.statusCode, 200, res.body);
        const body = res.json();
        assert.equal([id, body.state, body.dueOn], [id, state, dueOn]);
      }
      const beforeScrapping = (await app.inject({ method: 'GET', url: '/v1/equipment/scale-stall-09/status?at=2026-10-07' })).json();
      assert.equal([beforeScrapping.state, beforeScrapping.usable], ['failed', false], 'failed until it was scrapped');
    });
  });

  it('the status carries the certificate, the lab, the policy basis and the traceability verdict', async () => {
    await withApp(database, async ({ app }) => {
      const body = (await app.inject({ method: 'GET', url: `/v1/equipment/scale-stall-42/status?at=${AT}` })).json();
      assert.equal(
        [body.mandatory, body.certificate.certificateNo, body.certificate.labName],
        [true, 'XH-JD2025-00942', 'Xuhui District Metrology Verification Station (demo)'],
      );
      assert.is(body.daysToDue, -37);
      assert.match(body.policy.basis.join('; '), /grace 15 days from local policy pol-samr-mv016-2026/);
      assert.is(body.traceability.traceable, false);
      assert.ok(body.traceability.findings.some((f: { code: string }) => f.code === 'CERTIFICATE_EXPIRED'));
      assert.match(body.reason, /MV016/);
    });
  });

  it('lookup by certificate number and by asset code; clear errors otherwise', async () => {
    await withApp(database, async ({ app }) => {
      let res = await app.inject({ method: 'GET', url: `/v1/status?certificateNo=XH-JD2026-00317&at=${AT}` });
      assert.equal([res.statusCode, res.json().equipmentId, res.json().state], [200, 'scale-stall-17', 'in_force']);
      res = await app.inject({ method: 'GET', url: `/v1/status?assetCode=LH-W-0231&at=${AT}` });
      assert.equal([res.statusCode, res.json().equipmentId, res.json().state], [200, 'water-meter-0231', 'service_life_ended']);
      res = await app.inject({ method: 'GET', url: '/v1/status?certificateNo=NOPE-1' });
      assert.equal([res.statusCode, res.json().code, res.json().path], [404, 'NOT_FOUND', '?certificateNo']);
      res = await app.inject({ method: 'GET', url: '/v1/status' });
      assert.equal([res.statusCode, res.json().code], [400, 'MISSING_FIELD']);
    });
  });

  it('due list over a horizon, filtered by region, category and usage, as JSON and CSV', async () => {
    await withApp(database, async ({ app }) => {
      let body = (await app.inject({ method: 'GET', url: `/v1/due?from=${AT}&to=2027-11-24` })).json();
      assert.equal(
        body.items.map((i: { equipmentId: string; state: string }) => [i.equipmentId, i.state]),
        [
          ['gas-detector-kitchen', 'never_verified'],
          ['water-meter-0231', 'service_life_ended'],
          ['scale-stall-42', 'overdue'],
          ['pressure-gauge-boiler2', 'due_soon'],
          ['scale-stall-17', 'in_force'],
        ],
      );
      assert.is(body.summary.byCategory.MV016, 2, 'the scrapped scale-stall-09 has left the list');
      body = (await app.inject({ method: 'GET', url: `/v1/due?from=${AT}&to=2027-01-31&usage=safety_protection` })).json();
      assert.equal(
        body.items.map((i: { equipmentId: string }) => i.equipmentId),
        ['gas-detector-kitchen', 'pressure-gauge-boiler2'],
      );
      body = (await app.inject({ method: 'GET', url: `/v1/due?from=${AT}&to=2027-01-31&region=310113` })).json();
      assert.equal(
        body.items.map((i: { equipmentId: string }) => i.equipmentId),
        ['pressure-gauge-boiler2'],
        'only the steel works district',
      );
      const csv = await app.inject({ method: 'GET', url: `/v1/due?from=${AT}&to=2027-01-31&category=MV016&format=csv` });
      assert.match(csv.headers['content-type'] as string, /text\/csv/);
      const lines = csv.body.trim().split('\r\n');
      assert.is(
        lines[0],
        'equipment_id,name,asset_code,owner_id,owner_name,region_code,category,usage,state,due_on,days_to_due,certificate_no,performed_on,lab_id',
      );
      assert.equal(
        lines.slice(1).map((l) => l.split(',')[0]),
        ['scale-stall-42'],
      );
      assert.ok(csv.body.startsWith('\uFEFF'), 'a byte-order mark, so that Excel reads the UTF-8 as UTF-8');
      const zh = await app.inject({ method: 'GET', url: `/v1/due?from=${AT}&to=2027-01-31&category=MV016&format=csv&lang=zh` });
      const zhLines = zh.body.slice(1).split('\r\n');
      assert.is(
        zhLines[0],
        '器具ID,器具名称,器具编号,使用单位编号,使用单位,行政区划代码,强检目录类别,使用领域,状态,到期日,距到期天数,证书编号,检定日期,检定机构',
      );
      assert.is(zhLines[1], lines[1], 'the rows are the same in either language');
      const bad = await app.inject({ method: 'GET', url: `/v1/due?from=${AT}&to=2026-01-01` });
      assert.equal([bad.statusCode, bad.json().code, bad.json().path], [400, 'INVALID_RANGE', '?to']);
    });
  });

  it('a plan assigns what it can, reports the overflow, and is stored as computed', async () => {
    await withApp(database, async ({ app }) => {
      const res = await app.inject({ method: 'POST', url: '/v1/verification-plans', payload: { id: 'plan-2027', from: AT, months: 12 } });
      assert.is(res.statusCode, 201, res.body);
      const plan = res.json();
      // water-meter-0231, past its limited service life, is to be replaced, not verified: it is not the labs' work (GET /v1/rotation-plan)
      assert.equal(plan.summary, { due: 4, onTime: 2, late: 1, unplaced: 1, alreadyOverdue: 2 });
      assert.not.ok(JSON.stringify(plan).includes('water-meter-0231'));
      assert.equal(plan.overflow, [{ month: '2026-11', category: 'MV026', count: 1, unplaced: 1 }], 'no institution has capacity for gas detectors');
      assert.equal(plan.unplaced, [{ equipmentId: 'gas-detector-kitchen', category: 'MV026', dueOn: null, reason: 'no_authorised_institution' }]);
      assert.equal(
        plan.assignments.map((a: { equipmentId: string; month: string; late: boolean }) => [a.equipmentId, a.month, a.late]),
        [
          ['scale-stall-42', '2026-11', true],
          ['pressure-gauge-boiler2', '2026-12', false],
          ['scale-stall-17', '2027-03', false],
        ],
      );
      const again = await app.inject({ method: 'GET', url: '/v1/verification-plans/plan-2027' });
      assert.equal(again.json().summary, plan.summary);
      const dup = await app.inject({ method: 'POST', url: '/v1/verification-plans', payload: { id: 'plan-2027', from: AT, months: 12 } });
      assert.is(dup.statusCode, 409);
    });
  });

  it('a policy may not lengthen a legal interval nor tie with one taking effect the same day, and a capacity needs an authorised scope; nothing is written', async () => {
    await withApp(database, async ({ app, db }) => {
      const before = await rowCounts(db);
      let res = await app.inject({
        method: 'POST',
        url: '/v1/verification-policies',
        payload: { regulatorId: 'city-samr', category: 'MV016', intervalMonths: 24, validFrom: '2027-01-01', validUntil: '2027-12-31' },
      });
      assert.equal([res.statusCode, res.json().code, res.json().path], [400, 'LEGAL_INTERVAL_EXCEEDED', '/intervalMonths']);
      res = await app.inject({
        method: 'POST',
        url: '/v1/verification-policies',
        payload: { regulatorId: 'city-market', category: 'MV016', intervalMonths: 6, validFrom: '2027-01-01', validUntil: '2027-12-31' },
      });
      assert.equal([res.statusCode, res.json().code], [400, 'WRONG_ORGANISATION_KIND']);
      // the demo's pol-samr-mv016-2026 already sets MV016 for 310000 from 2026-01-01: a second one from that day would tie
      res = await app.inject({
        method: 'POST',
        url: '/v1/verification-policies',
        payload: { regulatorId: 'city-samr', category: 'MV016', intervalMonths: 6, validFrom: '2026-01-01', validUntil: '2030-12-31' },
      });
      assert.equal([res.statusCode, res.json().code, res.json().path], [409, 'DUPLICATE', '/validFrom']);
      assert.match(res.json().detail, /policy 'pol-samr-mv016-2026' of city-samr already sets MV016 for region 310000 from 2026-01-01/);
      res = await app.inject({
        method: 'POST',
        url: '/v1/verification-capacities',
        payload: { labId: 'acme-cal', category: 'MV016', monthly: 10, validFrom: '2027-01-01', validUntil: '2027-12-31' },
      });
      assert.equal([res.statusCode, res.json().code, res.json().path], [400, 'LAB_NOT_AUTHORISED', '/category']);
      res = await app.inject({
        method: 'POST',
        url: '/v1/verification-capacities',
        payload: { labId: 'district-station', category: 'MV016', monthly: '10', validFrom: '2027-01-01', validUntil: '2027-12-31' },
      });
      assert.is(res.statusCode, 400);
      assert.equal(await rowCounts(db), before);
      res = await app.inject({
        method: 'POST',
        url: '/v1/verification-policies',
        payload: { id: 'pol-short', regulatorId: 'city-samr', category: 'MV016', intervalMonths: 6, validFrom: '2027-01-01', validUntil: '2027-12-31' },
      });
      assert.is(res.statusCode, 201, res.body);
      assert.is(res.json().regionCode, '310000');
      const status = (await app.inject({ method: 'GET', url: '/v1/equipment/scale-stall-17/status?at=2027-01-01' })).json();
      // the certificate of 2026-03-12 was issued under the 12 months then in force: the shortened interval applies from the next verification
      assert.equal([status.dueOn, status.state, status.policy.intervalMonths], ['2027-03-11', 'in_force', 6], 'never overdue from before the policy existed');
    });
  });

  it('interval recommendation from the balance history, and its control chart', async () => {
    await withApp(database, async ({ app }) => {
      const res = await app.inject({ method: 'GET', url: `/v1/equipment/lab-balance-07/interval-recommendation?at=${AT}` });
      assert.is(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(
        body.recommendations.map((r: { method: string; recommendedMonths: number }) => [r.method, r.recommendedMonths]),
        [
          ['staircase', 7],
          ['reliability_target', 5],
        ],
      );
      const mandatory = await app.inject({
        method: 'GET',
        url: `/v1/equipment/pressure-gauge-boiler2/interval-recommendation?at=${AT}&method=staircase&initial=6`,
      });
      assert.is(mandatory.json().recommendations[0].legalMonths, 6);
      const once = await app.inject({ method: 'GET', url: `/v1/equipment/water-meter-0231/interval-recommendation?at=${AT}` });
      assert.equal([once.statusCode, once.json().code], [422, 'NOT_APPLICABLE']);
      const svg = await app.inject({ method: 'GET', url: '/v1/equipment/lab-balance-07/control-chart.svg' });
      assert.match(svg.headers['content-type'] as string, /image\/svg\+xml/);
      assert.is((svg.body.match(/<circle/g) ?? []).length, 6);
      assert.is((svg.body.match(/fill="#c62828"><title>/g) ?? []).length, 1, 'the one out-of-tolerance point is red');
    });
  });

  it('the due list follows corrections and looks back in time', async () => {
    await withApp(database, async ({ app }) => {
      // a correction of the overdue stall-42 verification, re-dated and passing, replaces it
      const corr = await app.inject({
        method: 'POST',
        url: '/v1/calibrations',
        payload: {
          kind: 'verification',
          subjectId: 'scale-stall-42',
          labId: 'district-station',
          referenceIds: ['district-f1-set'],
          certificateNo: 'XH-JD2026-01999',
          performedOn: '2026-11-20',
          validUntil: '2027-11-19',
          conformity: 'pass',
          supersedes: 'rec-stall42-2025',
          points: [{ nominal: '15', asFound: '15.004', unit: 'kg' }],
        },
      });
      assert.is(corr.statusCode, 201, corr.body);
      let body = (await app.inject({ method: 'GET', url: `/v1/due?from=${AT}&to=2027-06-30&category=MV016` })).json();
      assert.equal(
        body.items.map((i: { equipmentId: string; state: string }) => [i.equipmentId, i.state]),
        [['scale-stall-17', 'in_force']],
      );
      // seen from 2026-01-15 (the later records count only from their dates; the superseded 2025 record no longer counts at all;
      // stall 17 then stood on its failed verification of 2025-03-10, a result notice without validity)
      body = (await app.inject({ method: 'GET', url: '/v1/due?from=2026-01-15&to=2026-02-28&category=MV016' })).json();
      assert.equal(
        body.items.map((i: { equipmentId: string; state: string }) => [i.equipmentId, i.state]),
        [
          ['scale-stall-09', 'never_verified'],
          ['scale-stall-17', 'failed'],
          ['scale-stall-42', 'never_verified'],
        ],
      );
    });
  });

  it('the catalogue is published with its version', async () => {
    await withApp(database, async ({ app }) => {
      const body = (await app.inject({ method: 'GET', url: '/v1/catalogue?at=2026-01-01' })).json();
      assert.equal([body.id, body.entries.length], ['samr-2020-42', 51]);
      const res = await app.inject({ method: 'GET', url: '/v1/catalogue?at=2019-01-01' });
      assert.is(res.statusCode, 404);
    });
  });

  it.run();
}
