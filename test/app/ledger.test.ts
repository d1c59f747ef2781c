/**
 * Verifying the evidence ledger (app/ledger.ts) over a ledger store in
 * memory: the chain walked in batches, MACs checked under the key ring (or
 * reported unchecked without one), seals over entries written before MACs,
 * anchors compared and taken, unledgered evidence, and the summary sentence.
 * (test/persistence/ledger.test.ts checks the same end to end over SQL.)
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LedgerService, NO_LEDGER_KEYS } from '../../src/app/ledger.ts';
import type { LedgerSeal, LedgerStore } from '../../src/app/ports.ts';
import { type Anchor, GENESIS, type LedgerRow, macMessage } from '../../src/core/ledger/chain.ts';
import { memoryAnchorLog, TEST_LEDGER_KEYS, testKeyRing } from '../helpers/ledger.ts';

const h = (n: number) => n.toString(16).padStart(64, 'a');

/** n consistent entries, each the latest of its entity, signed by `keys` unless `unsigned` holds its seq. */
function chain(n: number, keys = TEST_LEDGER_KEYS, unsigned: readonly number[] = []): LedgerRow[] {
  return Array.from({ length: n }, (_, i) => {
    const seq = i + 1;
    return {
      seq,
      kind: 'calibration_record',
      entityId: `rec-${seq}`,
      contentHash: `c${seq}`,
      actualContentHash: `c${seq}`,
      prevHash: seq === 1 ? GENESIS : h(seq - 1),
      hash: h(seq),
      actualHash: h(seq),
      latest: true,
      mac: unsigned.includes(seq) ? null : keys.sign(macMessage.entry(h(seq))),
    };
  });
}

class MemoryLedger implements LedgerStore {
  readonly reads: Array<[number, number]> = [];
  constructor(
    public rows: LedgerRow[],
    public sealRows: LedgerSeal[] = [],
    public missing: Array<{ kind: string; id: string }> = [],
  ) {}
  async entries(afterSeq: number, limit: number) {
    this.reads.push([afterSeq, limit]);
    return this.rows.filter((r) => r.seq > afterSeq).slice(0, limit);
  }
  async unledgered(limit: number) {
    return { count: this.missing.length, examples: this.missing.slice(0, limit) };
  }
  async seals() {
    return this.sealRows;
  }
  async head() {
    const last = this.rows.at(-1);
    return last ? { seq: last.seq, hash: last.hash } : null;
  }
}

const anchorOf = (seq: number, hash: string, at: string, keys = TEST_LEDGER_KEYS): Anchor => {
  const signed = keys.sign(macMessage.anchor({ seq, hash, at }))!;
  return { seq, hash, at, keyId: signed.keyId, mac: signed.mac };
};

const it = suite('app/ledger: verify');

it('a whole signed chain checks, walked in batches with progress; the report names the head and the key ring', async () => {
  const store = new MemoryLedger(chain(5));
  const progress: number[] = [];
  const report = await new LedgerService(store, { keys: TEST_LEDGER_KEYS }).verify({ batch: 2, onProgress: (n) => progress.push(n) });
  assert.equal([report.valid, report.authenticated, report.checked, report.broken], [true, true, 5, null]);
  assert.equal(report.head, { seq: 5, hash: h(5) });
  assert.equal(progress, [2, 4, 5]);
  assert.equal(store.reads, [
    [0, 2],
    [2, 2],
    [4, 2],
  ]);
  assert.equal(report.keys, { source: 'test key ring', signingKeyId: 'test-1' });
  assert.is(
    report.summary,
    'All 5 entries check. Every MAC was checked under the key ring test key ring. No anchor log was configured: removing the newest entries could not be detected.',
  );
});

it('without a key the MACs go unchecked: valid, but not authenticated, and the summary says so', async () => {
  const report = await new LedgerService(new MemoryLedger(chain(2, TEST_LEDGER_KEYS, [1, 2]))).verify();
  assert.equal([report.valid, report.authenticated, report.checked], [true, false, 2]);
  assert.match(report.summary, 'The MACs were NOT checked');
  // and NO_LEDGER_KEYS is what "no key" means
  assert.equal([NO_LEDGER_KEYS.signingKeyId, NO_LEDGER_KEYS.sign('x'), NO_LEDGER_KEYS.check('k', 'x', 'y')], [null, null, 'unknown_key']);
});

it('the first broken link: a gap, an altered entry, a missing or foreign MAC', async () => {
  const keys = TEST_LEDGER_KEYS;
  const gap = chain(4).filter((r) => r.seq !== 3);
  let report = await new LedgerService(new MemoryLedger(gap), { keys }).verify();
  assert.equal([report.valid, report.checked, report.broken?.seq, report.broken?.reason], [false, 2, 4, 'gap']);
  assert.equal(report.head, { seq: 2, hash: h(2) });
  assert.match(report.summary, /^BROKEN at entry 4 \(gap\)/);

  const altered = chain(3).map((r) => (r.seq === 2 ? { ...r, actualHash: h(99) } : r));
  report = await new LedgerService(new MemoryLedger(altered), { keys }).verify();
  assert.equal([report.broken?.seq, report.broken?.reason], [2, 'entry_hash']);

  report = await new LedgerService(new MemoryLedger(chain(3, keys, [3])), { keys }).verify();
  assert.equal([report.checked, report.broken?.seq, report.broken?.reason], [2, 3, 'mac']);

  const foreign = chain(3, testKeyRing(['other', 9]));
  report = await new LedgerService(new MemoryLedger(foreign), { keys }).verify();
  assert.equal([report.checked, report.broken?.seq, report.broken?.reason], [0, 1, 'mac']);
});

