/**
 * The ledger's key ring and anchor log as files, in a temporary directory (no
 * database): the key file's syntax and its refusals by line, HMAC-SHA256
 * against RFC 4231 test case 6, where the files go, first-start creation, and
 * the anchor log's round trip and damage.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MetrologyError } from '../../src/core/errors.ts';
import {
  appendNewKey,
  databaseName,
  defaultLedgerDir,
  sharedAnchorLogLeftBehind,
  fileAnchorLog,
  ledgerFiles,
  loadLedgerKeys,
  newKeyLine,
  parseKeyRing,
} from '../../src/runtime/ledger-keys.ts';

// RFC 4231, test case 6: a key of 131 bytes 0xaa
const RFC_KEY = Buffer.alloc(131, 0xaa).toString('base64');
const RFC_MESSAGE = 'Test Using Larger Than Block-Size Key - Hash Key First';
const RFC_MAC = '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54';
const OTHER_KEY = Buffer.alloc(32, 0x0b).toString('base64');

const inTemp = async (f: (dir: string) => void | Promise<void>) => {
  const dir = mkdtempSync(join(tmpdir(), 'metrotrace-ledger-keys-'));
  try {
    await f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    assert.instance(e, MetrologyError);
    return `${(e as MetrologyError).code}: ${(e as MetrologyError).message}`;
  }
  return null;
};

test('the last key signs, every key verifies; MACs are HMAC-SHA256 (RFC 4231 case 6)', () => {
  const ring = parseKeyRing(`# comment\n\nold ${OTHER_KEY}\r\nrfc  ${RFC_KEY}\n`, 'keys');
  assert.is(ring.signingKeyId, 'rfc');
  assert.equal(ring.sign(RFC_MESSAGE), { keyId: 'rfc', mac: RFC_MAC });
  assert.is(ring.check('rfc', RFC_MESSAGE, RFC_MAC), 'ok');
  assert.is(ring.check('old', RFC_MESSAGE, RFC_MAC), 'bad');
  assert.is(ring.check('rfc', `${RFC_MESSAGE}.`, RFC_MAC), 'bad');
  assert.is(ring.check('rfc', RFC_MESSAGE, RFC_MAC.slice(1)), 'bad', 'a MAC of another length');
  assert.is(ring.check('gone', RFC_MESSAGE, RFC_MAC), 'unknown_key');
});

test('a key file that does not read is refused, naming its line', () => {
  const cases: Array<[string, RegExp]> = [
    [`k1 ${OTHER_KEY} extra`, /keys line 1: expected two fields/],
    ['k1', /keys line 1: expected two fields/],
    [`# c\nbad/id ${OTHER_KEY}`, /keys line 2: key id 'bad\/id' is not 1–64 of/],
    ['k1 c2hvcnQ=', /keys line 1: the secret of 'k1' is not base64 of at least 32 bytes/],
    [`k1 ${OTHER_KEY}!`, /is not base64/],
    [`k1 ${OTHER_KEY}\nk1 ${RFC_KEY}`, /keys line 2: key id 'k1' appears twice/],
    ['# only a comment\n', /keys holds no key/],
  ];
  for (const [text, message] of cases) assert.match(refusal(() => parseKeyRing(text, 'keys'))!, message, text);
  assert.match(refusal(() => parseKeyRing('', 'keys'))!, /^LEDGER_KEY_UNAVAILABLE: /);
});

test("a new key's line parses, its id dated", () => {
  const { keyId, line } = newKeyLine(new Date('2026-12-03T23:59:59Z'));
  assert.match(keyId, /^lk-20261203-[0-9a-f]{8}$/);
  assert.is(parseKeyRing(line, 'keys').signingKeyId, keyId);
});

test('where the files are: beside the data directory by default, or as configured', () => {
  assert.is(defaultLedgerDir('/srv/mt/data'), '/srv/mt/data-ledger');
  const embedded = { dataDir: '/srv/mt/data' };
  assert.equal(ledgerFiles({}, embedded), { keyFile: '/srv/mt/data-ledger/keys', explicit: false, anchorFile: '/srv/mt/data-ledger/anchors.jsonl' });
  assert.equal(ledgerFiles({ METROTRACE_LEDGER_KEY_FILE: ' /run/secrets/keys ' }, embedded), {
    keyFile: '/run/secrets/keys',
    explicit: true,
    anchorFile: '/run/secrets/anchors.jsonl',
  });
  assert.is(ledgerFiles({ METROTRACE_LEDGER_ANCHORS: 'a.jsonl' }, { dataDir: 'data' }).anchorFile, resolve('a.jsonl'));
});

test("a PostgreSQL database on the default files keeps an anchor log of its own, named as its server reports it (never the embedded database's)", () => {
  const server = { system: '7715484169383749775', database: 'mt' };
  const pg = { dataDir: '/srv/mt/data', databaseUrl: 'postgres://metrotrace:s3cret@db.example:6432/mt?sslmode=require&password=x', server };
  assert.equal(ledgerFiles({}, pg), {
    keyFile: '/srv/mt/data-ledger/keys',
    explicit: false,
    anchorFile: '/srv/mt/data-ledger/anchors-postgres-7715484169383749775-mt.jsonl',
  });
  // however the address is written: the same server, the same log and the same name
  const other = { ...pg, databaseUrl: 'postgres://localhost/mt' };
  assert.equal([ledgerFiles({}, other).anchorFile, databaseName(other)], [ledgerFiles({}, pg).anchorFile, databaseName(pg)]);
  assert.is(databaseName(pg), 'postgres system 7715484169383749775 database mt', 'no address, user or password');
  assert.is(ledgerFiles({ METROTRACE_LEDGER_KEY_FILE: '/run/secrets/keys' }, pg).anchorFile, '/run/secrets/anchors.jsonl', 'configured: as it was');
  assert.is(ledgerFiles({ METROTRACE_LEDGER_ANCHORS: '/x/a.jsonl' }, pg).anchorFile, '/x/a.jsonl');
  assert.throws(() => ledgerFiles({}, { ...pg, server: undefined }), /open the database first/);
  assert.is(databaseName({ dataDir: 'data' }), `embedded ${resolve('data')}`);
});

test("the shared log is pointed out while the database's own is not there, when it holds anchors that could be this database's", async () => {
  await inTemp(async (dir) => {
    const here = 'postgres system 1 database test';
    const files = ledgerFiles({}, { dataDir: join(dir, 'data'), databaseUrl: 'postgres://u@127.0.0.1:5432/test', server: { system: '1', database: 'test' } });
    assert.is(await sharedAnchorLogLeftBehind(files, {}, here), null, 'no shared log');
    const shared = fileAnchorLog(join(dir, 'data-ledger', 'anchors.jsonl'));
    const a = { seq: 7, hash: 'a'.repeat(64), at: '2026-12-01T00:00:00Z', keyId: 'k1', mac: 'm1' };
    await shared.append({ ...a, of: `embedded ${join(dir, 'data')}` });
    assert.is(await sharedAnchorLogLeftBehind(files, {}, here), null, "only the embedded database's anchors: nothing of this one");
    await shared.append(a);
    await shared.append({ ...a, of: here });
    assert.equal(await sharedAnchorLogLeftBehind(files, {}, here), { file: shared.source, anchors: 2 });
    assert.is(await sharedAnchorLogLeftBehind(ledgerFiles({}, { dataDir: join(dir, 'data') }), {}, here), null, 'the embedded database: it is its own');
    assert.is(await sharedAnchorLogLeftBehind(files, { METROTRACE_LEDGER_ANCHORS: files.anchorFile }, here), null, 'configured');
    writeFileSync(files.anchorFile, '');
    assert.is(await sharedAnchorLogLeftBehind(files, {}, here), null, 'its own log exists');
  });
});

test('first start: the default key file is made owner-only with a README; a configured one must exist; a reader gets no keys', async () => {
  await inTemp((dir) => {
    const files = ledgerFiles({}, { dataDir: join(dir, 'data') });
    assert.is(loadLedgerKeys(files, { create: false }).keys.signingKeyId, null);
    const first = loadLedgerKeys(files, { create: true });
    assert.ok(first.created);
    assert.ok(first.keys.signingKeyId);
    assert.is(statSync(files.keyFile).mode & 0o777, 0o600);
    assert.match(readFileSync(join(dir, 'data-ledger', 'README.txt'), 'utf8'), /Whoever holds this file can rewrite the evidence ledger/);
    const again = loadLedgerKeys(files, { create: true });
    assert.equal([again.created, again.keys.signingKeyId], [false, first.keys.signingKeyId]);
    const configured = ledgerFiles({ METROTRACE_LEDGER_KEY_FILE: join(dir, 'missing') }, { dataDir: join(dir, 'data') });
    assert.match(refusal(() => loadLedgerKeys(configured, { create: true }))!, /does not exist; restore it/);
  });
});

test('a key file others can read is used, with a warning; a new key is appended and signs', async () => {
  await inTemp((dir) => {
    const keyFile = join(dir, 'keys');
    writeFileSync(keyFile, `k1 ${OTHER_KEY}`);
    chmodSync(keyFile, 0o644);
    const warnings: string[] = [];
    const { keys } = loadLedgerKeys({ keyFile, explicit: true }, { create: false, warn: (m) => warnings.push(m) });
    assert.is(keys.signingKeyId, 'k1');
    assert.match(warnings.join(), /can be read by others \(mode 644\); chmod 600 it/);
    const added = appendNewKey(keyFile);
    assert.is(statSync(keyFile).mode & 0o777, 0o600);
    const ring = parseKeyRing(readFileSync(keyFile, 'utf8'), keyFile);
    assert.is(ring.signingKeyId, added);
    assert.is(ring.check('k1', RFC_MESSAGE, parseKeyRing(`k1 ${OTHER_KEY}`, 'x').sign(RFC_MESSAGE)!.mac), 'ok', 'the old key still verifies');
    writeFileSync(keyFile, 'not a key line\n');
    assert.ok(
      refusal(() => appendNewKey(keyFile)),
      'never appends to a file that does not read',
    );
  });
});

test('the anchor log: appended and read back in order; a damaged line is named', async () => {
  await inTemp(async (dir) => {
    const log = fileAnchorLog(join(dir, 'sub', 'anchors.jsonl'));
    assert.equal(await log.read(), []);
    const a1 = { seq: 7, hash: 'a'.repeat(64), at: '2026-12-01T00:00:00Z', keyId: 'k1', mac: 'm1' };
    const a2 = { ...a1, seq: 9, mac: 'm2', of: 'postgres://db.example:5432/mt' };
    await log.append(a1);
    await log.append(a2);
    assert.equal(await log.read(), [a1, a2]);
    writeFileSync(log.source, `${readFileSync(log.source, 'utf8')}{"seq": 10}\n`);
    try {
      await log.read();
      assert.unreachable('a damaged log reads');
    } catch (e) {
      assert.is((e as MetrologyError).code, 'LEDGER_ANCHORS_DAMAGED');
      assert.match((e as Error).message, /line 3 is not an anchor/);
    }
    // a name moved into the time would sign the same message: a time is an ISO 8601 instant, nothing more
    const shifted = fileAnchorLog(join(dir, 'shifted.jsonl'));
    writeFileSync(shifted.source, `${JSON.stringify({ ...a1, at: `${a1.at}|embedded /srv/data` })}\n`);
    assert.match(
      await shifted.read().then(
        () => 'read',
        (e: Error) => e.message,
      ),
      /line 1 is not an anchor/,
    );
  });
});

test.run();
