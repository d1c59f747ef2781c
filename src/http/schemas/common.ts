/** Shared JSON schemas of the HTTP transport: problems, pages (the building blocks of contracts are in codecs/contracts/common.ts). */
import { Type, type TSchema } from '@sinclair/typebox';
import { Nullable } from '../../codecs/contracts/common.ts';

export { CalendarDateString, DecimalString, Id, IdParams, Nullable, PageQuery } from '../../codecs/contracts/common.ts';

/** An object whose fields the route's codec writes (documented in the route's summary); serialised as is. */
export const OpenObject = Type.Object({}, { additionalProperties: true });

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

export function PageOf<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    nextCursor: Nullable(Type.String({ description: 'Pass as cursor to get the next page; null on the last page.' })),
  });
}
