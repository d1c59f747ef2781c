/**
 * The metrotrace command line. Each subcommand is a module in this folder;
 * this file only dispatches. Exit status: 0 success, 1 failure, 2 bad input.
 *
 * @impure reads files, the environment and standard streams.
 */
import { MetrologyError } from '../core/errors.ts';
import type { CommandEntry } from './command.ts';

/**
 * The commands. Each module is imported only when its command runs, so `--help`
 * loads none of them and `uncertainty` loads no database and no HTTP server.
 * (The summaries repeat the modules' own; test/cli/main.test.ts checks they agree.)
 */
export const COMMANDS: Record<string, CommandEntry> = {
  serve: {
    summary: 'Start the HTTP API (embedded PGlite in ./data unless DATABASE_URL is set; demo data on first start)',
    load: async () => (await import('./serve.ts')).serveCommand,
  },
  migrate: { summary: 'Apply the committed migrations to the configured database', load: async () => (await import('./db.ts')).migrateCommand },
  seed: {
    summary: 'Load a registry data set (default: the demo in fixtures/demo) in one transaction',
    load: async () => (await import('./db.ts')).seedCommand,
  },
  uncertainty: {
    summary: 'Evaluate measurement uncertainty from a JSON spec (GUM LPU or Monte Carlo; see docs/uncertainty-spec.md)',
    load: async () => (await import('./uncertainty.ts')).uncertaintyCommand,
  },
  trace: {
    summary: 'Resolve the traceability chain of an equipment at a date and say why it is broken',
    load: async () => (await import('./trace.ts')).traceCommand,
  },
  impact: {
    summary: 'Impact analysis: everything that depended on a standard on or after a date, transitively',
    load: async () => (await import('./impact.ts')).impactCommand,
  },
  status: {
    summary: 'Verification status of an instrument at a date, by id, certificate number or asset code',
    load: async () => (await import('./verification.ts')).statusCommand,
  },
  due: {
    summary: 'Mandatory instruments due or overdue over a horizon, by region, owner, category, usage (CSV or JSON)',
    load: async () => (await import('./verification.ts')).dueCommand,
  },
  plan: {
    summary: 'Plan the verifications due over a horizon onto the institutions’ monthly capacities (stored; overflow reported)',
    load: async () => (await import('./verification.ts')).planCommand,
  },
  interval: {
    summary: 'Recommend a verification/calibration interval from the in-tolerance history (staircase, reliability target)',
    load: async () => (await import('./verification.ts')).intervalCommand,
  },
  'energy-audit': {
    summary: "Audit an organisation's energy metering against GB 17167 (optionally submitting a new inventory first); writes an HTML report",
    load: async () => (await import('./energy.ts')).energyAuditCommand,
  },
  event: {
    summary: "Record a change in an equipment's life (renewal, suspension, transfer, scrapping…), list them, or show its state at a date",
    load: async () => (await import('./event.ts')).eventCommand,
  },
  lot: {
    summary:
      "Plan a lot by GB/T 2828.1 (n, Ac, Re and the risks) or by variables (ANSI/ASQ Z1.9: n, k and the risks), draw a published lot sampling plan again and check its sample, plan the rotation of meters by month and region, or list a lot's history",
    load: async () => (await import('./lot.ts')).lotCommand,
  },
  'spot-check': {
    summary: 'Draw a published spot-check plan again from its seed and population and check the targets and inspectors are the ones published',
    load: async () => (await import('./spot-check.ts')).spotCheckCommand,
  },
  dcc: {
    summary: 'Export a calibration record as a DCC (PTB 3.2.0), or import a DCC as a calibration record of one of our standards',
    load: async () => (await import('./dcc.ts')).dccCommand,
  },
  keys: { summary: 'Create (the first admin key, say), list or revoke API keys', load: async () => (await import('./keys.ts')).keysCommand },
  'verify-ledger': {
    summary: 'Recompute the ledger (hash chain, MACs, anchors); report the first broken link (exit 3; exit 4 when no key let the MACs be checked)',
    load: async () => (await import('./ledger.ts')).verifyLedgerCommand,
  },
  ledger: {
    summary: 'Anchor the ledger head outside the database; add (rotate) or list ledger keys',
    load: async () => (await import('./ledger.ts')).ledgerCommand,
  },
  export: {
    summary: 'Write the whole registry (records, ledger, keys without their secret hashes, audit log…) as versioned JSON Lines',
    load: async () => (await import('./export.ts')).exportCommand,
  },
  'import-register': {
    summary:
      "Import a register (equipment, records, labs' scopes or CMCs) from a CSV or XLSX file (headers in English or Chinese), checked row by row as the API checks it; --dry-run writes nothing",
    load: async () => (await import('./import-register.ts')).importRegisterCommand,
  },
  import: {
    summary: 'Restore an export into an empty database in one transaction, committed only if its ledger verifies; its API keys revoked',
    load: async () => (await import('./export.ts')).importCommand,
  },
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
    console.log((await import('../main/version.ts')).VERSION);
    return 0;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    console.error(`metrotrace: unknown command '${name}'\n\n${helpText()}`);
    return 2;
  }
  try {
    const command = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      console.log(`${command.summary}\n\nUsage: ${command.usage}`);
      return 0;
    }
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
