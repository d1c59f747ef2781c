/**
 * The whole registry as JSON Lines, and back (format: docs/export-format.md).
 * Export reads one consistent snapshot in keyset-paged batches; every scalar
 * leaves as a string (decimals keep their digits), JSON columns as JSON.
 * Import writes into an empty database in ONE transaction: rows go in
 * verbatim (ledger entries and their MACs included: nothing is re-hashed),
 * PostgreSQL itself turns each string back into its column's type, and before
 * anything commits the whole ledger is verified inside that transaction —
 * chain, MACs under the ledger key ring, the content of every entity, the
 * trailer's head — so a forged or damaged file is refused with nothing
 * applied (an interrupted import likewise leaves the database empty: run it
 * again).
 *
 * API keys are the exception, because an export is a copy of credentials:
 * it carries the keys' rows (the audit log names them) but not their secrets'
 * hashes unless asked for, and a restore revokes the keys it brings unless
 * told to keep them — so a backup, or a registry restored from one, never
 * lets in whoever held a key of the original. A withheld hash is written as
 * `withheld-from-export:<SHA-256 of the hash>`, which the ledger's content of a
 * key uses in place of the hash (so the ledger still vouches for every other
 * field of the key); each revocation by a restore is a new, signed ledger entry.
 *
 * @impure talks to the database.
 */
import { sql, type SQL } from 'drizzle-orm';
import { LedgerService, type LedgerReport, NO_LEDGER_KEYS } from '../app/ledger.ts';
import type { AnchorLog, LedgerKeys } from '../app/ports.ts';
import { rowsOf, type Db } from './db.ts';
import { appendToLedger, DrizzleLedgerStore, sealUpgrade } from './ledger-store.ts';
import { ensurePartitions } from './partitions.ts';

export const EXPORT_FORMAT = 'metrotrace.export';
/**
 * 2: ledger MACs and seals, the ledger's new kinds, withheld key hashes with their digest.
 * 3: the record document fields of migration 0027 (verification_type, procedure, verifier,
 * checker, approver, certificate_kind, label_no, seal_no, customer_name; equipment's
 * pattern_approval_no) and a nullable valid_until. A version 2 file imports as it is: its rows
 * lack those columns, which restore as null, and the ledger (nulls stripped) verifies unchanged.
 */
export const EXPORT_VERSION = 3;
/** The versions this release reads: 1 only with acceptUnauthenticated. */
export const READABLE_EXPORT_VERSIONS: readonly number[] = [1, 2, EXPORT_VERSION];

/**
 * Every table that holds data, in an order that satisfies the foreign keys.
 * Left out: verification_current (derived: rebuilt as records are inserted),
 * import_checkpoints (the import's own progress) and app_sessions (who is
 * signed in to the web pages now: sign-in state of this installation, not a
 * record; a restored registry starts with no one signed in).
 */
export const EXPORT_TABLES = [
  'organisations',
  'lab_scopes',
  'lab_scope_versions',
  'lab_cmcs',
  'lab_cmc_versions',
  'equipment',
  'equipment_events',
  'calibration_records',
  'record_references',
  'measured_points',
  'record_sidecars',
  'filed_certificates',
  'filed_certificate_decisions',
  'tolerance_findings',
  'verification_policies',
  'lab_capacities',
  'verification_plans',
  'energy_inventories',
  'energy_audits',
  'spot_check_plans',
  'spot_check_closures',
  'in_use_inspections',
  'integrity_measures',
  'meter_lots',
  'meter_lot_members',
  'lot_sampling_plans',
  'lot_sampling_results',
  'lot_rotations',
  'import_jobs',
  'api_keys',
  'audit_log',
  'ledger',
  'ledger_macs',
  'ledger_seals',
] as const;
export const NOT_EXPORTED = ['verification_current', 'app_sessions'] as const;

/**
 * What an export writes in place of a key's secret hash when the hashes are
 * left out: this prefix, a colon and the SHA-256 of the hash. No secret hashes
 * to it (a SHA-256 is 64 hexadecimal digits), so a key restored with it is
 * known, listed and referenced, and never accepted; the digest lets the ledger
 * check the rest of the key.
 */
export const WITHHELD_KEY_HASH = 'withheld-from-export';

export interface ExportOptions {
  /** Write the keys' secret hashes (a restore could then accept the old keys). Default: left out. */
  readonly keyHashes?: boolean;
}

