/**
 * The import use case (app/imports.ts) over a database: CSV in GB18030, in
 * UTF-8 with and without BOM, English and Chinese headers; every problem code
 * a row of an equipment register can reach, each under its column; an import
 * interrupted between batches leaves whole batches only and is finished by
 * running it again. On PGlite and (with DATABASE_URL) PostgreSQL.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ImportService, type ImportJob, type ImportRequest } from '../../src/app/imports.ts';
import type { RegistryStore } from '../../src/app/ports.ts';
import type { RegistryService } from '../../src/app/registry.ts';
import { csvTable } from '../../src/codecs/csv.ts';
import type { Caller } from '../../src/core/access/roles.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import { sql } from 'drizzle-orm';
import { LedgerService } from '../../src/app/ledger.ts';
import { rowsOf, type Db } from '../../src/persistence/db.ts';
import { DrizzleLedgerStore } from '../../src/persistence/ledger-store.ts';
import { DrizzleImportStore } from '../../src/persistence/import-store.ts';
import { DrizzleRegistryStore } from '../../src/persistence/registry-store.ts';
import { readTable } from '../../src/runtime/spreadsheet.ts';
import { sha256BytesHex } from '../../src/runtime/digests.ts';
import { countOf, testDatabases } from '../helpers/db.ts';
import { sequentialIds, withApp } from '../helpers/app.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';

const OWNER: Caller = { kind: 'key', keyId: 'k-owner', role: 'owner', organisationId: 'city-market' };
const ADMIN: Caller = { kind: 'key', keyId: 'k-admin', role: 'admin', organisationId: null };

let importers = 0;

function importer(db: Db, registry: RegistryService, opts: { store?: RegistryStore; batchSize?: number } = {}): ImportService {
  return new ImportService({
    registry,
    store: opts.store ?? new DrizzleRegistryStore(db, TEST_LEDGER_KEYS),
    jobs: new DrizzleImportStore(db),
    readTable,
    sha256: sha256BytesHex,
    newId: sequentialIds(`import${++importers}`),
    now: () => '2026-11-25T02:00:00.000Z',
    ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
  });
}

const EN = ['Id', 'Owner id', 'Name', 'Asset code', 'Quantity', 'Range min', 'Range max', 'Range unit', 'Accuracy class', 'Level', 'Category', 'Usage'];
const ZH = [
  '器具ID',
  '使用单位ID',
  '计量器具名称',
  '器具编号',
  '被测量',
  '测量范围下限',
  '测量范围上限',
  '测量范围单位',
  '准确度等级',
  '计量器具层级',
  '强制管理目录编号',
  '用途',
];
const row = (n: number, name = `电子秤 ${n} 号`) => [
  `csv-scale-${n}`,
  'city-market',
  name,
  `CS-${n}`,
  'mass',
  '0.04',
  '30',
  'kg',
  'III',
  'working_instrument',
  'MV016',
  'trade_settlement',
];
const csvOf = (header: string[], rows: string[][]) => csvTable(header, rows);
const request = (bytes: Uint8Array, extra: Partial<ImportRequest> = {}): ImportRequest => ({ kind: 'equipment', format: 'csv', bytes, ...extra });

/** A store whose inserts of equipment fail once more than `allowed` rows are asked for, as a database lost mid-import does. */
function failingAfter(store: RegistryStore, allowed: number): RegistryStore {
  let inserted = 0;
  const wrap = (s: RegistryStore): RegistryStore =>
    new Proxy(s, {
      get(target, prop, receiver) {
        if (prop === 'transaction') return <T>(work: (inner: RegistryStore) => Promise<T>) => target.transaction((inner) => work(wrap(inner)));
        if (prop === 'insertEquipmentMany') {
          return async (...args: Parameters<RegistryStore['insertEquipmentMany']>) => {
            inserted += args[0].length;
            if (inserted > allowed) throw new Error('connection to the database lost');
            return target.insertEquipmentMany(...args);
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  return wrap(store);
}

/**
 * What an import leaves in the database, but for insertion times: every
 * equipment row, and every equipment's ledger entry — its place in the chain,
 * its content hash and the key of its MAC. (The link hashes and MACs differ
 * between two tests by the API key each test draws at random before them,
 * entered in the ledger too; that the chain links up is the verification's.)
 */
async function databaseState(db: Db) {
  const rows = async (text: string) => rowsOf(await db.execute(sql.raw(text)));
  return {
    equipment: await rows(`select (to_jsonb(e) - 'created_at')::text as row from equipment e order by id`),
    ledger: await rows(
      `select l.seq::text, l.entity_id, l.content_hash, m.key_id from ledger l left join ledger_macs m on m.seq = l.seq where l.kind = 'equipment' order by l.seq`,
    ),
  };
}

const problemsOf = (job: ImportJob) => job.rows.flatMap((r) => r.problems.map((p) => [p.row, p.column, p.code, p.field]));

for (const database of testDatabases()) {
  const it = suite(`register import use case (#21) on ${database.name}`);

  it('GB18030, UTF-8 with BOM and without: the same Chinese text registered, headers in either language', () =>
    withApp(database, async ({ db, registry }) => {
      const imports = importer(db, registry);
      const text = csvOf(ZH, [row(1, '电子计价秤（东门）')]);
      const gbBytes = gb18030(text);
      assert.not.ok(isUtf8(gbBytes), 'the GB18030 file is not valid UTF-8');
      const a = await imports.run(OWNER, request(gbBytes));
      assert.equal([a.status, a.counts.created], ['completed', 1], JSON.stringify(a));
      assert.is((await registry.getEquipment('csv-scale-1')).name, '电子计价秤（东门）');

      const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csvOf(ZH, [row(2, '电子计价秤（西门）')]), 'utf8')]);
      const b = await imports.run(OWNER, request(bom));
      assert.equal([b.counts.created, b.fileProblems], [1, []], 'the BOM is not part of the first header');
      assert.is((await registry.getEquipment('csv-scale-2')).name, '电子计价秤（西门）');

      const plain = Buffer.from(csvOf(EN, [row(3, 'Scale, "north" gate')]), 'utf8');
      const c = await imports.run(OWNER, request(plain));
      assert.is(c.counts.created, 1);
      assert.is((await registry.getEquipment('csv-scale-3')).name, 'Scale, "north" gate');

      // the GB18030 file again: recognised, unchanged
      assert.is((await imports.run(OWNER, request(gbBytes))).counts.unchanged, 1);
    }));

  it('every problem code an equipment row can reach, under its column, with the API’s sentence', () =>
    withApp(database, async ({ db, registry }) => {
      const header = [
        ...ZH,
        '准确度表示方式',
        '最大允许误差',
        '扩展不确定度',
        '包含因子',
        '准确度单位',
        '考核证书有效期起',
        '考核证书有效期至',
        '计量标准考核证书编号',
      ];
      const base = (n: number) => [...row(n), '', '', '', '', '', '', '', ''];
      const set = (n: number, changes: Record<string, string>) => {
        const r = base(n);
        for (const [h, v] of Object.entries(changes)) r[header.indexOf(h)] = v;
        return r;
      };
      const rows = [
        set(1, { 计量器具层级: 'tool' }), // INVALID_FIELD
        set(2, { 计量器具名称: '' }), // MISSING_FIELD
        set(3, { 测量范围上限: '三十' }), // INVALID_DECIMAL
        set(4, {
          计量器具层级: 'working_standard',
          强制管理目录编号: '',
          用途: 'other',
          计量标准考核证书编号: '[2024]沪量标证字第1号',
          考核证书有效期起: '2024-02-30',
          考核证书有效期至: '2028-01-01',
        }), // INVALID_DATE
        set(5, { 测量范围下限: '40' }), // INVALID_RANGE
        set(6, { 器具编号: 'CS\u200b-6' }), // CONFUSABLE_IDENTIFIER
        set(7, { 准确度等级: '', 准确度表示方式: 'expanded', 扩展不确定度: '-0.1', 包含因子: '2', 准确度单位: 'g' }), // NEGATIVE_UNCERTAINTY
        set(8, { 强制管理目录编号: 'MV999' }), // UNKNOWN_REFERENCE
        set(9, { 计量器具层级: 'public_highest_standard', 强制管理目录编号: '', 用途: 'other' }), // WRONG_ORGANISATION_KIND
        set(10, { 被测量: 'volume' }), // CATEGORY_MISMATCH
        set(11, { 器具编号: 'lh-17' }), // DUPLICATE: the demo's scale-stall-17 has LH-17 (compared ignoring case)
        set(12, { 使用单位ID: 'city-hospital' }), // FORBIDDEN
        set(13, { 器具ID: 'scale-stall-17', 器具编号: 'LH-17' }), // APPEND_ONLY: registered with another name
        set(14, { 准确度表示方式: 'class', 最大允许误差: '0.5', 准确度单位: 'g' }), // UNKNOWN_FIELD: an MPE on a class
        set(15, { 器具ID: '', 器具编号: '' }), // MISSING_FIELD: neither id nor asset code
      ];
      const job = await importer(db, registry).run(OWNER, request(Buffer.from(csvOf(header, rows), 'utf8'), { dryRun: true }));
      assert.equal(job.fileProblems, []);
      assert.equal(problemsOf(job), [
        [2, '计量器具层级', 'INVALID_FIELD', '/level'],
        [3, '计量器具名称', 'MISSING_FIELD', '/name'],
        [4, '测量范围上限', 'INVALID_DECIMAL', '/range/max'],
        [5, '考核证书有效期起', 'INVALID_DATE', '/assessment/validFrom'],
        [6, '测量范围下限', 'INVALID_RANGE', '/range/min'],
        [7, '器具编号', 'CONFUSABLE_IDENTIFIER', '/assetCode'],
        [8, '扩展不确定度', 'NEGATIVE_UNCERTAINTY', '/accuracy/expandedUncertainty'],
        [9, '强制管理目录编号', 'UNKNOWN_REFERENCE', '/category'],
        [10, '计量器具层级', 'WRONG_ORGANISATION_KIND', '/level'],
        [11, '被测量', 'CATEGORY_MISMATCH', '/quantity'],
        [12, '器具编号', 'DUPLICATE', '/assetCode'],
        [13, '使用单位ID', 'FORBIDDEN', '/ownerId'],
        [14, '计量器具名称', 'APPEND_ONLY', '/name'],
        [15, '最大允许误差', 'UNKNOWN_FIELD', '/accuracy/mpe'],
        [16, '器具编号', 'MISSING_FIELD', '/assetCode'],
      ]);
      assert.match(job.rows[5]!.problems[0]!.message, /U\+200B ZERO WIDTH SPACE/, "the API's sentence names the character");
      assert.equal(job.rows[12]!.status, 'conflict');
      assert.equal(job.counts, { created: 0, amended: 0, unchanged: 0, valid: 0, conflict: 1, error: 14, not_imported: 0 });

      // an admin may register a national primary standard; an owner may not (FORBIDDEN at the level)
      const national = [set(20, { 使用单位ID: 'nim', 计量器具层级: 'national_primary_standard', 强制管理目录编号: '', 用途: 'other' })];
      const refused = await importer(db, registry).run(OWNER, request(Buffer.from(csvOf(header, national), 'utf8'), { dryRun: true }));
      assert.equal(problemsOf(refused), [[2, '使用单位ID', 'FORBIDDEN', '/ownerId']]);
      const admitted = await importer(db, registry).run(ADMIN, request(Buffer.from(csvOf(header, national), 'utf8'), { dryRun: true }));
      assert.equal([admitted.counts.valid, problemsOf(admitted)], [1, []]);
    }));

  it('an import interrupted in its second batch keeps the first whole and nothing of the second; running it again finishes it', () =>
    withApp(database, async ({ db, registry }) => {
      const file = Buffer.from(
        csvOf(
          EN,
          Array.from({ length: 12 }, (_, i) => row(i + 1)),
        ),
        'utf8',
      );
      const before = await countOf(db, 'select count(*)::int as n from equipment');
      const ledgerBefore = await countOf(db, "select count(*)::int as n from ledger where kind = 'equipment'");
      const broken = importer(db, registry, { store: failingAfter(new DrizzleRegistryStore(db, TEST_LEDGER_KEYS), 7), batchSize: 5 });
      let thrown: unknown;
      try {
        await broken.run(OWNER, request(file));
      } catch (e) {
        thrown = e;
      }
      assert.match(String(thrown), /connection to the database lost/);
      assert.is(await countOf(db, 'select count(*)::int as n from equipment'), before + 5, 'the first batch (rows 2–6) only: nothing of the second');
      assert.is(await countOf(db, "select count(*)::int as n from ledger where kind = 'equipment'"), ledgerBefore + 5);
      const job = (await new DrizzleImportStore(db).getJob(`import${importers}-1`))!;
      assert.equal([job.status, job.processedRows, job.totalRows, job.counts.created], ['interrupted', 5, 12, 5]);
      assert.match(job.error!, /connection to the database lost/);

      const resumed = await importer(db, registry, { batchSize: 5 }).run(OWNER, request(file));
      assert.equal([resumed.status, resumed.counts.unchanged, resumed.counts.created], ['completed', 5, 7]);
      assert.is(await countOf(db, 'select count(*)::int as n from equipment'), before + 12);
      assert.is(await countOf(db, "select count(*)::int as n from ledger where kind = 'equipment'"), ledgerBefore + 12);
    }));

  it('set-based batches write what row-at-a-time registration writes: the same rows, ledger entries and MACs, the same reports', async () => {
    const named = (n: number, changes: Partial<Record<string, string>> = {}) => {
      const r = row(n);
      for (const [h, v] of Object.entries(changes)) r[EN.indexOf(h)] = v!;
      return r;
    };
    const file = Buffer.from(
      csvOf(EN, [
        named(1),
        named(2),
        named(0, { Id: '', 'Asset code': 'CS-NEW-1', Name: 'an id drawn' }), // created under a drawn id
        named(2), // the row above again, in the same batch: unchanged
        named(0, { Id: '', 'Asset code': 'cs-1', Name: 'another name' }), // row 1 by its asset code (case aside), in the batch before: conflict
        named(3, { 'Asset code': 'CS-1' }), // row 1's asset code under another id: DUPLICATE
        named(4, { Level: 'tool' }), // INVALID_FIELD
        named(0, { Id: 'scale-stall-17', 'Asset code': 'LH-17' }), // the demo's, registered with another name: conflict
        ...[5, 6, 7, 8, 9].map((n) => named(n)),
      ]),
      'utf8',
    );
    const run = (batchSize: number) =>
      new Promise<{ rows: ImportJob['rows']; state: unknown; again: ImportJob['counts']; ledgerAgain: number; verified: boolean }>((resolve, reject) =>
        withApp(database, async ({ db, registry }) => {
          const imports = importer(db, registry, { batchSize });
          const job = await imports.run(OWNER, request(file));
          const state = await databaseState(db);
          const ledgerBefore = await countOf(db, 'select count(*)::int as n from ledger');
          const again = await imports.run(OWNER, request(file));
          const ledgerAgain = (await countOf(db, 'select count(*)::int as n from ledger')) - ledgerBefore;
          const verified = (await new LedgerService(new DrizzleLedgerStore(db), { keys: TEST_LEDGER_KEYS }).verify()).valid;
          resolve({ rows: job.rows, state, again: again.counts, ledgerAgain, verified });
        }).catch(reject),
      );
    // every row alone (a batch of one: what POST /v1/equipment writes for one instrument), then all in batches of 4 and of 500
    const alone = await run(1);
    assert.equal(
      alone.rows.map((r) => r.status),
      ['created', 'created', 'created', 'unchanged', 'conflict', 'error', 'error', 'conflict', 'created', 'created', 'created', 'created', 'created'],
    );
    assert.equal(
      alone.rows[5]!.problems.map((p) => [p.code, p.field]),
      [['DUPLICATE', '/assetCode']],
    );
    for (const size of [4, 500]) {
      const batched = await run(size);
      assert.equal(batched.rows, alone.rows, `batches of ${size}: the same report`);
      assert.equal(
        batched.state,
        alone.state,
        `batches of ${size}: the same equipment rows, and ledger entries in the same places with the same content, signed`,
      );
      assert.equal(
        [batched.again, batched.ledgerAgain, batched.verified],
        [{ created: 0, amended: 0, unchanged: 9, valid: 0, conflict: 2, error: 2, not_imported: 0 }, 0, true],
        'imported again: nothing written; the ledger verifies',
      );
    }
  });

  const LAB: Caller = { kind: 'key', keyId: 'k-lab', role: 'lab', organisationId: 'district-station' };
  const RECORD_ZH = [
    '证书编号',
    '检定或校准',
    '使用单位ID',
    '器具编号',
    '检定/校准日期',
    '有效期至',
    '检定结论',
    '计量标准器ID',
    '检定规程',
    '检定员',
    '标称值',
    '调整前实测值',
    '单位',
  ];
  const records = (rows: string[][]) => request(Buffer.from(csvOf(RECORD_ZH, rows), 'utf8'), { kind: 'records' });
  const certificate = (no: string, assetCode: string, on: string, until: string, extra: Partial<Record<string, string>> = {}) => {
    const r = [no, '检定', 'city-market', assetCode, on, until, '合格', 'district-f1-set', 'JJG 539-2016', '张三', '15', '15.004', 'kg'];
    for (const [h, v] of Object.entries(extra)) r[RECORD_ZH.indexOf(h)] = v!;
    return r;
  };
  /** A further point of the certificate above it: the certificate's own columns blank. */
  const point = (nominal: string, asFound: string, extra: Partial<Record<string, string>> = {}) => {
    const r = ['', '', '', '', '', '', '', '', '', '', nominal, asFound, 'kg'];
    for (const [h, v] of Object.entries(extra)) r[RECORD_ZH.indexOf(h)] = v!;
    return r;
  };

  it('historical records: a certificate over several rows (one point a row), the instrument by owner and asset code; imported again, unchanged', () =>
    withApp(database, async ({ db, registry, verification }) => {
      assert.is((await verification.status('scale-stall-42', TEST_DATE)).status.state, 'overdue', 'the demo: scale-stall-42 overdue before the import');
      const ledgerBefore = await countOf(db, "select count(*)::int as n from ledger where kind = 'record'");
      const file = records([certificate('XH-JD2026-01200', 'LH-42', '2026-11-20', '2027-11-19'), point('30', '30.006', { 证书编号: 'XH-JD2026-01200' })]);
      const job = await importer(db, registry).run(LAB, file);
      assert.equal([job.status, job.counts.created], ['completed', 2], JSON.stringify(job));
      assert.ok(job.rows[0]!.id !== null && job.rows[1]!.id === job.rows[0]!.id, 'both rows are the one record');
      const [stored] = (await registry.listRecords({ certificateNo: 'XH-JD2026-01200' }, { limit: 5, after: null })).items;
      assert.equal(
        [stored!.record.subjectId, stored!.record.labId, stored!.record.referenceIds, stored!.record.procedure],
        ['scale-stall-42', 'district-station', ['district-f1-set'], 'JJG 539-2016'],
      );
      assert.equal(
        stored!.record.points.map((p) => [p.nominal, p.asFound, p.unit]),
        [
          ['15', '15.004', 'kg'],
          ['30', '30.006', 'kg'],
        ],
      );
      assert.is(await countOf(db, "select count(*)::int as n from ledger where kind = 'record'"), ledgerBefore + 1, 'one ledger entry: the record');
      assert.is((await verification.status('scale-stall-42', TEST_DATE)).status.state, 'in_force', 'the imported verification puts it in force');

      const again = await importer(db, registry).run(LAB, file);
      assert.equal([again.counts.unchanged, again.counts.created, again.rows[0]!.id], [2, 0, stored!.record.id]);
      const differently = await importer(db, registry).run(
        LAB,
        records([certificate('XH-JD2026-01200', 'LH-42', '2026-11-20', '2027-11-19', { 调整前实测值: '15.005' })]),
      );
      assert.equal([differently.rows[0]!.status, problemsOf(differently)], ['conflict', [[2, '标称值', 'APPEND_ONLY', '/point']]]);
    }));

  it('every problem of a record row, on the row and under the column where it is, with the API’s sentence; the rest of a refused certificate says where', () =>
    withApp(database, async ({ db, registry }) => {
      const job = await importer(db, registry).run(
        LAB,
        records([
          certificate('XH-T-1', 'LH-999', '2026-11-20', '2027-11-19'), // UNKNOWN_REFERENCE: no such asset code
          certificate('XH-T-2', 'LH-42', '2026-11-20', '2027-11-19'),
          point('30', '三十'), // INVALID_DECIMAL on the second point's row (its certificate number blank, as merged cells save)
          certificate('XH-T-3', 'LH-42', '2026-11-20', '2027-11-19'),
          point('30', '30.01', { 证书编号: 'XH-T-3', '检定/校准日期': '2026-11-21' }), // INVALID_FIELD: a continuation row changes the date
          certificate('XH-T-4', 'LH-42', '2026-11-25', '2027-11-24'), // REFERENCE_NOT_VALID: the F1 set's 考核证书 ended 2026-11-24
          certificate('XH-T-5', 'LH-42', '2026-11-20', '2027-11-19', { 检定结论: '基本合格' }), // INVALID_FIELD
          certificate('XH-JD2025-00942', 'LH-42', '2025-10-20', '2026-10-19'), // APPEND_ONLY: the demo's certificate, recorded with another verification type
          certificate('XH-T-6', 'LH-42', '2026-12-20', '2027-12-19'), // DATE_IN_FUTURE
        ]),
      );
      assert.equal(problemsOf(job), [
        [2, '器具编号', 'UNKNOWN_REFERENCE', '/subject/assetCode'],
        [3, null, 'INVALID_DECIMAL', ''],
        [4, '调整前实测值', 'INVALID_DECIMAL', '/points/1/asFound'],
        [5, null, 'INVALID_FIELD', ''],
        [6, '检定/校准日期', 'INVALID_FIELD', '/performedOn'],
        [7, '计量标准器ID', 'REFERENCE_NOT_VALID', '/referenceIds/0'],
        [8, '检定结论', 'INVALID_FIELD', '/conformity'],
        [9, '检定类别', 'APPEND_ONLY', '/verificationType'],
        [10, '检定/校准日期', 'DATE_IN_FUTURE', '/performedOn'],
      ]);
      assert.match(job.rows[1]!.problems[0]!.message, /part of certificate 'XH-T-2' \(rows 3–4\).*see row 4/);
      assert.match(job.rows[5]!.problems[0]!.message, /沪徐量标证字第0014号/, "the API's sentence names the expired 考核证书");
      assert.equal(job.counts, { created: 0, amended: 0, unchanged: 0, valid: 0, conflict: 1, error: 8, not_imported: 0 });
    }));

  it('records are the issuing lab’s: an owner’s key may not import them, a lab only its own', () =>
    withApp(database, async ({ db, registry }) => {
      try {
        await importer(db, registry).run(OWNER, records([certificate('XH-T-7', 'LH-42', '2026-11-20', '2027-11-19')]));
        assert.unreachable();
      } catch (e) {
        assert.equal([(e as { code?: string }).code, (e as { path?: string }).path], ['FORBIDDEN', '/kind']);
      }
      const header = [...RECORD_ZH, '检定/校准机构ID'];
      const other = await importer(db, registry).run(
        LAB,
        request(Buffer.from(csvOf(header, [[...certificate('XH-T-8', 'LH-42', '2026-11-20', '2027-11-19'), 'city-institute']]), 'utf8'), { kind: 'records' }),
      );
      assert.equal(problemsOf(other), [[2, '检定/校准机构ID', 'FORBIDDEN', '/labId']]);
      const job = await importer(db, registry).run(
        LAB,
        records([
          // the station is not authorised for water meters (volume, MV004): refused as the API refuses it
          certificate('XH-T-9', 'LH-W-0231', '2026-11-20', '2027-11-19', { 单位: 'm3', 标称值: '1', 调整前实测值: '1.001' }),
          // another lab's certificate number: taken, and nothing of that lab's record is shown
          certificate('SIMT-JD2026-1021', 'LH-42', '2026-11-20', '2027-11-19'),
        ]),
      );
      assert.equal(
        problemsOf(job),
        [
          [2, '器具编号', 'LAB_NOT_AUTHORISED', '/subjectId'],
          [3, '证书编号', 'DUPLICATE', '/certificateNo'],
        ],
        JSON.stringify(problemsOf(job)),
      );
      const taken = job.rows[1]!.problems[0]!.message;
      assert.match(taken, /already recorded by another lab/);
      assert.not.match(taken, /city-institute|district-f1-set|SIMT-JD2026-1021'\)|record '/, "nothing of the other lab's record");
      assert.is(job.rows[1]!.id, null);
    }));

  it.run();
}

const TEST_DATE = '2026-11-25' as CalendarDate;

function gb18030(text: string): Uint8Array {
  // Node has no GB18030 encoder; the characters used here are all in GB2312, encoded through a lookup of the decoder.
  const out: number[] = [];
  const decoder = new TextDecoder('gb18030');
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) {
      out.push(ch.charCodeAt(0));
      continue;
    }
    const code = GB_CACHE.get(ch) ?? findGb(ch, decoder);
    out.push(code >> 8, code & 0xff);
  }
  return Uint8Array.from(out);
}

const GB_CACHE = new Map<string, number>();
function findGb(ch: string, decoder: { decode(b: Uint8Array): string }): number {
  for (let hi = 0xa1; hi <= 0xf7; hi++) {
    for (let lo = 0xa1; lo <= 0xfe; lo++) {
      const c = decoder.decode(Uint8Array.from([hi, lo]));
      if (!GB_CACHE.has(c)) GB_CACHE.set(c, (hi << 8) | lo);
    }
  }
  const code = GB_CACHE.get(ch);
  if (code === undefined) throw new Error(`'${ch}' is not in GB2312`);
  return code;
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
