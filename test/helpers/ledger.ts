/** Ledger key rings and anchor logs for tests: fixed keys (so MACs are reproducible), anchors in memory. */
import type { AnchorLog, LedgerKeys } from '../../src/app/ports.ts';
import type { Anchor } from '../../src/core/ledger/chain.ts';
import { parseKeyRing } from '../../src/runtime/ledger-keys.ts';

const secret = (fill: number) => Buffer.alloc(32, fill).toString('base64');

/** The key ring every test app signs with: one key, `test-1`. */
export const TEST_LEDGER_KEYS: LedgerKeys = parseKeyRing(`test-1 ${secret(1)}\n`, 'test key ring');

/** A key ring from lines `id fill` (secrets of 32 bytes of that value), newest last. */
export function testKeyRing(...keys: Array<[string, number]>): LedgerKeys {
  return parseKeyRing(keys.map(([id, fill]) => `${id} ${secret(fill)}`).join('\n'), `test key ring ${keys.map(([id]) => id).join(',')}`);
}

/** An anchor log in memory. */
export function memoryAnchorLog(initial: Anchor[] = []): AnchorLog & { readonly lines: Anchor[] } {
  const lines = [...initial];
  return { source: 'memory', lines, read: async () => [...lines], append: async (a) => void lines.push(a) };
}
