/**
 * `metrotrace event` end to end on a fresh embedded database holding the demo:
 * a renewed 计量标准考核证书 (the README's walk-through), written in the name
 * of the lab's key and refused without one or under another organisation's
 * key; the standard as it was on each day.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const dir = mkdtempSync(join(tmpdir(), 'metrotrace-event-'));
const env = { ...process.env, METROTRACE_DATA: join(dir, 'data'), DATABASE_URL: '', METROTRACE_KEY: '' };
const run = (...args: string[]) => spawnSync(process.execPath, ['bin/metrotrace', ...args], { encoding: 'utf8', timeout: 120_000, env });

test('a renewal recorded from the command line, in the lab key’s name only, changes the standard from its effective date', () => {
  try {
    // seed into a new data directory: a copy of the demo prepared at build time, its ledger sealed under this directory's key
    const seeded = run('seed');
    assert.is(seeded.status, 0, seeded.stderr);
    const demo = JSON.parse(readFileSync('fixtures/demo/registry.json', 'utf8')) as Record<string, unknown[]>;
    const summary = JSON.parse(seeded.stdout) as Record<string, number>;
    for (const [part, items] of Object.entries(demo)) if (Array.isArray(items)) assert.is(summary[part], items.length, part);
    assert.match(seeded.stderr, /sealed ledger entries 1–\d+, written without a ledger key/);
    const key = (role: string, org: string) => {
      const r = run('keys', 'create', '--role', role, '--org', org, '--label', `${role} test`, '--json');
      assert.is(r.status, 0, r.stderr);
      return JSON.parse(r.stdout).token as string;
    };
    const lab = key('lab', 'district-station');
    const market = key('owner', 'city-market');

    let state = JSON.parse(run('event', 'state', 'district-f1-set', '--at', '2026-11-30').stdout);
    assert.equal(state.equipment.assessment.validUntil, '2026-11-24', 'the demo certificate [2021]沪徐量标证字第0014号 ran out on 2026-11-24');

    const renew = [
      'event',
      'record',
      'district-f1-set',
      'assessment_renewed',
      '--on',
      '2026-11-30',
      '--certificate-no',
      '[2026]沪徐量标证字第0031号',
      '--valid-from',
      '2026-11-30',
      '--valid-until',
      '2031-11-29',
    ];
    let r = run(...renew);
    assert.is(r.status, 2, 'no key, no event');
    assert.match(r.stderr, /"code":"MISSING_FIELD","path":"--key"/);
    r = run(...renew, '--key', market);
    assert.is(r.status, 2);
    assert.match(r.stderr, /"code":"FORBIDDEN"/);
    r = run(...renew, '--key', lab);
    assert.is(r.status, 0, r.stderr);
    assert.is(JSON.parse(r.stdout).assessment.certificateNo, '[2026]沪徐量标证字第0031号');

    state = JSON.parse(run('event', 'state', 'district-f1-set', '--at', '2026-11-30').stdout);
    assert.equal([state.equipment.assessment.certificateNo, state.equipment.assessment.validUntil], ['[2026]沪徐量标证字第0031号', '2031-11-29']);
    state = JSON.parse(run('event', 'state', 'district-f1-set', '--at', '2026-11-29').stdout);
    assert.is(state.equipment.assessment.certificateNo, '[2021]沪徐量标证字第0014号', 'the day before, the old certificate');
    const list = run('event', 'list', 'scale-stall-09');
    assert.match(list.stdout, /^2026-10-08\tscrapped\t\t/m, 'the demo’s own events are listed');
    // the prepared demo's entries, sealed on the first open, and the events appended since all check
    const ledger = run('verify-ledger');
    assert.is(ledger.status, 0, ledger.stdout + ledger.stderr);
    assert.match(ledger.stdout, /All \d+ entries check\. Every MAC was checked/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
