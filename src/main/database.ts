/**
 * The configured database as the server and every CLI command open it: the
 * ledger's key ring and anchor log loaded first (they live outside the
 * database), the database opened and migrated, and a seal awaiting a key since
 * the upgrade to MACs signed. One path, so a command sees the database exactly
 * as the server does.
 */
import type { AnchorLog, LedgerKeys } from '../app/ports.ts';
import { type Database, openDb, serverIdentity } from '../persistence/db.ts';
import { sealUpgrade } from '../persistence/ledger-store.ts';
import {
  databaseName,
  fileAnchorLog,
  type LedgerFiles,
  ledgerFiles,
  ledgerKeyFile,
  loadLedgerKeys,
  sharedAnchorLogLeftBehind,
} from '../runtime/ledger-keys.ts';
import type { ServerConfig } from './config.ts';

/** A database opened with its ledger's key ring and anchor log. */
export type LedgeredDatabase = Database & {
  readonly ledger: { readonly keys: LedgerKeys; readonly anchors: AnchorLog; readonly files: LedgerFiles; readonly database: string };
};

export interface OpenOptions {
  /** Make the default key ring on first use (false for a verifier, which does not make itself a key). */
  readonly createKey: boolean;
  /** A prepared data directory for a new embedded database (persistence/db.ts). */
  readonly template?: () => string | undefined;
  /** A smaller embedded buffer pool for a short-lived command (persistence/db.ts, DbConfig.sharedBuffers). */
  readonly sharedBuffers?: string | undefined;
  readonly log: (message: string) => void;
}

export async function openLedgeredDatabase(
  config: Pick<ServerConfig, 'databaseUrl' | 'dataDir'> & Partial<Pick<ServerConfig, 'databasePrepare'>>,
  env: NodeJS.ProcessEnv,
  opts: OpenOptions,
): Promise<LedgeredDatabase> {
  const { keyFile, explicit } = ledgerKeyFile(env, config.dataDir);
  const { keys, created } = loadLedgerKeys({ keyFile, explicit }, { create: opts.createKey, warn: opts.log });
  if (created)
    opts.log(`created the ledger key file ${keyFile}; keep it out of the database administrators' reach (METROTRACE_LEDGER_KEY_FILE; see README.txt there)`);
  const database = await openDb({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    template: opts.template,
    sharedBuffers: opts.sharedBuffers,
    prepare: config.databasePrepare ?? true,
  });
  let files: LedgerFiles;
  let name: string;
  let anchors: AnchorLog;
  try {
    // the anchor log of a PostgreSQL database is named for it as its server reports it, so it is open first
    const home = { ...config, server: (await serverIdentity(database)) ?? undefined };
    files = ledgerFiles(env, home);
    name = databaseName(home);
    anchors = fileAnchorLog(files.anchorFile);
    const shared = await sharedAnchorLogLeftBehind(files, env, name);
    if (shared)
      opts.log(
        `this database's anchor log is ${files.anchorFile} (one per ledger); ${shared.file}, which the embedded database's ledger uses too, holds ${shared.anchors} anchor(s) that name no database (taken before anchors named theirs) — some may be of this one. Check this database against them by hand; the embedded database's among them will read as mismatches`,
      );
    await database.migrate();
    // an anchor held anywhere this ledger's may be (its own log, or the shared one left behind) means MACs existed: never re-seal then
    const anchored = (await anchors.read()).length > 0 || shared !== null;
    const sealed = await sealUpgrade(database.db, keys, { anchored });
    if (sealed)
      opts.log(
        `sealed ledger entries 1–${sealed.throughSeq}, written without a ledger key (before the upgrade to MACs, or into the prepared demo), under ledger key ${sealed.keyId}`,
      );
  } catch (e) {
    await database.close();
    throw e;
  }
  return { ...database, ledger: { keys, anchors, files, database: name } };
}
