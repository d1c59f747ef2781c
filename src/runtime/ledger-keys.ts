/**
 * The ledger's key ring and anchor log: files outside the database.
 *
 * Key file: one key a line, `<keyId> <base64 secret>` (`#` comments and blank
 * lines ignored); the last line's key signs, every key verifies. Rotation:
 * append a new line (`metrotrace ledger new-key`) and restart; keep the old
 * lines, or the entries they signed no longer verify.
 *
 * Anchor log: JSON Lines of signed heads `{seq, hash, at, keyId, mac, of}`,
 * appended, never rewritten; a second party keeps a copy.
 *
 * By default both live in a directory beside (never inside) the embedded
 * database's directory: `<METROTRACE_DATA>-ledger/` (`./data-ledger/keys`,
 * `./data-ledger/anchors.jsonl`), created on first start, owner-only, with a
 * README saying that production keeps them elsewhere. An anchor log belongs to
 * one ledger: by default a PostgreSQL database (DATABASE_URL) gets its own,
 * `anchors-postgres-<system id>-<database>.jsonl` in that directory, so that
 * the embedded database's anchors are never compared with its entries (two
 * demo ledgers agree up to their first divergent entry; after it, one's anchor
 * would read as the other's rewrite).
 *
 * @impure reads and writes files, reads the random source and the clock.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { appendFileSync, chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { AnchorLog, LedgerKeys } from '../app/ports.ts';
import { NO_LEDGER_KEYS } from '../app/ledger.ts';
import type { Anchor } from '../core/ledger/chain.ts';
import { MetrologyError } from '../core/errors.ts';

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const MIN_SECRET_BYTES = 32;

/** A key ring from the text of a key file. @throws MetrologyError LEDGER_KEY_UNAVAILABLE naming the line */
export function parseKeyRing(text: string, source: string): LedgerKeys {
  const keys = new Map<string, Buffer>();
  let signing: string | null = null;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const [id, secret, ...rest] = line.split(/\s+/);
    const bad = (why: string) =>
      new MetrologyError(
        'LEDGER_KEY_UNAVAILABLE',
        '',
        `${source} line ${i + 1}: ${why}; a line is '<keyId> <base64 secret>' (metrotrace ledger new-key writes one)`,
      );
    if (rest.length > 0 || secret === undefined) throw bad('expected two fields');
    if (!KEY_ID.test(id!)) throw bad(`key id '${id}' is not 1–64 of A–Z a–z 0–9 . _ -`);
    const bytes = Buffer.from(secret, 'base64');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(secret) || bytes.length < MIN_SECRET_BYTES) {
      throw bad(`the secret of '${id}' is not base64 of at least ${MIN_SECRET_BYTES} bytes`);
    }
    if (keys.has(id!)) throw bad(`key id '${id}' appears twice`);
    keys.set(id!, bytes);
    signing = id!;
  });
  if (signing === null)
    throw new MetrologyError('LEDGER_KEY_UNAVAILABLE', '', `${source} holds no key; add one with \`metrotrace ledger new-key --file ${source}\``);
  return keyRing(keys, signing, source);
}

function keyRing(keys: ReadonlyMap<string, Buffer>, signing: string, source: string): LedgerKeys {
  const mac = (secret: Buffer, message: string) => createHmac('sha256', secret).update(message, 'utf8').digest('hex');
  return {
    signingKeyId: signing,
    source,
    sign: (message) => ({ keyId: signing, mac: mac(keys.get(signing)!, message) }),
    check: (keyId, message, given) => {
      const secret = keys.get(keyId);
      if (!secret) return 'unknown_key';
      const a = Buffer.from(mac(secret, message), 'utf8');
      const b = Buffer.from(given, 'utf8');
      return a.length === b.length && timingSafeEqual(a, b) ? 'ok' : 'bad';
    },
  };
}

/** A new key's line: an id with the date (UTC) and a random tail, and 32 random bytes. */
export function newKeyLine(now: Date = new Date()): { keyId: string; line: string } {
  const keyId = `lk-${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(4).toString('hex')}`;
  return { keyId, line: `${keyId} ${randomBytes(32).toString('base64')}` };
}

/** The default directory of the key file and anchor log: beside the embedded database's directory, not in it. */
export function defaultLedgerDir(dataDir: string): string {
  const abs = resolve(dataDir);
  return join(dirname(abs), `${basename(abs)}-ledger`);
}

