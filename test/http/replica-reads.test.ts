/**
 * Reads from a replica (#23 item 1), on the embedded database: the "replica"
 * is a read-only copy of the primary (PGlite's clone, with every transaction
 * read-only, as on a hot standby), and the positions a check reads are set
 * by the test, so each rule of the router can be driven: the read-only routes
 * read the copy while it is shown fresh within the bound; a write's response
 * says where it ends in the WAL and a read sent after it goes to the primary
 * until the replica has replayed past it; past the bound, or when the replica
 * does not answer, the primary serves. Against a real streaming replica:
 * test/reliability/replica-cluster.test.ts.
 */
import { randomUUID } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadRegistryData } from '../../src/app/demo.ts';
import { inProcess } from '../../src/app/computations.ts';
import { buildApp } from '../../src/http/app.ts';
import { readConfig } from '../../src/main/config.ts';
import Fastify from 'fastify';
import { READ_AFTER_HEADER, READ_FROM_HEADER, REPLICA_READS, replicaReads, WRITTEN_LSN_HEADER } from '../../src/http/replica-reads.ts';
import { createServices, referenceData } from '../../src/main/services.ts';
import { newMemoryPglite, rowsOf, wrapPglite, type Db } from '../../src/persistence/db.ts';
import { formatLsn, parseLsn, PrimaryPositions, ReadReplicas, replicaFailure, routedDb, type Replica } from '../../src/persistence/read-replicas.ts';
import { DEMO, TEST_TODAY } from '../helpers/app.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';

const it = suite('reads from a replica');

it('WAL positions read and print as PostgreSQL writes them', () => {
  assert.is(parseLsn('16/B374D848'), (0x16n << 32n) + 0xb374d848n);
  assert.is(formatLsn(parseLsn('16/B374D848')!), '16/B374D848');
  assert.is(formatLsn(0n), '0/0');
  for (const bad of ['', '16', '16/', 'G/1', '1/2/3', '123456789/0', null, undefined]) assert.is(parseLsn(bad as string), undefined, String(bad));
});

it('a replica holds every commit made before the latest sampled primary position it has replayed', () => {
  const p = new PrimaryPositions(10_000);
  p.record(0, 100n);
  p.record(1000, 100n); // idle primary: same position, later moment
  p.record(2000, 300n);
  assert.is(p.heldBefore(99n), undefined, 'behind every sample: nothing shown');
  assert.is(p.heldBefore(100n), 1000);
  assert.is(p.heldBefore(299n), 1000);
  assert.is(p.heldBefore(300n), 2000);
  // samples older than they can matter are dropped, the newest always kept
  p.record(20_000, 400n);
  assert.is(p.heldBefore(300n), undefined);
  assert.is(p.heldBefore(400n), 20_000);
});

it('failures that say the replica cannot serve are told from errors of the request', () => {
  const wrapped = (code: string) => Object.assign(new Error('Failed query'), { cause: Object.assign(new Error('driver'), { code }) });
  assert.is(replicaFailure(wrapped('ECONNREFUSED')), 'down');
  assert.is(replicaFailure(wrapped('57P01')), 'down');
  assert.is(replicaFailure(wrapped('08006')), 'down');
  assert.is(replicaFailure(wrapped('25006')), 'read-only');
  assert.is(replicaFailure(wrapped('40001')), 'conflict');
  assert.is(replicaFailure(wrapped('23505')), undefined);
  assert.is(replicaFailure(new Error('no code')), undefined);
});

it('DATABASE_READ_URL and its bound are read and checked at boot', () => {
  assert.equal(readConfig({}).reads, { urls: [], maxLagMs: 5000, checkMs: 1000 });
  const c = readConfig({
    DATABASE_URL: 'postgres://p/db',
    DATABASE_READ_URL: ' postgres://r1/db, postgresql://r2/db ',
    DATABASE_READ_MAX_LAG_MS: '2000',
    DATABASE_READ_CHECK_MS: '250',
  });
  assert.equal(c.reads, { urls: ['postgres://r1/db', 'postgresql://r2/db'], maxLagMs: 2000, checkMs: 250 });
  assert.throws(() => readConfig({ DATABASE_READ_URL: 'postgres://r1/db' }), /set DATABASE_URL to its primary/);
  assert.throws(
    () => readConfig({ DATABASE_URL: 'postgres://p/db', DATABASE_READ_URL: 'mysql://u:secret@r1/db' }),
    (e: Error) => /postgres:\/\//.test(e.message) && !e.message.includes('secret'),
  );
  assert.throws(
    () =>
      readConfig({ DATABASE_URL: 'postgres://p/db', DATABASE_READ_URL: 'postgres://r1/db', DATABASE_READ_MAX_LAG_MS: '1000', DATABASE_READ_CHECK_MS: '1000' }),
    /must be below DATABASE_READ_MAX_LAG_MS/,
  );
});

