import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const run = (args: string[], input?: string) =>
  spawnSync(process.execPath, ['bin/metrotrace', 'uncertainty', ...args], { encoding: 'utf8', input, timeout: 60000 });

test('evaluate FILE prints the result JSON', () => {
  const res = run(['evaluate', 'fixtures/gum/h1-end-gauge.json']);
  assert.is(res.status, 0, res.stderr);
  assert.is(JSON.parse(res.stdout).outputs.l.reported, 'l = (50.000838 ± 0.000093) mm, k = 2.92, p ≈ 99 %');
});

test('--report prints a budget table', () => {
  const res = run(['evaluate', 'fixtures/gum/h1-end-gauge.json', '--report']);
  assert.is(res.status, 0, res.stderr);
  assert.match(res.stdout, /l_s\s+50\.000623/);
  assert.match(res.stdout, /ν_eff = 16\.66/);
});

test('a bad spec exits 2 with the coded error on stderr', () => {
  const res = run(['evaluate', '-'], '{"model":"a","quantities":{"a":{"value":"1","u":0.1}}}');
  assert.is(res.status, 2);
  assert.equal(JSON.parse(res.stderr.trim().split('\n')[0]!), {
    code: 'JSON_NUMBER',
    path: '/quantities/a/u',
    message: 'send this decimal as a string ("0.1"), not as a JSON number, so that no binary rounding happens',
  });
});

test('--jsonl streams one result per line and reports bad lines without stopping', () => {
  const lines = ['{"model":"a*2","quantities":{"a":{"value":"1","u":"0.1"}}}', 'not json', '{"model":"a","quantities":{"a":{"value":"3","u":"0.2"}}}'].join(
    '\n',
  );
  const res = run(['evaluate', '-', '--jsonl'], lines);
  assert.is(res.status, 2);
  const out = res.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.is(out.length, 3);
  assert.is(out[0].outputs.y.standardUncertainty, '0.2');
  assert.equal(out[1], { line: 2, error: { code: 'INVALID_JSON', path: '', message: out[1].error.message } });
  assert.is(out[2].outputs.y.value, '3');
});

test.run();