const README = `This directory holds the metrotrace ledger key ring (keys) and anchor log
(anchors.jsonl). It was created here, beside the embedded database's directory,
because METROTRACE_LEDGER_KEY_FILE was not set.

keys          Whoever holds this file can rewrite the evidence ledger undetected
              (after the latest anchor a second party keeps). In production keep
              it OUT of reach of whoever administers the database: a secrets
              store or a mount only the metrotrace process reads, and point
              METROTRACE_LEDGER_KEY_FILE at it. Never copy it with database
              backups. Losing it makes the existing MACs uncheckable.
              Rotate: \`metrotrace ledger new-key\` appends a key; restart. Keep
              the old lines: they verify the entries they signed.
anchors.jsonl Signed heads of the embedded database's ledger (\`metrotrace ledger
              anchor\`; the server anchors every METROTRACE_LEDGER_ANCHOR_INTERVAL_S).
              Copy every new line to a second party (another host, a WORM
              bucket, an auditor): an anchor held only here can be removed with
              this directory.
anchors-postgres-<system id>-<database>.jsonl
              The same for a PostgreSQL database (DATABASE_URL), named as its
              server reports it: one log per ledger, never shared, or one
              ledger's anchors read as another's rewrite.
`;

export interface LedgerFiles {
  /** The key file (METROTRACE_LEDGER_KEY_FILE, or the default). */
  readonly keyFile: string;
  /** Whether the key file was configured explicitly (then it must exist). */
  readonly explicit: boolean;
  /** The anchor log (METROTRACE_LEDGER_ANCHORS, or beside the key file). */
  readonly anchorFile: string;
}

/** Which database a ledger is in: the embedded one in `dataDir`, or the PostgreSQL one at `databaseUrl`. */
export interface LedgerHome {
  readonly dataDir: string;
  readonly databaseUrl?: string | undefined;
  /**
   * Who the PostgreSQL server says the database is (persistence/db.ts
   * serverIdentity): its cluster's system identifier and the database's name,
   * the same however the address is written (localhost or 127.0.0.1, a
   * socket, PGDATABASE). Unknown until the database is open.
   */
  readonly server?: { readonly system: string; readonly database: string } | undefined;
}

/** The database, as an anchor names it: `embedded <dir>`, or `postgres system <id> database <name>` as its server reports them. */
export function databaseName(home: LedgerHome): string {
  if (!home.databaseUrl) return `embedded ${resolve(home.dataDir)}`;
  if (home.server) return `postgres system ${home.server.system} database ${home.server.database}`;
  return 'postgres (not yet asked who it is)';
}

/** The default anchor log's name for a PostgreSQL database: one file per cluster and database. */
export function postgresAnchorFileName(server: { readonly system: string; readonly database: string }): string {
  return `anchors-${`postgres-${server.system}-${server.database}`.replace(/[^A-Za-z0-9._-]/g, '_')}.jsonl`;
}

/** The key file: METROTRACE_LEDGER_KEY_FILE, or `keys` beside the embedded database's directory. */
export function ledgerKeyFile(env: NodeJS.ProcessEnv, dataDir: string): { readonly keyFile: string; readonly explicit: boolean } {
  const configured = env.METROTRACE_LEDGER_KEY_FILE?.trim();
  return { keyFile: configured ? resolve(configured) : join(defaultLedgerDir(dataDir), 'keys'), explicit: Boolean(configured) };
}

/**
 * Where the key file and the anchor log are, from the environment. Without
 * METROTRACE_LEDGER_ANCHORS, the anchor log is beside the key file:
 * `anchors.jsonl` for the embedded database or a configured key file, and a
 * file of its own for a PostgreSQL database on the default key file, named
 * for the database as its server reports it (`home.server`, required then).
 */
export function ledgerFiles(env: NodeJS.ProcessEnv, home: LedgerHome): LedgerFiles {
  const { keyFile, explicit } = ledgerKeyFile(env, home.dataDir);
  const anchors = env.METROTRACE_LEDGER_ANCHORS?.trim();
  if (anchors) return { keyFile, explicit, anchorFile: resolve(anchors) };
  if (explicit || !home.databaseUrl) return { keyFile, explicit, anchorFile: join(dirname(keyFile), 'anchors.jsonl') };
  if (!home.server) throw new Error('the default anchor log of a PostgreSQL database is named for it: open the database first');
  return { keyFile, explicit, anchorFile: join(dirname(keyFile), postgresAnchorFileName(home.server)) };
}

/**
 * The anchor log a PostgreSQL database on the default files shared with the
 * embedded database before each got its own, when this database's own is not
 * there yet and the shared one holds anchors that could be of it: anchors that
 * name no database (taken before anchors named theirs) or name this one.
 */
