/**
 * buildApp(deps): the fastify application, without listening and without
 * reading the environment. Tests drive it with inject(); server.ts starts it.
 */
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { RegistryService } from '../app/registry.ts';
import type { TraceabilityService } from '../app/traceability.ts';
import type { Computations } from '../app/computations.ts';
import type { VisibilityService } from '../app/visibility.ts';
import { scopeReads } from './visibility.ts';
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
import { securityHeaders } from './security-headers.ts';
import { ERROR_CODE, HINT } from '../codecs/contracts/common.ts';
import type { AccessService } from '../app/access.ts';
import { MetrologyError } from '../core/errors.ts';
import type { CalendarDate } from '../core/dates.ts';
import { today } from '../runtime/ambient.ts';
import { enforceAccess, identifyCallers } from './access.ts';
import { refuseNul, refusePrototypeKeys } from './input-guard.ts';
import { calendarRoutes, feedOfRequest } from './routes/calendar.ts';
import type { Redis } from 'ioredis';
import { accessRoutes } from './routes/access.ts';
import { lookupRoutes } from './routes/lookup.ts';
import { ledgerRoutes } from './routes/ledger.ts';
import { documentRoutes } from './routes/documents.ts';
import { DocumentService } from '../app/documents.ts';
import type { LedgerService } from '../app/ledger.ts';
import type { SupervisionService } from '../app/supervision.ts';
import type { LotService } from '../app/lots.ts';
import { lotRoutes } from './routes/lots.ts';
import { supervisionRoutes } from './routes/supervision.ts';
import { importRoutes } from './routes/imports.ts';
import type { ImportService } from '../app/imports.ts';
import type { SessionService } from '../app/sessions.ts';
import { appPages } from './routes/app-pages.ts';
import { DEFAULT_PROTECTION, DEFAULT_READS, type Protection } from './protection.ts';
import { replicaReads, type ReplicaReadOptions } from './replica-reads.ts';
import { sharedSchemaCompilers } from './schema-compilers.ts';

export { DEFAULT_PROTECTION, type Protection };

export interface AppDeps {
  readonly registry: RegistryService;
  /** Uncertainty evaluations and conformity decisions: in worker threads with limits on the server (runtime/compute-pool.ts). */
  readonly computations: Computations;
  readonly visibility: VisibilityService;
  readonly traceability: TraceabilityService;
  readonly verification: VerificationService;
  readonly energy: EnergyAuditService;
  readonly dcc: DccService;
  readonly database: { readonly kind: 'pglite' | 'postgres'; ping(): Promise<void> };
  readonly access: AccessService;
  readonly ledger: LedgerService;
  readonly supervision: SupervisionService;
  readonly lots: LotService;
  readonly imports: ImportService;
  /** Sessions of the web pages at /app. */
  readonly sessions: SessionService;
  readonly version: string;
  /** Log requests (true: to stdout; or to a stream of one's own, as the tests that read the log do). */
  readonly logger?: boolean | { readonly stream: { write(line: string): void } };
  readonly protection?: Partial<Protection>;
  /**
   * A Redis client for the rate limits, shared by every API process (REDIS_URL);
   * absent: this process counts alone. Its prefix keeps apart installations
   * (or tests) sharing one Redis.
   */
  readonly rateLimitRedis?: { readonly client: Redis; readonly prefix?: string } | undefined;
  /** Which proxies to believe about the client's address (see ServerConfig.trustProxy); default none. */
  readonly trustProxy?: false | string | undefined;
  /**
   * Streaming replicas for the read-only routes (DATABASE_READ_URL) and the
   * staleness bound the OpenAPI states; absent: every read on the primary.
   */
  readonly reads?: ReplicaReadOptions | undefined;
  /** Today's date, for key expiry (defaults to the clock). */
  readonly today?: () => CalendarDate;
  /** The public address (METROTRACE_PUBLIC_URL) a label's QR code opens the lookup at; absent: the address each request came to. */
  readonly publicUrl?: string | undefined;
}

/**
 * A request URL as it may be logged: a query that names a token in any
 * spelling the query parser would decode (token=, %74oken=, TOKEN=) is
 * withheld whole, leaving the path.
 */
