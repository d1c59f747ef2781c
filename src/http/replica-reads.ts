/**
 * Which routes may read from a streaming replica (DATABASE_READ_URL), and the
 * hooks that send them there, say so in the OpenAPI and let a client read its
 * own write.
 *
 * - A route listed in REPLICA_READS has its handler run with its queries on
 *   a replica shown, at most DATABASE_READ_MAX_LAG_MS ago, to hold every
 *   commit (persistence/read-replicas.ts), when there is one; otherwise, or
 *   when the replica fails during the request, on the primary. Its caller
 *   was identified, rate-limited and admitted on the primary, and its audit
 *   entry (if any) is written there.
 * - Every other route, and every write, reads and writes the primary: the
 *   response to a POST is read from what it just wrote.
 * - Read your write: a successful write's response carries
 *   `Metrotrace-Written-Lsn`, the primary's WAL position just after it; a
 *   GET that sends it back as `Metrotrace-Read-After` is served by a replica
 *   only once that replica has replayed past it (else by the primary).
 * - Every replica-readable response says where it was read:
 *   `Metrotrace-Read-From: replica`, or `primary; <why>`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod, RouteOptions } from 'fastify';
import { fail } from '../core/errors.ts';
import { formatLsn, parseLsn } from '../codecs/lsn.ts';

/**
 * The streaming replicas as the routes see them (persistence/read-replicas.ts
 * is the implementation the composition root passes in).
 */
export interface ReplicaRouter<R extends { readonly name: string } = { readonly name: string }> {
  /** Where a read may go now (after `after`, a position the client was given after its own write). */
  choose(after?: bigint): { readonly kind: 'replica'; readonly replica: R } | { readonly kind: 'primary'; readonly reason: string };
  /** Runs `fn` with its queries on `replica`. */
  run<T>(replica: R, fn: () => T): T;
  /** Whether an error thrown on a replica sends the read to the primary, and why. */
  failure(e: unknown): 'down' | 'conflict' | 'read-only' | undefined;
  /** A replica that failed: not read until it answers again. */
  failed(replica: R, e: unknown): void;
  /** Each replica's state, for /health. */
  state(): Array<{ name: string; usable: boolean; freshMsAgo: number | null; down: string | null }>;
}

/** The read-only routes whose reads may come from a replica: the label lookup, status, traceability, due lists and reports. */
export const REPLICA_READS: ReadonlySet<string> = new Set([
  'GET /v1/label',
  'GET /lookup',
  'GET /v1/status',
  'GET /v1/equipment/:id/status',
  'GET /v1/equipment/:id/traceability',
  'GET /v1/equipment/:id/traceability.svg',
  'GET /v1/equipment/:id/dependents',
  'GET /v1/equipment/:id/chain-uncertainty',
  'GET /v1/due',
  'GET /v1/integrity',
  'GET /v1/integrity.svg',
  'GET /v1/organisations/:id/integrity',
  'GET /v1/public/integrity/listed',
  'GET /v1/public/spot-checks/:id',
  'GET /v1/public/spot-checks/:id/results.csv',
  'GET /v1/public/spot-checks/:id/population.tsv',
  'GET /v1/spot-checks/:id/report.html',
  'GET /v1/energy-audits/:id/report.html',
  'GET /v1/calibrations/:id/certificate.html',
  'GET /v1/calibrations/:id/label.svg',
]);

export const READ_AFTER_HEADER = 'metrotrace-read-after';
export const WRITTEN_LSN_HEADER = 'metrotrace-written-lsn';
export const READ_FROM_HEADER = 'metrotrace-read-from';

