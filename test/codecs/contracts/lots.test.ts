/** The lot contracts' own formats: serial numbers, range prefixes and bounds, the category key, the region; read through readContract. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LotInput, MAX_LOT_SIZE, ResultsInput, SERIAL_HINT, SERIAL_PATTERN } from '../../../src/codecs/contracts/lots.ts';
import { contractRefusal } from '../../helpers/refusal.ts';

const refusal = contractRefusal;
const lot = (over: Record<string, unknown> = {}, members: Record<string, unknown> = {}) => ({
  category: 'MV004',
  model: 'DDZY',
  manufacturer: 'M',
  installedFrom: '2020-01-01',
  installedTo: '2020-06-30',
  region: '310104',
  members,
  ...over,
});

const it = suite('lot contracts');

it('a serial: 1–64 letters, digits, . _ / -, starting with a letter or digit', () => {
  for (const ok of ['E000123', 'a', 'A/B-1.2_3', 'x'.repeat(64)]) assert.ok(SERIAL_PATTERN.test(ok), ok);
  for (const bad of ['', '/a', '-1', 'a b', 'a#1', 'x'.repeat(65), '表1']) assert.not.ok(SERIAL_PATTERN.test(bad), bad);
  assert.equal(refusal(LotInput, lot({}, { serials: ['ok', ' bad'] })), ['INVALID_FIELD', '/members/serials/1', SERIAL_HINT]);
  assert.is(MAX_LOT_SIZE, 200_000);
});

it('a serial range: its prefix, whole bounds, a width of 1–12 digits', () => {
  assert.is(refusal(LotInput, lot({}, { serialRanges: [{ prefix: 'WM-2020/', from: 0, to: 999_999_999_999, width: 12 }] })), 'ok');
  const at = (range: Record<string, unknown>) => {
    const r = refusal(LotInput, lot({}, { serialRanges: [range] }));
    return r === 'ok' ? r : r.slice(0, 2);
  };
  assert.equal(at({ prefix: 'W M', from: 1, to: 2 }), ['INVALID_FIELD', '/members/serialRanges/0/prefix']);
  assert.equal(at({ prefix: '', from: 1, to: 2 }), ['INVALID_FIELD', '/members/serialRanges/0/prefix']);
  assert.equal(at({ from: 1.5, to: 2 }), ['INVALID_FIELD', '/members/serialRanges/0/from']);
  assert.equal(at({ from: -1, to: 2 }), ['INVALID_FIELD', '/members/serialRanges/0/from']);
  assert.equal(at({ from: 1, to: 1_000_000_000_000 }), ['INVALID_FIELD', '/members/serialRanges/0/to']);
  assert.equal(at({ from: 1, to: 2, width: 13 }), ['INVALID_FIELD', '/members/serialRanges/0/width']);
  assert.equal(at({ from: 1, to: 2, width: null }), 'ok');
  assert.equal(at({ from: 1 }), ['MISSING_FIELD', '/members/serialRanges/0/to']);
});

it('the category a catalogue key, the region six digits, each with its hint', () => {
  const c = refusal(LotInput, lot({ category: 'MV04' }));
  assert.ok(c !== 'ok' && c[1] === '/category' && c[2].includes('"MV004"'));
  const r = refusal(LotInput, lot({ region: '3101' }));
  assert.ok(r !== 'ok' && r[1] === '/region' && r[2].includes('GB/T 2260'));
  assert.equal(refusal(LotInput, lot({ colour: 'red' })), [
    'UNKNOWN_FIELD',
    '/colour',
    "unknown field 'colour'; check its spelling against the documentation (/docs)",
  ]);
  assert.equal((refusal(LotInput, lot({}, { odd: [] })) as string[]).slice(0, 2), ['UNKNOWN_FIELD', '/members/odd']);
});

it('results: every meter a serial, errors and MPEs as decimal strings', () => {
  assert.is(refusal(ResultsInput, { recordedOn: '2026-12-01', meters: [{ serial: 'E1', points: [{ testPoint: 'Imax', error: '-0.5', mpe: '2' }] }] }), 'ok');
  assert.equal(
    (refusal(ResultsInput, { recordedOn: '2026-12-01', meters: [{ serial: 'E1', points: [{ testPoint: 'Imax', error: -0.5, mpe: '2' }] }] }) as string[]).slice(
      0,
      2,
    ),
    ['JSON_NUMBER', '/meters/0/points/0/error'],
  );
  assert.equal((refusal(ResultsInput, { recordedOn: '2026-12-01', meters: [{ serial: '' }] }) as string[]).slice(0, 2), ['INVALID_FIELD', '/meters/0/serial']);
});

it.run();
