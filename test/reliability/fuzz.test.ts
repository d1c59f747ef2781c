/**
 * Hostile input, generated (fast-check): every route with random and mutated
 * bodies, query strings and path ids; the codecs behind the API and the CLI
 * (uncertainty specs, catalogue CSV, DCC XML) with arbitrary text. Never a 500,
 * never a crash, never a hang: a 2xx, or a 4xx problem with a code and the
 * field at fault. Bounded in CI; a longer run is one command away:
 *   FUZZ_RUNS=5000 FUZZ_SEED=random npm run fuzz
 * The inputs that once broke things are kept as examples below.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readCatalogue } from '../../src/codecs/catalogue.ts';
import { readDcc } from '../../src/codecs/dcc.ts';
import { readSpec } from '../../src/codecs/uncertainty-spec.ts';
import { MetrologyError } from '../../src/core/errors.ts';
import { withApp } from '../helpers/app.ts';
import { buildApp } from '../../src/http/app.ts';
import { createComputePool } from '../../src/runtime/compute-pool.ts';
import { testDatabases } from '../helpers/db.ts';
import { recordPayload } from '../helpers/fresh.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const SEED = process.env.FUZZ_SEED === 'random' ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED ?? 20261125);
const SLOW_MS = 10_000;
if (process.env.FUZZ_SEED === 'random') console.log(`fuzz seed ${SEED} (FUZZ_SEED=${SEED} repeats this run)`);

/** Everything we try, counted for the reliability report. */
export const tried = { requests: 0, codecInputs: 0 };

const HOSTILE_STRINGS = [
  "' OR 1=1 --",
  "'; drop table calibration_records; --",
  '"; select pg_sleep(10); --',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '\u0000',
  '\uFFFF\uD800',
  '🙂🙂',
  '1e999999999',
  '-1e-999999999',
  '1e+308',
  'NaN',
  'Infinity',
  '-0',
  '0x1F',
  '1_000',
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '99999-01-01',
  '',
  ' ',
  '../../etc/passwd',
  '%00',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent as plain text
  '${7*7}',
  '{{7*7}}',
  'x^x^x^x^x^x',
  'exp(exp(exp(exp(10))))',
  '10^1e9',
  'x'.repeat(300),
  'scale-stall-17',
  'district-station',
  'XH-JD2026-00317',
];

const deepArray = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1e308, -1e-308, 2 ** 53 + 1, [], {}) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      deepArray(200),
      Array.from({ length: 300 }, (_, i) => String(i)),
      { nested: { deeper: { deepest: '1e-999' } } },
    ),
  },
);

/** Valid bodies of the write routes, to be damaged one field at a time. */
const EXAMPLES: Record<string, unknown> = {
  'POST /v1/calibrations': recordPayload('fuzz'),
  'POST /v1/equipment': {
    id: 'fuzz-eq',
    ownerId: 'city-market',
    name: 'Scale',
    quantity: 'mass',
    range: { min: '0.04', max: '30', unit: 'kg' },
    accuracy: { kind: 'class', accuracyClass: 'III' },
    level: 'working_instrument',
    category: 'MV016',
    usage: 'trade_settlement',
  },
  'POST /v1/uncertainty/evaluate': {
    measurand: 'l',
    model: 'l_s + d - l_s * (delta_alpha * theta + alpha_s * delta_theta)',
    quantities: {
      l_s: { value: '50.000623', u: '0.000025', dof: '18', unit: 'mm' },
      d: { value: '0.000215', u: '0.0000097', dof: '25.6', unit: 'mm' },
      alpha_s: { value: '0.0000115', distribution: 'rectangular', halfWidth: '0.000002', unit: '1/K' },
      theta: { value: '-0.1', u: '0.41', unit: 'K' },
      delta_alpha: { value: '0', u: '0.00000058', dof: '50' },
      delta_theta: { value: '0', u: '0.029', dof: '2' },
    },
    correlations: [{ a: 'theta', b: 'delta_theta', r: '0.5' }],
    coverage: { probability: '0.99' },
    method: 'lpu',
  },
  'POST /v1/conformity/decisions': {
    rule: { kind: 'guard_band' },
    tolerance: { lower: '-1.0', upper: '1.0' },
    points: [{ value: '0.8', expandedUncertainty: '0.30', coverageFactor: '2' }],
  },
  'POST /v1/energy-audits': { organisationId: 'steel-works', at: '2026-11-25' },
  'POST /v1/equipment/:id/out-of-tolerance': { foundOn: '2026-11-01', lastKnownGood: '2026-06-01', remarks: 'drift' },
  'POST /v1/keys': { role: 'lab', organisationId: 'acme-cal', label: 'fuzz', expiresOn: '2027-01-01' },
  'POST /v1/organisations': { id: 'fuzz-org', name: 'Fuzz', kind: 'calibration_lab', regionCode: '310104' },
  'POST /v1/verification-plans': { from: '2026-12-01', months: 3 },
  'POST /v1/dcc': { xml: '<dcc:digitalCalibrationCertificate/>', subjectId: 'city-e1-set', labId: 'nim' },
};

