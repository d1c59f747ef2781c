/**
 * Variables sampling of a lot through HTTP (issue #22, item 2): a plan drawn
 * with method "variables" (ANSI/ASQ Z1.9 s method: n and k), results as each
 * sampled meter's error at one test point against ±MPE, the decision by Q_U
 * and Q_L against k, and the same state machine as attributes plans: a lot
 * not accepted is to rotate, and so are its registered members in their
 * status and the due list; an accepted one is extended. Bad input writes
 * nothing. On PGlite and (with DATABASE_URL) PostgreSQL.
 */
import type { FastifyInstance } from 'fastify';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { redrawLotPlan } from '../../src/app/lots.ts';
import { hmacSha256Hex, sha256Hex } from '../../src/runtime/digests.ts';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../src/persistence/db.ts';
import { csvRecords } from '../../src/codecs/csv.ts';
import { testDatabases } from '../helpers/db.ts';
import { withApp } from '../helpers/app.ts';

const as = (token: string) => ({ authorization: `Bearer ${token}` });

async function call(app: FastifyInstance, method: 'GET' | 'POST', url: string, token: string, status: number, payload?: object) {
  const res = await app.inject({ method, url, headers: as(token), ...(payload ? { payload } : {}) });
  assert.is(res.statusCode, status, `${method} ${url}: ${res.body.slice(0, 600)}`);
  return /json/.test(String(res.headers['content-type'])) ? res.json() : res.body;
}

const meter = {
  id: 'wm-v1',
  ownerId: 'city-market',
  name: 'Cold-water meter DN20, stall 1',
  serialNumber: 'WV000001',
  quantity: 'volume',
  range: { min: '0', max: '99999', unit: 'm3' },
  accuracy: { kind: 'class', accuracyClass: '2' },
  level: 'working_instrument',
  category: 'MV004',
  usage: 'trade_settlement',
};

const lot = (id: string, prefix: string, equipmentIds: string[]) => ({
  id,
  category: 'MV004',
  model: 'LXS-20E',
  manufacturer: '宁波水表',
  installedFrom: '2024-03-01',
  installedTo: '2024-03-28',
  region: '310104',
  registeredOn: '2026-01-05',
  members: { serialRanges: [{ prefix, from: 1, to: 200, width: 6 }], equipmentIds },
});

/** Each drawn meter's error at Q2 against MPE 2 (%): `spread` sets how far the errors lie from 0.3. */
const results = (plan: { sample: Array<{ serial: string }> }, errorOf: (i: number) => string) => ({
  recordedOn: '2026-11-20',
  meters: plan.sample.map((s, i) => ({ serial: s.serial, points: [{ testPoint: 'Q2', error: errorOf(i), mpe: '2' }] })),
});

