/** Instants on the wire: RFC 3339 with an offset, returned as the same instant in UTC; anything else is INVALID_FIELD or INVALID_DATE at its path. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseInstant } from '../../src/codecs/instant.ts';
import { refusal } from '../helpers/refusal.ts';

const it = suite('parseInstant');

const refused = (value: unknown) => refusal(() => parseInstant(value, '?at'));

it('converts the offset to UTC', () => {
  assert.is(parseInstant('2026-11-25T10:00:00+08:00', '/at'), '2026-11-25T02:00:00.000Z');
  assert.is(parseInstant('2026-11-25T02:00:00Z', '/at'), '2026-11-25T02:00:00.000Z');
  assert.is(parseInstant('2026-01-01T05:30-08:00', '/at'), '2026-01-01T13:30:00.000Z');
  assert.is(parseInstant('2026-03-01T01:00:00.5+02:00', '/at'), '2026-02-28T23:00:00.500Z');
  assert.is(parseInstant('2024-02-29T23:59:59.123456Z', '/at'), '2024-02-29T23:59:59.123Z');
});

it('an instant without its offset, or not text, is INVALID_FIELD', () => {
  for (const bad of [
    '2026-11-25T10:00:00',
    '2026-11-25',
    '2026-11-25 10:00:00Z',
    '2026-11-25T10:00:00+0800',
    '2026-11-25T10:00:00.1234567Z',
    1764036000000,
    null,
  ]) {
    assert.equal(refused(bad), ['INVALID_FIELD', '?at'], String(bad));
  }
});

it('an impossible day is INVALID_DATE, an impossible time INVALID_FIELD', () => {
  assert.equal(refused('2026-02-30T10:00:00Z'), ['INVALID_DATE', '?at']);
  assert.equal(refused('2026-11-25T25:00:00Z'), ['INVALID_FIELD', '?at']);
  assert.equal(refused('2026-11-25T10:61:00Z'), ['INVALID_FIELD', '?at']);
});

it.run();
