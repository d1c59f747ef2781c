/** Lots of meters, sampling plans, results and rotations read from their contracts: serial ranges expanded, periods in order, the variables plan's rules. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_LOT_SIZE, readLot, readResults, readRotation, readSamplingPlan, toLot } from '../../src/codecs/lots.ts';
import { refusal } from '../helpers/refusal.ts';

const newId = () => 'drawn-id';
const lot = (over: Record<string, unknown> = {}) => ({
  category: 'MV004',
  model: 'DDZY-1',
  manufacturer: 'Meters Ltd',
  installedFrom: '2020-01-01',
  installedTo: '2020-06-30',
  region: '310104',
  members: { serialRanges: [{ prefix: 'E', from: 98, to: 102 }], serials: ['X-1'] },
  ...over,
});

const lots = suite('lots');

lots('serial ranges are expanded, zero-padded to the digits of `to` or the width given, then the listed serials', () => {
  const l = readLot(lot(), newId);
  assert.equal(l.serials, ['E098', 'E099', 'E100', 'E101', 'E102', 'X-1']);
  assert.equal([l.id, l.ownerId, l.patternApprovalNo, l.batch, l.registeredOn, l.equipmentIds], ['drawn-id', null, null, null, null, []]);
  assert.equal(readLot(lot({ members: { serialRanges: [{ from: 7, to: 9, width: 4 }] } }), newId).serials, ['0007', '0008', '0009']);
  const full = readLot(lot({ id: 'lot-1', ownerId: 'o', batch: 'B7', registeredOn: '2020-07-01', members: { equipmentIds: ['m-1'] } }), newId);
  assert.equal([full.id, full.ownerId, full.batch, full.registeredOn, full.serials, full.equipmentIds], ['lot-1', 'o', 'B7', '2020-07-01', [], ['m-1']]);
});

lots('refusals: the period backwards, a range backwards or too wide, too many meters, contract fields', () => {
  assert.equal(
    refusal(() => readLot(lot({ installedTo: '2019-12-31' }), newId)),
    ['INVALID_RANGE', '/installedTo'],
  );
  assert.is(readLot(lot({ installedTo: '2020-01-01' }), newId).installedTo, '2020-01-01');
  assert.equal(
    refusal(() =>
      readLot(
        lot({
          members: {
            serialRanges: [
              { from: 1, to: 2 },
              { from: 5, to: 4 },
            ],
          },
        }),
        newId,
      ),
    ),
    ['INVALID_RANGE', '/members/serialRanges/1'],
  );
  assert.equal(
    refusal(() => readLot(lot({ members: { serialRanges: [{ from: 1, to: 100, width: 2 }] } }), newId)),
    ['INVALID_FIELD', '/members/serialRanges/0/width'],
  );
  assert.equal(
    refusal(() => readLot(lot({ members: { serialRanges: [{ from: 0, to: MAX_LOT_SIZE }] } }), newId)),
    ['INVALID_FIELD', '/members/serialRanges/0'],
  );
  // a lot of the largest size, from one range and from a list (appending 130,000 or more at once overflowed the stack)
  assert.is(readLot(lot({ members: { serialRanges: [{ from: 1, to: MAX_LOT_SIZE }] } }), newId).serials.length, MAX_LOT_SIZE);
  const listed = Array.from({ length: MAX_LOT_SIZE }, (_, n) => `S${n}`);
  assert.is(readLot(lot({ members: { serials: listed } }), newId).serials.length, MAX_LOT_SIZE);
  const half = { from: 1, to: MAX_LOT_SIZE / 2 };
  assert.equal(
    refusal(() => readLot(lot({ members: { serialRanges: [half, { ...half, to: half.to + 1 }] } }), newId)),
    ['INVALID_FIELD', '/members/serialRanges/1'],
  );
  assert.equal(
    refusal(() => readLot(lot({ members: { serialRanges: [half, { ...half, prefix: 'B' }], equipmentIds: ['m-1'] } }), newId)),
    ['INVALID_FIELD', '/members'],
  );
  assert.equal(
    refusal(() => readLot(lot({ members: { serialRanges: [{ prefix: '-', from: 1, to: 1 }] } }), newId)),
    ['INVALID_FIELD', '/members/serialRanges'],
  );
  assert.equal(
    refusal(() => readLot(lot({ region: '31010' }), newId)),
    ['INVALID_FIELD', '/region'],
  );
  assert.equal(
    refusal(() => readLot(lot({ category: 'mv004' }), newId)),
    ['INVALID_FIELD', '/category'],
  );
  assert.equal(
    refusal(() => readLot(lot({ installedFrom: '2020-02-30' }), newId)),
    ['INVALID_DATE', '/installedFrom'],
  );
  assert.equal(
    refusal(() => readLot(lot({ members: { serials: ['.bad'] } }), newId)),
    ['INVALID_FIELD', '/members/serials/0'],
  );
  assert.equal(MAX_LOT_SIZE, 200_000);
  assert.ok(toLot);
});

const plans = suite('sampling plans');

plans('an attributes plan by default at level II, reduced inspection off', () => {
  assert.equal(readSamplingPlan({ plannedOn: '2026-11-25', seed: '03 17 22', aql: '1.0' }, newId), {
    id: 'drawn-id',
    plannedOn: '2026-11-25',
    seed: '03 17 22',
    method: 'attributes',
    level: 'II',
    aql: '1.0',
    mpe: null,
    productionSteady: false,
    authorityApprovesReduced: false,
  });
  assert.equal(
    refusal(() => readSamplingPlan({ plannedOn: '2026-11-25', seed: '   ', aql: '1.0' }, newId)),
    ['INVALID_FIELD', '/seed'],
  );
  assert.equal(
    refusal(() => readSamplingPlan({ plannedOn: '2026-11-25', seed: 's', aql: '1.0', mpe: '2' }, newId)),
    ['INVALID_FIELD', '/mpe'],
  );
});

plans('a variables plan: a Z1.9 level and AQL, and a positive MPE fixed when drawn', () => {
  const v = (over: Record<string, unknown>) => () =>
    readSamplingPlan({ plannedOn: '2026-11-25', seed: 's', method: 'variables', aql: '1.0', mpe: '2.0', ...over }, newId);
  const ok = v({ level: 'S-3' })() as ReturnType<typeof readSamplingPlan>;
  assert.equal([ok.method, ok.level, ok.aql, ok.mpe], ['variables', 'S-3', '1.0', '2.0']);
  assert.equal(refusal(v({ level: 'S-2' })), ['INVALID_FIELD', '/level']);
  assert.equal(refusal(v({ aql: '2.5' })), ['NOT_APPLICABLE', '/aql']);
  assert.equal(refusal(v({ mpe: undefined })), ['MISSING_FIELD', '/mpe']);
  assert.equal(refusal(v({ mpe: '0' })), ['INVALID_FIELD', '/mpe']);
  assert.equal(refusal(v({ mpe: '-1' })), ['INVALID_FIELD', '/mpe']);
});

const results = suite('results and rotation');

results('a meter gives its errors at the test points, or conforming with a reason; decimals kept as written', () => {
  const r = readResults({
    recordedOn: '2026-12-01',
    meters: [
      { serial: 'E098', points: [{ testPoint: 'Imax', error: '-0.50', mpe: '2' }] },
      { serial: 'E099', conforming: false, reason: 'seal broken' },
    ],
  });
  assert.is(r.recordedOn, '2026-12-01');
  assert.equal(r.meters[0]!.written, { serial: 'E098', points: [{ testPoint: 'Imax', error: '-0.50', mpe: '2' }] });
  const finding = r.meters[0]!.finding as unknown as { points: Array<{ error: { toString(): string } }> };
  assert.is(finding.points[0]!.error.toString(), '-0.5');
  assert.equal(r.meters[1]!.finding, { serial: 'E099', conforming: false, reason: 'seal broken' });
});

results('points with a conformity, or a conformity without its reason, is refused at the field', () => {
  const one = (m: unknown) => () => readResults({ recordedOn: '2026-12-01', meters: [m] });
  assert.equal(refusal(one({ serial: 'E1', points: [], conforming: true })), ['UNKNOWN_FIELD', '/meters/0/conforming']);
  assert.equal(refusal(one({ serial: 'E1', points: [], reason: 'x' })), ['UNKNOWN_FIELD', '/meters/0/reason']);
  assert.equal(refusal(one({ serial: 'E1' })), ['MISSING_FIELD', '/meters/0/conforming']);
  assert.equal(refusal(one({ serial: 'E1', conforming: true })), ['MISSING_FIELD', '/meters/0/reason']);
  assert.equal(refusal(one({ serial: 'E1', points: [{ testPoint: 't', error: 'x', mpe: '1' }] })), ['INVALID_DECIMAL', '/meters/0/points/0/error']);
});

results('a rotation: the day, the remarks or null', () => {
  assert.equal(readRotation({ rotatedOn: '2027-01-05' }), { rotatedOn: '2027-01-05', remarks: null });
  assert.equal(readRotation({ rotatedOn: '2027-01-05', remarks: 'all replaced' }), { rotatedOn: '2027-01-05', remarks: 'all replaced' });
  assert.equal(
    refusal(() => readRotation({ rotatedOn: '2027-02-29' })),
    ['INVALID_DATE', '/rotatedOn'],
  );
});

lots.run();
plans.run();
results.run();
