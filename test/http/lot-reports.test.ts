/**
 * Lot reports through HTTP (issue #22, item 5): a lot's history as CSV (one
 * line per event, the state after each, the plan's figures and the decision;
 * BOM and Chinese headers), and a region's meter population by installation
 * year or age and state, as JSON and as a stacked bar chart, scoped as the
 * rotation plan is. On PGlite and (with DATABASE_URL) PostgreSQL.
 */
import type { FastifyInstance } from 'fastify';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { csvRecords } from '../../src/codecs/csv.ts';
import { testDatabases } from '../helpers/db.ts';
import { withApp } from '../helpers/app.ts';

const as = (token: string) => ({ authorization: `Bearer ${token}` });

async function get(app: FastifyInstance, url: string, token: string, status: number) {
  const res = await app.inject({ method: 'GET', url, headers: as(token) });
  assert.is(res.statusCode, status, `GET ${url}: ${res.body.slice(0, 600)}`);
  return res;
}

async function post(app: FastifyInstance, url: string, token: string, status: number, payload: object) {
  const res = await app.inject({ method: 'POST', url, headers: as(token), payload });
  assert.is(res.statusCode, status, `POST ${url}: ${res.body.slice(0, 600)}`);
  return res.json();
}

const lot = (id: string, installedFrom: string, prefix: string, size: number) => ({
  id,
  category: 'MV004',
  model: 'LXS-20E',
  manufacturer: '宁波水表',
  installedFrom,
  installedTo: installedFrom.replace(/-01$/, '-28'),
  region: '310104',
  registeredOn: '2026-01-05',
  members: { serialRanges: [{ prefix, from: 1, to: size, width: 6 }] },
});

/** Results for a plan: the first `bad` drawn meters out of tolerance, the rest within. */
const results = (plan: { sample: Array<{ serial: string }> }, bad: number) => ({
  recordedOn: '2026-11-20',
  meters: plan.sample.map((s, i) => ({ serial: s.serial, points: [{ testPoint: 'Q1', error: i < bad ? '-6.2' : '1.5', mpe: '5' }] })),
});

