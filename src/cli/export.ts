/**
 * `metrotrace export` and `metrotrace import`: the whole registry as JSON Lines
 * (docs/export-format.md) and back into an empty database, streamed, in one
 * transaction that commits only when the file's ledger verifies (chain, MACs,
 * contents, trailer head), with a progress bar on stderr.
 */
import { randomUUID } from 'node:crypto';
import { fileAnchorLog } from '../runtime/ledger-keys.ts';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { boundedLines, DEFAULT_MAX_LINE_BYTES, exportRegistry, ImportError, importRegistry, LedgerRefusedError } from '../persistence/export.ts';
import { withDatabase } from './db.ts';
import type { Command } from './command.ts';

export const exportCommand: Command = {
  summary: 'Write the whole registry (records, ledger, keys without their secret hashes, audit log…) as versioned JSON Lines',
  usage:
    "metrotrace export [--out FILE] [--with-key-hashes]   (default: standard output; --with-key-hashes writes the API keys' secret hashes, so a restore with --keep-keys accepts the old keys)",
  async run(args) {
    const { values } = parseArgs({ args, options: { out: { type: 'string' }, 'with-key-hashes': { type: 'boolean' } } });
    const out = values.out ? createWriteStream(values.out) : process.stdout;
    const keyHashes = values['with-key-hashes'] === true;
    const trailer = await withDatabase((db) =>
      exportRegistry(
        db.db,
        randomUUID(),
        async (line) => {
          if (!out.write(`${line}\n`)) await once(out, 'drain');
        },
        undefined,
        { keyHashes },
      ),
    );
    if (values.out)
      await new Promise<void>((resolve, reject) => (out as ReturnType<typeof createWriteStream>).end((e?: Error | null) => (e ? reject(e) : resolve())));
    console.error(
      `exported ${trailer.lines.toLocaleString('en')} lines; ledger head ${trailer.ledgerHead.seq} ${trailer.ledgerHead.hash ?? '(empty)'}; API keys ${keyHashes ? 'WITH their secret hashes: keep this file as secret as the keys' : 'without their secret hashes'}`,
    );
    return 0;
  },
};

/** A one-line progress bar, redrawn at most every 200 ms (plain lines when stderr is not a terminal). */
function progressBar(total: number) {
  let last = 0;
  let started = 0;
  return (done: number, rows: number, final = false) => {
    const now = Date.now();
    started ||= now - 1;
    if (!final && now - last < (process.stderr.isTTY ? 200 : 5000)) return;
    last = now;
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const width = 30;
    const bar = '█'.repeat(Math.round(share * width)).padEnd(width, '·');
    const rate = rows / Math.max(0.001, (now - started) / 1000);
    const text = `import [${bar}] ${(share * 100).toFixed(0).padStart(3)} %  ${rows.toLocaleString('en')} rows  ${Math.round(rate).toLocaleString('en')} rows/s`;
    process.stderr.write(process.stderr.isTTY ? `\r${text}${final ? '\n' : ''}` : `${text}\n`);
  };
}

export const importCommand: Command = {
  summary: 'Restore an export into an empty database in one transaction, committed only if its ledger verifies; its API keys revoked',
  usage: `metrotrace import FILE [--batch 1000] [--keep-keys] [--anchors FILE] [--accept-unauthenticated] [--max-line-mib ${DEFAULT_MAX_LINE_BYTES / 2 ** 20}]   (the ledger key ring must hold the source's keys: METROTRACE_LEDGER_KEY_FILE; --anchors: compare with the source's anchors; --accept-unauthenticated: a version 1 file, made before MACs; --keep-keys: the restored API keys stay usable, if the export carries their hashes; a longer line is refused before it is read whole)`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        batch: { type: 'string' },
        'keep-keys': { type: 'boolean' },
        'max-line-mib': { type: 'string' },
        anchors: { type: 'string' },
        'accept-unauthenticated': { type: 'boolean' },
      },
    });
    const file = positionals[0];
    if (!file) {
      console.error(`Usage: ${importCommand.usage}`);
      return 2;
    }
    const batch = values.batch === undefined ? 1000 : Number(values.batch);
    if (!Number.isInteger(batch) || batch < 1 || batch > 100_000) {
      console.error('--batch must be a whole number from 1 to 100000');
      return 2;
    }
    const maxLineMib = values['max-line-mib'] === undefined ? DEFAULT_MAX_LINE_BYTES / 2 ** 20 : Number(values['max-line-mib']);
    if (!Number.isInteger(maxLineMib) || maxLineMib < 1 || maxLineMib > 1024) {
      console.error('--max-line-mib must be a whole number from 1 to 1024');
      return 2;
    }
    const size = statSync(file).size;
    const stream = createReadStream(file);
    const bar = progressBar(size);
    try {
      return await withDatabase(async (db) => {
        const result = await importRegistry(db.db, boundedLines(stream, maxLineMib * 2 ** 20), {
          batch,
          keepKeys: values['keep-keys'] === true,
          keys: db.ledger.keys,
          anchors: values.anchors ? fileAnchorLog(values.anchors) : null,
          acceptUnauthenticated: values['accept-unauthenticated'] === true,
          onProgress: (p) => bar(stream.bytesRead, p.rows),
        });
        bar(size, result.rows, true);
        const r = result.ledger;
        console.error(
          `imported ${result.rows.toLocaleString('en')} rows; the file's ledger verified before the commit (${r.checked.toLocaleString('en')} entries, MACs ${r.authenticated ? 'checked' : 'NOT checked'}), head ${r.head.seq} ${r.head.hash}${result.trailer.ledgerHead.hash === r.head.hash ? ", the export's" : ''}${result.appended > 0 ? `; the restore appended ${result.appended} signed entr${result.appended === 1 ? 'y' : 'ies'}` : ''}`,
        );
        const k = result.keys;
        if (k.revoked > 0)
          console.error(
            `${k.revoked} API key(s) restored as revoked (the audit log still names them); create new ones with \`metrotrace keys create\`, or import with --keep-keys to keep them`,
          );
        if (k.keptWithoutHash > 0)
          console.error(`${k.keptWithoutHash} API key(s) kept but unusable: the export carries no secret hashes (export with --with-key-hashes to carry them)`);
        return 0;
      });
    } catch (e) {
      if (e instanceof LedgerRefusedError) {
        console.error(`metrotrace import: REFUSED, nothing imported: ${e.message}`);
        if (e.report.broken)
          console.error(`first broken link: entry ${e.report.broken.seq} (${e.report.broken.kind} '${e.report.broken.entityId}'), ${e.report.broken.reason}`);
        return 3;
      }
      if (e instanceof ImportError) {
        console.error(`metrotrace import: ${e.message} (nothing was imported)`);
        return 2;
      }
      throw e;
    }
  },
};
