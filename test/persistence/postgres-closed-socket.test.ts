/**
 * postgres.js 3.4.x threw from a timer, ending the process, when a short write
 * found its connection closed (porsager/postgres#1208): the build guards the
 * installed package (scripts/patch-postgres.mjs). A reserved connection whose
 * backend is terminated is the upstream report's own reproduction; its
 * queries must be rejected with CONNECTION_CLOSED, and the process go on.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
// @ts-expect-error: a build script in plain JavaScript, without declarations
import { MARKER } from '../../scripts/patch-postgres.mjs';

const root = new URL('../../', import.meta.url).pathname;

test('npm install left the installed postgres.js guarded, in its ES module and CommonJS copies', () => {
  // read only: this test must not guard the package itself, or the next would prove nothing
  for (const file of ['node_modules/postgres/src/connection.js', 'node_modules/postgres/cjs/src/connection.js'])
    assert.ok(readFileSync(join(root, file), 'utf8').includes(MARKER), `${file} is not guarded: npm run build guards it`);
});

const REPRODUCTION = [
  "import postgres from 'postgres';",
  'const url = process.env.DATABASE_URL;',
  'const sql = postgres(url, { max: 2, onnotice: () => {} });',
  'const admin = postgres(url, { max: 1, onnotice: () => {} });',
  'const reserved = await sql.reserve();',
  "const [{ pid }] = await reserved.unsafe('select pg_backend_pid() as pid');",
  "await admin.unsafe('select pg_terminate_backend($1)', [pid]);",
  'await new Promise((r) => setTimeout(r, 200));',
  'try {',
  "  await reserved.unsafe('select 1 as n');",
  "  console.log('answered');",
  '} catch (e) {',
  "  console.log('rejected ' + e.code);",
  '}',
  // a long statement (1,024 bytes or more: written at once) in a transaction whose backend ended; then the pool, one connection, answers again
  'const pool = postgres(url, { max: 1, onnotice: () => {} });',
  'try {',
  '  await pool.begin(async (tx) => {',
  "    const [{ pid }] = await tx.unsafe('select pg_backend_pid() as pid');",
  "    await admin.unsafe('select pg_terminate_backend($1)', [pid]);",
  '    await new Promise((r) => setTimeout(r, 200));',
  "    await tx.unsafe('select 1 as n /*' + 'x'.repeat(1100) + '*/');",
  '  });',
  "  console.log('committed');",
  '} catch (e) {',
  "  console.log('rejected ' + e.code);",
  '}',
  'await new Promise((r) => setTimeout(r, 500));',
  'const [{ n }] = await pool`select 3 as n`;',
  "console.log('pool answered ' + n);",
  'await pool.end({ timeout: 1 });',
  'await admin.end();',
  'await sql.end({ timeout: 1 });',
  "console.log('went on');",
].join('\n');

test('a connection whose backend ended (reserved; in a transaction, a long statement): its queries are rejected, the pool answers again, the process goes on', () => {
  if (!process.env.DATABASE_URL) {
    console.log('  (needs the PostgreSQL server: DATABASE_URL, as npm run test:all has it)');
    return;
  }
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', REPRODUCTION], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  assert.is(res.stderr.includes("reading 'write'"), false, res.stderr);
  assert.is(res.status, 0, res.stderr);
  assert.equal(res.stdout.trim().split('\n'), ['rejected CONNECTION_CLOSED', 'rejected CONNECTION_CLOSED', 'pool answered 3', 'went on']);
});

test.run();