export interface ExportHeader {
  readonly format: typeof EXPORT_FORMAT;
  readonly version: number;
  readonly exportId: string;
  readonly exportedAt: string;
  readonly tables: ReadonlyArray<{ readonly name: string; readonly rows: number }>;
}

export interface ExportTrailer {
  readonly end: true;
  readonly lines: number;
  readonly ledgerHead: { readonly seq: number; readonly hash: string | null };
}

const ident = (name: string) => sql.raw(`"${name.replace(/"/g, '""')}"`);

/** A row (the jsonb `row`) as one JSON object with every number turned into its text. */
const rowAsText = (row: string) =>
  sql.raw(
    `(select coalesce(jsonb_object_agg(key, case jsonb_typeof(value) when 'number' then to_jsonb(value #>> '{}') else value end), '{}'::jsonb) from jsonb_each(${row}))::text`,
  );
const ROW_AS_TEXT = rowAsText('to_jsonb(t)');
/** An api_keys row with its secret hash left out (WITHHELD_KEY_HASH in its place). */
const KEY_ROW_WITHHELD = rowAsText(
  `to_jsonb(t) || jsonb_build_object('secret_hash', case when t.secret_hash like '${WITHHELD_KEY_HASH}:%' then t.secret_hash else '${WITHHELD_KEY_HASH}:' || metrotrace_sha256(t.secret_hash) end)`,
);

async function primaryKey(db: Db, table: string): Promise<string[]> {
  const r = await db.execute(sql`
    select a.attname as name from pg_index i
    join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
    where i.indrelid = ${table}::regclass and i.indisprimary
    order by array_position(i.indkey, a.attnum)`);
  return rowsOf<{ name: string }>(r).map((x) => x.name);
}

/**
 * Writes the export, line by line, through `emit` (which may wait for the
 * output to drain). Runs in one repeatable-read transaction: one snapshot.
 */
export async function exportRegistry(
  db: Db,
  exportId: string,
  emit: (line: string) => Promise<void>,
  batch = 2000,
  opts: ExportOptions = {},
): Promise<ExportTrailer> {
  return db.transaction(
    async (tx0) => {
      const tx = tx0 as unknown as Db;
      const counts: Array<{ name: string; rows: number }> = [];
      for (const name of EXPORT_TABLES) {
        const r = await tx.execute(sql`select count(*)::bigint::text as n from ${ident(name)}`);
        counts.push({ name, rows: Number(rowsOf<{ n: string }>(r)[0]!.n) });
      }
      const head = rowsOf<{ seq: string; hash: string }>(await tx.execute(sql`select l.seq::text as seq, l.hash from ledger l order by l.seq desc limit 1`))[0];
      const header: ExportHeader = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportId, exportedAt: new Date().toISOString(), tables: counts };
      await emit(JSON.stringify(header));
      let lines = 1;
      // A correction references the record it supersedes: records go out by correction depth.
      await tx.execute(sql`drop table if exists export_record_order`);
      await tx.execute(sql`create temp table export_record_order on commit drop as
        with recursive d(id, depth) as (
          select id, 0 from calibration_records where supersedes is null
          union all select c.id, d.depth + 1 from calibration_records c join d on c.supersedes = d.id)
        select id, depth from d`);
      for (const name of EXPORT_TABLES) {
        const ordered = name === 'calibration_records';
        const columns = ordered ? ['o.depth', 't.id'] : (await primaryKey(tx, name)).map((k) => `t."${k}"`);
        const keyCols = sql.raw(columns.join(', '));
        const keySelect = sql.raw(columns.map((c, i) => `${c}::text as k${i}`).join(', '));
        const from = ordered ? sql`calibration_records t join export_record_order o on o.id = t.id` : sql`${ident(name)} t`;
        const rowText = name === 'api_keys' && !opts.keyHashes ? KEY_ROW_WITHHELD : ROW_AS_TEXT;
        let after: string[] | null = null;
        for (;;) {
          const where: SQL =
            after === null
              ? sql`true`
              : sql`(${keyCols}) > (${sql.join(
                  after.map((v) => sql`${v}`),
                  sql`, `,
                )})`;
          const rows: Array<Record<string, string>> = rowsOf<Record<string, string>>(
            await tx.execute(sql`select ${rowText} as line, ${keySelect} from ${from} where ${where} order by ${keyCols} limit ${batch}`),
          );
          for (const r of rows) {
            await emit(`{"t":${JSON.stringify(name)},"r":${r.line}}`);
            lines++;
          }
          if (rows.length < batch) break;
          const last: Record<string, string> = rows[rows.length - 1]!;
          after = columns.map((_, i) => last[`k${i}`]!);
        }
      }
      const trailer: ExportTrailer = { end: true, lines: lines + 1, ledgerHead: { seq: head ? Number(head.seq) : 0, hash: head?.hash ?? null } };
      await emit(JSON.stringify(trailer));
      return trailer;
    },
    { isolationLevel: 'repeatable read' },
  );
}

