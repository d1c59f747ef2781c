/** GET /v1/equipment/{id}/traceability: the chain up to the national standard at a date, and why it is broken. */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TraceabilityService } from '../../app/traceability.ts';
import { writeTrace } from '../../codecs/traceability.ts';
import { parseDate } from '../../core/dates.ts';
import { CalendarDateString, errorResponses, IdParams } from '../schemas/common.ts';

/** Today's date (UTC) for queries that give none: the transport reads the clock, the core never does. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

const Finding = Type.Object({
  code: Type.String({ description: 'NO_RECORD_IN_FORCE, CERTIFICATE_EXPIRED, RECORD_FAILED, OUT_OF_TOLERANCE, STANDARD_SUSPENDED, ASSESSMENT_EXPIRED, NO_ASSESSMENT, LAB_NOT_AUTHORISED, ACCURACY_RATIO_LOW, CYCLE, DEAD_END, UNKNOWN_EQUIPMENT' }),
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
          validUntil: Type.String(),
          conformity: Type.Union([Type.String(), Type.Null()]),
          labId: Type.String(),
          labName: Type.Union([Type.String(), Type.Null()]),
        }),
        Type.Null(),
      ]),
      realisation: Type.Union([Type.String(), Type.Null()]),
      findings: Type.Array(Finding),
      references: Type.Array(This),
    }),
  { $id: 'ChainLink' },
);

const TraceQuery = Type.Object({ at: Type.Optional(CalendarDateString) }, { additionalProperties: false });

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
            200: Type.Object({ equipmentId: Type.String(), at: Type.String(), traceable: Type.Boolean(), findings: Type.Array(Finding), chain: Type.Ref('ChainLink') }),
            ...errorResponses(400, 404),
          },
        },
      },
      async (req) => writeTrace(await service.trace(req.params.id, parseDate(req.query.at ?? today(), '?at'))),
    );
  };
}