export async function sharedAnchorLogLeftBehind(files: LedgerFiles, env: NodeJS.ProcessEnv, here: string): Promise<{ file: string; anchors: number } | null> {
  if (files.explicit || env.METROTRACE_LEDGER_ANCHORS?.trim()) return null;
  const file = join(dirname(files.keyFile), 'anchors.jsonl');
  if (file === files.anchorFile || existsSync(files.anchorFile) || !existsSync(file)) return null;
  const anchors = (await fileAnchorLog(file).read()).filter((a) => a.of === undefined || a.of === here).length;
  return anchors === 0 ? null : { file, anchors };
}

/**
 * The key ring of `files`. A configured file must exist (a missing secret
 * mount must not quietly become a new key). The default one is created on
 * first use when `create` (a process that writes); a verifier without it gets
 * no keys, and says so.
 * @throws MetrologyError LEDGER_KEY_UNAVAILABLE
 */
export function loadLedgerKeys(
  files: Pick<LedgerFiles, 'keyFile' | 'explicit'>,
  opts: { create: boolean; warn?: (message: string) => void },
): { keys: LedgerKeys; created: boolean } {
  let created = false;
  if (!existsSync(files.keyFile)) {
    if (files.explicit) {
      throw new MetrologyError(
        'LEDGER_KEY_UNAVAILABLE',
        '',
        `the ledger key file ${files.keyFile} (METROTRACE_LEDGER_KEY_FILE) does not exist; restore it, or create a first key with \`metrotrace ledger new-key --file ${files.keyFile}\``,
      );
    }
    if (!opts.create) return { keys: NO_LEDGER_KEYS, created };
    const dir = dirname(files.keyFile);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!existsSync(join(dir, 'README.txt'))) writeFileSync(join(dir, 'README.txt'), README, { mode: 0o644 });
    try {
      writeFileSync(files.keyFile, `# metrotrace ledger keys: <keyId> <base64 secret>, newest last (it signs); see README.txt\n${newKeyLine().line}\n`, {
        mode: 0o600,
        flag: 'wx',
      });
      created = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const mode = statSync(files.keyFile).mode & 0o077;
  if (mode !== 0)
    opts.warn?.(`the ledger key file ${files.keyFile} can be read by others (mode ${(statSync(files.keyFile).mode & 0o777).toString(8)}); chmod 600 it`);
  return { keys: parseKeyRing(readFileSync(files.keyFile, 'utf8'), files.keyFile), created };
}

/** Appends a new key (the signing key from the next start) to a key file, creating it 0600 if absent. */
export function appendNewKey(keyFile: string): string {
  mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
  const { keyId, line } = newKeyLine();
  const existing = existsSync(keyFile) ? readFileSync(keyFile, 'utf8') : '';
  if (existing !== '') parseKeyRing(existing, keyFile); // never append to a file that does not read
  appendFileSync(keyFile, `${existing === '' || existing.endsWith('\n') ? '' : '\n'}${line}\n`, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  return keyId;
}

/** An anchor's time as the clock writes it (ISO 8601, UTC): nothing else, so no field can be shifted into another within the signed message. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** An anchor log in an append-only JSON Lines file. */
export function fileAnchorLog(file: string): AnchorLog {
  return {
    source: file,
    async read() {
      if (!existsSync(file)) return [];
      const out: Anchor[] = [];
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (line.trim() === '') return;
          let a: Partial<Anchor>;
          try {
            a = JSON.parse(line) as Partial<Anchor>;
          } catch {
            throw new MetrologyError('LEDGER_ANCHORS_DAMAGED', '', `${file} line ${i + 1} is not JSON: the anchor log is damaged`);
          }
          if (
            !Number.isInteger(a.seq) ||
            typeof a.hash !== 'string' ||
            typeof a.at !== 'string' ||
            !ISO_INSTANT.test(a.at) ||
            typeof a.keyId !== 'string' ||
            typeof a.mac !== 'string' ||
            (a.of !== undefined && typeof a.of !== 'string')
          ) {
            throw new MetrologyError(
              'LEDGER_ANCHORS_DAMAGED',
              '',
              `${file} line ${i + 1} is not an anchor {seq, hash, at, keyId, mac[, of]}: the anchor log is damaged`,
            );
          }
          out.push({ seq: a.seq!, hash: a.hash, at: a.at, keyId: a.keyId, mac: a.mac, ...(a.of === undefined ? {} : { of: a.of }) });
        });
      return out;
    },
    async append(anchor) {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      const fd = openSync(file, 'a', 0o644);
      try {
        const { seq, hash, at, keyId, mac, of } = anchor;
        writeSync(fd, `${JSON.stringify({ seq, hash, at, keyId, mac, of })}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    },
  };
}
