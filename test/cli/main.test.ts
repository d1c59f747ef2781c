import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const run = (...args: string[]) => spawnSync(process.execPath, ['bin/metrotrace', ...args], { encoding: 'utf8', timeout: 30000 });

test('--help lists the subcommands and exits 0', () => {
  const res = run('--help');
  assert.is(res.status, 0, res.stderr);
  for (const name of ['serve', 'migrate', 'seed']) assert.match(res.stdout, new RegExp(`\\n  ${name}\\s`));
});

test('a subcommand explains its own options', () => {
  const res = run('seed', '--help');
  assert.is(res.status, 0);
  assert.match(res.stdout, /--file/);
});

test('an unknown command exits 2 and says so', () => {
  const res = run('frobnicate');
  assert.is(res.status, 2);
  assert.match(res.stderr, /unknown command 'frobnicate'/);
});

test.run();
