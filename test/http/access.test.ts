/**
 * Access control: the route-role matrix walked over every route, keys (hashed,
 * shown once, revocable, expiring), writes confined to the caller's own
 * organisation and scope, the audit log, the limits and the headers.
 */
import { sql } from 'drizzle-orm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { Role } from '../../src/core/access/roles.ts';
import { toProblem } from '../../src/http/errors.ts';
import { labelOf } from '../../src/codecs/label.ts';
import { ANONYMOUS, rowCounts, TEST_TODAY, withApp } from '../helpers/app.ts';
import { countOf, testDatabases } from '../helpers/db.ts';
import { recordPayload } from '../helpers/fresh.ts';
import { RateLimitLog } from '../../src/http/access.ts';
import { signIn } from '../helpers/pages.ts';

type Caller = Role | 'public';
const CALLERS: Caller[] = ['public', 'admin', 'lab', 'owner', 'inspector', 'auditor'];
const ORG: Record<Role, string | null> = { admin: null, lab: 'district-station', owner: 'city-market', inspector: 'city-samr', auditor: 'city-samr' };

/**
 * What each role may call, written out here independently of the table in
 * src/http/access.ts: the test fails if either drifts.
 */
const PUBLIC_ROUTES = [
  'GET /',
  'GET /health',
  'GET /openapi.json',
  'GET /lookup',
  'GET /lookup.css',
  'GET /certificate.css',
  'GET /energy-report.css',
  'GET /favicon.ico',
  'GET /v1/label',
  'GET /v1/public/spot-checks/:id',
  'GET /v1/public/spot-checks/:id/results.csv',
  'GET /v1/public/spot-checks/:id/population.tsv',
  'GET /v1/public/integrity/listed',
  // opened by the feed token in its query string, not by a key
  'GET /v1/due.ics',
];
/** Reads of an inspector's own work (spot-check plans before publication, the grades of a region): inspectors and auditors only, or inspectors only. */
const SUPERVISION_READS: Record<string, readonly Role[]> = {
  'GET /v1/spot-checks': ['inspector'],
  'GET /v1/spot-checks/:id': ['inspector'],
  'GET /v1/spot-checks/:id/plan.json': ['inspector'],
  'GET /v1/spot-checks/:id/report.html': ['inspector'],
  'GET /v1/integrity': ['inspector', 'auditor'],
  'GET /v1/integrity.svg': ['inspector', 'auditor'],
  // an import's report: the owner or lab that made it (others are told it does not exist)
  'GET /v1/imports/:id': ['owner', 'lab'],
  'GET /v1/imports/:id/report.csv': ['owner', 'lab'],
  // the meters to replace: an owner its own, the regulator its region; a lab holds no lots
  'GET /v1/rotation-plan': ['owner', 'inspector', 'auditor'],
  // the meters in lots by age and state: as the rotation plan
  'GET /v1/lot-population': ['owner', 'inspector', 'auditor'],
  'GET /v1/lot-population.svg': ['owner', 'inspector', 'auditor'],
};
const ADMIN_ONLY = [
  'POST /v1/organisations',
  'POST /v1/organisations/:id/scopes',
  'POST /v1/organisations/:id/cmcs',
  'GET /v1/keys',
  'POST /v1/keys',
  'DELETE /v1/keys/:id',
  'GET /v1/audit-log',
];
const ROLE_WRITES: Record<Exclude<Role, 'admin'>, string[]> = {
  lab: [
    'POST /v1/imports',
    'POST /v1/feeds',
    'GET /v1/feeds',
    'DELETE /v1/feeds/:id',
    'POST /v1/organisations/:id/integrity-measures',
    'POST /v1/calibrations',
    'POST /v1/equipment',
    'POST /v1/dcc',
    'POST /v1/dcc/filed/:id/confirm',
    'POST /v1/dcc/filed/:id/reject',
    'POST /v1/equipment/:id/events',
    'POST /v1/equipment/:id/out-of-tolerance',
    'POST /v1/verification-capacities',
  ],
  owner: [
    'POST /v1/imports',
    'POST /v1/feeds',
    'GET /v1/feeds',
    'DELETE /v1/feeds/:id',
    'POST /v1/organisations/:id/integrity-measures',
    'POST /v1/equipment',
    'POST /v1/equipment/:id/events',
    'POST /v1/organisations/:id/energy-inventory',
    'POST /v1/dcc',
    'POST /v1/lots',
    'POST /v1/lots/:id/rotation',
  ],
  inspector: [
    'POST /v1/inspections',
    'POST /v1/spot-checks',
    'POST /v1/spot-checks/:id/close',
    'POST /v1/organisations/:id/integrity-measures',
    'GET /v1/ledger/verify',
    'POST /v1/equipment/:id/out-of-tolerance',
    'POST /v1/verification-policies',
    'POST /v1/verification-capacities',
    'POST /v1/verification-plans',
    'POST /v1/lots/:id/sampling-plans',
    'POST /v1/lots/:id/sampling-plans/:planId/results',
    'POST /v1/lots/:id/rotation',
  ],
  auditor: ['POST /v1/energy-audits'],
};
/** Computations without side effects, open to any key. */
const ANY_KEY_POSTS = ['POST /v1/uncertainty/evaluate', 'POST /v1/conformity/decisions'];

