/**
 * Register imports through HTTP (issue #21): a 50-row XLSX with 3 bad rows is
 * reported row by row (row, column, code) by a dry run that writes nothing;
 * fixed, it is imported with one ledger entry per instrument, as POST
 * /v1/equipment makes them; imported again, every row is unchanged; a row
 * that differs from what is registered is a conflict, never overwritten;
 * all-or-nothing writes nothing when one row is bad; the report as CSV and
 * the templates; who may import for whom. On PGlite and (with DATABASE_URL)
 * PostgreSQL.
 */
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCsv } from '../../src/codecs/csv.ts';
import { countOf, testDatabases } from '../helpers/db.ts';
import { withApp } from '../helpers/app.ts';

const as = (token: string) => ({ authorization: `Bearer ${token}` });

async function call(app: FastifyInstance, method: 'GET' | 'POST', url: string, token: string | null, status: number, payload?: object) {
  const res = await app.inject({ method, url, headers: token === null ? {} : as(token), ...(payload ? { payload } : {}) });
  assert.is(res.statusCode, status, `${method} ${url}: ${res.body.slice(0, 800)}`);
  return /json/.test(res.headers['content-type']?.toString() ?? '') ? res.json() : res.body;
}

export const HEADERS_ZH = [
  '器具ID',
  '使用单位ID',
  '计量器具名称',
  '器具编号',
  '出厂编号',
  '被测量',
  '测量范围下限',
  '测量范围上限',
  '测量范围单位',
  '准确度等级',
  '计量器具层级',
  '强制管理目录编号',
  '用途',
  '型式批准编号',
];

/** A register row of the demo market's scales, as its officer keeps it. */
export function scaleRow(n: number): Array<string | number> {
  const nn = String(n).padStart(3, '0');
  return [
    `imp-scale-${nn}`,
    'city-market',
    `电子计价秤 ${nn} 号摊位`,
    `SC-${nn}`,
    `2024${nn}`,
    '质量',
    0.04,
    30,
    'kg',
    'III',
    '工作计量器具',
    'MV016',
    '贸易结算',
    '2019F123-31',
  ];
}