/** Every leaf path of a JSON value. */
function leaves(v: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(v)) return v.length === 0 ? [path] : v.flatMap((x, i) => leaves(x, [...path, i]));
  if (v && typeof v === 'object') return Object.keys(v).length === 0 ? [path] : Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, k]));
  return [path];
}

function replaced(base: unknown, path: Array<string | number>, value: unknown, drop: boolean): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  if (path.length === 0) return value;
  let at = copy;
  for (const p of path.slice(0, -1)) at = at[p] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (drop) delete at[last];
  else at[last] = value;
  return copy;
}

const mutated = (base: unknown): fc.Arbitrary<unknown> => {
  const paths = leaves(base);
  return fc.oneof(
    fc.tuple(fc.nat(paths.length - 1), hostileValue, fc.boolean()).map(([i, v, drop]) => replaced(base, paths[i]!, v, drop && paths[i]!.length > 0)),
    fc.tuple(fc.string({ maxLength: 12 }), hostileValue).map(([k, v]) => ({ ...(base as object), [k]: v })),
  );
};

const ids = fc.oneof(
  fc.constantFrom('scale-stall-17', 'steel-works', 'rec-stall17-2026', 'city-e1-set'),
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ maxLength: 30 }),
);

const query = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'at',
      'since',
      'from',
      'to',
      'limit',
      'cursor',
      'certificateNo',
      'assetCode',
      'ownerId',
      'owner',
      'format',
      'a',
      'b',
      'region',
      'usage',
      'kind',
      'method',
      'q',
      'lang',
    ),
    fc.string({ maxLength: 8 }),
  ),
  fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 30 })),
  { maxKeys: 4 },
);