export class ImportError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/** The longest line `boundedLines` reads by default: far above any row, far below what would strain memory. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * The lines of an export read as bytes (a file stream), each decoded as UTF-8
 * without its line break (LF or CRLF), in bounded memory: a line longer than
 * `maxLineBytes` is refused as soon as that many of its bytes have arrived,
 * never read whole (a 300 MB line once took 4 GB).
 * @throws ImportError naming the line: too long, or not UTF-8
 */
export async function* boundedLines(chunks: AsyncIterable<Uint8Array | string>, maxLineBytes = DEFAULT_MAX_LINE_BYTES): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (bytes: Uint8Array, line: number): string => {
    const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    try {
      return decoder.decode(bytes.subarray(0, end));
    } catch {
      throw new ImportError(line, 'not UTF-8 text; is this a metrotrace export?');
    }
  };
  const limit = (line: number) =>
    new ImportError(
      line,
      `longer than ${maxLineBytes.toLocaleString('en')} bytes (${(maxLineBytes / 2 ** 20).toFixed(maxLineBytes % 2 ** 20 === 0 ? 0 : 2)} MiB, the limit on a line); read no further. A line holds one row: is this a metrotrace export? (metrotrace import --max-line-mib N raises the limit)`,
    );
  let parts: Uint8Array[] = [];
  let held = 0;
  let line = 1;
  for await (const chunk of chunks) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, start);
      const end = nl < 0 ? buf.length : nl;
      if (held + (end - start) > maxLineBytes) throw limit(line);
      if (nl < 0) {
        if (end > start) {
          parts.push(buf.subarray(start));
          held += end - start;
        }
        break;
      }
      const tail = buf.subarray(start, nl);
      yield decode(parts.length === 0 ? tail : Buffer.concat([...parts, tail]), line);
      parts = [];
      held = 0;
      line++;
      start = nl + 1;
    }
  }
  if (held > 0) yield decode(Buffer.concat(parts), line);
}

export interface ImportProgress {
  readonly line: number;
  readonly rows: number;
}

/** Refuses to import into a database that already holds data. */
export async function assertEmpty(db: Db): Promise<void> {
  for (const name of EXPORT_TABLES) {
    const r = rowsOf<{ any: boolean }>(await db.execute(sql`select exists (select 1 from ${ident(name)}) as any`));
    if (r[0]!.any) throw new ImportError(0, `the database already holds data (table ${name}); import into an empty database`);
  }
}

/** Inserts one batch of rows of one table (inside the import's transaction). */
export async function importBatch(db: Db, table: string, rows: readonly unknown[], lastLine: number): Promise<void> {
  if (!(EXPORT_TABLES as readonly string[]).includes(table)) throw new ImportError(lastLine, `unknown table '${table}'`);
  await db.execute(sql`insert into ${ident(table)} select * from jsonb_populate_recordset(null::${ident(table)}, ${JSON.stringify(rows)}::jsonb)`);
}

/** After the last batch: serial counters continue after the imported rows; imported rows of years without their partition move into one. */
export async function finishImport(db: Db): Promise<void> {
  await ensurePartitions(db);
  await db.execute(
    sql`select setval(pg_get_serial_sequence('audit_log', 'seq'), greatest((select max(seq) from audit_log), 1), (select max(seq) from audit_log) is not null)`,
  );
  await db.execute(
    sql`select setval(pg_get_serial_sequence('equipment_events', 'seq'), greatest((select max(seq) from equipment_events), 1), (select max(seq) from equipment_events) is not null)`,
  );
}

