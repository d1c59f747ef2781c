import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Decimal } from '../../../src/core/numeric/decimal.ts';
import { chartFor, type VerificationChart } from '../../../src/core/traceability/chart.ts';
import type { QuantityKind } from '../../../src/core/registry/vocabulary.ts';

const it = suite('verification scheme charts');

function chart(quantity: QuantityKind, alsoCovers: QuantityKind[] = []): VerificationChart {
  return {
    quantity,
    alsoCovers,
    title: `${quantity} chart`,
    titleZh: null,
    modelledOn: null,
    unit: '1',
    minimumAccuracyRatio: new Decimal(3),
    levels: [],
    transfers: [],
  };
}

it("a quantity's own chart governs it", () => {
  const charts = [chart('mass'), chart('length'), chart('temperature')];
  assert.is(chartFor(charts, 'length'), charts[1]);
  assert.is(chartFor(charts, 'mass')!.title, 'mass chart');
});

it('a quantity without its own chart falls under one that also covers it', () => {
  const voltage = chart('voltage', ['current', 'resistance']);
  const charts = [chart('mass'), voltage];
  assert.is(chartFor(charts, 'current'), voltage);
  assert.is(chartFor(charts, 'resistance'), voltage);
});

it("the quantity's own chart wins over one that also covers it, whatever the order", () => {
  const power = chart('electrical_power', ['electrical_energy']);
  const energy = chart('electrical_energy');
  assert.is(chartFor([power, energy], 'electrical_energy'), energy);
  assert.is(chartFor([energy, power], 'electrical_energy'), energy);
});

it('no chart: undefined', () => {
  assert.is(chartFor([chart('mass', ['force'])], 'torque'), undefined);
  assert.is(chartFor([], 'mass'), undefined);
});

it.run();
