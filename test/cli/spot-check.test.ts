/**
 * `metrotrace spot-check verify`: a published plan draws again to the same
 * targets and inspectors (exit 0); a population changed after publication,
 * or a target swapped, is told (exit 3); a file that is not a plan, exit 2.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PublishedPlan } from '../../src/app/supervision.ts';
import { parseDate } from '../../src/core/dates.ts';
import { drawSpotCheck, populationDigestText, type DrawUnit } from '../../src/core/supervision/draw.ts';
import { hmacSha256Hex, sha256Hex } from '../../src/runtime/digests.ts';

const dir = mkdtempSync(join(tmpdir(), 'metrotrace-spot-check-'));
const run = (...args: string[]) => spawnSync(process.execPath, ['bin/metrotrace', ...args], { encoding: 'utf8', timeout: 120_000 });

const population: DrawUnit[] = Array.from({ length: 300 }, (_, i) => ({
  id: `eq-${i}`,
  stratum: '',
  grade: (['A', 'B', 'C', 'D', null] as const)[i % 5]!,
  organisationId: `org-${i % 40}`,
  region: '310104',
}));
const rules = {
  filter: { region: '310104', organisationKinds: [], category: null, usage: null },
  stratifyBy: 'none' as const,
  weights: { A: 1, B: 2, C: 3, D: 4, ungraded: 2 },
  sample: { size: 12 },
  strata: {},
  inspectorsPerTarget: 2,
  coolingOffMonths: 12,
};
const inspectors = [
  { id: 'i1', regions: [], conflicts: ['org-3'] },
  { id: 'i2', regions: ['310104'], conflicts: [] },
  { id: 'i3', regions: [], conflicts: [] },
];
const seed = '2026-11-25 announced draw string';
const populationHash = sha256Hex(populationDigestText(population));
const result = drawSpotCheck({
  rules: { seed, drawDate: parseDate('2026-11-25', '/'), weights: rules.weights, sample: rules.sample, inspectorsPerTarget: 2, coolingOffMonths: 12 },
  population,
  populationHash,
  inspectors,
  pastInspections: [],
  hmac: hmacSha256Hex,
});
const plan: PublishedPlan = {
  id: 'p1',
  regulatorId: 'city-samr',
  title: 't',
  unit: 'instrument',
  drawDate: parseDate('2026-11-25', '/'),
  seed,
  rules,
  inspectors,
  pastInspections: [],
  population,
  populationHash,
  result,
};

const write = (name: string, value: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
};

test('a published plan verifies; a changed population or a swapped target does not', () => {
  try {
    let r = run('spot-check', 'verify', write('plan.json', plan));
    assert.is(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, new RegExp(`the same draw: 12 targets .* population of 300 whose SHA-256 is ${populationHash}`));

    r = run('spot-check', 'verify', write('changed.json', { ...plan, population: population.map((u, i) => (i === 6 ? { ...u, grade: 'D' } : u)) }), '--json');
    assert.is(r.status, 3, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.is(out.same, false);
    assert.match(out.differences[0], /the population was changed/);

    const swapped = { ...plan, result: { ...result, targets: [{ ...result.targets[0]!, unitId: 'eq-299' }, ...result.targets.slice(1)] } };
    r = run('spot-check', 'verify', write('swapped.json', swapped));
    assert.is(r.status, 3);
    assert.match(r.stdout, /target 1: published eq-299, re-drawn eq-/);

    r = run('spot-check', 'verify', write('not-a-plan.json', { hello: 1 }));
    assert.is(r.status, 2);
    assert.match(r.stderr, /MISSING_FIELD/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