/** A primary with the demo, a read-only copy of it as the replica, positions and a clock the test moves. */
async function cluster() {
  const primaryClient = await newMemoryPglite();
  const primary = wrapPglite(primaryClient);
  await primary.migrate();
  const seed = createServices(primary.db, randomUUID, referenceData(), () => TEST_TODAY, undefined, { keys: TEST_LEDGER_KEYS });
  await loadRegistryData(seed.unitOfWork, DEMO, randomUUID, seed.rules);
  const copy = (await primaryClient.clone()) as PGlite;
  // as on a hot standby: any write is refused (SQLSTATE 25006)
  await copy.exec('set default_transaction_read_only = on');
  const replicaDb = wrapPglite(copy).db;
  const at = { clock: 0, primary: 100n, replica: 100n as bigint | Error };
  const replica: Replica = { name: 'copy', db: replicaDb, heldBefore: undefined, replayed: undefined, down: 'not checked yet' };
  const logged: string[] = [];
  const replicas = new ReadReplicas([replica], {
    maxLagMs: 1000,
    checkMs: 200,
    now: () => at.clock,
    log: (m) => logged.push(m),
    positions: {
      primary: async () => at.primary,
      replica: async (db) => {
        assert.is(db, replicaDb);
        if (at.replica instanceof Error) throw at.replica;
        return at.replica;
      },
    },
  });
  const services = createServices(routedDb(primary.db), randomUUID, referenceData(), () => TEST_TODAY, undefined, { keys: TEST_LEDGER_KEYS });
  const app = await buildApp({
    ...services,
    computations: inProcess(),
    database: { kind: 'pglite', ping: async () => void (await primary.db.execute(sql`select 1`)) },
    version: 'test',
    protection: { publicPerMinute: 0, keyPerMinute: 0 },
    today: () => TEST_TODAY,
    reads: { replicas, maxLagMs: 1000, primaryPosition: async () => at.primary },
  });
  const key = (role: 'admin' | 'owner', org: string | null = null) =>
    services.access.issue({ role, organisationId: org, label: `test ${role}` }, TEST_TODAY).then((k) => `Bearer ${k.token}`);
  return {
    app,
    at,
    replicas,
    replica,
    logged,
    primaryDb: primary.db as Db,
    key,
    close: async () => {
      await app.close();
      await copy.close();
      await primary.close();
    },
  };
}

let sharedCluster: ReturnType<typeof cluster> | undefined;
/** One primary and copy for the tests that only read (building one migrates and loads the demo: seconds). */
const shared = () => (sharedCluster ??= cluster());
it.after(async () => {
  if (sharedCluster) await (await sharedCluster).close();
});

const label = async (app: Awaited<ReturnType<typeof cluster>>['app'], headers: Record<string, string> = {}) => {
  const res = await app.inject({ method: 'GET', url: '/v1/label?certificateNo=XH-JD2026-00317&at=2026-11-22', headers });
  assert.is(res.statusCode, 200, res.body);
  return { state: res.json().state as string, from: String(res.headers[READ_FROM_HEADER]) };
};

