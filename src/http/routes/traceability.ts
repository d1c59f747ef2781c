/** GET /v1/equipment/{id}/traceability: the chain up to the national standard at a date, and why it is broken. */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TraceabilityService } from '../../app/traceability.ts';
import { impactCsv, toToleranceFinding, writeImpact, writeToleranceFinding, writeTrace } from '../../codecs/traceability.ts';
import {
  ChainLink,
  ChainUncertainty,
  Correlation,
  CorrelationQuery,
  Impact,
  ImpactQuery,
  ToleranceFinding,
  ToleranceInput,
  Trace,
  TraceQuery,
} from '../../codecs/contracts/traceability.ts';
import { renderChainSvg } from '../../codecs/chain-svg.ts';
import { parseDate } from '../../core/dates.ts';
import { parseInstant } from '../../codecs/instant.ts';
import { DERIVED_DIGITS, toSignificant, toText } from '../../core/numeric/decimal.ts';
import { errorResponses, IdParams } from '../schemas/common.ts';

export function traceabilityRoutes(service: TraceabilityService) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.addSchema(ChainLink);
    app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof TraceQuery> }>(
      '/v1/equipment/:id/traceability',
      {
        schema: {
          tags: ['traceability'],
          summary: 'The traceability chain of an equipment at a date (default today), up to the national primary standard, with every finding that breaks it',
          params: IdParams,
          querystring: TraceQuery,
          response: { 200: Trace, ...errorResponses(400, 404) },
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
          response: { 200: ChainUncertainty, ...errorResponses(400, 404) },
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
          response: { 201: ToleranceFinding, ...errorResponses(400, 404, 409) },
        },
      },
      async (req, reply) => {
        await service.checkFindingWriter(req.caller, req.params.id);
        return reply.status(201).send(writeToleranceFinding(await service.recordOutOfTolerance(toToleranceFinding(req.body, req.params.id, service.newId))));
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
          response: { 200: Impact, ...errorResponses(400, 404) },
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
          response: { 200: Correlation, ...errorResponses(400, 404) },
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
