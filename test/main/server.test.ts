/**
 * main/server.ts's parts that run beside the API: the periodic ledger anchor
 * (taken only when the head moved, failures logged and never fatal), the year
 * partition keeper, the demo keys written once, never over a file, and (on
 * the PostgreSQL server) the watch that tells the label answers kept of
 * another process's write.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { LedgerService } from '../../src/app/ledger.ts';
import type { Anchor } from '../../src/core/ledger/chain.ts';
import { anchorPeriodically, issueDemoKeys, keepPartitions, loggedWatch, startServer } from '../../src/main/server.ts';
import type { Db } from '../../src/persistence/db.ts';
import { withDemoServices } from '../helpers/app-services.ts';
import { testDatabases } from '../helpers/db.ts';
import { memoryAnchorLog } from '../helpers/ledger.ts';
import { freshServerDatabase } from '../helpers/fresh.ts';
import postgres from 'postgres';

/** Runs `work` with console.error captured. */
async function quietly<T>(work: (said: string[]) => Promise<T>): Promise<T> {
  const said: string[] = [];
  const error = console.error;
  console.error = (...args: unknown[]) => void said.push(args.join(' '));
  try {
    return await work(said);
  } finally {
    console.error = error;
  }
}

const until = async (done: () => boolean) => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
};

const it = suite('main/server: beside the API');

it('the anchor: from the latest seq in the log, again only after the head moved; a failure is logged and the next tick tries again', () =>
  quietly(async (said) => {
    const anchor = (seq: number): Anchor => ({ seq, hash: `h${seq}`, at: '2026-11-25T00:00:00Z', keyId: 'test-1', mac: 'm' });
    const log = memoryAnchorLog([anchor(5)]);
    const asked: number[] = [];
    const heads = [7, 7, -1, 9];
    const ledger = {
      anchorIfMoved: async (last: number) => {
        asked.push(last);
        const head = heads.shift();
        if (head === undefined) return null;
        if (head === -1) throw new Error('database gone');
        return head > last ? anchor(head) : null;
      },
    } as unknown as LedgerService;
    const keeper = anchorPeriodically(ledger, log, 5);
    await until(() => asked.length >= 5);
    keeper.stop();
    assert.equal(asked.slice(0, 5), [5, 7, 7, 7, 9]);
    assert.ok(said.some((m) => m === `metrotrace: anchored ledger head 7 h7 in memory`));
    assert.ok(said.some((m) => m === 'metrotrace: could not anchor the ledger head: database gone'));
  }));

it('the partition keeper: ready once the first pass ran; a failure is logged, never thrown', () =>
  quietly(async (said) => {
    const broken = { execute: async () => Promise.reject(new Error('no connection')) } as unknown as Db;
    const keeper = keepPartitions(broken, 60_000);
    await keeper.ready;
    keeper.stop();
    assert.ok(
      said.some((m) => m.startsWith('metrotrace: could not make the year partitions:')),
      said.join('\n'),
    );
  }));

it('the watch logged: each loss of the notifications, and each return after one; the first start is not news; everything passed on', () => {
  const told: string[] = [];
  const said: string[] = [];
  const w = loggedWatch({ changed: () => told.push('changed'), watching: (up) => told.push(up ? 'up' : 'down') }, (m) => said.push(m));
  w.watching(true);
  w.changed();
  w.watching(true);
  assert.equal(said, []);
  w.watching(false);
  w.watching(false);
  w.watching(true);
  assert.equal(told, ['up', 'changed', 'up', 'down', 'down', 'up']);
  assert.is(said.length, 2);
  assert.match(said[0]!, /^lost the database notifications/);
  assert.match(said[1]!, /are back/);
});

