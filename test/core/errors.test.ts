import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ERROR_CODES, fail, MetrologyError, pointer } from '../../src/core/errors.ts';

const errors = suite('coded errors');

errors('a MetrologyError carries its code, path, message and details', () => {
  const e = new MetrologyError('INVALID_DATE', '/performedOn', 'not a real date', { got: '2026-02-30' });
  assert.ok(e instanceof Error);
  assert.ok(e instanceof MetrologyError);
  assert.is(e.name, 'MetrologyError');
  assert.is(e.code, 'INVALID_DATE');
  assert.is(e.path, '/performedOn');
  assert.is(e.message, 'not a real date');
  assert.equal(e.details, { got: '2026-02-30' });
  assert.is(new MetrologyError('NOT_FOUND', '', 'gone').details, undefined);
});

errors('toJSON gives code, path and message, never the details', () => {
  const e = new MetrologyError('CMC_VIOLATION', '/points/0/expandedUncertainty', 'below the CMC', { cmc: 'x' });
  assert.equal(e.toJSON(), { code: 'CMC_VIOLATION', path: '/points/0/expandedUncertainty', message: 'below the CMC' });
  assert.is(JSON.stringify(e), '{"code":"CMC_VIOLATION","path":"/points/0/expandedUncertainty","message":"below the CMC"}');
});

errors('the path can be re-rooted after the fact (callers prefix it)', () => {
  const e = new MetrologyError('INVALID_FIELD', '/u', 'bad');
  e.path = `/quantities/a${e.path}`;
  assert.is(e.toJSON().path, '/quantities/a/u');
});

errors('fail throws a MetrologyError with what it was given', () => {
  let caught: unknown;
  try {
    fail('DUPLICATE', '/id', 'taken', { id: 'scale-1' });
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof MetrologyError);
  const e = caught as MetrologyError;
  assert.is(e.code, 'DUPLICATE');
  assert.is(e.path, '/id');
  assert.is(e.message, 'taken');
  assert.equal(e.details, { id: 'scale-1' });
});

errors('pointer joins segments as an RFC 6901 JSON pointer', () => {
  assert.is(pointer(), '');
  assert.is(pointer('points', 0, 'nominal'), '/points/0/nominal');
  assert.is(pointer(''), '/');
  // '~' becomes ~0 and '/' becomes ~1, in that order (RFC 6901 §3: "~1" is not re-escaped)
  assert.is(pointer('a/b', 'm~n'), '/a~1b/m~0n');
  assert.is(pointer('~/'), '/~0~1');
  assert.is(pointer('~1'), '/~01');
  assert.is(pointer('quantities', 'T 20°C'), '/quantities/T 20°C');
});

errors('every catalogue code is an upper-case identifier with a sentence', () => {
  const codes = Object.keys(ERROR_CODES);
  assert.ok(codes.length > 50);
  for (const code of codes) {
    assert.match(code, /^[A-Z][A-Z0-9_]*$/);
    assert.ok((ERROR_CODES as Record<string, string>)[code]!.length > 10, code);
  }
  for (const used of ['INVALID_DECIMAL', 'UNKNOWN_QUANTITY', 'INVALID_MODEL', 'INVALID_CHART', 'INVALID_REFERENCE_DATA', 'UNAVAILABLE', 'INTERNAL'])
    assert.ok(used in ERROR_CODES, used);
});

errors.run();
