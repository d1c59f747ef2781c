/**
 * Supervision through HTTP (issue #20): an in-use inspection that prohibits
 * use turns the public label to 不得使用 at once and a later passed
 * verification clears it; a double-random plan drawn, re-drawn from what is
 * published, closed and disclosed without personal data; integrity grades
 * with their reasons; who may do what. On PGlite and (with DATABASE_URL)
 * PostgreSQL; the ledger verifies after every kind.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { redraw, type PublishedPlan } from '../../src/app/supervision.ts';
import { hmacSha256Hex, sha256Hex } from '../../src/runtime/digests.ts';
import { countOf, testDatabases } from '../helpers/db.ts';
import { SUSPENDED_SCALE, withApp } from '../helpers/app.ts';

const as = (token: string) => ({ authorization: `Bearer ${token}` });

async function call(app: FastifyInstance, method: 'GET' | 'POST', url: string, token: string | null, status: number, payload?: object) {
  const res = await app.inject({ method, url, headers: token === null ? { authorization: undefined } : as(token), ...(payload ? { payload } : {}) });
  assert.is(res.statusCode, status, `${method} ${url}: ${res.body.slice(0, 600)}`);
  return /json/.test(res.headers['content-type']?.toString() ?? '') ? res.json() : res.body;
}

const brokenSeal = {
  equipmentId: 'scale-stall-17',
  inspectedOn: '2026-11-20',
  inspectors: ['张检查', '李检查'],
  findings: { labelPresent: true, labelMatches: true, sealIntact: false, points: [{ nominal: '10', indication: '10.005', unit: 'kg', inUseMpe: '0.010' }] },
  photos: ['a'.repeat(64)],
};

for (const database of testDatabases()) {
  const it = suite(`supervision (#20) on ${database.name}`);

  it('a prohibition turns the public label to 不得使用 at once; a passed verification after it clears it', () =>
    withApp(database, async ({ app, db, keyFor }) => {
      const inspector = await keyFor('inspector', 'city-samr');
      const label = async () => call(app, 'GET', '/v1/label?certificateNo=XH-JD2026-00317', null, 200);
      assert.equal([(await label()).state, (await label()).usable], ['in_force', true]);

      // an inspector may not call it compliant: the seal is broken
      const lenient = await call(app, 'POST', '/v1/inspections', inspector, 422, { ...brokenSeal, outcome: 'compliant' });
      assert.equal([lenient.code, lenient.path], ['OUTCOME_CONTRADICTS_FINDINGS', '/outcome']);
      assert.is(await countOf(db, 'select count(*)::int as n from in_use_inspections'), 0);

      const recorded = await call(app, 'POST', '/v1/inspections', inspector, 201, brokenSeal);
      assert.equal(
        [recorded.outcome, recorded.reasons, recorded.verificationState, recorded.organisationId],
        ['prohibited', ['seal_broken'], 'in_force', 'city-market'],
      );
      assert.equal(recorded.points[0], {
        nominal: '10',
        indication: '10.005',
        unit: 'kg',
        error: '0.005',
        inUseMpe: '0.010',
        mpeSource: 'stated',
        withinMpe: true,
      });
      const prohibited = await label();
      assert.equal([prohibited.state, prohibited.usable], ['use_prohibited', false], JSON.stringify(prohibited));
      assert.match(prohibited.verdict.zh, /责令停止使用，不得使用/);
      const before = await call(app, 'GET', '/v1/label?certificateNo=XH-JD2026-00317&at=2026-11-19', null, 200);
      assert.equal([before.state, before.usable], ['in_force', true], 'the day before the inspection it was usable');
      const due = await call(app, 'GET', '/v1/due?from=2026-11-25&to=2026-11-25', inspector, 200);
      assert.ok(
        due.items.some((i: { equipmentId: string; state: string }) => i.equipmentId === 'scale-stall-17' && i.state === 'use_prohibited'),
        'a prohibited instrument is due at once',
      );

      // the owner may not lift it by an event of its own
      const owner = await keyFor('owner', 'city-market');
      const forged = await call(app, 'POST', '/v1/equipment/scale-stall-17/events', owner, 403, {
        kind: 'use_prohibited',
        effectiveOn: '2026-11-21',
        reason: 'x',
      });
      assert.is(forged.code, 'FORBIDDEN');

      // a verification performed after the inspection, passed, clears it
      const station = await keyFor('lab', 'district-station');
      await call(app, 'POST', '/v1/calibrations', station, 201, {
        kind: 'verification',
        subjectId: 'scale-stall-17',
        labId: 'district-station',
        referenceIds: ['district-f1-set'],
        certificateNo: 'XH-JD2026-01717',
        performedOn: '2026-11-22',
        validUntil: '2027-11-21',
        conformity: 'pass',
        points: [{ nominal: '15', asFound: '15.005', unit: 'kg' }],
      });
      const cleared = await label();
      assert.equal([cleared.state, cleared.usable, cleared.certificateNo], ['in_force', true, 'XH-JD2026-01717'], JSON.stringify(cleared));

      const listed = await call(app, 'GET', '/v1/equipment/scale-stall-17/inspections', owner, 200);
      assert.equal(
        listed.items.map((i: { id: string }) => i.id),
        [recorded.id],
        'the owner reads the findings on its instrument',
      );
      const ledger = await call(app, 'GET', '/v1/ledger/verify', await keyFor('admin'), 200);
      assert.equal([ledger.valid, ledger.unledgered.count], [true, 0], JSON.stringify(ledger));
      assert.is(await countOf(db, "select count(*)::int as n from ledger where kind = 'in_use_inspection'"), 1);
      assert.is(await countOf(db, "select count(*)::int as n from equipment_events where kind = 'use_prohibited'"), 1);
    }));

  it('a missing label is rectified by a date; only inspectors record inspections; bad input stores nothing', () =>
    withApp(database, async ({ app, db, keyFor }) => {
      const inspector = await keyFor('inspector', 'city-samr');
      const noLabel = {
        ...brokenSeal,
        equipmentId: 'scale-stall-42',
        inspectedOn: '2026-10-10',
        findings: { labelPresent: false, labelMatches: null, sealIntact: true, points: [] },
      };
      const r = await call(app, 'POST', '/v1/inspections', inspector, 201, noLabel);
      assert.equal([r.outcome, r.reasons, r.rectifyBy], ['rectify', ['label_missing'], '2026-10-25']);
      assert.equal(r.outcomeName, { zh: '限期整改', en: 'rectify by a date' });
      const lab = await keyFor('lab', 'district-station');
      assert.is((await call(app, 'POST', '/v1/inspections', lab, 403, noLabel)).code, 'FORBIDDEN');
      const owner = await keyFor('owner', 'city-market');
      assert.is((await call(app, 'POST', '/v1/inspections', owner, 403, noLabel)).code, 'FORBIDDEN');
      const bad = [
        [{ ...noLabel, inspectedOn: '2026-12-31' }, 'DATE_IN_FUTURE', '/inspectedOn'],
        [{ ...noLabel, equipmentId: 'no-such' }, 'UNKNOWN_REFERENCE', '/equipmentId'],
        [{ ...noLabel, photos: ['not-a-digest'] }, 'INVALID_FIELD', '/photos/0'],
        [
          { ...noLabel, findings: { ...noLabel.findings, points: [{ nominal: '1', indication: '1', unit: 'kg' }] } },
          'MISSING_FIELD',
          '/findings/points/0/inUseMpe',
        ],
        [{ ...noLabel, outcome: 'rectify', rectifyBy: '2026-10-01' }, 'INVALID_RANGE', '/rectifyBy'],
        [{ ...noLabel, inspectors: [] }, 'MISSING_FIELD', '/inspectors'],
      ] as const;
      for (const [body, code, path] of bad) {
        const p = await call(
          app,
          'POST',
          '/v1/inspections',
          inspector,
          code === 'DATE_IN_FUTURE' || code === 'UNKNOWN_REFERENCE' || code === 'INVALID_FIELD' || code === 'MISSING_FIELD' || code === 'INVALID_RANGE'
            ? 400
            : 422,
          body,
        );
        assert.equal([p.code, p.path], [code, path], JSON.stringify(p));
      }
      assert.is(await countOf(db, 'select count(*)::int as n from in_use_inspections'), 1);
    }));

  it('a plan drawn over the registry re-draws from what is published; closed, its results are public without inspectors', () =>
    withApp(database, async ({ app, keyFor }) => {
      const inspector = await keyFor('inspector', 'city-samr');
      const plan = {
        title: '2026年第四季度在用强检计量器具双随机抽查',
        drawDate: '2026-11-25',
        seed: '2026-11-25 福利彩票 3D 第2026315期 开奖号码 4 0 7',
        filter: { region: '31' },
        stratifyBy: 'region',
        sample: { rate: '0.5' },
        inspectors: [
          { id: 'insp-zhang', regions: ['310104'], conflicts: ['city-hospital'] },
          { id: 'insp-li', regions: [] },
          { id: 'insp-wang', regions: [], conflicts: [] },
          { id: 'insp-zhao', regions: ['310101', '310113'] },
        ],
      };
      const owner = await keyFor('owner', 'city-market');
      assert.is((await call(app, 'POST', '/v1/spot-checks', owner, 403, plan)).code, 'FORBIDDEN');
      const drawn = await call(app, 'POST', '/v1/spot-checks', inspector, 201, plan);
      assert.ok(drawn.populationSize > 5, `population ${drawn.populationSize}`);
      assert.ok(drawn.result.targets.length > 0);
      for (const t of drawn.result.targets) {
        assert.is(t.inspectors.length, 2, JSON.stringify(t));
        if (t.organisationId === 'city-hospital') assert.not.ok(t.inspectors.includes('insp-zhang'), 'conflict');
      }
      // the whole plan as published draws again to the same targets and inspectors
      const published = (await call(app, 'GET', `/v1/spot-checks/${drawn.id}/plan.json`, inspector, 200)) as unknown as PublishedPlan;
      const again = redraw(typeof published === 'string' ? JSON.parse(published) : published, hmacSha256Hex, sha256Hex);
      assert.equal(again.differences, []);
      const tampered = { ...published, population: published.population.slice(1) };
      assert.match(redraw(tampered, hmacSha256Hex, sha256Hex).differences[0]!, /the population was changed/);

      // an inspection under the plan, then the plan closed and disclosed
      const target = drawn.result.targets[0];
      await call(app, 'POST', '/v1/inspections', inspector, 201, {
        equipmentId: target.unitId,
        inspectedOn: '2026-11-25',
        inspectors: target.inspectors,
        planId: drawn.id,
        findings: { labelPresent: true, labelMatches: true, sealIntact: null, points: [] },
        outcome: 'prohibited',
        remarks: 'instrument used outside its approved range',
      });
      assert.is((await call(app, 'GET', `/v1/public/spot-checks/${drawn.id}`, null, 404)).code, 'NOT_FOUND', 'nothing is public before closing');
      await call(app, 'POST', `/v1/spot-checks/${drawn.id}/close`, inspector, 204, { closedOn: '2026-11-25' });
      const disclosed = await call(app, 'GET', `/v1/public/spot-checks/${drawn.id}`, null, 200);
      assert.is(disclosed.targets.length, drawn.result.targets.length);
      assert.equal([disclosed.targets[0].unitId, disclosed.targets[0].outcome], [target.unitId, 'prohibited']);
      assert.not.ok(JSON.stringify(disclosed).includes('insp-'), 'no inspector is named in public');
      const tsv = (await app.inject({ method: 'GET', url: `/v1/public/spot-checks/${drawn.id}/population.tsv` })).body;
      assert.is(createHash('sha256').update(tsv, 'utf8').digest('hex'), drawn.populationHash);
      const csv = (await app.inject({ method: 'GET', url: `/v1/public/spot-checks/${drawn.id}/results.csv` })).body;
      assert.ok(csv.startsWith('\uFEFF'), 'a byte-order mark for Excel');
      assert.match(csv, /责令停止使用/);
      const page = await app.inject({ method: 'GET', url: `/v1/spot-checks/${drawn.id}/report.html`, headers: as(inspector) });
      assert.is(page.statusCode, 200);
      assert.match(page.body, /责令停止使用/);
      assert.match(page.body, new RegExp(drawn.populationHash));
      assert.not.match(page.body, /style=|<script/, 'no inline style or script: the CSP allows neither');
      const ledger = await call(app, 'GET', '/v1/ledger/verify', await keyFor('admin'), 200);
      assert.equal([ledger.valid, ledger.unledgered.count], [true, 0], JSON.stringify(ledger));
    }));

  it("a grade's instrument counts are the statuses of the organisation's own instruments, by itself and in its region's list", () =>
    withApp(database, async ({ app, keyFor }) => {
      const inspector = await keyFor('inspector', 'city-samr');
      // registered as suspended, with no event: withdrawn, so in neither count
      await call(app, 'POST', '/v1/equipment', await keyFor('admin'), 201, { ...SUSPENDED_SCALE });
      const instruments: string[] = [];
      for (let cursor: string | null = ''; cursor !== null; ) {
        const page = await call(app, 'GET', `/v1/equipment?level=working_instrument&limit=200${cursor ? `&cursor=${cursor}` : ''}`, inspector, 200);
        instruments.push(...page.items.map((e: { id: string }) => e.id));
        cursor = page.nextCursor;
      }
      for (const at of ['2025-06-30', '2026-11-25', '2027-06-30']) {
        // independently: every instrument's own status on the day, by its owner then
        const expected = new Map<string, [number, number, number]>();
        for (const id of instruments) {
          const st = await call(app, 'GET', `/v1/equipment/${id}/status?at=${at}`, inspector, 200);
          if (!st.mandatory || st.state === 'withdrawn') continue;
          const c = expected.get(st.ownerId) ?? [0, 0, 0];
          c[0]++;
          if (!['in_force', 'due_soon'].includes(st.state)) c[1]++;
          if (st.state === 'suspect') c[2]++;
          expected.set(st.ownerId, c);
        }
        const region = await call(app, 'GET', `/v1/integrity?region=31&at=${at}`, inspector, 200);
        assert.ok(region.items.length >= 3, JSON.stringify(region.items.map((g: { organisationId: string }) => g.organisationId)));
        for (const g of region.items as Array<{ organisationId: string; facts: { mandatoryInstruments: number; notUsable: number; suspect: number } }>) {
          const facts = [g.facts.mandatoryInstruments, g.facts.notUsable, g.facts.suspect];
          assert.equal(facts, expected.get(g.organisationId) ?? [0, 0, 0], `${g.organisationId} at ${at}`);
          const own = await call(app, 'GET', `/v1/organisations/${g.organisationId}/integrity?at=${at}`, inspector, 200);
          assert.equal([own.facts.mandatoryInstruments, own.facts.notUsable, own.facts.suspect], facts, `${g.organisationId} at ${at}: alone as in its region`);
        }
        assert.ok(
          [...expected.values()].some((c) => c[1] > 0),
          `some instrument may not be used on ${at}: the test sees a non-zero count`,
        );
      }
    }));

  it('integrity grades carry their reasons; measures by the organisation and by its regulator; the public sees listings', () =>
    withApp(database, async ({ app, keyFor }) => {
      const inspector = await keyFor('inspector', 'city-samr');
      const owner = await keyFor('owner', 'city-market');
      const first = await call(app, 'GET', '/v1/organisations/city-market/integrity?at=2026-11-25', owner, 200);
      assert.ok(['A', 'B', 'C', 'D'].includes(first.grade));
      assert.ok(
        first.reasons.some((r: { fact: string }) => r.fact === 'noCommitment'),
        JSON.stringify(first.reasons),
      );
      assert.is(first.history.length, 4);
      await call(app, 'POST', '/v1/organisations/city-market/integrity-measures', owner, 201, { kind: 'commitment', decidedOn: '2026-11-01' });
      const committed = await call(app, 'GET', '/v1/organisations/city-market/integrity?at=2026-11-25', owner, 200);
      assert.not.ok(committed.reasons.some((r: { fact: string }) => r.fact === 'noCommitment'));

      await call(app, 'POST', '/v1/inspections', inspector, 201, brokenSeal);
      const after = await call(app, 'GET', '/v1/organisations/city-market/integrity?at=2026-11-25', inspector, 200);
      assert.ok(['C', 'D'].includes(after.grade), after.grade);
      assert.ok(
        after.reasons.some((r: { fact: string; grade: string }) => r.fact === 'prohibited' && r.grade === 'C'),
        JSON.stringify(after.reasons),
      );

      assert.is(
        (await call(app, 'POST', '/v1/organisations/city-market/integrity-measures', owner, 403, { kind: 'listed', decidedOn: '2026-11-24', reason: 'x' }))
          .code,
        'FORBIDDEN',
      );
      assert.is(
        (await call(app, 'POST', '/v1/organisations/city-market/integrity-measures', inspector, 409, { kind: 'removed', decidedOn: '2026-11-24', reason: 'x' }))
          .code,
        'INVALID_TRANSITION',
      );
      await call(app, 'POST', '/v1/organisations/city-market/integrity-measures', inspector, 201, {
        kind: 'listed',
        decidedOn: '2026-11-24',
        reason: '伪造检定合格证',
      });
      const listedGrade = await call(app, 'GET', '/v1/organisations/city-market/integrity?at=2026-11-25', owner, 200);
      assert.is(listedGrade.grade, 'D');
      const publicList = await call(app, 'GET', '/v1/public/integrity/listed?region=31&at=2026-11-25', null, 200);
      assert.equal(
        publicList.items.map((i: { organisationId: string; reason: string }) => [i.organisationId, i.reason]),
        [['city-market', '伪造检定合格证']],
      );
      const region = await call(app, 'GET', '/v1/integrity?region=31&at=2026-11-25&grade=D', inspector, 200);
      assert.ok(region.items.some((g: { organisationId: string }) => g.organisationId === 'city-market'));
      for (const g of region.items)
        assert.ok(g.grade === 'D' && g.reasons[0].grade === 'D', `every D carries the rule that set it: ${JSON.stringify(g.reasons)}`);
      assert.is(region.distribution.D, region.items.length);
      const whole = await call(app, 'GET', '/v1/integrity?region=31&at=2026-11-25', inspector, 200);
      assert.equal(region.distribution, whole.distribution, "the distribution is the region's, not the filtered list's");
      const chart = await app.inject({ method: 'GET', url: '/v1/integrity.svg?region=31&at=2026-11-25', headers: as(inspector) });
      assert.equal([chart.statusCode, chart.headers['content-type']], [200, 'image/svg+xml; charset=utf-8']);
      assert.match(chart.body, /<svg[\s\S]*诚信计量分级 · 31 · 2026-11-25[\s\S]*organisations graded/);
      assert.is((await call(app, 'GET', '/v1/integrity.svg?region=11', inspector, 403)).code, 'FORBIDDEN', 'outside its region');
      // an owner reads its own grade only
      const other = await keyFor('owner', 'city-hospital');
      assert.is((await call(app, 'GET', '/v1/organisations/city-market/integrity', other, 403)).code, 'FORBIDDEN');
      const ledger = await call(app, 'GET', '/v1/ledger/verify', await keyFor('admin'), 200);
      assert.equal([ledger.valid, ledger.unledgered.count], [true, 0], JSON.stringify(ledger));
    }));

  it.run();
}
