/** /v1/keys and /v1/audit-log: issuing and revoking API keys, and reading who did what (admin only). */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AccessService } from '../../app/access.ts';
import type { StoredKey } from '../../app/ports.ts';
import { parseDate } from '../../core/dates.ts';
import { fail } from '../../core/errors.ts';
import { CalendarDateString, errorResponses, Id, IdParams, Nullable } from '../schemas/common.ts';

const Role = Type.String({ enum: ['admin', 'lab', 'owner', 'inspector', 'auditor'] });
const KeyInput = Type.Object(
  {
    role: Role,
    organisationId: Type.Optional(Nullable(Id)),
    label: Type.String({ minLength: 1, maxLength: 200, description: 'Who holds the key (a person, a system)' }),
    expiresOn: Type.Optional(Nullable(CalendarDateString)),
  },
  { additionalProperties: false },
);
const Key = Type.Object({
  id: Type.String(),
  role: Type.String(),
  organisationId: Nullable(Type.String()),
  label: Type.String(),
  expiresOn: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
  createdAt: Type.String(),
  purpose: Nullable(Type.String({ description: "null: an API key; 'calendar_feed': a read-only calendar feed token" })),
  issuedByKey: Nullable(Type.String({ description: 'for a calendar feed: the key that asked for it' })),
});
const AuditQuery = Type.Object(
  {
    keyId: Type.Optional(Type.String({ maxLength: 64 })),
    organisation: Type.Optional(Id),
    after: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', description: 'Entries after this sequence number' })),
    from: Type.Optional(CalendarDateString),
    to: Type.Optional(CalendarDateString),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
  },
  { additionalProperties: false },
);

const writeKey = (k: StoredKey) => ({
  id: k.id,
  role: k.role,
  organisationId: k.organisationId,
  label: k.label,
  expiresOn: k.expiresOn,
  revokedAt: k.revokedAt,
  createdAt: k.createdAt,
  purpose: k.purpose,
  issuedByKey: k.issuedByKey,
});

export function accessRoutes(access: AccessService) {
  return async function routes(app: FastifyInstance): Promise<void> {
    const tags = ['access'];
    app.post<{ Body: Static<typeof KeyInput> }>(
      '/v1/keys',
      {
        schema: {
          tags,
          summary: 'Issue an API key bound to a role and (except admin) an organisation; the token is in this response only',
          body: KeyInput,
          response: {
            201: Type.Object({ key: Key, token: Type.String({ description: 'mtk_<id>_<secret>: shown once, stored only as a hash' }) }),
            ...errorResponses(400, 404),
          },
        },
      },
      async (req, reply) => {
        const issued = await access.issue(req.body, parseDate(app.today(), ''));
        return reply
          .status(201)
          .header('cache-control', 'no-store')
          .send({ key: writeKey(issued.key), token: issued.token });
      },
    );
    app.get(
      '/v1/keys',
      {
        schema: { tags, summary: 'Every key (never a secret), revoked and expired ones included', response: { 200: Type.Object({ items: Type.Array(Key) }) } },
      },
      async () => ({
        items: (await access.listKeys()).map(writeKey),
      }),
    );
    app.delete<{ Params: Static<typeof IdParams> }>(
      '/v1/keys/:id',
      {
        schema: {
          tags,
          summary: 'Revoke a key; it stops working at once and stays listed',
          params: IdParams,
          response: { 200: Key, ...errorResponses(400, 404, 409) },
        },
      },
      async (req) => writeKey(await access.revoke(req.params.id)),
    );
    app.get<{ Querystring: Static<typeof AuditQuery> }>(
      '/v1/audit-log',
      {
        schema: {
          tags,
          summary:
            'The audit log: every write and every refused request — when, which key, role and organisation, route, status and address; oldest first, paged by sequence number',
          querystring: AuditQuery,
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  seq: Type.Integer(),
                  at: Type.String(),
                  keyId: Nullable(Type.String()),
                  role: Type.String(),
                  organisationId: Nullable(Type.String()),
                  method: Type.String(),
                  route: Type.String(),
                  path: Type.String(),
                  params: Type.Record(Type.String(), Type.String()),
                  status: Type.Integer(),
                  outcome: Type.String(),
                  address: Type.String(),
                  requestId: Type.String(),
                }),
              ),
              nextAfter: Nullable(Type.String()),
            }),
            ...errorResponses(400),
          },
        },
      },
      async (req) => {
        const q = req.query;
        const limit = q.limit === undefined ? 100 : Number(q.limit);
        if (limit < 1 || limit > 1000) fail('INVALID_FIELD', '?limit', 'limit must be between 1 and 1000');
        const to = q.to === undefined ? undefined : `${parseDate(q.to, '?to')}T23:59:59.999999Z`;
        const from = q.from === undefined ? undefined : `${parseDate(q.from, '?from')}T00:00:00Z`;
        const items = await access.auditLog({
          keyId: q.keyId,
          organisationId: q.organisation,
          afterSeq: q.after === undefined ? undefined : Number(q.after),
          from,
          to,
          limit,
        });
        return { items, nextAfter: items.length === limit ? String(items[items.length - 1]!.seq) : null };
      },
    );
  };
}
