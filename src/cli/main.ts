/**
 * The metrotrace command line. Each subcommand is a module in this folder;
 * this file only dispatches. Exit status: 0 success, 1 failure, 2 bad input.
 *
 * @impure reads files, the environment and standard streams.
 */
import { MetrologyError } from '../core/errors.ts';
import { serveCommand } from './serve.ts';
import { migrateCommand, seedCommand } from './db.ts';
import { impactCommand } from './impact.ts';
import { traceCommand } from './trace.ts';
import { uncertaintyCommand } from './uncertainty.ts';
import { energyAuditCommand } from './energy.ts';
import { dccCommand } from './dcc.ts';
import { keysCommand } from './keys.ts';
import { ledgerCommand, verifyLedgerCommand } from './ledger.ts';
import { exportCommand, importCommand } from './export.ts';
import { dueCommand, intervalCommand, planCommand, statusCommand } from './verification.ts';

export interface Command {
  readonly summary: string;
  readonly usage: string;
  run(args: string[]): Promise<number>;
}

export const COMMANDS: Record<string, Command> = {
  serve: serveCommand,
  migrate: migrateCommand,
  seed: seedCommand,
  uncertainty: uncertaintyCommand,
  trace: traceCommand,
  impact: impactCommand,
  status: statusCommand,
  due: dueCommand,
  plan: planCommand,
  interval: intervalCommand,
  'energy-audit': energyAuditCommand,
  dcc: dccCommand,
  keys: keysCommand,
  'verify-ledger': verifyLedgerCommand,
  ledger: ledgerCommand,
  export: exportCommand,
  import: importCommand,
};

export function helpText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'metrotrace — metrology calibration and measurement-traceability engine',
    '',
    'Usage: metrotrace <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `metrotrace <command> --help` for a command’s options.',
    'Environment: DATABASE_URL (PostgreSQL server; default embedded PGlite), METROTRACE_DATA (PGlite directory, default ./data), PORT, HOST.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(helpText());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    const { VERSION } = await import('../http/server.ts');
    console.log(VERSION);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`metrotrace: unknown command '${name}'\n\n${helpText()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`${command.summary}\n\nUsage: ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    return reportError(e);
  }
}

/** Prints an error for a person (and, for coded errors, as JSON on stderr) and gives the exit status. */
export function reportError(e: unknown): number {
  if (e instanceof MetrologyError) {
    console.error(JSON.stringify({ code: e.code, path: e.path, message: e.message }));
    return 2;
  }
  console.error(`metrotrace: ${e instanceof Error ? e.message : String(e)}`);
  return 1;
}