function expected(route: string, caller: Caller): boolean {
  if (PUBLIC_ROUTES.includes(route) || route.startsWith('GET /docs')) return true;
  if (caller === 'public') return false;
  if (caller === 'admin') return true;
  if (ADMIN_ONLY.includes(route)) return false;
  if (route in SUPERVISION_READS) return SUPERVISION_READS[route]!.includes(caller);
  if (route.startsWith('GET ') && route !== 'GET /v1/ledger/verify' && route !== 'GET /v1/feeds') return true;
  if (ANY_KEY_POSTS.includes(route)) return true;
  return ROLE_WRITES[caller].includes(route);
}

function concrete(url: string): string {
  return url
    .replace(/:id/g, 'scale-stall-17')
    .replace(/:planId/g, 'plan-1')
    .replace('/docs/static/*', '/docs/static/index.html');
}

const matrix = suite('route-role matrix');

matrix('every route admits exactly the roles it may, and no route is unguarded', () =>
  withApp(
    testDatabases()[0]!,
    async ({ app, keyFor }) => {
      const tokens: Partial<Record<Caller, string>> = {};
      for (const c of CALLERS) if (c !== 'public') tokens[c] = await keyFor(c, ORG[c]);
      // the web pages are walked below, signed in as a person is (a session, not a bearer key)
      const routes = app.routeAccess.filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/app'));
      assert.ok(routes.length >= 55, `walked ${routes.length} routes`);
      const wrong: string[] = [];
      let checked = 0;
      for (const r of routes) {
        const route = `${r.method} ${r.url}`;
        for (const c of CALLERS) {
          const res = await app.inject({
            method: r.method as 'GET',
            url: concrete(r.url),
            headers: { authorization: c === 'public' ? undefined : `Bearer ${tokens[c]}` },
            ...(r.method === 'POST' ? { payload: {} } : {}),
          });
          checked++;
          const may = expected(route, c);
          const refused = res.statusCode === 401 || res.statusCode === 403;
          if (may && refused) wrong.push(`${route} as ${c}: refused (${res.statusCode}) but should be admitted`);
          if (!may && !refused) wrong.push(`${route} as ${c}: admitted (${res.statusCode}) but should be refused`);
          if (!may && c === 'public' && res.statusCode !== 401) wrong.push(`${route} as public: ${res.statusCode}, expected 401`);
          if (!may && c !== 'public' && res.statusCode !== 403) wrong.push(`${route} as ${c}: ${res.statusCode}, expected 403`);
          if (res.statusCode >= 500) wrong.push(`${route} as ${c}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        }
      }
      assert.equal(wrong, [], wrong.join('\n'));
      assert.ok(checked >= 330);
      // and the table lists nothing that is not a route
      const registered = new Set(routes.map((r) => `${r.method} ${r.url}`));
      for (const route of [...PUBLIC_ROUTES, ...ADMIN_ONLY, ...Object.values(ROLE_WRITES).flat(), ...ANY_KEY_POSTS])
        assert.ok(registered.has(route), `${route} is a route`);
    },
    { demo: true },
  ),
);

/**
 * The web pages, written out independently of ROUTE_ACCESS: open to the
 * public (sign-in and the app's own files), to any signed-in role, or to the
 * roles whose API routes they show (import: owner, lab; recording, the
 * standards and the out-of-tolerance findings: lab; running an audit: auditor;
 * capacity plans: inspector).
 */
const PAGE_PUBLIC = ['GET /app/app.css', 'GET /app/app.js', 'GET /app/sign-in', 'POST /app/sign-in'];
const PAGE_ROLES: Record<string, readonly Role[]> = {
  'GET /app/import': ['owner', 'lab'],
  'POST /app/import': ['owner', 'lab'],
  'GET /app/imports/:id': ['owner', 'lab'],
  'GET /app/imports/:id/report.csv': ['owner', 'lab'],
  'GET /app/standards': ['lab'],
  'GET /app/record': ['lab'],
  'POST /app/record': ['lab'],
  'GET /app/audits': ['auditor'],
  'POST /app/audits': ['auditor'],
  'GET /app/findings': ['lab'],
  'POST /app/findings': ['lab'],
  'GET /app/plans': ['inspector'],
  'POST /app/plans': ['inspector'],
};

matrix('every page at /app admits exactly the roles it may, signed in with a session; the public is sent to sign in', () =>
  withApp(
    testDatabases()[0]!,
    async ({ app, keyFor }) => {
      const sessions: Partial<Record<Caller, { cookie: string; csrf: string }>> = {};
      for (const c of CALLERS) if (c !== 'public') sessions[c] = await signIn(app, await keyFor(c, ORG[c]));
      const pages = app.routeAccess.filter((r) => r.method !== 'HEAD' && r.url.startsWith('/app'));
      assert.ok(pages.length >= 20, `walked ${pages.length} pages`);
      const wrong: string[] = [];
      for (const r of pages) {
        const route = `${r.method} ${r.url}`;
        if (route === 'POST /app/sign-out') continue; // ends the session: tested on its own
        for (const c of CALLERS) {
          const s = sessions[c];
          const res = await app.inject({
            method: r.method as 'GET',
            url: concrete(r.url),
            headers: {
              ...ANONYMOUS,
              ...(s ? { cookie: s.cookie } : {}),
              ...(r.method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
            },
            ...(r.method === 'POST' ? { payload: `_csrf=${encodeURIComponent(s?.csrf ?? '')}` } : {}),
          });
          const may = PAGE_PUBLIC.includes(route) || (c !== 'public' && (c === 'admin' || !(route in PAGE_ROLES) || PAGE_ROLES[route]!.includes(c)));
          const refused = res.statusCode === 403 || (res.statusCode === 303 && String(res.headers.location).startsWith('/app/sign-in'));
          if (may && refused && route !== 'POST /app/sign-in') wrong.push(`${route} as ${c}: refused (${res.statusCode}) but should be admitted`);
          if (!may && !refused) wrong.push(`${route} as ${c}: admitted (${res.statusCode}) but should be refused`);
          if (!may && c === 'public' && res.statusCode !== 303) wrong.push(`${route} as public: ${res.statusCode}, expected 303 to the sign-in page`);
          if (!may && c !== 'public' && res.statusCode !== 403) wrong.push(`${route} as ${c}: ${res.statusCode}, expected 403`);
          if (res.statusCode >= 500) wrong.push(`${route} as ${c}: ${res.statusCode} ${res.body.slice(0, 300)}`);
        }
      }
      assert.equal(wrong, [], wrong.join('\n'));
      const registered = new Set(pages.map((r) => `${r.method} ${r.url}`));
      for (const route of [...PAGE_PUBLIC, ...Object.keys(PAGE_ROLES)]) assert.ok(registered.has(route), `${route} is a page`);
    },
    { demo: true },
  ),
);

matrix('a refused request never reaches the body parser or the database', () =>
  withApp(testDatabases()[0]!, async ({ app, db, keyFor }) => {
    const before = await rowCounts(db);
    const auditor = await keyFor('auditor', 'city-samr');
    const res = await app.inject({
      method: 'POST',
      url: '/v1/organisations',
      headers: { authorization: `Bearer ${auditor}`, 'content-type': 'application/json' },
      payload: '{not json',
    });
    assert.is(res.statusCode, 403);
    assert.is(res.json().code, 'FORBIDDEN');
    const after = await rowCounts(db);
    assert.equal({ ...after, api_keys: before.api_keys }, before);
  }),
);

matrix.run();

for (const database of testDatabases()) {
  const keys = suite(`API keys on ${database.name}`);

  keys('a key is shown once, stored only as a hash, listed without its secret, and stops working when revoked', () =>
    withApp(database, async ({ app, db }) => {
      const created = await app.inject({
        method: 'POST',
        url: '/v1/keys',
        payload: { role: 'lab', organisationId: 'district-station', label: 'district station LIMS', expiresOn: '2027-12-31' },
      });
      assert.is(created.statusCode, 201);
      const { key, token } = created.json();
      assert.match(token, /^mtk_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
      assert.is(key.role, 'lab');
      assert.is(created.headers['cache-control'], 'no-store');
      const secret = token.split('_').slice(2).join('_');
      const stored = (await db.execute(sql`select * from api_keys where id = ${key.id}`)) as unknown as { rows?: unknown[] } & unknown[];
      const text = JSON.stringify(stored.rows ?? stored);
      assert.not.ok(text.includes(secret), 'the secret is not stored');
      const listed = (await app.inject({ method: 'GET', url: '/v1/keys' })).body;
      assert.not.ok(listed.includes(secret));
      assert.not.ok(listed.includes('secretHash'));

      const auth = { authorization: `Bearer ${token}` };
      assert.is((await app.inject({ method: 'GET', url: '/v1/equipment/scale-stall-17', headers: auth })).statusCode, 200);
      const revoked = await app.inject({ method: 'DELETE', url: `/v1/keys/${key.id}` });
      assert.is(revoked.statusCode, 200);
      assert.ok(revoked.json().revokedAt);
      const after = await app.inject({ method: 'GET', url: '/v1/equipment/scale-stall-17', headers: auth });
      assert.is(after.statusCode, 401);
      assert.match(after.json().detail, /revoked/);
      assert.is((await app.inject({ method: 'DELETE', url: `/v1/keys/${key.id}` })).json().code, 'ALREADY_SUPERSEDED');
    }),
  );

  keys('an expired, forged or malformed key is refused with the reason', () =>
    withApp(database, async ({ app, access }) => {
      const { token } = await access.issue({ role: 'inspector', organisationId: 'city-samr', label: 'expiring', expiresOn: '2026-11-26' }, TEST_TODAY);
      assert.ok((await access.authenticate(token, TEST_TODAY)).ok, 'valid the day before it expires');
      const expired = await access.authenticate(token, '2026-11-26' as never);
      assert.equal(expired, { ok: false, reason: 'the key expired on 2026-11-26' });
      const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      const res = await app.inject({ method: 'GET', url: '/v1/organisations', headers: { authorization: `Bearer ${forged}` } });
      assert.is(res.statusCode, 401);
      assert.is(res.json().code, 'UNAUTHORISED');
      assert.is(res.headers['www-authenticate'], 'Bearer realm="metrotrace"');
      const malformed = await app.inject({ method: 'GET', url: '/v1/organisations', headers: { authorization: 'Basic YWxhZGRpbjpvcGVuc2VzYW1l' } });
      assert.is(malformed.statusCode, 401);
      assert.match(malformed.json().detail, /Bearer/);
      const bad = await app.inject({ method: 'POST', url: '/v1/keys', payload: { role: 'lab', label: 'no org' } });
      assert.equal([bad.statusCode, bad.json().code, bad.json().path], [400, 'MISSING_FIELD', '/organisationId']);
      const past = await app.inject({ method: 'POST', url: '/v1/keys', payload: { role: 'admin', label: 'x', expiresOn: '2026-11-25' } });
      assert.equal([past.statusCode, past.json().code], [400, 'INVALID_DATE']);
    }),
  );

  keys('a lab writes only as itself and within its scope; an owner only for itself; nothing is written when refused', () =>
    withApp(database, async ({ app, db, keyFor }) => {
      const lab = { authorization: `Bearer ${await keyFor('lab', 'district-station')}` };
      const owner = { authorization: `Bearer ${await keyFor('owner', 'city-market')}` };
      const before = await rowCounts(db);
      const record = (labId: string, subjectId: string, certificateNo: string) => ({
        kind: 'verification',
        subjectId,
        labId,
        referenceIds: ['district-f1-set'],
        certificateNo,
        performedOn: '2026-11-20',
        validUntil: '2027-11-19',
        conformity: 'pass',
      });

      const other = await app.inject({ method: 'POST', url: '/v1/calibrations', headers: lab, payload: record('city-institute', 'scale-stall-17', 'T-1') });
      assert.equal([other.statusCode, other.json().code, other.json().path], [403, 'FORBIDDEN', '/labId']);
      const outOfScope = await app.inject({
        method: 'POST',
        url: '/v1/calibrations',
        headers: lab,
        payload: record('district-station', 'meter-home-0815', 'T-2'),
      });
      assert.equal([outOfScope.json().code, outOfScope.json().path], ['LAB_NOT_AUTHORISED', '/subjectId']);
      const foreignEquipment = await app.inject({
        method: 'POST',
        url: '/v1/equipment',
        headers: owner,
        payload: {
          id: 'x-1',
          ownerId: 'city-hospital',
          name: 'x',
          quantity: 'mass',
          range: { min: '0', max: '1', unit: 'kg' },
          accuracy: { kind: 'class', accuracyClass: 'III' },
          level: 'working_instrument',
        },
      });
      assert.equal([foreignEquipment.statusCode, foreignEquipment.json().path], [403, '/ownerId']);
      const foreignInventory = await app.inject({
        method: 'POST',
        url: '/v1/organisations/steel-works/energy-inventory',
        headers: owner,
        payload: { points: [] },
      });
      assert.ok([400, 403].includes(foreignInventory.statusCode));
      assert.equal(await rowCounts(db), before, 'nothing was written');

      const own = await app.inject({ method: 'POST', url: '/v1/calibrations', headers: lab, payload: record('district-station', 'scale-stall-17', 'T-3') });
      assert.is(own.statusCode, 201, own.body);
      const ownEquipment = await app.inject({
        method: 'POST',
        url: '/v1/equipment',
        headers: owner,
        payload: {
          id: 'x-2',
          ownerId: 'city-market',
          name: 'Stall 99 scale',
          quantity: 'mass',
          range: { min: '0.04', max: '30', unit: 'kg' },
          accuracy: { kind: 'class', accuracyClass: 'III' },
          level: 'working_instrument',
        },
      });
      assert.is(ownEquipment.statusCode, 201, ownEquipment.body);
    }),
  );

  keys('the audit log records who wrote and who was refused, is append-only and is for admins only', () =>
    withApp(database, async ({ app, db, keyFor }) => {
      const labToken = await keyFor('lab', 'district-station');
      const lab = { authorization: `Bearer ${labToken}` };
      const labKeyId = labToken.split('_')[1];
      await app.inject({
        method: 'POST',
        url: '/v1/calibrations',
        headers: lab,
        payload: {
          kind: 'verification',
          subjectId: 'scale-stall-17',
          labId: 'district-station',
          referenceIds: ['district-f1-set'],
          certificateNo: 'A-1',
          performedOn: '2026-11-20',
          validUntil: '2027-11-19',
          conformity: 'pass',
        },
      });
      await app.inject({ method: 'POST', url: '/v1/organisations', headers: lab, payload: {} });
      await app.inject({ method: 'GET', url: '/v1/organisations', headers: ANONYMOUS });
      const log = await app.inject({ method: 'GET', url: `/v1/audit-log?keyId=${labKeyId}` });
      assert.is(log.statusCode, 200);
      const items = log.json().items as Array<Record<string, unknown>>;
      assert.equal(
        items.map((i) => [i.method, i.route, i.status, i.outcome, i.role, i.organisationId]),
        [
          ['POST', '/v1/calibrations', 201, 'ok', 'lab', 'district-station'],
          ['POST', '/v1/organisations', 403, 'denied', 'lab', 'district-station'],
        ],
      );
      const anonymous = await app.inject({ method: 'GET', url: '/v1/audit-log?limit=1000' });
      assert.ok(
        (anonymous.json().items as Array<Record<string, unknown>>).some((i) => i.role === 'public' && i.status === 401 && i.route === '/v1/organisations'),
      );
      assert.is((await app.inject({ method: 'GET', url: '/v1/audit-log', headers: lab })).statusCode, 403);
      let refused = '';
      try {
        await db.execute(sql`update audit_log set status = 200`);
      } catch (e) {
        refused = String((e as Error).message) + String((e as { cause?: Error }).cause?.message ?? '');
      }
      assert.match(refused, /APPEND_ONLY/);
    }),
  );

  keys.run();
}

const guard = suite('protection');

guard('the public is limited per address, a key per key, with 429 and Retry-After', () =>
  withApp(
    testDatabases()[0]!,
    async ({ app, keyFor }) => {
      const lookup = () => app.inject({ method: 'GET', url: '/v1/label?certificateNo=XH-JD2026-00317', headers: ANONYMOUS });
      for (let i = 0; i < 3; i++) assert.is((await lookup()).statusCode, 200);
      const limited = await lookup();
      assert.is(limited.statusCode, 429);
      assert.is(limited.json().code, 'RATE_LIMITED');
      assert.ok(Number(limited.headers['retry-after']) > 0);
      const fromElsewhere = await app.inject({ method: 'GET', url: '/v1/label?certificateNo=XH-JD2026-00317', headers: ANONYMOUS, remoteAddress: '10.0.0.9' });
      assert.is(fromElsewhere.statusCode, 200, 'another address has its own allowance');
      const inspector = { authorization: `Bearer ${await keyFor('inspector', 'city-samr')}` };
      for (let i = 0; i < 5; i++) assert.is((await app.inject({ method: 'GET', url: '/v1/equipment/scale-stall-17', headers: inspector })).statusCode, 200);
      assert.is((await app.inject({ method: 'GET', url: '/v1/equipment/scale-stall-17', headers: inspector })).statusCode, 429);
    },
    { protection: { publicPerMinute: 3, keyPerMinute: 5 } },
  ),
);

guard('5. a flood of refusals for rate is counted, not written row by row into the audit log', () =>
  withApp(
    testDatabases()[0]!,
    async ({ app, db }) => {
      const rows = () => countOf(db, 'select count(*)::int as n from audit_log where status = 429');
      const before = await rows();
      const flood = async (n: number) => {
        for (let i = 0; i < n; i++)
          await app.inject({ method: 'GET', url: '/v1/label?certificateNo=XH-JD2026-00317', headers: ANONYMOUS, remoteAddress: '10.9.9.9' });
      };
      await flood(300);
      assert.is((await rows()) - before, 1, '297 refusals, one row so far: the first');
    },
    { protection: { publicPerMinute: 3, keyPerMinute: 5 } },
  ),
);

guard('the count of a window is written when it ends', async () => {
  const written: Array<{ status: number; params: Record<string, string> }> = [];
  const log = new RateLimitLog(async (e) => void written.push(e), 60_000);
  const entry = {
    keyId: null,
    role: 'public',
    organisationId: null,
    method: 'GET',
    route: '/v1/label',
    path: '/v1/label',
    params: {},
    status: 429,
    outcome: 'denied',
    address: '10.0.0.1',
    requestId: 'r',
  } as const;
  for (let i = 0; i < 1000; i++) await log.note(entry, 1_000 + i);
  assert.is(written.length, 1);
  await log.flush(61_000);
  assert.is(written.length, 2);
  assert.equal(written[1]!.params.refusals, '999');
});

guard('security headers, no CORS, a body limit and problems that leak nothing', () =>
  withApp(testDatabases()[0]!, async ({ app }) => {
    const res = await app.inject({ method: 'GET', url: '/v1/label?certificateNo=XH-JD2026-00317', headers: { ...ANONYMOUS, origin: 'https://evil.example' } });
    assert.is(res.headers['x-content-type-options'], 'nosniff');
    assert.ok(res.headers['content-security-policy'], 'a CSP is sent');
    assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
    assert.is(res.headers['x-frame-options'], 'SAMEORIGIN');
    assert.is(res.headers['access-control-allow-origin'], undefined, 'no CORS by default');
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/v1/label',
      headers: { ...ANONYMOUS, origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    assert.is(preflight.headers['access-control-allow-origin'], undefined);
    const big = await app.inject({
      method: 'POST',
      url: '/v1/uncertainty/evaluate',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }),
    });
    assert.equal([big.statusCode, big.json().code], [413, 'PAYLOAD_TOO_LARGE']);
    const logged: unknown[] = [];
    const leak = new Error('duplicate key value violates unique constraint "secret_idx" on select * from api_keys');
    const p = toProblem(leak, (e) => logged.push(e));
    assert.equal([p.status, p.code], [500, 'INTERNAL']);
    assert.not.ok(JSON.stringify(p).includes('api_keys'));
    assert.is(logged.length, 1, 'the details go to the log');
  }),
);

guard.run();

const docs = suite('OpenAPI and /docs');

docs('the document is valid OpenAPI 3, covers every route with summary, schemas, errors and security', () =>
  withApp(
    testDatabases()[0]!,
    async ({ app }) => {
      const doc = (await app.inject({ method: 'GET', url: '/openapi.json', headers: ANONYMOUS })).json();
      const validator = new Validator();
      const result = await validator.validate(doc);
      assert.ok(result.valid, JSON.stringify(result.errors ?? null).slice(0, 2000));
      const hidden = new Set([
        'GET /',
        'GET /openapi.json',
        'GET /lookup',
        'GET /lookup.css',
        'GET /certificate.css',
        'GET /energy-report.css',
        'GET /favicon.ico',
      ]);
      const missing: string[] = [];
      for (const r of app.routeAccess) {
        // the web pages at /app are HTML, hidden from the API document
        if (r.method === 'HEAD' || r.url.startsWith('/docs') || r.url.startsWith('/app') || hidden.has(`${r.method} ${r.url}`)) continue;
        const op = doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()];
        if (!op) {
          missing.push(`${r.method} ${r.url}`);
          continue;
        }
        assert.ok(op.summary, `${r.method} ${r.url} has a summary`);
        assert.ok(op.responses['429'], `${r.method} ${r.url} documents 429`);
        const statuses = Object.keys(op.responses).filter((s) => s >= '400');
        assert.ok(statuses.length >= 1, `${r.method} ${r.url} documents its errors`);
        if (r.access !== 'public') {
          assert.ok(op.responses['401'] && op.responses['403'], `${r.method} ${r.url} documents 401 and 403`);
          assert.equal(op.security, [{ apiKey: [] }]);
        }
        if (r.method === 'POST' && !['/v1/dcc'].includes(r.url)) assert.ok(op.requestBody || op.parameters, `${r.method} ${r.url} documents its input`);
      }
      assert.equal(missing, [], `undocumented: ${missing.join(', ')}`);
    },
    { demo: false },
  ),
);

docs('/docs serves the browsable UI without a key', () =>
  withApp(
    testDatabases()[0]!,
    async ({ app }) => {
      const page = await app.inject({ method: 'GET', url: '/docs', headers: ANONYMOUS });
      assert.is(page.statusCode, 200);
      assert.match(page.body, /swagger-ui/i);
      const json = await app.inject({ method: 'GET', url: '/docs/json', headers: ANONYMOUS });
      assert.is(json.json().info.title, 'metrotrace API');
      const root = await app.inject({ method: 'GET', url: '/', headers: { ...ANONYMOUS, accept: 'text/html' } });
      assert.match(root.body, /href="\/lookup"/);
    },
    { demo: false },
  ),
);

docs.run();

for (const database of testDatabases()) {
  const lookup = suite(`public lookup on ${database.name}`);

  lookup('the label answers without a key and shows nothing of the owner', () =>
    withApp(database, async ({ app }) => {
      const res = await app.inject({ method: 'GET', url: '/v1/label?certificateNo=XH-JD2026-00317', headers: ANONYMOUS });
      assert.is(res.statusCode, 200);
      const label = res.json();
      assert.is(label.state, 'in_force');
      assert.is(label.usable, true);
      assert.is(label.certificateNo, 'XH-JD2026-00317');
      assert.is(label.validUntil, '2027-03-11');
      assert.match(label.verdict.zh, /可以使用/);
      assert.not.ok('ownerId' in label || 'ownerName' in label);
      assert.not.ok(res.body.includes('city-market'));
      const byCode = await app.inject({ method: 'GET', url: '/v1/label?assetCode=LH-17', headers: ANONYMOUS });
      assert.is(byCode.json().certificateNo, 'XH-JD2026-00317');
      const status = await app.inject({ method: 'GET', url: '/v1/status?certificateNo=XH-JD2026-00317', headers: ANONYMOUS });
      assert.is(status.statusCode, 401, 'the full status (with the owner) needs a key');
    }),
  );

  lookup('by the number printed on the label (合格证号): found as a certificate number is, told apart when several instruments carry it', () =>
    withApp(database, async ({ app }) => {
      const get = (url: string) => app.inject({ method: 'GET', url, headers: ANONYMOUS });
      // stall 17's verification of 2026-03-12 put label XH-HG2026-00317 on it
      let res = await get('/v1/label?labelNo=XH-HG2026-00317');
      assert.is(res.statusCode, 200, res.body);
      assert.equal([res.json().certificateNo, res.json().state], ['XH-JD2026-00317', 'in_force']);
      // typed from the label, as q (case and full-width forms aside), or on the public page
      res = await get(`/v1/label?q=${encodeURIComponent('ｘｈ-hg2026-00317')}`);
      assert.is(res.json().certificateNo, 'XH-JD2026-00317', res.body);
      const page = await get('/lookup?lang=en&q=XH-HG2026-00317');
      assert.is(page.statusCode, 200);
      assert.match(page.body, /XH-JD2026-00317/);
      res = await get('/v1/label?labelNo=XH-HG2099-00001');
      assert.equal([res.statusCode, res.json().code, res.json().path], [404, 'NOT_FOUND', '?labelNo']);
      // another lab numbers a label the same: the number alone no longer tells which instrument
      const record = await app.inject({
        method: 'POST',
        url: '/v1/calibrations',
        payload: { ...recordPayload('label-twin', 'scale-stall-09'), labelNo: 'XH-HG2026-00317' },
      });
      assert.is(record.statusCode, 201, record.body);
      res = await get('/v1/label?labelNo=XH-HG2026-00317');
      assert.equal([res.statusCode, res.json().code, res.json().path], [400, 'INVALID_FIELD', '?labelNo']);
      assert.match(res.json().detail, /look up by the certificate number instead/);
      assert.is((await get('/lookup?lang=en&q=XH-HG2026-00317')).statusCode, 400);
    }),
  );

  lookup('a number that is not the document the status rests on is said to be so: an old failed-result notice, a corrected certificate', () =>
    withApp(database, async ({ app }) => {
      const get = (url: string) => app.inject({ method: 'GET', url, headers: ANONYMOUS });
      // stall 17 failed in 2025 (notice XH-JD2025-00317) and passed in 2026 (XH-JD2026-00317)
      const res = await get('/v1/label?certificateNo=XH-JD2025-00317');
      assert.is(res.statusCode, 200, res.body);
      let label = res.json();
      assert.equal([label.state, label.usable, label.certificateNo], ['in_force', true, 'XH-JD2026-00317'], 'the status is the instrument’s, now');
      assert.equal(
        { ...label.asked, note: undefined },
        {
          number: 'XH-JD2025-00317',
          by: 'certificateNo',
          certificateNo: 'XH-JD2025-00317',
          document: 'result_notice',
          performedOn: '2025-03-10',
          standing: 'replaced',
          supersededBy: null,
          note: undefined,
        },
      );
      assert.is(
        label.asked.note.en,
        '“XH-JD2025-00317” is the verification result notice (a failed verification) of 2025-03-10, not the instrument’s current certificate: its status now rests on the verification certificate XH-JD2026-00317, issued later. Below is the instrument’s status now.',
      );
      assert.is(
        label.asked.note.zh,
        '您查询的「XH-JD2025-00317」是检定日期为 2025-03-10 的检定结果通知书（检定不合格），并非该器具现行有效的证书；当前状态依据其后的检定证书 XH-JD2026-00317。以下是该器具现在的状态。',
      );
      // the page says it above the verdict
      const page = await get('/lookup?lang=zh&q=XH-JD2025-00317');
      assert.match(page.body, /<p class="asked" role="note">您查询的「XH-JD2025-00317」是检定日期为 2025-03-10 的检定结果通知书/);
      // the current certificate: nothing more to say
      label = (await get('/v1/label?certificateNo=XH-JD2026-00317')).json();
      assert.equal([label.asked.standing, label.asked.note], ['current', null]);
      assert.not.match((await get('/lookup?lang=en&q=XH-JD2026-00317')).body, /class="asked"/);
      // by the label's number: the label of the current verification
      assert.is((await get('/v1/label?labelNo=XH-HG2026-00317')).json().asked.standing, 'current');
      // the steel works' meter: certificate ACME-2026-03318 was corrected by ACME-2026-03318-R1
      label = (await get('/v1/label?certificateNo=ACME-2026-03318')).json();
      assert.equal([label.asked.standing, label.asked.supersededBy, label.asked.document], ['superseded', 'ACME-2026-03318-R1', 'calibration_certificate']);
      assert.match(label.asked.note.en, /superseded by its correction ACME-2026-03318-R1: it no longer stands/);
      // corrected again: the first number names the correction in force, at the end of the chain
      const again = await app.inject({
        method: 'POST',
        url: '/v1/calibrations',
        payload: {
          kind: 'calibration',
          subjectId: 'steel-main-meter',
          labId: 'acme-cal',
          referenceIds: ['grid-portable-std'],
          certificateNo: 'ACME-2026-03318-R2',
          performedOn: '2026-05-21',
          validUntil: '2027-05-20',
          supersedes: 'rec-steel-2026-corr',
          remarks: 'second correction: unit of the coverage factor',
          points: [{ nominal: '1', asFound: '1.00016', expandedUncertainty: '0.00020', coverageFactor: '2', unit: '1' }],
        },
      });
      assert.is(again.statusCode, 201, again.body);
      assert.is((await get('/v1/label?certificateNo=ACME-2026-03318')).json().asked.supersededBy, 'ACME-2026-03318-R2');
      assert.is((await get('/v1/label?certificateNo=ACME-2026-03318-R1')).json().asked.supersededBy, 'ACME-2026-03318-R2');
      // by instrument code: no document was looked up
      assert.is((await get('/v1/label?assetCode=LH-17')).json().asked, null);
    }),
  );

  lookup('the label’s one-statement path gives what the full status gives, for every certificate and asset code of the demo', () =>
    withApp(database, async ({ verification, registry }) => {
      const at = TEST_TODAY;
      const page = await registry.listRecords({}, { limit: 500, after: null });
      let compared = 0;
      for (const { record, supersededBy } of page.items) {
        if (supersededBy !== null) continue;
        const q = { certificateNo: record.certificateNo };
        const viaLabel = labelOf(await verification.label(q, at));
        assert.is(viaLabel.asked?.certificateNo, record.certificateNo);
        assert.equal({ ...viaLabel, asked: null }, labelOf(await verification.lookup(q, at)), record.certificateNo);
        compared++;
      }
      const equipment = await registry.listEquipment({}, { limit: 500, after: null });
      for (const e of equipment.items) {
        if (!e.assetCode) continue;
        const q = { assetCode: e.assetCode, ownerId: e.ownerId };
        assert.equal(labelOf(await verification.label(q, at)), labelOf(await verification.lookup(q, at)), e.assetCode);
        compared++;
      }
      assert.ok(compared >= 30, `compared ${compared}`);
    }),
  );

  lookup('the page answers in Chinese and English, and says when nothing is found', () =>
    withApp(database, async ({ app }) => {
      const en = await app.inject({ method: 'GET', url: '/lookup?lang=en&q=XH-JD2026-00317', headers: ANONYMOUS });
      assert.is(en.statusCode, 200);
      assert.match(en.headers['content-type'] as string, /text\/html/);
      assert.match(en.body, /May be used/);
      assert.match(en.body, /data-state="in_force"/);
      assert.not.ok(en.body.includes('city-market'));
      const zh = await app.inject({ method: 'GET', url: '/lookup?q=LH-17', headers: { ...ANONYMOUS, 'accept-language': 'zh-CN,zh;q=0.9' } });
      assert.match(zh.body, /可以使用/);
      assert.match(zh.body, /lang="zh-CN"/);
      const missing = await app.inject({ method: 'GET', url: '/lookup?lang=en&q=%3Cscript%3Ealert(1)%3C%2Fscript%3E', headers: ANONYMOUS });
      assert.is(missing.statusCode, 404);
      assert.match(missing.body, /No instrument has/);
      assert.not.ok(missing.body.includes('<script>alert(1)</script>'), 'the query is escaped');
    }),
  );

  lookup.run();
}
