/**
 * Importing labs' scopes and CMCs (kinds scopes and cmcs, app/declaration-
 * imports.ts) over a database: declared as the API declares them, recognised
 * again (by id or by quantity, category and range), a changed row appended as
 * a new version from its effective date (or a conflict without one), every
 * problem code a row can reach under its column, an admin's only. On PGlite
 * and (with DATABASE_URL) PostgreSQL.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ImportService, type ImportJob, type ImportRequest } from '../../src/app/imports.ts';
import type { RegistryService } from '../../src/app/registry.ts';
import { csvTable } from '../../src/codecs/csv.ts';
import { readScope, readScopeAmendment } from '../../src/codecs/registry.ts';
import { CMC_TABLE, SCOPE_TABLE } from '../../src/codecs/scope-register.ts';
import type { Caller } from '../../src/core/access/roles.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import { MetrologyError } from '../../src/core/errors.ts';
import type { Db } from '../../src/persistence/db.ts';
import { DrizzleImportStore } from '../../src/persistence/import-store.ts';
import { DrizzleRegistryStore } from '../../src/persistence/registry-store.ts';
import { readTable, templateXlsx } from '../../src/runtime/spreadsheet.ts';
import { sha256BytesHex } from '../../src/runtime/digests.ts';
import { testDatabases } from '../helpers/db.ts';
import { sequentialIds, withApp } from '../helpers/app.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';
import ExcelJS from 'exceljs';

const ADMIN: Caller = { kind: 'key', keyId: 'k-admin', role: 'admin', organisationId: null };
const LAB: Caller = { kind: 'key', keyId: 'k-lab', role: 'lab', organisationId: 'acme-cal' };

let importers = 0;
function importer(db: Db, registry: RegistryService): ImportService {
  return new ImportService({
    registry,
    store: new DrizzleRegistryStore(db, TEST_LEDGER_KEYS),
    jobs: new DrizzleImportStore(db),
    readTable,
    sha256: sha256BytesHex,
    newId: sequentialIds(`scope-import${++importers}`),
    now: () => '2026-11-25T02:00:00.000Z',
  });
}

const bytes = (header: string[], rows: string[][]) => new TextEncoder().encode(csvTable(header, rows));
const scopes = (header: string[], rows: string[][], extra: Partial<ImportRequest> = {}): ImportRequest => ({
  kind: 'scopes',
  format: 'csv',
  bytes: bytes(header, rows),
  ...extra,
});
const cmcs = (header: string[], rows: string[][], extra: Partial<ImportRequest> = {}): ImportRequest => ({
  kind: 'cmcs',
  format: 'csv',
  bytes: bytes(header, rows),
  ...extra,
});
const statuses = (job: ImportJob) => job.rows.map((r) => r.status);
const problemsOf = (job: ImportJob) => job.rows.flatMap((r) => r.problems.map((p) => [p.row, p.column, p.code, p.field]));

const SCOPE_ZH = [
  '授权项目ID',
  '检定/校准机构ID',
  '被测量',
  '强制管理目录编号',
  '测量范围下限',
  '测量范围上限',
  '测量范围单位',
  '强制检定授权',
  '有效期起',
  '有效期至',
  '授权证书编号',
  '发证机关ID',
  '变更生效日期',
];
const scopeRow = (id: string, over: Partial<Record<string, string>> = {}) => {
  const v = {
    id,
    lab: 'acme-cal',
    quantity: '压力',
    category: '',
    min: '0',
    max: '60',
    unit: 'MPa',
    mandatory: '否',
    from: '2025-01-01',
    until: '2029-12-31',
    no: '',
    issuer: '',
    effective: '',
    ...over,
  };
  return [v.id, v.lab, v.quantity, v.category, v.min, v.max, v.unit, v.mandatory, v.from, v.until, v.no, v.issuer, v.effective];
};
const CMC_EN = [
  'CMC id',
  'Lab id',
  'Quantity',
  'Range min',
  'Range max',
  'Range unit',
  'Expanded uncertainty',
  'Relative expanded uncertainty',
  'Coverage factor',
  'Valid from',
  'Valid until',
  'Change effective from',
  'Change reason',
];
const cmcRow = (over: Partial<Record<string, string>> = {}) => {
  const v = {
    id: '',
    lab: 'acme-cal',
    quantity: 'temperature',
    min: '-40',
    max: '300',
    unit: '°C',
    u: '0.05',
    urel: '',
    k: '2',
    from: '2025-01-01',
    until: '2029-12-31',
    effective: '',
    reason: '',
    ...over,
  };
  return [v.id, v.lab, v.quantity, v.min, v.max, v.unit, v.u, v.urel, v.k, v.from, v.until, v.effective, v.reason];
};

for (const database of testDatabases()) {
  const it = suite(`scope and CMC register import (#21) on ${database.name}`);

  it('scopes: Chinese headers declared as the API declares them; the same file again is unchanged; a change appends a version only from its effective date', () =>
    withApp(database, async ({ db, registry }) => {
      const imports = importer(db, registry);
      const rows = [
        scopeRow('acme-pressure', { mandatory: '是', no: '(沪)法计(2025)02002号', issuer: 'city-samr' }),
        scopeRow('', { quantity: '温度', min: '-40', max: '300', unit: '°C' }),
      ];
      const first = await imports.run(ADMIN, scopes(SCOPE_ZH, rows));
      assert.equal(first.status, 'completed');
      assert.equal(statuses(first), ['created', 'created'], JSON.stringify(first.rows));
      const declared = await registry.listScopes('acme-cal', '2026-11-25' as CalendarDate);
      const pressure = declared.find((s) => s.id === 'acme-pressure')!;
      assert.equal(
        [pressure.quantity, pressure.mandatoryVerification, pressure.range, pressure.authorisationNo, pressure.issuedBy],
        ['pressure', true, { min: '0', max: '60', unit: 'MPa' }, '(沪)法计(2025)02002号', 'city-samr'],
      );
      const temperature = declared.find((s) => s.quantity === 'temperature')!;
      assert.is(temperature.mandatoryVerification, false);

      // the same file again: both recognised (one by id, one by quantity, category and range), nothing written
      const again = await imports.run(ADMIN, scopes(SCOPE_ZH, rows));
      assert.equal(statuses(again), ['unchanged', 'unchanged']);
      assert.equal(
        again.rows.map((r) => r.id),
        ['acme-pressure', temperature.id],
      );
      // decimals by value: 60.0 is 60
      assert.equal(
        statuses(
          await imports.run(
            ADMIN,
            scopes(SCOPE_ZH, [scopeRow('acme-pressure', { mandatory: '是', no: '(沪)法计(2025)02002号', issuer: 'city-samr', max: '60.0' })]),
          ),
        ),
        ['unchanged'],
      );

      // a longer validity without a date: a conflict naming the column, nothing written
      const extended = scopeRow('acme-pressure', { mandatory: '是', no: '(沪)法计(2025)02002号', issuer: 'city-samr', until: '2030-12-31' });
      const conflict = await imports.run(ADMIN, scopes(SCOPE_ZH, [extended]));
      assert.equal(problemsOf(conflict), [[2, '有效期至', 'APPEND_ONLY', '/validUntil']]);
      assert.match(conflict.rows[0]!.problems[0]!.message, /有效期至 '2029-12-31' \(this row: '2030-12-31'\)/);
      assert.is((await registry.scopeVersions('acme-cal', 'acme-pressure')).length, 1);

      // with its effective date: a new version, as POST …/amendments appends it
      const dated = scopeRow('acme-pressure', {
        mandatory: '是',
        no: '(沪)法计(2025)02002号',
        issuer: 'city-samr',
        until: '2030-12-31',
        effective: '2026-06-01',
      });
      const amended = await imports.run(ADMIN, scopes(SCOPE_ZH, [dated]));
      assert.equal(statuses(amended), ['amended'], JSON.stringify(amended.rows));
      assert.equal(amended.counts.amended, 1);
      const versions = await registry.scopeVersions('acme-cal', 'acme-pressure');
      assert.equal(
        versions.map((v) => [v.version, v.kind, v.effectiveFrom, v.state?.validUntil]),
        [
          [1, 'original', '2025-01-01', '2029-12-31'],
          [2, 'amend', '2026-06-01', '2030-12-31'],
        ],
      );
      assert.equal((await registry.listScopes('acme-cal', '2026-01-01' as CalendarDate)).find((s) => s.id === 'acme-pressure')!.validUntil, '2029-12-31');
      // the amended file again: unchanged
      assert.equal(statuses(await imports.run(ADMIN, scopes(SCOPE_ZH, [dated]))), ['unchanged']);

      // the quantity and the start of a scope never change: a conflict even with a date
      const requantified = await imports.run(ADMIN, scopes(SCOPE_ZH, [scopeRow('acme-pressure', { quantity: '温度', effective: '2026-09-01' })]));
      assert.equal(problemsOf(requantified)[0], [2, '被测量', 'APPEND_ONLY', '/quantity']);
      assert.is((await registry.scopeVersions('acme-cal', 'acme-pressure')).length, 2);
    }));

  it('cmcs: a dry run writes nothing; a changed uncertainty appends its version; all-or-nothing leaves nothing when one row fails', () =>
    withApp(database, async ({ db, registry }) => {
      const imports = importer(db, registry);
      const rows = [cmcRow(), cmcRow({ quantity: 'pressure', min: '0', max: '60', unit: 'MPa', u: '', urel: '0.0005' })];
      const dry = await imports.run(ADMIN, cmcs(CMC_EN, rows, { dryRun: true }));
      assert.equal(statuses(dry), ['valid', 'valid']);
      assert.is(
        (await registry.listCmcs('acme-cal', '2026-11-25' as CalendarDate)).filter((c) => c.quantity === 'temperature' || c.quantity === 'pressure').length,
        0,
      );

      const done = await imports.run(ADMIN, cmcs(CMC_EN, rows));
      assert.equal(statuses(done), ['created', 'created']);
      const temperature = (await registry.listCmcs('acme-cal', '2026-11-25' as CalendarDate)).find((c) => c.quantity === 'temperature')!;
      assert.equal([temperature.expandedUncertainty, temperature.relativeExpandedUncertainty, temperature.coverageFactor], ['0.05', null, '2']);
      assert.equal(statuses(await imports.run(ADMIN, cmcs(CMC_EN, rows))), ['unchanged', 'unchanged']);

      // a smaller uncertainty from 2026-07-01, recognised by quantity and range (no id)
      const better = [cmcRow({ u: '0.03', effective: '2026-07-01', reason: '新标准器投入使用' })];
      assert.equal(statuses(await imports.run(ADMIN, cmcs(CMC_EN, better))), ['amended']);
      assert.equal((await registry.listCmcs('acme-cal', '2026-06-30' as CalendarDate)).find((c) => c.id === temperature.id)!.expandedUncertainty, '0.05');
      assert.equal((await registry.listCmcs('acme-cal', '2026-07-01' as CalendarDate)).find((c) => c.id === temperature.id)!.expandedUncertainty, '0.03');
      const versions = await registry.cmcVersions('acme-cal', temperature.id);
      assert.equal(versions.at(-1)!.reason, '新标准器投入使用');
      // switching to the relative form replaces the absolute one
      const relative = await imports.run(ADMIN, cmcs(CMC_EN, [cmcRow({ u: '', urel: '0.0002', effective: '2026-08-01' })]));
      assert.equal(statuses(relative), ['amended'], JSON.stringify(relative.rows));
      const now = (await registry.listCmcs('acme-cal', '2026-08-01' as CalendarDate)).find((c) => c.id === temperature.id)!;
      assert.equal([now.expandedUncertainty, now.relativeExpandedUncertainty], [null, '0.0002']);

      // all-or-nothing: one bad row, and the good one is not imported
      const mixed = await imports.run(
        ADMIN,
        cmcs(CMC_EN, [cmcRow({ quantity: 'length', min: '0', max: '1', unit: 'm', u: '0.000002' }), cmcRow({ quantity: 'force', unit: 'kN', k: '0' })], {
          mode: 'all-or-nothing',
        }),
      );
      assert.equal(statuses(mixed), ['not_imported', 'error']);
      assert.is((await registry.listCmcs('acme-cal', '2026-11-25' as CalendarDate)).filter((c) => c.quantity === 'length').length, 0);
    }));

  it('every problem code a scope or CMC row can reach, under its column', () =>
    withApp(database, async ({ db, registry }) => {
      const imports = importer(db, registry);
      // a withdrawn scope, to amend
      await registry.createScope(
        readScope({ id: 'acme-old', quantity: 'length', validFrom: '2020-01-01', validUntil: '2030-12-31' }, 'acme-cal', registry.newId),
      );
      await registry.amendScope('acme-cal', 'acme-old', readScopeAmendment({ kind: 'withdraw', effectiveFrom: '2024-01-01' }, registry.newId));
      await registry.createScope(
        readScope({ id: 'acme-torque', quantity: 'torque', validFrom: '2020-01-01', validUntil: '2030-12-31' }, 'acme-cal', registry.newId),
      );
      await registry.amendScope(
        'acme-cal',
        'acme-torque',
        readScopeAmendment({ kind: 'amend', effectiveFrom: '2025-01-01', validUntil: '2031-12-31' }, registry.newId),
      );
      const scopeJob = await imports.run(
        ADMIN,
        scopes(SCOPE_ZH, [
          scopeRow('', { lab: '' }), // 2
          scopeRow('', { quantity: '' }), // 3
          scopeRow('', { quantity: '气味' }), // 4
          scopeRow('', { from: '2025-02-30' }), // 5
          scopeRow('', { min: 'abc' }), // 6
          scopeRow('', { min: '100' }), // 7
          scopeRow('', { until: '2024-12-31' }), // 8
          scopeRow('', { lab: 'nobody' }), // 9
          scopeRow('', { lab: 'city-market' }), // 10
          scopeRow('', { issuer: 'nobody' }), // 11
          scopeRow('', { issuer: 'city-market' }), // 12
          scopeRow('scope-nim-mass'), // 13: another lab's id
          scopeRow('', { mandatory: '也许' }), // 14
          scopeRow('acme-old', { quantity: 'length', min: '', max: '', unit: '', from: '2020-01-01', until: '2031-12-31', effective: '2026-01-01' }), // 15: withdrawn
          scopeRow('acme-torque', { quantity: 'torque', min: '', max: '', unit: '', from: '2020-01-01', until: '2032-12-31', effective: '2024-06-01' }), // 16: before version 2
          scopeRow('acme-torque', { quantity: 'torque', min: '', max: '', unit: '', from: '2020-01-01', until: '2032-12-31' }), // 17: no date
          scopeRow('acme-torque', { quantity: 'torque', min: '', max: '', unit: '', from: '2020-01-01', until: '2032-12-31', effective: '2026-13-01' }), // 18
          scopeRow('acme-old', { quantity: 'length', min: '', max: '', unit: '', from: '2020-01-01', until: '2031-12-31' }), // 19: withdrawn, restated without a date
        ]),
      );
      assert.equal(problemsOf(scopeJob), [
        [2, '检定/校准机构ID', 'MISSING_FIELD', '/labId'],
        [3, '被测量', 'MISSING_FIELD', '/quantity'],
        [4, '被测量', 'INVALID_FIELD', '/quantity'],
        [5, '有效期起', 'INVALID_DATE', '/validFrom'],
        [6, '测量范围下限', 'INVALID_DECIMAL', '/range/min'],
        [7, '测量范围下限', 'INVALID_RANGE', '/range/min'],
        [8, '有效期至', 'INVALID_RANGE', '/validUntil'],
        [9, '检定/校准机构ID', 'UNKNOWN_REFERENCE', '/labId'],
        [10, '检定/校准机构ID', 'WRONG_ORGANISATION_KIND', '/labId'],
        [11, '发证机关ID', 'UNKNOWN_REFERENCE', '/issuedBy'],
        [12, '发证机关ID', 'WRONG_ORGANISATION_KIND', '/issuedBy'],
        [13, '授权项目ID', 'DUPLICATE', '/id'],
        [14, '强制检定授权', 'INVALID_FIELD', '/mandatoryVerification'],
        [15, '变更生效日期', 'INVALID_TRANSITION', '/kind'],
        [16, '变更生效日期', 'AMENDMENT_OUT_OF_ORDER', '/effectiveFrom'],
        [17, '有效期至', 'APPEND_ONLY', '/validUntil'],
        [18, '变更生效日期', 'INVALID_DATE', '/effectiveFrom'],
        [19, '授权项目ID', 'INVALID_TRANSITION', '/id'],
      ]);
      assert.ok(scopeJob.rows.every((r) => r.status === (r.row === 17 || r.row === 19 ? 'conflict' : 'error')));

      const cmcJob = await imports.run(
        ADMIN,
        cmcs(CMC_EN, [
          cmcRow({ urel: '0.001' }), // 2: both forms
          cmcRow({ u: '' }), // 3: neither
          cmcRow({ k: '0' }), // 4
          cmcRow({ k: '' }), // 5
          cmcRow({ unit: '' }), // 6
          cmcRow({ lab: 'nobody' }), // 7
          cmcRow({ lab: 'city-market' }), // 8
          cmcRow({ u: '-0.1' }), // 9
          cmcRow({ until: '2020-01-01' }), // 10
        ]),
      );
      assert.equal(problemsOf(cmcJob), [
        [2, 'Expanded uncertainty', 'AMBIGUOUS_QUANTITY_FORM', '/expandedUncertainty'],
        [3, 'Expanded uncertainty', 'AMBIGUOUS_QUANTITY_FORM', '/expandedUncertainty'],
        [4, 'Coverage factor', 'INVALID_FIELD', '/coverageFactor'],
        [5, 'Coverage factor', 'MISSING_FIELD', '/coverageFactor'],
        [6, 'Range unit', 'MISSING_FIELD', '/range/unit'],
        [7, 'Lab id', 'NOT_FOUND', ''],
        [8, 'Lab id', 'WRONG_ORGANISATION_KIND', ''],
        [9, 'Expanded uncertainty', 'INVALID_FIELD', '/expandedUncertainty'],
        [10, 'Valid until', 'INVALID_RANGE', '/validUntil'],
      ]);
      // a CMC amendment that makes the range upside down is refused as the API refuses it
      await imports.run(ADMIN, cmcs(CMC_EN, [cmcRow({ id: 'acme-t' })]));
      const upside = await imports.run(ADMIN, cmcs(CMC_EN, [cmcRow({ id: 'acme-t', min: '400', effective: '2026-02-01' })]));
      assert.equal(problemsOf(upside), [[2, 'Range min', 'INVALID_RANGE', '/range/min']]);
    }));

  it('only an admin imports scopes and CMCs, as only an admin declares them through the API; a lab id for the whole file', () =>
    withApp(database, async ({ db, registry }) => {
      const imports = importer(db, registry);
      for (const kind of ['scopes', 'cmcs'] as const) {
        const e = await imports.run(LAB, { kind, format: 'csv', bytes: bytes(CMC_EN, [cmcRow()]) }).catch((x: unknown) => x);
        assert.ok(e instanceof MetrologyError && e.code === 'FORBIDDEN' && e.path === '/kind', String(e));
      }
      const noLabColumn = CMC_EN.filter((h) => h !== 'Lab id');
      const rows = [cmcRow()].map((r) => r.filter((_, i) => CMC_EN[i] !== 'Lab id'));
      const job = await imports.run(ADMIN, cmcs(noLabColumn, rows, { labId: 'acme-cal' }));
      assert.equal(statuses(job), ['created']);
      const without = await imports.run(ADMIN, cmcs(noLabColumn, rows));
      assert.equal(problemsOf(without), [[2, 'Lab id', 'MISSING_FIELD', '/labId']]);
    }));

  it('the XLSX templates in Chinese, filled in, import', () =>
    withApp(database, async ({ db, registry }) => {
      const imports = importer(db, registry);
      for (const [table, request, fill] of [
        [
          SCOPE_TABLE,
          'scopes',
          {
            授权项目ID: 'acme-x-scope',
            '检定/校准机构ID': 'acme-cal',
            被测量: '力',
            测量范围单位: 'kN',
            强制检定授权: '否',
            有效期起: new Date(Date.UTC(2025, 0, 1)),
            有效期至: '2029-12-31',
          },
        ],
        [
          CMC_TABLE,
          'cmcs',
          {
            'CMC ID': 'acme-x-cmc',
            '检定/校准机构ID': 'acme-cal',
            被测量: '力',
            测量范围下限: 0,
            测量范围上限: 100,
            测量范围单位: 'kN',
            扩展不确定度: 0.05,
            包含因子: 2,
            有效期起: '2025-01-01',
            有效期至: '2029-12-31',
          },
        ],
      ] as const) {
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load((await templateXlsx(table, 'zh')) as unknown as ExcelJS.Buffer);
        const sheet = workbook.worksheets[0]!;
        const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
        const values = fill as Record<string, unknown>;
        sheet.getRow(2).values = headers.map((h) => (values[h] ?? null) as ExcelJS.CellValue);
        // a date typed into Excel: a date cell, shown as a date
        sheet.getRow(2).eachCell((cell) => void (cell.value instanceof Date && (cell.numFmt = 'yyyy-mm-dd')));
        const file = new Uint8Array(await workbook.xlsx.writeBuffer());
        const job = await imports.run(ADMIN, { kind: request, format: 'xlsx', bytes: file });
        assert.equal(job.fileProblems, []);
        assert.equal(statuses(job), ['created'], JSON.stringify(job.rows));
        assert.equal(statuses(await imports.run(ADMIN, { kind: request, format: 'xlsx', bytes: file })), ['unchanged']);
      }
    }));

  it.run();
}