export async function xlsxOf(header: string[], rows: Array<Array<string | number>>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('台账');
  sheet.addRow(header);
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const body = (file: Buffer, extra: object = {}) => ({ kind: 'equipment', format: 'xlsx', file: file.toString('base64'), fileName: '台账.xlsx', ...extra });

for (const database of testDatabases()) {
  const it = suite(`register imports (#21) on ${database.name}`);

  it('50 rows with 3 bad ones: the dry run names exactly those (row, column, code) and writes nothing; fixed, all are imported and ledgered; again, all unchanged', () =>
    withApp(database, async ({ app, db, keyFor }) => {
      const owner = await keyFor('owner', 'city-market');
      const rows = Array.from({ length: 50 }, (_, i) => scaleRow(i + 1));
      const bad = rows.map((r) => [...r]);
      bad[6]![6] = 40; // row 8: the range's lower bound above its upper bound
      bad[19]![11] = 'MV999'; // row 21: no such category
      bad[40]![7] = '三十'; // row 42: not a decimal
      const equipmentBefore = await countOf(db, 'select count(*)::int as n from equipment');
      const ledgerBefore = await countOf(db, 'select count(*)::int as n from ledger');

      const dry = await call(app, 'POST', '/v1/imports', owner, 201, body(await xlsxOf(HEADERS_ZH, bad), { dryRun: true }));
      assert.equal([dry.status, dry.dryRun, dry.totalRows, dry.processedRows], ['completed', true, 50, 50]);
      assert.equal(dry.counts, { created: 0, amended: 0, unchanged: 0, valid: 47, conflict: 0, error: 3, not_imported: 0 });
      const problems = dry.rows
        .flatMap((r: { problems: object[] }) => r.problems)
        .map((p: { row: number; column: string; code: string; field: string }) => [p.row, p.column, p.code, p.field]);
      assert.equal(problems, [
        [8, '测量范围下限', 'INVALID_RANGE', '/range/min'],
        [21, '强制管理目录编号', 'UNKNOWN_REFERENCE', '/category'],
        [42, '测量范围上限', 'INVALID_DECIMAL', '/range/max'],
      ]);
      assert.match(dry.rows[19].problems[0].message, /category 'MV999' is not in the catalogue in force/, 'the sentence the API gives');
      assert.is(await countOf(db, 'select count(*)::int as n from equipment'), equipmentBefore, 'a dry run writes nothing');
      assert.is(await countOf(db, 'select count(*)::int as n from ledger'), ledgerBefore);

      // the same problems as the API gives for the same instrument
      const api = await call(app, 'POST', '/v1/equipment', owner, 400, {
        id: 'api-scale',
        ownerId: 'city-market',
        name: 'x',
        quantity: 'mass',
        range: { min: '40', max: '30', unit: 'kg' },
        accuracy: { kind: 'class', accuracyClass: 'III' },
        level: 'working_instrument',
        category: 'MV016',
        usage: 'trade_settlement',
      });
      assert.equal([api.code, api.path, api.detail], ['INVALID_RANGE', '/range/min', dry.rows[6].problems[0].message]);

      const fixed = await call(app, 'POST', '/v1/imports', owner, 201, body(await xlsxOf(HEADERS_ZH, rows)));
      assert.equal(
        [fixed.status, fixed.counts.created, fixed.counts.error],
        ['completed', 50, 0],
        JSON.stringify(fixed.rows.filter((r: { problems: unknown[] }) => r.problems.length)),
      );
      assert.is(await countOf(db, 'select count(*)::int as n from equipment'), equipmentBefore + 50);
      assert.is(
        await countOf(db, "select count(*)::int as n from ledger where kind = 'equipment' and entity_id like 'imp-scale-%'"),
        50,
        'one ledger entry per instrument',
      );
      const stored = await call(app, 'GET', '/v1/equipment/imp-scale-007', owner, 200);
      assert.equal(
        [stored.quantity, stored.level, stored.usage, stored.range, stored.accuracy, stored.patternApprovalNo, stored.assetCode],
        [
          'mass',
          'working_instrument',
          'trade_settlement',
          { min: '0.04', max: '30', unit: 'kg' },
          { kind: 'class', accuracyClass: 'III' },
          '2019F123-31',
          'SC-007',
        ],
      );
      const status = await call(app, 'GET', '/v1/equipment/imp-scale-007/status', owner, 200);
      assert.is(status.state, 'never_verified', 'an imported scale for trade settlement is under mandatory verification at once');

      const again = await call(app, 'POST', '/v1/imports', owner, 201, body(await xlsxOf(HEADERS_ZH, rows)));
      assert.equal(again.counts, { created: 0, amended: 0, unchanged: 50, valid: 0, conflict: 0, error: 0, not_imported: 0 });
      assert.is(await countOf(db, 'select count(*)::int as n from equipment'), equipmentBefore + 50, 're-importing changes nothing');
      assert.is(await countOf(db, "select count(*)::int as n from ledger where kind = 'equipment' and entity_id like 'imp-scale-%'"), 50);

      const ledger = await call(app, 'GET', '/v1/ledger/verify', await keyFor('admin'), 200);
      assert.equal([ledger.valid, ledger.unledgered.count], [true, 0], JSON.stringify(ledger).slice(0, 400));

      // the job is kept, with its report, for the organisation that made it
      const job = await call(app, 'GET', `/v1/imports/${fixed.id}`, owner, 200);
      assert.equal([job.status, job.progress, job.counts.created, job.rows.length], ['completed', 1, 50, 50]);
      const onlyProblems = await call(app, 'GET', `/v1/imports/${dry.id}?rows=problems`, owner, 200);
      assert.equal(
        onlyProblems.rows.map((r: { row: number }) => r.row),
        [8, 21, 42],
      );
      await call(app, 'GET', `/v1/imports/${fixed.id}`, await keyFor('owner', 'city-hospital'), 404);
      await call(app, 'GET', `/v1/imports/${fixed.id}`, await keyFor('admin'), 200);
    }));

  it('a row that differs from the registration is a conflict, never overwritten; rows found by asset code when they give no id', () =>
    withApp(database, async ({ app, db, keyFor }) => {
      const owner = await keyFor('owner', 'city-market');
      await call(app, 'POST', '/v1/imports', owner, 201, body(await xlsxOf(HEADERS_ZH, [scaleRow(1), scaleRow(2)])));
      const changed = scaleRow(1);
      changed[2] = '改了名字的秤';
      changed[7] = '30.000'; // the same upper bound, written otherwise: not a change
      const withoutId = scaleRow(2).slice(1);
      const second = await call(app, 'POST', '/v1/imports', owner, 201, body(await xlsxOf(HEADERS_ZH, [changed, ...[]])));
      assert.equal(second.counts.conflict, 1);
      const p = second.rows[0].problems[0];
      assert.equal([p.row, p.column, p.code, p.field], [2, '计量器具名称', 'APPEND_ONLY', '/name']);
      assert.match(p.message, /already registered with 计量器具名称 '电子计价秤 001 号摊位' \(this row: '改了名字的秤'\)/);
      assert.is((await call(app, 'GET', '/v1/equipment/imp-scale-001', owner, 200)).name, '电子计价秤 001 号摊位', 'not overwritten');
      const byAsset = await call(app, 'POST', '/v1/imports', owner, 201, body(await xlsxOf(HEADERS_ZH.slice(1), [withoutId])));
      assert.equal([byAsset.rows[0].status, byAsset.rows[0].id], ['unchanged', 'imp-scale-002']);
      assert.is(await countOf(db, "select count(*)::int as n from equipment where id like 'imp-scale-%'"), 2);
    }));

  it('all-or-nothing writes nothing when one row is bad, and everything when none is', () =>
    withApp(database, async ({ app, db, keyFor }) => {
      const owner = await keyFor('owner', 'city-market');
      const rows = Array.from({ length: 10 }, (_, i) => scaleRow(i + 1));
      const bad = rows.map((r) => [...r]);
      bad[9]![10] = 'tool'; // not a level
      const before = await countOf(db, 'select count(*)::int as n from equipment');
      const ledgerBefore = await countOf(db, 'select count(*)::int as n from ledger');
      const refused = await call(app, 'POST', '/v1/imports', owner, 201, body(await xlsxOf(HEADERS_ZH, bad), { mode: 'all-or-nothing' }));
      assert.equal(refused.counts, { created: 0, amended: 0, unchanged: 0, valid: 0, conflict: 0, error: 1, not_imported: 9 });
      assert.equal(
        [refused.rows[9].problems[0].row, refused.rows[9].problems[0].column, refused.rows[9].problems[0].code],
        [11, '计量器具层级', 'INVALID_FIELD'],
      );
      assert.is(await countOf(db, 'select count(*)::int as n from equipment'), before, 'nothing written');
      assert.is(await countOf(db, 'select count(*)::int as n from ledger'), ledgerBefore, 'no ledger entry either');
      const done = await call(app, 'POST', '/v1/imports', owner, 201, body(await xlsxOf(HEADERS_ZH, rows), { mode: 'all-or-nothing' }));
      assert.is(done.counts.created, 10);
      assert.is(await countOf(db, 'select count(*)::int as n from equipment'), before + 10);
    }));

  it('an owner imports only its own equipment; an admin imports for anyone; the report as CSV; the templates', () =>
    withApp(database, async ({ app, keyFor }) => {
      const owner = await keyFor('owner', 'city-market');
      const foreign = scaleRow(1);
      foreign[1] = 'city-hospital';
      const refused = await call(app, 'POST', '/v1/imports', owner, 201, body(await xlsxOf(HEADERS_ZH, [foreign, scaleRow(2)])));
      assert.equal(
        refused.rows.map((r: { status: string }) => r.status),
        ['error', 'created'],
      );
      assert.equal([refused.rows[0].problems[0].code, refused.rows[0].problems[0].column], ['FORBIDDEN', '使用单位ID']);
      await call(app, 'POST', '/v1/imports', owner, 403, body(await xlsxOf(HEADERS_ZH, [scaleRow(3)]), { ownerId: 'city-hospital' }));
      const admin = await keyFor('admin');
      const forHospital = await call(app, 'POST', '/v1/imports', admin, 201, body(await xlsxOf(HEADERS_ZH, [foreign])));
      assert.is(forHospital.counts.created, 1, JSON.stringify(forHospital.rows));
      await call(app, 'POST', '/v1/imports', await keyFor('inspector', 'city-samr'), 403, body(await xlsxOf(HEADERS_ZH, [scaleRow(4)])));

      // a row without an owner is the importing key's organisation's
      const noOwner = await call(
        app,
        'POST',
        '/v1/imports',
        owner,
        201,
        body(
          await xlsxOf(
            HEADERS_ZH.filter((h) => h !== '使用单位ID'),
            [scaleRow(5).filter((_, i) => i !== 1)],
          ),
        ),
      );
      assert.equal([noOwner.counts.created, (await call(app, 'GET', '/v1/equipment/imp-scale-005', owner, 200)).ownerId], [1, 'city-market']);

      const csv = await app.inject({ method: 'GET', url: `/v1/imports/${refused.id}/report.csv?lang=zh`, headers: as(owner) });
      assert.is(csv.statusCode, 200);
      assert.match(csv.headers['content-type']!.toString(), /text\/csv/);
      assert.ok(csv.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'UTF-8 with BOM');
      const lines = parseCsv(csv.body);
      assert.equal(lines[0], ['行号', '状态', '器具ID', '列', '问题代码', '说明']);
      assert.equal(lines[1]!.slice(0, 5), ['2', '有误', 'imp-scale-001', '使用单位ID', 'FORBIDDEN']);
      assert.equal(lines[2]!.slice(0, 3), ['3', '已导入', 'imp-scale-002']);
      const en = parseCsv((await app.inject({ method: 'GET', url: `/v1/imports/${refused.id}/report.csv`, headers: as(owner) })).body);
      assert.equal([en[0]![0], en[1]![1]], ['row', 'error']);

      const template = await app.inject({ method: 'GET', url: '/v1/imports/templates/equipment.csv?lang=zh', headers: as(owner) });
      assert.is(template.statusCode, 200);
      assert.equal(parseCsv(template.body)[0]!.slice(0, 4), ['器具ID', '使用单位ID', '计量器具名称', '器具编号']);
      const xlsx = await app.inject({ method: 'GET', url: '/v1/imports/templates/equipment.xlsx?lang=en', headers: as(owner) });
      assert.is(xlsx.statusCode, 200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.rawPayload as unknown as ExcelJS.Buffer);
      assert.equal((wb.worksheets[0]!.getRow(1).values as unknown[]).slice(1, 4), ['Id', 'Owner id', 'Name']);
      await call(app, 'GET', '/v1/imports/templates/stock.csv', owner, 400);

      // a template filled in is a file the import reads
      const cells: Record<string, string> = {
        器具ID: 'imp-csv-1',
        使用单位ID: 'city-market',
        计量器具名称: '燃油加油机',
        器具编号: 'FD-1',
        被测量: '容量',
        测量范围下限: '0',
        测量范围上限: '200',
        测量范围单位: 'L',
        最大允许误差: '0.3',
        准确度单位: 'L',
        计量器具层级: '工作计量器具',
        强制管理目录编号: 'MV010',
        用途: '贸易结算',
      };
      const header = parseCsv(template.body)[0]!;
      const filled = template.body + header.map((h) => cells[h] ?? '').join(',') + '\r\n';
      const fromTemplate = await call(app, 'POST', '/v1/imports', owner, 201, {
        kind: 'equipment',
        format: 'csv',
        file: Buffer.from(filled, 'utf8').toString('base64'),
      });
      assert.equal([fromTemplate.fileProblems, fromTemplate.counts.error], [[], 0], JSON.stringify(fromTemplate.rows));
      assert.equal((await call(app, 'GET', '/v1/equipment/imp-csv-1', owner, 200)).accuracy, { kind: 'mpe', mpe: '0.3', unit: 'L' });
    }));

  it('a lab imports the certificates it issued from the records template (XLSX, one point a row); the instrument is in force; an owner may not import records', () =>
    withApp(database, async ({ app, keyFor }) => {
      const lab = await keyFor('lab', 'district-station');
      const template = await app.inject({ method: 'GET', url: '/v1/imports/templates/records.xlsx?lang=zh', headers: as(lab) });
      assert.is(template.statusCode, 200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(template.rawPayload as unknown as ExcelJS.Buffer);
      const header = (wb.worksheets[0]!.getRow(1).values as string[]).slice(1);
      const fill = (cells: Record<string, string>) => header.map((h) => cells[h] ?? '');
      const first = {
        证书编号: 'XH-JD2026-01300',
        检定或校准: '检定',
        使用单位ID: 'city-market',
        器具编号: 'LH-42',
        '检定/校准日期': '2026-11-20',
        有效期至: '2027-11-19',
        检定结论: '合格',
        检定类别: '周期检定',
        计量标准器ID: 'district-f1-set',
        '检定规程/校准规范': 'JJG 539-2016',
        检定员: '张三',
        核验员: '李四',
        批准人: '王五',
        标称值: '15',
        调整前实测值: '15.004',
        单位: 'kg',
      };
      const file = await xlsxOf(header, [fill(first), fill({ 标称值: '30', 调整前实测值: '30.006', 单位: 'kg' })]);
      const job = await call(app, 'POST', '/v1/imports', lab, 201, {
        kind: 'records',
        format: 'xlsx',
        file: file.toString('base64'),
        fileName: '检定记录.xlsx',
      });
      assert.equal([job.status, job.counts.created, job.fileProblems], ['completed', 2, []], JSON.stringify(job.rows));
      const record = await call(app, 'GET', `/v1/calibrations/${job.rows[0].id}`, lab, 200);
      assert.equal(
        [record.subjectId, record.verificationType, record.points.length, record.certificateKind],
        ['scale-stall-42', 'periodic', 2, 'verification_certificate'],
      );
      const label = await call(app, 'GET', '/v1/label?certificateNo=XH-JD2026-01300', null, 200);
      assert.match(JSON.stringify(label), /可以使用|in_force/);

      const report = parseCsv((await app.inject({ method: 'GET', url: `/v1/imports/${job.id}/report.csv?lang=zh`, headers: as(lab) })).body);
      assert.equal(report[0]!.slice(0, 3), ['行号', '状态', '记录ID']);
      const owner = await keyFor('owner', 'city-market');
      const refused = await call(app, 'POST', '/v1/imports', owner, 403, { kind: 'records', format: 'xlsx', file: file.toString('base64') });
      assert.match(refused.detail, /imported by the lab that issued them/);
    }));

  it("an admin imports a lab's scopes and CMCs from the templates (lab for the whole file); a changed CMC row with its date is a new version; a lab's key is refused", () =>
    withApp(database, async ({ app, keyFor }) => {
      const admin = await keyFor('admin');
      const template = await app.inject({ method: 'GET', url: '/v1/imports/templates/scopes.csv?lang=zh', headers: as(admin) });
      assert.is(template.statusCode, 200);
      const header = parseCsv(template.body)[0]!.filter((h) => h !== '检定/校准机构ID');
      const line = (cells: Record<string, string>) => header.map((h) => cells[h] ?? '').join(',') + '\r\n';
      const scopeFile =
        template.body.replace(/[^\r\n]*\r\n$/, header.join(',') + '\r\n') +
        line({
          授权项目ID: 'acme-flow',
          被测量: '流量',
          测量范围下限: '0.1',
          测量范围上限: '100',
          测量范围单位: 'm3/h',
          强制检定授权: '是',
          有效期起: '2025-03-01',
          有效期至: '2029-02-28',
          授权证书编号: '(沪)法计(2025)03003号',
          发证机关ID: 'city-samr',
        });
      const scopes = await call(app, 'POST', '/v1/imports', admin, 201, {
        kind: 'scopes',
        format: 'csv',
        file: Buffer.from(scopeFile, 'utf8').toString('base64'),
        labId: 'acme-cal',
      });
      assert.equal([scopes.status, scopes.counts.created, scopes.fileProblems], ['completed', 1, []], JSON.stringify(scopes.rows));
      const listed = await call(app, 'GET', '/v1/organisations/acme-cal/scopes?at=2026-11-25', admin, 200);
      assert.equal(listed.items.find((x: { id: string }) => x.id === 'acme-flow')?.mandatoryVerification, true);

      const cmcHeader = [
        'CMC id',
        'Quantity',
        'Range min',
        'Range max',
        'Range unit',
        'Expanded uncertainty',
        'Coverage factor',
        'Valid from',
        'Valid until',
        'Change effective from',
      ];
      const cmcFile = async (u: string, effective: string) =>
        (await xlsxOf(cmcHeader, [['acme-flow-cmc', 'flow', 0.1, 100, 'm3/h', u, 2, '2025-03-01', '2029-02-28', effective]])).toString('base64');
      const declared = await call(app, 'POST', '/v1/imports', admin, 201, { kind: 'cmcs', format: 'xlsx', file: await cmcFile('0.2', ''), labId: 'acme-cal' });
      assert.is(declared.counts.created, 1, JSON.stringify(declared.rows));
      const conflict = await call(app, 'POST', '/v1/imports', admin, 201, { kind: 'cmcs', format: 'xlsx', file: await cmcFile('0.1', ''), labId: 'acme-cal' });
      assert.equal(
        [conflict.counts.conflict, conflict.rows[0].problems[0].code, conflict.rows[0].problems[0].column],
        [1, 'APPEND_ONLY', 'Expanded uncertainty'],
      );
      const amended = await call(app, 'POST', '/v1/imports', admin, 201, {
        kind: 'cmcs',
        format: 'xlsx',
        file: await cmcFile('0.1', '2026-10-01'),
        labId: 'acme-cal',
      });
      assert.equal([amended.counts.amended, amended.rows[0].status], [1, 'amended'], JSON.stringify(amended.rows));
      const versions = await call(app, 'GET', '/v1/organisations/acme-cal/cmcs/acme-flow-cmc/versions', admin, 200);
      assert.equal(
        versions.items.map((v: { version: number; state: { expandedUncertainty: string } }) => [v.version, v.state.expandedUncertainty]),
        [
          [1, '0.2'],
          [2, '0.1'],
        ],
      );
      const again = await call(app, 'POST', '/v1/imports', admin, 201, {
        kind: 'cmcs',
        format: 'xlsx',
        file: await cmcFile('0.1', '2026-10-01'),
        labId: 'acme-cal',
      });
      assert.equal(again.counts.unchanged, 1);
      const report = parseCsv((await app.inject({ method: 'GET', url: `/v1/imports/${amended.id}/report.csv?lang=zh`, headers: as(admin) })).body);
      assert.equal([report[0]![2], report[1]![1]], ['CMC ID', '已变更（新版本）']);

      const lab = await keyFor('lab', 'acme-cal');
      const refused = await call(app, 'POST', '/v1/imports', lab, 403, { kind: 'cmcs', format: 'xlsx', file: await cmcFile('0.05', ''), labId: 'acme-cal' });
      assert.match(refused.detail, /declared by an admin/);
    }));

  it('wait: false answers 202 at once with the running job; its progress and report follow by GET', () =>
    withApp(database, async ({ app, keyFor }) => {
      const owner = await keyFor('owner', 'city-market');
      const started = await call(
        app,
        'POST',
        '/v1/imports',
        owner,
        202,
        body(
          await xlsxOf(
            HEADERS_ZH,
            Array.from({ length: 12 }, (_, i) => scaleRow(i + 1)),
          ),
          { wait: false },
        ),
      );
      assert.equal([started.status, started.processedRows, started.rows], ['running', 0, []]);
      let job = started;
      for (let i = 0; i < 600 && job.status === 'running'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        job = await call(app, 'GET', `/v1/imports/${started.id}`, owner, 200);
      }
      assert.equal([job.status, job.totalRows, job.processedRows, job.progress, job.counts.created], ['completed', 12, 12, 1, 12]);
    }));

  it('a file that cannot be read, unknown columns, a body that is not base64', () =>
    withApp(database, async ({ app, db, keyFor }) => {
      const owner = await keyFor('owner', 'city-market');
      const broken = await call(app, 'POST', '/v1/imports', owner, 201, {
        kind: 'equipment',
        format: 'xlsx',
        file: Buffer.from('not a zip').toString('base64'),
      });
      assert.equal([broken.status, broken.fileProblems[0].code, broken.fileProblems[0].field], ['failed', 'INVALID_FIELD', '/file']);
      const before = await countOf(db, 'select count(*)::int as n from equipment');
      const unknown = await call(app, 'POST', '/v1/imports', owner, 201, body(await xlsxOf([...HEADERS_ZH, '备注'], [[...scaleRow(1), '东门']])));
      assert.equal(
        [unknown.status, unknown.fileProblems.map((p: { row: number; column: string; code: string }) => [p.row, p.column, p.code])],
        ['failed', [[1, '备注', 'UNKNOWN_FIELD']]],
      );
      assert.equal(unknown.rows[0].status, 'valid', 'the rows are still checked, as in a dry run');
      assert.is(await countOf(db, 'select count(*)::int as n from equipment'), before, 'nothing is written while the file has a problem');
      await call(app, 'POST', '/v1/imports', owner, 400, { kind: 'equipment', format: 'csv', file: '%%%' });
    }));

  it.run();
}
