/**
 * Lots to rotate through HTTP (issue #22, part 5): a lot whose sample is not
 * accepted makes its registered members `to_rotate` in their status, label
 * and the due list, and non-compliant in an energy audit; an accepted lot's
 * members keep their own status; the rotation plan by month and region holds
 * the rejected lot and the lot whose service life ended (all their meters,
 * serial numbers or registered) and the registered meters whose life ended,
 * not the accepted lot until its extension ends. On PGlite and (with
 * DATABASE_URL) PostgreSQL.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openDb, rowsOf } from '../../src/persistence/db.ts';
import { testDatabases } from '../helpers/db.ts';
import { ANONYMOUS, withApp } from '../helpers/app.ts';
import { liveApp } from '../helpers/fresh.ts';

const as = (token: string) => ({ authorization: `Bearer ${token}` });

async function call(app: FastifyInstance, method: 'GET' | 'POST', url: string, token: string, status: number, payload?: object) {
  const res = await app.inject({ method, url, headers: as(token), ...(payload ? { payload } : {}) });
  assert.is(res.statusCode, status, `${method} ${url}: ${res.body.slice(0, 600)}`);
  return res.json();
}

const meter = (n: number) => ({
  id: `wm-e${n}`,
  ownerId: 'city-market',
  name: `Cold-water meter DN20, stall ${n}`,
  serialNumber: `WE${String(n).padStart(6, '0')}`,
  quantity: 'volume',
  range: { min: '0', max: '99999', unit: 'm3' },
  accuracy: { kind: 'class', accuracyClass: '2' },
  level: 'working_instrument',
  category: 'MV004',
  usage: 'trade_settlement',
});

const verification = (n: number) => ({
  kind: 'verification',
  subjectId: `wm-e${n}`,
  labId: 'city-institute',
  referenceIds: [],
  externalReferences: ['water meter test bench WB-2019-03 of the municipal water meter station'],
  certificateNo: `SIMT-SB2024-9${String(n).padStart(3, '0')}`,
  performedOn: '2024-03-02',
  validUntil: '2030-03-01',
  conformity: 'pass',
  verificationType: 'initial',
  procedure: 'JJG 162-2019',
});

const lot = (id: string, installedFrom: string, prefix: string, equipmentIds: string[]) => ({
  id,
  category: 'MV004',
  model: 'LXS-20E',
  manufacturer: '宁波水表',
  installedFrom,
  installedTo: installedFrom.replace(/-01$/, '-28'),
  region: '310104',
  registeredOn: '2026-01-05',
  members: { serialRanges: [{ prefix, from: 1, to: 200, width: 6 }], equipmentIds },
});

/** Results for a plan: the first `bad` drawn meters out of tolerance, the rest within. */
const results = (plan: { sample: Array<{ serial: string }> }, bad: number) => ({
  recordedOn: '2026-11-20',
  meters: plan.sample.map((s, i) => ({ serial: s.serial, points: [{ testPoint: 'Q1', error: i < bad ? '-6.2' : '1.5', mpe: '5' }] })),
});

