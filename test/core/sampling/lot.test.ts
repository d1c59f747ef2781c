import { createHash, createHmac } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CalendarDate } from '../../../src/core/dates.ts';
import { Decimal } from '../../../src/core/numeric/decimal.ts';
import {
  compareSamples,
  drawLotSample,
  EXTENSION_MONTHS,
  judgeMeter,
  lotEvents,
  lotLifeEndsOn,
  lotPopulation,
  lotStateAt,
  memberRotation,
  populationDigestText,
  ROTATION_MONTHS,
  serialRange,
} from '../../../src/core/sampling/lot.ts';

const hmac = (key: string, message: string): string => createHmac('sha256', key).update(message).digest('hex');
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const d = (s: string) => s as CalendarDate;

const serials = serialRange('WM', 1, 20, 6, '/r', 100);
const seed = '2026-11-02 福彩3D 517';

test('serial ranges are zero-padded, bounded and ordered', () => {
  assert.equal(serials.slice(0, 2), ['WM000001', 'WM000002']);
  assert.is(serials.length, 20);
  assert.throws(() => serialRange('X', 5, 4, 2, '/r', 100), /runs from a whole number up to a larger one/);
  assert.throws(() => serialRange('X', 1, 1000, 4, '/r', 100), /more than the 100/);
  assert.throws(() => serialRange('X', 1, 100, 2, '/r', 1000), /more than 2 digits/);
});

// Test vector, computed independently with Python's hmac and hashlib when this test was written:
//   hmac.new(seed.encode(), f'target|{s}|0'.encode(), sha256).hexdigest()[:16], largest first
test('the sample is drawn with the keyed draw of the spot checks: a pinned vector', () => {
  const sample = drawLotSample(serials, seed, 5, hmac);
  assert.equal(
    sample.map((m) => [m.key, m.serial]),
    [
      ['f272c4444ecb8561', 'WM000003'],
      ['e55480db68c5de09', 'WM000004'],
      ['dd9f962c2e8bdaf0', 'WM000012'],
      ['c9cfffc7a8f9c84a', 'WM000002'],
      ['c423a8cb610e7550', 'WM000001'],
    ],
  );
  assert.is(sha256(populationDigestText(lotPopulation(serials, 'city-market', '310104'))), '72f6f39daa476f0ca2a21ae98f197011a360ba7840d4d735e1e6eb99b7befa58');
  // the order of the members does not matter; the seed does
  assert.equal(drawLotSample([...serials].reverse(), seed, 5, hmac), sample);
  assert.ok(compareSamples(sample, drawLotSample(serials, 'another seed', 5, hmac)).length > 0);
  assert.equal(compareSamples(sample, sample), []);
  assert.throws(() => drawLotSample(serials, seed, 21, hmac), /cannot be drawn from 20/);
});

test('a meter conforms when |error| ≤ MPE at every point; a stated finding keeps its reason', () => {
  const ok = judgeMeter({ serial: 'a', points: [{ testPoint: 'Q1', error: new Decimal('-5'), mpe: new Decimal('5') }] }, '/m/0');
  assert.equal([ok.conforming, ok.reason], [true, '|error| ≤ MPE at all 1 test points']);
  const bad = judgeMeter(
    {
      serial: 'b',
      points: [
        { testPoint: 'Q1', error: new Decimal('5.01'), mpe: new Decimal('5') },
        { testPoint: 'Q3', error: new Decimal('1'), mpe: new Decimal('2') },
      ],
    },
    '/m/1',
  );
  assert.equal([bad.conforming, bad.reason], [false, 'Q1: |5.01| > 5']);
  assert.equal(judgeMeter({ serial: 'c', conforming: false, reason: 'seal broken' }, '/m/2'), { serial: 'c', conforming: false, reason: 'seal broken' });
  assert.throws(
    () => judgeMeter({ serial: 'd', points: [{ testPoint: 'Q1', error: new Decimal('1'), mpe: new Decimal('0') }] }, '/m/3'),
    /positive half-width/,
  );
});

test('the state of a lot at a date follows its plans, decisions and rotation', () => {
  const facts = {
    registeredOn: d('2026-01-05'),
    plans: [
      { id: 'p1', plannedOn: d('2026-03-01'), result: { recordedOn: d('2026-03-20'), decision: 'accept' as const } },
      { id: 'p2', plannedOn: d('2026-09-01'), result: { recordedOn: d('2026-09-15'), decision: 'reject' as const } },
    ],
    rotatedOn: d('2026-11-01'),
  };
  assert.is(lotStateAt(facts, d('2026-01-04')), null);
  const states = ['2026-01-05', '2026-03-01', '2026-03-20', '2026-08-31', '2026-09-01', '2026-09-15', '2026-11-01'].map(
    (at) => lotStateAt(facts, d(at))!.state,
  );
  assert.equal(states, ['in_service', 'under_sampling', 'extended', 'extended', 'under_sampling', 'to_rotate', 'rotated']);
  assert.match(lotStateAt(facts, d('2026-09-20'))!.reason, /not accepted on 2026-09-15: the whole lot is to be rotated/);
});

