/** Mandatory verification over HTTP: catalogue, policies, capacities, status lookups, due lists, plans, intervals. */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { VerificationService } from '../../app/verification.ts';
import { writeCatalogueEntry } from '../../codecs/catalogue.ts';
import { renderControlChartSvg } from '../../codecs/control-chart-svg.ts';
import { dueCsv, writeDue, writeInterval, writePlan, writePolicy, writeStatus } from '../../codecs/verification.ts';
import { parseDate } from '../../core/dates.ts';
import { parseInstant } from '../../codecs/instant.ts';
import { USAGES, type Usage } from '../../core/registry/vocabulary.ts';
import { VERIFICATION_STATES } from '../../core/verification/status.ts';
import { pageRequest } from './registry.ts';
import { CalendarDateString, errorResponses, Id, IdParams, Nullable, OpenObject } from '../schemas/common.ts';
import { RegionCodeOf } from '../../codecs/contracts/common.ts';

const Category = Type.String({ pattern: '^MV[0-9]{3}$', description: 'A catalogue category key (MV001 …).' });
const Region = RegionCodeOf('A GB/T 2260 region code; a province or city code covers its districts.');
const Usage_ = Type.Unsafe<Usage>({ type: 'string', enum: [...USAGES] });
const AtQuery = Type.Object({ at: Type.Optional(CalendarDateString) }, { additionalProperties: false });
const StatusQuery = Type.Object(
  {
    at: Type.Optional(CalendarDateString),
    asKnownAt: Type.Optional(
      Type.String({
        maxLength: 40,
        description:
          'an instant (RFC 3339 with offset): answer as the registry knew it then, from what had been written by that moment (records, corrections, findings, events are append-only); default: as known now',
      }),
    ),
  },
  { additionalProperties: false },
);
const knownAt = (q: { asKnownAt?: string | undefined }) => (q.asKnownAt === undefined ? null : parseInstant(q.asKnownAt, '?asKnownAt'));

const Status = Type.Object(
  {
    equipmentId: Type.String(),
    name: Type.String(),
    assetCode: Nullable(Type.String()),
    ownerId: Type.String(),
    ownerName: Nullable(Type.String()),
    at: Type.String(),
    state: Type.Unsafe<string>({
      type: 'string',
      enum: Object.keys(VERIFICATION_STATES),
      description: Object.entries(VERIFICATION_STATES)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; '),
    }),
    mandatory: Type.Boolean(),
    reason: Type.String(),
    message: Type.String(),
    category: Nullable(Type.String()),
    usage: Type.String(),
    catalogue: Nullable(OpenObject),
    policy: Nullable(OpenObject),
    certificate: Nullable(
      Type.Object({
        id: Type.String(),
        kind: Type.String(),
        certificateNo: Type.String(),
        performedOn: Type.String(),
        validUntil: Nullable(Type.String()),
        conformity: Nullable(Type.String()),
        labId: Type.String(),
        labName: Nullable(Type.String()),
      }),
    ),
    firstVerifiedOn: Nullable(Type.String()),
    dueOn: Nullable(Type.String()),
    daysToDue: Nullable(Type.Integer()),
    serviceLifeEndsOn: Nullable(Type.String()),
    graceEndsOn: Nullable(
      Type.String({ description: 'the last day of a local grace period after the due date (expired_in_grace): enforcement waits until then, use does not' }),
    ),
    suspectBecause: Type.Array(OpenObject, { description: 'for a suspect verification, the findings of the chain behind it on the day it was performed' }),
    usable: Type.Boolean({ description: 'whether the instrument may be used for its purpose at the date (what the public label says)' }),
    traceability: Nullable(Type.Object({ traceable: Type.Boolean(), at: Type.String(), findings: Type.Array(OpenObject) })),
    asKnownAt: Nullable(Type.String({ description: 'the instant this answer is as known at (UTC); null: as known now' })),
  },
  { $id: 'VerificationStatus' },
);

