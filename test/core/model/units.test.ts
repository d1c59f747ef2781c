import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { flatten } from '../../../src/core/model/flatten.ts';
import { inferUnit } from '../../../src/core/model/units.ts';
import { math } from '../../../src/core/numeric/math.ts';

const it = suite('the unit of a model output');
const unit = (model: string, units: Record<string, string | null>) => inferUnit(flatten(math.parse(model)), new Map(Object.entries(units)));

it('the model evaluated on units gives the output unit', () => {
  assert.is(unit('m * g', { m: 'kg', g: 'm/s^2' }), '(kg m) / s^2');
  assert.is(unit('U / I', { U: 'V', I: 'A' }), 'V / A');
  assert.is(unit('sqrt(A)', { A: 'm^2' }), 'm');
  assert.is(unit('E * 2', { E: 'kWh' }), 'kWh');
  assert.is(unit('l + dl', { l: 'mm', dl: 'mm' }), 'mm');
  assert.is(unit('l + dl', { l: 'mm', dl: 'um' }), 'mm', 'like units add in the first one');
  assert.is(unit('l * k', { l: 'mm', k: null }), 'mm', 'an input without a unit is a pure number');
});

it('a dimensionless result has no unit', () => {
  assert.is(unit('x / y', { x: 'm', y: 'm' }), null);
  assert.is(unit('a + b', { a: null, b: null }), null);
  assert.is(unit('2 * pi', {}), null);
});

it('where evaluation fails, the first term of a top-level sum or difference gives the unit', () => {
  assert.is(unit('l + dt', { l: 'mm', dt: 'K' }), 'mm', 'unlike units: "reading + corrections"');
  assert.is(unit('l - dt', { l: 'mm', dt: 'K' }), 'mm');
  assert.is(unit('(p + t) + c', { p: 'Pa', t: 'K', c: null }), 'Pa', 'recursively, through parentheses');
  // on the tree as parsed (parentheses and 'subtract' still in it)
  assert.is(
    inferUnit(
      math.parse('((p - t)) * 1'),
      new Map([
        ['p', 'Pa'],
        ['t', 'K'],
      ]),
    ),
    null,
  );
  assert.is(
    inferUnit(
      math.parse('((p - t))'),
      new Map([
        ['p', 'Pa'],
        ['t', 'K'],
      ]),
    ),
    'Pa',
  );
});

it('otherwise the output has no unit', () => {
  assert.is(unit('(r + c) * k', { r: 'mm', c: 'K', k: null }), null, 'a product of a failed sum');
  assert.is(unit('r - c', { r: 'no_such_unit', c: 'mm' }), null, 'a first term whose unit mathjs does not know');
  assert.is(unit('t', { t: '°C' }), null, 'a unit mathjs cannot parse is dropped');
  assert.is(unit('sqrt(l + t)', { l: 'mm', t: 'K' }), null);
});

it.run();