export interface ReplicaReadOptions {
  /** The replicas (absent: everything reads the primary, as without DATABASE_READ_URL); each router has its own replica type. */
  // biome-ignore lint/suspicious/noExplicitAny: each router has its own replica type, which only it reads back
  readonly replicas?: ReplicaRouter<any> | undefined;
  /** The primary's current WAL position, for Metrotrace-Written-Lsn (with replicas). */
  readonly primaryPosition?: (() => Promise<bigint>) | undefined;
  /** The staleness bound stated in the OpenAPI (DATABASE_READ_MAX_LAG_MS, whether or not replicas are configured). */
  readonly maxLagMs: number;
  readonly log?: (message: string) => void;
  /** The replica-readable routes (default REPLICA_READS). */
  readonly routes?: ReadonlySet<string>;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function replicaReadable(method: string, url: string, routes: ReadonlySet<string> = REPLICA_READS): boolean {
  return routes.has(`${method === 'HEAD' ? 'GET' : method} ${url}`);
}

interface RouteDoc {
  description?: string;
  hide?: boolean;
  [extension: `x-${string}`]: unknown;
}

/** To be registered before the routes. */
export function replicaReads(app: FastifyInstance, opts: ReplicaReadOptions): void {
  const { replicas, maxLagMs } = opts;
  const log = opts.log ?? ((m: string) => app.log.warn(m));
  const warned = new Set<string>();

  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const readable = methods.some((m) => replicaReadable(m, route.url, opts.routes));
    const schema = route.schema as RouteDoc | undefined;
    if (schema && !schema.hide) {
      schema['x-metrotrace-reads'] = readable ? { from: 'replica', maxLagMs, fallback: 'primary' } : { from: 'primary' };
      if (readable) {
        const sentence = `Reads: with DATABASE_READ_URL set, from a streaming replica shown to hold every write committed more than ${maxLagMs} ms (DATABASE_READ_MAX_LAG_MS) before the request, else from the primary; \`Metrotrace-Read-From\` says which. Send a write's \`Metrotrace-Written-Lsn\` back as \`Metrotrace-Read-After\` to read that write.`;
        schema.description = schema.description ? `${schema.description}\n\n${sentence}` : sentence;
      }
    }
    if (!readable || replicas === undefined) return;
    const handler = route.handler as (this: FastifyInstance, req: FastifyRequest, reply: FastifyReply) => unknown;
    const key = `${methods.join(',')} ${route.url}`;
    route.handler = async function (this: FastifyInstance, req: FastifyRequest, reply: FastifyReply) {
      const choice = replicas.choose(readAfter(req));
      if (choice.kind === 'primary') {
        reply.header(READ_FROM_HEADER, `primary; ${choice.reason}`);
        return handler.call(this, req, reply);
      }
      reply.header(READ_FROM_HEADER, 'replica');
      try {
        return await replicas.run(choice.replica, () => handler.call(this, req, reply));
      } catch (e) {
        const failure = replicas.failure(e);
        if (failure === undefined || reply.sent) throw e;
        if (failure === 'down') replicas.failed(choice.replica, e);
        if (failure === 'read-only' && !warned.has(key)) {
          warned.add(key);
          log(
            `${key} tried to write on read replica ${choice.replica.name}; it was served by the primary. Remove it from REPLICA_READS (src/http/replica-reads.ts)`,
          );
        }
        reply.header(READ_FROM_HEADER, `primary; replica ${failure === 'down' ? 'failed' : failure === 'conflict' ? 'cancelled the query' : 'is read-only'}`);
        return handler.call(this, req, reply);
      }
    } as RouteHandlerMethod;
  });

  const position = opts.primaryPosition;
  if (replicas !== undefined && position !== undefined) {
    app.addHook('onSend', async (req, reply, payload) => {
      // not on 202 Accepted: the work goes on after the answer (an import with wait:false), so no
      // position stamped now holds it; a client reads the finished job's writes once it has finished
      if (WRITES.has(req.method) && reply.statusCode < 400 && reply.statusCode !== 202) {
        try {
          reply.header(WRITTEN_LSN_HEADER, formatLsn(await position()));
        } catch {
          // without it the client reads its write from the primary or a caught-up replica anyway, once past the bound
        }
      }
      return payload;
    });
  }
}

/** Metrotrace-Read-After: a WAL position (as Metrotrace-Written-Lsn gave it), or absent. */
function readAfter(req: FastifyRequest): bigint | undefined {
  const raw = req.headers[READ_AFTER_HEADER];
  if (raw === undefined) return undefined;
  const text = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  return (
    parseLsn(text) ??
    fail(
      'INVALID_FIELD',
      READ_AFTER_HEADER,
      `Metrotrace-Read-After must be a WAL position as a write's Metrotrace-Written-Lsn gave it (such as 0/3000148), got '${String(text).slice(0, 40)}'`,
    )
  );
}
