/** Mandatory verification over HTTP: catalogue, policies, capacities, status lookups, due lists, plans, intervals. */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { VerificationService } from '../../app/verification.ts';
import { writeCatalogueEntry } from '../../codecs/catalogue.ts';
import { renderControlChartSvg } from '../../codecs/control-chart-svg.ts';
import {
  dueCsv,
  toCapacity,
  toPlanRequest,
  toPolicy,
  writeCapacity,
  writeDue,
  writeInterval,
  writePlan,
  writePolicy,
  writeStatus,
} from '../../codecs/verification.ts';
import { parseDate } from '../../core/dates.ts';
import { parseInstant } from '../../codecs/instant.ts';
import { pageRequest } from './registry.ts';
import { errorResponses, IdParams } from '../schemas/common.ts';
import {
  AtQuery,
  Capacity,
  CapacityInput,
  Catalogue,
  DueList,
  DueQuery,
  IntervalAnswer,
  IntervalQuery,
  LookupQuery,
  Plan,
  PlanInput,
  Policy,
  PolicyInput,
  PolicyQuery,
  Status,
  StatusQuery,
} from '../../codecs/contracts/verification.ts';

const knownAt = (q: { asKnownAt?: string | undefined }) => (q.asKnownAt === undefined ? null : parseInstant(q.asKnownAt, '?asKnownAt'));

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
          response: { 200: Catalogue, ...errorResponses(400, 404) },
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
          response: { 200: DueList, ...errorResponses(400, 404) },
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
          response: { 201: Policy, ...errorResponses(400, 409) },
        },
      },
      async (req, reply) => {
        service.checkPolicyWriter(req.caller, req.body.regulatorId);
        return reply.status(201).send(writePolicy(await service.createPolicy(toPolicy(req.body, service.newId))));
      },
    );

    app.get<{ Querystring: Static<typeof PolicyQuery> }>(
      '/v1/verification-policies',
      {
        schema: {
          tags,
          summary: 'Local verification policies, optionally of one category',
          querystring: PolicyQuery,
          response: { 200: Type.Object({ items: Type.Array(Policy) }), ...errorResponses(400) },
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
          response: { 201: Capacity, ...errorResponses(400, 409) },
        },
      },
      async (req, reply) => {
        await service.checkCapacityWriter(req.caller, req.body.labId);
        return reply.status(201).send(writeCapacity(await service.createCapacity(toCapacity(req.body, service.newId))));
      },
    );

    app.get(
      '/v1/verification-capacities',
      { schema: { tags, summary: 'Monthly verification capacities of the institutions', response: { 200: Type.Object({ items: Type.Array(Capacity) }) } } },
      async () => ({ items: (await service.listCapacities()).map(writeCapacity) }),
    );

    app.post<{ Body: Static<typeof PlanInput> }>(
      '/v1/verification-plans',
      {
        schema: {
          tags,
          summary: 'Plan the verifications due over a horizon onto the institutions’ capacities; reports overflow by month and category instead of dropping it',
          body: PlanInput,
          response: { 201: Plan, ...errorResponses(400, 404, 409) },
        },
      },
      async (req, reply) => {
        const { id, plan } = await service.plan(toPlanRequest(await service.scopePlanRequest(req.caller, req.body), service.newId));
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
          response: { 200: Plan, ...errorResponses(400, 404) },
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
          response: { 200: IntervalAnswer, ...errorResponses(400, 404, 422) },
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
