/**
 * `metrotrace lot`: a plan for a lot size with its risks; a published lot
 * sampling plan draws again to the same sample (exit 0), a changed member
 * list or seed is told (exit 3); usage errors exit 2. The rotation plan from
 * a fresh embedded database holding the demo; a lot's history from it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PublishedLotPlan } from '../../src/app/lots.ts';
import type { LotPlanRow } from '../../src/app/ports.ts';
import { drawLotSample, lotPopulation, populationDigestText, serialRange } from '../../src/core/sampling/lot.ts';
import { hmacSha256Hex, sha256Hex } from '../../src/runtime/digests.ts';
import { csvRecords } from '../../src/codecs/csv.ts';
import { cliServices, withDatabase } from '../../src/cli/db.ts';
import { readLot } from '../../src/codecs/lots.ts';

const dir = mkdtempSync(join(tmpdir(), 'metrotrace-lot-'));
const run = (...args: string[]) => spawnSync(process.execPath, ['bin/metrotrace', ...args], { encoding: 'utf8', timeout: 120_000 });

const members = serialRange('WM', 1, 300, 6, '/', 1000);
const seed = '2026-11-02 announced';
const sample = drawLotSample(members, seed, 50, hmacSha256Hex);
const plan = {
  id: 'p1',
  lotId: 'lot-1',
  plannedOn: '2026-11-02',
  seed,
  level: 'II',
  aql: '1.0',
  severity: 'normal',
  scheme: { state: 'normal', switchingScore: 0, reason: '', lotsInHistory: 0 },
  codeLetter: 'H',
  planLetter: 'H',
  tableSampleSize: 50,
  sampleSize: 50,
  acceptance: 1,
  rejection: 2,
  hundredPercent: false,
  populationHash: sha256Hex(populationDigestText(lotPopulation(members, 'city-market', '310104'))),
  sample,
  regulatorId: 'city-samr',
} as unknown as LotPlanRow;
const published: PublishedLotPlan = { lot: { id: 'lot-1', ownerId: 'city-market', region: '310104', size: 300 }, plan, members, howToRedraw: '' };
const write = (name: string, value: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
};

test('lot plan: 300 meters at level II, AQL 1.0 → H, 50, Ac 1, Re 2, with the risks', () => {
  const r = run('lot', 'plan', '--lot-size', '300', '--aql', '1.0', '--lq', '0.05', '--json');
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal([out.codeLetter, out.sampleSize, out.acceptance, out.rejection], ['H', 50, 1, 2]);
  assert.ok(Number(out.consumersRisk) > 0 && Number(out.consumersRisk) < 0.5);
  assert.is(run('lot', 'plan', '--lot-size', '300', '--aql', '0.7').status, 2);
});

test('lot plan --method variables: 500 meters, AQL 1.0 → I, n = 25, k = 1.85, with the risks of the noncentral t model', () => {
  const r = run('lot', 'plan', '--method', 'variables', '--lot-size', '500', '--aql', '1.0', '--lq', '0.05', '--json');
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal([out.codeLetter, out.sampleSize, out.k], ['I', 25, '1.85']);
  // Pa(1 %) = 0.92993872256632532…, Pa(5 %) = 0.29108750586887641… (mpmath; test/core/sampling/variables-oc.test.ts)
  assert.equal([out.producersRisk, out.consumersRisk], ['0.0700613', '0.291088']);
  assert.match(out.ocModel, /noncentral t/);
  const text = run('lot', 'plan', '--method', 'variables', '--lot-size', '500', '--aql', '1.0', '--lq', '0.05');
  assert.match(text.stdout, /producer's risk at the AQL: 0\.0700613; consumer's risk at LQ 0\.05: 0\.291088 \(normal model, one limit/);
  assert.is(run('lot', 'plan', '--method', 'variables', '--lot-size', '500', '--aql', '1.0', '--lq', '2').status, 2);
});

test('lot verify: the published sample draws again; a changed member list or seed does not', () => {
  try {
    let r = run('lot', 'verify', write('plan.json', published));
    assert.is(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /the same sample: 50 of the 300 members of lot lot-1/);
    r = run('lot', 'verify', write('changed.json', { ...published, members: members.slice(1) }), '--json');
    assert.is(r.status, 3, r.stderr);
    assert.match(JSON.parse(r.stdout).differences[0], /members were changed/);
    r = run('lot', 'verify', write('seed.json', { ...published, plan: { ...plan, seed: 'other' } }));
    assert.is(r.status, 3);
    r = run('lot', 'verify', write('bad.json', { plan }));
    assert.is(r.status, 2, r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lot rotation: the meters to replace by month and region, from the database', () => {
  const data = mkdtempSync(join(tmpdir(), 'metrotrace-lot-rotation-'));
  const env = { ...process.env, METROTRACE_DATA: join(data, 'data'), DATABASE_URL: '', METROTRACE_KEY: '' };
  const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/metrotrace', ...args], { encoding: 'utf8', timeout: 120_000, env });
  try {
    assert.is(cli('seed').status, 0);
    let r = cli('lot', 'rotation', '--from', '2026-11-25', '--months', '12', '--json');
    assert.is(r.status, 0, r.stderr);
    const plan = JSON.parse(r.stdout);
    // the demo's water meter ended its 72 months on 2026-03-01: due at once, in the mall's district since its transfer
    assert.equal(
      plan.items.map((i: { kind: string; id: string; rotateBy: string }) => [i.kind, i.id, i.rotateBy]),
      [['instrument', 'water-meter-0231', '2026-03-01']],
    );
    assert.equal(
      plan.rows.map((x: { month: string; regionCode: string; due: number; overdue: number }) => [x.month, x.regionCode, x.due, x.overdue]),
      [['2026-11', '310101', 1, 1]],
    );
    r = cli('lot', 'rotation', '--from', '2026-11-25', '--months', '12', '--region', '310104');
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, /^rotation plan 2026-11-25 to 2027-10-31: 0 meter\(s\) to replace/);
    assert.is(cli('lot', 'rotation', '--from', '2026-11-25').status, 2, 'the horizon is required');
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});

test("lot history: a lot's events with the state after each, as text, CSV or JSON, from the database", async () => {
  const data = mkdtempSync(join(tmpdir(), 'metrotrace-lot-history-'));
  const env = { ...process.env, METROTRACE_DATA: join(data, 'data'), DATABASE_URL: '', METROTRACE_KEY: '' };
  const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/metrotrace', ...args], { encoding: 'utf8', timeout: 120_000, env });
  const saved = { data: process.env.METROTRACE_DATA, url: process.env.DATABASE_URL };
  try {
    assert.is(cli('seed').status, 0);
    // a lot written as the HTTP API would (the CLI registers none): installed July 2020, its 72 months ended on 2026-06-30
    process.env.METROTRACE_DATA = env.METROTRACE_DATA;
    process.env.DATABASE_URL = '';
    await withDatabase((db) => {
      const { lots } = cliServices(db);
      return lots.register(
        { kind: 'key', keyId: 'cli-test', role: 'admin', organisationId: null },
        readLot(
          {
            id: 'wm-old',
            ownerId: 'city-market',
            category: 'MV004',
            model: 'LXS-20E',
            manufacturer: '宁波水表',
            installedFrom: '2020-07-01',
            installedTo: '2020-07-28',
            region: '310104',
            registeredOn: '2026-01-05',
            members: { serialRanges: [{ prefix: 'OL', from: 1, to: 50, width: 6 }] },
          },
          lots.newId,
        ),
      );
    });
    let r = cli('lot', 'history', 'wm-old', '--at', '2026-11-25');
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, /^lot wm-old: 50 meters of MV004 LXS-20E, installed 2020-07-01 to 2020-07-28, life to 2026-06-30; history through 2026-11-25/);
    assert.match(r.stdout, /2026-07-01 service life ended → to_rotate: the lot's service life ended on 2026-06-30/);
    r = cli('lot', 'history', 'wm-old', '--at', '2026-11-25', '--csv', '--lang', 'zh');
    assert.is(r.status, 0, r.stderr);
    assert.is(r.stdout.charCodeAt(0), '日'.charCodeAt(0), 'no byte-order mark for a pipeline');
    assert.equal(
      csvRecords(r.stdout).map((x) => [x['日期'], x['事件'], x['状态'], x['批量']]),
      [
        ['2026-01-05', 'registered', 'in_service', '50'],
        ['2026-07-01', 'life_ended', 'to_rotate', ''],
      ],
    );
    r = cli('lot', 'history', 'wm-old', '--at', '2026-06-30', '--json');
    assert.equal(
      JSON.parse(r.stdout).events.map((e: { kind: string }) => e.kind),
      ['registered'],
    );
    r = cli('lot', 'history', 'no-such-lot');
    assert.ok(r.status !== 0 && /no lot has id 'no-such-lot'/.test(r.stderr), r.stderr);
    assert.is(cli('lot', 'history', 'wm-old', '--csv', '--lang', 'fr').status, 2);
  } finally {
    if (saved.data === undefined) delete process.env.METROTRACE_DATA;
    else process.env.METROTRACE_DATA = saved.data;
    if (saved.url === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved.url;
    rmSync(data, { recursive: true, force: true });
  }
});

test.run();
