/** Digital Calibration Certificates (PTB DCC 3.3.0) out and in. */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DccService } from '../../app/dcc.ts';
import { writeRecord } from '../../codecs/registry.ts';
import { CalendarDateString, errorResponses, Id, IdParams } from '../schemas/common.ts';

const ImportBody = Type.Object(
  { xml: Type.String({ maxLength: 5_000_000, description: 'the DCC document' }), subjectId: Id, labId: Id, validUntil: Type.Optional(CalendarDateString), id: Type.Optional(Id) },
  { additionalProperties: false },
);

export function dccRoutes(service: DccService) {
  return async function routes(app: FastifyInstance): Promise<void> {
    const tags = ['dcc'];
    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/calibrations/:id/dcc.xml',
      {
        schema: { tags, summary: 'The calibration record as a Digital Calibration Certificate (PTB DCC 3.3.0, D-SI units, decimals as stored)', params: IdParams, produces: ['application/xml'], response: { 200: Type.String(), ...errorResponses(400, 404, 422) } },
      },
      async (req, reply) => reply.type('application/xml; charset=utf-8').send(await service.exportDcc(req.params.id)),
    );
    app.post<{ Body: Static<typeof ImportBody> }>(
      '/v1/dcc',
      {
        schema: {
          tags,
          summary: 'Import a DCC received from an external lab as a calibration record of one of our equipment; reports every element it could not map',
          body: ImportBody,
          response: { 201: Type.Object({ record: Type.Object({}, { additionalProperties: true }), unmapped: Type.Array(Type.String()) }), ...errorResponses(400, 404, 409) },
        },
      },
      async (req, reply) => {
        const { record, unmapped } = await service.importDcc(req.body);
        return reply.status(201).send({ record: writeRecord(record.record, record.supersededBy), unmapped });
      },
    );
  };
}
