/** Units of measuring ranges: which compare, and exact comparison across units. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Decimal } from '../../../src/core/numeric/decimal.ts';
import { comparableUnits, compareQuantities, dimensionOf } from '../../../src/core/registry/units.ts';
import { rangeWithin } from '../../../src/core/traceability/chain.ts';

const D = (s: string) => new Decimal(s);

test('units of one dimension compare; kg and m³ do not; an unknown unit compares only with itself', () => {
  assert.ok(comparableUnits('L', 'm3'));
  assert.ok(comparableUnits('mL', 'm³'));
  assert.ok(comparableUnits('kWh', 'Wh'));
  assert.ok(comparableUnits('MPa', 'kPa'));
  assert.ok(comparableUnits('degC', 'K'));
  assert.not.ok(comparableUnits('kg', 'm3'));
  assert.not.ok(comparableUnits('m3', 'm3/h'), 'a volume is not a flow');
  assert.not.ok(comparableUnits('A', 'W'));
  assert.ok(comparableUnits('%LEL', '%LEL'));
  assert.not.ok(comparableUnits('furlong', 'm'));
  assert.is(dimensionOf('mg'), 'mass');
  assert.is(dimensionOf('furlong'), null);
});

test('exact comparison: 20 L < 50 m³, 1000 L = 1 m³, 1 m³/h = 1000/60 L/min, 25 °C = 298.15 K', () => {
  assert.is(compareQuantities(D('20'), 'L', D('50'), 'm3'), -1);
  assert.is(compareQuantities(D('1000'), 'L', D('1'), 'm3'), 0);
  assert.is(compareQuantities(D('1001'), 'L', D('1'), 'm3'), 1);
  // 1 m³/h = 1000 L / 60 min: exact through the rational factors, no rounding at the boundary
  assert.is(compareQuantities(D('3'), 'm3/h', D('50'), 'L/min'), 0);
  assert.is(compareQuantities(D('25'), 'degC', D('298.15'), 'K'), 0);
  assert.is(compareQuantities(D('1.5'), 'MPa', D('1500'), 'kPa'), 0);
  assert.is(compareQuantities(D('3.6'), 'MJ', D('1'), 'kWh'), 0);
  assert.throws(() => compareQuantities(D('1'), 'kg', D('1'), 'm3'), /not comparable/);
});

test('other spellings of one unit: ℃, kW·h, the ohm sign, hPa, mL/min; a difference in °C is one in K', () => {
  assert.is(compareQuantities(D('25'), '℃', D('298.15'), 'K'), 0);
  assert.is(compareQuantities(D('1'), 'kW·h', D('1000'), 'Wh'), 0);
  assert.ok(comparableUnits('\u2126', 'ohm'));
  assert.is(compareQuantities(D('1013.25'), 'hPa', D('101.325'), 'kPa'), 0);
  assert.is(compareQuantities(D('60'), 'mL/min', D('3.6'), 'L/h'), 0);
  // an uncertainty (a difference) of 0.1 °C is 0.1 K, not 273.25 K
  assert.is(compareQuantities(D('0.1'), 'degC', D('0.1'), 'K', { difference: true }), 0);
  assert.is(compareQuantities(D('0.1'), 'degC', D('0.1'), 'K'), 1);
});

test('a range lies within another in a comparable unit; in another dimension it does not', () => {
  assert.ok(rangeWithin({ min: '0', max: '20', unit: 'L' }, { min: '0', max: '50', unit: 'm3' }));
  assert.not.ok(rangeWithin({ min: '0', max: '60', unit: 'm3' }, { min: '0', max: '50', unit: 'm3' }));
  assert.not.ok(rangeWithin({ min: '0', max: '20', unit: 'kg' }, { min: '0', max: '50', unit: 'm3' }));
  assert.ok(rangeWithin({ min: '0.04', max: '30', unit: 'kg' }, { min: null, max: '300', unit: 'kg' }), 'an open bound contains anything on its side');
  assert.not.ok(rangeWithin({ min: null, max: '30', unit: 'kg' }, { min: '0', max: '300', unit: 'kg' }), 'an unbounded range does not fit in a bounded one');
});

test.run();
