/** The control chart of as-found errors: dots by date, ±MPE red, the 80 % guard grey, a point beyond the MPE red, and what is missing said. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renderControlChartSvg } from '../../src/codecs/control-chart-svg.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import { Decimal } from '../../src/core/numeric/decimal.ts';
import type { Equipment } from '../../src/core/registry/types.ts';
import type { AsFoundPoint } from '../../src/core/verification/interval.ts';

const equipment = (over: Partial<Equipment> = {}) =>
  ({ id: 'bal-1', name: 'Balance <A&B>', range: { min: '0', max: '200', unit: 'g' }, accuracy: { kind: 'mpe', mpe: '0.5', unit: 'mg' }, ...over }) as Equipment;
const p = (performedOn: string, error: string, mpe: string | null = '0.5'): AsFoundPoint => ({
  recordId: `r-${performedOn}`,
  performedOn: performedOn as CalendarDate,
  nominal: new Decimal('100'),
  error: new Decimal(error),
  mpe: mpe === null ? null : new Decimal(mpe),
});
const circles = (svg: string) =>
  [...svg.matchAll(/<circle cx="([^"]+)" cy="([^"]+)" r="4" fill="([^"]+)"><title>([^<]*)<\/title>/g)].map((m) => [Number(m[1]), Number(m[2]), m[3], m[4]]);

const it = suite('control chart SVG');

it('points placed by date and error; beyond the MPE red, within blue; the stored decimals in the titles', () => {
  const svg = renderControlChartSvg(equipment(), [p('2024-01-01', '0.1'), p('2025-01-01', '-0.30'), p('2026-01-01', '0.6')]);
  const c = circles(svg);
  assert.is(c.length, 3);
  // x runs from 90 to 690 over the days; the middle date is 366 of 731 days along
  assert.equal(
    c.map(([x]) => x),
    [90, 390.4, 690],
  );
  // y: span = max(1.2 × 0.5, 0.6) = 0.6; zero at 50 + 250/2 = 175; 0.6 at the top (50)
  assert.equal(
    c.map(([, y]) => y),
    [154.2, 237.5, 50],
  );
  assert.equal(
    c.map(([, , fill]) => fill),
    ['#1565c0', '#1565c0', '#c62828'],
  );
  assert.is(c[1]![3], '2025-01-01 r-2025-01-01: nominal 100, error -0.3 mg');
  assert.match(svg, '>+MPE 0.5</text>');
  assert.match(svg, '>−MPE 0.5</text>');
  assert.is((svg.match(/stroke="#c62828" stroke-dasharray="6 4"/g) ?? []).length, 2);
  assert.is((svg.match(/stroke="#999" stroke-dasharray="2 3"/g) ?? []).length, 2);
  assert.match(svg, '>error (mg)</text>');
});

it('exactly the MPE is within; one label per date', () => {
  const svg = renderControlChartSvg(equipment(), [p('2026-01-01', '-0.5'), p('2026-01-01', '0.2')]);
  assert.equal(
    circles(svg).map(([, , fill]) => fill),
    ['#1565c0', '#1565c0'],
  );
  assert.is((svg.match(/>2026-01-01<\/text>/g) ?? []).length, 1);
  // the span is 1.2 × MPE when every error is smaller: −0.5 lies at 50 + (1.1 / 1.2) × 250
  assert.is(circles(svg)[0]![1], 279.2);
});

it('no MPE: no limits, it says so, the unit is the range unit', () => {
  const svg = renderControlChartSvg(equipment({ accuracy: { kind: 'class', accuracyClass: 'III' } } as Partial<Equipment>), [p('2026-01-01', '0.2', null)]);
  assert.match(svg, 'no MPE on record for this equipment: limits cannot be drawn');
  assert.not.match(svg, 'MPE 0');
  assert.match(svg, '>error (g)</text>');
});

it('no points: said, and no dots; the name escaped', () => {
  const svg = renderControlChartSvg(equipment(), []);
  assert.match(svg, 'no as-found values on record');
  assert.is(circles(svg).length, 0);
  assert.match(svg, 'As-found error of Balance &lt;A&amp;B&gt;');
  assert.match(svg, '<title>As-found errors of bal-1</title>');
});

it.run();
