import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isDatabaseUnreachable } from '../../src/runtime/db-unreachable.ts';

const it = suite('a database out of reach');
const coded = (code: unknown, cause?: unknown) => Object.assign(new Error(`failed (${String(code)})`), { code, cause });

it('socket errors, postgres.js connection codes and SQLSTATE classes 08 and 57P01–57P03', () => {
  for (const code of [
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'EPIPE',
    'EHOSTUNREACH',
    'ENOTFOUND',
    'CONNECTION_CLOSED',
    'CONNECTION_ENDED',
    'CONNECTION_DESTROYED',
    'CONNECT_TIMEOUT',
    '08000',
    '08003',
    '08006',
    '08P01',
    '57P01',
    '57P02',
    '57P03',
  ])
    assert.ok(isDatabaseUnreachable(coded(code)), code);
});

it('a fault of the request or the data is not', () => {
  for (const code of [
    '23505',
    '23503',
    '40001',
    '42P01',
    '57014',
    '57P04',
    '57P05',
    '0800',
    '080000',
    'ECONNREFUSED2',
    'XECONNRESET',
    'econnrefused',
    8006,
    null,
  ])
    assert.not.ok(isDatabaseUnreachable(coded(code)), String(code));
  assert.not.ok(isDatabaseUnreachable(new Error('duplicate key value violates unique constraint')));
});

it('a closed PGlite, by its message', () => {
  assert.ok(isDatabaseUnreachable(new Error('PGlite is closed')));
  assert.ok(isDatabaseUnreachable({ message: 'query failed: PGlite is closed' }));
  assert.not.ok(isDatabaseUnreachable(new Error('PGlite is open')));
});

it("the driver's error found among the causes drizzle wraps it in, up to six deep", () => {
  const wrapped = (depth: number) => {
    let e: unknown = coded('ECONNRESET');
    for (let i = 1; i < depth; i++) e = new Error(`Failed query (${i})`, { cause: e });
    return e;
  };
  assert.ok(isDatabaseUnreachable(wrapped(1)));
  assert.ok(isDatabaseUnreachable(wrapped(2)));
  assert.ok(isDatabaseUnreachable(wrapped(6)));
  assert.not.ok(isDatabaseUnreachable(wrapped(7)), 'the walk is bounded');
  assert.ok(isDatabaseUnreachable(new Error('outer', { cause: new Error('PGlite is closed') })));
});

it('no error object: not unreachable', () => {
  for (const e of [undefined, null, 'ECONNREFUSED', 42, { code: 7 }, {}]) assert.not.ok(isDatabaseUnreachable(e), String(e));
  // a cycle of causes ends too
  const a: { code: string; cause?: unknown } = { code: 'X' };
  a.cause = a;
  assert.not.ok(isDatabaseUnreachable(a));
});

it.run();
