/**
 * Export and restore: the whole registry out as JSON Lines and into an empty
 * database, with nothing changed (the same lines, the same ledger hashes); an
 * interrupted import resumes from its checkpoint; a non-empty database, a
 * foreign or truncated file are refused.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openDb, type Database, type Db } from '../../src/persistence/db.ts';
import { createHash } from 'node:crypto';
import { databaseTables, EXPORT_TABLES, exportRegistry, type ExportOptions, ImportError, importRegistry, NOT_EXPORTED, WITHHELD_KEY_HASH } from '../../src/persistence/export.ts';
import { createServices } from '../../src/http/services.ts';
import { keyMaterial } from '../../src/runtime/key-material.ts';
import { TEST_TODAY, withApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';
import { freshServerDatabase } from '../helpers/fresh.ts';

async function exportLines(db: Db, id = 'export-test', batch = 7, opts: ExportOptions = {}): Promise<string[]> {
  const lines: string[] = [];
  await exportRegistry(db, id, async (l) => void lines.push(l), batch, opts);
  return lines;
}

/** Everything, the keys' secret hashes too: what a faithful copy (export --with-key-hashes, import --keep-keys) carries. */
const WITH_HASHES = { keyHashes: true } as const;

async function* iterate(lines: readonly string[], failAfter?: number): AsyncIterable<string> {
  let n = 0;
  for (const l of lines) {
    if (failAfter !== undefined && n++ === failAfter) throw new Error('the import process died here');
    yield l;
  }
}

/** The lines that carry data: everything but the header's time and id. */
const body = (lines: string[]) => [JSON.parse(lines[0]!).tables, ...lines.slice(1)];

async function emptyDatabase(kind: 'pglite' | 'postgres'): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (kind === 'pglite') {
    const database = await openDb({});
    await database.migrate();
    return { database, drop: () => database.close() };
  }
  const server = await freshServerDatabase();
  const database = await openDb({ url: server.url, poolSize: 2 });
  return {
    database,
    drop: async () => {
      await database.close();
      await server.drop();
    },
  };
}

/** The demo, plus a correction, a finding, an energy audit and audit-log lines, so every kind of row is there. */
async function richer(app: import('fastify').FastifyInstance): Promise<void> {
  const statuses = [
    (await app.inject({ method: 'POST', url: '/v1/calibrations', payload: { kind: 'verification', subjectId: 'scale-stall-17', labId: 'district-station', referenceIds: ['district-f1-set'], certificateNo: 'XH-CORR-1', performedOn: '2026-03-12', validUntil: '2027-03-11', conformity: 'pass', supersedes: 'rec-stall17-2026', points: [{ nominal: '15', asFound: '15.00500', unit: 'kg' }] } })).statusCode,
    (await app.inject({ method: 'POST', url: '/v1/equipment/district-f1-set/out-of-tolerance', payload: { foundOn: '2026-11-01', lastKnownGood: '2026-06-01', remarks: 'drift 0.3 mg' } })).statusCode,
    (await app.inject({ method: 'POST', url: '/v1/energy-audits', payload: { organisationId: 'steel-works', at: '2026-11-25' } })).statusCode,
  ];
  assert.equal(statuses, [201, 201, 201]);
}

