/**
 * The demo keys file (issue 16, item 8): never overwritten, and with a
 * PostgreSQL server written apart from the embedded database's directory.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AccessService } from '../../src/app/access.ts';
import { issueDemoKeys, startServer } from '../../src/main/server.ts';
import { freshServerDatabase } from '../helpers/fresh.ts';

const OTHER_KEYS = '# metrotrace demo API keys of another database\nexport METROTRACE_ADMIN_KEY=mtk_aaaaaaaaaaaaaaaa_keep-me\n';

/** Runs `work` in a fresh temporary directory as the working directory, with a data directory that already holds a keys file. */
async function inScratch(work: (dir: string, data: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'metrotrace-demo-keys-'));
  const data = join(dir, 'data');
  mkdirSync(data);
  writeFileSync(join(data, 'demo-keys.env'), OTHER_KEYS, { mode: 0o600 });
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    await work(dir, data);
  } finally {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
}

const stubAccess = { issue: async (req: { role: string }) => ({ token: `mtk_${req.role.padEnd(16, 'x')}_secret` }) } as unknown as AccessService;

async function canList(url: string, keysFile: string): Promise<number> {
  const admin = /METROTRACE_ADMIN_KEY=(\S+)/.exec(readFileSync(keysFile, 'utf8'))![1]!;
  return (await fetch(`${url}/v1/organisations`, { headers: { authorization: `Bearer ${admin}` } })).status;
}

test('embedded database: an existing demo-keys.env is kept, the new keys go to demo-keys-2.env (0600)', () =>
  inScratch(async (_dir, data) => {
    const server = await startServer({ METROTRACE_DATA: data, PORT: '0', HOST: '127.0.0.1', LOG: '0' });
    try {
      assert.is(readFileSync(join(data, 'demo-keys.env'), 'utf8'), OTHER_KEYS, 'the existing file is untouched');
      const written = join(data, 'demo-keys-2.env');
      assert.match(readFileSync(written, 'utf8'), /export METROTRACE_AUDITOR_KEY=mtk_/);
      assert.is(statSync(written).mode & 0o777, 0o600);
      assert.is(await canList(server.url, written), 200, 'the keys written are the ones issued');
    } finally {
      await server.close();
    }
  }));

test('PostgreSQL server: the keys go to ./demo-keys/<host>-<port>-<database>.env, never into the data directory, never over another file', () =>
  inScratch(async (dir, data) => {
    const config = { dataDir: join(data, 'unused'), databaseUrl: 'postgres://app:s3cret@db.example:5433/registry' };
    const first = await issueDemoKeys(stubAccess, config);
    assert.is(first, join(dir, 'demo-keys', 'db.example-5433-registry.env'));
    assert.not.ok(existsSync(config.dataDir), 'the data directory is not created');
    const text = readFileSync(first, 'utf8');
    assert.match(text, /# for the database registry on the PostgreSQL server db\.example:5433\n/);
    assert.match(text, /export METROTRACE_ADMIN_KEY=mtk_adminxxxxxxxxxxx_secret/);
    assert.not.match(text, /s3cret|app@/, 'no credentials of the URL');
    assert.is(statSync(first).mode & 0o777, 0o600);
    assert.is(statSync(join(dir, 'demo-keys')).mode & 0o777, 0o700);
    const second = await issueDemoKeys(stubAccess, config);
    assert.is(second, join(dir, 'demo-keys', 'db.example-5433-registry-2.env'));
    assert.is(readFileSync(first, 'utf8'), text, 'the first file is not overwritten');
    assert.is(
      await issueDemoKeys(stubAccess, { dataDir: data, databaseUrl: undefined }),
      join(data, 'demo-keys-2.env'),
      'embedded: beside the database, next free name',
    );
  }));

if (process.env.DATABASE_URL) {
  test('PostgreSQL server (DATABASE_URL): starting with demo data leaves ./data and its keys file alone', () =>
    inScratch(async (dir, data) => {
      const db = await freshServerDatabase();
      try {
        const server = await startServer({ DATABASE_URL: db.url, METROTRACE_DATA: data, PORT: '0', HOST: '127.0.0.1', LOG: '0' });
        try {
          assert.is(readFileSync(join(data, 'demo-keys.env'), 'utf8'), OTHER_KEYS);
          const url = new URL(db.url);
          const written = join(dir, 'demo-keys', `${url.hostname}-${url.port || '5432'}-${url.pathname.slice(1)}.env`);
          assert.is(await canList(server.url, written), 200);
        } finally {
          await server.close();
        }
      } finally {
        await db.drop();
      }
    }));
}

test.run();