for (const database of testDatabases()) {
  const it = suite(`lots sampled by variables (#22) on ${database.name}`);

  it('a variables plan draws n and k, decides by Q against k, and a lot not accepted is to rotate everywhere', () =>
    withApp(database, async ({ app, db, keyFor }) => {
      const owner = await keyFor('owner', 'city-market');
      const lab = await keyFor('lab', 'city-institute');
      const inspector = await keyFor('inspector', 'city-samr');
      await call(app, 'POST', '/v1/equipment', owner, 201, meter);
      await call(app, 'POST', '/v1/calibrations', lab, 201, {
        kind: 'verification',
        subjectId: 'wm-v1',
        labId: 'city-institute',
        referenceIds: [],
        externalReferences: ['water meter test bench WB-2019-03 of the municipal water meter station'],
        certificateNo: 'SIMT-SB2024-9101',
        performedOn: '2024-03-02',
        validUntil: '2030-03-01',
        conformity: 'pass',
        verificationType: 'initial',
        procedure: 'JJG 162-2019',
      });
      await call(app, 'POST', '/v1/lots', owner, 201, lot('wv-rej', 'VR', ['wm-v1']));
      await call(app, 'POST', '/v1/lots', owner, 201, lot('wv-acc', 'VA', []));

      // refused before anything is written: an AQL the variables table does not carry, a level it does not have
      const aql = await call(app, 'POST', '/v1/lots/wv-rej/sampling-plans', inspector, 422, {
        plannedOn: '2026-11-02',
        seed: 's',
        aql: '2.5',
        method: 'variables',
        mpe: '2',
      });
      assert.equal([aql.code, aql.path], ['NOT_APPLICABLE', '/aql']);
      const level = await call(app, 'POST', '/v1/lots/wv-rej/sampling-plans', inspector, 400, {
        plannedOn: '2026-11-02',
        seed: 's',
        aql: '1.0',
        level: 'S-1',
        method: 'variables',
        mpe: '2',
      });
      assert.equal([level.code, level.path], ['INVALID_FIELD', '/level']);
      // the MPE is fixed when a variables plan is drawn: required, positive; an attributes plan takes none
      const noMpe = await call(app, 'POST', '/v1/lots/wv-rej/sampling-plans', inspector, 400, {
        plannedOn: '2026-11-02',
        seed: 's',
        aql: '1.0',
        method: 'variables',
      });
      assert.equal([noMpe.code, noMpe.path], ['MISSING_FIELD', '/mpe']);
      const zeroMpe = await call(app, 'POST', '/v1/lots/wv-rej/sampling-plans', inspector, 400, {
        plannedOn: '2026-11-02',
        seed: 's',
        aql: '1.0',
        method: 'variables',
        mpe: '0',
      });
      assert.equal([zeroMpe.code, zeroMpe.path], ['INVALID_FIELD', '/mpe']);
      const attributesMpe = await call(app, 'POST', '/v1/lots/wv-rej/sampling-plans', inspector, 400, {
        plannedOn: '2026-11-02',
        seed: 's',
        aql: '1.0',
        mpe: '2',
      });
      assert.equal([attributesMpe.code, attributesMpe.path], ['INVALID_FIELD', '/mpe']);
      assert.is((await call(app, 'GET', '/v1/lots/wv-rej?at=2026-11-25', owner, 200)).plans.length, 0);
      const method = await call(app, 'POST', '/v1/lots/wv-rej/sampling-plans', inspector, 400, {
        plannedOn: '2026-11-02',
        seed: 's',
        aql: '1.0',
        method: 'both',
      });
      assert.is(method.path, '/method');

      // 201 meters, level II: Z1.9 code letter G, n = 15, k = 1.79 at AQL 1.0 (normal)
      const plan = await call(app, 'POST', '/v1/lots/wv-rej/sampling-plans', inspector, 201, {
        id: 'pv-rej',
        plannedOn: '2026-11-02',
        seed: '2026-11-02 wv-rej',
        aql: '1.0',
        method: 'variables',
        mpe: '2',
      });
      assert.equal(
        [plan.method, plan.codeLetter, plan.sampleSize, plan.acceptabilityConstant, plan.acceptance, plan.rejection, plan.sample.length],
        ['variables', 'G', 15, '1.79', null, null, 15],
      );
      const published = await call(app, 'GET', '/v1/lots/wv-rej/sampling-plans/pv-rej', owner, 200);
      assert.equal([published.plan.method, published.plan.acceptabilityConstant, published.plan.mpe], ['variables', '1.79', '2']);
      // drawn by the one keyed draw: anyone can draw it again from the published seed and members
      assert.equal(redrawLotPlan(published, hmacSha256Hex, sha256Hex), []);
      assert.equal(redrawLotPlan({ ...published, plan: { ...published.plan, seed: 'another' } }, hmacSha256Hex, sha256Hex).length > 0, true);

      // bad results: a meter given as conforming, two test points, a different MPE — refused, nothing decided
      const good = results(plan, () => '0.3');
      const asAttributes = { ...good, meters: [{ serial: plan.sample[0].serial, conforming: true, reason: 'looked fine' }, ...good.meters.slice(1)] };
      assert.is((await call(app, 'POST', '/v1/lots/wv-rej/sampling-plans/pv-rej/results', inspector, 400, asAttributes)).path, '/meters/0');
      const twoPoints = {
        ...good,
        meters: [{ serial: plan.sample[0].serial, points: [good.meters[0]!.points[0], { testPoint: 'Q3', error: '0.1', mpe: '2' }] }, ...good.meters.slice(1)],
      };
      assert.is((await call(app, 'POST', '/v1/lots/wv-rej/sampling-plans/pv-rej/results', inspector, 400, twoPoints)).path, '/meters/0/points');
      const otherMpe = {
        ...good,
        meters: [...good.meters.slice(0, 14), { serial: plan.sample[14].serial, points: [{ testPoint: 'Q2', error: '0.1', mpe: '5' }] }],
      };
      assert.is((await call(app, 'POST', '/v1/lots/wv-rej/sampling-plans/pv-rej/results', inspector, 400, otherMpe)).path, '/meters/14/points/0/mpe');
      // every meter against ±5: consistent, but not the ±2 fixed when the plan was drawn
      const allAtFive = results(plan, () => '0.3');
      for (const m of allAtFive.meters) m.points[0]!.mpe = '5';
      const refused = await call(app, 'POST', '/v1/lots/wv-rej/sampling-plans/pv-rej/results', inspector, 400, allAtFive);
      assert.equal([refused.code, refused.path], ['INVALID_FIELD', '/meters/0/points/0/mpe']);
      assert.match(
        refused.detail ?? refused.message,
        /plan 'pv-rej' fixed the in-service MPE at 2 when it was drawn; this result gives 5/,
        JSON.stringify(refused),
      );
      assert.is((await call(app, 'GET', '/v1/lots/wv-rej?at=2026-11-25', owner, 200)).status.state, 'under_sampling');

      // every meter within ±2 %, but spread from −1.9 to +1.9: too much of the lot is expected outside; not accepted
      const wide = (i: number) => (i % 2 === 0 ? '1.9' : '-1.9');
      // the MPE fixed as "2" given as "2.0": the same MPE, by value
      const wideResults = results(plan, wide);
      for (const m of wideResults.meters) m.points[0]!.mpe = '2.0';
      const decided = await call(app, 'POST', '/v1/lots/wv-rej/sampling-plans/pv-rej/results', inspector, 201, wideResults);
      assert.equal([decided.decision, decided.nonconforming, decided.statistics.outside, decided.statistics.k], ['reject', 0, 0, '1.79']);
      // x̄ = 1.9/15 (8 × 1.9 − 7 × 1.9), s = √((8·(1.9 − x̄)² + 7·(1.9 + x̄)²)/14)
      assert.is(decided.statistics.mean, '0.1266666666666666666666666666666666666667');
      // figures computed independently with Python's decimal at 40 digits
      assert.is(decided.statistics.standardDeviation, '1.962311562078424555157494469223082469489');
      assert.is(decided.rule, 'n = 15, x̄ = 0.1267, s = 1.9623, Q_U = 0.9547, Q_L = 1.0838, k = 1.79: Q_U < k and Q_L < k: the lot is not accepted');
      const rej = await call(app, 'GET', '/v1/lots/wv-rej?at=2026-11-25', owner, 200);
      assert.equal([rej.status.state, rej.status.cause, rej.status.rotateBy], ['to_rotate', 'rejected', '2027-02-19']);
      assert.is(rej.plans[0].result.statistics.qUpper, '0.9546564213020036357327838397709248163541');
      // its registered member is to rotate, and on the due list
      const member = await call(app, 'GET', '/v1/equipment/wm-v1/status?at=2026-11-25', owner, 200);
      assert.equal([member.state, member.usable, member.dueOn], ['to_rotate', false, '2027-02-19']);
      const due = await call(app, 'GET', '/v1/due?from=2026-11-25&to=2026-12-31', owner, 200);
      assert.ok(due.items.some((i: { equipmentId: string }) => i.equipmentId === 'wm-v1'));
      // decided once
      await call(
        app,
        'POST',
        '/v1/lots/wv-rej/sampling-plans/pv-rej/results',
        inspector,
        409,
        results(plan, () => '0'),
      );
      // the OC of a variables plan: the normal model for one limit (noncentral t), named in the chart, with both risks
      // (n = 15, k = 1.79: Pa(1 %) = 0.9081513821…, Pa(5 %) = 0.4003134982… by mpmath, test/core/sampling/variables-oc.test.ts)
      const oc = (await call(app, 'GET', '/v1/lots/wv-rej/sampling-plans/pv-rej/oc.svg?lq=0.05', owner, 200)) as string;
      assert.match(oc, /^<svg /);
      assert.match(oc, /OC curve of variables plan pv-rej on lot wv-rej \(normal, Z1\.9 code letter G; normal model, one limit\)/);
      assert.match(oc, /n = 15, k = 1\.79; Pa = P\(T' ≥ k√n\), noncentral t, ν = 14/);
      assert.match(oc, /AQL 1 %: producer's risk 9\.18 %/);
      assert.match(oc, /LQ 5 %: consumer's risk 40 %/);
      assert.is((await call(app, 'GET', '/v1/lots/wv-rej/sampling-plans/pv-rej/oc.svg?lq=1.5', owner, 400)).path, '?lq');
      // the history lists the plan and the decision (no Ac, Re for it)
      const csv = csvRecords((await call(app, 'GET', '/v1/lots/wv-rej/history.csv?at=2026-11-25', owner, 200)) as string);
      assert.equal(
        csv.map((r) => [r.event, r.sampling_method, r.acceptance_number, r.k, r.mpe, r.mean, r.standard_deviation, r.q_upper]),
        [
          ['registered', '', '', '', '', '', '', ''],
          ['plan_drawn', 'variables', '', '1.79', '2', '', '', ''],
          [
            'decision',
            'variables',
            '',
            '1.79',
            '2',
            '0.1266666666666666666666666666666666666667',
            '1.962311562078424555157494469223082469489',
            '0.9546564213020036357327838397709248163541',
          ],
        ],
      );
      assert.match(csv[2]!.q_lower!, /^1\.083/);
      // in Chinese, as the other CSVs
      const zh = csvRecords((await call(app, 'GET', '/v1/lots/wv-rej/history.csv?at=2026-11-25&lang=zh', owner, 200)) as string);
      assert.equal(
        [zh[2]!['抽样方式'], zh[2]!['接收常数k'], zh[2]!['最大允许误差MPE'], zh[2]!['样本均值x̄'], zh[2]!['样本标准差s']],
        ['variables', '1.79', '2', csv[2]!.mean, csv[2]!.standard_deviation],
      );
      assert.match(zh[2]!['上限质量统计量Q_U']!, /^0\.9546/);
      assert.match(zh[2]!['下限质量统计量Q_L']!, /^1\.083/);

      // a tight lot is accepted and extended
      const acc = await call(app, 'POST', '/v1/lots/wv-acc/sampling-plans', inspector, 201, {
        id: 'pv-acc',
        plannedOn: '2026-11-02',
        seed: 'wv-acc',
        aql: '1.0',
        method: 'variables',
        mpe: '2',
      });
      const tight = (i: number) => (0.1 * (i % 5) - 0.2).toFixed(1);
      const accepted = await call(app, 'POST', '/v1/lots/wv-acc/sampling-plans/pv-acc/results', inspector, 201, results(acc, tight));
      assert.is(accepted.decision, 'accept', accepted.rule);
      assert.match(accepted.rule, /Q_U ≥ k and Q_L ≥ k: the lot is accepted$/);
      assert.equal((await call(app, 'GET', '/v1/lots/wv-acc?at=2026-11-25', owner, 200)).status.state, 'extended');

      // attributes stay the default, unchanged
      await call(app, 'POST', '/v1/lots', owner, 201, lot('wv-att', 'VT', []));
      const att = await call(app, 'POST', '/v1/lots/wv-att/sampling-plans', inspector, 201, {
        id: 'pa-att',
        plannedOn: '2026-11-02',
        seed: 'wv-att',
        aql: '1.0',
      });
      assert.equal([att.method, att.sampleSize, att.acceptance, att.rejection, att.acceptabilityConstant], ['attributes', 50, 1, 2, null]);
      // stored without a method, as every plan drawn before variables sampling was: its ledgered content is what it always was
      const stored = rowsOf<{ method: string | null; content: Record<string, unknown> }>(
        await db.execute(sql`select method, jsonb_strip_nulls(to_jsonb(p) - 'created_at') as content from lot_sampling_plans p where id = 'pa-att'`),
      );
      assert.equal([stored[0]!.method, 'method' in stored[0]!.content], [null, false]);
      // nor an MPE (each result gives its own); a variables plan's content holds the MPE fixed when it was drawn
      assert.is('mpe' in stored[0]!.content, false);
      const variablesContent = rowsOf<{ content: Record<string, unknown> }>(
        await db.execute(sql`select jsonb_strip_nulls(to_jsonb(p) - 'created_at') as content from lot_sampling_plans p where id = 'pv-rej'`),
      );
      assert.is(variablesContent[0]!.content.mpe, '2');
      // and the ledger verifies with both
      const ledger = await call(app, 'GET', '/v1/ledger/verify', await keyFor('admin'), 200);
      assert.equal([ledger.valid, ledger.unledgered.count], [true, 0], JSON.stringify(ledger).slice(0, 600));

      // a variables plan drawn before the MPE was fixed (no mpe stored: the row as the code before migration 0042 wrote it,
      // made here by clearing it past the append-only trigger) takes its results' MPE, the same for every meter
      await call(app, 'POST', '/v1/lots', owner, 201, lot('wv-old', 'VO', []));
      const oldPlan = await call(app, 'POST', '/v1/lots/wv-old/sampling-plans', inspector, 201, {
        id: 'pv-old',
        plannedOn: '2026-11-02',
        seed: 'wv-old',
        aql: '1.0',
        method: 'variables',
        mpe: '2',
      });
      await db.execute(sql`alter table lot_sampling_plans disable trigger user`);
      await db.execute(sql`update lot_sampling_plans set mpe = null where id = 'pv-old'`);
      await db.execute(sql`alter table lot_sampling_plans enable trigger user`);
      const oldResults = results(oldPlan, tight);
      for (const m of oldResults.meters) m.points[0]!.mpe = '3';
      const oldDecided = await call(app, 'POST', '/v1/lots/wv-old/sampling-plans/pv-old/results', inspector, 201, oldResults);
      assert.equal([oldDecided.decision, oldDecided.statistics.upper], ['accept', '3']);

      const tables = await call(app, 'GET', '/v1/sampling/tables', owner, 200);
      assert.match(tables.variables.standard, /not GB\/T 6378\.1/);
      assert.match(tables.variables.confidence.tableB1, /^medium/);
    }));

  it.run();
}