if (process.env.DATABASE_URL)
  it("on the PostgreSQL server: the server listens for changes on a connection of its own, and a scan shows another process's write within seconds", async () => {
    const db = await freshServerDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'metrotrace-server-watch-'));
    const data = join(dir, 'data'); // its ledger's files go beside it, in dir too
    const admin = postgres(db.url, { max: 1, onnotice: () => {} });
    // the demo keys of a server database go to ./demo-keys/ under the working directory: dir's
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      await quietly(async () => {
        const server = await startServer({ DATABASE_URL: db.url, METROTRACE_DATA: data, PORT: '0', HOST: '127.0.0.1', LOG: '0' });
        try {
          const state = async () => {
            const res = await fetch(`${server.url}/v1/label?certificateNo=XH-JD2026-00317&at=2027-01-01`);
            assert.is(res.status, 200);
            return ((await res.json()) as { state: string }).state;
          };
          assert.is(await state(), 'in_force');
          assert.is(await state(), 'in_force');
          const watching = await admin.unsafe(
            `select count(*)::int as n from pg_stat_activity where application_name = 'metrotrace status facts' and datname = current_database()`,
          );
          assert.is(watching[0]!.n, 1, 'one listening connection');
          // another process opens the scales' due-soon window 90 days before the due date (2027-03-11): due soon on 2027-01-01
          await admin.unsafe(
            `insert into verification_policies (id, regulator_id, region_code, category, due_soon_days, valid_from, valid_until) values ('p-other', 'city-samr', '310000', 'MV016', 90, '2027-01-01', '2027-12-31')`,
          );
          let now = await state();
          for (let i = 0; i < 100 && now !== 'due_soon'; i++) {
            await new Promise((r) => setTimeout(r, 50));
            now = await state();
          }
          assert.is(now, 'due_soon');
        } finally {
          await server.close();
        }
      });
      const after = await admin.unsafe(
        `select count(*)::int as n from pg_stat_activity where application_name = 'metrotrace status facts' and datname = current_database()`,
      );
      assert.is(after[0]!.n, 0, 'closed with the server');
    } finally {
      process.chdir(cwd);
      await admin.end();
      rmSync(dir, { recursive: true, force: true });
      await db.drop();
    }
  });

it.run();

for (const database of testDatabases()) {
  const keys = suite(`main/server: demo keys on ${database.name}`);

  keys(
    "one key per role, written owner-readable beside the embedded database; a second issue never overwrites the first file; a server's file is named after it, without the password",
    () =>
      withDemoServices(database, async ({ access }) => {
        const dir = mkdtempSync(join(tmpdir(), 'metrotrace-demo-keys-'));
        const cwd = process.cwd();
        try {
          const first = await issueDemoKeys(access, { dataDir: dir, databaseUrl: undefined });
          assert.is(first, join(dir, 'demo-keys.env'));
          const text = readFileSync(first, 'utf8');
          assert.equal(
            [...text.matchAll(/^export (METROTRACE_\w+_KEY)=\S+$/gm)].map((m) => m[1]),
            ['METROTRACE_ADMIN_KEY', 'METROTRACE_LAB_KEY', 'METROTRACE_OWNER_KEY', 'METROTRACE_INSPECTOR_KEY', 'METROTRACE_AUDITOR_KEY'],
          );
          assert.is(statSync(first).mode & 0o777, 0o600);
          const second = await issueDemoKeys(access, { dataDir: dir, databaseUrl: undefined });
          assert.is(second, join(dir, 'demo-keys-2.env'));
          assert.is(readFileSync(first, 'utf8'), text, 'the first file untouched');
          const token = /METROTRACE_LAB_KEY=(\S+)/.exec(text)![1]!;
          const auth = await access.authenticate(token, '2026-11-25' as never);
          assert.ok(auth.ok);
          if (auth.ok)
            assert.equal(auth.caller, {
              kind: 'key',
              keyId: auth.caller.kind === 'key' ? auth.caller.keyId : '',
              role: 'lab',
              organisationId: 'district-station',
            });

          process.chdir(dir);
          const server = await issueDemoKeys(access, { dataDir: join(dir, 'unused'), databaseUrl: 'postgres://metro:s3cret@db.example:5433/registry' });
          assert.is(server, join(dir, 'demo-keys', 'db.example-5433-registry.env'));
          const serverText = readFileSync(server, 'utf8');
          assert.match(serverText, /# for the database registry on the PostgreSQL server db\.example:5433/);
          assert.not.ok(serverText.includes('s3cret'));
        } finally {
          process.chdir(cwd);
          rmSync(dir, { recursive: true, force: true });
        }
      }),
  );

  keys.run();
}
