/**
 * The life of an equipment (issue #18, part 1): a renewed 计量标准考核证书
 * clears ASSESSMENT_EXPIRED from its effective date, a suspension stops a
 * standard being used and a resumption ends it, a transfer changes who may
 * speak for the instrument; a history that cannot have happened is refused
 * with nothing stored. On PGlite and (with DATABASE_URL) PostgreSQL.
 */
import type { FastifyInstance } from 'fastify';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { countOf } from '../helpers/db.ts';
import { withApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';

const as = (token: string) => ({ authorization: `Bearer ${token}` });

async function call(app: FastifyInstance, method: 'GET' | 'POST', url: string, token: string, status: number, payload?: object) {
  const res = await app.inject({ method, url, headers: as(token), ...(payload ? { payload } : {}) });
  assert.is(res.statusCode, status, `${method} ${url}: ${res.body.slice(0, 500)}`);
  return res.json();
}

/** A second F1 set of the district station whose assessment certificate ran out on 2026-06-30, verified in force, and a market scale. */
async function setUp(app: FastifyInstance, admin: string): Promise<void> {
  await call(app, 'POST', '/v1/equipment', admin, 201, {
    id: 'district-f1-set-b',
    ownerId: 'district-station',
    name: 'F1 weight set B',
    quantity: 'mass',
    range: { min: '0.001', max: '20', unit: 'kg' },
    accuracy: { kind: 'class', accuracyClass: 'F1' },
    level: 'working_standard',
    assessment: { certificateNo: '[2021]沪徐量标证字第0009号', validFrom: '2021-07-01', validUntil: '2026-06-30' },
  });
  await call(app, 'POST', '/v1/calibrations', admin, 201, {
    kind: 'verification',
    subjectId: 'district-f1-set-b',
    labId: 'city-institute',
    referenceIds: ['city-e1-set'],
    certificateNo: 'SIMT-JD2026-1099',
    performedOn: '2026-10-30',
    validUntil: '2027-10-29',
    conformity: 'pass',
    points: [{ nominal: '20', asFound: '20.000020', expandedUncertainty: '0.000034', coverageFactor: '2', unit: 'kg' }],
  });
  await call(app, 'POST', '/v1/equipment', admin, 201, {
    id: 'scale-stall-88',
    ownerId: 'city-market',
    name: 'Price-computing scale, stall 88',
    quantity: 'mass',
    range: { min: '0.04', max: '30', unit: 'kg' },
    accuracy: { kind: 'class', accuracyClass: 'III' },
    level: 'working_instrument',
    category: 'MV016',
    usage: 'trade_settlement',
  });
}

const verification = (n: number, on: string) => ({
  kind: 'verification',
  subjectId: 'scale-stall-88',
  labId: 'district-station',
  referenceIds: ['district-f1-set-b'],
  certificateNo: `XH-JD2026-0880${n}`,
  performedOn: on,
  validUntil: '2027-11-19',
  conformity: 'pass',
});

for (const database of testDatabases()) {
  const it = suite(`equipment events (#18, part 1) on ${database.name}`);

  it('a renewed assessment certificate clears ASSESSMENT_EXPIRED from its effective date; a suspension stops use until resumed', () =>
    withApp(database, async ({ app, keyFor }) => {
      const admin = await keyFor('admin');
      const station = await keyFor('lab', 'district-station');
      await setUp(app, admin);
      const expired = await call(app, 'POST', '/v1/calibrations', station, 400, verification(1, '2026-11-20'));
      assert.equal([expired.code, expired.path], ['REFERENCE_NOT_VALID', '/referenceIds/0']);
      assert.match(expired.detail, /valid 2021-07-01 to 2026-06-30/);

      const renewal = {
        kind: 'assessment_renewed',
        effectiveOn: '2026-07-01',
        assessment: { certificateNo: '[2026]沪徐量标证字第0031号', validFrom: '2026-07-01', validUntil: '2031-06-30' },
      };
      const event = await call(app, 'POST', '/v1/equipment/district-f1-set-b/events', station, 201, renewal);
      assert.equal([event.kind, event.assessment.certificateNo], ['assessment_renewed', '[2026]沪徐量标证字第0031号']);
      await call(app, 'POST', '/v1/calibrations', station, 201, verification(1, '2026-11-20'));
      const trace = await call(app, 'GET', '/v1/equipment/scale-stall-88/traceability?at=2026-11-25', admin, 200);
      assert.is(trace.traceable, true, JSON.stringify(trace.findings));
      // the state on a day: before the renewal the old certificate, after it the new
      const june = await call(app, 'GET', '/v1/equipment/district-f1-set-b/state?at=2026-06-15', station, 200);
      const now = await call(app, 'GET', '/v1/equipment/district-f1-set-b/state', station, 200);
      assert.equal([june.equipment.assessment.validUntil, now.equipment.assessment.validUntil, now.at], ['2026-06-30', '2031-06-30', '2026-11-25']);

      // a failed 期间核查: suspended, its use refused, until resumed
      await call(app, 'POST', '/v1/equipment/district-f1-set-b/events', station, 201, {
        kind: 'suspended',
        effectiveOn: '2026-11-21',
        reason: '期间核查 failed at 20 kg',
      });
      const suspended = await call(app, 'POST', '/v1/calibrations', station, 400, verification(2, '2026-11-22'));
      assert.match(suspended.detail, /suspended/);
      await call(app, 'POST', '/v1/equipment/district-f1-set-b/events', station, 201, {
        kind: 'resumed',
        effectiveOn: '2026-11-23',
        reason: 'recalibrated, back within MPE',
      });
      await call(app, 'POST', '/v1/calibrations', station, 201, verification(3, '2026-11-24'));
      const history = await call(app, 'GET', '/v1/equipment/district-f1-set-b/events', admin, 200);
      assert.equal(
        history.items.map((e: { kind: string }) => e.kind),
        ['assessment_renewed', 'suspended', 'resumed'],
      );

      // the scale, verified on 11-24, is repaired on 11-25: its verification no longer covers it
      const market = await keyFor('owner', 'city-market');
      const label = async () =>
        (await app.inject({ method: 'GET', url: '/v1/label?certificateNo=XH-JD2026-08803', headers: { authorization: undefined } })).json();
      assert.equal([(await label()).state, (await label()).usable], ['in_force', true]);
      const due = async () =>
        (await call(app, 'GET', '/v1/due?from=2026-11-25&to=2026-12-31', admin, 200)).items
          .filter((i: { equipmentId: string }) => i.equipmentId === 'scale-stall-88')
          .map((i: { state: string }) => i.state);
      assert.equal(await due(), [], 'verified on 11-24, not due this year');
      await call(app, 'POST', '/v1/equipment/scale-stall-88/events', market, 201, {
        kind: 'repaired',
        effectiveOn: '2026-11-25',
        reason: 'load cell replaced',
      });
      const repaired = await label();
      assert.equal([repaired.state, repaired.usable], ['reverification_required', false], JSON.stringify(repaired));
      assert.match(repaired.verdict.zh, /须重新检定后方可使用/);
      assert.equal(await due(), ['reverification_required'], 'a repaired instrument is due at once');
      const before = (
        await app.inject({ method: 'GET', url: '/v1/label?certificateNo=XH-JD2026-08803&at=2026-11-24', headers: { authorization: undefined } })
      ).json();
      assert.equal([before.state, before.usable], ['in_force', true], 'the day before the repair it was usable');
      // scrapped: withdrawn, whatever its certificate says
      await call(app, 'POST', '/v1/equipment/scale-stall-88/events', market, 201, {
        kind: 'scrapped',
        effectiveOn: '2026-11-25',
        reason: 'beyond repair after all',
      });
      const scrapped = await call(app, 'GET', '/v1/equipment/scale-stall-88/status', admin, 200);
      assert.equal([scrapped.state, scrapped.usable], ['withdrawn', false]);
      assert.match(scrapped.message, /scrapped \(报废\) on 2026-11-25/);
      assert.equal(await due(), [], 'a scrapped instrument leaves the due list');
    }));

  it('a history that cannot have happened is refused, with nothing stored', () =>
    withApp(database, async ({ app, db, keyFor }) => {
      const admin = await keyFor('admin');
      const _station = await keyFor('lab', 'district-station');
      const market = await keyFor('owner', 'city-market');
      await setUp(app, admin);
      const count = () => countOf(db, 'select count(*)::int as n from equipment_events');
      const demoEvents = await count(); // the demo's own events
      const refused: Array<[string, string, object, number, string, string]> = [
        ['a resumption without a suspension', 'district-f1-set-b', { kind: 'resumed', effectiveOn: '2026-11-01' }, 409, 'INVALID_TRANSITION', '/kind'],
        [
          'a renewal that does not extend the validity',
          'district-f1-set-b',
          { kind: 'assessment_renewed', effectiveOn: '2026-07-01', assessment: { certificateNo: 'X-1', validFrom: '2021-07-01', validUntil: '2026-05-31' } },
          400,
          'INVALID_FIELD',
          '/assessment/validUntil',
        ],
        [
          'a transfer to an unknown owner',
          'scale-stall-88',
          { kind: 'transferred', effectiveOn: '2026-11-01', newOwnerId: 'nobody-here' },
          400,
          'UNKNOWN_REFERENCE',
          '/newOwnerId',
        ],
        [
          'a change dated after today',
          'scale-stall-88',
          { kind: 'relocated', effectiveOn: '2026-12-24', location: 'stall 90' },
          400,
          'DATE_IN_FUTURE',
          '/effectiveOn',
        ],
        ['a suspension without a reason', 'district-f1-set-b', { kind: 'suspended', effectiveOn: '2026-11-01' }, 400, 'MISSING_FIELD', '/reason'],
        [
          'a renewal of a working instrument',
          'scale-stall-88',
          { kind: 'assessment_renewed', effectiveOn: '2026-11-01', assessment: { certificateNo: 'X-2', validFrom: '2026-11-01', validUntil: '2031-10-31' } },
          409,
          'INVALID_TRANSITION',
          '/kind',
        ],
        [
          'a field of another kind',
          'scale-stall-88',
          { kind: 'retired', effectiveOn: '2026-11-01', reason: 'old', newOwnerId: 'city-hospital' },
          400,
          'INVALID_FIELD',
          '/newOwnerId',
        ],
      ];
      for (const [what, id, body, status, code, path] of refused) {
        const p = await call(app, 'POST', `/v1/equipment/${id}/events`, admin, status, body);
        assert.equal([p.code, p.path], [code, path], `${what}: ${p.detail}`);
      }
      // only the owner on the day speaks for the instrument
      const foreign = await call(app, 'POST', '/v1/equipment/district-f1-set-b/events', market, 403, {
        kind: 'relocated',
        effectiveOn: '2026-11-01',
        location: 'market',
      });
      assert.match(foreign.detail, /only its owner on 2026-11-01 \('district-station'\) or an admin/);
      assert.is(await count(), demoEvents, 'nothing was stored');

      // a transfer: from its effective date the new owner speaks for it, the old one no longer
      await call(app, 'POST', '/v1/equipment/scale-stall-88/events', market, 201, {
        kind: 'transferred',
        effectiveOn: '2026-11-10',
        newOwnerId: 'city-hospital',
      });
      await call(app, 'POST', '/v1/equipment/scale-stall-88/events', market, 403, { kind: 'relocated', effectiveOn: '2026-11-12', location: 'stall 90' });
      const hospital = await keyFor('owner', 'city-hospital');
      await call(app, 'POST', '/v1/equipment/scale-stall-88/events', hospital, 201, {
        kind: 'relocated',
        effectiveOn: '2026-11-12',
        location: 'hospital pharmacy',
      });
      const before = await call(app, 'GET', '/v1/equipment/scale-stall-88/state?at=2026-11-09', admin, 200);
      const after = await call(app, 'GET', '/v1/equipment/scale-stall-88/state?at=2026-11-25', admin, 200);
      assert.equal([before.equipment.ownerId, after.equipment.ownerId, after.location], ['city-market', 'city-hospital', 'hospital pharmacy']);
      // and reads the instrument; the market no longer does
      await call(app, 'GET', '/v1/equipment/scale-stall-88/status', hospital, 200);
      await call(app, 'GET', '/v1/equipment/scale-stall-88/status', market, 403);
      const late = await call(app, 'POST', '/v1/equipment/scale-stall-88/events', admin, 409, { kind: 'repaired', effectiveOn: '2026-11-11' });
      assert.is(late.code, 'EVENT_OUT_OF_ORDER');
      // scrapped is final
      await call(app, 'POST', '/v1/equipment/scale-stall-88/events', hospital, 201, {
        kind: 'scrapped',
        effectiveOn: '2026-11-20',
        reason: 'load cell broken beyond repair',
      });
      const gone = await call(app, 'POST', '/v1/equipment/scale-stall-88/events', admin, 409, { kind: 'resumed', effectiveOn: '2026-11-21' });
      assert.match(gone.detail, /scrapped on 2026-11-20/);
      const state = await call(app, 'GET', '/v1/equipment/scale-stall-88/state?at=2026-11-25', admin, 200);
      assert.equal([state.equipment.status, state.scrappedOn], ['retired', '2026-11-20']);
      assert.is(await count(), demoEvents + 3);
      // every event is in the ledger, and the ledger verifies
      const ledger = await call(app, 'GET', '/v1/ledger/verify', admin, 200);
      assert.equal([ledger.valid, ledger.broken, ledger.unledgered.count], [true, null, 0], JSON.stringify(ledger));
      const entered = await countOf(db, "select count(*)::int as n from ledger where kind = 'equipment_event'");
      assert.is(entered, demoEvents + 3);
    }));

  it('seal broken, retired, relocated and a suspended standard: each read before and after its date, the ledger verified after each', () =>
    withApp(database, async ({ app, keyFor }) => {
      const admin = await keyFor('admin');
      const station = await keyFor('lab', 'district-station');
      const market = await keyFor('owner', 'city-market');
      await setUp(app, admin);
      await call(app, 'POST', '/v1/equipment/district-f1-set-b/events', station, 201, {
        kind: 'assessment_renewed',
        effectiveOn: '2026-07-01',
        assessment: { certificateNo: '[2026]沪徐量标证字第0031号', validFrom: '2026-07-01', validUntil: '2031-06-30' },
      });
      await call(app, 'POST', '/v1/calibrations', station, 201, verification(1, '2026-11-18'));
      const ledgerHolds = async (after: string) => {
        const ledger = await call(app, 'GET', '/v1/ledger/verify', admin, 200);
        assert.equal([ledger.valid, ledger.broken, ledger.unledgered.count], [true, null, 0], `after ${after}: ${JSON.stringify(ledger)}`);
      };
      const status = async (at: string) => {
        const s = await call(app, 'GET', `/v1/equipment/scale-stall-88/status?at=${at}`, admin, 200);
        return [s.state, s.usable];
      };
      const label = async (at: string) => {
        const l = (await app.inject({ method: 'GET', url: `/v1/label?certificateNo=XH-JD2026-08801&at=${at}` })).json();
        return [l.state, l.usable];
      };
      const due = async (from: string) =>
        (await call(app, 'GET', `/v1/due?from=${from}&to=2026-12-31`, admin, 200)).items
          .filter((i: { equipmentId: string }) => i.equipmentId === 'scale-stall-88')
          .map((i: { state: string }) => i.state);

      // a suspended standard: a verification with it on a day of the suspension is refused, before it accepted
      await call(app, 'POST', '/v1/equipment/district-f1-set-b/events', station, 201, {
        kind: 'suspended',
        effectiveOn: '2026-11-20',
        reason: '期间核查 out of tolerance',
      });
      await ledgerHolds('suspended');
      const refused = await call(app, 'POST', '/v1/calibrations', station, 400, verification(2, '2026-11-21'));
      assert.equal([refused.code, refused.path], ['REFERENCE_NOT_VALID', '/referenceIds/0']);
      const standardBefore = await call(app, 'GET', '/v1/equipment/district-f1-set-b/state?at=2026-11-19', station, 200);
      const standardAfter = await call(app, 'GET', '/v1/equipment/district-f1-set-b/state?at=2026-11-21', station, 200);
      assert.equal([standardBefore.equipment.status, standardAfter.equipment.status], ['in_service', 'suspended']);

      // relocated: the state and the public lookup follow the new place from its date
      await call(app, 'POST', '/v1/equipment/scale-stall-88/events', market, 201, {
        kind: 'relocated',
        effectiveOn: '2026-11-21',
        location: 'hall B, stall 88',
      });
      await ledgerHolds('relocated');
      const placeBefore = await call(app, 'GET', '/v1/equipment/scale-stall-88/state?at=2026-11-20', admin, 200);
      const placeAfter = await call(app, 'GET', '/v1/equipment/scale-stall-88/state?at=2026-11-22', admin, 200);
      assert.equal([placeBefore.location, placeAfter.location], [null, 'hall B, stall 88']);
      assert.equal(await status('2026-11-22'), ['in_force', true], 'moving an instrument does not undo its verification');

      // seal broken: the verification before it no longer covers the scale
      await call(app, 'POST', '/v1/equipment/scale-stall-88/events', market, 201, { kind: 'seal_broken', effectiveOn: '2026-11-23' });
      await ledgerHolds('seal_broken');
      assert.equal(await status('2026-11-22'), ['in_force', true]);
      assert.equal(await label('2026-11-22'), ['in_force', true]);
      assert.equal(await status('2026-11-23'), ['reverification_required', false]);
      assert.equal(await label('2026-11-24'), ['reverification_required', false]);
      assert.equal(await due('2026-11-24'), ['reverification_required'], 'a broken seal makes it due at once');

      // retired: withdrawn from its date, off the due list
      await call(app, 'POST', '/v1/equipment/scale-stall-88/events', market, 201, { kind: 'retired', effectiveOn: '2026-11-24', reason: 'stall closed' });
      await ledgerHolds('retired');
      assert.equal(await status('2026-11-23'), ['reverification_required', false]);
      assert.equal(await status('2026-11-25'), ['withdrawn', false]);
      assert.equal(await label('2026-11-25'), ['withdrawn', false]);
      assert.equal(await due('2026-11-25'), [], 'a retired instrument leaves the due list');
      const again = await call(app, 'POST', '/v1/equipment/scale-stall-88/events', market, 409, {
        kind: 'retired',
        effectiveOn: '2026-11-25',
        reason: 'twice',
      });
      assert.is(again.code, 'INVALID_TRANSITION');
    }));

  it.run();
}
