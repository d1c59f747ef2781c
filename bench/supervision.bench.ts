/**
 * Supervision at scale (issue #20):
 *   S1 a double-random draw over 1,000,000 instruments of 100,000
 *      organisations (population digest and hash, keys by HMAC-SHA-256 with
 *      grade weights, 1,000 targets over 16 strata, two inspectors each from a
 *      pool of 200 with conflicts), against a plain scan of the same units
 *      (one SHA-256 per unit, the cost of touching each unit once with a hash);
 *   S2 grading 100,000 organisations of a region from their facts under the
 *      rule table, against a plain scan of the same facts (summing them).
 * Both in memory: what the server adds is the population query (a scan of the
 * equipment table) and, for grades, the due list, measured in the
 * verification suite. METROTRACE_BENCH_UNITS scales S1.
 */
import { createHash } from 'node:crypto';
import { parseDate } from '../src/core/dates.ts';
import { drawSpotCheck, type DrawUnit, type Grade, populationDigestText } from '../src/core/supervision/draw.ts';
import { gradeOf, INTEGRITY_RULES, type IntegrityFacts } from '../src/core/supervision/integrity.ts';
import { Decimal } from '../src/core/numeric/decimal.ts';
import { hmacSha256Hex, sha256Hex } from '../src/runtime/digests.ts';
import { time, type Row } from './lib.ts';

export let notes = '';

export function runSupervisionBenchmarks(): Row[] {
  const units = Number(process.env.METROTRACE_BENCH_UNITS ?? 1_000_000);
  const orgs = Math.max(1, Math.floor(units / 10));
  const grades: Array<Grade | null> = ['A', 'A', 'B', 'B', 'B', 'C', 'D', null];
  const regions = Array.from({ length: 16 }, (_, i) => String(310101 + i));
  const population: DrawUnit[] = Array.from({ length: units }, (_, i) => {
    const org = i % orgs;
    return { id: `eq-${i}`, stratum: regions[org % 16]!, grade: grades[org % grades.length]!, organisationId: `org-${org}`, region: regions[org % 16]! };
  });
  const inspectors = Array.from({ length: 200 }, (_, k) => ({
    id: `insp-${k}`,
    regions: k % 4 === 0 ? [] : [regions[k % 16]!, regions[(k + 1) % 16]!],
    conflicts: [`org-${k * 7}`, `org-${k * 13}`],
  }));
  const rules = {
    seed: 'bench draw 2026-12-03',
    drawDate: parseDate('2026-12-03', '/'),
    weights: { A: 1, B: 2, C: 3, D: 4, ungraded: 2 },
    sample: { rate: new Decimal(1000).div(units) },
    inspectorsPerTarget: 2,
    coolingOffMonths: 12,
  };

  let targets = 0;
  const draw = time(() => {
    const hash = sha256Hex(populationDigestText(population));
    targets = drawSpotCheck({ rules, population, populationHash: hash, inspectors, pastInspections: [], hmac: hmacSha256Hex }).targets.length;
  }, 3);
  const scan = time(() => {
    let x = 0;
    for (const u of population) x ^= createHash('sha256').update(u.id).digest()[0]!;
    if (x < 0) throw new Error('unreachable');
  }, 3);

  const facts: IntegrityFacts[] = Array.from({ length: orgs }, (_, i) => ({
    organisationId: `org-${i}`,
    at: parseDate('2026-12-03', '/'),
    mandatoryInstruments: 10,
    notUsable: i % 7,
    suspect: i % 11 === 0 ? 1 : 0,
    failedVerifications: i % 5,
    inspections: { compliant: i % 3, rectify: i % 4 === 0 ? 1 : 0, prohibited: i % 13 === 0 ? 1 : 0 },
    rectificationsOverdue: i % 17 === 0 ? 1 : 0,
    commitment: i % 2 === 0,
    dishonest: i % 97 === 0,
  }));
  const table = INTEGRITY_RULES[0]!;
  const distribution: Record<string, number> = {};
  const grading = time(() => {
    for (const k of Object.keys(distribution)) delete distribution[k];
    for (const f of facts) {
      const g = gradeOf(f, table).grade;
      distribution[g] = (distribution[g] ?? 0) + 1;
    }
  }, 3);
  const sum = time(() => {
    let s = 0;
    for (const f of facts) s += f.notUsable + f.failedVerifications + f.inspections.prohibited + f.rectificationsOverdue;
    if (s < 0) throw new Error('unreachable');
  }, 3);
  notes = `S1: ${units.toLocaleString('en')} instruments of ${orgs.toLocaleString('en')} organisations, ${targets} targets drawn. S2: grades ${JSON.stringify(distribution)}.`;
  return [
    {
      workload: 'S1 spot-check draw',
      figure: `${units} instruments, ${orgs} organisations, ${targets} targets`,
      value: draw,
      unit: 'ms',
      baseline: 'one SHA-256 per unit',
      baselineValue: scan,
      ratio: draw / scan,
      target: '< 5 s',
      met: draw < 5000,
    },
    {
      workload: 'S2 integrity grades',
      figure: `${orgs} organisations`,
      value: grading,
      unit: 'ms',
      baseline: 'sum of the facts',
      baselineValue: sum,
      ratio: grading / sum,
      target: '< 10 s',
      met: grading < 10_000,
    },
  ];
}