for (const database of testDatabases()) {
  const it = suite(`lots to rotate: status, due list, energy audit, rotation plan (#22) on ${database.name}`);

  it('a rejected lot puts its meters to rotate everywhere; an accepted one does not', () =>
    withApp(database, async ({ app, keyFor }) => {
      const owner = await keyFor('owner', 'city-market');
      const lab = await keyFor('lab', 'city-institute');
      const inspector = await keyFor('inspector', 'city-samr');
      const auditor = await keyFor('auditor', 'city-samr');
      for (const n of [1, 2, 3]) {
        await call(app, 'POST', '/v1/equipment', owner, 201, meter(n));
        await call(app, 'POST', '/v1/calibrations', lab, 201, verification(n));
      }
      // installed in March 2024: 72 months of MV004, to 2030-02-28
      await call(app, 'POST', '/v1/lots', owner, 201, lot('wm-rej', '2024-03-01', 'RJ', ['wm-e1', 'wm-e2']));
      await call(app, 'POST', '/v1/lots', owner, 201, lot('wm-acc', '2024-03-01', 'AC', ['wm-e3']));
      // installed in July 2020: its life ended on 2026-06-30, never sampled
      await call(app, 'POST', '/v1/lots', owner, 201, lot('wm-old', '2020-07-01', 'OL', []));

      for (const [id, bad] of [
        ['wm-rej', 2],
        ['wm-acc', 0],
      ] as const) {
        const plan = await call(app, 'POST', `/v1/lots/${id}/sampling-plans`, inspector, 201, {
          id: `p-${id}`,
          plannedOn: '2026-11-02',
          seed: `2026-11-02 ${id}`,
          aql: '1.0',
        });
        // 202 meters, level II → G; at AQL 1.0 the arrow leads to H: n = 50, Ac 1, Re 2
        assert.equal([plan.codeLetter, plan.planLetter, plan.sampleSize, plan.acceptance, plan.rejection], ['G', 'H', 50, 1, 2]);
        const decided = await call(app, 'POST', `/v1/lots/${id}/sampling-plans/p-${id}/results`, inspector, 201, results(plan, bad));
        assert.is(decided.decision, bad === 0 ? 'accept' : 'reject');
      }
      const rej = await call(app, 'GET', '/v1/lots/wm-rej?at=2026-11-25', owner, 200);
      assert.equal([rej.status.state, rej.status.cause, rej.status.rotateBy], ['to_rotate', 'rejected', '2027-02-19']);
      const old = await call(app, 'GET', '/v1/lots/wm-old?at=2026-11-25', owner, 200);
      assert.equal([old.status.state, old.status.cause, old.status.rotateBy], ['to_rotate', 'life_ended', '2026-06-30']);

      // the member's status, and its label, say so; the accepted lot's member is in force on its own certificate
      const s1 = await call(app, 'GET', '/v1/equipment/wm-e1/status?at=2026-11-25', owner, 200);
      assert.equal([s1.state, s1.usable, s1.dueOn], ['to_rotate', false, '2027-02-19']);
      assert.match(s1.message, /lot wm-rej: the sample of plan p-wm-rej was not accepted on 2026-11-20.*replace it by 2027-02-19/);
      const before = await call(app, 'GET', '/v1/equipment/wm-e1/status?at=2026-11-19', owner, 200);
      assert.is(before.state, 'in_force', 'not before the decision');
      assert.is((await call(app, 'GET', '/v1/equipment/wm-e3/status?at=2026-11-25', owner, 200)).state, 'in_force');
      const label = (
        await app.inject({ method: 'GET', url: '/v1/label?certificateNo=SIMT-SB2024-9001&at=2026-11-25', headers: { authorization: undefined } })
      ).json();
      assert.equal([label.state, label.usable], ['to_rotate', false]);
      assert.match(label.verdict.zh, /须于 2027-02-19 前轮换更换/);

      // the due list of the owner: both members of the rejected lot, not the accepted lot's
      const due = await call(app, 'GET', '/v1/due?from=2026-11-25&to=2026-12-31', owner, 200);
      const listed = new Map(due.items.map((i: { equipmentId: string; state: string }) => [i.equipmentId, i.state]));
      assert.equal([listed.get('wm-e1'), listed.get('wm-e2'), listed.has('wm-e3')], ['to_rotate', 'to_rotate', false]);

      // the energy audit counts the member of the rejected lot as non-compliant
      await call(app, 'POST', '/v1/organisations/city-market/energy-inventory', await keyFor('admin'), 201, {
        points: [
          { id: 'water-a', level: 'organisation', energyType: 'water', name: 'Water intake A', equipmentId: 'wm-e1', pipeDn: 20 },
          { id: 'water-b', level: 'organisation', energyType: 'water', name: 'Water intake B', equipmentId: 'wm-e3', pipeDn: 20 },
        ],
      });
      const audit = await call(app, 'POST', '/v1/energy-audits', auditor, 201, { organisationId: 'city-market', at: '2026-11-25' });
      assert.is(audit.verdict, 'non_compliant');
      assert.equal(
        audit.findings.filter((f: { code: string }) => f.code === 'METER_TO_BE_REPLACED').map((f: { pointId: string }) => f.pointId),
        ['water-a'],
      );
      assert.not.ok(
        audit.findings.some((f: { pointId: string | null }) => f.pointId === 'water-b'),
        JSON.stringify(audit.findings),
      );

      // once the lot is recorded as rotated its registered members are out of service, and off the due list
      await call(app, 'POST', '/v1/lots/wm-rej/rotation', owner, 201, { rotatedOn: '2026-11-24', remarks: '整批更换' });
      const replaced = await call(app, 'GET', '/v1/equipment/wm-e1/status?at=2026-11-25', owner, 200);
      assert.equal([replaced.state, replaced.usable], ['withdrawn', false]);
      assert.match(replaced.message, /replaced with its lot wm-rej on 2026-11-24/);
      const after = await call(app, 'GET', '/v1/due?from=2026-11-25&to=2026-12-31', owner, 200);
      assert.not.ok(after.items.some((i: { equipmentId: string }) => i.equipmentId === 'wm-e1' || i.equipmentId === 'wm-e2'));
    }));

  it('the rotation plan by month and region: rejected and life-ended lots with all their meters, registered meters past their life, the accepted lot only once its extension ends', () =>
    withApp(database, async ({ app, keyFor }) => {
      const owner = await keyFor('owner', 'city-market');
      const lab = await keyFor('lab', 'city-institute');
      const inspector = await keyFor('inspector', 'city-samr');
      for (const n of [1, 2]) {
        await call(app, 'POST', '/v1/equipment', owner, 201, meter(n));
        await call(app, 'POST', '/v1/calibrations', lab, 201, verification(n));
      }
      await call(app, 'POST', '/v1/lots', owner, 201, lot('wm-rej', '2024-03-01', 'RJ', ['wm-e1']));
      await call(app, 'POST', '/v1/lots', owner, 201, lot('wm-acc', '2024-03-01', 'AC', []));
      await call(app, 'POST', '/v1/lots', owner, 201, lot('wm-old', '2020-07-01', 'OL', []));
      // as old, but sampled after its life ended and accepted: extended to 2027-11-19
      await call(app, 'POST', '/v1/lots', owner, 201, lot('wm-old-kept', '2020-07-01', 'OK', []));
      for (const [id, bad] of [
        ['wm-rej', 2],
        ['wm-acc', 0],
        ['wm-old-kept', 0],
      ] as const) {
        const plan = await call(app, 'POST', `/v1/lots/${id}/sampling-plans`, inspector, 201, { id: `p-${id}`, plannedOn: '2026-11-02', seed: id, aql: '1.0' });
        await call(app, 'POST', `/v1/lots/${id}/sampling-plans/p-${id}/results`, inspector, 201, results(plan, bad));
      }

      const plan = await call(app, 'GET', '/v1/rotation-plan?from=2026-11-25&months=12', inspector, 200);
      assert.is(plan.to, '2027-10-31');
      assert.equal(
        plan.lots.map((l: { id: string; size: number; rotateBy: string }) => [l.id, l.size, l.rotateBy]),
        [
          ['wm-old', 200, '2026-06-30'],
          ['wm-rej', 201, '2027-02-19'],
        ],
      );
      // the demo's water-meter-0231 (the mall's since 2026-08-01, 310101) ended its 72 months on 2026-03-01; wm-e1 counts with its lot, wm-e2 has years left
      assert.equal(
        plan.items.filter((i: { kind: string }) => i.kind === 'instrument').map((i: { id: string }) => i.id),
        ['water-meter-0231'],
      );
      assert.equal(
        plan.rows.map((r: { month: string; regionCode: string; due: number; overdue: number; lots: string[]; instruments: number }) => [
          r.month,
          r.regionCode,
          r.due,
          r.overdue,
          r.lots,
          r.instruments,
        ]),
        [
          ['2026-11', '310101', 1, 1, [], 1],
          ['2026-11', '310104', 200, 200, ['wm-old'], 0],
          ['2027-02', '310104', 201, 0, ['wm-rej'], 0],
        ],
      );
      assert.equal(plan.summary, { lots: 2, instruments: 1, meters: 402, overdue: 201, late: 0, unplaced: 0 });

      // one month more: the extension of the lot past its life (to 2027-11-19) ends within the horizon; the accepted lot
      // still within its life (to 2030-02-28) is back in service when its extension ends, and stays out
      const longer = await call(app, 'GET', '/v1/rotation-plan?from=2026-11-25&months=13', inspector, 200);
      assert.equal(
        longer.lots.map((l: { id: string; rotateBy: string }) => [l.id, l.rotateBy]),
        [
          ['wm-old', '2026-06-30'],
          ['wm-rej', '2027-02-19'],
          ['wm-old-kept', '2027-11-19'],
        ],
      );
      assert.match(longer.lots[2].reason, /extension given by plan p-wm-old-kept on 2026-11-20 ended on 2027-11-19/);

      // with a capacity of 150 meters a month the backlog runs late
      const tight = await call(app, 'GET', '/v1/rotation-plan?from=2026-11-25&months=12&capacityPerMonth=150', inspector, 200);
      assert.equal([tight.summary.late, tight.summary.unplaced], [51, 0], 'Nov: 0231 and 149 of wm-old; Dec: the other 51 of wm-old, late');

      // who may plan where
      const own = await call(app, 'GET', '/v1/rotation-plan?from=2026-11-25&months=12', owner, 200);
      assert.equal([own.summary.meters, own.summary.instruments], [401, 0], "the owner's own lots and meters (0231 is the mall's now)");
      const other = await call(app, 'GET', '/v1/rotation-plan?from=2026-11-25&months=12&ownerId=grid-co', owner, 403);
      assert.is(other.code, 'FORBIDDEN');
      const outside = await call(app, 'GET', '/v1/rotation-plan?from=2026-11-25&months=12&regionCode=110000', inspector, 403);
      assert.is(outside.path, '?regionCode');
      const lab403 = await app.inject({ method: 'GET', url: '/v1/rotation-plan?months=12', headers: as(lab) });
      assert.is(lab403.statusCode, 403);
    }));

  it("an accepted sample carries a member past its own service life: usable to the extension's end, off the due list's life-ended meters", () =>
    withApp(database, async ({ app, keyFor }) => {
      const owner = await keyFor('owner', 'city-market');
      const lab = await keyFor('lab', 'city-institute');
      const inspector = await keyFor('inspector', 'city-samr');
      await call(app, 'POST', '/v1/equipment', owner, 201, meter(7));
      // first verified 2020-03-02: its own 72 months ended on 2026-03-01
      await call(app, 'POST', '/v1/calibrations', lab, 201, { ...verification(7), performedOn: '2020-03-02', validUntil: '2026-03-01' });
      await call(app, 'POST', '/v1/lots', owner, 201, lot('wm-kept', '2020-07-01', 'KP', ['wm-e7']));
      // its own life ended before the lot's (2026-06-30): on its own records until the lot is decided
      const before = await call(app, 'GET', '/v1/equipment/wm-e7/status?at=2026-04-01', owner, 200);
      assert.is(before.state, 'service_life_ended');
      const plan = await call(app, 'POST', '/v1/lots/wm-kept/sampling-plans', inspector, 201, {
        id: 'p-kept',
        plannedOn: '2026-11-02',
        seed: 'kept',
        aql: '1.0',
      });
      await call(app, 'POST', '/v1/lots/wm-kept/sampling-plans/p-kept/results', inspector, 201, results(plan, 0));
      const kept = await call(app, 'GET', '/v1/equipment/wm-e7/status?at=2026-12-01', owner, 200);
      assert.equal([kept.state, kept.usable, kept.dueOn], ['in_force', true, '2027-11-19'], JSON.stringify(kept));
      assert.match(kept.message, /the sample of its lot wm-kept \(plan p-kept\) accepted on 2026-11-20 extends it to 2027-11-19/);
      const due = await call(app, 'GET', '/v1/due?from=2026-12-01&to=2026-12-31', owner, 200);
      assert.not.ok(
        due.items.some((i: { equipmentId: string }) => i.equipmentId === 'wm-e7'),
        JSON.stringify(due.items.map((i: { equipmentId: string }) => i.equipmentId)),
      );
      // once the extension ends past the lot's life, the lot is to rotate and so is the meter
      const ended = await call(app, 'GET', '/v1/equipment/wm-e7/status?at=2027-11-20', owner, 200);
      assert.is(ended.state, 'to_rotate');
    }));

  it('an accepted sample does not carry a meter the sample itself found nonconforming: it is to be replaced at once', () =>
    withApp(database, async ({ app, keyFor }) => {
      const owner = await keyFor('owner', 'city-market');
      const lab = await keyFor('lab', 'city-institute');
      const inspector = await keyFor('inspector', 'city-samr');
      await call(app, 'POST', '/v1/equipment', owner, 201, meter(9));
      await call(app, 'POST', '/v1/calibrations', lab, 201, { ...verification(9), performedOn: '2020-03-02', validUntil: '2026-03-01' });
      // a lot small enough to be inspected whole: the registered meter is in the sample
      await call(app, 'POST', '/v1/lots', owner, 201, {
        ...lot('wm-few', '2020-07-01', 'FW', ['wm-e9']),
        members: { serialRanges: [{ prefix: 'FW', from: 1, to: 3, width: 6 }], equipmentIds: ['wm-e9'] },
      });
      const plan = await call(app, 'POST', '/v1/lots/wm-few/sampling-plans', inspector, 201, { id: 'p-few', plannedOn: '2026-11-02', seed: 'few', aql: '10' });
      const serials = plan.sample.map((m: { serial: string }) => m.serial);
      assert.ok(serials.includes('WE000009'), `the whole lot is drawn: ${serials.join(' ')}`);
      assert.ok(plan.acceptance >= 1, `the plan accepts with one nonconforming meter: Ac = ${plan.acceptance}`);
      // the registered meter alone out of tolerance: one nonconforming, the lot accepted
      const decided = await call(app, 'POST', '/v1/lots/wm-few/sampling-plans/p-few/results', inspector, 201, {
        recordedOn: '2026-11-20',
        meters: serials.map((serial: string) => ({ serial, points: [{ testPoint: 'Q1', error: serial === 'WE000009' ? '-6.2' : '1.5', mpe: '5' }] })),
      });
      assert.is(decided.decision, 'accept', decided.rule);
      const st = await call(app, 'GET', '/v1/equipment/wm-e9/status?at=2026-12-01', owner, 200);
      assert.equal([st.state, st.usable], ['to_rotate', false], JSON.stringify(st));
      assert.match(st.message, /found nonconforming on 2026-11-20/);
      const label = await app.inject({ method: 'GET', url: '/v1/label?certificateNo=SIMT-SB2024-9009&at=2026-12-01', headers: ANONYMOUS });
      assert.equal([label.statusCode, label.json().state, label.json().usable], [200, 'to_rotate', false], label.body);
    }));

  it.run();
}

