/** Opaque pagination cursors: the last id of a page, base64url-encoded with a version prefix. */
import { fail } from '../core/errors.ts';

const PREFIX = 'c1:';

export function encodeCursor(lastId: string | null): string | null {
  return lastId === null ? null : Buffer.from(PREFIX + lastId, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined | null, path = '/cursor'): string | null {
  if (cursor === undefined || cursor === null || cursor === '') return null;
  const text = /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!text.startsWith(PREFIX)) fail('INVALID_CURSOR', path, 'this cursor was not issued by this server; start again without it and follow nextCursor');
  return text.slice(PREFIX.length);
}
