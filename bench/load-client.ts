/**
 * The load generator for the API benchmarks, run as its own process so that it
 * does not share the server's event loop: autocannon against one URL with a
 * list of paths (and bodies) taken in turn; prints a JSON summary on stdout.
 *   node --import tsx bench/load-client.ts '<json config>'
 *
 * With `paced`, requests are sent open-loop at a steady `rate` instead: one
 * every 1/rate s, whether or not the earlier ones have been answered, and each
 * latency counted from the moment its request was due, or left if that was
 * earlier (so a server that falls behind is charged for the wait; no
 * coordinated omission); an answer later than 10 s is a timeout. autocannon's
 * own rate limit is a per-connection budget per second: each connection sends
 * its share back to back (closed loop) at the top of every second and then
 * waits, so "100 req/s" over 10 connections is bursts of 10 concurrent
 * requests served flat out; and it "corrects" each latency L by also recording
 * L − 1, L − 2, … 1 ms (the expected interval it derives, ⌈1/10⌉ ms), which
 * weights its percentiles by latency. Its figure is the burst's, not that of
 * a steady 100 req/s.
 */
import http from 'node:http';
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
  /** With rate: one request every 1/rate s, open loop (see above), on up to `connections` × 5 sockets. */
  readonly paced?: boolean;
}

const config = JSON.parse(process.argv[2]!) as Config;
/** An answer slower than this counts as a timeout (and the request is dropped), as autocannon's default does. */
const REQUEST_TIMEOUT_MS = 10_000;

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

if (config.paced && !config.rate) throw new Error('load client: paced needs a rate');
if (config.paced && config.rate) {
  console.log(JSON.stringify(await paced(config, config.rate)));
  process.exit(0);
}

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

/** The open-loop run: a request due every 1/rate s for `seconds`, latency from when it was due. */
async function paced(config: Config, rate: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: config.connections * 5 });
  const target = new URL(config.base);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let non2xx = 0;
  let timeouts = 0;
  // A request's latency runs from when it was due or when it left, whichever came first: a timer that
  // fires late makes the request late, and the wait counts against the server; one that fires early
  // (Node's may, by up to a millisecond) sends it early, and its whole time in flight counts.
  const send = (k: number, due: number) =>
    new Promise<void>((resolve) => {
      const from = Math.min(due, performance.now());
      const path = config.paths[k % config.paths.length]!;
      const extra = config.bodies ? config.bodies[k % config.bodies.length] : {};
      const body = config.method === 'POST' ? JSON.stringify(fill({ ...config.body, ...extra }, k)) : undefined;
      let settled = false;
      const settle = (outcome: 'answered' | 'error' | 'timeout', status?: number) => {
        if (settled) return;
        settled = true;
        if (outcome === 'answered') {
          latencies.push(performance.now() - from);
          const code = String(status);
          statuses[code] = (statuses[code] ?? 0) + 1;
          if (!status || status >= 300) non2xx++;
        } else if (outcome === 'timeout') timeouts++;
        else errors++;
        resolve();
      };
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: config.method,
          path,
          timeout: REQUEST_TIMEOUT_MS,
          headers: { ...config.headers, ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}) },
        },
        (res) => {
          res.resume();
          res.on('end', () => settle('answered', res.statusCode));
          // a socket closed in the middle of the answer ends it without 'end' (and without 'error' unless listened for)
          res.on('error', () => {});
          res.on('close', () => settle(res.complete ? 'answered' : 'error', res.statusCode));
        },
      );
      req.on('timeout', () => {
        settle('timeout');
        req.destroy();
      });
      req.on('error', () => settle('error'));
      if (body) req.write(body);
      req.end();
    });
  const interval = 1000 / rate;
  const total = Math.round(config.seconds * rate);
  const start = performance.now() + 50;
  const pending: Promise<void>[] = [];
  for (let k = 0; k < total; k++) {
    const due = start + k * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(send(n++, due));
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? 0;
  const ms = (v: number) => Math.round(v * 10) / 10;
  return {
    requestsPerSecond: Math.round((latencies.length / elapsed) * 10) / 10,
    total: latencies.length,
    p50: ms(at(0.5)),
    p99: ms(at(0.99)),
    max: ms(at(1)),
    errors,
    timeouts,
    non2xx,
    statuses,
  };
}
