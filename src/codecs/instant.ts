/** An instant on the wire (RFC 3339 with its offset), for answers "as known at" a moment. */
import { parseDate } from '../core/dates.ts';
import { fail } from '../core/errors.ts';

const INSTANT_SYNTAX = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An instant as RFC 3339 text with its offset (`2026-11-25T10:00:00+08:00`,
 * `…Z`), returned as the same instant in UTC (`2026-11-25T02:00:00.000Z`).
 */
export function parseInstant(value: unknown, path: string): string {
  const m = typeof value === 'string' ? INSTANT_SYNTAX.exec(value) : null;
  if (!m) fail('INVALID_FIELD', path, `expected an instant with its offset, e.g. 2026-11-25T10:00:00+08:00 or 2026-11-25T02:00:00Z`);
  parseDate(m[1], path);
  const t = Date.parse(value as string);
  if (Number.isNaN(t)) fail('INVALID_FIELD', path, `${String(value)} is not a real instant`);
  return new Date(t).toISOString();
}
