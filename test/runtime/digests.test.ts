import { createHmac } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hmacSha256Hex } from '../../src/runtime/digests.ts';

test('HMAC-SHA-256 by one-shot hashes agrees with createHmac: short and long keys, multi-byte and long messages, key changes', () => {
  const keys = ['', 'seed', '2026-12-01 上证综指收盘 3421.57', 'k'.repeat(64), 'k'.repeat(65), 'k'.repeat(200)];
  const messages = ['', 'target|eq-000001|0', 'assign|eq-1|insp-张|0', 'é'.repeat(255), 'm'.repeat(256), 'm'.repeat(257), '中'.repeat(300)];
  for (const k of keys)
    for (const m of messages) assert.is(hmacSha256Hex(k, m), createHmac('sha256', k).update(m, 'utf8').digest('hex'), `${k.length}/${m.length}`);
  // RFC 4231 test case 2
  assert.is(hmacSha256Hex('Jefe', 'what do ya want for nothing?'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
});

test.run();