{
  // committed writes, so that each has its own creation time (the suites above run in one rolled-back transaction)
  const it = suite('lots to rotate as known at an instant (#22) on pglite');
  it("a member's status as known before the decision was written is its own, as it was shown then", async () => {
    const database = await openDb({});
    const live = await liveApp(database);
    try {
      const { app, adminKey } = live;
      const now = async () =>
        rowsOf<{ t: string }>(await database.db.execute(sql`select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as t`))[0]!.t;
      await call(app, 'POST', '/v1/equipment', adminKey, 201, meter(1));
      await call(app, 'POST', '/v1/calibrations', adminKey, 201, verification(1));
      await call(app, 'POST', '/v1/lots', adminKey, 201, { ...lot('wm-rej', '2024-03-01', 'RJ', ['wm-e1']), ownerId: 'city-market' });
      const plan = await call(app, 'POST', '/v1/lots/wm-rej/sampling-plans', adminKey, 201, {
        id: 'p-rej',
        plannedOn: '2026-11-02',
        seed: 'known',
        aql: '1.0',
      });
      const before = await now();
      await new Promise((r) => setTimeout(r, 20));
      await call(app, 'POST', '/v1/lots/wm-rej/sampling-plans/p-rej/results', adminKey, 201, results(plan, 2));
      const status = (q = '') => call(app, 'GET', `/v1/equipment/wm-e1/status?at=2026-11-25${q}`, adminKey, 200);
      assert.is((await status()).state, 'to_rotate');
      const then = await status(`&asKnownAt=${encodeURIComponent(before)}`);
      assert.equal([then.state, then.usable], ['in_force', true]);
      const due = await call(app, 'GET', `/v1/due?from=2026-11-25&to=2026-12-31&asKnownAt=${encodeURIComponent(before)}`, adminKey, 200);
      assert.not.ok(
        due.items.some((i: { equipmentId: string }) => i.equipmentId === 'wm-e1'),
        'nor on the due list as given then',
      );
    } finally {
      await live.close();
      await database.close();
    }
  });
  it.run();
}
