/**
 * A register of calibration and verification records as a table (a lab's
 * ledger of the certificates it issued, kept in a spreadsheet): the columns,
 * each with its English and Chinese header (the terms of JJF 1069 and of the
 * verification certificate), and how the rows of one certificate become the
 * JSON the records API (`POST /v1/calibrations`) reads.
 *
 * One certificate may take several consecutive rows, one per measured point:
 * the rows that share a certificate number are one record, its fields taken
 * from the first of them. The instrument is named by its id, or by its
 * owner and asset code (what a lab's ledger knows it by). Every rule stays
 * the API's: this module only moves cells into fields.
 */
import type { CalibrationRecord } from '../core/registry/types.ts';
import { writeRecord } from './registry.ts';
import { cellsJson, type RegisterColumn, type RegisterTable, wireCells } from './register-table.ts';

const KINDS_ZH: Record<string, string> = { 检定: 'verification', 校准: 'calibration' };
const CONFORMITY_ZH: Record<string, string> = { 合格: 'pass', 不合格: 'fail' };
const VERIFICATION_TYPES_ZH: Record<string, string> = {
  首次检定: 'initial',
  后续检定: 'subsequent',
  周期检定: 'periodic',
  修理后检定: 'after_repair',
  使用中检查: 'in_use_check',
};
const CERTIFICATE_KINDS_ZH: Record<string, string> = {
  检定证书: 'verification_certificate',
  检定结果通知书: 'result_notice',
  校准证书: 'calibration_certificate',
};

/** The columns of a record register, in template order: the record's, then one measured point's. */
export const RECORD_COLUMNS: readonly RegisterColumn[] = [
  {
    key: 'id',
    en: 'Record id',
    zh: '记录ID',
    pointer: '/id',
    required: 'no',
    example: '',
    note: 'the id in this registry (1–64 letters, digits, . _ -); drawn when left blank — the certificate number is what a re-import recognises',
  },
  {
    key: 'certificateNo',
    en: 'Certificate no',
    zh: '证书编号',
    aliases: ['证书号', '检定证书编号', '校准证书编号'],
    pointer: '/certificateNo',
    required: 'yes',
    example: 'JD2026-0001',
    note: 'unique in the registry (compared ignoring case, spaces and full-width forms); consecutive rows with the same number are one certificate, one row per measured point',
  },
  {
    key: 'kind',
    en: 'Kind',
    zh: '检定或校准',
    aliases: ['类别'],
    pointer: '/kind',
    required: 'yes',
    example: 'verification',
    note: 'verification or calibration (or 检定, 校准)',
    values: KINDS_ZH,
  },
  {
    key: 'subjectId',
    en: 'Instrument id',
    zh: '器具ID',
    pointer: '/subjectId',
    required: 'see note',
    example: 'scale-stall-101',
    note: 'the instrument verified or calibrated, by its id in this registry; or leave it blank and give its owner and asset code',
  },
  {
    key: 'subject.ownerId',
    en: 'Owner id',
    zh: '使用单位ID',
    pointer: '/subject/ownerId',
    required: 'see note',
    example: 'city-market',
    note: "the instrument's owner, with its asset code, when the row gives no instrument id (default: ownerId given for the whole file, else the importing key's organisation)",
  },
  {
    key: 'subject.assetCode',
    en: 'Asset code',
    zh: '器具编号',
    aliases: ['资产编号', '管理编号'],
    pointer: '/subject/assetCode',
    required: 'see note',
    example: 'SC-0101',
    note: "the owner's own number of the instrument, when the row gives no instrument id",
  },
  {
    key: 'labId',
    en: 'Lab id',
    zh: '检定/校准机构ID',
    aliases: ['机构ID'],
    pointer: '/labId',
    required: 'see note',
    example: 'city-institute',
    note: "the lab that issued the certificate; default: the importing lab key's organisation (an admin gives it)",
  },
  {
    key: 'performedOn',
    en: 'Performed on',
    zh: '检定/校准日期',
    aliases: ['检定日期', '校准日期'],
    pointer: '/performedOn',
    required: 'yes',
    example: '2026-03-02',
    note: 'YYYY-MM-DD',
  },
  {
    key: 'validUntil',
    en: 'Valid until',
    zh: '有效期至',
    aliases: ['有效日期'],
    pointer: '/validUntil',
    required: 'see note',
    example: '2027-03-01',
    note: 'YYYY-MM-DD; a passed verification states it, a result notice does not',
  },
  {
    key: 'conformity',
    en: 'Conformity',
    zh: '检定结论',
    aliases: ['结论'],
    pointer: '/conformity',
    required: 'see note',
    example: 'pass',
    note: 'pass or fail (or 合格, 不合格); a verification states it',
    values: CONFORMITY_ZH,
  },
  {
    key: 'verificationType',
    en: 'Verification type',
    zh: '检定类别',
    aliases: ['检定性质'],
    pointer: '/verificationType',
    required: 'no',
    example: 'periodic',
    note: 'initial, subsequent, periodic, after_repair, in_use_check (or 首次检定, 后续检定, 周期检定, 修理后检定, 使用中检查)',
    values: VERIFICATION_TYPES_ZH,
  },
  {
    key: 'referenceIds',
    en: 'Reference ids',
    zh: '计量标准器ID',
    aliases: ['标准器ID'],
    pointer: '/referenceIds',
    required: 'see note',
    example: 'wset-f2-1; wset-f2-2',
    note: 'the reference standards used, by their ids in this registry, separated by ; or 、 — checked valid on the date as the API checks them',
    list: true,
  },
  {
    key: 'externalReferences',
    en: 'External references',
    zh: '外部计量标准',
    pointer: '/externalReferences',
    required: 'no',
    example: '',
    note: 'standards outside this registry, by name or identification, separated by ; or 、',
    list: true,
  },
  {
    key: 'procedure',
    en: 'Procedure',
    zh: '检定规程/校准规范',
    aliases: ['依据', '技术依据', '检定规程', '校准规范'],
    pointer: '/procedure',
    required: 'no',
    example: 'JJG 539-2016',
    note: 'the JJG or JJF the work followed',
  },
  { key: 'verifier', en: 'Verifier', zh: '检定员', aliases: ['校准员'], pointer: '/verifier', required: 'no', example: '张三', note: '' },
  { key: 'checker', en: 'Checker', zh: '核验员', pointer: '/checker', required: 'no', example: '李四', note: '' },
  { key: 'approver', en: 'Approver', zh: '批准人', pointer: '/approver', required: 'no', example: '王五', note: '' },
  {
    key: 'certificateKind',
    en: 'Certificate kind',
    zh: '证书类型',
    pointer: '/certificateKind',
    required: 'no',
    example: 'verification_certificate',
    note: 'verification_certificate, result_notice, calibration_certificate (or 检定证书, 检定结果通知书, 校准证书); default from the kind and conclusion',
    values: CERTIFICATE_KINDS_ZH,
  },
  { key: 'labelNo', en: 'Label no', zh: '合格证号', pointer: '/labelNo', required: 'no', example: '', note: 'the number of the label fixed to the instrument' },
  { key: 'sealNo', en: 'Seal no', zh: '封印号', pointer: '/sealNo', required: 'no', example: '', note: '' },
  { key: 'customerName', en: 'Customer', zh: '委托单位', pointer: '/customerName', required: 'no', example: '', note: '' },
  { key: 'remarks', en: 'Remarks', zh: '备注', pointer: '/remarks', required: 'no', example: '', note: 'up to 2,000 characters' },
  {
    key: 'point.nominal',
    en: 'Nominal',
    zh: '标称值',
    aliases: ['检定点', '校准点'],
    pointer: '/point/nominal',
    required: 'see note',
    example: '15',
    note: 'a measured point: its nominal value (a decimal); one point per row',
  },
  {
    key: 'point.asFound',
    en: 'As found',
    zh: '调整前实测值',
    aliases: ['实测值'],
    pointer: '/point/asFound',
    required: 'no',
    example: '15.004',
    note: 'the value measured before any adjustment',
  },
  {
    key: 'point.asLeft',
    en: 'As left',
    zh: '调整后实测值',
    pointer: '/point/asLeft',
    required: 'no',
    example: '',
    note: 'the value measured after adjustment',
  },
  {
    key: 'point.expandedUncertainty',
    en: 'Expanded uncertainty',
    zh: '扩展不确定度',
    pointer: '/point/expandedUncertainty',
    required: 'no',
    example: '0.002',
    note: "the point's U",
  },
  { key: 'point.coverageFactor', en: 'Coverage factor', zh: '包含因子', pointer: '/point/coverageFactor', required: 'no', example: '2', note: 'k, with U' },
  { key: 'point.unit', en: 'Unit', zh: '单位', pointer: '/point/unit', required: 'see note', example: 'kg', note: "the point's unit, with its nominal value" },
];

