import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as mathjs from 'mathjs';
import { Decimal, PRECISION } from '../../../src/core/numeric/decimal.ts';
import { fromBigNumber, math, toBigNumber } from '../../../src/core/numeric/math.ts';

const it = suite('the private mathjs instance');

it('reads numbers as BigNumbers at the shared precision, no binary float', () => {
  // (mathjs types config() with a required argument; called without, it only reads)
  const config = (math.config as unknown as () => { number: string; precision: number })();
  assert.is(config.number, 'BigNumber');
  assert.is(config.precision, PRECISION);
  const sum = math.evaluate('0.1 + 0.2');
  assert.is(math.typeOf(sum), 'BigNumber');
  assert.is(sum.toString(), '0.3');
  // 1/3 to 40 significant digits
  assert.is(math.evaluate('1 / 3').toString(), `0.${'3'.repeat(PRECISION)}`);
  assert.is(math.evaluate('2 ^ 0.5').toString(), new Decimal(2).sqrt().toString());
});

it("leaves mathjs' default instance as it was", () => {
  assert.is(mathjs.evaluate('0.1 + 0.2'), 0.30000000000000004);
  assert.is.not(math, mathjs as unknown);
});

it('carries values across as exact text, both ways', () => {
  for (const text of ['0', '0.1', '-12.5', '1.234567890123456789012345678901234567891', '1e-25', '9.99e+307', '1e+500']) {
    const b = toBigNumber(new Decimal(text));
    assert.is(math.typeOf(b), 'BigNumber');
    assert.ok(b.equals(math.bignumber(text)), text);
    assert.is(fromBigNumber(b).toString(), new Decimal(text).toString(), text);
    assert.ok(fromBigNumber(b) instanceof Decimal);
  }
  assert.is(fromBigNumber({ toString: () => '2.50' }).toString(), '2.5');
  assert.is(fromBigNumber(math.evaluate('1 / 8')).toString(), '0.125');
});

it.run();
