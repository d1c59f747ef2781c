/** Lots of meters in service over HTTP (issue #22): registration, state at a date, sampling plans, results and the decision, the OC curve. */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { LotService } from '../../app/lots.ts';
import type { LotRow } from '../../app/ports.ts';
import { lotHistoryCsv, renderPopulationSvg } from '../../codecs/lot-reports.ts';
import { defaultPMax, planOcChart, renderOcSvg } from '../../codecs/oc-svg.ts';
import { parseDate } from '../../core/dates.ts';
import { fail } from '../../core/errors.ts';
import { parseDecimal } from '../../core/numeric/decimal.ts';
import { TABLE_SOURCES } from '../../core/sampling/iso2859-tables.ts';
import { Z19_SOURCES } from '../../core/sampling/z19-tables.ts';
import { CalendarDateString, DecimalString, errorResponses, Id, IdParams } from '../schemas/common.ts';
import { toLot, toResults, toRotation, toSamplingPlan } from '../../codecs/lots.ts';
import {
  DrawnLotPlan,
  LotAt,
  LotInput,
  LotPopulation,
  LotResult,
  PublishedLotPlan,
  RegisteredLot,
  ResultsInput,
  Rotation,
  RotationInput,
  RotationPlan,
  SamplingPlanInput,
  SamplingTables,
} from '../../codecs/contracts/lots.ts';
import { RegionCodeOf } from '../../codecs/contracts/common.ts';

const PlanParams = Type.Object({ id: Id, planId: Id });
const AtQuery = Type.Object({ at: Type.Optional(CalendarDateString) }, { additionalProperties: false });
const RotationQuery = Type.Object(
  {
    from: Type.Optional(CalendarDateString),
    months: Type.String({ pattern: '^[0-9]{1,3}$', description: 'calendar months from the month of `from`, 1 to 120' }),
    regionCode: Type.Optional(
      RegionCodeOf('A GB/T 2260 region code; a province or city code covers its districts. An inspector plans in its own region (the default).'),
    ),
    ownerId: Type.Optional(Id),
    capacityPerMonth: Type.Optional(
      Type.String({ pattern: '^[0-9]{1,9}$', description: 'meters that can be replaced a month over the scope; omitted: each meter in the month it is due' }),
    ),
  },
  { additionalProperties: false },
);
const HistoryQuery = Type.Object(
  {
    at: Type.Optional(CalendarDateString),
    lang: Type.Optional(
      Type.Unsafe<'en' | 'zh'>({
        type: 'string',
        enum: ['en', 'zh'],
        description: "The CSV's header row and the event and state names: English (default) or Chinese",
      }),
    ),
  },
  { additionalProperties: false },
);
const PopulationQuery = Type.Object(
  {
    at: Type.Optional(CalendarDateString),
    regionCode: Type.Optional(
      RegionCodeOf('A GB/T 2260 region code; a province or city code covers its districts. An inspector or auditor counts in its own region (the default).'),
    ),
    ownerId: Type.Optional(Id),
    by: Type.Optional(
      Type.Unsafe<'installation_year' | 'age'>({
        type: 'string',
        enum: ['installation_year', 'age'],
        description: 'group the lots by the year their installation began (default) or by their age in whole years at `at`',
      }),
    ),
  },
  { additionalProperties: false },
);
const OcQuery = Type.Object({ lq: Type.Optional(DecimalString), pMax: Type.Optional(DecimalString) }, { additionalProperties: false });

/**
 * A lot as the key may read it: an owner its own lots, a regulator's keys their
 * region, an admin any (what every lot route and the lot's page check first).
 */
export async function readableLot(app: FastifyInstance, service: LotService, caller: FastifyRequest['caller'], id: string): Promise<LotRow> {
  const lot = await service.getLot(id);
  await app.visibility.organisationData(caller, lot.ownerId, ':id');
  return lot;
}

