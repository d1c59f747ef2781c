import { createHash, createHmac } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDate } from '../../../src/core/dates.ts';
import { Decimal } from '../../../src/core/numeric/decimal.ts';
import {
  compareDraws,
  drawSpotCheck,
  populationDigestText,
  unitKey,
  type DrawRules,
  type DrawUnit,
  type Grade,
  type Inspector,
} from '../../../src/core/supervision/draw.ts';

const hmac = (key: string, message: string): string => createHmac('sha256', key).update(message).digest('hex');
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const rules: DrawRules = {
  seed: '2026-12-01 上证综指收盘 3421.57',
  drawDate: parseDate('2026-12-01', '/drawDate'),
  weights: { A: 1, B: 2, C: 3, D: 4, ungraded: 2 },
  sample: { size: 5 },
  inspectorsPerTarget: 2,
  coolingOffMonths: 12,
};

function population(n: number, grades: readonly (Grade | null)[] = ['A', 'B', 'C', 'D', null]): DrawUnit[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `eq-${String(i).padStart(6, '0')}`,
    stratum: i % 2 === 0 ? '310101' : '310104',
    grade: grades[i % grades.length]!,
    organisationId: `org-${i % 37}`,
    region: i % 2 === 0 ? '310101' : '310104',
  }));
}

const pool: Inspector[] = [
  { id: 'insp-1', regions: ['310101'], conflicts: ['org-0'] },
  { id: 'insp-2', regions: ['310101', '310104'], conflicts: [] },
  { id: 'insp-3', regions: ['310104'], conflicts: ['org-3', 'org-5'] },
  { id: 'insp-4', regions: [], conflicts: [] },
  { id: 'insp-5', regions: ['310101'], conflicts: [] },
  { id: 'insp-6', regions: ['310104'], conflicts: [] },
];

function draw(units: DrawUnit[], r: DrawRules = rules, inspectors: Inspector[] = pool) {
  return drawSpotCheck({ rules: r, population: units, populationHash: sha256(populationDigestText(units)), inspectors, pastInspections: [], hmac });
}

test('a published plan re-draws to the same targets and inspectors, whatever order the population comes in', () => {
  const units = population(400);
  const first = draw(units);
  const again = draw([...units].reverse());
  assert.equal(again, first);
  assert.equal(compareDraws(first, again), []);
  assert.is(first.targets.length, 10);
  assert.equal(
    first.strata.map((s) => [s.stratum, s.size, s.drawn]),
    [
      ['310101', 200, 5],
      ['310104', 200, 5],
    ],
  );
});

test('another seed draws other targets; a changed population is told by its hash', () => {
  const units = population(400);
  const first = draw(units);
  assert.not.equal(
    draw(units, { ...rules, seed: 'another announced string' }).targets.map((t) => t.unitId),
    first.targets.map((t) => t.unitId),
  );
  const changed = units.map((u, i) => (i === 7 ? { ...u, grade: 'A' as const } : u));
  const differences = compareDraws(first, draw(changed));
  assert.ok(differences[0]!.includes('the population was changed'), differences.join('\n'));
  const shrunk = units.filter((u) => u.id !== first.targets[0]!.unitId);
  assert.ok(compareDraws(first, draw(shrunk)).some((d) => d.startsWith('target 1:')));
});

test('no inspector is sent where they have a conflict, cover no region, or inspected the organisation in the cooling-off months', () => {
  const units = population(400);
  const past = [
    { inspectorId: 'insp-4', organisationId: 'org-2', on: parseDate('2026-03-01', '/') },
    { inspectorId: 'insp-4', organisationId: 'org-4', on: parseDate('2025-11-30', '/') },
  ];
  const result = drawSpotCheck({
    rules: { ...rules, sample: { size: 40 } },
    population: units,
    populationHash: 'x',
    inspectors: pool,
    pastInspections: past,
    hmac,
  });
  for (const t of result.targets) {
    assert.is(new Set(t.inspectors).size, t.inspectors.length);
    for (const id of t.inspectors) {
      const i = pool.find((p) => p.id === id)!;
      assert.ok(i.regions.length === 0 || i.regions.includes(t.region), `${id} covers ${t.region}`);
      assert.not.ok(i.conflicts.includes(t.organisationId), `${id} conflicts with ${t.organisationId}`);
      assert.not.ok(id === 'insp-4' && t.organisationId === 'org-2', 'cooling off');
    }
  }
  // an inspection more than 12 months before the draw no longer keeps insp-4 away from org-4
  assert.ok(result.targets.every((t) => t.unassigned === null));
});

test('inspectors are drawn at random but their load is balanced', () => {
  const units = population(1000, [null]).map((u) => ({ ...u, region: '310101', stratum: '' }));
  const inspectors = Array.from({ length: 7 }, (_, i) => ({ id: `i${i}`, regions: [], conflicts: [] }));
  const result = draw(units, { ...rules, sample: { size: 70 } }, inspectors);
  const loads = Object.values(result.load);
  assert.is(
    loads.reduce((a, b) => a + b, 0),
    140,
  );
  assert.ok(Math.max(...loads) - Math.min(...loads) <= 1, `loads ${loads.join(',')}`);
  // who goes with whom is not fixed: more than a few distinct pairs
  assert.ok(new Set(result.targets.map((t) => t.inspectors.join('+'))).size > 10);
});

