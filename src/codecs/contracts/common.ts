/**
 * The building blocks of every resource's contract (TypeBox, i.e. JSON
 * Schema): decimals and dates as strings, ids, region codes, bounded text.
 *
 * A schema whose failure has its own error code says so with the annotation
 * `x-error-code` (INVALID_DECIMAL, INVALID_DATE); one whose pattern needs a
 * sentence a person can act on carries it as `x-hint`. The HTTP error mapper
 * and the contract reader (read.ts) take code and sentence from there, never
 * from the text of a pattern.
 */
import { type TSchema, Type } from '@sinclair/typebox';
import { DECIMAL_PATTERN } from '../../core/numeric/decimal.ts';

/** The annotation naming the error code of a schema's failure. */
export const ERROR_CODE = 'x-error-code';
/** The annotation giving the sentence for a failed pattern. */
export const HINT = 'x-hint';

export const DecimalString = Type.String({
  pattern: DECIMAL_PATTERN,
  description: 'A decimal number as a string ("0.000025", "1e-6"); JSON numbers are rejected so that no value passes through a binary float.',
  examples: ['0.000025'],
  [ERROR_CODE]: 'INVALID_DECIMAL',
});

const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

/** A calendar date, YYYY-MM-DD; `description` says what the date is. */
export const DateString = (description = 'A calendar date, YYYY-MM-DD.') =>
  Type.String({ pattern: DATE_PATTERN, description, examples: ['2026-11-25'], [ERROR_CODE]: 'INVALID_DATE' });

export const CalendarDateString = DateString();

/** Ids chosen by callers: letters, digits and . _ - (so they are safe in URLs and files). */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const ID_HINT = 'an id is 1–64 letters, digits, dots, underscores or hyphens, starting with a letter or digit';

export const Id = Type.String({ pattern: ID_PATTERN.source, description: 'An id: letters, digits, dot, underscore, hyphen.', [HINT]: ID_HINT });

export const IdParams = Type.Object({ id: Id });

/** The six-digit administrative division code of GB/T 2260. */
export const REGION_PATTERN = /^\d{6}$/;
export const RegionCodeOf = (description = 'GB/T 2260 administrative division code.') =>
  Type.String({
    pattern: REGION_PATTERN.source,
    description,
    [HINT]: 'a region code is the six-digit administrative division code of GB/T 2260, e.g. "310000"',
  });
export const RegionCode = RegionCodeOf();

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Text of 1 to `max` characters; `description` says what it is. */
export const Text = (max: number, description?: string) => Type.String({ minLength: 1, maxLength: max, ...(description ? { description } : {}) });

/** One of a vocabulary's words. */
export const Enum = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

/** The paging of a list: `?limit=&cursor=`. */
export const PageQuery = {
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: 'Page size, 1–500 (default 50).' })),
  cursor: Type.Optional(Type.String({ maxLength: 400, description: 'The nextCursor of the previous page.' })),
};
