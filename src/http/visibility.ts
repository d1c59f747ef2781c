/**
 * Reads scoped by role at the edge: the routes that read one thing by its id
 * declare what the id names, and a hook checks, before the handler runs, that
 * the caller's key may read it (app/visibility.ts). Lists filter by the same
 * scope in their queries; the few routes that read by other means (a
 * certificate number, two ids in the query) check in their handlers.
 */
import type { FastifyInstance } from 'fastify';
import type { VisibilityService } from '../app/visibility.ts';

export type ReadRule = 'equipment' | 'record' | 'organisation-data' | 'energy-audit' | 'plan';

/** What `:id` names on each route whose reads are scoped by it. */
export const ROUTE_READS: Readonly<Record<string, ReadRule>> = {
  'GET /v1/equipment/:id': 'equipment',
  'GET /v1/equipment/:id/calibrations': 'equipment',
  'GET /v1/equipment/:id/chain-uncertainty': 'equipment',
  'GET /v1/equipment/:id/control-chart.svg': 'equipment',
  'GET /v1/equipment/:id/traceability': 'equipment',
  'GET /v1/equipment/:id/traceability.svg': 'equipment',
  'GET /v1/equipment/:id/dependents': 'equipment',
  'GET /v1/equipment/:id/status': 'equipment',
  'GET /v1/equipment/:id/interval-recommendation': 'equipment',
  'GET /v1/equipment/:id/events': 'equipment',
  'GET /v1/equipment/:id/state': 'equipment',
  'GET /v1/calibrations/:id': 'record',
  'GET /v1/calibrations/:id/conformity': 'record',
  'GET /v1/calibrations/:id/dcc.xml': 'record',
  'GET /v1/calibrations/:id/dcc-sidecar.json': 'record',
  'GET /v1/calibrations/:id/certificate.html': 'record',
  'GET /v1/calibrations/:id/label.svg': 'record',
  'GET /v1/organisations/:id/energy-inventory': 'organisation-data',
  'GET /v1/energy-audits/:id': 'energy-audit',
  'GET /v1/energy-audits/:id/report.html': 'energy-audit',
  'GET /v1/verification-plans/:id': 'plan',
};

export function scopeReads(app: FastifyInstance, visibility: VisibilityService): void {
  app.addHook('preHandler', async (req) => {
    const rule = ROUTE_READS[`${req.method === 'HEAD' ? 'GET' : req.method} ${req.routeOptions.url}`];
    if (!rule) return;
    const id = (req.params as { id?: string }).id ?? '';
    switch (rule) {
      case 'equipment':
        return visibility.equipment(req.caller, [id]);
      case 'record':
        return visibility.records(req.caller, [id]);
      case 'organisation-data':
        return visibility.organisationData(req.caller, id);
      case 'energy-audit':
        return visibility.audit(req.caller, id);
      case 'plan':
        return visibility.plan(req.caller, id);
    }
  });
}
