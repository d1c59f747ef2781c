/**
 * /v1/imports: bulk import of registers (issue #21). The file travels in the
 * JSON body as base64 (one schema for the request, in the OpenAPI document
 * like every other; a spreadsheet is binary), up to the route's own body limit.
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { IMPORT_FORMATS, IMPORT_KINDS, IMPORT_MODES, JOB_STATUSES, ROW_STATUSES, type ImportService } from '../../app/imports.ts';
import { importReportCsv, writeImportJob } from '../../codecs/import-report.ts';
import { fail } from '../../core/errors.ts';
import { errorResponses, Id, IdParams, Nullable } from '../schemas/common.ts';

/** The largest import body: a file of about 36 MB once base64 is undone (some 200,000 rows of CSV). */
export const IMPORT_BODY_LIMIT = 48 * 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const ImportInput = Type.Object(
  {
    kind: Type.String({
      enum: [...IMPORT_KINDS],
      description:
        'What the file registers: equipment (instruments and standards), records (a lab\u2019s calibration and verification certificates, one measured point a row), scopes (labs\u2019 authorised scopes) or cmcs (labs\u2019 calibration and measurement capabilities); the columns: docs/import.md',
    }),
    format: Type.String({ enum: [...IMPORT_FORMATS], description: 'csv (UTF-8 with or without BOM, or GB18030) or xlsx (the first worksheet)' }),
    file: Type.String({ description: 'The file, base64 (RFC 4648): `base64 -w0 register.xlsx`', contentEncoding: 'base64' }),
    fileName: Type.Optional(Type.String({ maxLength: 255 })),
    dryRun: Type.Optional(Type.Boolean({ description: 'Check every row and report, write nothing (default false)' })),
    mode: Type.Optional(
      Type.String({
        enum: [...IMPORT_MODES],
        description:
          'valid-rows (default): write every valid row, in batches of 500 rows per transaction; all-or-nothing: write nothing unless every row is valid',
      }),
    ),
    ownerId: Type.Optional(
      Type.String({ pattern: Id.pattern, description: 'The owner of rows that name none (kinds equipment and records; default: the organisation of the key)' }),
    ),
    labId: Type.Optional(Type.String({ pattern: Id.pattern, description: 'The lab of rows that name none (kinds scopes and cmcs)' })),
    wait: Type.Optional(
      Type.Boolean({
        description:
          'true (default): answer 201 when the import has ended, with its report; false: answer 202 at once with the job (status running) and follow it by GET /v1/imports/{id} — for files that take longer than the request timeout',
      }),
    ),
  },
  { additionalProperties: false },
);

const ProblemRow = Type.Object({ row: Type.Integer(), column: Nullable(Type.String()), field: Type.String(), code: Type.String(), message: Type.String() });
const RowReport = Type.Object({
  row: Type.Integer(),
  status: Type.String({ enum: [...ROW_STATUSES] }),
  id: Nullable(Type.String()),
  problems: Type.Array(ProblemRow),
});
const ImportJob = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  format: Type.String(),
  fileName: Nullable(Type.String()),
  fileSha256: Type.String(),
  dryRun: Type.Boolean(),
  mode: Type.String(),
  status: Type.String({ enum: [...JOB_STATUSES] }),
  organisationId: Nullable(Type.String()),
  totalRows: Type.Integer(),
  processedRows: Type.Integer(),
  progress: Type.Number({ description: 'processedRows / totalRows' }),
  counts: Type.Object(Object.fromEntries(ROW_STATUSES.map((s) => [s, Type.Integer()]))),
  fileProblems: Type.Array(ProblemRow),
  rows: Type.Array(RowReport),
  error: Nullable(Type.String()),
  createdAt: Type.String(),
  finishedAt: Nullable(Type.String()),
});
const Lang = Type.Optional(Type.String({ enum: ['en', 'zh'], description: 'Headers in English (default) or Chinese' }));
const JobQuery = Type.Object(
  { rows: Type.Optional(Type.String({ enum: ['all', 'problems'], description: 'all rows (default), or only those with a problem' })) },
  { additionalProperties: false },
);
const TemplateParams = Type.Object({
  file: Type.String({
    pattern: '^(equipment|records|scopes|cmcs)\\.(csv|xlsx)$',
    description: 'equipment.csv, records.csv, scopes.csv or cmcs.csv, or the same as .xlsx',
  }),
});
const LangQuery = Type.Object({ lang: Lang }, { additionalProperties: false });

