/** Digital Calibration Certificates (PTB DCC 3.2.0) out and in. */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DccService } from '../../app/dcc.ts';
import type { RegistryService } from '../../app/registry.ts';
import type { Caller } from '../../core/access/roles.ts';
import type { FiledState } from '../../core/registry/filed-certificate.ts';
import { toRejectionReason, writeFiledCertificate } from '../../codecs/filed-certificate.ts';
import { toImportRequest } from '../../codecs/dcc-request.ts';
import { Correlation, CorrelationQuery, FiledCertificate, FiledQuery, ImportInput, RejectInput, Sidecar } from '../../codecs/contracts/dcc.ts';
import { pageBody, pageRequest } from './registry.ts';
import { writeRecord } from '../../codecs/registry.ts';
import type { CalibrationRecord } from '../../core/registry/types.ts';
import { writeSidecar } from '../../codecs/dcc-sidecar.ts';
import { DERIVED_DIGITS, toSignificant } from '../../core/numeric/decimal.ts';
import { errorResponses, IdParams, PageOf } from '../schemas/common.ts';
import { Record as CalibrationRecordSchema } from '../../codecs/contracts/registry.ts';

export function dccRoutes(service: DccService, registry: RegistryService) {
  return async function routes(app: FastifyInstance): Promise<void> {
    const tags = ['dcc'];
    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/calibrations/:id/dcc.xml',
      {
        schema: {
          tags,
          summary: 'The calibration record as a Digital Calibration Certificate (PTB DCC 3.2.0, D-SI units, decimals as stored)',
          params: IdParams,
          produces: ['application/xml'],
          response: { 200: Type.String(), ...errorResponses(400, 404, 422) },
        },
      },
      async (req, reply) => reply.type('application/xml; charset=utf-8').send(await service.exportDcc(req.params.id)),
    );
    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/calibrations/:id/dcc-sidecar.json',
      {
        schema: {
          tags,
          summary: "The DCC sidecar: the result's relative standard uncertainty and its components keyed by the calibrations of the standards behind it",
          params: IdParams,
          response: { 200: Sidecar, ...errorResponses(400, 404) },
        },
      },
      async (req) => writeSidecar(await service.sidecar(req.params.id)),
    );
    app.get<{ Querystring: Static<typeof CorrelationQuery> }>(
      '/v1/calibrations/correlation',
      {
        schema: {
          tags,
          summary: 'The correlation of two calibration results through the influences their sidecars share (computed, or as handed over with an imported DCC)',
          querystring: CorrelationQuery,
          response: { 200: Correlation, ...errorResponses(400, 404) },
        },
      },
      async (req) => {
        await app.visibility.records(req.caller, [req.query.a, req.query.b], '?a');
        const r = await service.correlation(req.query.a, req.query.b);
        return { a: req.query.a, b: req.query.b, correlation: toSignificant(r.r, DERIVED_DIGITS), shared: r.shared };
      },
    );
    app.post<{ Body: Static<typeof ImportInput> }>(
      '/v1/dcc',
      {
        bodyLimit: 6 * 1024 * 1024,
        schema: {
          tags,
          summary:
            "Import a DCC received from an external lab. From that lab (or an admin): a calibration record of the equipment (201). From the equipment's owner: filed as unverified evidence (202), which counts for nothing until the lab or an admin confirms it",
          body: ImportInput,
          response: {
            201: Type.Object({ record: CalibrationRecordSchema, unmapped: Type.Array(Type.String()) }),
            202: Type.Object({ filed: FiledCertificate, unmapped: Type.Array(Type.String()) }),
            ...errorResponses(400, 403, 404, 409),
          },
        },
      },
      async (req, reply) => {
        const c = req.caller;
        const request = toImportRequest(req.body);
        if (c.kind === 'key' && c.role === 'owner') {
          // The registry cannot tell a genuine certificate from one the owner wrote: it is filed, not recorded.
          const filed = await service.fileDcc(request, { keyId: c.keyId, organisationId: c.organisationId });
          return reply.status(202).send({ filed: writeFiledCertificate(filed), unmapped: [...filed.unmapped] });
        }
        const admit =
          c.kind === 'key' && c.role === 'lab'
            ? (r: Pick<CalibrationRecord, 'labId' | 'subjectId' | 'performedOn'>) => registry.checkRecordWriter(c, r)
            : undefined;
        const { record, unmapped } = await service.importDcc(request, admit);
        return reply.status(201).send({ record: writeRecord(record.record, record.supersededBy), unmapped });
      },
    );
    app.get<{ Querystring: Static<typeof FiledQuery> }>(
      '/v1/dcc/filed',
      {
        schema: {
          tags,
          summary: 'Certificates owners filed on a lab’s behalf, within what the key may read (a lab sees those naming it)',
          querystring: FiledQuery,
          response: { 200: PageOf(FiledCertificate), ...errorResponses(400) },
        },
      },
      async (req) => {
        const q = req.query;
        const page = await service.listFiled(
          { subjectId: q.subject, labId: q.lab, state: q.state as FiledState | undefined, visibleTo: await app.visibility.scopeOf(req.caller) },
          pageRequest(q),
        );
        return pageBody(page, writeFiledCertificate);
      },
    );
    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/dcc/filed/:id',
      {
        schema: {
          tags,
          summary: 'One filed certificate and its decision',
          params: IdParams,
          response: { 200: FiledCertificate, ...errorResponses(400, 403, 404) },
        },
      },
      async (req) => writeFiledCertificate(await readableFiled(req.caller, req.params.id)),
    );
    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/dcc/filed/:id/dcc.xml',
      {
        schema: {
          tags,
          summary: 'The DCC document as filed, for the lab to compare with its own copy',
          params: IdParams,
          produces: ['application/xml'],
          response: { 200: Type.String(), ...errorResponses(400, 403, 404) },
        },
      },
      async (req, reply) => reply.type('application/xml; charset=utf-8').send(String((await readableFiled(req.caller, req.params.id)).request['xml'])),
    );
    app.post<{ Params: Static<typeof IdParams> }>(
      '/v1/dcc/filed/:id/confirm',
      {
        schema: {
          tags,
          summary:
            'The lab the certificate names (or an admin) confirms it: it becomes a calibration record through every rule of a record (the lab’s authority, references valid on the day, CMC); a refusal leaves it pending',
          params: IdParams,
          response: { 201: Type.Object({ filed: FiledCertificate, record: CalibrationRecordSchema }), ...errorResponses(400, 403, 404, 409) },
        },
      },
      async (req, reply) => {
        const { filed, record } = await service.confirmFiled(req.caller, req.params.id);
        return reply.status(201).send({ filed: writeFiledCertificate(filed), record: writeRecord(record.record, record.supersededBy) });
      },
    );
    app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof RejectInput> }>(
      '/v1/dcc/filed/:id/reject',
      {
        schema: {
          tags,
          summary: 'The lab the certificate names (or an admin) rejects it, saying why; it stays on file and counts for nothing',
          params: IdParams,
          body: RejectInput,
          response: { 200: FiledCertificate, ...errorResponses(400, 403, 404, 409) },
        },
      },
      async (req) => writeFiledCertificate(await service.rejectFiled(req.caller, req.params.id, toRejectionReason(req.body))),
    );

    /** A filed certificate the caller may read: the lab it names, or whoever may read its equipment. */
    async function readableFiled(caller: Caller, id: string) {
      const filed = await service.getFiled(id);
      if (caller.kind === 'key' && caller.role === 'lab' && caller.organisationId === filed.labId) return filed;
      await app.visibility.equipment(caller, [filed.subjectId]);
      return filed;
    }
  };
}
