/**
 * The ledger check over rows made by hand (the hashes are labels here: the
 * check compares them, the store computes them): each way a chain breaks is
 * found at its entry, with the cursor where the last good entry left it;
 * batches resume from the cursor; an anchor past the end shows a truncation.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Anchor, type CheckedRow, checkBatch, checkEnd, GENESIS, macMessage, START, type Witnesses } from '../../../src/core/ledger/chain.ts';

const h = (n: number) => String(n).padStart(64, 'a');
/** Entry `seq` of a sound chain: it follows seq − 1, its hash matches, its MAC checks, its content is as stored. */
const row = (seq: number, over: Partial<CheckedRow> = {}): CheckedRow => ({
  seq,
  kind: 'record',
  entityId: `r${seq}`,
  contentHash: `c${seq}`,
  prevHash: seq === 1 ? GENESIS : h(seq - 1),
  hash: h(seq),
  latest: true,
  actualContentHash: `c${seq}`,
  actualHash: h(seq),
  mac: { keyId: 'k1', mac: 'm' },
  macStatus: 'ok',
  ...over,
});
const chain = (n: number) => Array.from({ length: n }, (_, i) => row(i + 1));
const anchor = (seq: number, hash: string): Anchor => ({ seq, hash, at: '2026-12-01T00:00:00Z', keyId: 'k1', mac: 'm' });

test('a sound chain checks to its end', () => {
  assert.equal(checkBatch(START, chain(4)), { cursor: { checked: 4, lastSeq: 4, lastHash: h(4) }, broken: null });
});

test('batches resume where the last one stopped', () => {
  const first = checkBatch(START, chain(2));
  const second = checkBatch(first.cursor, [row(3), row(4)]);
  assert.equal(second, { cursor: { checked: 4, lastSeq: 4, lastHash: h(4) }, broken: null });
  assert.is(checkBatch(first.cursor, [row(4)]).broken?.reason, 'gap', 'a batch that skips an entry');
});

test('each break is named at its entry, the cursor at the last good one', () => {
  const breaks: Array<[string, CheckedRow]> = [
    ['gap', row(4, { prevHash: h(2) })],
    ['prev_hash', row(3, { prevHash: h(1) })],
    ['entry_hash', row(3, { actualHash: h(99) })],
    ['mac', row(3, { macStatus: 'missing', mac: null })],
    ['mac', row(3, { macStatus: 'bad' })],
    ['mac', row(3, { macStatus: 'unknown_key' })],
    ['content_changed', row(3, { actualContentHash: 'edited' })],
    ['entity_missing', row(3, { actualContentHash: null })],
  ];
  for (const [reason, bad] of breaks) {
    const { cursor, broken } = checkBatch(START, [row(1), row(2), bad, row(4)]);
    assert.equal([broken?.reason, broken?.seq], [reason, bad.seq], `${reason} (${bad.macStatus})`);
    assert.equal(cursor, { checked: 2, lastSeq: 2, lastHash: h(2) });
  }
  const gap = checkBatch(START, [row(1), row(2), row(4)]).broken!;
  assert.is(gap.message, 'entry 3 is missing: the entry after 2 is 4');
});

test('MACs that were sealed or could not be checked, and old contents of an entity, are not breaks', () => {
  const rows = [row(1, { macStatus: 'sealed', mac: null }), row(2, { macStatus: 'unchecked' }), row(3, { latest: false, actualContentHash: null })];
  assert.is(checkBatch(START, rows).broken, null);
});

test('seals and anchors fix the hash at their position', () => {
  const sealed: Witnesses = { seals: new Map([[2, h(77)]]), anchors: new Map() };
  assert.equal(checkBatch(START, chain(3), sealed).broken?.reason, 'mac');
  assert.is(checkBatch(START, chain(3), { seals: new Map([[2, h(2)]]), anchors: new Map() }).broken, null);
  const anchored: Witnesses = { seals: new Map(), anchors: new Map([[3, [anchor(3, h(2))]]]) };
  const broken = checkBatch(START, chain(3), anchored).broken!;
  assert.equal([broken.reason, broken.seq], ['anchor_mismatch', 3]);
  assert.match(broken.message, /anchored at 2026-12-01T00:00:00Z \(hash a{12}…\)/);
});

test('an anchor beyond the last entry shows entries removed from the end; the furthest one is named', () => {
  const end = { checked: 3, lastSeq: 3, lastHash: h(3) };
  assert.is(checkEnd(end, [anchor(2, h(2)), anchor(3, h(3))]), null);
  const cut = checkEnd(end, [anchor(5, h(5)), anchor(7, h(7)), anchor(1, h(1))])!;
  assert.equal([cut.reason, cut.seq, cut.kind], ['behind_anchor', 7, 'anchor']);
});

test('the three kinds of signed message cannot be mistaken for one another', () => {
  const hash = h(1);
  const messages = [macMessage.entry(hash), macMessage.seal(1, hash), macMessage.anchor({ seq: 1, hash, at: '2026-12-01T00:00:00Z' })];
  assert.is(new Set(messages).size, 3);
  assert.equal(messages.slice(1), [`seal|1|${hash}`, `anchor|1|${hash}|2026-12-01T00:00:00Z`]);
});

test.run();
