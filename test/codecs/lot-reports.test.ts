/** The lot reports' layout: the population chart's stacking, scale, legend and escaping; the history CSV's cells. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { csvRecords } from '../../src/codecs/csv.ts';
import { lotHistoryCsv, renderPopulationSvg, STATE_COLOURS } from '../../src/codecs/lot-reports.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import { lotEvents } from '../../src/core/sampling/lot.ts';
import { lotPopulationBy } from '../../src/core/sampling/population.ts';

const d = (s: string) => s as CalendarDate;

test('the population chart: stacked rects per state, bottom to top in state order, heights in proportion, the axis over the tallest bar', () => {
  const p = lotPopulationBy(
    [
      { id: 'a', size: 300, installedFrom: d('2019-05-01'), state: 'in_service' },
      { id: 'b', size: 100, installedFrom: d('2019-08-01'), state: 'to_rotate' },
      { id: 'c', size: 1234, installedFrom: d('2021-01-01'), state: 'extended' },
    ],
    d('2026-06-01'),
    'installation_year',
  );
  const svg = renderPopulationSvg({ ...p, regionCode: '310104', ownerId: '<b>&"x"' });
  const rects = [
    ...svg.matchAll(/<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" fill="(#\w+)" data-key="(\d+)" data-state="(\w+)" data-meters="(\d+)"/g),
  ].map((m) => ({ y: Number(m[1]), h: Number(m[2]), fill: m[3], key: m[4], state: m[5], meters: Number(m[6]) }));
  assert.equal(
    rects.map((r) => [r.key, r.state, r.meters, r.fill]),
    [
      ['2019', 'in_service', 300, STATE_COLOURS.in_service],
      ['2019', 'to_rotate', 100, STATE_COLOURS.to_rotate],
      ['2021', 'extended', 1234, STATE_COLOURS.extended],
    ],
  );
  // the second state sits on the first
  assert.ok(Math.abs(rects[1]!.y + rects[1]!.h - rects[0]!.y) < 0.2, JSON.stringify(rects));
  assert.ok(Math.abs(rects[0]!.h / rects[1]!.h - 3) < 0.02);
  // 1234 meters: the axis runs to 1500 by 500 (a step of 1, 2 or 5 × 10^k, about five of them)
  assert.ok(svg.includes('>1500</text>') && svg.includes('>500</text>') && !svg.includes('>2000</text>'));
  assert.ok(svg.includes('owner &lt;b&gt;&amp;&quot;x&quot;') && !svg.includes('<b>'), 'text escaped');
  assert.ok(svg.includes('1634 meters in 3 lots'));
  assert.not.match(svg, /<script/i);
  assert.match(renderPopulationSvg({ ...lotPopulationBy([], d('2026-06-01'), 'age'), regionCode: null, ownerId: null }), /no lots/);
});

test('the history CSV: the lot facts on the registration line, the plan on its lines, names in the language asked', () => {
  const facts = {
    registeredOn: d('2026-01-05'),
    plans: [{ id: 'p1', plannedOn: d('2026-03-01'), result: { recordedOn: d('2026-03-20'), decision: 'reject' as const } }],
    rotatedOn: null,
    lifeEndsOn: null,
  };
  const plan = { codeLetter: 'G', sampleSize: 32, acceptance: 1, rejection: 2, aql: '1.0', severity: 'normal' };
  const events = lotEvents(facts, d('2026-12-31')).map((e) => ({
    ...e,
    plan: e.planId ? plan : null,
    result: e.kind === 'decision' ? { nonconforming: 3, decision: 'reject' as const, rule: '3 nonconforming of 32 ≥ Re 2' } : null,
    remarks: null,
  }));
  const lot = { id: 'l', size: 280, category: 'MV004', model: '=cmd|x', installedFrom: d('2025-01-01'), installedTo: d('2025-03-31') };
  const csv = lotHistoryCsv({ lot, through: d('2026-12-31'), lifeEndsOn: null, events }, { lang: 'zh', bom: true });
  assert.is(csv.charCodeAt(0), 0xfeff);
  const rows = csvRecords(csv);
  assert.equal(
    rows.map((r) => [r['事件名称'], r['状态名称'], r['型号规格'], r['样本量n'], r['不合格品数d'], r['轮换截止日']]),
    [
      ['登记', '在用', "'=cmd|x", '', '', ''],
      ['抽样方案抽取', '抽样中', '', '32', '', ''],
      ['批判定', '到期轮换', '', '32', '3', '2026-06-19'],
    ],
  );
  assert.match(rows[2]!['说明']!, /^3 nonconforming of 32 ≥ Re 2; the sample of plan p1 was not accepted/);
  const en = csvRecords(lotHistoryCsv({ lot, through: d('2026-12-31'), lifeEndsOn: null, events }));
  assert.equal(Object.keys(en[0]!).slice(0, 5), ['date', 'event', 'event_name', 'state', 'state_name']);
  assert.equal(
    en.map((r) => r.event_name),
    ['registered', 'sampling plan drawn', 'lot decision'],
  );
});

test.run();
