/**
 * Export and restore: the whole registry out as JSON Lines and into an empty
 * database, with nothing changed (the same lines, the same ledger hashes and
 * MACs); an import is one transaction, committed only when the file's ledger
 * verifies, so a forged file and an interrupted import leave nothing; a
 * non-empty database, a foreign or truncated file are refused.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openDb, type Database, type Db } from '../../src/persistence/db.ts';
import { createHash } from 'node:crypto';
import {
  databaseTables,
  EXPORT_TABLES,
  exportRegistry,
  type ExportOptions,
  ImportError,
  importRegistry,
  type ImportOptions,
  LedgerRefusedError,
  NOT_EXPORTED,
  WITHHELD_KEY_HASH,
} from '../../src/persistence/export.ts';
import { createServices as createServicesWith } from '../../src/main/services.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';
import { countOf } from '../helpers/db.ts';
import { keyMaterial } from '../../src/runtime/key-material.ts';
import { TEST_TODAY, withApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';
import { freshServerDatabase } from '../helpers/fresh.ts';

/** The services with the test ledger key ring (the source's ring: the round trip keeps its MACs). */
const createServices = (db: Db, newId: () => string) => createServicesWith(db, newId, undefined, undefined, undefined, { keys: TEST_LEDGER_KEYS });
const importWithKeys = (db: Db, lines: AsyncIterable<string>, opts: ImportOptions = {}) => importRegistry(db, lines, { keys: TEST_LEDGER_KEYS, ...opts });

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
    (
      await app.inject({
        method: 'POST',
        url: '/v1/calibrations',
        payload: {
          kind: 'verification',
          subjectId: 'scale-stall-17',
          labId: 'district-station',
          referenceIds: ['district-f1-set'],
          certificateNo: 'XH-CORR-1',
          performedOn: '2026-03-12',
          validUntil: '2027-03-11',
          conformity: 'pass',
          supersedes: 'rec-stall17-2026',
          points: [{ nominal: '15', asFound: '15.00500', unit: 'kg' }],
        },
      })
    ).statusCode,
    (
      await app.inject({
        method: 'POST',
        url: '/v1/equipment/district-f1-set/out-of-tolerance',
        payload: { foundOn: '2026-11-01', lastKnownGood: '2026-06-01', remarks: 'drift 0.3 mg' },
      })
    ).statusCode,
    (await app.inject({ method: 'POST', url: '/v1/energy-audits', payload: { organisationId: 'steel-works', at: '2026-11-25' } })).statusCode,
  ];
  assert.equal(statuses, [201, 201, 201]);
}

