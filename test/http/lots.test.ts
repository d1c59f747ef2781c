/**
 * Lots of meters in service through HTTP (issue #22): a lot registered by
 * serial range, a sampling plan drawn by GB/T 2828.1 and re-drawn from what is
 * published, results deciding the lot, the state at a date, the switching
 * rules over the owner's lots, the OC curve, who may do what, append-only and
 * ledgered. On PGlite and (with DATABASE_URL) PostgreSQL.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { redrawLotPlan, type PublishedLotPlan } from '../../src/app/lots.ts';
import { hmacSha256Hex, sha256Hex } from '../../src/runtime/digests.ts';
import { countOf, testDatabases } from '../helpers/db.ts';
import { lotOfMeters, withApp } from '../helpers/app.ts';

const as = (token: string) => ({ authorization: `Bearer ${token}` });

async function call(app: FastifyInstance, method: 'GET' | 'POST', url: string, token: string, status: number, payload?: object) {
  const res = await app.inject({ method, url, headers: as(token), ...(payload ? { payload } : {}) });
  assert.is(res.statusCode, status, `${method} ${url}: ${res.body.slice(0, 600)}`);
  return /json/.test(res.headers['content-type']?.toString() ?? '') ? res.json() : res.body;
}

/** Results for a plan: the first `bad` drawn meters out of tolerance at Q1, the rest within. */
function results(plan: { sample: Array<{ serial: string }> }, bad: number, recordedOn = '2026-11-20') {
  return {
    recordedOn,
    meters: plan.sample.map((s, i) =>
      i < bad && i % 2 === 1
        ? { serial: s.serial, conforming: false, reason: 'register stuck (计数器卡滞)' }
        : {
            serial: s.serial,
            points: [
              { testPoint: 'Q1', error: i < bad ? '-6.2' : '1.5', mpe: '5' },
              { testPoint: 'Q3', error: '0.8', mpe: '2' },
            ],
          },
    ),
  };
}

