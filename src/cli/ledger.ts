/**
 * `metrotrace verify-ledger`: recompute the evidence ledger, check its MACs
 * and compare it with the anchors; exit 3 when a link is broken, 4 when the
 * chain holds but no ledger key was available to check the MACs.
 * `metrotrace ledger anchor|new-key|keys`: take a signed head into the anchor
 * log; add a ledger key (rotation); list the key ids.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { LedgerReport } from '../app/ledger.ts';
import { appendNewKey, fileAnchorLog, ledgerKeyFile, parseKeyRing } from '../runtime/ledger-keys.ts';
import { readConfig } from '../main/config.ts';
import { ledgerServiceOf, withDatabase } from './open.ts';
import type { Command } from './command.ts';

export const verifyLedgerCommand: Command = {
  summary: 'Recompute the ledger (hash chain, MACs, anchors); report the first broken link (exit 3; exit 4 when no key let the MACs be checked)',
  usage:
    'metrotrace verify-ledger [--json] [--anchors FILE]   (the key ring: METROTRACE_LEDGER_KEY_FILE or the default beside METROTRACE_DATA; the anchors: METROTRACE_LEDGER_ANCHORS or beside the key file)',
  async run(args) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, anchors: { type: 'string' } } });
    const report = await withDatabase(
      (db) => {
        const ledger = ledgerServiceOf(values.anchors ? { ...db, ledger: { ...db.ledger, anchors: fileAnchorLog(values.anchors) } } : db);
        return ledger.verify({ onProgress: (n) => process.stderr.isTTY && process.stderr.write(`\rchecked ${n.toLocaleString('en')} entries`) });
      },
      { createKey: false },
    );
    if (process.stderr.isTTY) process.stderr.write('\n');
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else printReport(report);
    return exitOf(report);
  },
};

export function exitOf(report: LedgerReport): number {
  if (!report.valid) return 3;
  return report.authenticated ? 0 : 4;
}

function printReport(report: LedgerReport): void {
  const verdict = !report.valid ? 'BROKEN' : report.authenticated ? 'VALID' : 'UNAUTHENTICATED (chain intact, MACs not checked)';
  console.log(`${verdict}: ${report.checked.toLocaleString('en')} entries check; head ${report.head.seq} ${report.head.hash}`);
  if (report.broken)
    console.log(
      `first broken link: entry ${report.broken.seq} (${report.broken.kind} '${report.broken.entityId}'), ${report.broken.reason}: ${report.broken.message}`,
    );
  if (report.unledgered.count > 0)
    console.log(`${report.unledgered.count} rows have no ledger entry, e.g. ${report.unledgered.examples.map((e) => `${e.kind} '${e.id}'`).join(', ')}`);
  const a = report.anchors.latest;
  console.log(`anchors: ${report.anchors.count} in ${report.anchors.source ?? '(none configured)'}${a ? `; latest ${a.at}: entry ${a.seq} ${a.hash}` : ''}`);
  console.log(report.summary);
}

const LEDGER_USAGE = `metrotrace ledger anchor [--file PATH] [--json]   sign the head and append it to the anchor log (default METROTRACE_LEDGER_ANCHORS or anchors.jsonl beside the key file)
       metrotrace ledger new-key [--file PATH]          append a new key to the key file (it signs from the next start; old keys keep verifying)
       metrotrace ledger keys [--file PATH]             list the key ids (the last one signs)`;

export const ledgerCommand: Command = {
  summary: 'Anchor the ledger head outside the database; add (rotate) or list ledger keys',
  usage: LEDGER_USAGE,
  async run(args) {
    const [verb, ...rest] = args;
    const { values } = parseArgs({ args: rest, options: { file: { type: 'string' }, json: { type: 'boolean' } } });
    const { keyFile } = ledgerKeyFile(process.env, readConfig().dataDir);
    switch (verb) {
      case 'anchor': {
        const taken = await withDatabase((db) => ledgerServiceOf(db).anchor(values.file ? fileAnchorLog(values.file) : db.ledger.anchors));
        if (!taken) {
          console.error('metrotrace ledger anchor: the ledger is empty; nothing to anchor');
          return 1;
        }
        if (values.json) console.log(JSON.stringify(taken.anchor));
        else
          console.log(
            `anchored entry ${taken.anchor.seq} ${taken.anchor.hash} at ${taken.anchor.at} (key ${taken.anchor.keyId}) in ${taken.source}; copy the new line to the second party that keeps your anchors`,
          );
        return 0;
      }
      case 'new-key': {
        const file = values.file ?? keyFile;
        const keyId = appendNewKey(file);
        console.log(
          `added ledger key ${keyId} to ${file}; restart the server (and every writer) for it to sign. Keep the older lines: they verify what they signed.`,
        );
        return 0;
      }
      case 'keys': {
        const file = values.file ?? keyFile;
        const text = readFileSync(file, 'utf8');
        const ring = parseKeyRing(text, file);
        const ids = text
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter((l) => l !== '' && !l.startsWith('#'))
          .map((l) => l.split(/\s+/)[0]!);
        for (const id of ids) console.log(`${id}${id === ring.signingKeyId ? '   (signs)' : ''}`);
        return 0;
      }
      default:
        console.error(`Usage: ${LEDGER_USAGE}`);
        return 2;
    }
  },
};
