/**
 * An equipment register as a table (a spreadsheet a user already keeps): the
 * columns, each with its English and Chinese header, how a row becomes the
 * JSON the equipment API reads (so every rule stays the API's own: this module
 * only moves cells into fields), and the column a problem's JSON pointer
 * belongs to. Enumerated cells take the API's values or their Chinese names.
 */
import type { Equipment } from '../core/registry/types.ts';
import { writeEquipment } from './registry.ts';

export type Lang = 'en' | 'zh';

export interface RegisterColumn {
  /** The field's name in the report and the docs (the API's name, dotted for nested fields). */
  readonly key: string;
  readonly en: string;
  readonly zh: string;
  /** Other headers users write for the same column (compared as headers are). */
  readonly aliases?: readonly string[];
  /** The JSON pointer of the field in the equipment API. */
  readonly pointer: string;
  readonly required: 'yes' | 'no' | 'see note';
  readonly example: string;
  readonly note: string;
  /** Chinese names accepted for an enumerated value, mapped to the API's value. */
  readonly values?: Readonly<Record<string, string>>;
}

const LEVELS_ZH: Record<string, string> = {
  国家计量基准: 'national_primary_standard',
  社会公用计量标准: 'public_highest_standard',
  部门最高计量标准: 'department_highest_standard',
  企事业单位最高计量标准: 'enterprise_highest_standard',
  工作计量标准: 'working_standard',
  工作计量器具: 'working_instrument',
};
const USAGES_ZH: Record<string, string> = { 贸易结算: 'trade_settlement', 安全防护: 'safety_protection', 医疗卫生: 'medical', 环境监测: 'environmental_monitoring', 能源计量: 'energy_metering', 其他: 'other' };
const STATUSES_ZH: Record<string, string> = { 在用: 'in_service', 暂停使用: 'suspended', 停用: 'retired' };
const ACCURACY_KINDS_ZH: Record<string, string> = { 最大允许误差: 'mpe', 准确度等级: 'class', 扩展不确定度: 'expanded' };
const QUANTITIES_ZH: Record<string, string> = {
  质量: 'mass', 长度: 'length', 温度: 'temperature', 压力: 'pressure', 电能: 'electrical_energy', 电功率: 'electrical_power', 电压: 'voltage', 电流: 'current', 电阻: 'resistance',
  容量: 'volume', 体积: 'volume', 流量: 'flow', 密度: 'density', 力: 'force', 扭矩: 'torque', 硬度: 'hardness', 时间频率: 'time_frequency', 声学: 'acoustics', 光学: 'optics',
  电离辐射: 'ionising_radiation', 化学成分: 'chemical_composition', 湿度: 'humidity', 速度: 'velocity', 热量: 'heat',
};