const LookupQuery = Type.Object(
  {
    certificateNo: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    assetCode: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    ownerId: Type.Optional(Id),
    at: Type.Optional(CalendarDateString),
    asKnownAt: Type.Optional(
      Type.String({
        maxLength: 40,
        description:
          'an instant (RFC 3339 with offset): answer as the registry knew it then, from what had been written by that moment (records, corrections, findings, events are append-only); default: as known now',
      }),
    ),
  },
  { additionalProperties: false },
);
const DueQuery = Type.Object(
  {
    from: Type.Optional(CalendarDateString),
    to: CalendarDateString,
    region: Type.Optional(Region),
    owner: Type.Optional(Id),
    category: Type.Optional(Category),
    usage: Type.Optional(Usage_),
    format: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: ['json', 'csv'] })),
    lang: Type.Optional(
      Type.Unsafe<'en' | 'zh'>({ type: 'string', enum: ['en', 'zh'], description: "The CSV's header row: English field names (default) or Chinese terms" }),
    ),
    limit: Type.Optional(
      Type.String({ pattern: '^[0-9]{1,5}$', description: 'items per page of the JSON list, 1–10,000 (default 1,000; the CSV carries them all)' }),
    ),
    cursor: Type.Optional(Type.String({ maxLength: 400, description: 'The nextCursor of the previous page.' })),
    asKnownAt: Type.Optional(
      Type.String({
        maxLength: 40,
        description:
          'an instant (RFC 3339 with offset): the list as the registry gave it then, from what had been written by that moment (records, corrections, findings, events, policies); default: as known now. Each instrument is then worked out one by one: for reproducing an answer, not for the daily list',
      }),
    ),
  },
  { additionalProperties: false },
);
const PolicyInput = Type.Object(
  {
    id: Type.Optional(Id),
    regulatorId: Id,
    category: Category,
    intervalMonths: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 240 }))),
    serviceLifeMonths: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 480 }))),
    graceDays: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 365 }))),
    dueSoonDays: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 365 }))),
    validFrom: CalendarDateString,
    validUntil: CalendarDateString,
    remarks: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  { additionalProperties: false },
);
const CapacityInput = Type.Object(
  {
    id: Type.Optional(Id),
    labId: Id,
    category: Category,
    monthly: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    validFrom: CalendarDateString,
    validUntil: CalendarDateString,
  },
  { additionalProperties: false },
);
const PlanInput = Type.Object(
  {
    id: Type.Optional(Id),
    from: CalendarDateString,
    months: Type.Integer({ minimum: 1, maximum: 120 }),
    regionCode: Type.Optional(Nullable(Region)),
    category: Type.Optional(Nullable(Category)),
  },
  { additionalProperties: false },
);
const IntervalQuery = Type.Object(
  {
    at: Type.Optional(CalendarDateString),
    method: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: ['staircase', 'reliability_target'] })),
    reliability: Type.Optional(Type.String({ pattern: '^0?\\.[0-9]{1,6}$', description: 'Reliability target R in (0, 1); default 0.90 (JJF 1139).' })),
    extension: Type.Optional(Type.String({ pattern: '^[0-9]*\\.?[0-9]{1,6}$', description: 'Staircase extension factor a; default 0.10.' })),
    initial: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}(\\.[0-9]{1,3})?$', description: 'The interval in use before the first result, in months.' })),
  },
  { additionalProperties: false },
);

