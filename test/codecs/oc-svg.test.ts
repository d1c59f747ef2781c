/**
 * The OC curve chart. The figures are the binomial ones: n = 125, Ac = 3 at
 * AQL 1.0 % accepts with P = 0.962551 (producer's risk 3.74 %), at LQ 5 % with
 * P = 0.123785 (consumer's risk 12.4 %), worked out exactly by hand.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultPMax, type OcChart, planOcChart, renderOcSvg } from '../../src/codecs/oc-svg.ts';
import { Decimal } from '../../src/core/numeric/decimal.ts';

const attributes = {
  id: 'plan-1',
  method: 'attributes' as const,
  severity: 'normal',
  codeLetter: 'K',
  aql: '1.0',
  sampleSize: 125,
  acceptance: 3,
  acceptabilityConstant: null,
};

const chart = suite('planOcChart');

chart('an attributes plan: binomial curve at 61 points, its risks at the AQL and the LQ', () => {
  const c = planOcChart('lot-7', attributes, new Decimal('0.05'), new Decimal('0.06'));
  assert.is(c.title, 'OC curve of plan plan-1 on lot lot-7 (normal, code letter K; binomial model)');
  assert.is(c.plan, 'n = 125, Ac = 3, Re = 4; binomial');
  assert.is(c.curve.length, 61);
  assert.is(c.curve[0]!.pa.toString(), '1');
  assert.is(c.curve[60]!.p.toString(), '0.06');
  assert.is(c.aql.p.toString(), '0.01');
  assert.is(c.aql.producersRisk.toSignificantDigits(6).toString(), '0.0374491');
  assert.is(c.lq!.consumersRisk.toSignificantDigits(6).toString(), '0.123785');
  assert.is(planOcChart('lot-7', attributes, null, new Decimal('0.06')).lq, null);
});

chart('the upper end: six times the AQL, or 1.5 × LQ when further, at most 1', () => {
  assert.is(defaultPMax('1.0', null).toString(), '0.06');
  assert.is(defaultPMax('1.0', new Decimal('0.03')).toString(), '0.06');
  assert.is(defaultPMax('1.0', new Decimal('0.05')).toString(), '0.075');
  assert.is(defaultPMax('25', null).toString(), '1');
  assert.is(defaultPMax('0.65', new Decimal('0.8')).toString(), '1');
});

const svg = suite('renderOcSvg');

const simple = (lq: OcChart['lq']): OcChart => ({
  title: 'OC <plan>',
  plan: 'n = 2, Ac = 0 & more',
  curve: [
    { p: new Decimal(0), pa: new Decimal(1) },
    { p: new Decimal('0.5'), pa: new Decimal('0.25') },
    { p: new Decimal(1), pa: new Decimal(0) },
  ],
  aql: { p: new Decimal('0.1'), producersRisk: new Decimal('0.19') },
  lq,
});

svg('the curve as a path across the plot, the AQL marker green with the risk in per cent', () => {
  const s = renderOcSvg(simple(null));
  // x from 70 to 690 over p in [0, 1]; y from 340 (Pa 0) to 60 (Pa 1)
  assert.match(s, '<path d="M70.0,60.0 L380.0,270.0 L690.0,340.0" fill="none" stroke="#1565c0" stroke-width="2"/>');
  assert.match(s, `fill="#2e7d32">AQL 10 %: producer's risk 19 %</text>`);
  assert.match(s, 'x1="132.0" y1="340" x2="132.0" y2="60" stroke="#2e7d32"');
  assert.not.match(s, 'LQ');
  assert.match(s, '>OC &lt;plan&gt;</text>');
  assert.match(s, '<title>OC curve, n = 2, Ac = 0 &amp; more</title>');
  assert.match(s, '>50.0 %</text>');
});

svg("an LQ marker red with the consumer's risk", () => {
  const s = renderOcSvg(simple({ p: new Decimal('0.5'), consumersRisk: new Decimal('0.123785') }));
  assert.match(s, `fill="#c62828">LQ 50 %: consumer's risk 12.4 %</text>`);
});

chart.run();
svg.run();