/** The tables of the database (public schema), to check that the export covers them all. */
export async function databaseTables(db: Db): Promise<string[]> {
  // a year partition (audit_log_y2026) is part of its table, not a table of its own
  const r = await db.execute(
    sql`select t.tablename from pg_tables t join pg_class c on c.oid = format('public.%I', t.tablename)::regclass where t.schemaname = 'public' and not c.relispartition order by t.tablename`,
  );
  return rowsOf<{ tablename: string }>(r).map((x) => x.tablename);
}

/** The import was refused because the file's ledger does not verify: nothing was committed. */
export class LedgerRefusedError extends ImportError {
  constructor(
    readonly report: LedgerReport,
    message: string,
  ) {
    super(0, message);
    this.message = message;
  }
}

export interface ImportResult {
  readonly exportId: string;
  readonly lines: number;
  readonly rows: number;
  readonly trailer: ExportTrailer;
  /** The API keys this run restored: revoked by the restore, revoked already in the export, kept usable, kept but without a secret hash (so never accepted). */
  readonly keys: KeyCounts;
  /** The verification of the imported ledger, done before the commit (the file's own head: before the restore's entries). */
  readonly ledger: LedgerReport;
  /** Ledger entries the restore appended (one per key it revoked; the upgrade of a version 1 file). */
  readonly appended: number;
}

export interface KeyCounts {
  revoked: number;
  alreadyRevoked: number;
  kept: number;
  keptWithoutHash: number;
}

export interface ImportOptions {
  readonly batch?: number;
  readonly onProgress?: (p: ImportProgress) => void;
  /** Keep the restored API keys usable (when the export carries their hashes). Default: revoke them. */
  readonly keepKeys?: boolean;
  /** When the restore revokes the keys (ISO 8601); default now. */
  readonly revokedAt?: string;
  /** The ledger key ring the file's MACs are checked with and the restore's entries signed with (the source's ring, or one holding its keys). */
  readonly keys?: LedgerKeys;
  /** Anchors of the source's ledger to compare the file's chain with (optional). */
  readonly anchors?: AnchorLog | null;
  /**
   * Accept a version 1 file (made before the ledger had MACs): its chain and
   * contents are verified, the new kinds entered and the whole sealed under
   * this ring — on the word of the file, since nothing in it is authenticated.
   */
  readonly acceptUnauthenticated?: boolean;
}

/**
 * Imports an export read line by line (from a file stream, say) into an empty
 * database, in one transaction: batches of one table's rows, then — before
 * the commit — the ledger verified in full (chain, MACs, contents, the
 * trailer's head, anchors when given). A file that does not verify is refused
 * (LedgerRefusedError) and nothing of it stays; an interruption leaves the
 * database empty as well.
 */
