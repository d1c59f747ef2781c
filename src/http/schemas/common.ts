/** Shared JSON schemas: decimals and dates as strings, ids, problems, pages. */
import { Type, type TSchema } from '@sinclair/typebox';
import { DECIMAL_PATTERN } from '../../core/numeric/decimal.ts';

export const DecimalString = Type.String({
  pattern: DECIMAL_PATTERN,
  description: 'A decimal number as a string ("0.000025", "1e-6"); JSON numbers are rejected so that no value passes through a binary float.',
  examples: ['0.000025'],
});

export const CalendarDateString = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'A calendar date, YYYY-MM-DD.',
  examples: ['2026-11-25'],
});

export const Id = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', description: 'An id: letters, digits, dot, underscore, hyphen.' });

export const IdParams = Type.Object({ id: Id });

/** An object whose fields the route's codec writes (documented in the route's summary); serialised as is. */
export const OpenObject = Type.Object({}, { additionalProperties: true });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'Stable error code; see docs/errors.md.' }),
    path: Type.String({ description: 'JSON pointer of the field at fault ("" for the whole request).' }),
    detail: Type.String({ description: 'What is wrong and what to do about it.' }),
  },
  { $id: 'Problem', description: 'An RFC 9457 problem (application/problem+json).' },
);

/** The error responses a route may give, for its schema and the OpenAPI document. */
export function errorResponses(...statuses: number[]): Record<number, unknown> {
  return Object.fromEntries(statuses.map((s) => [s, Type.Ref('Problem')]));
}

export const PageQuery = {
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: 'Page size, 1–500 (default 50).' })),
  cursor: Type.Optional(Type.String({ maxLength: 400, description: 'The nextCursor of the previous page.' })),
};

export function PageOf<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    nextCursor: Nullable(Type.String({ description: 'Pass as cursor to get the next page; null on the last page.' })),
  });
}
