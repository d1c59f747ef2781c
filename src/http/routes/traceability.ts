/** GET /v1/equipment/{id}/traceability: the chain up to the national standard at a date, and why it is broken. */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TraceabilityService } from '../../app/traceability.ts';
import { impactCsv, writeImpact, writeTrace } from '../../codecs/traceability.ts';
import { renderChainSvg } from '../../codecs/chain-svg.ts';
import { parseDate } from '../../core/dates.ts';
import { parseInstant } from '../../codecs/instant.ts';
import { DERIVED_DIGITS, toSignificant, toText } from '../../core/numeric/decimal.ts';
import { CalendarDateString, errorResponses, Id, IdParams, Nullable, OpenObject } from '../schemas/common.ts';

const Finding = Type.Object({
  code: Type.String({
    description:
      'NO_RECORD_IN_FORCE, CERTIFICATE_EXPIRED, NO_STATED_VALIDITY, RECORD_FAILED, OUT_OF_TOLERANCE, STANDARD_SUSPENDED, ASSESSMENT_EXPIRED, NO_ASSESSMENT, LAB_NOT_AUTHORISED, ACCURACY_RATIO_LOW, CYCLE, DEAD_END, UNKNOWN_EQUIPMENT',
  }),
  equipmentId: Type.String(),
  recordId: Type.Union([Type.String(), Type.Null()]),
  date: Type.String(),
  message: Type.String(),
});

const Link = Type.Recursive(
  (This) =>
    Type.Object({
      equipmentId: Type.String(),
      name: Type.Union([Type.String(), Type.Null()]),
      level: Type.Union([Type.String(), Type.Null()]),
      quantity: Type.Union([Type.String(), Type.Null()]),
      at: Type.String(),
      record: Type.Union([
        Type.Object({
          id: Type.String(),
          kind: Type.String(),
          certificateNo: Type.String(),
          performedOn: Type.String(),
          validUntil: Nullable(Type.String()),
          conformity: Type.Union([Type.String(), Type.Null()]),
          labId: Type.String(),
          labName: Type.Union([Type.String(), Type.Null()]),
        }),
        Type.Null(),
      ]),
      realisation: Type.Union([Type.String(), Type.Null()]),
      findings: Type.Array(Finding),
      notes: Type.Array(Finding, {
        description:
          'what the chain says without being broken or mended by it: EXTERNAL_REFERENCE (standards outside this registry), FILED_UNCONFIRMED (a certificate the owner filed for a lapsed link awaits the lab’s confirmation)',
      }),
      references: Type.Array(This),
    }),
  { $id: 'ChainLink' },
);

const TraceQuery = Type.Object(
  {
    at: Type.Optional(CalendarDateString),
    asKnownAt: Type.Optional(
      Type.String({
        maxLength: 40,
        description: 'an instant (RFC 3339 with offset): answer as the registry knew it then, from what had been written by that moment; default: as known now',
      }),
    ),
  },
  { additionalProperties: false },
);
const ImpactQuery = Type.Object(
  {
    since: CalendarDateString,
    format: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: ['json', 'csv'] })),
    lang: Type.Optional(
      Type.Unsafe<'en' | 'zh'>({ type: 'string', enum: ['en', 'zh'], description: "The CSV's header row: English field names (default) or Chinese terms" }),
    ),
  },
  { additionalProperties: false },
);
const ToleranceInput = Type.Object(
  {
    id: Type.Optional(Id),
    foundOn: CalendarDateString,
    lastKnownGood: CalendarDateString,
    remarks: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
  },
  { additionalProperties: false },
);
const CorrelationQuery = Type.Object({ a: Id, b: Id, at: Type.Optional(CalendarDateString) }, { additionalProperties: false });
const BudgetRow = Type.Object({
  label: Type.String(),
  equipmentId: Type.String(),
  level: Type.Union([Type.String(), Type.Null()]),
  u: Type.String({ description: "the level's total relative standard uncertainty, as its record states it (its reference's included)" }),
  own: Type.String({ description: 'what the level adds beyond its reference: √(u² − u_ref²)' }),
  contribution: Type.String({ description: "|component| of the level's own part in the equipment's chain uncertainty" }),
  source: Type.String({ description: 'record, equipment (its stated accuracy), chart (typical for its level) or none' }),
  belowReference: Type.Boolean({ description: 'true when the total lies below its reference’s, so the level adds nothing' }),
});