it('entries before MACs are covered by a signed seal; an unsigned seal is pending, a forged one breaks', async () => {
  const keys = TEST_LEDGER_KEYS;
  const rows = chain(4, keys, [1, 2]);
  const signed = keys.sign(macMessage.seal(2, h(2)))!;
  const seal: LedgerSeal = { throughSeq: 2, throughHash: h(2), keyId: signed.keyId, mac: signed.mac, sealedAt: '2026-11-01T00:00:00Z' };
  let report = await new LedgerService(new MemoryLedger(rows, [seal]), { keys }).verify();
  assert.equal([report.valid, report.checked], [true, 4]);
  assert.equal(report.sealedAtUpgrade, { throughSeq: 2, sealedAt: '2026-11-01T00:00:00Z', keyId: 'test-1' });
  assert.match(report.summary, 'Entries 1–2, written without a ledger key');

  // the seal fixes the hash at its position: a rewritten entry 2 no longer matches it
  const rewritten = rows.map((r) => (r.seq === 2 ? { ...r, hash: h(77), actualHash: h(77) } : r.seq === 3 ? { ...r, prevHash: h(77) } : r));
  report = await new LedgerService(new MemoryLedger(rewritten, [seal]), { keys }).verify();
  assert.equal([report.broken?.seq, report.broken?.reason], [2, 'mac']);

  const pending: LedgerSeal = { throughSeq: 2, throughHash: h(2), keyId: null, mac: null, sealedAt: null };
  report = await new LedgerService(new MemoryLedger(rows, [pending]), { keys }).verify();
  assert.equal([report.valid, report.broken?.seq, report.broken?.reason], [false, 1, 'mac']);
  assert.match(report.summary, 'their seal is still unsigned');
  assert.equal(report.sealedAtUpgrade, { throughSeq: 2, sealedAt: null, keyId: null });

  const forged: LedgerSeal = { ...seal, mac: 'f'.repeat(64) };
  report = await new LedgerService(new MemoryLedger(chain(4), [forged]), { keys }).verify();
  assert.equal([report.checked, report.broken?.kind, report.broken?.reason], [4, 'seal', 'mac']);
});

it('anchors: the chain agrees with them; a rewrite, a removal from the end, or an altered anchor breaks it', async () => {
  const keys = TEST_LEDGER_KEYS;
  const log = memoryAnchorLog([anchorOf(2, h(2), '2026-11-02T00:00:00Z'), anchorOf(3, h(3), '2026-11-03T00:00:00Z')]);
  let report = await new LedgerService(new MemoryLedger(chain(4)), { keys, anchors: log }).verify();
  assert.equal([report.valid, report.anchors.source, report.anchors.count, report.anchors.latest?.seq], [true, 'memory', 2, 3]);
  assert.match(report.summary, 'Compared with 2 anchor(s) from memory; the latest, taken at 2026-11-03T00:00:00Z, holds entry 3.');

  report = await new LedgerService(new MemoryLedger(chain(4)), { keys }).verify({ anchors: [anchorOf(2, h(55), '2026-11-02T00:00:00Z')] });
  assert.equal([report.broken?.seq, report.broken?.reason], [2, 'anchor_mismatch']);

  report = await new LedgerService(new MemoryLedger(chain(2)), { keys, anchors: log }).verify();
  assert.equal([report.checked, report.broken?.seq, report.broken?.reason], [2, 3, 'behind_anchor']);

  const altered = { ...anchorOf(9, h(9), '2026-11-09T00:00:00Z'), mac: '0'.repeat(64) };
  report = await new LedgerService(new MemoryLedger(chain(4)), { keys }).verify({ anchors: [altered] });
  // the altered anchor is not trusted (so it does not count as beyond the end), and is reported itself
  assert.equal([report.broken?.kind, report.broken?.reason, report.anchors.latest], ['anchor', 'anchor_mac', null]);

  report = await new LedgerService(new MemoryLedger(chain(1)), { keys, anchors: memoryAnchorLog() }).verify();
  assert.match(report.summary, 'No anchor has been taken yet (memory)');
});

