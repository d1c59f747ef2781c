import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const run = (args: string[], input?: string, timeout = 60000) =>
  spawnSync(process.execPath, ['bin/metrotrace', 'uncertainty', ...args], { encoding: 'utf8', input, timeout });

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

test('--jsonl on worker threads writes the same bytes, rejections and exit status as on one thread', () => {
  // more lines than two jobs (500 lines each), so that jobs may finish out of order across threads;
  // bad lines in several jobs (their numbers count the whole input), blank and \r\n-ended lines,
  // a model that takes the general lane and a seeded Monte Carlo spec
  const lines: string[] = [];
  for (let i = 0; i < 1100; i++) {
    if (i % 377 === 3) lines.push('not json');
    else if (i % 401 === 7) lines.push('');
    else if (i % 513 === 11) lines.push('{"model":"a","quantities":{"a":{"value":"1","u":0.1}}}');
    else if (i === 900)
      lines.push('{"model":"a*b","quantities":{"a":{"value":"2","u":"0.1"},"b":{"value":"3","u":"0.2"}},"method":"monte-carlo","trials":"1000","seed":"7"}');
    else if (i % 97 === 0)
      lines.push(
        `{"model":"sqrt(a)+b","quantities":{"a":{"value":"${i}.25","u":"0.5","dof":"${3 + (i % 40)}"},"b":{"value":"-1","halfWidth":"0.0${i % 9}1","distribution":"rectangular"}}}\r`,
      );
    else
      lines.push(
        `{"model":"a*2","quantities":{"a":{"value":"${i}.5","u":"0.${i % 7}1","dof":"${2 + (i % 30)}","unit":"mm"}},"coverage":{"probability":"0.99"}}`,
      );
  }
  const input = lines.join('\n');
  const one = run(['evaluate', '-', '--jsonl', '--threads', '1'], input, 180000);
  const three = run(['evaluate', '-', '--jsonl', '--threads', '3'], input, 180000);
  assert.is(one.status, 2, one.stderr);
  assert.is(three.status, 2, three.stderr);
  assert.is(three.stderr, one.stderr);
  const out = one.stdout.trim().split('\n');
  assert.is(out.length, lines.filter((l) => l.trim() !== '').length);
  const rejected = out.map((l) => JSON.parse(l)).flatMap((o) => (o.error ? [o.line] : []));
  const bad = lines.flatMap((l, i) => (l === 'not json' || l.includes('"u":0.1') ? [i + 1] : []));
  assert.equal(rejected, bad);
  assert.ok(Buffer.from(three.stdout, 'utf8').equals(Buffer.from(one.stdout, 'utf8')), 'the outputs differ');
});

test('--jsonl on worker threads into a pipe: every answer arrives, however the pipe holds the writer back', () => {
  // 30,000 answers (about 20 MB) are far more than a pipe holds, so writes are held back while
  // workers finish jobs: the reader must not wait for a 'drain' that already came (it did, and hung)
  const spec = JSON.stringify({ model: 'a*2', quantities: { a: { value: '1.5', u: '0.01', dof: '9', unit: 'mm' } } });
  const dir = mkdtempSync(join(tmpdir(), 'metrotrace-batch-'));
  const file = join(dir, 'specs.jsonl');
  writeFileSync(file, `${spec}\n`.repeat(30000));
  const res = spawnSync(process.execPath, ['bin/metrotrace', 'uncertainty', 'evaluate', file, '--jsonl', '--threads', '2'], {
    encoding: 'utf8',
    timeout: 60000,
    maxBuffer: 1 << 26,
  });
  rmSync(dir, { recursive: true, force: true });
  assert.is(res.error?.message, undefined, 'the batch did not end (a hang, killed by the timeout)');
  assert.is(res.status, 0, res.stderr);
  assert.is(res.stdout.trim().split('\n').length, 30000);
});

test('--threads takes a whole number', () => {
  const res = run(['evaluate', '-', '--jsonl', '--threads', '0'], '');
  assert.is(res.status, 2);
  assert.match(res.stderr, /--threads takes a whole number from 1 to 64/);
});

test.run();
