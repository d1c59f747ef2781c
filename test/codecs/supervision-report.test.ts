/** The integrity-grade bar chart and the spot-check plan page: counts and shares, each target with its latest inspection, everything escaped. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { PublishedPlan } from '../../src/codecs/supervision.ts';
import { renderIntegritySvg, renderPlanHtml } from '../../src/codecs/supervision-report.ts';
import type { InUseInspection } from '../../src/core/supervision/inspection.ts';

const svg = suite('integrity grades SVG');

svg('one bar per grade, the largest full width, each with its count and share of the total', () => {
  const s = renderIntegritySvg({ A: 6, B: 3, C: 1, D: 0 }, '310104', '2026-11-25');
  assert.match(s, 'aria-label="Integrity grades of region 310104 on 2026-11-25"');
  assert.match(s, '>诚信计量分级 · 310104 · 2026-11-25</text>');
  const bars = [...s.matchAll(/<rect x="60" y="(\d+)" width="([\d.]+)" height="26" fill="(#[0-9a-f]+)"><title>([^<]*)<\/title>/g)].map((m) => [
    m[1],
    m[2],
    m[3],
    m[4],
  ]);
  assert.equal(bars, [
    ['40', '360.0', '#2e7d32', 'A: 6 of 10'],
    ['78', '180.0', '#9e9d24', 'B: 3 of 10'],
    ['116', '60.0', '#ef6c00', 'C: 1 of 10'],
    ['154', '0.0', '#c62828', 'D: 0 of 10'],
  ]);
  assert.match(s, '>6 (60.0 %)</text>');
  assert.match(s, '>1 (10.0 %)</text>');
  assert.match(s, '>10 organisations graded</text>');
});

svg('nothing graded: empty bars and a dash for the share; the region escaped', () => {
  const s = renderIntegritySvg({ A: 0, B: 0, C: 0, D: 0 }, '<x>', 'd');
  assert.match(s, '>0 (–)</text>');
  assert.match(s, 'width="0.0"');
  assert.match(s, '>0 organisations graded</text>');
  assert.match(s, '诚信计量分级 · &lt;x&gt; · d');
  assert.not.match(s, '<x>');
});

const page = suite('plan page');

const plan = (closedOn: string | null, unit: 'instrument' | 'organisation' = 'instrument') =>
  ({
    id: 'sc-1',
    regulatorId: 'samr-sh',
    title: 'Q4 <scales> & meters',
    unit,
    drawDate: '2026-11-25',
    seed: 'SSE 3402.17',
    rules: { weights: { A: 1, B: 2, C: 3, D: 4, ungraded: 2 }, inspectorsPerTarget: 2, coolingOffMonths: 12 },
    population: [{}, {}, {}],
    populationHash: 'ab12',
    result: {
      strata: [
        { stratum: '', size: 3, drawn: 2 },
        { stratum: '310104', size: 1, drawn: 1 },
      ],
      targets: [
        { unitId: 'scale-1', organisationId: 'market', region: '310104', grade: 'B', inspectors: ['i1', 'i2'], unassigned: null },
        { unitId: 'scale-2', organisationId: 'shop', region: '310105', grade: null, inspectors: [], unassigned: 'no inspector free of conflicts' },
      ],
    },
    closedOn,
  }) as unknown as PublishedPlan & { closedOn: string | null };
const inspections = [
  { equipmentId: 'scale-1', organisationId: 'market', inspectedOn: '2026-11-30', outcome: 'compliant', rectifyBy: null },
  { equipmentId: 'scale-1', organisationId: 'market', inspectedOn: '2026-12-02', outcome: 'rectify', rectifyBy: '2026-12-20' },
] as unknown as InUseInspection[];

page('the plan facts, the strata and each target with its latest inspection', () => {
  const html = renderPlanHtml(plan(null), inspections, new Map([['market', 'City <Market>']]));
  assert.match(html, '<title>Q4 &lt;scales&gt; &amp; meters</title>');
  assert.match(html, '双随机抽查计划 · spot-check plan <code>sc-1</code> · samr-sh · 抽取日期 drawn 2026-11-25</p>');
  assert.not.match(html, '已结束');
  assert.match(html, '<td>3 · SHA-256 <code>ab12</code></td>');
  assert.match(html, 'A 1 · B 2 · C 3 · D 4 · ungraded 2');
  assert.match(html, '<td>2; cooling-off 12 months</td>');
  assert.match(html, '<tr><td>(all)</td><td>3</td><td>2</td></tr>');
  assert.match(html, '<tr><td>310104</td><td>1</td><td>1</td></tr>');
  assert.match(
    html,
    '<tr><td>1</td><td>scale-1</td><td>City &lt;Market&gt;</td><td>310104</td><td>B</td><td>i1、i2</td><td>2026-12-02</td><td>限期整改 rectify by a date</td><td>2026-12-20</td></tr>',
  );
  assert.match(
    html,
    '<tr><td>2</td><td>scale-2</td><td>shop</td><td>310105</td><td>–</td><td>no inspector free of conflicts</td><td></td><td>未检查 not inspected</td><td></td></tr>',
  );
  assert.match(html, 'GET /v1/spot-checks/sc-1/plan.json');
  assert.not.match(html, '<script');
});

page('a closed plan says so; an organisation plan takes any inspection of the organisation', () => {
  const html = renderPlanHtml(plan('2027-01-10', 'organisation'), [{ ...inspections[0]!, equipmentId: 'other' }], new Map());
  assert.match(html, ' · 已结束 closed 2027-01-10</p>');
  assert.match(html, '<td>2026-11-30</td><td>合格 compliant</td>');
});

svg.run();
page.run();
