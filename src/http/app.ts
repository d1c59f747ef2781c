/**
 * buildApp(deps): the fastify application, without listening and without
 * reading the environment. Tests drive it with inject(); server.ts starts it.
 */
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { RegistryService } from '../app/registry.ts';
import type { TraceabilityService } from '../app/traceability.ts';
import type { UncertaintyService } from '../app/uncertainty.ts';
import type { VerificationService } from '../app/verification.ts';
import type { EnergyAuditService } from '../app/energy.ts';
import { energyRoutes } from './routes/energy.ts';
import { conformityRoutes } from './routes/conformity.ts';
import { dccRoutes } from './routes/dcc.ts';
import type { DccService } from '../app/dcc.ts';
import { errorHandler, problem, sendProblem } from './errors.ts';
import { registryRoutes } from './routes/registry.ts';
import { traceabilityRoutes } from './routes/traceability.ts';
import { uncertaintyRoutes } from './routes/uncertainty.ts';
import { verificationRoutes } from './routes/verification.ts';
import { Problem } from './schemas/common.ts';

export interface AppDeps {
  readonly registry: RegistryService;
  readonly uncertainty: UncertaintyService;
  readonly traceability: TraceabilityService;
  readonly verification: VerificationService;
  readonly energy: EnergyAuditService;
  readonly dcc: DccService;
  readonly database: { readonly kind: 'pglite' | 'postgres'; ping(): Promise<void> };
  readonly version: string;
  readonly logger?: boolean;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: 1024 * 1024,
    ajv: {
      customOptions: {
        // A JSON number must never be coerced into a decimal string, and an
        // unknown field must be rejected, not silently removed.
        coerceTypes: false,
        removeAdditional: false,
        allErrors: false,
        verbose: true,
      },
    },
  });

  app.addSchema(Problem);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((req, reply) => sendProblem(reply, problem('NOT_FOUND', '', `no route ${req.method} ${req.url.split('?')[0]}; see /openapi.json`)));

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'metrotrace API',
        version: deps.version,
        description:
          'Metrology calibration and measurement traceability: the equipment and calibration registry, uncertainty evaluation, traceability, mandatory verification and energy-metering audits. Every decimal is a string.',
      },
      tags: [
        { name: 'registry', description: 'Organisations, equipment and calibration/verification records' },
        { name: 'uncertainty', description: 'GUM and Monte Carlo uncertainty evaluation' },
        { name: 'traceability', description: 'Traceability chains and their findings' },
        { name: 'dcc', description: 'Digital Calibration Certificates (PTB DCC 3.3.0) out and in' },
        { name: 'conformity', description: 'Decision rules and statements of conformity with their specific risk' },
        { name: 'energy', description: 'Energy-metering inventories and audits against GB 17167' },
        { name: 'verification', description: 'Mandatory verification: catalogue, policies, status lookup, due lists, capacity plans and interval adjustment' },
        { name: 'system', description: 'Health and documentation' },
      ],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });

  app.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness and the database in use',
        response: { 200: Type.Object({ status: Type.String(), database: Type.String(), version: Type.String() }), ...{ 503: Type.Ref('Problem') } },
      },
    },
    async (_req, reply) => {
      try {
        await deps.database.ping();
      } catch {
        return sendProblem(reply, problem('UNAVAILABLE', '', 'the database cannot be reached; the service recovers by itself when it is back'));
      }
      return { status: 'ok', database: deps.database.kind, version: deps.version };
    },
  );

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/', { schema: { hide: true } }, async () => ({
    name: 'metrotrace',
    version: deps.version,
    links: { health: '/health', openapi: '/openapi.json', organisations: '/v1/organisations', equipment: '/v1/equipment', calibrations: '/v1/calibrations', uncertainty: '/v1/uncertainty/evaluate', catalogue: '/v1/catalogue', statusLookup: '/v1/status?certificateNo=', due: '/v1/due?to=', energyAudits: '/v1/energy-audits' },
  }));

  await app.register(registryRoutes(deps.registry));
  await app.register(uncertaintyRoutes(deps.uncertainty));
  await app.register(traceabilityRoutes(deps.traceability));
  await app.register(verificationRoutes(deps.verification));
  await app.register(energyRoutes(deps.energy, deps.registry));
  await app.register(conformityRoutes);
  await app.register(dccRoutes(deps.dcc));
  return app;
}