export async function importRegistry(db: Db, lines: AsyncIterable<string>, opts: ImportOptions = {}): Promise<ImportResult> {
  const size = opts.batch ?? 1000;
  const keys = opts.keys ?? NO_LEDGER_KEYS;
  if (keys.signingKeyId === null)
    throw new ImportError(
      0,
      "no ledger key: an import checks the file's ledger MACs with the source's key ring and signs its own entries; set METROTRACE_LEDGER_KEY_FILE",
    );
  const revokedAt = opts.revokedAt ?? new Date().toISOString();
  return db.transaction(async (tx0) => {
    const tx = tx0 as unknown as Db;
    const keyCounts: KeyCounts = { revoked: 0, alreadyRevoked: 0, kept: 0, keptWithoutHash: 0 };
    const toRevoke: string[] = [];
    let lineNo = 0;
    let header: ExportHeader | undefined;
    let trailer: ExportTrailer | undefined;
    let rows = 0;
    let pending: { table: string; rows: unknown[]; last: number } | null = null;
    const flush = async () => {
      if (!pending || pending.rows.length === 0) return;
      await importBatch(tx, pending.table, pending.rows, pending.last);
      rows += pending.rows.length;
      opts.onProgress?.({ line: pending.last, rows });
      pending = null;
    };
    for await (const text of lines) {
      lineNo++;
      if (text.trim() === '') continue;
      let value: Record<string, unknown>;
      try {
        value = JSON.parse(text) as Record<string, unknown>;
      } catch {
        throw new ImportError(lineNo, 'not JSON; is this a metrotrace export?');
      }
      if (lineNo === 1) {
        if (value.format !== EXPORT_FORMAT) throw new ImportError(1, `not a metrotrace export (format '${String(value.format)}')`);
        if (value.version === 1 && !opts.acceptUnauthenticated) {
          throw new ImportError(
            1,
            "export version 1 was made before the ledger had MACs, so nothing in it can be authenticated; import it with --accept-unauthenticated to verify its chain and contents and seal it under this key ring on the file's word",
          );
        }
        if (!READABLE_EXPORT_VERSIONS.includes(value.version as number))
          throw new ImportError(1, `export version ${String(value.version)}; this release reads versions ${READABLE_EXPORT_VERSIONS.join(', ')}`);
        header = value as unknown as ExportHeader;
        await assertEmpty(tx);
        continue;
      }
      if (trailer) throw new ImportError(lineNo, 'lines after the end of the export');
      if (value.end === true) {
        trailer = value as unknown as ExportTrailer;
        continue;
      }
      const table = value.t;
      if (typeof table !== 'string' || typeof value.r !== 'object' || value.r === null) throw new ImportError(lineNo, 'expected {"t": table, "r": row}');
      if (pending && pending.table !== table) await flush();
      pending ??= { table, rows: [], last: lineNo };
      if (table === 'api_keys') {
        const id = restoreKey(value.r as Record<string, unknown>, opts.keepKeys === true, keyCounts);
        if (id !== null) toRevoke.push(id);
      }
      pending.rows.push(value.r);
      pending.last = lineNo;
      if (pending.rows.length >= size) await flush();
    }
    await flush();
    if (!header) throw new ImportError(0, 'the file is empty');
    if (!trailer) throw new ImportError(lineNo, 'the export ends early (no end line): the file is incomplete');
    if (trailer.lines !== lineNo) throw new ImportError(lineNo, `the export says ${trailer.lines} lines, the file has ${lineNo}`);
    await finishImport(tx);

    // Before anything commits: the file's ledger, verified in full inside this transaction.
    const ledger = new LedgerService(new DrizzleLedgerStore(tx), { keys, anchors: opts.anchors ?? null });
    let appended = 0;
    if (header.version === 1) {
      const unsigned = await new LedgerService(new DrizzleLedgerStore(tx)).verify();
      if (unsigned.broken) throw new LedgerRefusedError(unsigned, `the version 1 file's ledger does not verify (${unsigned.summary}); nothing was imported`);
      appended += Number(rowsOf<{ n: string }>(await tx.execute(sql`select metrotrace_ledger_upgrade()::text as n`))[0]!.n);
      await sealUpgrade(tx, keys);
    }
    const report = await ledger.verify();
    const sameHead = report.head.hash === trailer.ledgerHead.hash || (trailer.ledgerHead.hash === null && report.head.seq === 0);
    if (!report.valid) throw new LedgerRefusedError(report, `the file's ledger does not verify, nothing was imported: ${report.summary}`);
    if (!sameHead && header.version !== 1) {
      throw new LedgerRefusedError(
        report,
        `the file's ledger ends at entry ${report.head.seq} ${report.head.hash}, but its trailer names ${trailer.ledgerHead.seq} ${String(trailer.ledgerHead.hash)}: entries were added or removed; nothing was imported`,
      );
    }

    // The restore's own changes, each a signed entry after the file's head.
    for (const id of toRevoke) {
      await tx.execute(sql`update api_keys set revoked_at = ${revokedAt}::timestamptz where id = ${id} and revoked_at is null`);
      await appendToLedger(tx, keys, 'api_key', id);
      appended++;
    }
    return { exportId: header.exportId, lines: lineNo, rows, trailer, keys: keyCounts, ledger: report, appended };
  });
}

/**
 * An API key as the restore counts it, and whether to revoke it after the
 * ledger verified (its id) — never before: the file's rows go in as they are.
 * One revoked in the export keeps its time. Its row stays, for the audit log
 * that names it.
 */
function restoreKey(row: Record<string, unknown>, keep: boolean, counts: KeyCounts): string | null {
  if (row.revoked_at !== null && row.revoked_at !== undefined) counts.alreadyRevoked++;
  else if (keep) {
    counts.kept++;
    if (typeof row.secret_hash === 'string' && row.secret_hash.startsWith(WITHHELD_KEY_HASH)) counts.keptWithoutHash++;
  } else {
    counts.revoked++;
    return String(row.id);
  }
  return null;
}
