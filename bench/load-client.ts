/**
 * The load generator for the API benchmarks, run as its own process so that it
 * does not share the server's event loop: autocannon against one URL with a
 * list of paths (and bodies) taken in turn; prints a JSON summary on stdout.
 *   node --import tsx bench/load-client.ts '<json config>'
 */
import autocannon from 'autocannon';

interface Config {
  readonly base: string;
  readonly method: 'GET' | 'POST';
  readonly paths: readonly string[];
  /** For POST: a body template; "{n}" in any string is replaced by a per-request counter. */
  readonly body?: Record<string, unknown>;
  /** For POST: values cycled per request into the body (subjectId, referenceIds…). */
  readonly bodies?: ReadonlyArray<Record<string, unknown>>;
  readonly headers?: Record<string, string>;
  readonly connections: number;
  readonly seconds: number;
  /** Requests per second over all connections (omit for as fast as possible). */
  readonly rate?: number;
}

const config = JSON.parse(process.argv[2]!) as Config;
let n = 0;
const stamp = `${process.pid}-${Date.now().toString(36)}`;

const fill = (v: unknown, k: number): unknown =>
  typeof v === 'string'
    ? v.replaceAll('{n}', `${stamp}-${k}`)
    : Array.isArray(v)
      ? v.map((x) => fill(x, k))
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([a, b]) => [a, fill(b, k)]))
        : v;

const result = await autocannon({
  url: config.base,
  connections: config.connections,
  duration: config.seconds,
  ...(config.rate ? { overallRate: config.rate } : {}),
  headers: { ...config.headers, ...(config.method === 'POST' ? { 'content-type': 'application/json' } : {}) },
  requests: [
    {
      method: config.method,
      setupRequest: (req: autocannon.Request) => {
        const k = n++;
        const path = config.paths[k % config.paths.length]!;
        if (config.method === 'GET') return { ...req, path };
        const extra = config.bodies ? config.bodies[k % config.bodies.length] : {};
        return { ...req, path, body: JSON.stringify(fill({ ...config.body, ...extra }, k)) };
      },
    },
  ],
});

const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, (s as { count: number }).count]));
console.log(
  JSON.stringify({
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statuses,
  }),
);