export function lotRoutes(service: LotService) {
  return async function routes(app: FastifyInstance): Promise<void> {
    const tags = ['lots'];
    const today = () => app.today();

    app.post<{ Body: Static<typeof LotInput> }>(
      '/v1/lots',
      {
        schema: {
          tags,
          summary: 'Register a lot of meters in service with its members (by serial-number range, list, or equipment ids)',
          body: LotInput,
          response: { 201: RegisteredLot, ...errorResponses(400, 403, 409, 422) },
        },
      },
      async (req, reply) => reply.status(201).send(await service.register(req.caller, toLot(req.body, service.newId))),
    );

    app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof AtQuery> }>(
      '/v1/lots/:id',
      {
        schema: {
          tags,
          summary: 'A lot with its state on a date (in service, under sampling, extended, to rotate, rotated), its plans and decisions known then',
          params: IdParams,
          querystring: AtQuery,
          response: { 200: LotAt, ...errorResponses(400, 403, 404) },
        },
      },
      async (req) => {
        await readableLot(app, service, req.caller, req.params.id);
        return service.lotAt(req.params.id, req.query.at === undefined ? today() : parseDate(req.query.at, '?at'));
      },
    );

    app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof SamplingPlanInput> }>(
      '/v1/lots/:id/sampling-plans',
      {
        schema: {
          tags,
          summary:
            'Draw a sampling plan on a lot: n, Ac, Re from GB/T 2828.1 (or, method variables, n and k from ANSI/ASQ Z1.9) for the lot size, the sample drawn reproducibly from the public seed',
          params: IdParams,
          body: SamplingPlanInput,
          response: { 201: DrawnLotPlan, ...errorResponses(400, 403, 404, 409, 422) },
        },
      },
      async (req, reply) => reply.status(201).send(await service.plan(req.caller, req.params.id, toSamplingPlan(req.body, service.newId))),
    );

    app.get<{ Params: Static<typeof PlanParams> }>(
      '/v1/lots/:id/sampling-plans/:planId',
      {
        schema: {
          tags,
          summary: 'A sampling plan as published, with the members: everything needed to draw the sample again (`metrotrace lot verify plan.json`)',
          params: PlanParams,
          response: { 200: PublishedLotPlan, ...errorResponses(400, 403, 404) },
        },
      },
      async (req) => {
        await readableLot(app, service, req.caller, req.params.id);
        return service.published(req.params.id, req.params.planId);
      },
    );

    app.post<{ Params: Static<typeof PlanParams>; Body: Static<typeof ResultsInput> }>(
      '/v1/lots/:id/sampling-plans/:planId/results',
      {
        schema: {
          tags,
          summary:
            "Record the sampled meters' results: the lot is accepted (extended) or not (to rotate) by the count against Ac and Re, or (variables) by Q_U and Q_L against k",
          params: PlanParams,
          body: ResultsInput,
          response: { 201: LotResult, ...errorResponses(400, 403, 404, 409, 422) },
        },
      },
      async (req, reply) => reply.status(201).send(await service.recordResults(req.caller, req.params.id, req.params.planId, toResults(req.body))),
    );

    app.get<{ Params: Static<typeof PlanParams>; Querystring: Static<typeof OcQuery> }>(
      '/v1/lots/:id/sampling-plans/:planId/oc.svg',
      {
        schema: {
          tags,
          summary:
            "The plan's OC curve (SVG) with the producer's risk at the AQL and, given ?lq=, the consumer's risk there (fractions, e.g. 0.05): an attributes plan under the binomial model; a variables plan under the normal model for one limit (noncentral t), which the title names",
          params: PlanParams,
          querystring: OcQuery,
          produces: ['image/svg+xml'],
          response: { 200: Type.String(), ...errorResponses(400, 403, 404, 422) },
        },
      },
      async (req, reply) => {
        const lot = await readableLot(app, service, req.caller, req.params.id);
        const plan = await service.getPlan(req.params.id, req.params.planId);
        const lq = req.query.lq === undefined ? null : parseDecimal(req.query.lq, '?lq');
        if (lq !== null && (lq.lessThanOrEqualTo(0) || lq.greaterThan(1)))
          fail('INVALID_FIELD', '?lq', 'the limiting quality is a fraction nonconforming in (0, 1], e.g. 0.05 for 5 %');
        const pMax = req.query.pMax === undefined ? defaultPMax(plan.aql, lq) : parseDecimal(req.query.pMax, '?pMax');
        return reply.type('image/svg+xml; charset=utf-8').send(renderOcSvg(planOcChart(lot.id, plan, lq, pMax)));
      },
    );

    app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof RotationInput> }>(
      '/v1/lots/:id/rotation',
      {
        schema: {
          tags,
          summary: 'Record that a lot was rotated (its meters replaced): {rotatedOn, remarks?}',
          params: IdParams,
          body: RotationInput,
          response: { 201: Rotation, ...errorResponses(400, 403, 404, 409) },
        },
      },
      async (req, reply) => reply.status(201).send(await service.recordRotation(req.caller, req.params.id, toRotation(req.body))),
    );

    app.get<{ Querystring: Static<typeof RotationQuery> }>(
      '/v1/rotation-plan',
      {
        schema: {
          tags,
          summary:
            'Meters to be replaced over a horizon, by month and region: lots to rotate (sample not accepted, extension or service life ended; all their meters, serial numbers or registered) and registered meters whose limited service life ends; with a monthly capacity, scheduled earliest rotation date first',
          querystring: RotationQuery,
          response: { 200: RotationPlan, ...errorResponses(400, 403) },
        },
      },
      async (req) => {
        const q = await service.scopeRotation(req.caller, {
          from: parseDate(req.query.from ?? today(), '?from'),
          months: Number(req.query.months),
          regionCode: req.query.regionCode,
          ownerId: req.query.ownerId,
          capacityPerMonth: req.query.capacityPerMonth === undefined ? null : Number(req.query.capacityPerMonth),
        });
        return service.rotationPlan(q);
      },
    );

    app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof HistoryQuery> }>(
      '/v1/lots/:id/history.csv',
      {
        schema: {
          tags,
          summary:
            "A lot's history as CSV (UTF-8 with BOM), one line per event in date order through ?at= (today): registered, each sampling plan drawn (n, Ac, Re or, by variables, k and the MPE; AQL, severity), each decision (d, a variables decision's x̄, s, Q_U, Q_L; accepted or not, extended until or rotate by), extension or service life ended, rotated; with the state after each",
          params: IdParams,
          querystring: HistoryQuery,
          produces: ['text/csv'],
          response: { 200: Type.String(), ...errorResponses(400, 403, 404) },
        },
      },
      async (req, reply) => {
        const lot = await readableLot(app, service, req.caller, req.params.id);
        const history = await service.history(req.params.id, req.query.at === undefined ? today() : parseDate(req.query.at, '?at'));
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="lot-${lot.id}-history.csv"`)
          .send(lotHistoryCsv(history, { lang: req.query.lang ?? 'en', bom: true }));
      },
    );

    const population = async (req: { caller: Parameters<LotService['scopeRotation']>[0]; query: Static<typeof PopulationQuery> }) =>
      service.population(
        await service.scopeRotation(req.caller, {
          at: parseDate(req.query.at ?? today(), '?at'),
          by: req.query.by ?? 'installation_year',
          regionCode: req.query.regionCode,
          ownerId: req.query.ownerId,
        }),
      );
    app.get<{ Querystring: Static<typeof PopulationQuery> }>(
      '/v1/lot-population',
      {
        schema: {
          tags,
          summary:
            "Meters in lots by installation year (or age in whole years) and by the lot's state at ?at=: meters and lots of each state in each year; an owner its own lots, an inspector or auditor its region",
          querystring: PopulationQuery,
          response: { 200: LotPopulation, ...errorResponses(400, 403) },
        },
      },
      async (req) => population(req),
    );
    app.get<{ Querystring: Static<typeof PopulationQuery> }>(
      '/v1/lot-population.svg',
      {
        schema: {
          tags,
          summary: 'The lot population as a stacked bar chart (SVG): years (or ages) on x, meters on y, one colour per state, with a legend',
          querystring: PopulationQuery,
          produces: ['image/svg+xml'],
          response: { 200: Type.String(), ...errorResponses(400, 403) },
        },
      },
      async (req, reply) => reply.type('image/svg+xml; charset=utf-8').send(renderPopulationSvg(await population(req))),
    );

    app.get(
      '/v1/sampling/tables',
      {
        schema: {
          tags,
          summary:
            'The sources and confidence of the sampling tables carried: GB/T 2828.1 (attributes) and, under `variables`, ANSI/ASQ Z1.9 (what is missing too)',
          response: { 200: SamplingTables },
        },
      },
      async () => ({ ...TABLE_SOURCES, variables: Z19_SOURCES }),
    );
  };
}