test('an accepted sample keeps a lot in service for EXTENSION_MONTHS, not for ever', () => {
  const accepted = {
    registeredOn: d('2026-01-05'),
    plans: [{ id: 'p1', plannedOn: d('2026-03-01'), result: { recordedOn: d('2026-03-20'), decision: 'accept' as const } }],
    rotatedOn: null,
  };
  assert.is(EXTENSION_MONTHS, 12);
  const ext = lotStateAt(accepted, d('2026-03-20'))!;
  assert.equal([ext.state, ext.until], ['extended', '2027-03-19']);
  assert.is(lotStateAt(accepted, d('2027-03-19'))!.state, 'extended');
  const after = lotStateAt(accepted, d('2027-03-20'))!;
  assert.equal([after.state, after.since], ['to_rotate', '2027-03-20']);
  assert.match(after.reason, /ended on 2027-03-19 with no newer accepted sample/);
  assert.is(lotStateAt(accepted, d('2035-01-01'))!.state, 'to_rotate', 'years later, still to rotate, never extended');
  // sampled again within the extension: the new decision governs, the old extension's end does not
  const renewed = {
    ...accepted,
    plans: [...accepted.plans, { id: 'p2', plannedOn: d('2027-02-01'), result: { recordedOn: d('2027-02-15'), decision: 'accept' as const } }],
  };
  const r = lotStateAt(renewed, d('2027-06-01'))!;
  assert.equal([r.state, r.planId, r.until], ['extended', 'p2', '2028-02-14']);
  assert.is(lotStateAt(renewed, d('2028-02-15'))!.state, 'to_rotate');
});

test('a rejected lot is to rotate by ROTATION_MONTHS after the decision; its members with it', () => {
  const rejected = {
    registeredOn: d('2026-01-05'),
    plans: [{ id: 'p1', plannedOn: d('2026-03-01'), result: { recordedOn: d('2026-03-20'), decision: 'reject' as const } }],
    rotatedOn: null,
  };
  assert.is(ROTATION_MONTHS, 3);
  const s = lotStateAt(rejected, d('2026-04-01'))!;
  assert.equal([s.state, s.cause, s.since, s.rotateBy], ['to_rotate', 'rejected', '2026-03-20', '2026-06-19']);
  assert.equal(memberRotation('lot-a', s), { lotId: 'lot-a', since: '2026-03-20', rotateBy: '2026-06-19', rotatedOn: null, reason: `lot lot-a: ${s.reason}` });
  assert.match(s.reason, /not accepted on 2026-03-20: the whole lot is to be rotated by 2026-06-19/);
  // before the decision the members are under no rotation; once rotated, they are out of service
  assert.is(memberRotation('lot-a', lotStateAt(rejected, d('2026-03-19'))), null);
  assert.equal(memberRotation('lot-a', lotStateAt({ ...rejected, rotatedOn: d('2026-05-01') }, d('2026-05-01')))!.rotatedOn, '2026-05-01');
  // an extension that ended gives no further time: its last day is the rotation date
  const ended = lotStateAt(
    { ...rejected, plans: [{ ...rejected.plans[0]!, result: { recordedOn: d('2026-03-20'), decision: 'accept' as const } }] },
    d('2027-04-01'),
  )!;
  assert.equal([ended.state, ended.cause, ended.rotateBy], ['to_rotate', 'extension_ended', '2027-03-19']);
});