for (const database of testDatabases()) {
  const it = suite(`lots of meters in service (#22) on ${database.name}`);

  it('register, plan, re-draw, decide: a lot whose sample is not accepted is to rotate, and the decision is final', () =>
    withApp(database, async ({ app, db, keyFor }) => {
      const owner = await keyFor('owner', 'city-market');
      const inspector = await keyFor('inspector', 'city-samr');
      const registered = await call(app, 'POST', '/v1/lots', owner, 201, lotOfMeters('wm-2020-a', 1, 1500));
      assert.equal([registered.ownerId, registered.size, registered.members], ['city-market', 1500, 1500]);
      // an owner registers its own lots only
      const other = await call(app, 'POST', '/v1/lots', owner, 403, { ...lotOfMeters('wm-x', 1, 10), ownerId: 'grid-co' });
      assert.is(other.code, 'FORBIDDEN');
      const twice = await call(app, 'POST', '/v1/lots', owner, 409, { ...lotOfMeters('wm-y', 1, 3), members: { serials: ['A1', 'A1', 'A2'] } });
      assert.equal([twice.code, twice.path], ['DUPLICATE', '/members']);

      const fresh = await call(app, 'GET', '/v1/lots/wm-2020-a?at=2026-06-01', owner, 200);
      assert.equal([fresh.status.state, fresh.status.name.zh], ['in_service', '在用']);

      // the owner may not draw the plan that judges its own meters
      await call(app, 'POST', '/v1/lots/wm-2020-a/sampling-plans', owner, 403, { plannedOn: '2026-11-02', seed: 'x', aql: '1.0' });
      const plan = await call(app, 'POST', '/v1/lots/wm-2020-a/sampling-plans', inspector, 201, {
        id: 'p-a',
        plannedOn: '2026-11-02',
        seed: '2026-11-02 福彩3D 517',
        level: 'II',
        aql: '1.0',
      });
      // 1500 meters, level II → K (1201–3200); AQL 1.0 normal → 125, Ac 3, Re 4
      assert.equal(
        [plan.severity, plan.codeLetter, plan.sampleSize, plan.acceptance, plan.rejection, plan.hundredPercent, plan.sample.length],
        ['normal', 'K', 125, 3, 4, false, 125],
      );
      assert.equal(plan.scheme.lotsInHistory, 0);
      const sampling = await call(app, 'GET', '/v1/lots/wm-2020-a?at=2026-11-10', owner, 200);
      assert.equal([sampling.status.state, sampling.status.planId], ['under_sampling', 'p-a']);
      await call(app, 'POST', '/v1/lots/wm-2020-a/sampling-plans', inspector, 409, { plannedOn: '2026-11-03', seed: 'again', aql: '1.0' });
      // nor backdated before it, where the lot was still in service
      const backdated = await call(app, 'POST', '/v1/lots/wm-2020-a/sampling-plans', inspector, 409, { plannedOn: '2026-10-01', seed: 'again', aql: '1.0' });
      assert.match(backdated.detail, /awaits its results/);

      // anyone with the published plan draws the same sample; a changed member list is detected
      const published = (await call(app, 'GET', '/v1/lots/wm-2020-a/sampling-plans/p-a', owner, 200)) as PublishedLotPlan;
      assert.is(published.members.length, 1500);
      assert.equal(redrawLotPlan(published, hmacSha256Hex, sha256Hex), []);
      const tampered = { ...published, members: published.members.filter((s) => s !== published.plan.sample[0]!.serial) };
      assert.ok(redrawLotPlan(tampered, hmacSha256Hex, sha256Hex).some((d) => /members were changed/.test(d)));
      const reseeded = { ...published, plan: { ...published.plan, seed: 'another seed' } };
      assert.ok(redrawLotPlan(reseeded, hmacSha256Hex, sha256Hex).length > 0);

      // results: every drawn meter once
      const notDrawn = await call(app, 'POST', '/v1/lots/wm-2020-a/sampling-plans/p-a/results', inspector, 400, {
        ...results(plan, 0),
        meters: [...results(plan, 0).meters.slice(1), { serial: 'WM999999', conforming: true, reason: 'ok' }],
      });
      assert.is(notDrawn.path, '/meters/124/serial');
      const decided = await call(app, 'POST', '/v1/lots/wm-2020-a/sampling-plans/p-a/results', inspector, 201, results(plan, 4));
      assert.equal([decided.inspected, decided.nonconforming, decided.decision], [125, 4, 'reject']);
      assert.match(decided.rule, /4 nonconforming of 125 inspected ≥ Re 4/);
      assert.equal(decided.meters[0].conforming, false);
      assert.match(decided.meters[0].reason, /Q1: \|-6.2\| > 5/);
      assert.equal(decided.meters[0].points[0], { testPoint: 'Q1', error: '-6.2', mpe: '5' }, 'decimals kept as given');
      const final = await call(app, 'POST', '/v1/lots/wm-2020-a/sampling-plans/p-a/results', inspector, 409, results(plan, 0));
      assert.is(final.code, 'ALREADY_DECIDED');

      const toRotate = await call(app, 'GET', '/v1/lots/wm-2020-a?at=2026-11-25', owner, 200);
      assert.equal([toRotate.status.state, toRotate.plans[0].result.decision], ['to_rotate', 'reject']);
      const before = await call(app, 'GET', '/v1/lots/wm-2020-a?at=2026-11-19', owner, 200);
      assert.equal([before.status.state, before.plans[0].result], ['under_sampling', null], 'the decision is not known before its day');

      const svg = await call(app, 'GET', '/v1/lots/wm-2020-a/sampling-plans/p-a/oc.svg?lq=0.05', owner, 200);
      assert.match(svg, /^<svg/);
      assert.match(svg, /producer&#39;s risk|producer's risk/);
      assert.match(svg, /consumer's risk/);

      await call(app, 'POST', '/v1/lots/wm-2020-a/rotation', owner, 201, { rotatedOn: '2026-11-24', remarks: '整批更换' });
      const rotated = await call(app, 'GET', '/v1/lots/wm-2020-a?at=2026-11-25', owner, 200);
      assert.is(rotated.status.state, 'rotated');

      try {
        await db.transaction(async (tx) => {
          await tx.execute(sql`update lot_sampling_results set decision = 'accept' where plan_id = 'p-a'`);
        });
        assert.unreachable('the update must be refused');
      } catch (e) {
        assert.match(String((e as Error).message) + String((e as { cause?: Error }).cause?.message), /APPEND_ONLY/);
      }
      const ledger = await call(app, 'GET', '/v1/ledger/verify', await keyFor('admin'), 200);
      assert.equal([ledger.valid, ledger.unledgered.count], [true, 0], JSON.stringify(ledger));
      for (const kind of ['meter_lot', 'lot_sampling_plan', 'lot_sampling_result', 'lot_rotation']) {
        assert.is(await countOf(db, `select count(*)::int as n from ledger where kind = '${kind}'`), 1, kind);
      }
      assert.is(await countOf(db, "select count(*)::int as n from meter_lot_members where lot_id = 'wm-2020-a'"), 1500);
    }));

  it("the switching rules run over the owner's lots of the same model: two not accepted → tightened", () =>
    withApp(database, async ({ app, keyFor }) => {
      const owner = await keyFor('owner', 'city-market');
      const inspector = await keyFor('inspector', 'city-samr');
      for (const [i, id] of ['wm-a', 'wm-b', 'wm-c'].entries()) await call(app, 'POST', '/v1/lots', owner, 201, lotOfMeters(id, 1 + i * 1500, 1500 + i * 1500));
      const a = await call(app, 'POST', '/v1/lots/wm-a/sampling-plans', inspector, 201, { id: 'p-1', plannedOn: '2026-10-01', seed: 's1', aql: '1.0' });
      await call(app, 'POST', '/v1/lots/wm-a/sampling-plans/p-1/results', inspector, 201, results(a, 4, '2026-10-10'));
      const b = await call(app, 'POST', '/v1/lots/wm-b/sampling-plans', inspector, 201, { id: 'p-2', plannedOn: '2026-10-20', seed: 's2', aql: '1.0' });
      assert.equal([b.severity, b.scheme.lotsInHistory], ['normal', 1]);
      await call(app, 'POST', '/v1/lots/wm-b/sampling-plans/p-2/results', inspector, 201, results(b, 5, '2026-10-30'));
      const c = await call(app, 'POST', '/v1/lots/wm-c/sampling-plans', inspector, 201, { id: 'p-3', plannedOn: '2026-11-05', seed: 's3', aql: '1.0' });
      // Table 2-B, K at AQL 1.0: 125, Ac 2, Re 3
      assert.equal([c.severity, c.sampleSize, c.acceptance, c.rejection], ['tightened', 125, 2, 3]);
      assert.match(c.scheme.reason, /2 of the last 2 consecutive lots on normal inspection were not accepted/);
    }));

  it('a small lot is inspected in full; bad requests name the field', () =>
    withApp(database, async ({ app, keyFor }) => {
      const owner = await keyFor('owner', 'city-market');
      const inspector = await keyFor('inspector', 'city-samr');
      await call(app, 'POST', '/v1/lots', owner, 201, lotOfMeters('wm-small', 1, 10));
      const p = await call(app, 'POST', '/v1/lots/wm-small/sampling-plans', inspector, 201, { plannedOn: '2026-11-02', seed: 's', aql: '0.65' });
      assert.equal([p.tableSampleSize, p.sampleSize, p.hundredPercent], [20, 10, true]);
      const badAql = await call(app, 'POST', '/v1/lots/wm-small/sampling-plans', inspector, 400, { plannedOn: '2026-11-02', seed: 's', aql: '0.7' });
      assert.is(badAql.path, '/aql');
      const badCategory = await call(app, 'POST', '/v1/lots', owner, 400, { ...lotOfMeters('wm-z', 1, 5), category: 'MV999' });
      assert.equal([badCategory.code, badCategory.path], ['UNKNOWN_REFERENCE', '/category']);
      const tables = await call(app, 'GET', '/v1/sampling/tables', owner, 200);
      assert.match(tables.confidence.reduced, /not used for plans/);
    }));

  it.run();
}
