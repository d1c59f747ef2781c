/** WAL positions as PostgreSQL writes them (`16/B374D848`): the high and low 32 bits in hex. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { formatLsn, parseLsn } from '../../src/codecs/lsn.ts';

const it = suite('lsn');

it('reads the two halves as one 64-bit position', () => {
  assert.is(parseLsn('16/B374D848'), 0x16b374d848n);
  assert.is(parseLsn('0/0'), 0n);
  assert.is(parseLsn('1/0'), 4294967296n);
  assert.is(parseLsn('0/1'), 1n);
  assert.is(parseLsn('FFFFFFFF/FFFFFFFF'), 0xffffffffffffffffn);
  assert.is(parseLsn(' 0/16b3740 '), 0x16b3740n);
});

it('anything else is undefined', () => {
  for (const bad of ['', '16', '16/', '/B374D848', '16:B374D848', '1FFFFFFFF/0', '0/1FFFFFFFF', 'G/0', '-1/0', null, undefined]) {
    assert.is(parseLsn(bad), undefined, String(bad));
  }
});

it('writes upper-case hex without leading zeros, and round-trips', () => {
  assert.is(formatLsn(0x16b374d848n), '16/B374D848');
  assert.is(formatLsn(0n), '0/0');
  assert.is(formatLsn(4294967296n), '1/0');
  for (const text of ['16/B374D848', '0/3000060', 'FFFFFFFF/FFFFFFFF', 'A/0']) assert.is(formatLsn(parseLsn(text)!), text);
  assert.ok(parseLsn('1/0')! > parseLsn('0/FFFFFFFF')!);
});

it.run();