test('an inspector’s region covers the districts it prefixes: a city code reaches its districts, a district code only itself', () => {
  const units = [{ id: 'eq-1', stratum: '', grade: null, organisationId: 'org-1', region: '310104' }];
  const pool = [
    { id: 'city', regions: ['310000'], conflicts: [] },
    { id: 'prefix', regions: ['31'], conflicts: [] },
    { id: 'other-district', regions: ['310101'], conflicts: [] },
  ];
  const result = draw(units, { ...rules, sample: { size: 1 } }, pool);
  assert.equal([...result.targets[0]!.inspectors].sort(), ['city', 'prefix']);
});

test('a target with too few eligible inspectors is reported unassigned with the reason', () => {
  const units = [{ id: 'eq-1', stratum: '', grade: null, organisationId: 'org-0', region: '310101' }];
  const result = draw(units, { ...rules, sample: { size: 1 } }, [pool[0]!, pool[2]!]);
  assert.equal(result.targets[0]!.inspectors, []);
  assert.match(result.targets[0]!.unassigned!, /0 of 2 inspectors cover region 310101/);
});

test('rates round up and never exceed the stratum; a stratum can have its own sample', () => {
  const units = population(101);
  const result = draw(units, { ...rules, sample: { rate: new Decimal('0.1') }, strata: { '310104': { size: 500 } } });
  assert.equal(
    result.strata.map((s) => [s.stratum, s.size, s.drawn]),
    [
      ['310101', 51, 6],
      ['310104', 50, 50],
    ],
  );
});

test('a D-grade unit is drawn about weight-times as often as an A-grade one (large generated population)', () => {
  const n = 20_000;
  const units: DrawUnit[] = [];
  for (let i = 0; i < 2 * n; i++) units.push({ id: `u${i}`, stratum: '', grade: i < n ? 'A' : 'D', organisationId: `o${i}`, region: '310101' });
  const sample = 2000;
  const result = drawSpotCheck({
    rules: { ...rules, sample: { size: sample } },
    population: units,
    populationHash: 'x',
    inspectors: [],
    pastInspections: [],
    hmac,
  });
  const { A, D } = result.strata[0]!.byGrade;
  assert.is(A.drawn + D.drawn, sample);
  // expected: keys are U^(1/w); the threshold t solves n(1 - t) + n(1 - t^4) = sample
  let lo = 0;
  let hi = 1;
  for (let k = 0; k < 100; k++) {
    const t = (lo + hi) / 2;
    if (n * (1 - t) + n * (1 - t ** 4) > sample) lo = t;
    else hi = t;
  }
  const pA = 1 - lo;
  const expectedA = n * pA;
  const sd = Math.sqrt(n * pA * (1 - pA));
  assert.ok(Math.abs(A.drawn - expectedA) < 4 * sd, `A drawn ${A.drawn}, expected ${expectedA.toFixed(0)} ± ${(4 * sd).toFixed(0)}`);
  assert.ok(D.drawn / A.drawn > 3 && D.drawn / A.drawn < 5, `D/A ${D.drawn / A.drawn}`);
});

test('test vector for third-party implementations: HMAC-SHA-256 counter blocks and keys', () => {
  // the first block of target|eq-000001 under the seed above, and the keys of weights 1, 4 and 5
  const block0 = hmac(rules.seed, 'target|eq-000001|0');
  assert.is(unitKey(hmac, rules.seed, 'eq-000001', 1), block0.slice(0, 16));
  const four = [0, 1, 2, 3]
    .map((j) => block0.slice(16 * j, 16 * j + 16))
    .sort()
    .at(-1);
  assert.is(unitKey(hmac, rules.seed, 'eq-000001', 4), four);
  const block1 = hmac(rules.seed, 'target|eq-000001|1').slice(0, 16);
  assert.is(unitKey(hmac, rules.seed, 'eq-000001', 5), [four!, block1].sort().at(-1));
  // pinned, so that a change of the algorithm cannot pass unnoticed (docs/spot-checks.md quotes them)
  assert.is(unitKey(hmac, rules.seed, 'eq-000001', 1), '7e2d2821642d9e63');
  assert.is(unitKey(hmac, rules.seed, 'eq-000001', 4), 'e6dd268883edaaaa');
});

test('weights must be whole numbers from 1 to 64; a unit listed twice is refused', () => {
  assert.throws(() => draw(population(10), { ...rules, weights: { ...rules.weights, D: 0 } }), /weight of grade D/);
  assert.throws(() => draw(population(10), { ...rules, weights: { ...rules.weights, A: 1.5 } }), /weight of grade A/);
  const units = population(3);
  assert.throws(() => populationDigestText([...units, units[1]!]), /appears twice/);
});

test.run();
