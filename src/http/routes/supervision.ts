/** Supervision over HTTP: in-use inspections, double-random spot checks and their disclosure, integrity grades and measures. */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { SupervisionService } from '../../app/supervision.ts';
import type { Caller } from '../../core/access/roles.ts';
import { type CsvColumns, spreadsheetCsv } from '../../codecs/csv.ts';
import { toInspection, toMeasure, toPlanRequest, writeInspection } from '../../codecs/supervision.ts';
import {
  Disclosure,
  DrawnPlan,
  Inspection,
  InspectionInput,
  IntegrityView,
  Listed,
  Measure,
  MeasureInput,
  PlanInput,
  PlanList,
  PlanView,
  PublishedPlanFile,
  RegionGrades,
  RegionPrefix,
} from '../../codecs/contracts/supervision.ts';
import { renderIntegritySvg, renderPlanHtml } from '../../codecs/supervision-report.ts';
import { parseDate } from '../../core/dates.ts';
import { fail } from '../../core/errors.ts';
import { GRADES, type Grade } from '../../core/supervision/draw.ts';
import { OUTCOME_NAMES } from '../../core/supervision/inspection.ts';
import { CalendarDateString, errorResponses, IdParams } from '../schemas/common.ts';

const Region = RegionPrefix;
const AtQuery = Type.Object({ at: Type.Optional(CalendarDateString) }, { additionalProperties: false });
const CloseBody = Type.Object({ closedOn: CalendarDateString }, { additionalProperties: false });

/** The CSV of a plan's results, with a byte-order mark so that Excel reads the Chinese correctly. */
/** The published results' columns; the public file carries the Chinese header (with the English in it). */
const RESULT_COLUMNS: CsvColumns = [
  ['target', '对象 target'],
  ['organisation', '单位 organisation'],
  ['name', '单位名称 name'],
  ['region', '区划 region'],
  ['inspected_on', '检查日期 inspected on'],
  ['outcome', '结果 outcome'],
  ['outcome_zh', '结果（中文）'],
  ['rectify_by', '整改期限 rectify by'],
  ['rectification', '整改情况 rectification'],
];

function resultsCsv(d: Awaited<ReturnType<SupervisionService['disclosure']>>): string {
  const rows = d.targets.map((t) => [
    t.unitId,
    t.organisationId,
    t.organisationName,
    t.region,
    t.inspectedOn,
    t.outcome,
    t.outcome in OUTCOME_NAMES ? OUTCOME_NAMES[t.outcome as keyof typeof OUTCOME_NAMES].zh : '未检查',
    t.rectifyBy,
    t.rectification,
  ]);
  return spreadsheetCsv(RESULT_COLUMNS, rows, { lang: 'zh', bom: true });
}

function distributionOf(grades: ReadonlyArray<{ grade: Grade }>): Record<Grade, number> {
  const d = { A: 0, B: 0, C: 0, D: 0 };
  for (const g of grades) d[g.grade]++;
  return d;
}

