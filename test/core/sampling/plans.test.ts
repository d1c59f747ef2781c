/**
 * The tables as data, checked against the figures of the sources (docs/lots.md):
 * Table 1 for every lot-size range and inspection level, and for every code
 * letter at the AQLs 0.65, 1.0 and 2.5 the plan after the arrows, in each
 * severity. The expected figures were read out of fjgonzalezmgt/AQLSchemesCust
 * R/AAZ14Single.R (its resolved sample size, Ac and Re per code letter and AQL),
 * not out of iso2859-tables.ts, which was written from the tables' structure.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CODE_LETTERS, INSPECTION_LEVELS, TABLE_1, TABLE_2B, type Aql } from '../../../src/core/sampling/iso2859-tables.ts';
import { codeLetterFor, decide, lotPlan, tablePlan, tighterAcceptance, type Severity } from '../../../src/core/sampling/plans.ts';
import { MetrologyError } from '../../../src/core/errors.ts';

// Table 1, one string per lot-size range: the letters at S-1 S-2 S-3 S-4 I II III
const TABLE_1_SOURCE: Array<[number, number | null, string]> = [
  [2, 8, 'AAAAAAB'],
  [9, 15, 'AAAAABC'],
  [16, 25, 'AABBBCD'],
  [26, 50, 'ABBCCDE'],
  [51, 90, 'BBCCCEF'],
  [91, 150, 'BBCDDFG'],
  [151, 280, 'BCDEEGH'],
  [281, 500, 'BCDEFHJ'],
  [501, 1200, 'CCEFGJK'],
  [1201, 3200, 'CDEGHKL'],
  [3201, 10000, 'CDFGJLM'],
  [10001, 35000, 'CDFHKMN'],
  [35001, 150000, 'DEGJLNP'],
  [150001, 500000, 'DEGJMPQ'],
  [500001, null, 'DEHKNQR'],
];

test('Table 1: every lot-size range, both bounds, every inspection level', () => {
  assert.equal(TABLE_1.length, TABLE_1_SOURCE.length);
  for (const [from, to, letters] of TABLE_1_SOURCE) {
    for (const size of [from, to ?? 10_000_000]) {
      INSPECTION_LEVELS.forEach((level, i) => {
        assert.is(codeLetterFor(size, level), letters[i], `lot ${size} level ${level}`);
      });
    }
  }
});

// code letter: n/Ac/Re after the arrows, as the source resolves them
const SOURCE: Record<Severity, Record<string, string>> = {
  normal: {
    '0.65':
      'A:20/0/1 B:20/0/1 C:20/0/1 D:20/0/1 E:20/0/1 F:20/0/1 G:20/0/1 H:80/1/2 J:80/1/2 K:125/2/3 L:200/3/4 M:315/5/6 N:500/7/8 P:800/10/11 Q:1250/14/15 R:2000/21/22',
    '1.0':
      'A:13/0/1 B:13/0/1 C:13/0/1 D:13/0/1 E:13/0/1 F:13/0/1 G:50/1/2 H:50/1/2 J:80/2/3 K:125/3/4 L:200/5/6 M:315/7/8 N:500/10/11 P:800/14/15 Q:1250/21/22 R:1250/21/22',
    '2.5':
      'A:5/0/1 B:5/0/1 C:5/0/1 D:5/0/1 E:20/1/2 F:20/1/2 G:32/2/3 H:50/3/4 J:80/5/6 K:125/7/8 L:200/10/11 M:315/14/15 N:500/21/22 P:500/21/22 Q:500/21/22 R:500/21/22',
  },
  tightened: {
    '0.65':
      'A:32/0/1 B:32/0/1 C:32/0/1 D:32/0/1 E:32/0/1 F:32/0/1 G:32/0/1 H:125/1/2 J:125/1/2 K:125/1/2 L:200/2/3 M:315/3/4 N:500/5/6 P:800/8/9 Q:1250/12/13 R:2000/18/19',
    '1.0':
      'A:20/0/1 B:20/0/1 C:20/0/1 D:20/0/1 E:20/0/1 F:20/0/1 G:80/1/2 H:80/1/2 J:80/1/2 K:125/2/3 L:200/3/4 M:315/5/6 N:500/8/9 P:800/12/13 Q:1250/18/19 R:1250/18/19',
    '2.5':
      'A:8/0/1 B:8/0/1 C:8/0/1 D:8/0/1 E:32/1/2 F:32/1/2 G:32/1/2 H:50/2/3 J:80/3/4 K:125/5/6 L:200/8/9 M:315/12/13 N:500/18/19 P:500/18/19 Q:500/18/19 R:500/18/19',
  },
  reduced: {
    '0.65': 'A:8/0/1 B:8/0/1 C:8/0/1 D:8/0/1 E:8/0/1 F:8/0/1 G:8/0/1 H:32/0/2 J:32/0/2 K:50/1/3 L:80/1/4 M:125/2/5 N:200/3/6 P:315/5/8 Q:500/7/10 R:800/10/13',
    '1.0':
      'A:5/0/1 B:5/0/1 C:5/0/1 D:5/0/1 E:5/0/1 F:5/0/1 G:20/0/2 H:20/0/2 J:32/1/3 K:50/1/4 L:80/2/5 M:125/3/6 N:200/5/8 P:315/7/10 Q:500/10/13 R:500/10/13',
    '2.5':
      'A:2/0/1 B:2/0/1 C:2/0/1 D:2/0/1 E:8/0/2 F:8/0/2 G:13/1/3 H:20/1/4 J:32/2/5 K:50/3/6 L:80/5/8 M:125/7/10 N:200/10/13 P:200/10/13 Q:200/10/13 R:200/10/13',
  },
};

for (const severity of ['normal', 'tightened', 'reduced'] as const) {
  for (const aql of ['0.65', '1.0', '2.5'] as const) {
    test(`Table ${severity === 'normal' ? '2-A' : severity === 'tightened' ? '2-B' : '2-C'} at AQL ${aql}: every code letter agrees with the source`, () => {
      const expected = Object.fromEntries(SOURCE[severity][aql]!.split(' ').map((s) => s.split(':') as [string, string]));
      for (const letter of CODE_LETTERS) {
        const p = tablePlan(severity, letter, aql);
        assert.is(`${p.tableSampleSize}/${p.acceptance}/${p.rejection}`, expected[letter], `${severity} ${letter} ${aql}`);
      }
    });
  }
}

test('2-B, code letter A at AQL 10: the cell where the sources disagree carries the more protective ↓ (to D: 8, 1/2)', () => {
  assert.is(TABLE_2B['A']![15], '↓');
  const p = tablePlan('tightened', 'A', '10');
  assert.equal([p.planLetter, p.tableSampleSize, p.acceptance, p.rejection], ['D', 8, 1, 2]);
});

test('arrows are reported, and the tightened table reaches row S (3150) from Q at AQL 0.025', () => {
  const p = tablePlan('tightened', 'Q', '0.025');
  assert.equal([p.planLetter, p.tableSampleSize, p.acceptance, p.rejection], ['S', 3150, 1, 2]);
  assert.equal(p.arrows, ['↓ from Q to S']);
  const n = tablePlan('normal', 'G', '1.0');
  assert.equal(n.arrows, ['↓ from G to H']);
});

test('a lot: level II, 1000 meters, AQL 1.0 → J, 80 items, Ac 2, Re 3; a small lot is inspected in full', () => {
  const p = lotPlan({ lotSize: 1000, level: 'II', aql: '1.0', severity: 'normal' });
  assert.equal([p.codeLetter, p.sampleSize, p.acceptance, p.rejection, p.hundredPercent], ['J', 80, 2, 3, false]);
  // 10 items, level II → B (3), AQL 0.65 → ↓ to G… beyond the lot: 100 %
  const small = lotPlan({ lotSize: 10, level: 'II', aql: '0.65' as Aql, severity: 'normal' });
  assert.equal([small.tableSampleSize, small.sampleSize, small.hundredPercent], [20, 10, true]);
});

test('the decision follows from the count against Ac/Re, with the rule in words', () => {
  const plan = lotPlan({ lotSize: 1000, level: 'II', aql: '1.0', severity: 'normal' });
  assert.is(decide(plan, 80, 2).decision, 'accept');
  const r = decide(plan, 80, 3);
  assert.is(r.decision, 'reject');
  assert.match(r.rule, /3 nonconforming of 80 inspected ≥ Re 3/);
  try {
    decide(plan, 79, 0);
    assert.unreachable();
  } catch (e) {
    assert.instance(e, MetrologyError);
  }
});

test('the Ac one step tighter, for the switching score', () => {
  // normal K at 1.0 is 125 3/4; at 0.65 the same row is 2/3
  assert.is(tighterAcceptance(tablePlan('normal', 'K', '1.0')), 2);
  assert.is(tighterAcceptance(tablePlan('normal', 'K', '0.010')), null);
});

test('lot sizes below 2 and levels are checked', () => {
  assert.throws(
    () => codeLetterFor(1, 'II'),
    (e: unknown) => e instanceof MetrologyError && e.code === 'INVALID_FIELD',
  );
});

test.run();