/** The record register as a table. */
export const RECORD_TABLE: RegisterTable = {
  kind: 'records',
  columns: RECORD_COLUMNS,
  enclosing: { '/subject': '/subject/assetCode', '/point': '/point/nominal' },
};

const isPointColumn = (c: RegisterColumn) => c.key.startsWith('point.');

/** Cells of a row: the record's own columns, and the point's. */
export function splitRecordCells(cells: ReadonlyMap<RegisterColumn, string>): { record: Map<RegisterColumn, string>; point: Map<RegisterColumn, string> } {
  const record = new Map<RegisterColumn, string>();
  const point = new Map<RegisterColumn, string>();
  for (const [c, v] of cells) (isPointColumn(c) ? point : record).set(c, v);
  return { record, point };
}

/** Does the row give a point (any point cell filled)? */
export const hasPoint = (point: ReadonlyMap<RegisterColumn, string>): boolean => [...point.values()].some((v) => v.trim() !== '');

/**
 * The record JSON of a certificate's rows: the record's fields from the
 * first row's cells, one point from each row that gives one. The instrument
 * named by owner and asset code is left in `subject` for the caller to look
 * up (the API itself takes an id).
 */
export function recordRowsJson(
  first: ReadonlyMap<RegisterColumn, string>,
  points: ReadonlyArray<ReadonlyMap<RegisterColumn, string>>,
): Record<string, unknown> {
  const out = cellsJson(first);
  if (points.length > 0) out['points'] = points.map((p) => cellsJson(p)['point'] ?? {});
  return out;
}

/** A record as the cells of its register's record columns ('' for what it has not; the points apart). */
export function recordCells(record: CalibrationRecord): Record<string, string> {
  const wire = writeRecord(record) as unknown as Record<string, unknown>;
  const cells = wireCells(RECORD_TABLE, wire);
  for (const c of RECORD_COLUMNS) if (isPointColumn(c) || c.key.startsWith('subject.')) delete cells[c.key];
  return cells;
}
