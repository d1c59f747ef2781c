/** Energy-metering inventories and audits over HTTP (GB 17167). */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireOwnOrganisation } from '../../core/access/roles.ts';
import type { EnergyAuditService } from '../../app/energy.ts';
import type { RegistryService } from '../../app/registry.ts';
import { writeInventory } from '../../codecs/energy.ts';
import { ENERGY_REPORT_CSS, renderAuditHtml } from '../../codecs/energy-report-html.ts';
import { ENERGY_TYPES, ELECTRICITY_USER_CLASSES, METERING_LEVELS } from '../../core/energy/rules.ts';
import { CalendarDateString, DecimalString, errorResponses, Id, IdParams, Nullable, OpenObject } from '../schemas/common.ts';

const Point = Type.Object(
  {
    id: Id,
    level: Type.Unsafe<string>({
      type: 'string',
      enum: [...METERING_LEVELS],
      description: 'organisation (entry/exit), sub_unit (secondary unit), equipment (energy-using equipment)',
    }),
    energyType: Type.Unsafe<string>({ type: 'string', enum: [...ENERGY_TYPES] }),
    name: Type.String({ minLength: 1, maxLength: 300 }),
    consumption: Type.Optional(
      Nullable(Type.Object({ value: DecimalString, unit: Type.String({ minLength: 1, maxLength: 16 }) }, { additionalProperties: false })),
    ),
    equipmentId: Type.Optional(Nullable(Id)),
    weighing: Type.Optional(Nullable(Type.Unsafe<string>({ type: 'string', enum: ['static', 'dynamic'] }))),
    pipeDn: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 5000 }))),
  },
  { additionalProperties: false },
);
const InventoryInput = Type.Object(
  {
    electricityUserClass: Type.Optional(Nullable(Type.Unsafe<string>({ type: 'string', enum: [...ELECTRICITY_USER_CLASSES] }))),
    points: Type.Array(Point, { maxItems: 100_000 }),
  },
  { additionalProperties: false },
);
/** A version of an inventory as answered (codecs/energy.ts writeInventory). */
const Inventory = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  organisationId: Type.String(),
  electricityUserClass: Nullable(Type.String()),
  points: Type.Array(
    Type.Object({
      id: Type.String(),
      level: Type.String(),
      energyType: Type.String(),
      name: Type.String(),
      consumption: Nullable(Type.Object({ value: Type.String(), unit: Type.String() })),
      equipmentId: Nullable(Type.String()),
      weighing: Nullable(Type.String()),
      pipeDn: Nullable(Type.Integer()),
    }),
  ),
});
const AuditInput = Type.Object({ id: Type.Optional(Id), organisationId: Id, at: CalendarDateString }, { additionalProperties: false });

export function energyRoutes(service: EnergyAuditService, registry: RegistryService) {
  return async function routes(app: FastifyInstance): Promise<void> {
    const tags = ['energy'];
    const inventoryBody = (r: { id: string; version: number; inventory: Parameters<typeof writeInventory>[0] }) => ({
      id: r.id,
      version: r.version,
      ...writeInventory(r.inventory),
    });

    app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof InventoryInput> }>(
      '/v1/organisations/:id/energy-inventory',
      {
        schema: {
          tags,
          summary:
            "Submit a new version of an organisation's energy-metering inventory: metering points at the three levels, their energy type, consumption and meter",
          params: IdParams,
          body: InventoryInput,
          response: { 201: Inventory, ...errorResponses(400, 404, 409) },
        },
      },
      async (req, reply) => {
        requireOwnOrganisation(req.caller, req.params.id, ':id', 'submit the energy-metering inventory');
        return reply.status(201).send(inventoryBody(await service.submitInventory(req.params.id, req.body)));
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/organisations/:id/energy-inventory',
      {
        schema: {
          tags,
          summary: "The latest version of an organisation's energy-metering inventory",
          params: IdParams,
          response: { 200: Inventory, ...errorResponses(400, 404) },
        },
      },
      async (req) => inventoryBody(await service.latestInventory(req.params.id)),
    );

    app.post<{ Body: Static<typeof AuditInput> }>(
      '/v1/energy-audits',
      {
        schema: {
          tags,
          summary:
            'Audit the latest inventory of an organisation at a date against GB 17167: equipping rates, accuracy, verification and traceability of every meter; stored with its input',
          body: AuditInput,
          response: { 201: OpenObject, ...errorResponses(400, 404, 409) },
        },
      },
      async (req, reply) => {
        // an auditor audits the organisations of its region
        await app.visibility.organisationData(req.caller, (req.body as { organisationId: string }).organisationId, '/organisationId');
        return reply.status(201).send((await service.audit(req.body)).audit);
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/energy-audits/:id',
      { schema: { tags, summary: 'A stored energy-metering audit', params: IdParams, response: { 200: OpenObject, ...errorResponses(400, 404) } } },
      async (req) => (await service.getAudit(req.params.id)).audit,
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/energy-audits/:id/report.html',
      {
        schema: {
          tags,
          summary: 'The audit as a printable HTML report with the equipping-rate table, a chart of rates against requirements and the findings',
          params: IdParams,
          produces: ['text/html'],
          response: { 200: Type.String(), ...errorResponses(400, 404) },
        },
      },
      async (req, reply) => {
        const { audit } = await service.getAudit(req.params.id);
        const org = await registry.getOrganisation(audit.organisationId);
        return reply.type('text/html; charset=utf-8').send(renderAuditHtml(audit, org.name));
      },
    );

    app.get('/energy-report.css', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(ENERGY_REPORT_CSS),
    );
  };
}
