/** Energy-metering inventories and audits over HTTP (GB 17167). */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireOwnOrganisation } from '../../core/access/roles.ts';
import type { EnergyAuditService } from '../../app/energy.ts';
import type { RegistryService } from '../../app/registry.ts';
import { toAuditRequest, toInventory, writeInventory } from '../../codecs/energy.ts';
import { ENERGY_REPORT_CSS, renderAuditHtml } from '../../codecs/energy-report-html.ts';
import { Audit, AuditInput, Inventory, InventoryInput } from '../../codecs/contracts/energy.ts';
import { errorResponses, IdParams } from '../schemas/common.ts';

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
        return reply.status(201).send(inventoryBody(await service.submitInventory(toInventory(req.body, req.params.id, service.rules))));
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
          response: { 201: Audit, ...errorResponses(400, 404, 409) },
        },
      },
      async (req, reply) => {
        // an auditor audits the organisations of its region
        await app.visibility.organisationData(req.caller, req.body.organisationId, '/organisationId');
        return reply.status(201).send((await service.audit(toAuditRequest(req.body, service.newId))).audit);
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/v1/energy-audits/:id',
      { schema: { tags, summary: 'A stored energy-metering audit', params: IdParams, response: { 200: Audit, ...errorResponses(400, 404) } } },
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
