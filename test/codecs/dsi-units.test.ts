/** Registry units ⇄ D-SI unit strings of a DCC, and the D-SI grammar. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fromDsi, isDsiUnit, toDsi } from '../../src/codecs/dsi-units.ts';
import { MetrologyError } from '../../src/core/errors.ts';

const it = suite('D-SI units');

it('registry units to D-SI, prefixes and powers written as D-SI writes them', () => {
  assert.is(toDsi('kg', '/u'), '\\kilogram');
  assert.is(toDsi('mg', '/u'), '\\milli\\gram');
  assert.is(toDsi('degC', '/u'), '\\degreeCelsius');
  assert.is(toDsi('°C', '/u'), '\\degreeCelsius');
  assert.is(toDsi('kWh', '/u'), '\\kilo\\watt\\hour');
  assert.is(toDsi('m3/h', '/u'), '\\metre\\tothe{3}\\hour\\tothe{-1}');
  assert.is(toDsi('1', '/u'), '\\one');
});

it('D-SI back to the registry unit; °C comes back as degC; an unknown one is null', () => {
  assert.is(fromDsi('\\kilogram'), 'kg');
  assert.is(fromDsi('\\degreeCelsius'), 'degC');
  assert.is(fromDsi('\\metre\\tothe{3}\\hour\\tothe{-1}'), 'm3/h');
  assert.is(fromDsi('\\candela'), null);
  assert.is(fromDsi('kg'), null);
  for (const unit of ['kg', 'g', 'mg', 'mm', 'um', 'kPa', 'MPa', 'kW', 'kWh', 'ohm', 'L', 'm3', '%']) assert.is(fromDsi(toDsi(unit, '/u')), unit);
});

it('a unit with no D-SI form is INVALID_FIELD at the path given', () => {
  for (const unit of ['lb', 'KG', '', 'kg ']) {
    try {
      toDsi(unit, '/range/unit');
      assert.unreachable(unit);
    } catch (e) {
      assert.instance(e, MetrologyError);
      assert.is((e as MetrologyError).code, 'INVALID_FIELD');
      assert.is((e as MetrologyError).path, '/range/unit');
    }
  }
});

it('the D-SI grammar: backslash units, prefixes and \\tothe{n} powers', () => {
  for (const ok of ['\\kilogram', '\\milli\\metre', '\\metre\\tothe{3}', '\\second\\tothe{-1}', '\\metre\\tothe{0.5}', '\\candela'])
    assert.ok(isDsiUnit(ok), ok);
  for (const bad of ['', 'kg', '\\', '\\kilo gram', '\\metre\\tothe{x}', '\\metre\\tothe{3', '\\metre^3', '\\metre\\tothe{.5}'])
    assert.not.ok(isDsiUnit(bad), bad);
});

it.run();