it("an anchor names its database; another database's anchor that disagrees still breaks the chain, and the message says the log may be shared", async () => {
  const pg = 'postgres://127.0.0.1:5432/test';
  const log = memoryAnchorLog();
  const taken = await new LedgerService(new MemoryLedger(chain(3)), { keys: TEST_LEDGER_KEYS, anchors: log, now: () => 't1', database: pg }).anchor();
  assert.is(taken?.anchor.of, pg);
  assert.equal(TEST_LEDGER_KEYS.check(taken!.anchor.keyId, macMessage.anchor(taken!.anchor), taken!.anchor.mac), 'ok');
  assert.is(
    TEST_LEDGER_KEYS.check(taken!.anchor.keyId, macMessage.anchor({ ...taken!.anchor, of: 'embedded /x' }), taken!.anchor.mac),
    'bad',
    'the name is signed',
  );
  // the embedded ledger's anchor at entry 2 (a different entry there)
  const signed = TEST_LEDGER_KEYS.sign(macMessage.anchor({ seq: 2, hash: h(55), at: 't0', of: 'embedded /srv/data' }))!;
  const foreign: Anchor = { seq: 2, hash: h(55), at: 't0', keyId: signed.keyId, mac: signed.mac, of: 'embedded /srv/data' };
  const here = new LedgerService(new MemoryLedger(chain(3)), { keys: TEST_LEDGER_KEYS, database: pg });
  let report = await here.verify({ anchors: [foreign, taken!.anchor] });
  assert.equal([report.valid, report.broken?.seq, report.broken?.reason], [false, 2, 'anchor_mismatch']);
  assert.match(
    report.broken!.message,
    'or the anchor log is shared with another ledger: that anchor was taken of embedded /srv/data, this is postgres://127.0.0.1:5432/test',
  );
  // a restored copy is another database, and agrees with its original's anchors
  report = await new LedgerService(new MemoryLedger(chain(3)), { keys: TEST_LEDGER_KEYS, database: 'postgres://127.0.0.1:5499/metrotrace' }).verify({
    anchors: [taken!.anchor],
  });
  assert.equal([report.valid, report.anchors.latest?.seq], [true, 3], 'a restored copy agrees with its original’s anchors');
  // a longer ledger's anchor beyond this one's end: entries removed, or a shared log
  const beyondSigned = TEST_LEDGER_KEYS.sign(macMessage.anchor({ seq: 9, hash: h(9), at: 't0', of: 'embedded /srv/data' }))!;
  report = await here.verify({ anchors: [{ seq: 9, hash: h(9), at: 't0', keyId: beyondSigned.keyId, mac: beyondSigned.mac, of: 'embedded /srv/data' }] });
  assert.equal([report.broken?.reason, report.broken?.seq], ['behind_anchor', 9]);
  assert.match(
    report.broken!.message,
    'entries were removed from the end, or the anchor log is shared with another ledger: that anchor was taken of embedded /srv/data',
  );
  // an anchor of this same database, or one that names none, says only that the ledger was rewritten
  report = await here.verify({ anchors: [anchorOf(2, h(55), 't0')] });
  assert.match(report.broken!.message, /the ledger was rewritten after that anchor was taken$/);
});

it('evidence never entered in the ledger makes the chain invalid though it holds', async () => {
  const report = await new LedgerService(new MemoryLedger(chain(2), [], [{ kind: 'calibration_record', id: 'sneaky' }]), {
    keys: TEST_LEDGER_KEYS,
  }).verify();
  assert.equal([report.valid, report.broken, report.unledgered], [false, null, { count: 1, examples: [{ kind: 'calibration_record', id: 'sneaky' }] }]);
  assert.match(report.summary, /^The chain holds, but 1 row\(s\) were never entered in the ledger\./);
});

it.run();

const anchoring = suite('app/ledger: anchors taken');

anchoring('signs the head at the clock’s time and appends it to the log; an empty ledger takes none', async () => {
  const log = memoryAnchorLog();
  const store = new MemoryLedger(chain(3));
  const ledger = new LedgerService(store, { keys: TEST_LEDGER_KEYS, anchors: log, now: () => '2026-11-25T08:00:00.000Z' });
  const taken = await ledger.anchor();
  assert.equal(taken, { anchor: anchorOf(3, h(3), '2026-11-25T08:00:00.000Z'), source: 'memory' });
  assert.equal(log.lines, [taken!.anchor]);
  // the anchor it took verifies
  assert.ok((await ledger.verify()).valid);
  assert.is(await new LedgerService(new MemoryLedger([]), { keys: TEST_LEDGER_KEYS, anchors: log }).anchor(), null);
});

anchoring('anchors again only when the head moved past the last anchor', async () => {
  const log = memoryAnchorLog();
  const store = new MemoryLedger(chain(3));
  const ledger = new LedgerService(store, { keys: TEST_LEDGER_KEYS, anchors: log, now: () => 't' });
  assert.is(await ledger.anchorIfMoved(3), null);
  assert.is((await ledger.anchorIfMoved(2))?.seq, 3);
  assert.is(log.lines.length, 1);
});

anchoring('without a log or without a key nothing can be anchored', async () => {
  const store = new MemoryLedger(chain(1));
  try {
    await new LedgerService(store, { keys: TEST_LEDGER_KEYS }).anchor();
    assert.unreachable();
  } catch (e) {
    assert.is((e as Error).message, 'no anchor log is configured');
  }
  try {
    await new LedgerService(store, { anchors: memoryAnchorLog() }).anchor();
    assert.unreachable();
  } catch (e) {
    assert.is((e as Error).message, 'no ledger key is available to sign the anchor');
  }
});

anchoring.run();
