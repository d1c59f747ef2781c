/** The building blocks of every contract, read through readContract: decimals and dates with their own codes, ids, region codes, bounded text, vocabularies, nullables and paging. */
import { Type } from '@sinclair/typebox';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CalendarDateString,
  DateString,
  DecimalString,
  ERROR_CODE,
  Enum,
  HINT,
  ID_HINT,
  ID_PATTERN,
  Id,
  Nullable,
  PageQuery,
  REGION_PATTERN,
  RegionCode,
  RegionCodeOf,
  Text,
} from '../../../src/codecs/contracts/common.ts';
import { readContract } from '../../../src/codecs/contracts/read.ts';
import type { MetrologyError } from '../../../src/core/errors.ts';
import { contractRefusal } from '../../helpers/refusal.ts';

/** [code, path, message] of reading `value` as field `v` of an object of `schema`, or 'ok'. */
function read(schema: Parameters<typeof Type.Object>[0]['x'], value: unknown): [string, string, string] | 'ok' {
  return contractRefusal(Type.Object({ v: schema }, { additionalProperties: false }), { v: value });
}
const code = (schema: Parameters<typeof read>[0], value: unknown) => {
  const r = read(schema, value);
  return r === 'ok' ? 'ok' : r[0];
};

const it = suite('contract building blocks');

it('a decimal is a string: finite decimals and exponents; a JSON number is JSON_NUMBER, other text INVALID_DECIMAL', () => {
  assert.is(DecimalString[ERROR_CODE], 'INVALID_DECIMAL');
  for (const ok of ['0', '-0.000025', '+1e-6', '1.', '.5', '50.000623', '1E+21']) assert.is(code(DecimalString, ok), 'ok', ok);
  for (const bad of ['', '1e', '1e1234567', 'NaN', 'Infinity', '0x10', '1,5', ' 1', '--1']) assert.is(code(DecimalString, bad), 'INVALID_DECIMAL', bad);
  assert.is(code(DecimalString, 0.000025), 'JSON_NUMBER');
  assert.is(code(DecimalString, true), 'INVALID_FIELD');
});

it("a date is YYYY-MM-DD by its pattern (a real day is the codec's check), INVALID_DATE otherwise", () => {
  assert.is(CalendarDateString[ERROR_CODE], 'INVALID_DATE');
  assert.is(code(CalendarDateString, '2026-11-25'), 'ok');
  assert.is(code(CalendarDateString, '2026-02-30'), 'ok');
  for (const bad of ['2026-1-25', '20261125', '2026-11-25T00:00:00Z', '']) assert.is(code(CalendarDateString, bad), 'INVALID_DATE', bad);
  assert.is(DateString('the day found').description, 'the day found');
});

it('an id: 1–64 letters, digits, . _ -, starting with a letter or digit; the hint says so', () => {
  for (const ok of ['a', 'scale-stall-17', 'X.1_2', '9', 'a'.repeat(64)]) assert.ok(ID_PATTERN.test(ok), ok);
  for (const bad of ['', '-a', '.a', '_a', 'a b', 'a/b', '器具', 'a'.repeat(65)]) assert.not.ok(ID_PATTERN.test(bad), bad);
  assert.equal(read(Id, 'a b'), ['INVALID_FIELD', '/v', ID_HINT]);
  assert.is(Id[HINT], ID_HINT);
});

it('a region code is six digits, with a sentence to act on', () => {
  assert.ok(REGION_PATTERN.test('310104'));
  for (const bad of ['31010', '3101040', '31010a']) assert.not.ok(REGION_PATTERN.test(bad), bad);
  const r = read(RegionCode, '3101');
  assert.ok(r !== 'ok' && r[0] === 'INVALID_FIELD' && r[2].includes('six-digit administrative division code'));
  assert.is(RegionCodeOf('where').description, 'where');
});

it('text is 1 to max characters; an empty one "must not be empty"', () => {
  assert.is(code(Text(3), 'abc'), 'ok');
  assert.equal(read(Text(3), ''), ['INVALID_FIELD', '/v', 'must not be empty']);
  assert.is(code(Text(3), 'abcd'), 'INVALID_FIELD');
  assert.is(Text(3, 'a name').description, 'a name');
  assert.not.ok('description' in Text(3));
});

it('a vocabulary word, a nullable, the paging parameters', () => {
  const kind = Enum(['a', 'b'] as const, 'a or b');
  assert.is(code(kind, 'b'), 'ok');
  const r = read(kind, 'c');
  assert.ok(r !== 'ok' && r[0] === 'INVALID_FIELD' && r[2].includes("'a', 'b'"));
  assert.is(kind.description, 'a or b');
  assert.is(code(Nullable(Id), null), 'ok');
  assert.is(code(Nullable(Id), 'a b'), 'INVALID_FIELD');
  assert.is(code(Id, null), 'INVALID_FIELD');
  const page = (q: unknown) => {
    try {
      readContract(Type.Object(PageQuery, { additionalProperties: false }), q);
      return 'ok';
    } catch (e) {
      return (e as MetrologyError).path;
    }
  };
  assert.is(page({ limit: '500', cursor: 'abc' }), 'ok');
  assert.is(page({ limit: '12345' }), '/limit');
  assert.is(page({ limit: '-1' }), '/limit');
  assert.is(page({ cursor: 'x'.repeat(401) }), '/cursor');
});

it.run();
