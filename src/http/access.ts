/**
 * Access control at the edge: every route's admitted roles (one table, so the
 * whole policy reads at a glance), a hook that identifies the caller from its
 * bearer key, a hook that refuses what the caller may not do, and the audit log
 * of every write and every refusal.
 *
 * Order per request: onRequest identifies the caller (one primary-key lookup);
 * the rate limiter counts it (per key, or per address for the public);
 * preParsing admits or refuses it, so a refused body is never even parsed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { AccessService } from '../app/access.ts';
import type { SessionService } from '../app/sessions.ts';
import { cookieOf, isAppPath, refusedPage, SESSION_COOKIE, toSignIn } from './app-session.ts';
import type { AuditEntry } from '../app/ports.ts';
import type { VisibilityService } from '../app/visibility.ts';
import { LOT_SAMPLING_ROLES } from '../app/lots.ts';
import { type Access, type Caller, withArticle } from '../core/access/roles.ts';
import { decide } from '../core/access/roles.ts';
import type { CalendarDate } from '../core/dates.ts';
import { problem, sendProblem } from './errors.ts';
import { errorResponses } from './schemas/common.ts';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller;
    /** Why a presented key was refused (unknown, revoked, expired), when it was. */
    keyProblem: string | undefined;
    /** The web pages' session the caller came with (/app only): its id (from the cookie) and CSRF token. */
    appSession: { readonly id: string; readonly csrfToken: string } | undefined;
    /** Why a session cookie opened no session (ended, idle), when one was sent. */
    sessionProblem: string | undefined;
    /**
     * What the audit log records for a request answered 2xx that was in fact
     * refused: a web page shown again with its problem (browsers log a 4xx
     * page as an error, so the page answers 200, but the attempt was refused).
     */
    auditOutcome: { readonly outcome: 'refused' | 'denied'; readonly code: string } | undefined;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyInstance {
    /** Every route registered, with the access it declares (what the route-role test walks). */
    readonly routeAccess: Array<{ method: string; url: string; access: Access }>;
    /** Today's date where the registry is: the one calendar for key expiry and default dates. */
    readonly today: () => CalendarDate;
    /** What each key may read (app/visibility.ts). */
    readonly visibility: VisibilityService;
  }
}

const WRITE_REGISTRY: Access = ['admin'];
const INSPECTION: Access = ['inspector'];

/**
 * Every route and who may call it. An admin may call everything; 'authenticated'
 * means any valid key; 'public' needs none. A route missing here fails the
 * start-up, so none can be left unguarded.
 */