test("a lot's service life: in service until its last day, then to rotate unless a sample is accepted; an extension within the life returns the lot to service", () => {
  // MV004 water meters: 72 months from the first day of installation
  const life = lotLifeEndsOn(d('2020-07-01'), 72)!;
  assert.is(life, '2026-06-30');
  assert.is(lotLifeEndsOn(d('2020-07-01'), null), null);
  const unsampled = { registeredOn: d('2021-01-05'), plans: [], rotatedOn: null, lifeEndsOn: life };
  assert.is(lotStateAt(unsampled, d('2026-06-30'))!.state, 'in_service');
  const ended = lotStateAt(unsampled, d('2026-07-01'))!;
  assert.equal([ended.state, ended.cause, ended.since, ended.rotateBy], ['to_rotate', 'life_ended', '2026-07-01', '2026-06-30']);
  assert.match(ended.reason, /service life ended on 2026-06-30/);
  // a sample drawn after the life ended: under sampling, then extended by an accepted decision
  const sampled = { ...unsampled, plans: [{ id: 'p1', plannedOn: d('2026-11-02'), result: { recordedOn: d('2026-11-20'), decision: 'accept' as const } }] };
  assert.equal(
    ['2026-10-01', '2026-11-10', '2026-11-20', '2027-11-20'].map((at) => lotStateAt(sampled, d(at))!.state),
    ['to_rotate', 'under_sampling', 'extended', 'to_rotate'],
  );
  // sampled early, within the life: when the extension ends the lot is back in service until its life ends
  const early = { ...unsampled, plans: [{ id: 'p1', plannedOn: d('2024-03-01'), result: { recordedOn: d('2024-03-20'), decision: 'accept' as const } }] };
  const back = lotStateAt(early, d('2025-06-01'))!;
  assert.equal([back.state, back.planId, back.rotateBy], ['in_service', 'p1', null]);
  assert.equal([lotStateAt(early, d('2026-07-01'))!.state, lotStateAt(early, d('2026-07-01'))!.cause], ['to_rotate', 'life_ended']);
});

test("a lot's history: the facts in date order, and the changes that follow from the dates, each with the state lotStateAt gives that day", () => {
  const life = lotLifeEndsOn(d('2020-07-01'), 72)!;
  // sampled early and accepted: back in service when the extension ends, to rotate when the life ends, sampled again, rejected, rotated
  const facts = {
    registeredOn: d('2021-01-05'),
    plans: [
      { id: 'p1', plannedOn: d('2024-03-01'), result: { recordedOn: d('2024-03-20'), decision: 'accept' as const } },
      { id: 'p2', plannedOn: d('2026-11-02'), result: { recordedOn: d('2026-11-02'), decision: 'reject' as const } },
    ],
    rotatedOn: d('2027-01-10'),
    lifeEndsOn: life,
  };
  const events = lotEvents(facts, d('2030-01-01'));
  assert.equal(
    events.map((e) => [e.on, e.kind, e.planId, e.status.state, e.status.cause]),
    [
      ['2021-01-05', 'registered', null, 'in_service', null],
      ['2024-03-01', 'plan_drawn', 'p1', 'under_sampling', null],
      ['2024-03-20', 'decision', 'p1', 'extended', null],
      ['2025-03-20', 'extension_ended', 'p1', 'in_service', null],
      ['2026-07-01', 'life_ended', 'p1', 'to_rotate', 'life_ended'],
      // drawn and decided on one day: both events carry the state at the end of the day
      ['2026-11-02', 'plan_drawn', 'p2', 'to_rotate', 'rejected'],
      ['2026-11-02', 'decision', 'p2', 'to_rotate', 'rejected'],
      ['2027-01-10', 'rotated', null, 'rotated', null],
    ],
  );
  // every event's state is lotStateAt's on its day
  for (const e of events) assert.equal(e.status, lotStateAt(facts, e.on));
  // through an earlier day: only what had happened by then
  assert.equal(
    lotEvents(facts, d('2025-03-19')).map((e) => e.kind),
    ['registered', 'plan_drawn', 'decision'],
  );
  assert.equal(lotEvents(facts, d('2021-01-04')), []);
  // an extension past the life ends with the lot to rotate; one renewed in time does not end
  const kept = {
    registeredOn: d('2021-01-05'),
    plans: [{ id: 'p1', plannedOn: d('2026-11-02'), result: { recordedOn: d('2026-11-20'), decision: 'accept' as const } }],
    rotatedOn: null,
    lifeEndsOn: life,
  };
  assert.equal(
    lotEvents(kept, d('2028-01-01')).map((e) => [e.on, e.kind, e.status.state, e.status.cause]),
    [
      ['2021-01-05', 'registered', 'in_service', null],
      ['2026-07-01', 'life_ended', 'to_rotate', 'life_ended'],
      ['2026-11-02', 'plan_drawn', 'under_sampling', null],
      ['2026-11-20', 'decision', 'extended', null],
      ['2027-11-20', 'extension_ended', 'to_rotate', 'extension_ended'],
    ],
  );
  const renewed = {
    ...kept,
    plans: [...kept.plans, { id: 'p2', plannedOn: d('2027-10-01'), result: { recordedOn: d('2027-10-15'), decision: 'accept' as const } }],
  };
  assert.equal(
    lotEvents(renewed, d('2028-01-01'))
      .slice(3)
      .map((e) => [e.on, e.kind, e.status.state]),
    [
      ['2026-11-20', 'decision', 'extended'],
      ['2027-10-01', 'plan_drawn', 'under_sampling'],
      ['2027-10-15', 'decision', 'extended'],
    ],
  );
});

test.run();
