/** /v1/organisations, /v1/equipment, /v1/calibrations: the registry over HTTP. */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { RegistryService } from '../../app/registry.ts';
import type { Page, PageRequest, StoredRecord } from '../../app/ports.ts';
import { decodeCursor, encodeCursor } from '../../codecs/cursor.ts';
import { writeDecision } from '../../codecs/conformity.ts';
import { ruleStatement } from '../../core/conformity/decision-rule.ts';
import {
  toCmc,
  toCmcAmendment,
  toEquipment,
  toOrganisation,
  toRecord,
  toScope,
  toScopeAmendment,
  writeCmc,
  writeCmcVersion,
  writeEquipment,
  writeOrganisation,
  writeRecord,
  writeScope,
  writeScopeVersion,
} from '../../codecs/registry.ts';
import { fail } from '../../core/errors.ts';
import { parseDate } from '../../core/dates.ts';
import { toEvent, writeEquipmentState, writeEvent } from '../../codecs/events.ts';
import { EquipmentState, Event, EventInput, StateQuery } from '../../codecs/contracts/events.ts';
import type { EquipmentStatus, HierarchyLevel, OrganisationKind, QuantityKind, RecordKind, Usage } from '../../core/registry/vocabulary.ts';
import { errorResponses, Id, IdParams, PageOf } from '../schemas/common.ts';
import { PointDecision } from '../../codecs/contracts/conformity.ts';

import {
  Equipment,
  EquipmentInput,
  EquipmentQuery,
  Organisation,
  OrganisationInput,
  OrganisationQuery,
  Record,
  RecordInput,
  RecordQuery,
  Scope,
  ScopeInput,
  CmcInput,
  AtQuery,
  ScopeAmendmentInput,
  CmcAmendmentInput,
  ScopeVersion,
  CmcVersion,
  Cmc,
} from '../../codecs/contracts/registry.ts';

const ScopeParams = Type.Object({ id: Id, scopeId: Id });
const CmcParams = Type.Object({ id: Id, cmcId: Id });

const MAX_PAGE = 500;

export function pageRequest(
  query: { limit?: string | undefined; cursor?: string | undefined },
  sizes: { readonly fallback: number; readonly max: number } = { fallback: 50, max: MAX_PAGE },
): PageRequest {
  const limit = query.limit === undefined ? sizes.fallback : Number(query.limit);
  if (limit < 1 || limit > sizes.max) fail('INVALID_FIELD', '?limit', `limit must be between 1 and ${sizes.max}`);
  return { limit, after: decodeCursor(query.cursor, '?cursor') };
}

/** A page of stored items as the wire answers it: the items written, and the cursor to the next page. */
export function pageBody<T, W>(page: Page<T>, write: (item: T) => W): { items: W[]; nextCursor: string | null } {
  return { items: page.items.map(write), nextCursor: encodeCursor(page.lastId) };
}

const writeStored = (s: StoredRecord) => writeRecord(s.record, s.supersededBy);