it('the label is read from the replica within the bound; a write is read back after it; past the bound or with the replica down, from the primary', async () => {
  const c = await cluster();
  try {
    // not yet checked: the primary
    assert.equal(await label(c.app), { state: 'in_force', from: 'primary; replica unavailable' });
    await c.replicas.check();
    assert.equal(await label(c.app), { state: 'in_force', from: 'replica' });

    // the owner records a broken seal on the primary; the write moves the primary's WAL position
    const owner = await c.key('owner', 'city-market');
    c.at.primary = 200n;
    const res = await c.app.inject({
      method: 'POST',
      url: '/v1/equipment/scale-stall-17/events',
      headers: { authorization: owner },
      payload: { kind: 'seal_broken', effectiveOn: '2026-11-21' },
    });
    assert.is(res.statusCode, 201, res.body);
    assert.is(res.headers[WRITTEN_LSN_HEADER], '0/C8', 'the response to the write says where it ends in the WAL');
    // the response itself came from the primary: the event is in it
    assert.is(res.json().kind, 'seal_broken');

    // within the bound the replica still serves, and does not have the write yet (it is stale, within the bound)
    c.at.clock = 500;
    assert.equal(await label(c.app), { state: 'in_force', from: 'replica' });
    // the client that wrote sends the position back: the primary, which has it
    assert.equal(await label(c.app, { [READ_AFTER_HEADER]: '0/C8' }), { state: 'reverification_required', from: 'primary; read after write' });
    // a replica that has replayed past it serves that client again
    c.at.replica = 200n;
    await c.replicas.check();
    assert.is((await label(c.app, { [READ_AFTER_HEADER]: '0/C8' })).from, 'replica');
    const bad = await c.app.inject({ method: 'GET', url: '/v1/label?certificateNo=XH-JD2026-00317', headers: { [READ_AFTER_HEADER]: 'yesterday' } });
    assert.is(bad.statusCode, 400);
    assert.is(bad.json().code, 'INVALID_FIELD');

    // no check for longer than the bound: the replica may be further behind than stated, so the primary
    c.at.clock = 500 + 1001;
    assert.equal(await label(c.app), { state: 'reverification_required', from: 'primary; replica behind the bound' });
    // checked again, but the replica has not replayed what the primary wrote since the last sample: still behind
    c.at.primary = 300n;
    await c.replicas.check();
    c.at.clock = 500 + 1001 + 1500;
    await c.replicas.check();
    assert.is((await label(c.app)).from, 'primary; replica behind the bound');
    c.at.replica = 300n;
    await c.replicas.check();
    assert.is((await label(c.app)).from, 'replica');

    // the replica stops answering: the primary, and it is said once in the log
    c.at.replica = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5433'), { code: 'ECONNREFUSED' });
    await c.replicas.check();
    assert.equal(await label(c.app), { state: 'reverification_required', from: 'primary; replica unavailable' });
    await c.replicas.check();
    assert.is(c.logged.filter((m) => m.includes('ECONNREFUSED')).length, 1, c.logged.join('\n'));
    assert.equal(c.replicas.state(), [{ name: 'copy', usable: false, freshMsAgo: null, down: 'connect ECONNREFUSED 127.0.0.1:5433' }]);
    // back: the replica again
    c.at.replica = 300n;
    await c.replicas.check();
    assert.is((await label(c.app)).from, 'replica');
    const health = await c.app.inject({ method: 'GET', url: '/health' });
    assert.equal(health.json().replicas, [{ name: 'copy', usable: true, freshMsAgo: 0, down: null }]);

    // a server that is not a standby is never read
    c.at.replica = null as never;
    await c.replicas.check();
    assert.is((await label(c.app)).from, 'primary; replica unavailable');
  } finally {
    await c.close();
  }
});

