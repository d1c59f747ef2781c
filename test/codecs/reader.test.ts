/** ObjectReader: untrusted JSON read field by field, each refusal at the field's JSON pointer, unknown fields refused. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { kindOf, ObjectReader } from '../../src/codecs/reader.ts';
import { refusal } from '../helpers/refusal.ts';

const R = (raw: unknown, path = '/x') => ObjectReader.of(raw, path);

const it = suite('ObjectReader');

it('only an object is read; kindOf names what came instead', () => {
  for (const v of [null, [], 'a', 1, undefined])
    assert.equal(
      refusal(() => R(v)),
      ['INVALID_FIELD', '/x'],
    );
  assert.equal([undefined, null, [], {}, 'a', 1, true].map(kindOf), ['nothing', 'null', 'an array', 'an object', 'a string', 'a number', 'a boolean']);
});

it('pointers escape ~ and / (RFC 6901)', () => {
  const r = R({});
  assert.is(r.at('a/b~c'), '/x/a~1b~0c');
  assert.is(r.at('plain'), '/x/plain');
  assert.is(R({}, '').at('k'), '/k');
});

it('required and optional values: missing, null and present', () => {
  const r = R({ a: 'x', n: null });
  assert.is(r.string('a'), 'x');
  assert.is(r.optionalString('n'), null);
  assert.is(r.optionalString('gone'), null);
  assert.equal(
    refusal(() => R({ n: null }).required('n')),
    ['MISSING_FIELD', '/x/n'],
  );
  assert.equal(
    refusal(() => R({}).string('s')),
    ['MISSING_FIELD', '/x/s'],
  );
  assert.ok(r.has('a'));
  assert.ok(r.has('n'), 'null is present');
  assert.not.ok(r.has('gone'));
});

it('strings: a string, not empty, at most max (500 by default), matching the pattern', () => {
  assert.equal(
    refusal(() => R({ s: 1 }).string('s')),
    ['INVALID_FIELD', '/x/s'],
  );
  assert.equal(
    refusal(() => R({ s: '' }).string('s')),
    ['INVALID_FIELD', '/x/s'],
  );
  assert.is(R({ s: 'a'.repeat(500) }).string('s').length, 500);
  assert.equal(
    refusal(() => R({ s: 'a'.repeat(501) }).string('s')),
    ['INVALID_FIELD', '/x/s'],
  );
  assert.equal(
    refusal(() => R({ s: 'abcd' }).string('s', { max: 3 })),
    ['INVALID_FIELD', '/x/s'],
  );
  assert.equal(
    refusal(() => R({ s: 'ab1' }).string('s', { pattern: /^[a-z]+$/ })),
    ['INVALID_FIELD', '/x/s'],
  );
  try {
    R({ s: 'ab1' }).string('s', { pattern: /^[a-z]+$/, hint: 'letters only' });
  } catch (e) {
    assert.match((e as Error).message, 'letters only');
  }
});

it('oneOf: a word of the vocabulary', () => {
  assert.is(R({ k: 'b' }).oneOf('k', ['a', 'b']), 'b');
  assert.is(R({}).optionalOneOf('k', ['a']), null);
  assert.equal(
    refusal(() => R({ k: 'c' }).oneOf('k', ['a', 'b'])),
    ['INVALID_FIELD', '/x/k'],
  );
  assert.equal(
    refusal(() => R({ k: 1 }).optionalOneOf('k', ['a'])),
    ['INVALID_FIELD', '/x/k'],
  );
});

it('decimals and dates: exact strings and real dates', () => {
  assert.is(R({ d: '0.10' }).decimal('d').toString(), '0.1');
  assert.is(R({ d: '0.10' }).decimalText('d'), '0.10');
  assert.is(R({}).optionalDecimal('d'), null);
  assert.is(R({ d: null }).optionalDecimalText('d'), null);
  assert.equal(refusal(() => R({ d: 0.1 }).decimal('d'))[1], '/x/d');
  assert.equal(
    refusal(() => R({ d: 'abc' }).decimal('d')),
    ['INVALID_DECIMAL', '/x/d'],
  );
  assert.is(R({ t: '2024-02-29' }).date('t'), '2024-02-29');
  assert.is(R({}).optionalDate('t'), null);
  assert.equal(
    refusal(() => R({ t: '2026-02-29' }).date('t')),
    ['INVALID_DATE', '/x/t'],
  );
});

it('booleans and whole numbers', () => {
  assert.is(R({ b: false }).boolean('b'), false);
  assert.is(R({}).boolean('b', true), true);
  assert.equal(
    refusal(() => R({}).boolean('b')),
    ['MISSING_FIELD', '/x/b'],
  );
  assert.equal(
    refusal(() => R({ b: 'true' }).boolean('b', false)),
    ['INVALID_FIELD', '/x/b'],
  );
  assert.is(R({ n: 5 }).integer('n', { min: 1, max: 5 }), 5);
  for (const n of [0, 6, 1.5, '3'])
    assert.equal(
      refusal(() => R({ n }).integer('n', { min: 1, max: 5 })),
      ['INVALID_FIELD', '/x/n'],
      String(n),
    );
  const r = R({ n: null });
  assert.is(r.optionalInteger('n', { min: 0, max: 1 }), null);
  r.done();
});

it('arrays and nested objects', () => {
  assert.equal(R({ a: [1, 2] }).array('a', { max: 2 }), [1, 2]);
  assert.equal(R({}).array('a', { optional: true }), []);
  assert.equal(
    refusal(() => R({}).array('a')),
    ['MISSING_FIELD', '/x/a'],
  );
  assert.equal(
    refusal(() => R({ a: {} }).array('a')),
    ['INVALID_FIELD', '/x/a'],
  );
  assert.equal(
    refusal(() => R({ a: [1, 2, 3] }).array('a', { max: 2 })),
    ['INVALID_FIELD', '/x/a'],
  );
  assert.is(
    R({ o: { v: '1' } })
      .object('o')
      .string('v'),
    '1',
  );
  assert.equal(
    refusal(() =>
      R({ o: { v: 1 } })
        .object('o')
        .string('v'),
    ),
    ['INVALID_FIELD', '/x/o/v'],
  );
  assert.is(R({}).optionalObject('o'), null);
  assert.equal(
    refusal(() => R({ o: 'no' }).optionalObject('o')),
    ['INVALID_FIELD', '/x/o'],
  );
});

it('done refuses the first field never read, even one read with has()', () => {
  const r = R({ a: '1', b: '2', c: '3' });
  r.string('a');
  r.value('b');
  r.has('c');
  assert.equal(
    refusal(() => r.done()),
    ['UNKNOWN_FIELD', '/x/c'],
  );
  const all = R({ a: '1' });
  all.optionalString('a');
  all.done();
});

it.run();