/** The columns of an equipment register, in template order. */
export const EQUIPMENT_COLUMNS: readonly RegisterColumn[] = [
  { key: 'id', en: 'Id', zh: '器具ID', pointer: '/id', required: 'see note', example: 'scale-stall-101', note: 'the id in this registry (1–64 letters, digits, . _ -); give it, or an asset code, so that a re-import recognises the row' },
  { key: 'ownerId', en: 'Owner id', zh: '使用单位ID', pointer: '/ownerId', required: 'see note', example: 'city-market', note: "the owner's organisation id; may be left out when importing with an owner's key (its organisation) or with ownerId given for the whole file" },
  { key: 'name', en: 'Name', zh: '计量器具名称', aliases: ['器具名称'], pointer: '/name', required: 'yes', example: '电子计价秤', note: 'up to 200 characters' },
  { key: 'assetCode', en: 'Asset code', zh: '器具编号', aliases: ['资产编号', '管理编号'], pointer: '/assetCode', required: 'see note', example: 'SC-0101', note: "the owner's own number, unique per owner (compared ignoring case, spaces and full-width forms)" },
  { key: 'serialNumber', en: 'Serial number', zh: '出厂编号', pointer: '/serialNumber', required: 'no', example: '2024110387', note: '' },
  { key: 'manufacturer', en: 'Manufacturer', zh: '制造单位', aliases: ['生产厂家', '制造厂'], pointer: '/manufacturer', required: 'no', example: '上海衡器厂', note: '' },
  { key: 'model', en: 'Model', zh: '型号/规格', aliases: ['规格型号'], pointer: '/model', required: 'no', example: 'ACS-30', note: '' },
  { key: 'quantity', en: 'Quantity', zh: '被测量', aliases: ['测量参数'], pointer: '/quantity', required: 'yes', example: 'mass', note: 'mass, length, temperature, pressure, electrical_energy, volume, flow, … (or 质量, 长度, 温度, 压力, 电能, 容量, 流量, …)', values: QUANTITIES_ZH },
  { key: 'range.min', en: 'Range min', zh: '测量范围下限', pointer: '/range/min', required: 'no', example: '0.04', note: 'a decimal' },
  { key: 'range.max', en: 'Range max', zh: '测量范围上限', pointer: '/range/max', required: 'no', example: '30', note: 'a decimal' },
  { key: 'range.unit', en: 'Range unit', zh: '测量范围单位', pointer: '/range/unit', required: 'yes', example: 'kg', note: '' },
  { key: 'accuracy.kind', en: 'Accuracy kind', zh: '准确度表示方式', pointer: '/accuracy/kind', required: 'see note', example: 'class', note: 'mpe, class or expanded (最大允许误差, 准确度等级, 扩展不确定度); may be left out when exactly the one of accuracy class, MPE or expanded uncertainty is given', values: ACCURACY_KINDS_ZH },
  { key: 'accuracy.accuracyClass', en: 'Accuracy class', zh: '准确度等级', pointer: '/accuracy/accuracyClass', required: 'see note', example: 'III', note: 'for kind class' },
  { key: 'accuracy.mpe', en: 'MPE', zh: '最大允许误差', pointer: '/accuracy/mpe', required: 'see note', example: '0.5', note: 'for kind mpe: its magnitude, a positive decimal' },
  { key: 'accuracy.expandedUncertainty', en: 'Expanded uncertainty', zh: '扩展不确定度', pointer: '/accuracy/expandedUncertainty', required: 'see note', example: '0.002', note: 'for kind expanded' },
  { key: 'accuracy.coverageFactor', en: 'Coverage factor', zh: '包含因子', pointer: '/accuracy/coverageFactor', required: 'see note', example: '2', note: 'for kind expanded: k' },
  { key: 'accuracy.unit', en: 'Accuracy unit', zh: '准确度单位', pointer: '/accuracy/unit', required: 'see note', example: 'g', note: 'the unit of the MPE or of the expanded uncertainty' },
  { key: 'level', en: 'Level', zh: '计量器具层级', pointer: '/level', required: 'yes', example: 'working_instrument', note: 'national_primary_standard, public_highest_standard, department_highest_standard, enterprise_highest_standard, working_standard, working_instrument (or 国家计量基准, 社会公用计量标准, 部门最高计量标准, 企事业单位最高计量标准, 工作计量标准, 工作计量器具)', values: LEVELS_ZH },
  { key: 'category', en: 'Category', zh: '强制管理目录编号', aliases: ['目录编号'], pointer: '/category', required: 'see note', example: 'MV016', note: 'the catalogue category (GET /v1/catalogue); required of a working instrument used for trade settlement, safety, medical care or environmental monitoring' },
  { key: 'usage', en: 'Usage', zh: '用途', pointer: '/usage', required: 'no', example: 'trade_settlement', note: 'trade_settlement, safety_protection, medical, environmental_monitoring, energy_metering, other (or 贸易结算, 安全防护, 医疗卫生, 环境监测, 能源计量, 其他); default other', values: USAGES_ZH },
  { key: 'status', en: 'Status', zh: '状态', pointer: '/status', required: 'no', example: 'in_service', note: 'in_service, suspended, retired (or 在用, 暂停使用, 停用); default in_service', values: STATUSES_ZH },
  { key: 'assessment.certificateNo', en: 'Assessment certificate no', zh: '计量标准考核证书编号', pointer: '/assessment/certificateNo', required: 'no', example: '[2024]沪徐量标证字第0031号', note: 'a measurement standard only; with its two dates' },
  { key: 'assessment.validFrom', en: 'Assessment valid from', zh: '考核证书有效期起', pointer: '/assessment/validFrom', required: 'no', example: '2024-12-01', note: 'YYYY-MM-DD' },
  { key: 'assessment.validUntil', en: 'Assessment valid until', zh: '考核证书有效期至', pointer: '/assessment/validUntil', required: 'no', example: '2028-11-30', note: 'YYYY-MM-DD' },
  { key: 'realisation', en: 'Realisation', zh: '基准复现说明', pointer: '/realisation', required: 'no', example: '', note: 'a national primary standard only (an admin imports those)' },
  { key: 'patternApprovalNo', en: 'Pattern approval no', zh: '型式批准编号', aliases: ['型式批准证书编号'], pointer: '/patternApprovalNo', required: 'no', example: '2019F123-31', note: '型式批准编号' },
];

/** How headers are compared: NFKC, lower case, without spaces, underscores, hyphens, dots, slashes and brackets. */
export function headerKey(header: string): string {
  return header.normalize('NFKC').toLowerCase().replace(/[\s_\-./\\()（）[\]【】:：*]/g, '');
}

const BY_HEADER: ReadonlyMap<string, { column: RegisterColumn; lang: Lang }> = new Map(
  EQUIPMENT_COLUMNS.flatMap((c) => [
    [headerKey(c.key), { column: c, lang: 'en' as Lang }],
    [headerKey(c.en), { column: c, lang: 'en' as Lang }],
    [headerKey(c.zh), { column: c, lang: 'zh' as Lang }],
    ...(c.aliases ?? []).map((a) => [headerKey(a), { column: c, lang: 'zh' as Lang }] as const),
  ]),
);

