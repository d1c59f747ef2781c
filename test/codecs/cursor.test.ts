/** Pagination cursors: the last id of a page, base64url with a version prefix, and only cursors this server issued are read back. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeCursor, encodeCursor } from '../../src/codecs/cursor.ts';
import { refusal } from '../helpers/refusal.ts';

const it = suite('cursor');

it('encodes the id behind the c1: prefix in base64url, null for the last page', () => {
  assert.is(encodeCursor('scale-1'), 'YzE6c2NhbGUtMQ');
  assert.is(Buffer.from(encodeCursor('scale-1')!, 'base64url').toString('utf8'), 'c1:scale-1');
  assert.is(encodeCursor(null), null);
});

it('round-trips ids, Chinese ones too', () => {
  for (const id of ['a', 'scale-stall-17', '器具-1', 'x'.repeat(64), '']) assert.is(decodeCursor(encodeCursor(id)), id);
});

it('no cursor is the first page', () => {
  assert.is(decodeCursor(undefined), null);
  assert.is(decodeCursor(null), null);
  assert.is(decodeCursor(''), null);
});

it('refuses a cursor it did not issue, at the path given', () => {
  const refused = (cursor: string, path?: string) => refusal(() => decodeCursor(cursor, path));
  assert.equal(refused(Buffer.from('c2:scale-1').toString('base64url')), ['INVALID_CURSOR', '/cursor']);
  assert.equal(refused('scale-1'), ['INVALID_CURSOR', '/cursor']);
  assert.equal(refused('YzE6c2NhbGUtMQ=='), ['INVALID_CURSOR', '/cursor']);
  assert.equal(refused('a'.repeat(201)), ['INVALID_CURSOR', '/cursor']);
  assert.equal(refused('not base64!', '?cursor'), ['INVALID_CURSOR', '?cursor']);
});

it.run();