/** fast-check keeps the property's own error as `cause`; the report needs it in the message. */
async function check<T>(run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const cause = (e as { cause?: unknown }).cause;
    throw new Error(`${(e as Error).message.split('\n').slice(0, 4).join('\n')}\nCause: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** A web page's refusal (/app answers HTML): the page names the problem's code, as data-code="…", beside its sentence. */
const isPageProblem = (res: { headers: Record<string, unknown>; body: string }): boolean =>
  String(res.headers['content-type'] ?? '').startsWith('text/html') && /data-code="[A-Z_]+"/.test(res.body);

function isProblem(body: string): { code: string; path: string } | null {
  try {
    const p = JSON.parse(body) as { code?: unknown; path?: unknown };
    return typeof p.code === 'string' && typeof p.path === 'string' ? { code: p.code, path: p.path } : null;
  } catch {
    return null;
  }
}

async function send(app: FastifyInstance, method: string, url: string, payload: unknown): Promise<void> {
  tried.requests++;
  const t0 = performance.now();
  const res = await app.inject({
    method: method as 'GET',
    url,
    ...(method === 'POST' || method === 'DELETE' ? { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) ?? 'null' } : {}),
  });
  const ms = performance.now() - t0;
  const where = `${method} ${url.slice(0, 200)} ${JSON.stringify(payload)?.slice(0, 300)}`;
  if (res.statusCode >= 500) throw new Error(`${res.statusCode} for ${where}: ${res.body.slice(0, 300)}`);
  if (ms > SLOW_MS) throw new Error(`${Math.round(ms)} ms for ${where}`);
  if (res.statusCode >= 400 && res.statusCode !== 404 && !isProblem(res.body) && !(url.startsWith('/app') && isPageProblem(res)))
    throw new Error(`${res.statusCode} without a problem body for ${where}: ${res.body.slice(0, 200)}`);
  if (res.statusCode >= 400 && res.statusCode !== 404 && res.headers['content-type']?.toString().includes('json') && !isProblem(res.body))
    throw new Error(`no code and path for ${where}`);
}

const fuzz = suite('hostile input');

fuzz(`every route, random and mutated input (${RUNS} runs, seed ${SEED})`, () =>
  withApp(testDatabases()[0]!, async ({ app }) => {
    const routes = app.routeAccess.filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/docs'));
    const request = fc.constantFrom(...routes).chain((r) => {
      const key = `${r.method} ${r.url}`;
      const body = EXAMPLES[key] !== undefined ? fc.oneof(mutated(EXAMPLES[key]), hostileValue) : fc.oneof(hostileValue, fc.jsonValue({ maxDepth: 4 }));
      return fc.record({ route: fc.constant(r), id: ids, query, body });
    });
    await check(() =>
      fc.assert(
        fc.asyncProperty(request, async ({ route, id, query: q, body }) => {
          // a lone surrogate cannot be percent-encoded; a client would send U+FFFD
          const path = route.url.replace(/:id/g, () => encodeURIComponent((id as string & { toWellFormed(): string }).toWellFormed()));
          const qs = new URLSearchParams(q as Record<string, string>).toString();
          await send(app, route.method, qs ? `${path}?${qs}` : path, body);
        }),
        { numRuns: RUNS * 4, seed: SEED, endOnFailure: true },
      ),
    );
  }),
);

fuzz('uncertainty specs built from a grammar of hostile models and quantities', () =>
  withApp(
    testDatabases()[0]!,
    async ({ app }) => {
      const atom = fc.oneof(
        fc.constantFrom('x', 'y', 'pi', 'e', '0', '1e308', '1e-308', '-1', '10', '1e9', 'zz'),
        fc.integer({ min: -1000, max: 1000 }).map(String),
      );
      const expr: fc.Arbitrary<string> = fc.letrec((tie) => ({
        e: fc.oneof(
          { depthSize: 'small', withCrossShrink: true },
          atom,
          fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '^'), tie('e')).map(([a, op, b]) => `(${a})${op}(${b})`),
          fc
            .tuple(fc.constantFrom('sqrt', 'exp', 'log', 'log10', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'abs', 'gamma', 'factorial'), tie('e'))
            .map(([f, a]) => `${f}(${a})`),
        ),
      })).e as fc.Arbitrary<string>;
      const quantity = fc.record(
        {
          value: fc.oneof(fc.constantFrom('1', '0', '-3', '1e300', '2.5'), hostileValue),
          u: fc.oneof(fc.constantFrom('0.1', '0', '-1', '1e-300'), hostileValue),
          dof: fc.oneof(fc.constantFrom('inf', '0', '-2', '3.5'), hostileValue),
        },
        { requiredKeys: ['value'] },
      );
      const spec = fc.record({
        measurand: fc.constantFrom('q', 'x', ''),
        model: expr,
        quantities: fc.record({ x: quantity, y: quantity }),
        correlations: fc.array(
          fc.record({ a: fc.constantFrom('x', 'y', 'w'), b: fc.constantFrom('x', 'y'), r: fc.oneof(fc.constantFrom('0.9', '-1', '1.5', '1'), hostileValue) }),
          { maxLength: 3 },
        ),
        method: fc.constantFrom('lpu', 'monte_carlo', 'both', 'gum'),
        coverage: fc.oneof(fc.record({ probability: fc.constantFrom('0.95', '1', '0', '0.5') }), fc.record({ k: fc.constantFrom('2', '0', '-1') })),
      });
      await check(() =>
        fc.assert(
          fc.asyncProperty(spec, async (s) => send(app, 'POST', '/v1/uncertainty/evaluate', s)),
          { numRuns: RUNS * 2, seed: SEED, endOnFailure: true },
        ),
      );
    },
    { demo: false },
  ),
);

fuzz('pathological models (deep nesting, huge sums, deep products) end within the deadline while /health answers', async () => {
  // the server's arrangement: computations in a worker pool with a deadline (here 1 s)
  const pool = createComputePool({ deadlineMs: 1000, memoryMb: 256, threads: 1 });
  const access = { authenticate: async () => ({ ok: true, caller: { kind: 'key', keyId: 't', role: 'admin', organisationId: null } }), record: async () => {} };
  const app = await buildApp({
    computations: pool,
    access,
    database: { kind: 'pglite', ping: async () => {} },
    version: 'fuzz',
    protection: { publicPerMinute: 0, keyPerMinute: 0 },
  } as never);
  try {
    await pool.ready();
    const fn = fc.constantFrom('sqrt(', 'abs(', 'exp(', 'sin(', 'log(', 'x/(', 'x*(', 'x^(', '-(', 'atan2(x,');
    const model = fc.oneof(
      fc.tuple(fc.array(fn, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 400 })).map(([fs, depth]) => {
        const opens = Array.from({ length: depth }, (_, i) => fs[i % fs.length]!);
        return `${opens.join('')}x${')'.repeat(depth)}`;
      }),
      fc.tuple(fc.integer({ min: 1000, max: 120_000 }), fc.constantFrom('+', '*', '-', '/')).map(([n, op]) => Array(n).fill('x').join(op)),
      fc.integer({ min: 10, max: 5000 }).map((n) => `${'-'.repeat(n)}x`),
      fc.integer({ min: 2, max: 60 }).map((n) => Array(n).fill('x').join('^')),
    );
    const method = fc.constantFrom({}, { method: 'monte-carlo', trials: '10000000', seed: '7' });
    await check(() =>
      fc.assert(
        fc.asyncProperty(model, method, async (m, how) => {
          tried.requests++;
          const pending = app.inject({
            method: 'POST',
            url: '/v1/uncertainty/evaluate',
            headers: { authorization: 'Bearer t' },
            payload: { model: m, quantities: { x: { value: '1.5', u: '0.01' } }, ...how },
          });
          const t0 = performance.now();
          const health = await app.inject({ method: 'GET', url: '/health' });
          const healthMs = performance.now() - t0;
          const res = await pending;
          const where = `${m.slice(0, 60)}… (${m.length} chars) ${JSON.stringify(how)}`;
          if (health.statusCode !== 200 || healthMs > 2000) throw new Error(`/health took ${Math.round(healthMs)} ms during ${where}`);
          if (res.statusCode >= 500) throw new Error(`${res.statusCode} for ${where}: ${res.body.slice(0, 200)}`);
          if (res.statusCode !== 200 && !isProblem(res.body)) throw new Error(`${res.statusCode} without a problem for ${where}`);
        }),
        { numRuns: Math.max(20, Math.floor(RUNS / 3)), seed: SEED, endOnFailure: true },
      ),
    );
  } finally {
    await app.close();
    await pool.close();
  }
});

fuzz('the codecs refuse arbitrary text with a coded error and nothing else', () => {
  const manifest = { id: 'fuzz', title: 'fuzz', file: 'fuzz.csv', publishedOn: '2020-01-01', source: 'fuzz' };
  const csvLike = fc
    .array(
      fc.array(fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 12 }), fc.constantFrom('"', '""', '"a,b"', '\r\n', 'MV016', '周期检定')), {
        maxLength: 12,
      }),
      { maxLength: 12 },
    )
    .map((rows) => rows.map((r) => r.join(',')).join('\n'));
  const xmlLike = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc
      .array(
        fc.constantFrom(
          '<dcc:digitalCalibrationCertificate>',
          '</dcc:digitalCalibrationCertificate>',
          '<si:real>',
          '<si:value>',
          '1e999999',
          '</si:value>',
          '<si:unit>',
          '\\kilogram',
          '/kilogram',
          '</si:unit>',
          '</si:real>',
          '<!DOCTYPE x [<!ENTITY a "aaaa">]>',
          '&a;',
          '<![CDATA[',
          ']]>',
        ),
        { maxLength: 40 },
      )
      .map((p) => p.join('')),
  );
  const coded = (work: () => unknown) => {
    tried.codecInputs++;
    try {
      work();
    } catch (e) {
      if (!(e instanceof MetrologyError)) throw e;
      assert.type(e.path, 'string');
    }
  };
  fc.assert(
    fc.property(fc.oneof(csvLike, fc.string()), (text) => coded(() => readCatalogue(text, manifest as never))),
    { numRuns: RUNS * 3, seed: SEED },
  );
  fc.assert(
    fc.property(xmlLike, (text) => coded(() => readDcc(text))),
    { numRuns: RUNS * 3, seed: SEED },
  );
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 5 }), (v) => coded(() => readSpec(v))),
    { numRuns: RUNS * 3, seed: SEED },
  );
});

fuzz('inputs that once broke things: 10^1e9, a 20,001-term model, deep JSON, 10 MB bodies, a NUL character', () =>
  withApp(
    testDatabases()[0]!,
    async ({ app }) => {
      const spec = (model: string) => ({ measurand: 'y', model, quantities: { x: { value: '10', u: '1' } }, method: 'lpu' });
      const power = await app.inject({ method: 'POST', url: '/v1/uncertainty/evaluate', payload: spec('x^1e9') });
      assert.equal([power.statusCode, power.json().code, power.json().path], [400, 'EVALUATION_FAILED', '/model']);
      const long = await app.inject({ method: 'POST', url: '/v1/uncertainty/evaluate', payload: spec('x+'.repeat(20000) + 'x') });
      assert.is(long.statusCode, 200);
      assert.is(long.json().outputs.y.value, '200010');
      const deep = await app.inject({
        method: 'POST',
        url: '/v1/calibrations',
        headers: { 'content-type': 'application/json' },
        payload: `{"x":${'['.repeat(100000)}${']'.repeat(100000)}}`,
      });
      assert.is(deep.statusCode, 400);
      const huge = await app.inject({
        method: 'POST',
        url: '/v1/calibrations',
        headers: { 'content-type': 'application/json' },
        payload: `{"remarks":"${'x'.repeat(10 * 1024 * 1024)}"}`,
      });
      assert.equal([huge.statusCode, huge.json().code], [413, 'PAYLOAD_TOO_LARGE']);
      const nul = await app.inject({ method: 'POST', url: '/v1/calibrations', payload: { ...recordPayload('nul'), remarks: 'a\u0000b' } });
      assert.equal([nul.statusCode, nul.json().code, nul.json().path], [400, 'INVALID_FIELD', '/remarks']);
    },
    { demo: false },
  ),
);

// For the reliability report (bench/reliability.ts): how much was tried.
fuzz.after(() => {
  if (process.env.FUZZ_REPORT) console.log(`FUZZ_TRIED ${JSON.stringify({ ...tried, runs: RUNS, seed: SEED })}`);
});

fuzz.run();
