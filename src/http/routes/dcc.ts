/** Digital Calibration Certificates (PTB DCC 3.2.0) out and in. */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DccService } from '../../app/dcc.ts';
import type { RegistryService } from '../../app/registry.ts';
import { requireOwnOrganisation } from '../../core/access/roles.ts';
import { writeRecord } from '../../codecs/registry.ts';
import { writeSidecar } from '../../codecs/dcc-sidecar.ts';
import { DERIVED_DIGITS, toSignificant } from '../../core/numeric/decimal.ts';
import { CalendarDateString, errorResponses, Id, IdParams, OpenObject } from '../schemas/common.ts';

const ImportBody = Type.Object(
  {
    xml: Type.String({ maxLength: 5_000_000, description: 'the DCC document' }),
    subjectId: Id,
    labId: Id,
    validUntil: Type.Optional(CalendarDateString),
    id: Type.Optional(Id),
    sidecar: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'the metrotrace.dcc-sidecar/1 document issued with the DCC (uncertainty components by influence)' })),
  },
  { additionalProperties: false },
);

export function dccRoutes(service: DccService, registry: RegistryService) {
  return async function routes(app: FastifyInstance): Promise<void> {
    const tags = ['dcc'];
    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/calibrations/:id/dcc.xml',
      {
        schema: { tags, summary: 'The calibration record as a Digital Calibration Certificate (PTB DCC 3.2.0, D-SI units, decimals as stored)', params: IdParams, produces: ['application/xml'], response: { 200: Type.String(), ...errorResponses(400, 404, 422) } },
      },
      async (req, reply) => reply.type('application/xml; charset=utf-8').send(await service.exportDcc(req.params.id)),
    );
    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/calibrations/:id/dcc-sidecar.json',
      { schema: { tags, summary: "The DCC sidecar: the result's relative standard uncertainty and its components keyed by the calibrations of the standards behind it", params: IdParams, response: { 200: OpenObject, ...errorResponses(400, 404) } } },
      async (req) => writeSidecar(await service.sidecar(req.params.id)),
    );
    app.get<{ Querystring: { a: string; b: string } }>(
      '/v1/calibrations/correlation',
      {
        schema: { tags, summary: 'The correlation of two calibration results through the influences their sidecars share (computed, or as handed over with an imported DCC)', querystring: Type.Object({ a: Id, b: Id }, { additionalProperties: false }), response: { 200: Type.Object({ a: Type.String(), b: Type.String(), correlation: Type.String(), shared: Type.Array(Type.String()) }), ...errorResponses(400, 404) } },
      },
      async (req) => {
        await app.visibility.records(req.caller, [req.query.a, req.query.b], '?a');
        const r = await service.correlation(req.query.a, req.query.b);
        return { a: req.query.a, b: req.query.b, correlation: toSignificant(r.r, DERIVED_DIGITS), shared: r.shared };
      },
    );
    app.post<{ Body: Static<typeof ImportBody> }>(
      '/v1/dcc',
      {
        bodyLimit: 6 * 1024 * 1024,
        schema: {
          tags,
          summary: 'Import a DCC received from an external lab as a calibration record of one of our equipment; reports every element it could not map',
          body: ImportBody,
          response: { 201: Type.Object({ record: OpenObject, unmapped: Type.Array(Type.String()) }), ...errorResponses(400, 404, 409) },
        },
      },
      async (req, reply) => {
        const c = req.caller;
        if (c.kind === 'key' && c.role === 'owner') {
          // The owner of the calibrated equipment files the certificate it received.
          const subject = await registry.getEquipment(req.body.subjectId);
          requireOwnOrganisation(c, subject.ownerId, '/subjectId', 'file certificates of equipment');
        }
        const admit = c.kind === 'key' && c.role === 'lab' ? (r: { labId: string; subjectId: string; performedOn: string }) => registry.checkRecordWriter(c, r) : undefined;
        const { record, unmapped } = await service.importDcc(req.body, admit);
        return reply.status(201).send({ record: writeRecord(record.record, record.supersededBy), unmapped });
      },
    );
  };
}