export function traceabilityRoutes(service: TraceabilityService) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.addSchema(Link);
    app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof TraceQuery> }>(
      '/v1/equipment/:id/traceability',
      {
        schema: {
          tags: ['traceability'],
          summary: 'The traceability chain of an equipment at a date (default today), up to the national primary standard, with every finding that breaks it',
          params: IdParams,
          querystring: TraceQuery,
          response: {
            200: Type.Object({
              equipmentId: Type.String(),
              at: Type.String(),
              traceable: Type.Boolean(),
              findings: Type.Array(Finding),
              notes: Type.Array(Finding),
              chain: Type.Ref('ChainLink'),
              asKnownAt: Nullable(Type.String({ description: 'the instant this answer is as known at (UTC); null: as known now' })),
            }),
            ...errorResponses(400, 404),
          },
        },
      },
      async (req) => {
        const asKnownAt = req.query.asKnownAt === undefined ? null : parseInstant(req.query.asKnownAt, '?asKnownAt');
        return { ...writeTrace(await service.trace(req.params.id, parseDate(req.query.at ?? app.today(), '?at'), asKnownAt)), asKnownAt };
      },
    );

    app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof TraceQuery> }>(
      '/v1/equipment/:id/chain-uncertainty',
      {
        schema: {
          tags: ['traceability'],
          summary: 'The relative standard uncertainty an equipment carries from every level of its chain at a date, level by level',
          params: IdParams,
          querystring: TraceQuery,
          response: {
            200: Type.Object({
              equipmentId: Type.String(),
              at: Type.String(),
              traceable: Type.Boolean(),
              relativeStandardUncertainty: Type.Union([Type.String(), Type.Null()], {
                description: "the equipment's own record's relative standard uncertainty, carried down the chain; null when the chain is broken",
              }),
              reason: Type.Union([Type.String(), Type.Null()], { description: 'why there is no chain uncertainty' }),
              budget: Type.Array(BudgetRow),
            }),
            ...errorResponses(400, 404),
          },
        },
      },
      async (req) => {
        const r = await service.uncertainty(req.params.id, parseDate(req.query.at ?? app.today(), '?at'));
        return {
          equipmentId: req.params.id,
          at: r.trace.at,
          traceable: r.trace.traceable,
          relativeStandardUncertainty: r.u === null ? null : toSignificant(r.u, DERIVED_DIGITS),
          reason: r.reason,
          budget: r.budget.map((b) => ({
            label: b.label,
            equipmentId: b.equipmentId,
            level: b.level,
            source: b.source,
            u: toText(b.u),
            own: toText(b.own),
            contribution: toText(b.component.abs()),
            belowReference: b.belowReference,
          })),
        };
      },
    );

    app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof TraceQuery> }>(
      '/v1/equipment/:id/traceability.svg',
      {
        schema: {
          tags: ['traceability'],
          summary: 'The traceability chain as an SVG diagram: levels top to bottom, broken links in red with their finding codes',
          params: IdParams,
          querystring: TraceQuery,
          produces: ['image/svg+xml'],
          response: { 200: Type.String({ description: 'image/svg+xml' }), ...errorResponses(400, 404) },
        },
      },
      async (req, reply) => {
        const trace = await service.trace(req.params.id, parseDate(req.query.at ?? app.today(), '?at'));
        return reply.type('image/svg+xml; charset=utf-8').send(renderChainSvg(trace));
      },
    );

    app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof ToleranceInput> }>(
      '/v1/equipment/:id/out-of-tolerance',
      {
        schema: {
          tags: ['traceability'],
          summary: 'Record that a standard was found out of tolerance, with its last known good date (append-only)',
          params: IdParams,
          body: ToleranceInput,
          response: {
            201: Type.Object({
              id: Type.String(),
              equipmentId: Type.String(),
              foundOn: Type.String(),
              lastKnownGood: Type.String(),
              remarks: Type.Union([Type.String(), Type.Null()]),
            }),
            ...errorResponses(400, 404, 409),
          },
        },
      },
      async (req, reply) => {
        await service.checkFindingWriter(req.caller, req.params.id);
        return reply.status(201).send(await service.recordOutOfTolerance(req.params.id, req.body));
      },
    );

    app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof ImpactQuery> }>(
      '/v1/equipment/:id/dependents',
      {
        schema: {
          tags: ['traceability'],
          summary:
            'Impact analysis: every equipment whose result depended on this standard on or after a date, transitively, mandatory instruments first (JSON or CSV)',
          params: IdParams,
          querystring: ImpactQuery,
          response: {
            200: Type.Object({
              standardId: Type.String(),
              since: Type.String(),
              count: Type.Integer(),
              mandatoryCount: Type.Integer(),
              dependents: Type.Array(OpenObject),
              byOwner: Type.Array(
                Type.Object({
                  ownerId: Type.String(),
                  ownerName: Type.Union([Type.String(), Type.Null()]),
                  count: Type.Integer(),
                  equipmentIds: Type.Array(Type.String()),
                }),
              ),
            }),
            ...errorResponses(400, 404),
          },
        },
      },
      async (req, reply) => {
        const list = await app.visibility.dependents(req.caller, await service.impact(req.params.id, req.query.since));
        if (req.query.format === 'csv') return reply.type('text/csv; charset=utf-8').send(impactCsv(list, { lang: req.query.lang, bom: true }));
        return writeImpact(req.params.id, req.query.since, list);
      },
    );

    app.get<{ Querystring: Static<typeof CorrelationQuery> }>(
      '/v1/equipment/correlation',
      {
        schema: {
          tags: ['traceability'],
          summary: 'The correlation between two equipment through the reference standards their chains share',
          querystring: CorrelationQuery,
          response: {
            200: Type.Object({
              a: Type.String(),
              b: Type.String(),
              at: Type.String(),
              correlation: Type.Union([Type.String(), Type.Null()], { description: 'null when either chain is broken' }),
              reason: Type.Union([Type.String(), Type.Null()]),
              sharedStandards: Type.Array(Type.String()),
              traceable: Type.Object({ a: Type.Boolean(), b: Type.Boolean() }),
            }),
            ...errorResponses(400, 404),
          },
        },
      },
      async (req) => {
        await app.visibility.equipment(req.caller, [req.query.a, req.query.b], '?a');
        const at = parseDate(req.query.at ?? app.today(), '?at');
        const r = await service.correlation(req.query.a, req.query.b, at);
        return {
          a: req.query.a,
          b: req.query.b,
          at,
          correlation: r.r === null ? null : toSignificant(r.r, DERIVED_DIGITS),
          reason: r.reason,
          sharedStandards: r.shared,
          traceable: { a: r.a.traceable, b: r.b.traceable },
        };
      },
    );
  };
}
