import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MetrologyError } from '../../../src/core/errors.ts';
import { Decimal, parseDecimal, parseDecimalText, PRECISION, scaleOf } from '../../../src/core/numeric/decimal.ts';
import { fromBigNumber, math, toBigNumber } from '../../../src/core/numeric/math.ts';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.instance(e, MetrologyError);
    return (e as MetrologyError).code;
  }
  throw new Error('expected a MetrologyError');
}

const parse = suite('parseDecimal');

parse('reads plain and exponent notation exactly', () => {
  assert.is(parseDecimal('50.000623', '/x').toString(), '50.000623');
  assert.is(parseDecimal('1e-6', '/x').toString(), '0.000001');
  assert.is(parseDecimal('-0.1', '/x').toString(), '-0.1');
  assert.is(parseDecimal('.5', '/x').toString(), '0.5');
});

parse('0.1 + 0.2 is exactly 0.3 (no binary float on the way)', () => {
  assert.is(parseDecimal('0.1', '').plus(parseDecimal('0.2', '')).toString(), '0.3');
});

parse('rejects a JSON number with its own code and the path', () => {
  try {
    parseDecimal(0.1, '/quantities/x/u');
    assert.unreachable();
  } catch (e) {
    const err = e as MetrologyError;
    assert.is(err.code, 'JSON_NUMBER');
    assert.is(err.path, '/quantities/x/u');
    assert.match(err.message, /as a string/);
  }
});

parse('rejects NaN, Infinity, hex, empty and malformed strings', () => {
  for (const bad of ['NaN', 'Infinity', '-Infinity', '0x10', '', ' ', '1,5', '1.2.3', 'e5', '1e', '--1', '1e9999999']) {
    assert.is(
      code(() => parseDecimal(bad, '/v')),
      'INVALID_DECIMAL',
      bad,
    );
  }
  assert.is(
    code(() => parseDecimal(null, '/v')),
    'INVALID_DECIMAL',
  );
  assert.is(
    code(() => parseDecimal(true, '/v')),
    'INVALID_DECIMAL',
  );
  assert.is(
    code(() => parseDecimal(Number.NaN, '/v')),
    'JSON_NUMBER',
  );
});

parse.run();

const text = suite('parseDecimalText');

text('keeps the stated scale, so reported digits survive', () => {
  assert.is(parseDecimalText('0.00020', ''), '0.00020');
  assert.is(parseDecimalText('1.50e2', ''), '150');
  assert.is(parseDecimalText('2.5e-7', ''), '0.00000025');
  assert.is(parseDecimalText('-0.0', ''), '0.0');
  assert.is(parseDecimalText('+3', ''), '3');
});

text('scaleOf counts decimal places after the exponent', () => {
  assert.is(scaleOf('0.00020'), 5);
  assert.is(scaleOf('1.5e2'), 0);
  assert.is(scaleOf('1.5e-3'), 4);
  assert.is(scaleOf('12'), 0);
});

text.run();

const config = suite('decimal configuration');

config('works at 40 significant digits without touching the global decimal.js', async () => {
  assert.ok(PRECISION >= 34);
  assert.is(new Decimal(2).sqrt().toString(), '1.41421356237309504880168872420969807857');
  const global = (await import('decimal.js')).Decimal;
  assert.is(global.precision, 20, 'the default decimal.js instance keeps its own configuration');
});

config('the private mathjs instance is BigNumber at the same precision and does not touch the default one', async () => {
  assert.is(math.config({}).number, 'BigNumber');
  assert.is(math.config({}).precision, PRECISION);
  const value = math.evaluate('x * y', { x: toBigNumber(new Decimal('0.1')), y: toBigNumber(new Decimal('3')) });
  assert.is(fromBigNumber(value).toString(), '0.3');
  const defaultMath = await import('mathjs');
  assert.is(typeof defaultMath.evaluate('0.1 + 0.2'), 'number', "mathjs' default instance still computes in numbers");
});

config.run();