export function verificationRoutes(service: VerificationService) {
  return async function routes(app: FastifyInstance): Promise<void> {
    const tags = ['verification'];
    app.addSchema(Status);

    app.get<{ Querystring: Static<typeof AtQuery> }>(
      '/v1/catalogue',
      {
        schema: {
          tags,
          summary:
            'The catalogue of instruments under compulsory administration in force at a date, with each entry’s usages, verification form, regulation and legal interval',
          querystring: AtQuery,
          response: {
            200: Type.Object({ id: Type.String(), title: Type.String(), publishedOn: Type.String(), source: Type.String(), entries: Type.Array(OpenObject) }),
            ...errorResponses(400, 404),
          },
        },
      },
      async (req) => {
        const c = service.catalogue(parseDate(req.query.at ?? app.today(), '?at'));
        return { id: c.id, title: c.title, publishedOn: c.publishedOn, source: c.source, entries: c.entries.map(writeCatalogueEntry) };
      },
    );

    app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof StatusQuery> }>(
      '/v1/equipment/:id/status',
      {
        schema: {
          tags,
          summary:
            'Verification status at a date (default today): in force, due soon, overdue, never verified, failed, service life ended or not mandatory — with the certificate, lab, due date and the traceability verdict; as known now, or as known at an earlier instant (asKnownAt)',
          params: IdParams,
          querystring: StatusQuery,
          response: { 200: Type.Ref('VerificationStatus'), ...errorResponses(400, 404) },
        },
      },
      async (req) => {
        const asKnownAt = knownAt(req.query);
        return { ...writeStatus(await service.status(req.params.id, parseDate(req.query.at ?? app.today(), '?at'), asKnownAt)), asKnownAt };
      },
    );

    app.get<{ Querystring: Static<typeof LookupQuery> }>(
      '/v1/status',
      {
        schema: {
          tags,
          summary: "An inspector's lookup of verification status by certificate number, or by the owner's asset code",
          querystring: LookupQuery,
          response: { 200: Type.Ref('VerificationStatus'), ...errorResponses(400, 404) },
        },
      },
      async (req) => {
        const asKnownAt = knownAt(req.query);
        const v = await service.lookup(req.query, parseDate(req.query.at ?? app.today(), '?at'), asKnownAt);
        await app.visibility.equipment(req.caller, [v.equipment.id], req.query.certificateNo !== undefined ? '?certificateNo' : '?assetCode');
        return { ...writeStatus(v), asKnownAt };
      },
    );

    app.get<{ Querystring: Static<typeof DueQuery> }>(
      '/v1/due',
      {
        schema: {
          tags,
          summary: 'Mandatory instruments due or overdue by a date, by region, owner, category and usage (JSON or CSV)',
          querystring: DueQuery,
          produces: ['application/json', 'text/csv'],
          response: {
            200: Type.Object({
              asKnownAt: Nullable(Type.String({ description: 'the instant this answer is as known at (UTC); null: as known now' })),
              from: Type.String(),
              to: Type.String(),
              count: Type.Integer(),
              summary: OpenObject,
              items: Type.Array(OpenObject),
              nextCursor: Type.Union([Type.String(), Type.Null()]),
            }),
            ...errorResponses(400, 404),
          },
        },
      },
      async (req, reply) => {
        const from = parseDate(req.query.from ?? app.today(), '?from');
        const to = parseDate(req.query.to, '?to');
        const asKnownAt = knownAt(req.query);
        const filter = await app.visibility.dueFilter(req.caller, {
          from,
          to,
          regionCode: req.query.region,
          ownerId: req.query.owner,
          category: req.query.category,
          usage: req.query.usage,
          asKnownAt,
        });
        const items = await service.due(filter);
        if (req.query.format === 'csv') return reply.type('text/csv; charset=utf-8').send(dueCsv(items, { lang: req.query.lang, bom: true }));
        return { asKnownAt, ...writeDue(from, to, items, pageRequest(req.query, { fallback: 1000, max: 10_000 })) };
      },
    );

    app.post<{ Body: Static<typeof PolicyInput> }>(
      '/v1/verification-policies',
      {
        schema: {
          tags,
          summary:
            "Issue a regulator's local policy for a category (shorter interval or service life, grace days, due-soon window); it may not lengthen a legal period",
          body: PolicyInput,
          response: { 201: OpenObject, ...errorResponses(400, 409) },
        },
      },
      async (req, reply) => {
        service.checkPolicyWriter(req.caller, req.body.regulatorId);
        return reply.status(201).send(writePolicy(await service.createPolicy(req.body)));
      },
    );

    app.get<{ Querystring: { category?: string } }>(
      '/v1/verification-policies',
      {
        schema: {
          tags,
          summary: 'Local verification policies, optionally of one category',
          querystring: Type.Object({ category: Type.Optional(Category) }, { additionalProperties: false }),
          response: { 200: Type.Object({ items: Type.Array(OpenObject) }), ...errorResponses(400) },
        },
      },
      async (req) => ({ items: (await service.listPolicies(req.query.category)).map(writePolicy) }),
    );

    app.post<{ Body: Static<typeof CapacityInput> }>(
      '/v1/verification-capacities',
      {
        schema: {
          tags,
          summary: "Declare an authorised institution's monthly verification capacity for a category (the lab needs a mandatory-verification scope for it)",
          body: CapacityInput,
          response: { 201: OpenObject, ...errorResponses(400, 409) },
        },
      },
      async (req, reply) => {
        await service.checkCapacityWriter(req.caller, req.body.labId);
        return reply.status(201).send(await service.createCapacity(req.body));
      },
    );

    app.get(
      '/v1/verification-capacities',
      { schema: { tags, summary: 'Monthly verification capacities of the institutions', response: { 200: Type.Object({ items: Type.Array(OpenObject) }) } } },
      async () => ({ items: await service.listCapacities() }),
    );

    app.post<{ Body: Static<typeof PlanInput> }>(
      '/v1/verification-plans',
      {
        schema: {
          tags,
          summary: 'Plan the verifications due over a horizon onto the institutions’ capacities; reports overflow by month and category instead of dropping it',
          body: PlanInput,
          response: { 201: OpenObject, ...errorResponses(400, 404, 409) },
        },
      },
      async (req, reply) => {
        const { id, plan } = await service.plan(await service.scopePlanRequest(req.caller, req.body));
        return reply.status(201).send(writePlan(id, plan));
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/verification-plans/:id',
      {
        schema: {
          tags,
          summary: 'A stored verification plan, as it was computed',
          params: IdParams,
          response: { 200: OpenObject, ...errorResponses(400, 404) },
        },
      },
      async (req) => {
        const { id, plan } = await service.getPlan(req.params.id);
        return writePlan(id, plan);
      },
    );

    app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof IntervalQuery> }>(
      '/v1/equipment/:id/interval-recommendation',
      {
        schema: {
          tags,
          summary:
            'Recommended recalibration/verification interval from the in-tolerance history (ILAC-G24 staircase; JJF 1139 reliability target), capped at the legal interval for mandatory instruments',
          params: IdParams,
          querystring: IntervalQuery,
          response: {
            200: Type.Object({
              equipmentId: Type.String(),
              at: Type.String(),
              state: Type.String(),
              mandatory: Type.Boolean(),
              recommendations: Type.Array(OpenObject),
            }),
            ...errorResponses(400, 404, 422),
          },
        },
      },
      async (req) => {
        const at = parseDate(req.query.at ?? app.today(), '?at');
        const r = await service.intervalRecommendation(req.params.id, at, {
          method: req.query.method as 'staircase' | undefined,
          reliability: req.query.reliability,
          extension: req.query.extension,
          initial: req.query.initial,
        });
        return {
          equipmentId: req.params.id,
          at,
          state: r.status.state,
          mandatory: r.status.classification.mandatory,
          recommendations: r.recommendations.map(writeInterval),
        };
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/equipment/:id/control-chart.svg',
      {
        schema: {
          tags,
          summary: 'Control chart (SVG) of the as-found errors of an equipment against its MPE',
          params: IdParams,
          produces: ['image/svg+xml'],
          response: { 200: Type.String({ description: 'image/svg+xml' }), ...errorResponses(400, 404) },
        },
      },
      async (req, reply) => {
        const { equipment, points } = await service.asFound(req.params.id);
        return reply.type('image/svg+xml; charset=utf-8').send(renderControlChartSvg(equipment, points));
      },
    );
  };
}
