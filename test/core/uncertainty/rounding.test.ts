import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Decimal } from '../../../src/core/numeric/decimal.ts';
import { roundForReport } from '../../../src/core/uncertainty/rounding.ts';

const r = (v: string, u: string) => roundForReport(new Decimal(v), new Decimal(u));

test('U to two significant digits, the value to the same place (GUM 7.2.6)', () => {
  assert.equal(r('50.00083801', '0.0000926'), { value: '50.000838', uncertainty: '0.000093', decimals: 6 });
  assert.equal(r('100.02147', '0.35'), { value: '100.02', uncertainty: '0.35', decimals: 2 });
  assert.equal(r('10000.025', '0.0586'), { value: '10000.025', uncertainty: '0.059', decimals: 3 });
});

test('keeps significant trailing zeros and rounds half up', () => {
  assert.equal(r('1.2', '0.0100'), { value: '1.200', uncertainty: '0.010', decimals: 3 });
  assert.equal(r('2.345', '0.0125'), { value: '2.345', uncertainty: '0.013', decimals: 3 });
  assert.equal(r('0.00005', '0.0001'), { value: '0.00005', uncertainty: '0.00010', decimals: 5 });
});

test('uncertainties of tens and hundreds round the value to tens and hundreds', () => {
  assert.equal(r('123456.7', '1234'), { value: '123500', uncertainty: '1200', decimals: -2 });
  assert.equal(r('-987.6', '23.4'), { value: '-988', uncertainty: '23', decimals: 0 });
});

test.run();