export const ROUTE_ACCESS: Readonly<Record<string, Access>> = {
  'GET /': 'public',
  'GET /health': 'public',
  'GET /openapi.json': 'public',
  'GET /lookup': 'public',
  'GET /lookup.css': 'public',
  'GET /certificate.css': 'public',
  'GET /energy-report.css': 'public',
  'GET /favicon.ico': 'public',
  'GET /v1/label': 'public',

  'GET /v1/organisations': 'authenticated',
  'POST /v1/organisations': WRITE_REGISTRY,
  'GET /v1/organisations/:id': 'authenticated',
  'GET /v1/organisations/:id/scopes': 'authenticated',
  'POST /v1/organisations/:id/scopes': WRITE_REGISTRY,
  'GET /v1/organisations/:id/cmcs': 'authenticated',
  'POST /v1/organisations/:id/cmcs': WRITE_REGISTRY,
  'POST /v1/organisations/:id/scopes/:scopeId/amendments': WRITE_REGISTRY,
  'GET /v1/organisations/:id/scopes/:scopeId/versions': 'authenticated',
  'POST /v1/organisations/:id/cmcs/:cmcId/amendments': WRITE_REGISTRY,
  'GET /v1/organisations/:id/cmcs/:cmcId/versions': 'authenticated',
  'GET /v1/organisations/:id/energy-inventory': 'authenticated',
  'POST /v1/organisations/:id/energy-inventory': ['owner'],

  'GET /v1/equipment': 'authenticated',
  'POST /v1/equipment': ['lab', 'owner'],
  'GET /v1/equipment/correlation': 'authenticated',
  'GET /v1/equipment/:id': 'authenticated',
  'GET /v1/equipment/:id/calibrations': 'authenticated',
  'GET /v1/equipment/:id/chain-uncertainty': 'authenticated',
  'GET /v1/equipment/:id/control-chart.svg': 'authenticated',
  'GET /v1/equipment/:id/traceability': 'authenticated',
  'GET /v1/equipment/:id/traceability.svg': 'authenticated',
  'POST /v1/equipment/:id/out-of-tolerance': ['inspector', 'lab'],
  'GET /v1/equipment/:id/dependents': 'authenticated',
  'GET /v1/equipment/:id/status': 'authenticated',
  'GET /v1/equipment/:id/interval-recommendation': 'authenticated',
  'POST /v1/equipment/:id/events': ['owner', 'lab'],
  'GET /v1/equipment/:id/events': 'authenticated',
  'GET /v1/equipment/:id/state': 'authenticated',

  'GET /v1/calibrations': 'authenticated',
  'POST /v1/calibrations': ['lab'],
  'GET /v1/calibrations/correlation': 'authenticated',
  'GET /v1/calibrations/:id': 'authenticated',
  'GET /v1/calibrations/:id/conformity': 'authenticated',
  'GET /v1/calibrations/:id/dcc.xml': 'authenticated',
  'GET /v1/calibrations/:id/dcc-sidecar.json': 'authenticated',
  'GET /v1/calibrations/:id/certificate.html': 'authenticated',
  'GET /v1/calibrations/:id/label.svg': 'authenticated',
  'POST /v1/dcc': ['lab', 'owner'],
  'GET /v1/dcc/filed': 'authenticated',
  'GET /v1/dcc/filed/:id': 'authenticated',
  'GET /v1/dcc/filed/:id/dcc.xml': 'authenticated',
  'POST /v1/dcc/filed/:id/confirm': ['lab'],
  'POST /v1/dcc/filed/:id/reject': ['lab'],

  'POST /v1/uncertainty/evaluate': 'authenticated',
  'POST /v1/conformity/decisions': 'authenticated',

  'GET /v1/catalogue': 'authenticated',
  'GET /v1/status': 'authenticated',
  'GET /v1/due': 'authenticated',
  'GET /v1/verification-policies': 'authenticated',
  'POST /v1/verification-policies': INSPECTION,
  'GET /v1/verification-capacities': 'authenticated',
  'POST /v1/verification-capacities': ['inspector', 'lab'],
  'POST /v1/verification-plans': INSPECTION,
  'GET /v1/verification-plans/:id': 'authenticated',

  'POST /v1/inspections': INSPECTION,
  'GET /v1/inspections/:id': 'authenticated',
  'GET /v1/equipment/:id/inspections': 'authenticated',
  'POST /v1/spot-checks': INSPECTION,
  'GET /v1/spot-checks': INSPECTION,
  'GET /v1/spot-checks/:id': INSPECTION,
  'GET /v1/spot-checks/:id/plan.json': INSPECTION,
  'GET /v1/spot-checks/:id/report.html': INSPECTION,
  'POST /v1/spot-checks/:id/close': INSPECTION,
  'GET /v1/public/spot-checks/:id': 'public',
  'GET /v1/public/spot-checks/:id/results.csv': 'public',
  'GET /v1/public/spot-checks/:id/population.tsv': 'public',
  'GET /v1/organisations/:id/integrity': 'authenticated',
  'POST /v1/organisations/:id/integrity-measures': ['owner', 'lab', 'inspector'],
  'GET /v1/integrity': ['inspector', 'auditor'],
  'GET /v1/integrity.svg': ['inspector', 'auditor'],
  'GET /v1/public/integrity/listed': 'public',

  // lots of meters in service (issue #22): the owner registers and rotates its own lots; the regulator
  // draws the sampling plans and records the results that decide a lot (app/lots.ts says why)
  'POST /v1/lots': ['owner'],
  'GET /v1/lots/:id': 'authenticated',
  'POST /v1/lots/:id/sampling-plans': LOT_SAMPLING_ROLES,
  'GET /v1/lots/:id/sampling-plans/:planId': 'authenticated',
  'POST /v1/lots/:id/sampling-plans/:planId/results': LOT_SAMPLING_ROLES,
  'GET /v1/lots/:id/sampling-plans/:planId/oc.svg': 'authenticated',
  'POST /v1/lots/:id/rotation': ['owner', 'inspector'],
  'GET /v1/sampling/tables': 'authenticated',
  'GET /v1/rotation-plan': ['owner', 'inspector', 'auditor'],
  'GET /v1/lots/:id/history.csv': 'authenticated',
  'GET /v1/lot-population': ['owner', 'inspector', 'auditor'],
  'GET /v1/lot-population.svg': ['owner', 'inspector', 'auditor'],

  'POST /v1/energy-audits': ['auditor'],
  'GET /v1/energy-audits/:id': 'authenticated',
  'GET /v1/energy-audits/:id/report.html': 'authenticated',

  'POST /v1/imports': ['owner', 'lab'],
  'GET /v1/imports/:id': ['owner', 'lab'],
  'GET /v1/imports/:id/report.csv': ['owner', 'lab'],
  'GET /v1/imports/templates/:file': 'authenticated',

  // the web pages (issue #21): the same roles as the API routes they show; a session cookie stands for its key
  'GET /app/app.css': 'public',
  'GET /app/app.js': 'public',
  'GET /app/sign-in': 'public',
  'POST /app/sign-in': 'public',
  'POST /app/sign-out': 'authenticated',
  'GET /app': 'authenticated',
  'GET /app/instruments': 'authenticated',
  'GET /app/instruments/:id': 'authenticated',
  'GET /app/instruments/:id/chain.svg': 'authenticated',
  'GET /app/instruments/:id/control-chart.svg': 'authenticated',
  'GET /app/due': 'authenticated',
  'GET /app/due.csv': 'authenticated',
  'GET /app/search': 'authenticated',
  'GET /app/import': ['owner', 'lab'],
  'POST /app/import': ['owner', 'lab'],
  'GET /app/imports/:id': ['owner', 'lab'],
  'GET /app/imports/:id/report.csv': ['owner', 'lab'],
  'GET /app/imports/templates/:file': 'authenticated',
  'GET /app/standards': ['lab'],
  'GET /app/record': ['lab'],
  'POST /app/record': ['lab'],
  'GET /app/energy': 'authenticated',
  'GET /app/audits': ['auditor'],
  'POST /app/audits': ['auditor'],
  'GET /app/audits/:id': 'authenticated',
  'GET /app/findings': ['lab'],
  'POST /app/findings': ['lab'],
  'GET /app/findings/:id': 'authenticated',
  'GET /app/plans': INSPECTION,
  'POST /app/plans': INSPECTION,
  'GET /app/plans/:id': 'authenticated',
  // a lot's page, its OC curves and its history CSV: read as GET /v1/lots/{id} is (visibility.organisationData)
  'GET /app/lots/:id': 'authenticated',
  'GET /app/lots/:id/plans/:planId/oc.svg': 'authenticated',
  'GET /app/lots/:id/history.csv': 'authenticated',

  'GET /v1/keys': ['admin'],
  'POST /v1/keys': ['admin'],
  'DELETE /v1/keys/:id': ['admin'],
  'POST /v1/feeds': ['owner', 'lab'],
  'GET /v1/feeds': ['owner', 'lab'],
  'DELETE /v1/feeds/:id': ['owner', 'lab'],
  // opened by its feed token in the query string, checked by the route
  'GET /v1/due.ics': 'public',
  'GET /v1/audit-log': ['admin'],
  'GET /v1/ledger/verify': ['inspector'],
};