export function importRoutes(imports: ImportService) {
  return async function routes(app: FastifyInstance): Promise<void> {
    const tags = ['imports'];

    app.post<{ Body: Static<typeof ImportInput> }>(
      '/v1/imports',
      {
        bodyLimit: IMPORT_BODY_LIMIT,
        schema: {
          tags,
          summary:
            'Import a register (a spreadsheet of equipment, or of a lab’s certificates): every row checked as POST /v1/equipment (or POST /v1/calibrations) checks it, reported by row and column; a dry run writes nothing; rows already registered alike are unchanged, differently a conflict (never overwritten; a changed scope or CMC row with its effective date appends a new version, as …/amendments). An owner imports its own equipment, a lab its own standards and the records it issued, an admin anyone’s and labs’ scopes and CMCs',
          body: ImportInput,
          response: { 201: ImportJob, 202: ImportJob, ...errorResponses(400, 403, 413) },
        },
      },
      async (req, reply) => {
        const b = req.body;
        if (!BASE64.test(b.file)) fail('INVALID_FIELD', '/file', 'the file is sent base64-encoded (RFC 4648, e.g. `base64 -w0 register.xlsx`)');
        const { job, finished } = await imports.start(req.caller, {
          kind: b.kind as (typeof IMPORT_KINDS)[number],
          format: b.format as (typeof IMPORT_FORMATS)[number],
          bytes: Buffer.from(b.file, 'base64'),
          fileName: b.fileName ?? null,
          dryRun: b.dryRun ?? false,
          mode: (b.mode ?? 'valid-rows') as (typeof IMPORT_MODES)[number],
          ownerId: b.ownerId ?? null,
          labId: b.labId ?? null,
        });
        if (b.wait === false) {
          // the import goes on after the answer; an interruption is recorded on the job (status interrupted)
          finished.catch((e: unknown) => req.log.error({ err: e, importId: job.id }, 'import interrupted'));
          return reply.status(202).send(writeImportJob(job));
        }
        return reply.status(201).send(writeImportJob(await finished));
      },
    );

    app.get<{ Params: Static<typeof TemplateParams>; Querystring: Static<typeof LangQuery> }>(
      '/v1/imports/templates/:file',
      {
        schema: {
          tags,
          summary:
            'An empty register to fill in: equipment, records, scopes or cmcs, as .csv (UTF-8 with BOM) or .xlsx (with a sheet saying what each column takes), headers in English or Chinese (?lang=zh)',
          params: TemplateParams,
          querystring: LangQuery,
          produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
          response: { 200: Type.String(), ...errorResponses(400) },
        },
      },
      async (req, reply) => sendTemplate(reply, req.params.file, req.query.lang === 'zh' ? 'zh' : 'en'),
    );

    app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof JobQuery> }>(
      '/v1/imports/:id',
      {
        schema: {
          tags,
          summary: 'An import: its status, counts, progress and the report of every row (?rows=problems: only rows with a problem)',
          params: IdParams,
          querystring: JobQuery,
          response: { 200: ImportJob, ...errorResponses(400, 404) },
        },
      },
      async (req) => writeImportJob(await imports.get(req.caller, req.params.id), { onlyProblems: req.query.rows === 'problems' }),
    );

    app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof LangQuery> }>(
      '/v1/imports/:id/report.csv',
      {
        schema: {
          tags,
          summary:
            'The report of an import as CSV (UTF-8 with BOM, for Excel): one line per problem, one per row without; ?lang=zh for Chinese headers and statuses',
          params: IdParams,
          querystring: LangQuery,
          produces: ['text/csv'],
          response: { 200: Type.String(), ...errorResponses(400, 404) },
        },
      },
      async (req, reply) => {
        const job = await imports.get(req.caller, req.params.id);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="import-${job.id}-report.csv"`)
          .send(importReportCsv(job, req.query.lang === 'zh' ? 'zh' : 'en'));
      },
    );
  };
}

/**
 * Sends an import template (equipment.csv, records.xlsx, …) with its headers in
 * a language: what GET /v1/imports/templates/{file} and the import page's
 * /app/imports/templates/{file} both answer. A file that is no template is
 * NOT_FOUND, naming those there are.
 */
export async function sendTemplate(reply: FastifyReply, file: string, lang: 'zh' | 'en'): Promise<FastifyReply> {
  const sheets = await import('../../runtime/spreadsheet.ts');
  const [name, extension] = file.split('.');
  const table = Object.hasOwn(sheets.TEMPLATE_TABLES, name ?? '') ? sheets.TEMPLATE_TABLES[name!] : undefined;
  if (!table || (extension !== 'csv' && extension !== 'xlsx') || file !== `${name}.${extension}`) {
    fail(
      'NOT_FOUND',
      ':file',
      `no template '${file}'; there are ${Object.keys(sheets.TEMPLATE_TABLES)
        .flatMap((k) => [`${k}.csv`, `${k}.xlsx`])
        .join(', ')}`,
    );
  }
  reply.header('content-disposition', `attachment; filename="${name}-${lang}.${extension}"`);
  if (extension === 'csv') return reply.type('text/csv; charset=utf-8').send(sheets.templateCsv(table, lang));
  return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await sheets.templateXlsx(table, lang));
}