export function supervisionRoutes(service: SupervisionService) {
  return async function routes(app: FastifyInstance): Promise<void> {
    const tags = ['supervision'];
    /** An inspector's or auditor's key reads its own region (or a part of it) only. */
    const inRegion = async (caller: Caller, region: string): Promise<void> => {
      const scope = await app.visibility.scopeOf(caller);
      if (scope.kind === 'region' && !region.startsWith(scope.regionPrefix))
        fail('FORBIDDEN', '?region', `this key reads the region ${scope.regionPrefix}… only; ask for it or a part of it`);
    };
    const today = () => app.today();

    app.post<{ Body: Static<typeof InspectionInput> }>(
      '/v1/inspections',
      {
        schema: {
          tags,
          summary:
            'Record an in-use inspection (使用中检查): the outcome follows from the findings; a prohibition shows on the status and the public label at once',
          body: InspectionInput,
          response: { 201: Inspection, ...errorResponses(400, 403, 409, 422) },
        },
      },
      async (req, reply) => {
        await app.visibility.equipment(req.caller, [req.body.equipmentId], '/equipmentId');
        return reply.status(201).send(writeInspection(await service.recordInspection(req.caller, toInspection(req.body, service.newId))));
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/inspections/:id',
      { schema: { tags, summary: 'An in-use inspection', params: IdParams, response: { 200: Inspection, ...errorResponses(400, 404) } } },
      async (req) => {
        const i = await service.getInspection(req.params.id);
        await app.visibility.equipment(req.caller, [i.equipmentId]);
        return writeInspection(i);
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/equipment/:id/inspections',
      {
        schema: {
          tags,
          summary: 'The in-use inspections of an instrument, oldest first',
          params: IdParams,
          response: { 200: Type.Object({ items: Type.Array(Inspection) }), ...errorResponses(400, 404) },
        },
      },
      async (req) => {
        await app.visibility.equipment(req.caller, [req.params.id]);
        return { items: (await service.listInspections(req.params.id)).map(writeInspection) };
      },
    );

    app.post<{ Body: Static<typeof PlanInput> }>(
      '/v1/spot-checks',
      {
        schema: {
          tags,
          summary:
            'Draw a spot-check plan by the double-random rule: targets weighted by integrity grade, two inspectors each without conflict; reproducible from the public seed',
          body: PlanInput,
          response: { 201: DrawnPlan, ...errorResponses(400, 403, 409) },
        },
      },
      async (req, reply) => {
        const plan = await service.drawPlan(req.caller, toPlanRequest(req.body, service.newId));
        const { population, pastInspections, ...rest } = plan;
        return reply.status(201).send({ ...rest, populationSize: population.length });
      },
    );

    app.get(
      '/v1/spot-checks',
      { schema: { tags, summary: "Spot-check plans (an inspector's: its regulator's)", response: { 200: PlanList, ...errorResponses(400) } } },
      async (req) => ({ items: await service.listPlans(req.caller) }),
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/spot-checks/:id',
      {
        schema: {
          tags,
          summary: 'A spot-check plan with its targets and inspectors',
          params: IdParams,
          response: { 200: PlanView, ...errorResponses(400, 404) },
        },
      },
      async (req) => {
        const { population, pastInspections, ...rest } = await service.getPlan(req.params.id, req.caller);
        return { ...rest, populationSize: population.length };
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/spot-checks/:id/plan.json',
      {
        schema: {
          tags,
          summary:
            'The whole plan as published for re-drawing (population, inspectors, past inspections): `metrotrace spot-check verify plan.json` draws it again',
          params: IdParams,
          response: { 200: PublishedPlanFile, ...errorResponses(400, 404) },
        },
      },
      async (req, reply) =>
        reply.header('content-disposition', `attachment; filename="spot-check-${req.params.id}.json"`).send(await service.getPlan(req.params.id, req.caller)),
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/spot-checks/:id/report.html',
      {
        schema: {
          tags,
          summary: "The plan as the inspection team's page: seed, population hash, weights, strata, targets with inspectors and outcomes",
          params: IdParams,
          produces: ['text/html'],
          response: { 200: Type.String(), ...errorResponses(400, 403, 404) },
        },
      },
      async (req, reply) => {
        const r = await service.planReport(req.params.id, req.caller);
        return reply.type('text/html; charset=utf-8').send(renderPlanHtml(r.plan, r.inspections, r.names));
      },
    );

    app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof CloseBody> }>(
      '/v1/spot-checks/:id/close',
      {
        schema: {
          tags,
          summary: 'Close a plan: its results are published from then on (一公开)',
          params: IdParams,
          body: CloseBody,
          response: { 204: Type.Null(), ...errorResponses(400, 403, 404, 409) },
        },
      },
      async (req, reply) => {
        await service.closePlan(req.caller, req.params.id, parseDate(req.body.closedOn, '/closedOn'));
        return reply.status(204).send();
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/public/spot-checks/:id',
      {
        schema: {
          tags,
          summary: 'The published results of a closed plan (一公开): targets, outcomes, rectification, the seed and how to draw it again; no personal data',
          params: IdParams,
          response: { 200: Disclosure, ...errorResponses(400, 404) },
        },
      },
      async (req) => service.disclosure(req.params.id),
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/public/spot-checks/:id/results.csv',
      {
        schema: {
          tags,
          summary: 'The published results as CSV (UTF-8 with a byte-order mark, for Excel)',
          params: IdParams,
          produces: ['text/csv'],
          response: { 200: Type.String(), ...errorResponses(400, 404) },
        },
      },
      async (req, reply) => reply.type('text/csv; charset=utf-8').send(resultsCsv(await service.disclosure(req.params.id))),
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/public/spot-checks/:id/population.tsv',
      {
        schema: {
          tags,
          summary:
            "The population of a closed plan as digested (id, stratum, grade, organisation, region; tab-separated, sorted by id): its SHA-256 is the plan's populationHash",
          params: IdParams,
          produces: ['text/tab-separated-values'],
          response: { 200: Type.String(), ...errorResponses(400, 404) },
        },
      },
      async (req, reply) => reply.type('text/tab-separated-values; charset=utf-8').send(await service.populationText(req.params.id)),
    );

    app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof AtQuery> }>(
      '/v1/organisations/:id/integrity',
      {
        schema: {
          tags,
          summary:
            "An organisation's integrity grade (诚信计量分级) at a date, with the facts and rules that set it, its grades over the year before and its measures",
          params: IdParams,
          querystring: AtQuery,
          response: { 200: IntegrityView, ...errorResponses(400, 403, 404, 422) },
        },
      },
      async (req) => {
        await app.visibility.organisationData(req.caller, req.params.id);
        const g = await service.grade(req.params.id, req.query.at === undefined ? today() : parseDate(req.query.at, '?at'));
        return g;
      },
    );

    app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof MeasureInput> }>(
      '/v1/organisations/:id/integrity-measures',
      {
        schema: {
          tags,
          summary: 'Record an integrity commitment or an appeal (the organisation), or a listing under a dishonesty measure or its removal (its regulator)',
          params: IdParams,
          body: MeasureInput,
          response: { 201: Measure, ...errorResponses(400, 403, 404, 409) },
        },
      },
      async (req, reply) => reply.status(201).send(await service.recordMeasure(req.caller, toMeasure(req.body, req.params.id, service.newId))),
    );

    const IntegrityQuery = Type.Object(
      { region: Region, grade: Type.Optional(Type.Unsafe<Grade>({ type: 'string', enum: [...GRADES] })), at: Type.Optional(CalendarDateString) },
      { additionalProperties: false },
    );
    app.get<{ Querystring: Static<typeof IntegrityQuery> }>(
      '/v1/integrity',
      {
        schema: {
          tags,
          summary: "The integrity grades of a region's organisations at a date, optionally of one grade",
          querystring: IntegrityQuery,
          response: { 200: RegionGrades, ...errorResponses(400, 403) },
        },
      },
      async (req) => {
        await inRegion(req.caller, req.query.region);
        const at = req.query.at === undefined ? today() : parseDate(req.query.at, '?at');
        // the distribution is the whole region's, whichever grade the items are filtered to
        const grades = await service.gradesInRegion(req.query.region, at, null);
        const grade = req.query.grade;
        return {
          at,
          region: req.query.region,
          distribution: distributionOf(grades),
          items: grade === undefined ? grades : grades.filter((g) => g.grade === grade),
        };
      },
    );

    const ChartQuery = Type.Object({ region: Region, at: Type.Optional(CalendarDateString) }, { additionalProperties: false });
    app.get<{ Querystring: Static<typeof ChartQuery> }>(
      '/v1/integrity.svg',
      {
        schema: {
          tags,
          summary: "A region's integrity grades as a bar chart (SVG)",
          querystring: ChartQuery,
          produces: ['image/svg+xml'],
          response: { 200: Type.String(), ...errorResponses(400, 403) },
        },
      },
      async (req, reply) => {
        await inRegion(req.caller, req.query.region);
        const at = req.query.at === undefined ? today() : parseDate(req.query.at, '?at');
        const grades = await service.gradesInRegion(req.query.region, at, null);
        return reply.type('image/svg+xml; charset=utf-8').send(renderIntegritySvg(distributionOf(grades), req.query.region, at));
      },
    );

    const ListedQuery = Type.Object({ region: Region, at: Type.Optional(CalendarDateString) }, { additionalProperties: false });
    app.get<{ Querystring: Static<typeof ListedQuery> }>(
      '/v1/public/integrity/listed',
      {
        schema: {
          tags,
          summary: 'Organisations of a region under a dishonesty measure (失信惩戒) on a date, with the reason, the decision date and any appeal',
          querystring: ListedQuery,
          response: { 200: Listed, ...errorResponses(400) },
        },
      },
      async (req) => {
        const at = req.query.at === undefined ? today() : parseDate(req.query.at, '?at');
        return { at, region: req.query.region, items: await service.listed(req.query.region, at) };
      },
    );
  };
}