/** The documentation UI's own routes (served by @fastify/swagger-ui) are public. */
const PUBLIC_PREFIXES = ['/docs'];

export function accessOf(method: string, url: string): Access | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  const declared = ROUTE_ACCESS[`${m} ${url}`];
  if (declared !== undefined) return declared;
  if (PUBLIC_PREFIXES.some((p) => url === p || url.startsWith(`${p}/`))) return 'public';
  return undefined;
}

interface RouteDoc {
  response?: Record<string | number, unknown>;
  security?: unknown;
  description?: string;
}

/** The access rule in the route's OpenAPI entry: its security, who may call it, and the refusals it can answer. */
function document(schema: RouteDoc, access: Access): void {
  const refusals = access === 'public' ? errorResponses(429) : errorResponses(401, 403, 429);
  schema.response = { ...refusals, ...schema.response };
  const who = access === 'public' ? 'anyone, without a key' : access === 'authenticated' ? 'any API key' : `${[...access].join(', ')} and admin keys`;
  schema.description = `${schema.description ? `${schema.description}\n\n` : ''}Open to: ${who}.`;
  if (access !== 'public') schema.security = [{ apiKey: [] }];
}

const PUBLIC: Caller = { kind: 'public' };
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface AccessPluginOptions {
  readonly access: AccessService;
  readonly today: () => CalendarDate;
  /** The web pages' sessions: on /app, a session cookie identifies the caller as its key would. */
  readonly sessions?: SessionService | undefined;
}