export function registryRoutes(registry: RegistryService) {
  return async function routes(app: FastifyInstance): Promise<void> {
    const tags = ['registry'];

    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/calibrations/:id/conformity',
      {
        schema: {
          tags,
          summary: 'The per-point conformity decisions of a verification under its stated decision rule, with the specific risk of each (ILAC G8, JCGM 106)',
          params: IdParams,
          response: {
            200: Type.Object({
              recordId: Type.String(),
              conformity: Type.Union([Type.String(), Type.Null()]),
              rule: Type.String(),
              points: Type.Array(PointDecision),
            }),
            ...errorResponses(400, 404, 422),
          },
        },
      },
      async (req) => {
        const { record, decisions } = await registry.decisions(req.params.id);
        return {
          recordId: record.id,
          conformity: record.conformity,
          rule: ruleStatement(record.decisionRule!),
          points: decisions.map((d) => ({ point: d.point, ...writeDecision(d.decision) })),
        };
      },
    );

    app.post<{ Body: Static<typeof OrganisationInput> }>(
      '/v1/organisations',
      {
        schema: {
          tags,
          summary: 'Register an organisation (institute, lab, enterprise, energy-using unit, regulator)',
          body: OrganisationInput,
          response: { 201: Organisation, ...errorResponses(400, 409) },
        },
      },
      async (req, reply) => reply.status(201).send(writeOrganisation(await registry.createOrganisation(toOrganisation(req.body, registry.newId)))),
    );

    app.get<{ Querystring: Static<typeof OrganisationQuery> }>(
      '/v1/organisations',
      {
        schema: {
          tags,
          summary: 'List organisations, filtered by kind and region, in pages',
          querystring: OrganisationQuery,
          response: { 200: PageOf(Organisation), ...errorResponses(400) },
        },
      },
      async (req) => {
        const page = await registry.listOrganisations(
          { kind: req.query.kind as OrganisationKind | undefined, regionCode: req.query.region },
          pageRequest(req.query),
        );
        return pageBody(page, writeOrganisation);
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/organisations/:id',
      { schema: { tags, summary: 'Get one organisation', params: IdParams, response: { 200: Organisation, ...errorResponses(400, 404) } } },
      async (req) => writeOrganisation(await registry.getOrganisation(req.params.id)),
    );

    app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof ScopeInput> }>(
      '/v1/organisations/:id/scopes',
      {
        schema: {
          tags,
          summary: "Add to a lab's authorised scope (quantity or category, range, mandatory verification, validity)",
          params: IdParams,
          body: ScopeInput,
          response: { 201: Scope, ...errorResponses(400, 404, 409) },
        },
      },
      async (req, reply) => reply.status(201).send(writeScope(await registry.createScope(toScope(req.body, req.params.id, registry.newId)))),
    );

    app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof CmcInput> }>(
      '/v1/organisations/:id/cmcs',
      {
        schema: {
          tags,
          summary: "Declare a lab's calibration and measurement capability (CMC): the smallest expanded uncertainty it may report for a quantity over a range",
          params: IdParams,
          body: CmcInput,
          response: { 201: Cmc, ...errorResponses(400, 404, 409) },
        },
      },
      async (req, reply) => reply.status(201).send(writeCmc(await registry.createCmc(toCmc(req.body, req.params.id, registry.newId)))),
    );

    app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof AtQuery> }>(
      '/v1/organisations/:id/cmcs',
      {
        schema: {
          tags,
          summary:
            "A lab's CMCs in force on a day (?at=, default today): each CMC's version then, unless withdrawn, valid that day; a record reporting a smaller uncertainty is refused (CMC_VIOLATION)",
          params: IdParams,
          querystring: AtQuery,
          response: { 200: Type.Object({ at: Type.String(), items: Type.Array(Cmc) }), ...errorResponses(400, 404) },
        },
      },
      async (req) => {
        const at = parseDate(req.query.at ?? app.today(), '?at');
        return { at, items: (await registry.listCmcs(req.params.id, at)).map(writeCmc) };
      },
    );

    app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof AtQuery> }>(
      '/v1/organisations/:id/scopes',
      {
        schema: {
          tags,
          summary:
            "A lab's authorised scope in force on a day (?at=, default today): each scope's version then, unless withdrawn, valid that day — what a record performed that day is checked against",
          params: IdParams,
          querystring: AtQuery,
          response: { 200: Type.Object({ at: Type.String(), items: Type.Array(Scope) }), ...errorResponses(400, 404) },
        },
      },
      async (req) => {
        const at = parseDate(req.query.at ?? app.today(), '?at');
        return { at, items: (await registry.listScopes(req.params.id, at)).map(writeScope) };
      },
    );

    app.post<{ Params: Static<typeof ScopeParams>; Body: Static<typeof ScopeAmendmentInput> }>(
      '/v1/organisations/:id/scopes/:scopeId/amendments',
      {
        schema: {
          tags,
          summary:
            "Amend a lab's scope from a date (add or narrow its category or range, extend its validity, a new authorisation certificate) or withdraw it: appends a version, after the version before it (AMENDMENT_OUT_OF_ORDER); nothing follows a withdrawal (INVALID_TRANSITION). Records are checked against the version in force on their performance date",
          params: ScopeParams,
          body: ScopeAmendmentInput,
          response: { 201: ScopeVersion, ...errorResponses(400, 404, 409) },
        },
      },
      async (req, reply) =>
        reply.status(201).send(writeScopeVersion(await registry.amendScope(req.params.id, req.params.scopeId, toScopeAmendment(req.body, registry.newId)))),
    );

    app.get<{ Params: Static<typeof ScopeParams> }>(
      '/v1/organisations/:id/scopes/:scopeId/versions',
      {
        schema: {
          tags,
          summary: 'Every version of a scope, as created first, each with the day it took effect',
          params: ScopeParams,
          response: { 200: Type.Object({ items: Type.Array(ScopeVersion) }), ...errorResponses(400, 404) },
        },
      },
      async (req) => ({ items: (await registry.scopeVersions(req.params.id, req.params.scopeId)).map(writeScopeVersion) }),
    );

    app.post<{ Params: Static<typeof CmcParams>; Body: Static<typeof CmcAmendmentInput> }>(
      '/v1/organisations/:id/cmcs/:cmcId/amendments',
      {
        schema: {
          tags,
          summary:
            "Amend a lab's CMC from a date (range, uncertainty in either form, coverage factor, validity) or withdraw it: appends a version, as for a scope",
          params: CmcParams,
          body: CmcAmendmentInput,
          response: { 201: CmcVersion, ...errorResponses(400, 404, 409) },
        },
      },
      async (req, reply) =>
        reply.status(201).send(writeCmcVersion(await registry.amendCmc(req.params.id, req.params.cmcId, toCmcAmendment(req.body, registry.newId)))),
    );

    app.get<{ Params: Static<typeof CmcParams> }>(
      '/v1/organisations/:id/cmcs/:cmcId/versions',
      {
        schema: {
          tags,
          summary: 'Every version of a CMC, as declared first, each with the day it took effect',
          params: CmcParams,
          response: { 200: Type.Object({ items: Type.Array(CmcVersion) }), ...errorResponses(400, 404) },
        },
      },
      async (req) => ({ items: (await registry.cmcVersions(req.params.id, req.params.cmcId)).map(writeCmcVersion) }),
    );

    app.post<{ Body: Static<typeof EquipmentInput> }>(
      '/v1/equipment',
      {
        schema: {
          tags,
          summary: 'Register a measurement standard or a working instrument',
          body: EquipmentInput,
          response: { 201: Equipment, ...errorResponses(400, 409) },
        },
      },
      async (req, reply) => {
        const equipment = toEquipment(req.body, registry.newId);
        registry.checkEquipmentWriter(req.caller, equipment);
        return reply.status(201).send(writeEquipment(await registry.createEquipment(equipment)));
      },
    );

    app.get<{ Querystring: Static<typeof EquipmentQuery> }>(
      '/v1/equipment',
      {
        schema: {
          tags,
          summary: 'List equipment by owner, quantity, level, category, usage, status or asset code, in pages',
          querystring: EquipmentQuery,
          response: { 200: PageOf(Equipment), ...errorResponses(400) },
        },
      },
      async (req) => {
        const q = req.query;
        const page = await registry.listEquipment(
          {
            ownerId: q.owner,
            quantity: q.quantity as QuantityKind | undefined,
            level: q.level as HierarchyLevel | undefined,
            category: q.category,
            usage: q.usage as Usage | undefined,
            status: q.status as EquipmentStatus | undefined,
            assetCode: q.assetCode,
            visibleTo: await app.visibility.scopeOf(req.caller),
          },
          pageRequest(q),
        );
        return pageBody(page, writeEquipment);
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/equipment/:id',
      { schema: { tags, summary: 'Get one equipment', params: IdParams, response: { 200: Equipment, ...errorResponses(400, 404) } } },
      async (req) => writeEquipment(await registry.getEquipment(req.params.id)),
    );

    app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof EventInput> }>(
      '/v1/equipment/:id/events',
      {
        schema: {
          tags,
          summary:
            'Record a change in an equipment’s life (append-only): its assessment certificate renewed, suspended, resumed, retired, scrapped, transferred, relocated, repaired, seal broken — by its owner on the effective date, or an admin',
          params: IdParams,
          body: EventInput,
          response: { 201: Event, ...errorResponses(400, 403, 404, 409) },
        },
      },
      async (req, reply) => reply.status(201).send(writeEvent(await registry.recordEvent(req.caller, toEvent(req.body, req.params.id, registry.newId)))),
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/equipment/:id/events',
      {
        schema: {
          tags,
          summary: 'The life of one equipment after its registration, in the order recorded',
          params: IdParams,
          response: { 200: Type.Object({ items: Type.Array(Event) }), ...errorResponses(400, 404) },
        },
      },
      async (req) => ({ items: (await registry.listEvents(req.params.id)).map(writeEvent) }),
    );

    app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof StateQuery> }>(
      '/v1/equipment/:id/state',
      {
        schema: {
          tags,
          summary:
            'The equipment as it was on a day (default today): its registration with the events effective by then — status, assessment certificate, owner, location, scrapping, and the repair after which it must be verified again',
          params: IdParams,
          querystring: StateQuery,
          response: { 200: EquipmentState, ...errorResponses(400, 404) },
        },
      },
      async (req) => {
        const at = parseDate(req.query.at ?? app.today(), '?at');
        return writeEquipmentState(await registry.equipmentAt(req.params.id, at), at);
      },
    );

    app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof RecordQuery> }>(
      '/v1/equipment/:id/calibrations',
      {
        schema: {
          tags,
          summary: 'The calibration and verification history of one equipment, corrections included',
          params: IdParams,
          querystring: RecordQuery,
          response: { 200: PageOf(Record), ...errorResponses(400, 404) },
        },
      },
      async (req) => {
        await registry.getEquipment(req.params.id);
        const page = await registry.listRecords({ subjectId: req.params.id, kind: req.query.kind as RecordKind | undefined }, pageRequest(req.query));
        return pageBody(page, writeStored);
      },
    );

    app.post<{ Body: Static<typeof RecordInput> }>(
      '/v1/calibrations',
      {
        schema: {
          tags,
          summary: 'Append a calibration or verification record (a correction names the record it supersedes)',
          body: RecordInput,
          response: { 201: Record, ...errorResponses(400, 409) },
        },
      },
      async (req, reply) => {
        const record = toRecord(req.body, registry.newId);
        return reply.status(201).send(writeStored(await registry.createRecord(record, undefined, req.caller)));
      },
    );

    app.get<{ Querystring: Static<typeof RecordQuery> }>(
      '/v1/calibrations',
      {
        schema: {
          tags,
          summary: 'List calibration and verification records by subject, lab, kind, certificate number or reference standard',
          querystring: RecordQuery,
          response: { 200: PageOf(Record), ...errorResponses(400) },
        },
      },
      async (req) => {
        const q = req.query;
        const page = await registry.listRecords(
          {
            subjectId: q.subject,
            labId: q.lab,
            kind: q.kind as RecordKind | undefined,
            certificateNo: q.certificateNo,
            referenceId: q.reference,
            visibleTo: await app.visibility.scopeOf(req.caller),
          },
          pageRequest(q),
        );
        return pageBody(page, writeStored);
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/calibrations/:id',
      { schema: { tags, summary: 'Get one calibration or verification record', params: IdParams, response: { 200: Record, ...errorResponses(400, 404) } } },
      async (req) => {
        return writeStored(await registry.getRecord(req.params.id));
      },
    );
  };
}
