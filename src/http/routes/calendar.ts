/**
 * Calendar feeds of due dates (iCalendar): an owner's or a lab's key asks for
 * a read-only feed token, and the feed URL carrying it goes into the calendar
 * application people already use. The token opens that one feed and nothing
 * else; revoking it stops the feed at once. The token travels in the query
 * string, which the audit log and the request log never keep.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessService, FeedAuthentication } from '../../app/access.ts';
import type { CalendarDate } from '../../core/dates.ts';
import type { StoredKey } from '../../app/ports.ts';
import type { VerificationService } from '../../app/verification.ts';
import { fail } from '../../core/errors.ts';
import type { CalendarEntry } from '../../core/verification/calendar.ts';
import { writeCalendar } from '../../codecs/icalendar.ts';
import { errorResponses, IdParams, Nullable } from '../schemas/common.ts';
import { originOf } from './documents.ts';

const Feed = Type.Object({
  id: Type.String(),
  organisationId: Type.String(),
  label: Type.String(),
  revokedAt: Nullable(Type.String()),
  createdAt: Type.String(),
});
const FeedInput = Type.Object(
  { label: Type.String({ minLength: 1, maxLength: 200, description: 'Where the feed is subscribed (a person, an application)' }) },
  { additionalProperties: false },
);
const FeedQuery = Type.Object(
  {
    token: Type.String({ maxLength: 100, description: 'The feed token (mtf_…) from POST /v1/feeds' }),
    days: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: 'How many days ahead (1–731; default 365)' })),
  },
  { additionalProperties: false },
);

const feedAuthentications = new WeakMap<FastifyRequest, Promise<FeedAuthentication>>();

/**
 * What the token of a calendar feed request opens, authenticated once per
 * request: the rate limiter asks first (a real feed is counted by its own id,
 * since calendar services fetch many organisations' feeds from one address; a
 * made-up token is counted by the address it came from), then the route.
 * Null for any other request.
 */
export function feedOfRequest(req: FastifyRequest, access: AccessService, today: CalendarDate): Promise<FeedAuthentication> | null {
  const token = (req.query as { token?: unknown } | undefined)?.token;
  if (req.routeOptions.url !== '/v1/due.ics' || typeof token !== 'string') return null;
  let auth = feedAuthentications.get(req);
  if (!auth) feedAuthentications.set(req, (auth = access.authenticateFeed(token, today)));
  return auth;
}

const writeFeed = (k: StoredKey) => ({ id: k.id, organisationId: k.organisationId!, label: k.label, revokedAt: k.revokedAt, createdAt: k.createdAt });

export function calendarRoutes(access: AccessService, verification: VerificationService, opts: { readonly publicUrl?: string | undefined }) {
  return async function routes(app: FastifyInstance): Promise<void> {
    const tags = ['verification'];
    app.post<{ Body: Static<typeof FeedInput> }>(
      '/v1/feeds',
      {
        schema: {
          tags,
          summary: "A read-only calendar feed of the caller's organisation's due dates; the feed URL (with its token) is in this response only",
          body: FeedInput,
          response: {
            201: Type.Object({
              feed: Feed,
              token: Type.String({ description: 'mtf_<id>_<secret>: shown once, stored only as a hash' }),
              url: Type.String({ description: 'Subscribe to this URL in a calendar application' }),
            }),
            ...errorResponses(400, 403),
          },
        },
      },
      async (req, reply) => {
        const issued = await access.issueFeed(req.caller, req.body.label);
        const url = `${originOf(req, opts.publicUrl)}/v1/due.ics?token=${issued.token}`;
        return reply
          .status(201)
          .header('cache-control', 'no-store')
          .send({ feed: writeFeed(issued.key), token: issued.token, url });
      },
    );
    app.get(
      '/v1/feeds',
      {
        schema: {
          tags,
          summary: "The calendar feeds of the caller's organisation (never a token)",
          response: { 200: Type.Object({ items: Type.Array(Feed) }) },
        },
      },
      async (req) => ({
        items: (await access.listFeeds(req.caller)).map(writeFeed),
      }),
    );
    app.delete<{ Params: Static<typeof IdParams> }>(
      '/v1/feeds/:id',
      {
        schema: {
          tags,
          summary: 'Revoke a calendar feed: its URL stops working at once',
          params: IdParams,
          response: { 200: Feed, ...errorResponses(404, 409) },
        },
      },
      async (req) => writeFeed(await access.revokeFeed(req.caller, req.params.id)),
    );

    app.get<{ Querystring: Static<typeof FeedQuery> }>(
      '/v1/due.ics',
      {
        schema: {
          tags,
          summary:
            "An organisation's due dates as an iCalendar feed (RFC 5545), opened by its feed token: mandatory instruments falling due, those that may not be used today, its standards' certificate and 考核证书 ends",
          querystring: FeedQuery,
          produces: ['text/calendar'],
          response: { 200: Type.String(), ...errorResponses(400, 404) },
        },
      },
      async (req, reply) => {
        const auth = await (feedOfRequest(req, access, app.today()) ?? access.authenticateFeed(req.query.token, app.today()));
        // not 401: a refusal is audited with its path, and the path must never carry a token anywhere
        if (!auth.ok) fail('NOT_FOUND', '?token', auth.reason);
        const days = req.query.days === undefined ? 365 : Number(req.query.days);
        if (days < 1 || days > 731) fail('INVALID_FIELD', '?days', `days must be from 1 to 731 (two years), not ${days}`);
        const organisationId = auth.key.organisationId!;
        const at = app.today();
        const entries = await verification.calendar(organisationId, at, days);
        const origin = originOf(req, opts.publicUrl);
        const host = new URL(origin).host;
        // the public lookup page finds a verified instrument by its certificate number, any by its asset code
        const lookupUrl = (e: CalendarEntry) => {
          const q = e.kind === 'verification_due' || e.kind === 'not_usable' ? (e.certificateNo ?? e.assetCode) : e.assetCode;
          return q === null ? null : `${origin}/lookup?q=${encodeURIComponent(q)}`;
        };
        const ics = writeCalendar(entries, { name: `metrotrace · ${organisationId} · 到期`, stamp: new Date().toISOString(), host, lookupUrl });
        return reply
          .type('text/calendar; charset=utf-8')
          .header('cache-control', 'private, max-age=300')
          .header('content-disposition', 'inline; filename="due.ics"')
          .send(ics);
      },
    );
  };
}
