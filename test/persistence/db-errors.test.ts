/**
 * The database's refusals turned into coded errors, without a database: the
 * driver's error shapes (postgres.js `constraint_name`, PGlite `constraint`),
 * wrapped in drizzle's `cause` chain or not.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MetrologyError } from '../../src/core/errors.ts';
import { translateDbError } from '../../src/persistence/db-errors.ts';

const coded = (e: unknown) => {
  assert.instance(e, MetrologyError);
  const m = e as MetrologyError;
  return [m.code, m.path];
};

test('a unique violation names the field its index protects, whichever driver field carries the constraint', () => {
  assert.equal(coded(translateDbError({ code: '23505', constraint: 'equipment_pkey' })), ['DUPLICATE', '/id']);
  assert.equal(coded(translateDbError({ code: '23505', constraint_name: 'equipment_owner_asset_key_idx' })), ['DUPLICATE', '/assetCode']);
  assert.equal(coded(translateDbError({ code: '23505', constraint: 'some_new_idx' })), ['DUPLICATE', '']);
});

test('some unique violations mean something more precise than a duplicate', () => {
  assert.equal(coded(translateDbError({ code: '23505', constraint: 'calibration_records_supersedes_idx' })), ['ALREADY_SUPERSEDED', '/supersedes']);
  assert.equal(coded(translateDbError({ code: '23505', constraint: 'lab_cmc_versions_cmc_version_idx' })), ['AMENDMENT_OUT_OF_ORDER', '/effectiveFrom']);
});

test('foreign keys, checks, unstorable text and the append-only triggers', () => {
  assert.equal(coded(translateDbError({ code: '23503', constraint: 'x_fk' })), ['UNKNOWN_REFERENCE', '']);
  assert.match((translateDbError({ code: '23503', constraint: 'x_fk' }) as Error).message, /x_fk/);
  assert.equal(coded(translateDbError({ code: '23514', constraint: 'x_check' })), ['INVALID_FIELD', '']);
  assert.equal(coded(translateDbError({ code: '22021' })), ['INVALID_FIELD', '']);
  assert.equal(coded(translateDbError({ code: '22P05' })), ['INVALID_FIELD', '']);
  assert.equal(coded(translateDbError({ code: 'MT001' })), ['APPEND_ONLY', '']);
  assert.equal(coded(translateDbError({ code: 'MT002' })), ['SUPERSEDES_OTHER_SUBJECT', '/supersedes']);
});

test("the driver's error is found along drizzle's cause chain, up to five deep", () => {
  const wrapped = (depth: number): unknown => {
    let e: unknown = { code: '23505', constraint: 'equipment_pkey' };
    for (let i = 1; i < depth; i++) e = Object.assign(new Error('Failed query'), { cause: e });
    return e;
  };
  assert.equal(coded(translateDbError(wrapped(5))), ['DUPLICATE', '/id']);
  const tooDeep = wrapped(6);
  assert.is(translateDbError(tooDeep), tooDeep, 'left as it is');
});

test('anything else is left as it is: other SQL states, plain errors, coded errors', () => {
  for (const e of [{ code: '40001' }, new Error('connection reset'), { code: 'not-a-state' }, 'text']) assert.is(translateDbError(e), e);
  const already = new MetrologyError('DUPLICATE', '/id', 'taken');
  assert.is(translateDbError(already), already);
});

test.run();