for (const database of testDatabases()) {
  const roundTrip = suite(`export and import on ${database.name}`);

  roundTrip('the export covers every table that holds data, and keeps decimals as strings', () =>
    withApp(database, async ({ db }) => {
      const tables = await databaseTables(db);
      assert.equal(
        [...tables].sort(),
        [...EXPORT_TABLES, ...NOT_EXPORTED].sort(),
        'a new table must be exported or listed as not exported (derived, or sign-in state)',
      );
      const lines = await exportLines(db);
      const point = lines.map((l) => JSON.parse(l)).find((l) => l.t === 'measured_points' && l.r.record_id === 'rec-stall17-2026');
      assert.is(point.r.as_found, '15.005');
      assert.is(typeof point.r.seq, 'string', 'every number leaves as its text');
    }),
  );

  roundTrip('export → import into an empty database → export gives the same lines and the same ledger head', () =>
    withApp(database, async ({ app, db }) => {
      await richer(app);
      const before = await exportLines(db, 'export-test', 7, WITH_HASHES);
      const source = await createServices(db, () => 'x').ledger.verify();
      const target = await emptyDatabase(database.name);
      try {
        const result = await importWithKeys(target.database.db, iterate(before), { batch: 5, keepKeys: true });
        assert.is(result.lines, before.length);
        assert.equal(
          [result.ledger.valid, result.ledger.authenticated, result.ledger.head, result.appended],
          [true, true, source.head, 0],
          'verified before the commit',
        );
        const after = await exportLines(target.database.db, 'export-test', 7, WITH_HASHES);
        assert.equal(body(after), body(before));
        const restored = await createServices(target.database.db, () => 'x').ledger.verify();
        assert.equal([restored.valid, restored.authenticated, restored.head, restored.checked], [true, true, source.head, source.checked]);
        assert.equal(JSON.parse(before.at(-1)!).ledgerHead, { seq: source.head.seq, hash: source.head.hash });
        // importing the same export again is refused: the database is no longer empty
        let refused: unknown;
        try {
          await importWithKeys(
            target.database.db,
            iterate(before.map((l, i) => (i === 0 ? l.replace('"exportId":"export-test"', '"exportId":"another"') : l))),
          );
        } catch (e) {
          refused = e;
        }
        assert.instance(refused, ImportError);
        assert.match(String((refused as Error).message), /empty database/);
      } finally {
        await target.drop();
      }
    }),
  );

  roundTrip('an import that dies half-way leaves the database empty (one transaction); run again, it completes', () =>
    withApp(database, async ({ db }) => {
      const before = await exportLines(db);
      const target = await emptyDatabase(database.name);
      try {
        let died = '';
        try {
          await importWithKeys(target.database.db, iterate(before, Math.floor(before.length / 2)), { batch: 10, keepKeys: true });
        } catch (e) {
          died = String((e as Error).message);
        }
        assert.match(died, /died/);
        for (const table of EXPORT_TABLES) assert.is(await countOf(target.database.db, `select count(*)::int as n from ${table}`), 0, `${table} is empty`);
        await importWithKeys(target.database.db, iterate(before), { batch: 10, keepKeys: true });
        assert.equal(body(await exportLines(target.database.db)), body(before));
        assert.ok((await createServices(target.database.db, () => 'x').ledger.verify()).valid);
      } finally {
        await target.drop();
      }
    }),
  );

  roundTrip(
    'a forged file is refused before the commit, with nothing imported: an edited value, a rewritten chain, a shortened ledger, a foreign key ring',
    () =>
      withApp(database, async ({ db }) => {
        const lines = await exportLines(db, 'export-test', 50, WITH_HASHES);
        const target = await emptyDatabase(database.name);
        const refusal = async (input: string[], opts: ImportOptions = {}) => {
          try {
            await importWithKeys(target.database.db, iterate(input), opts);
            return 'imported';
          } catch (e) {
            for (const table of EXPORT_TABLES)
              assert.is(await countOf(target.database.db, `select count(*)::int as n from ${table}`), 0, `nothing of ${table} committed`);
            if (e instanceof LedgerRefusedError) return e.report.broken?.reason ?? e.message;
            return e instanceof ImportError ? e.message : `unexpected: ${String(e)}`;
          }
        };
        const edit = (match: (l: { t: string; r: Record<string, unknown> }) => boolean, change: (r: Record<string, unknown>) => void) =>
          lines.map((l) => {
            const v = JSON.parse(l);
            if (v.t && match(v)) {
              change(v.r);
              return JSON.stringify(v);
            }
            return l;
          });
        try {
          // a measured value edited in the file: the record's content no longer matches its entry
          assert.is(
            await refusal(
              edit(
                (l) => l.t === 'measured_points' && l.r.record_id === 'rec-stall17-2026',
                (r) => (r.as_found = '15.000'),
              ),
            ),
            'content_changed',
          );
          // an entry's content hash replaced and every link after it recomputed (sha256 as the database does): the MACs give it away
          const ledgerRows = lines
            .map((l) => JSON.parse(l))
            .filter((v) => v.t === 'ledger')
            .map((v) => v.r as Record<string, string>);
          const at = ledgerRows.find((r) => r.entity_id === 'rec-stall17-2026')!;
          let prev = ledgerRows.find((r) => Number(r.seq) === Number(at.seq) - 1)?.hash ?? '0'.repeat(64);
          const rewritten = new Map<string, Record<string, string>>();
          for (const r of ledgerRows.filter((x) => Number(x.seq) >= Number(at.seq))) {
            const content = r.seq === at.seq ? 'f'.repeat(64) : r.content_hash!;
            const hash = createHash('sha256').update(`${r.seq}|${r.kind}|${r.entity_id}|${content}|${prev}`, 'utf8').digest('hex');
            rewritten.set(r.seq!, { ...r, content_hash: content, prev_hash: prev, hash });
            prev = hash;
          }
          const forged = lines.map((l) => {
            const v = JSON.parse(l);
            if (v.t === 'ledger' && rewritten.has(v.r.seq)) return JSON.stringify({ t: 'ledger', r: rewritten.get(v.r.seq) });
            if (v.end === true) return JSON.stringify({ ...v, ledgerHead: { seq: v.ledgerHead.seq, hash: prev } });
            return l;
          });
          assert.is(await refusal(forged), 'mac');
          // the newest entry (and its MAC) left out, the line count fixed: the trailer's head says otherwise
          const last = ledgerRows.at(-1)!;
          const shortened = lines.filter(
            (l) => !(l.includes('"t":"ledger"') && JSON.parse(l).r.seq === last.seq) && !(l.includes('"t":"ledger_macs"') && JSON.parse(l).r.seq === last.seq),
          );
          shortened[shortened.length - 1] = JSON.stringify({ ...JSON.parse(shortened.at(-1)!), lines: shortened.length });
          assert.match(await refusal(shortened), /never entered in the ledger|trailer names/);
          // the file's MACs under a key ring that does not hold their key
          const { testKeyRing } = await import('../helpers/ledger.ts');
          assert.is(await refusal(lines, { keys: testKeyRing(['other', 7]) }), 'mac');
          // no key at all: refused before reading
          assert.match(await refusal(lines, { keys: (await import('../../src/app/ledger.ts')).NO_LEDGER_KEYS }), /no ledger key/);
          // and the genuine file still imports
          assert.is((await importWithKeys(target.database.db, iterate(lines), { keepKeys: true })).ledger.valid, true);
        } finally {
          await target.drop();
        }
      }),
  );

  roundTrip("an export leaves the keys' secret hashes out unless asked; a restore revokes its keys unless told to keep them", () =>
    withApp(database, async ({ db, keyFor, access }) => {
      const token = await keyFor('lab', 'district-station');
      const secretHash = createHash('sha256')
        .update(/^mtk_[a-z0-9]{16}_(.+)$/.exec(token)![1]!, 'utf8')
        .digest('hex');
      const gone = (await access.issue({ role: 'auditor', organisationId: 'city-samr', label: 'revoked before the export' }, TEST_TODAY)).key.id;
      const revokedBefore = (await access.revoke(gone)).revokedAt;
      const keyRows = (lines: string[]) =>
        lines
          .map((l) => JSON.parse(l))
          .filter((l) => l.t === 'api_keys')
          .map((l) => l.r as Record<string, string | null>);
      const source = await createServices(db, () => 'x').ledger.verify();
      const restore = async (lines: string[], keepKeys: boolean, check: (target: Db, result: Awaited<ReturnType<typeof importRegistry>>) => Promise<void>) => {
        const target = await emptyDatabase(database.name);
        try {
          const result = await importWithKeys(target.database.db, iterate(lines), { keepKeys, revokedAt: '2026-11-25T08:00:00.000Z' });
          assert.equal([result.ledger.valid, result.ledger.head], [true, source.head], "the file's ledger verified as it was exported, keys or no keys");
          const restored = await createServices(target.database.db, () => 'x').ledger.verify();
          assert.equal(
            [restored.valid, restored.authenticated, restored.head.seq],
            [true, true, source.head.seq + result.keys.revoked],
            'then one signed entry per key the restore revoked',
          );
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
      assert.ok(
        rows.every((r) => /^withheld-from-export:[0-9a-f]{64}$/.test(r.secret_hash!) && r.secret_hash!.startsWith(`${WITHHELD_KEY_HASH}:`)),
        'no secret hash leaves by default',
      );
      assert.not.ok(plain.some((l) => l.includes(secretHash)));
      await restore(plain, false, async (target, result) => {
        assert.equal(result.keys, { revoked: rows.length - 1, alreadyRevoked: 1, kept: 0, keptWithoutHash: 0 });
        const auth = await authenticate(target);
        assert.not.ok(auth.ok);
        const keys = await createServices(target, () => 'x').access.listKeys();
        assert.ok(
          keys.every((k) => k.revokedAt !== null),
          'every key restored revoked',
        );
        assert.is(keys.find((k) => k.id === gone)!.revokedAt, revokedBefore, 'a key revoked in the export keeps its time');
      });
      // kept without hashes, a key would still never be accepted: no secret hashes to the placeholder
      assert.not.ok(keyMaterial.matches(/^mtk_[a-z0-9]{16}_(.+)$/.exec(token)![1]!, rows[0]!.secret_hash!));

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
    }),
  );

  roundTrip('a foreign, truncated or malformed file is refused with the line', () =>
    withApp(database, async ({ db }) => {
      const lines = await exportLines(db);
      const target = await emptyDatabase(database.name);
      const attempt = async (input: string[]) => {
        try {
          await importWithKeys(target.database.db, iterate(input));
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
        assert.match(
          await attempt([lines[0]!.replace('"version":3', '"version":4'), ...lines.slice(1)]),
          /export version 4; this release reads versions 1, 2, 3/,
        );
      } finally {
        await target.drop();
      }
    }),
  );

  roundTrip('a version 2 file (before supervision: no such tables) still imports', () =>
    withApp(database, async ({ db }) => {
      const lines = (await exportLines(db)).filter((l) => !/^\{"t":"(spot_check_plans|spot_check_closures|in_use_inspections|integrity_measures)"/.test(l));
      const header = JSON.parse(lines[0]!) as { version: number; tables: Array<{ name: string }> };
      header.version = 2;
      header.tables = header.tables.filter((t) => !['spot_check_plans', 'spot_check_closures', 'in_use_inspections', 'integrity_measures'].includes(t.name));
      const v2 = [JSON.stringify(header), ...lines.slice(1, -1), JSON.stringify({ ...JSON.parse(lines.at(-1)!), lines: lines.length })];
      const target = await emptyDatabase(database.name);
      try {
        const result = await importWithKeys(target.database.db, iterate(v2));
        assert.is(result.ledger.valid, true);
      } finally {
        await target.drop();
      }
    }),
  );

  roundTrip('a version 2 export (before the record document fields) still imports, and its ledger verifies', () =>
    withApp(database, async ({ db }) => {
      const current = await exportLines(db, 'export-test', 50, WITH_HASHES);
      assert.is(JSON.parse(current[0]!).version, 3);
      const NEW_COLUMNS: Record<string, string[]> = {
        calibration_records: ['verification_type', 'procedure', 'verifier', 'checker', 'approver', 'certificate_kind', 'label_no', 'seal_no', 'customer_name'],
        equipment: ['pattern_approval_no'],
      };
      // what release 2 wrote: the same rows without the columns of migration 0027 (and only the failed
      // verifications of then carried a validity, which the database still accepts from an import)
      const v2 = current.map((line, i) => {
        const v = JSON.parse(line);
        if (i === 0) return JSON.stringify({ ...v, version: 2 });
        const drop = NEW_COLUMNS[v.t as string];
        if (!drop) return line;
        // a release 2 database had no such values: drop the columns where they are empty (rows the demo
        // now fills keep them, as the ledger entries of those rows hash them)
        for (const c of drop) if (v.r[c] === null) delete v.r[c];
        if (v.t === 'calibration_records' && v.r.id === 'rec-stall09-2026') assert.is(v.r.valid_until, null);
        return JSON.stringify(v);
      });
      assert.ok(
        v2.some((l, i) => l !== current[i]),
        'the version 2 file differs',
      );
      const target = await emptyDatabase(database.name);
      try {
        const result = await importWithKeys(target.database.db, iterate(v2), { keepKeys: true });
        assert.equal([result.ledger.valid, result.appended], [true, 0]);
        assert.equal(
          body(await exportLines(target.database.db, 'export-test', 50, WITH_HASHES)),
          body(current),
          'restored, it exports as the current version would',
        );
        // a version this release does not know is refused
        let refused: unknown;
        try {
          await importWithKeys(target.database.db, iterate([JSON.stringify({ ...JSON.parse(current[0]!), version: 4 }), ...current.slice(1)]));
        } catch (e) {
          refused = e;
        }
        assert.match(String((refused as Error).message), /reads versions 1, 2, 3/);
      } finally {
        await target.drop();
      }
    }),
  );

  roundTrip.run();
}
