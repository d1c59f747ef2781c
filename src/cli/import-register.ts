/**
 * `metrotrace import-register FILE --kind equipment`: a register (CSV or
 * XLSX) imported as `POST /v1/imports` imports it, in the name of an API key
 * (--key, or METROTRACE_KEY): an owner's for its own equipment, a lab's for
 * its own standards, an admin's for anyone's. The report is printed (and
 * written as CSV with --report). Exit status 1 when any row was not imported
 * (or, in a dry run, would not be), or the file itself has a problem.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';
import { IMPORT_KINDS, type ImportJob, type ImportKind } from '../core/imports.ts';
import { importReportCsv } from '../codecs/import-report.ts';
import { parseDate } from '../core/dates.ts';
import { fail } from '../core/errors.ts';
import { today } from '../runtime/ambient.ts';
import { cliServices, withDatabase } from './db.ts';
import type { Command } from './command.ts';

const USAGE = `metrotrace import-register FILE --kind equipment|records|scopes|cmcs [--dry-run] [--all-or-nothing]
          [--format csv|xlsx]   (default: from the file's extension)
          [--owner ORG_ID]      (the owner of rows that name none; default: the key's organisation)
  --kind equipment: an owner's or a lab's instruments and standards (an owner's, a lab's or an admin's key);
  --kind records: the calibration and verification certificates a lab issued, one measured point a row
                  (the lab's key, or an admin's);
  --kind scopes|cmcs: labs' authorised scopes or CMCs, one a row (an admin's key)
          [--lab ORG_ID]        (scopes, cmcs: the lab of rows that name none)
          [--report REPORT.csv] [--lang en|zh]   (the report as CSV, UTF-8 with BOM)
          [--json]              (the whole job as JSON instead of the summary)
          [--key TOKEN]         (default: $METROTRACE_KEY)
The columns, in English or Chinese: docs/import.md. Exit status 1 when a row is not imported.`;

/** The report for a person: the counts, then each problem by row and column. */
export function summary(job: ImportJob): string {
  const c = job.counts;
  const done = job.kind === 'records' ? 'recorded' : job.kind === 'equipment' ? 'registered' : 'declared';
  const head = job.dryRun
    ? `dry run of ${job.totalRows} rows: ${c.valid} would be ${done}, ${c.unchanged} unchanged, ${c.conflict} in conflict, ${c.error} with errors; nothing written`
    : `${job.totalRows} rows: ${c.created} ${done}, ${c.amended ? `${c.amended} amended (a new version), ` : ''}${c.unchanged} unchanged, ${c.conflict} in conflict, ${c.error} with errors${c.not_imported ? `, ${c.not_imported} not imported (all-or-nothing)` : ''}`;
  const lines = [`import ${job.id} (${job.status}) — ${head}`];
  for (const p of job.fileProblems) lines.push(`row ${p.row}${p.column ? `, column ${p.column}` : ''}: ${p.code} — ${p.message}`);
  for (const r of job.rows) for (const p of r.problems) lines.push(`row ${p.row}${p.column ? `, ${p.column}` : ''}: ${p.code} — ${p.message}`);
  return lines.join('\n');
}

/** Whether every row went (or, in a dry run, would go) in. */
export const complete = (job: ImportJob): boolean => job.status === 'completed' && job.counts.error + job.counts.conflict + job.counts.not_imported === 0;

export const importRegisterCommand: Command = {
  summary:
    "Import a register (equipment, records, labs' scopes or CMCs) from a CSV or XLSX file (headers in English or Chinese), checked row by row as the API checks it; --dry-run writes nothing",
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        kind: { type: 'string' },
        format: { type: 'string' },
        'dry-run': { type: 'boolean' },
        'all-or-nothing': { type: 'boolean' },
        owner: { type: 'string' },
        lab: { type: 'string' },
        report: { type: 'string' },
        lang: { type: 'string' },
        json: { type: 'boolean' },
        key: { type: 'string' },
      },
    });
    const file = positionals[0];
    if (!file) {
      console.error(`Usage: ${USAGE}`);
      return 2;
    }
    const kind = values.kind ?? fail('MISSING_FIELD', '--kind', `give --kind: ${IMPORT_KINDS.join(', ')}`);
    if (!(IMPORT_KINDS as readonly string[]).includes(kind)) fail('INVALID_FIELD', '--kind', `--kind is one of ${IMPORT_KINDS.join(', ')}`);
    const format = values.format ?? extname(file).slice(1).toLowerCase();
    if (format !== 'csv' && format !== 'xlsx') fail('INVALID_FIELD', '--format', `give --format csv or xlsx (the file's extension is '${extname(file)}')`);
    const lang = values.lang ?? 'en';
    if (lang !== 'en' && lang !== 'zh') fail('INVALID_FIELD', '--lang', '--lang is en or zh');
    const token =
      values.key ||
      process.env.METROTRACE_KEY ||
      fail(
        'MISSING_FIELD',
        '--key',
        'give --key (or set METROTRACE_KEY): the API key of the owner (or lab) whose register this is, or of an admin (`metrotrace keys create` makes one)',
      );
    if (!existsSync(file)) fail('NOT_FOUND', 'FILE', `there is no file '${file}' to import (a path from the current directory, ${process.cwd()})`);
    const bytes = readFileSync(file);
    return withDatabase(async (db) => {
      const services = cliServices(db);
      const auth = await services.access.authenticate(token, parseDate(today(), ''));
      if (!auth.ok) fail('UNAUTHORISED', '--key', `the key was not accepted: ${auth.reason}`);
      if (auth.caller.kind !== 'key' || !['admin', 'owner', 'lab'].includes(auth.caller.role))
        fail('FORBIDDEN', '--key', 'an import is made with the key of an owner, a lab or an admin');
      const job = await services.imports.run(auth.caller, {
        kind: kind as ImportKind,
        format,
        bytes,
        fileName: basename(file),
        dryRun: values['dry-run'] ?? false,
        mode: values['all-or-nothing'] ? 'all-or-nothing' : 'valid-rows',
        ownerId: values.owner ?? null,
        labId: values.lab ?? null,
      });
      if (values.report) writeFileSync(values.report, importReportCsv(job, lang));
      console.log(values.json ? JSON.stringify(job, null, 2) : summary(job));
      return complete(job) ? 0 : 1;
    });
  },
};