for (const database of testDatabases()) {
  const roundTrip = suite(`export and import on ${database.name}`);

  roundTrip('the export covers every table that holds data, and keeps decimals as strings', () =>
    withApp(database, async ({ db }) => {
      const tables = await databaseTables(db);
      assert.equal([...tables].sort(), [...EXPORT_TABLES, ...NOT_EXPORTED].sort(), 'a new table must be exported or listed as derived');
      const lines = await exportLines(db);
      const point = lines.map((l) => JSON.parse(l)).find((l) => l.t === 'measured_points' && l.r.record_id === 'rec-stall17-2026');
      assert.is(point.r.as_found, '15.005');
      assert.is(typeof point.r.seq, 'string', 'every number leaves as its text');
    }));

  roundTrip('export → import into an empty database → export gives the same lines and the same ledger head', () =>
    withApp(database, async ({ app, db }) => {
      await richer(app);
      const before = await exportLines(db, 'export-test', 7, WITH_HASHES);
      const source = await createServices(db, () => 'x').ledger.verify();
      const target = await emptyDatabase(database.name);
      try {
        const result = await importRegistry(target.database.db, iterate(before), { batch: 5, keepKeys: true });
        assert.is(result.lines, before.length);
        const after = await exportLines(target.database.db, 'export-test', 7, WITH_HASHES);
        assert.equal(body(after), body(before));
        const restored = await createServices(target.database.db, () => 'x').ledger.verify();
        assert.equal([restored.valid, restored.head, restored.checked], [true, source.head, source.checked]);
        assert.equal(JSON.parse(before.at(-1)!).ledgerHead, { seq: source.head.seq, hash: source.head.hash });
        // importing the same export again is refused: the database is no longer empty
        let refused: unknown;
        try {
          await importRegistry(target.database.db, iterate(before.map((l, i) => (i === 0 ? l.replace('"exportId":"export-test"', '"exportId":"another"') : l))));
        } catch (e) {
          refused = e;
        }
        assert.instance(refused, ImportError);
        assert.match(String((refused as Error).message), /empty database/);
      } finally {
        await target.drop();
      }
    }));

  roundTrip('an import that dies half-way resumes from its checkpoint and ends the same', () =>
    withApp(database, async ({ db }) => {
      const before = await exportLines(db);
      const target = await emptyDatabase(database.name);
      try {
        let died = '';
        try {
          await importRegistry(target.database.db, iterate(before, Math.floor(before.length / 2)), { batch: 10, keepKeys: true });
        } catch (e) {
          died = String((e as Error).message);
        }
        assert.match(died, /died/);
        const resumed = await importRegistry(target.database.db, iterate(before), { batch: 10, keepKeys: true });
        assert.ok(resumed.resumedAfter > 10 && resumed.resumedAfter < before.length, `resumed after line ${resumed.resumedAfter}`);
        assert.equal(body(await exportLines(target.database.db)), body(before));
        assert.ok((await createServices(target.database.db, () => 'x').ledger.verify()).valid);
      } finally {
        await target.drop();
      }
    }));

  roundTrip('an export leaves the keys\' secret hashes out unless asked; a restore revokes its keys unless told to keep them', () =>
    withApp(database, async ({ db, keyFor, access }) => {
      const token = await keyFor('lab', 'district-station');
      const secretHash = createHash('sha256').update(/^mtk_[a-z0-9]{16}_(.+)$/.exec(token)![1]!, 'utf8').digest('hex');
      const gone = (await access.issue({ role: 'auditor', organisationId: 'city-samr', label: 'revoked before the export' }, TEST_TODAY)).key.id;
      const revokedBefore = (await access.revoke(gone)).revokedAt;
      const keyRows = (lines: string[]) => lines.map((l) => JSON.parse(l)).filter((l) => l.t === 'api_keys').map((l) => l.r as Record<string, string | null>);
      const source = await createServices(db, () => 'x').ledger.verify();
      const restore = async (lines: string[], keepKeys: boolean, check: (target: Db, result: Awaited<ReturnType<typeof importRegistry>>) => Promise<void>) => {
        const target = await emptyDatabase(database.name);
        try {
          const result = await importRegistry(target.database.db, iterate(lines), { keepKeys, revokedAt: '2026-11-25T08:00:00.000Z' });
          const restored = await createServices(target.database.db, () => 'x').ledger.verify();
          assert.equal([restored.valid, restored.head], [true, source.head], 'the ledger restores as it was, keys or no keys');
          await check(target.database.db, result);
        } finally {
          await target.drop();
        }
      };
      const authenticate = (target: Db) => createServices(target, () => 'x').access.authenticate(token, TEST_TODAY);

      // by default: rows without their hashes, the key (restored as revoked) refused
      const plain = await exportLines(db);
      const rows = keyRows(plain);
      assert.ok(rows.length >= 3, 'the keys are exported (the audit log names them)');
      assert.ok(rows.every((r) => r.secret_hash === WITHHELD_KEY_HASH), 'no secret hash leaves by default');
      assert.not.ok(plain.some((l) => l.includes(secretHash)));
      await restore(plain, false, async (target, result) => {
        assert.equal(result.keys, { revoked: rows.length - 1, alreadyRevoked: 1, kept: 0, keptWithoutHash: 0 });
        const auth = await authenticate(target);
        assert.not.ok(auth.ok);
        const keys = await createServices(target, () => 'x').access.listKeys();
        assert.ok(keys.every((k) => k.revokedAt !== null), 'every key restored revoked');
        assert.is(keys.find((k) => k.id === gone)!.revokedAt, revokedBefore, 'a key revoked in the export keeps its time');
      });
      // kept without hashes, a key would still never be accepted: no secret hashes to the placeholder
      assert.not.ok(keyMaterial.matches(/^mtk_[a-z0-9]{16}_(.+)$/.exec(token)![1]!, WITHHELD_KEY_HASH));

      // asked for: the hashes leave; restored with --keep-keys the key works, without it (as an export made
      // before hashes were left out, version 1 all the same, imports) it is revoked
      const full = await exportLines(db, 'export-test', 7, WITH_HASHES);
      assert.ok(keyRows(full).some((r) => r.secret_hash === secretHash));
      assert.is(JSON.parse(full[0]!).version, JSON.parse(plain[0]!).version, 'the line format is unchanged: same version');
      await restore(full, true, async (target) => {
        const auth = await authenticate(target);
        assert.ok(auth.ok, JSON.stringify(auth));
      });
      await restore(full, false, async (target) => {
        const auth = await authenticate(target);
        assert.not.ok(auth.ok);
        assert.match(JSON.stringify(auth), /the key was revoked at 2026-11-25[T ]08:00:00/);
      });
    }));

  roundTrip('a foreign, truncated or malformed file is refused with the line', () =>
    withApp(database, async ({ db }) => {
      const lines = await exportLines(db);
      const target = await emptyDatabase(database.name);
      const attempt = async (input: string[]) => {
        try {
          await importRegistry(target.database.db, iterate(input));
          return 'imported';
        } catch (e) {
          return e instanceof ImportError ? e.message : `unexpected: ${String(e)}`;
        }
      };
      try {
        assert.match(await attempt(['{"format":"something-else"}']), /line 1: not a metrotrace export/);
        assert.match(await attempt([lines[0]!, 'not json']), /line 2: not JSON/);
        assert.match(await attempt([lines[0]!, '{"t":"no_such_table","r":{}}', lines.at(-1)!]), /unknown table/);
        assert.match(await attempt(lines.slice(0, 3)), /ends early/);
      } finally {
        await target.drop();
      }
    }));

  roundTrip.run();
}