for (const database of testDatabases()) {
  const it = suite(`lot reports: history CSV, population by age and state (#22 item 5) on ${database.name}`);

  it("a lot's history as CSV: every event in date order with the state after it, in English or Chinese", () =>
    withApp(database, async ({ app, keyFor }) => {
      const owner = await keyFor('owner', 'city-market');
      const inspector = await keyFor('inspector', 'city-samr');
      // installed in March 2024: 72 months of MV004, to 2030-02-28
      await post(app, '/v1/lots', owner, 201, lot('wm-rej', '2024-03-01', 'RJ', 200));
      await post(app, '/v1/lots', owner, 201, lot('wm-acc', '2024-03-01', 'AC', 200));
      // installed in July 2020: its life ended on 2026-06-30, never sampled
      await post(app, '/v1/lots', owner, 201, lot('wm-old', '2020-07-01', 'OL', 120));
      for (const [id, bad] of [
        ['wm-rej', 2],
        ['wm-acc', 0],
      ] as const) {
        const plan = await post(app, `/v1/lots/${id}/sampling-plans`, inspector, 201, {
          id: `p-${id}`,
          plannedOn: '2026-11-02',
          seed: `2026-11-02 ${id}`,
          aql: '1.0',
        });
        await post(app, `/v1/lots/${id}/sampling-plans/p-${id}/results`, inspector, 201, results(plan, bad));
      }
      await post(app, '/v1/lots/wm-rej/rotation', owner, 201, { rotatedOn: '2026-11-24', remarks: '整批更换, =SUM(A1)' });

      const res = await get(app, '/v1/lots/wm-rej/history.csv?at=2026-11-25&lang=zh', owner, 200);
      assert.match(res.headers['content-type'] as string, /^text\/csv; charset=utf-8/);
      assert.match(res.headers['content-disposition'] as string, /lot-wm-rej-history\.csv/);
      assert.is(res.body.charCodeAt(0), 0xfeff, 'a UTF-8 byte-order mark for Excel');
      const zh = csvRecords(res.body);
      assert.equal(
        zh.map((r) => [
          r['日期'],
          r['事件'],
          r['状态'],
          r['抽样方案编号'],
          r['批量'],
          r['样本量字码'],
          r['样本量n'],
          r['接收数Ac'],
          r['拒收数Re'],
          r['接收质量限AQL(%)'],
          r['检验严格度'],
          r['不合格品数d'],
          r['判定结果'],
          r['轮换截止日'],
        ]),
        [
          ['2026-01-05', 'registered', 'in_service', '', '200', '', '', '', '', '', '', '', '', ''],
          // 200 meters, level II → G; at AQL 1.0 the arrow leads to H: n = 50, Ac 1, Re 2
          ['2026-11-02', 'plan_drawn', 'under_sampling', 'p-wm-rej', '200', 'G', '50', '1', '2', '1.0', 'normal', '', '', ''],
          ['2026-11-20', 'decision', 'to_rotate', 'p-wm-rej', '200', 'G', '50', '1', '2', '1.0', 'normal', '2', 'reject', '2027-02-19'],
          ['2026-11-24', 'rotated', 'rotated', '', '', '', '', '', '', '', '', '', '', ''],
        ],
      );
      assert.equal(
        [zh[0]!['事件名称'], zh[0]!['状态名称'], zh[0]!['强检目录类别'], zh[0]!['安装起始日期'], zh[0]!['安装截止日期'], zh[0]!['使用年限截止日']],
        ['登记', '在用', 'MV004', '2024-03-01', '2024-03-28', '2030-02-28'],
      );
      assert.is(zh[3]!['状态名称'], '已轮换');
      // an attributes plan: its method named, the variables columns (k, MPE, x̄, s, Q_U, Q_L) empty
      assert.equal(
        [
          zh[2]!['抽样方式'],
          zh[2]!['接收常数k'],
          zh[2]!['最大允许误差MPE'],
          zh[2]!['样本均值x̄'],
          zh[2]!['样本标准差s'],
          zh[2]!['上限质量统计量Q_U'],
          zh[2]!['下限质量统计量Q_L'],
        ],
        ['attributes', '', '', '', '', '', ''],
      );
      // the remarks a person wrote reach the CSV without becoming a formula
      assert.match(zh[3]!['说明']!, /整批更换, =SUM\(A1\)/);
      assert.not.match(res.body, /\n=|,=/);

      // earlier, the history stops at that day; the accepted lot is extended, then back in service and to rotate when its life ends
      const before = csvRecords((await get(app, '/v1/lots/wm-rej/history.csv?at=2026-11-19', owner, 200)).body);
      assert.equal(
        before.map((r) => r.event),
        ['registered', 'plan_drawn'],
      );
      const acc = csvRecords((await get(app, '/v1/lots/wm-acc/history.csv?at=2030-03-01', owner, 200)).body);
      assert.equal(
        acc.map((r) => [r.date, r.event, r.state, r.nonconforming, r.decision, r.extended_until, r.rotate_by]),
        [
          ['2026-01-05', 'registered', 'in_service', '', '', '', ''],
          ['2026-11-02', 'plan_drawn', 'under_sampling', '', '', '', ''],
          ['2026-11-20', 'decision', 'extended', '0', 'accept', '2027-11-19', ''],
          ['2027-11-20', 'extension_ended', 'in_service', '', '', '', ''],
          ['2030-03-01', 'life_ended', 'to_rotate', '', '', '', '2030-02-28'],
        ],
      );
      assert.is(acc[0]!.event_name, 'registered');
      const old = csvRecords((await get(app, '/v1/lots/wm-old/history.csv?at=2026-11-25', inspector, 200)).body);
      assert.equal(
        old.map((r) => [r.date, r.event, r.state, r.lot_size, r.life_ends_on, r.rotate_by]),
        [
          ['2026-01-05', 'registered', 'in_service', '120', '2026-06-30', ''],
          ['2026-07-01', 'life_ended', 'to_rotate', '', '', '2026-06-30'],
        ],
      );
      assert.match(old[1]!.detail!, /service life ended on 2026-06-30/);

      // the same read scope as the lot: not another owner's; an unknown lot is not found
      assert.is((await get(app, '/v1/lots/wm-rej/history.csv', await keyFor('owner', 'city-hospital'), 403)).json().code, 'FORBIDDEN');
      assert.is((await get(app, '/v1/lots/nope/history.csv', owner, 404)).json().code, 'NOT_FOUND');
      assert.is((await get(app, '/v1/lots/wm-rej/history.csv?lang=fr', owner, 400)).statusCode, 400);
    }));

  it("a region's meters by installation year or age and state, as JSON and as a stacked bar chart; scoped as the rotation plan", () =>
    withApp(database, async ({ app, keyFor }) => {
      const owner = await keyFor('owner', 'city-market');
      const inspector = await keyFor('inspector', 'city-samr');
      const auditor = await keyFor('auditor', 'city-samr');
      await post(app, '/v1/lots', owner, 201, lot('wm-rej', '2024-03-01', 'RJ', 200));
      await post(app, '/v1/lots', owner, 201, lot('wm-acc', '2024-09-01', 'AC', 150));
      await post(app, '/v1/lots', owner, 201, lot('wm-old', '2020-07-01', 'OL', 120));
      for (const [id, bad] of [
        ['wm-rej', 2],
        ['wm-acc', 0],
      ] as const) {
        const plan = await post(app, `/v1/lots/${id}/sampling-plans`, inspector, 201, { id: `p-${id}`, plannedOn: '2026-11-02', seed: id, aql: '1.0' });
        await post(app, `/v1/lots/${id}/sampling-plans/p-${id}/results`, inspector, 201, results(plan, bad));
      }

      type Group = { key: number; meters: number; lots: number; byState: Record<string, { meters: number; lots: number }> };
      const byYear = (await get(app, '/v1/lot-population?at=2026-11-25', inspector, 200)).json();
      assert.equal([byYear.at, byYear.by, byYear.regionCode], ['2026-11-25', 'installation_year', '310000'], "the inspector's region by default");
      assert.equal(
        byYear.groups.map((g: Group) => [g.key, g.meters, g.lots]),
        [
          [2020, 120, 1],
          [2024, 350, 2],
        ],
      );
      assert.equal(byYear.groups[1].byState.to_rotate, { meters: 200, lots: 1 });
      assert.equal(byYear.groups[1].byState.extended, { meters: 150, lots: 1 });
      assert.equal(byYear.groups[0].byState.to_rotate, { meters: 120, lots: 1 });
      assert.equal([byYear.totals.meters, byYear.totals.lots, byYear.totals.byState.in_service.meters], [470, 3, 0]);
      // by age in whole years: the lots of March and September 2024 are both 2 on 2026-11-25; on 2026-08-31 the September one is 1
      const byAge = (await get(app, '/v1/lot-population?at=2026-11-25&by=age', auditor, 200)).json();
      assert.equal(
        byAge.groups.map((g: Group) => [g.key, g.meters]),
        [
          [2, 350],
          [6, 120],
        ],
      );
      const august = (await get(app, '/v1/lot-population?at=2026-08-31&by=age&regionCode=310104', inspector, 200)).json();
      assert.equal(
        august.groups.map((g: Group) => [g.key, g.meters, g.byState.in_service!.meters, g.byState.to_rotate!.meters]),
        [
          [1, 150, 150, 0],
          [2, 200, 200, 0],
          [6, 120, 0, 120],
        ],
      );
      // before the lots were registered: none
      assert.equal((await get(app, '/v1/lot-population?at=2025-12-31', inspector, 200)).json().groups, []);

      // the chart: one rect per year and state with meters, heights in proportion, legend and title, no script
      const svg = await get(app, '/v1/lot-population.svg?at=2026-11-25', inspector, 200);
      assert.match(svg.headers['content-type'] as string, /^image\/svg\+xml/);
      const rects = [
        ...svg.body.matchAll(
          /<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" fill="(#[0-9A-F]{6})" data-key="(\d+)" data-state="(\w+)" data-meters="(\d+)"/g,
        ),
      ].map((m) => ({ h: Number(m[2]), key: m[4], state: m[5], meters: Number(m[6]) }));
      assert.equal(
        rects.map((r) => [r.key, r.state, r.meters]),
        [
          ['2020', 'to_rotate', 120],
          ['2024', 'extended', 150],
          ['2024', 'to_rotate', 200],
        ],
      );
      assert.ok(Math.abs(rects[2]!.h / rects[0]!.h - 200 / 120) < 0.01, `heights in proportion: ${JSON.stringify(rects)}`);
      assert.match(svg.body, /Meters in service by installation year and state, region 310000, at 2026-11-25/);
      for (const name of ['在用 in service', '抽样中 under sampling', '延长使用 extended', '到期轮换 to rotate (320)', '已轮换 rotated'])
        assert.ok(svg.body.includes(name), `legend: ${name}`);
      assert.not.match(svg.body, /<script|on\w+=/i);

      // who may count where: an owner its own lots; a regulator its region; a lab none
      const own = (await get(app, '/v1/lot-population?at=2026-11-25', owner, 200)).json();
      assert.equal([own.ownerId, own.totals.meters], ['city-market', 470]);
      const hospital = (await get(app, '/v1/lot-population?at=2026-11-25', await keyFor('owner', 'city-hospital'), 200)).json();
      assert.equal([hospital.ownerId, hospital.totals.meters], ['city-hospital', 0]);
      assert.is((await get(app, '/v1/lot-population?ownerId=city-hospital', owner, 403)).json().code, 'FORBIDDEN');
      assert.is((await get(app, '/v1/lot-population?regionCode=110000', inspector, 403)).json().path, '?regionCode');
      await get(app, '/v1/lot-population.svg?regionCode=110000', auditor, 403);
      await get(app, '/v1/lot-population', await keyFor('lab', 'city-institute'), 403);
      await get(app, '/v1/lot-population?by=decade', inspector, 400);
    }));

  it.run();
}