export interface HeaderProblem {
  readonly index: number;
  readonly header: string;
  readonly code: 'UNKNOWN_FIELD' | 'INVALID_FIELD';
  readonly message: string;
}

export interface HeaderMatch {
  /** For each cell of the header row, its column (null when unknown or empty). */
  readonly columns: ReadonlyArray<RegisterColumn | null>;
  /** The language most headers are written in (what a problem names an absent column in). */
  readonly lang: Lang;
  readonly problems: readonly HeaderProblem[];
}

/** Reads a header row: every cell a known column, written once; an unknown header is a problem (a typo must not drop a field). */
export function matchHeader(cells: readonly string[]): HeaderMatch {
  const columns: Array<RegisterColumn | null> = [];
  const problems: HeaderProblem[] = [];
  const seen = new Map<string, number>();
  let zh = 0;
  let en = 0;
  cells.forEach((raw, index) => {
    const header = raw.trim();
    if (header === '') return void columns.push(null);
    const found = BY_HEADER.get(headerKey(header));
    if (!found) {
      problems.push({ index, header, code: 'UNKNOWN_FIELD', message: `unknown column '${header}'; rename it to one of the template's headers (English or Chinese, see GET /v1/imports/templates/equipment.csv) or remove it` });
      return void columns.push(null);
    }
    if (found.lang === 'zh') zh++;
    else en++;
    const before = seen.get(found.column.key);
    if (before !== undefined) {
      problems.push({ index, header, code: 'INVALID_FIELD', message: `column '${header}' is the same field (${found.column.key}) as column ${columnLetter(before)}; keep one of them` });
      return void columns.push(null);
    }
    seen.set(found.column.key, index);
    columns.push(found.column);
  });
  return { columns, lang: zh > en ? 'zh' : 'en', problems };
}

/** A spreadsheet's column letter for a 0-based index (0 → A, 26 → AA). */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/**
 * A row as the equipment API's JSON: a cell's text as the field's string
 * (blank cells left out), nested fields grouped, a Chinese enumerated value
 * mapped to the API's, and the accuracy kind implied by the one accuracy
 * figure given when the kind is left blank. Nothing is checked here: the
 * codec and the use case that the API calls check the result.
 */
export function equipmentRowJson(cells: ReadonlyMap<RegisterColumn, string>, defaults: { readonly ownerId?: string | null } = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const group = (name: string): Record<string, unknown> => (out[name] ??= {}) as Record<string, unknown>;
  for (const [column, text] of cells) {
    const value = text.trim();
    if (value === '') continue;
    const mapped = column.values?.[value] ?? value;
    const [head, tail] = column.key.split('.') as [string, string | undefined];
    if (tail === undefined) out[head] = mapped;
    else group(head)[tail] = mapped;
  }
  if (out['ownerId'] === undefined && defaults.ownerId) out['ownerId'] = defaults.ownerId;
  const accuracy = out['accuracy'] as Record<string, unknown> | undefined;
  if (accuracy && accuracy['kind'] === undefined) {
    const given = (['accuracyClass', 'mpe', 'expandedUncertainty'] as const).filter((k) => accuracy[k] !== undefined);
    if (given.length === 1) accuracy['kind'] = { accuracyClass: 'class', mpe: 'mpe', expandedUncertainty: 'expanded' }[given[0]!];
  }
  return out;
}

/** The column a problem's JSON pointer belongs to: the field's own, else the nearest enclosing one's first column. */
export function columnOfPointer(pointer: string): RegisterColumn | null {
  for (let p = pointer; p !== ''; p = p.slice(0, p.lastIndexOf('/'))) {
    const exact = EQUIPMENT_COLUMNS.find((c) => c.pointer === p);
    if (exact) return exact;
    const inside = p === '/range' ? '/range/unit' : p === '/accuracy' ? '/accuracy/kind' : p === '/assessment' ? '/assessment/certificateNo' : null;
    if (inside) return EQUIPMENT_COLUMNS.find((c) => c.pointer === inside)!;
  }
  return null;
}

/** An equipment as the cells of its register row (the API's wire form, flattened; '' for what it has not). */
export function equipmentCells(e: Equipment): Record<string, string> {
  const wire = writeEquipment(e) as unknown as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const c of EQUIPMENT_COLUMNS) {
    const [head, tail] = c.key.split('.') as [string, string | undefined];
    const v = tail === undefined ? wire[head] : (wire[head] as Record<string, unknown> | null)?.[tail];
    out[c.key] = v === null || v === undefined ? '' : String(v);
  }
  return out;
}

/** The header of a column in a language. */
export const headerIn = (c: RegisterColumn, lang: Lang): string => (lang === 'zh' ? c.zh : c.en);