export function withoutTokens(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  let query = url.slice(q + 1);
  try {
    query = decodeURIComponent(query.replace(/\+/g, ' '));
  } catch {
    return `${url.slice(0, q)}?(query withheld)`;
  }
  return /token/i.test(query) ? `${url.slice(0, q)}?(query withheld)` : url;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const limits: Protection = { ...DEFAULT_PROTECTION, ...deps.protection };
  const app = Fastify({
    // the request log keeps no token: a calendar feed's travels in its URL
    logger: deps.logger
      ? {
          ...(typeof deps.logger === 'object' ? { stream: deps.logger.stream } : {}),
          serializers: { req: (req) => ({ method: req.method, url: withoutTokens(req.url), remoteAddress: req.ip }) },
        }
      : false,
    bodyLimit: limits.bodyLimit,
    trustProxy: deps.trustProxy ?? false,
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.requestTimeoutMs,
    // Errors the router raises before any route (an over-long path segment, a bad URL) are problems too.
    frameworkErrors: (error, _req, reply) => void errorHandler(error, _req, reply),
    // validators and serializers compiled once per process, not once per app
    schemaController: sharedSchemaCompilers,
    ajv: {
      customOptions: {
        // A JSON number must never be coerced into a decimal string, and an
        // unknown field must be rejected, not silently removed.
        coerceTypes: false,
        removeAdditional: false,
        allErrors: false,
        verbose: true,
        // annotations of the contracts (codecs/contracts/common.ts): the error code and the sentence of a failure
        keywords: [ERROR_CODE, HINT],
      },
    },
  });

  app.addSchema(Problem);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((req, reply) => sendProblem(reply, problem('NOT_FOUND', '', `no route ${req.method} ${req.url.split('?')[0]}; see /docs`)));

  // Who is calling (before anything else), how often (per key, or per address
  // for the public), and may they (before the body is parsed).
  // One calendar for the whole app: key expiry, default dates and what counts as the future.
  const clock = deps.today ?? today;
  app.decorate('today', clock);
  const access = { access: deps.access, today: clock, sessions: deps.sessions };
  identifyCallers(app, access);
  // which routes may read from a replica (before any route is registered, so every one is seen)
  replicaReads(app, deps.reads ?? { maxLagMs: DEFAULT_READS.maxLagMs });
  if (limits.publicPerMinute > 0 || limits.keyPerMinute > 0) {
    const unlimited = Number.MAX_SAFE_INTEGER;
    await app.register(fastifyRateLimit, {
      global: true,
      timeWindow: 60_000,
      // a calendar feed is counted by its own id (calendar services fetch many organisations' feeds from one address)
      keyGenerator: async (req) => {
        if (req.caller?.kind === 'key') return `key:${req.caller.keyId}`;
        const feed = await feedOfRequest(req, deps.access, clock());
        return feed?.ok ? `feed:${feed.key.id}` : `ip:${req.ip}`;
      },
      max: (_req, key) => (key.startsWith('ip:') ? limits.publicPerMinute || unlimited : limits.keyPerMinute || unlimited),
      // with Redis: one count across processes; when Redis fails, requests are let through
      // (logged) rather than the API refusing everyone
      ...(deps.rateLimitRedis ? { redis: deps.rateLimitRedis.client, nameSpace: deps.rateLimitRedis.prefix ?? 'metrotrace-rate-', skipOnError: true } : {}),
      errorResponseBuilder: (req, ctx) =>
        new MetrologyError(
          'RATE_LIMITED',
          '',
          `more than ${ctx.max} requests in a minute from this ${req.caller?.kind === 'key' ? 'key' : 'address'}; try again in ${Math.ceil(ctx.ttl / 1000)} s`,
        ),
    });
  }
  enforceAccess(app, access);
  // Reads scoped by role: what a key may read of instruments, records, energy data and plans.
  app.decorate('visibility', deps.visibility);
  scopeReads(app, deps.visibility);
  refuseNul(app);
  refusePrototypeKeys(app);

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
        { name: 'dcc', description: 'Digital Calibration Certificates (PTB DCC 3.2.0) out and in' },
        { name: 'conformity', description: 'Decision rules and statements of conformity with their specific risk' },
        { name: 'energy', description: 'Energy-metering inventories and audits against GB 17167' },
        { name: 'verification', description: 'Mandatory verification: catalogue, policies, status lookup, due lists, capacity plans and interval adjustment' },
        { name: 'public', description: 'Open without a key: what a verification label shows' },
        { name: 'access', description: 'API keys and the audit log (admin)' },
        { name: 'ledger', description: 'The tamper-evident ledger of records, findings and audits' },
        { name: 'system', description: 'Health and documentation' },
      ],
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API key, mtk_<id>_<secret>, issued by an admin (POST /v1/keys or `metrotrace keys create`)',
          },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });

  app.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness and the database in use',
        response: {
          200: Type.Object({
            status: Type.String(),
            database: Type.String(),
            version: Type.String(),
            replicas: Type.Optional(
              Type.Array(
                Type.Object({
                  name: Type.String({ description: 'host:port/database' }),
                  usable: Type.Boolean({ description: 'whether reads may go to it now' }),
                  freshMsAgo: Type.Union([Type.Integer(), Type.Null()], {
                    description: 'how long ago it was last shown to hold every commit (reads go to it while this is within the bound)',
                  }),
                  down: Type.Union([Type.String(), Type.Null()], { description: 'why it is not used, when a check or a query failed' }),
                }),
                { description: 'the read replicas (DATABASE_READ_URL), when configured' },
              ),
            ),
          }),
          ...{ 503: Type.Ref('Problem') },
        },
      },
    },
    async (_req, reply) => {
      try {
        await deps.database.ping();
      } catch {
        return sendProblem(reply, problem('UNAVAILABLE', '', 'the database cannot be reached; the service recovers by itself when it is back'));
      }
      const replicas = deps.reads?.replicas?.state();
      return { status: 'ok', database: deps.database.kind, version: deps.version, ...(replicas ? { replicas } : {}) };
    },
  );

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // The docs UI sets inline styles from its script; only its own pages allow that.
  const docsScripts = ["'self'", ...swaggerUiScriptHashes()].join(' ');
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    uiConfig: { deepLinking: false, persistAuthorization: false },
    staticCSP: `default-src 'self'; base-uri 'self'; frame-ancestors 'self'; form-action 'self'; object-src 'none'; img-src 'self' data:; script-src ${docsScripts}; style-src 'self' 'unsafe-inline'`,
  });
  securityHeaders(app, {
    contentSecurityPolicy: {
      useDefaults: true,
      directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], upgradeInsecureRequests: null },
    },
    // Plain HTTP on a private network is allowed; a proxy in front adds HSTS.
    hsts: false,
  });
  app.get('/favicon.ico', { schema: { hide: true } }, async (_req, reply) => reply.status(204).send());

  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    if (/text\/html/.test(String(req.headers.accept ?? ''))) return reply.type('text/html; charset=utf-8').send(INDEX_HTML(deps.version));
    return {
      name: 'metrotrace',
      version: deps.version,
      links: {
        lookup: '/lookup',
        docs: '/docs',
        health: '/health',
        openapi: '/openapi.json',
        organisations: '/v1/organisations',
        equipment: '/v1/equipment',
        calibrations: '/v1/calibrations',
        uncertainty: '/v1/uncertainty/evaluate',
        catalogue: '/v1/catalogue',
        statusLookup: '/v1/status?certificateNo=',
        due: '/v1/due?to=',
        energyAudits: '/v1/energy-audits',
      },
    };
  });

  await app.register(registryRoutes(deps.registry));
  await app.register(uncertaintyRoutes(deps.computations));
  await app.register(traceabilityRoutes(deps.traceability));
  await app.register(verificationRoutes(deps.verification));
  await app.register(energyRoutes(deps.energy, deps.registry));
  await app.register(conformityRoutes(deps.computations));
  await app.register(dccRoutes(deps.dcc, deps.registry));
  await app.register(lookupRoutes(deps.verification));
  await app.register(documentRoutes(new DocumentService({ registry: deps.registry, traceability: deps.traceability }), { publicUrl: deps.publicUrl }));
  await app.register(accessRoutes(deps.access));
  await app.register(calendarRoutes(deps.access, deps.verification, { publicUrl: deps.publicUrl }));
  await app.register(ledgerRoutes(deps.ledger));
  await app.register(supervisionRoutes(deps.supervision));
  await app.register(lotRoutes(deps.lots));
  await app.register(importRoutes(deps.imports));
  await app.register(appPages(deps));
  return app;
}

const INDEX_HTML = (version: string) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>metrotrace</title><link rel="stylesheet" href="/lookup.css"></head>
<body><main><h1>metrotrace ${version.replace(/[^0-9A-Za-z.+-]/g, '')}</h1>
<ul>
<li><a id="lookup-link" href="/lookup">计量器具检定状态查询 · Verification status lookup</a></li>
<li><a id="app-link" href="/app">计量工作台（需 API 密钥）· Workspace for labs, owners, inspectors and auditors (needs an API key)</a></li>
<li><a href="/docs">API documentation (OpenAPI)</a></li>
</ul></main></body></html>
`;

/** The hashes of the docs UI's inline scripts, as @fastify/swagger-ui publishes them. */
function swaggerUiScriptHashes(): string[] {
  const csp = JSON.parse(readFileSync(new URL(import.meta.resolve('@fastify/swagger-ui/static/csp.json')), 'utf8')) as { script: string[] };
  return csp.script;
}