/** Hooks that identify the caller; to be registered before the routes and the rate limiter. */
export function identifyCallers(app: FastifyInstance, opts: AccessPluginOptions): void {
  app.decorateRequest('caller', null as never);
  app.decorateRequest('keyProblem', undefined);
  app.decorateRequest('appSession', undefined);
  app.decorateRequest('sessionProblem', undefined);
  app.decorateRequest('auditOutcome', undefined);
  const table: Array<{ method: string; url: string; access: Access }> = [];
  app.decorate('routeAccess', table);

  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      const access = accessOf(method, route.url);
      if (access === undefined) throw new Error(`route ${method} ${route.url} declares no access; add it to ROUTE_ACCESS in src/http/access.ts`);
      route.config = { ...(route.config as object), access } as typeof route.config;
      table.push({ method, url: route.url, access });
      if (route.schema && !route.schema.hide) document(route.schema as RouteDoc, access);
    }
  });

  app.addHook('onRequest', async (req) => {
    req.caller = PUBLIC;
    const header = req.headers.authorization;
    if (header === undefined) {
      // the web pages: the session cookie (sent by the browser to /app only) stands for its key
      const sid = opts.sessions && isAppPath(req.url) ? cookieOf(req, SESSION_COOKIE) : undefined;
      if (sid === undefined || !opts.sessions) return;
      const session = await opts.sessions.resume(sid, opts.today());
      if (session.ok) {
        req.caller = session.caller;
        req.appSession = { id: sid, csrfToken: session.csrfToken };
      } else req.sessionProblem = session.reason;
      return;
    }
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) {
      req.keyProblem = "send the key as 'Authorization: Bearer mtk_…'";
      return;
    }
    const result = await opts.access.authenticate(m[1]!, opts.today());
    if (result.ok) req.caller = result.caller;
    else req.keyProblem = result.reason;
  });
}

/** Hooks that admit or refuse the identified caller and write the audit log; after the rate limiter. */
export function enforceAccess(app: FastifyInstance, opts: AccessPluginOptions): void {
  app.addHook('preParsing', async (req, reply) => {
    if (req.keyProblem !== undefined) {
      reply.header('www-authenticate', 'Bearer realm="metrotrace"');
      await sendProblem(reply, problem('UNAUTHORISED', 'authorization', `${req.keyProblem}; ask an administrator for a key`));
      return reply;
    }
    const access: Access = req.routeOptions.config.access ?? 'public';
    const decision = decide(access, req.caller);
    if (decision === 'allowed') return;
    if (isAppPath(req.routeOptions.url ?? '')) {
      // a page answers with a page: the sign-in form, or why this role may not see it
      if (decision === 'unauthenticated') await toSignIn(req, reply, req.sessionProblem !== undefined);
      else
        await refusedPage(
          req,
          reply,
          'role',
          `${withArticle((req.caller as Extract<Caller, { kind: 'key' }>).role)} key may not open ${req.routeOptions.url}; it is open to ${(access as readonly string[]).join(', ')} (and admin)`,
        );
      return reply;
    }
    if (decision === 'unauthenticated') {
      reply.header('www-authenticate', 'Bearer realm="metrotrace"');
      await sendProblem(
        reply,
        problem(
          'UNAUTHORISED',
          'authorization',
          `${req.method} ${req.routeOptions.url} needs an API key (Authorization: Bearer mtk_…); without one only the label lookup (/v1/label, /lookup) is open`,
        ),
      );
    } else {
      const caller = req.caller as Extract<Caller, { kind: 'key' }>;
      await sendProblem(
        reply,
        problem(
          'FORBIDDEN',
          'authorization',
          `${withArticle(caller.role)} key may not call ${req.method} ${req.routeOptions.url}; it is open to ${(access as readonly string[]).join(', ')} (and admin)`,
        ),
      );
    }
    return reply;
  });

  const limited = new RateLimitLog((entry) => opts.access.record(entry).catch((err) => app.log.error({ err }, 'the audit log could not be written')));
  app.addHook('onClose', () => limited.flush(Number.MAX_SAFE_INTEGER));

  app.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode === 429) return limited.note(auditEntry(req, reply), Date.now());
    const refused = reply.statusCode === 401 || reply.statusCode === 403;
    if (!WRITE_METHODS.has(req.method) && !refused) return;
    try {
      await opts.access.record(auditEntry(req, reply));
    } catch (err) {
      req.log.error({ err }, 'the audit log could not be written');
    }
  });
}