it('every replica-readable route reads without writing (served by the read-only copy), and only those are', async () => {
  const c = await shared();
  try {
    await c.replicas.check();
    const admin = await c.key('admin');
    const calibrations = await c.app.inject({ method: 'GET', url: '/v1/equipment/scale-stall-17/calibrations', headers: { authorization: admin } });
    assert.is(calibrations.statusCode, 200, calibrations.body);
    assert.is(calibrations.headers[READ_FROM_HEADER], undefined, 'a route not listed reads the primary and says nothing');
    const recordId = ((calibrations.json().items ?? calibrations.json()) as Array<{ id: string; certificateNo: string }>).find(
      (r) => r.certificateNo === 'XH-JD2026-00317',
    )!.id;
    const urls: Record<string, string> = {
      'GET /v1/label': '/v1/label?certificateNo=XH-JD2026-00317',
      'GET /lookup': '/lookup?q=XH-JD2026-00317',
      'GET /v1/status': '/v1/status?certificateNo=XH-JD2026-00317',
      'GET /v1/equipment/:id/status': '/v1/equipment/scale-stall-17/status',
      'GET /v1/equipment/:id/traceability': '/v1/equipment/scale-stall-17/traceability',
      'GET /v1/equipment/:id/traceability.svg': '/v1/equipment/scale-stall-17/traceability.svg',
      'GET /v1/equipment/:id/dependents': '/v1/equipment/district-f1-set/dependents?since=2025-01-01',
      'GET /v1/equipment/:id/chain-uncertainty': '/v1/equipment/scale-stall-17/chain-uncertainty',
      'GET /v1/due': '/v1/due?to=2027-12-31',
      'GET /v1/integrity': '/v1/integrity?region=3101',
      'GET /v1/integrity.svg': '/v1/integrity.svg?region=3101',
      'GET /v1/organisations/:id/integrity': '/v1/organisations/city-market/integrity',
      'GET /v1/public/integrity/listed': '/v1/public/integrity/listed?region=3101',
      'GET /v1/public/spot-checks/:id': '/v1/public/spot-checks/no-such-check',
      'GET /v1/public/spot-checks/:id/results.csv': '/v1/public/spot-checks/no-such-check/results.csv',
      'GET /v1/public/spot-checks/:id/population.tsv': '/v1/public/spot-checks/no-such-check/population.tsv',
      'GET /v1/spot-checks/:id/report.html': '/v1/spot-checks/no-such-check/report.html',
      'GET /v1/energy-audits/:id/report.html': '/v1/energy-audits/no-such-audit/report.html',
      'GET /v1/calibrations/:id/certificate.html': `/v1/calibrations/${recordId}/certificate.html`,
      'GET /v1/calibrations/:id/label.svg': `/v1/calibrations/${recordId}/label.svg`,
    };
    assert.equal(Object.keys(urls).sort(), [...REPLICA_READS].sort(), 'each listed route is tried here');
    for (const [route, url] of Object.entries(urls)) {
      const res = await c.app.inject({ method: 'GET', url, headers: { authorization: admin } });
      assert.is(res.statusCode, url.includes('no-such') ? 404 : 200, `${route}: ${res.body.slice(0, 300)}`);
      // a route that tried to write would have been served again by the primary ('primary; replica is read-only')
      assert.is(res.headers[READ_FROM_HEADER], 'replica', `${route} (${res.statusCode}) was served by the replica: ${res.headers[READ_FROM_HEADER]}`);
    }
  } finally {
    // closed after the suite
  }
});

it('a route that writes, wrongly listed, is served again by the primary once the replica refuses the write, and it is logged', async () => {
  const c = await shared();
  try {
    await c.replicas.check();
    const app = Fastify();
    const logged: string[] = [];
    replicaReads(app, { replicas: c.replicas, maxLagMs: 1000, routes: new Set(['GET /tally']), log: (m) => logged.push(m) });
    const routed = routedDb(c.primaryDb);
    await routed.execute(sql`create table tally (n int)`);
    // the copy has the table too (made before it was read-only), so only the write itself is refused there
    for (const q of ['begin read write', 'create table tally (n int)', 'commit']) await c.replica.db.execute(sql.raw(q));
    app.get('/tally', async () => {
      await routed.execute(sql`insert into tally values (1)`);
      return { n: Number(rowsOf<{ n: number }>(await routed.execute(sql`select count(*)::int as n from tally`))[0]!.n) };
    });
    const res = await app.inject({ method: 'GET', url: '/tally' });
    assert.is(res.statusCode, 200, res.body);
    assert.equal(res.json(), { n: 1 }, 'written once, on the primary');
    assert.is(res.headers[READ_FROM_HEADER], 'primary; replica is read-only');
    assert.is(logged.length, 1);
    assert.match(logged[0]!, /GET \/tally tried to write on read replica copy/);
    assert.is(c.replica.down, undefined, 'the replica itself stays in use');
    await app.close();
  } finally {
    // closed after the suite
  }
});

it('the OpenAPI says per route whether its reads may come from a replica, and the bound', async () => {
  const c = await shared();
  try {
    const doc = (await c.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.equal(doc.paths['/v1/label'].get['x-metrotrace-reads'], { from: 'replica', maxLagMs: 1000, fallback: 'primary' });
    assert.match(doc.paths['/v1/label'].get.description, /more than 1000 ms \(DATABASE_READ_MAX_LAG_MS\)/);
    assert.equal(doc.paths['/v1/due'].get['x-metrotrace-reads'].from, 'replica');
    assert.equal(doc.paths['/v1/calibrations'].post['x-metrotrace-reads'], { from: 'primary' });
    assert.equal(doc.paths['/v1/equipment/{id}'].get['x-metrotrace-reads'], { from: 'primary' });
  } finally {
    // closed after the suite
  }
});

it.run();