/**
 * Refusals for going too fast, counted rather than written row by row: a
 * flood of 429s must not grow the append-only audit log (3,000 anonymous
 * requests were 3,000 rows). The first refusal of a key or address in a
 * window is written at once; the rest of that window is one more row with
 * the count when the window ends (checked as refusals arrive, and on close).
 * Subjects beyond a bound in one window are counted together.
 */
export class RateLimitLog {
  private readonly windows = new Map<string, { readonly start: number; readonly first: AuditEntry; count: number }>();

  constructor(
    private readonly write: (entry: AuditEntry) => Promise<void>,
    private readonly windowMs = 60_000,
    private readonly maxSubjects = 10_000,
  ) {}

  async note(entry: AuditEntry, now: number): Promise<void> {
    await this.flush(now);
    const subject = this.windows.size >= this.maxSubjects && !this.windows.has(subjectOf(entry)) ? '(others)' : subjectOf(entry);
    const open = this.windows.get(subject);
    if (open) {
      open.count++;
      return;
    }
    this.windows.set(subject, { start: now, first: entry, count: 1 });
    await this.write({ ...entry, params: { ...entry.params, note: 'first refusal for rate in this window; the rest are counted in one entry when it ends' } });
  }

  /** Writes the count of every window that ended by `now`. */
  async flush(now: number): Promise<void> {
    for (const [subject, w] of this.windows) {
      if (now - w.start < this.windowMs) continue;
      this.windows.delete(subject);
      if (w.count <= 1) continue;
      await this.write({
        ...w.first,
        params: {
          refusals: String(w.count - 1),
          window_start: new Date(w.start).toISOString(),
          window_end: new Date(Math.min(now, w.start + this.windowMs)).toISOString(),
          ...(subject === '(others)' ? { subjects: 'many' } : {}),
        },
      });
    }
  }
}

function subjectOf(e: AuditEntry): string {
  return e.keyId ? `key:${e.keyId}` : `ip:${e.address}`;
}

/** Text as the audit log can store it: no NUL, bounded length. */
const storable = (s: string, max: number) => s.replace(/\u0000/g, '\uFFFD').slice(0, max);

function auditEntry(req: FastifyRequest, reply: FastifyReply) {
  const c = req.caller;
  const status = reply.statusCode;
  const outcome =
    req.auditOutcome?.outcome ?? (status < 400 ? 'ok' : status === 401 || status === 403 || status === 429 ? 'denied' : status < 500 ? 'refused' : 'failed');
  return {
    keyId: c.kind === 'key' ? c.keyId : null,
    role: c.kind === 'key' ? c.role : ('public' as const),
    organisationId: c.kind === 'key' ? c.organisationId : null,
    method: req.method,
    route: req.routeOptions.url ?? '(no route)',
    path: storable(req.url.split('?')[0]!, 500),
    params: {
      ...Object.fromEntries(Object.entries((req.params ?? {}) as Record<string, unknown>).map(([k, v]) => [storable(k, 100), storable(String(v), 200)])),
      ...(req.auditOutcome ? { problem: storable(req.auditOutcome.code, 100) } : {}),
    },
    status,
    outcome,
    address: req.ip,
    requestId: String(req.id),
  } as const;
}
