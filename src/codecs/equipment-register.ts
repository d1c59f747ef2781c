/**
 * An equipment register as a table (a spreadsheet a user already keeps): the
 * columns, each with its English and Chinese header, and how a row becomes the
 * JSON the equipment API reads (register-table.ts does the moving; every rule
 * stays the API's). Enumerated cells take the API's values or their Chinese names.
 */
import type { Equipment } from '../core/registry/types.ts';
import { writeEquipment } from './registry.ts';
import { cellsJson, columnOfTablePointer, type HeaderMatch, matchTableHeader, type RegisterColumn, type RegisterTable, wireCells } from './register-table.ts';

export type { Lang, RegisterColumn } from './register-table.ts';
export { columnLetter, headerIn, headerKey } from './register-table.ts';

const LEVELS_ZH: Record<string, string> = {
  国家计量基准: 'national_primary_standard',
  社会公用计量标准: 'public_highest_standard',
  部门最高计量标准: 'department_highest_standard',
  企事业单位最高计量标准: 'enterprise_highest_standard',
  工作计量标准: 'working_standard',
  工作计量器具: 'working_instrument',
};
const USAGES_ZH: Record<string, string> = {
  贸易结算: 'trade_settlement',
  安全防护: 'safety_protection',
  医疗卫生: 'medical',
  环境监测: 'environmental_monitoring',
  能源计量: 'energy_metering',
  其他: 'other',
};
const STATUSES_ZH: Record<string, string> = { 在用: 'in_service', 暂停使用: 'suspended', 停用: 'retired' };
const ACCURACY_KINDS_ZH: Record<string, string> = { 最大允许误差: 'mpe', 准确度等级: 'class', 扩展不确定度: 'expanded' };
export const QUANTITIES_ZH: Record<string, string> = {
  质量: 'mass',
  长度: 'length',
  温度: 'temperature',
  压力: 'pressure',
  电能: 'electrical_energy',
  电功率: 'electrical_power',
  电压: 'voltage',
  电流: 'current',
  电阻: 'resistance',
  容量: 'volume',
  体积: 'volume',
  流量: 'flow',
  密度: 'density',
  力: 'force',
  扭矩: 'torque',
  硬度: 'hardness',
  时间频率: 'time_frequency',
  声学: 'acoustics',
  光学: 'optics',
  电离辐射: 'ionising_radiation',
  化学成分: 'chemical_composition',
  湿度: 'humidity',
  速度: 'velocity',
  热量: 'heat',
};

/** The columns of an equipment register, in template order. */
export const EQUIPMENT_COLUMNS: readonly RegisterColumn[] = [
  {
    key: 'id',
    en: 'Id',
    zh: '器具ID',
    pointer: '/id',
    required: 'see note',
    example: 'scale-stall-101',
    note: 'the id in this registry (1–64 letters, digits, . _ -); give it, or an asset code, so that a re-import recognises the row',
  },
  {
    key: 'ownerId',
    en: 'Owner id',
    zh: '使用单位ID',
    pointer: '/ownerId',
    required: 'see note',
    example: 'city-market',
    note: "the owner's organisation id; may be left out when importing with an owner's key (its organisation) or with ownerId given for the whole file",
  },
  {
    key: 'name',
    en: 'Name',
    zh: '计量器具名称',
    aliases: ['器具名称'],
    pointer: '/name',
    required: 'yes',
    example: '电子计价秤',
    note: 'up to 200 characters',
  },
  {
    key: 'assetCode',
    en: 'Asset code',
    zh: '器具编号',
    aliases: ['资产编号', '管理编号'],
    pointer: '/assetCode',
    required: 'see note',
    example: 'SC-0101',
    note: "the owner's own number, unique per owner (compared ignoring case, spaces and full-width forms)",
  },
  { key: 'serialNumber', en: 'Serial number', zh: '出厂编号', pointer: '/serialNumber', required: 'no', example: '2024110387', note: '' },
  {
    key: 'manufacturer',
    en: 'Manufacturer',
    zh: '制造单位',
    aliases: ['生产厂家', '制造厂'],
    pointer: '/manufacturer',
    required: 'no',
    example: '上海衡器厂',
    note: '',
  },
  { key: 'model', en: 'Model', zh: '型号/规格', aliases: ['规格型号'], pointer: '/model', required: 'no', example: 'ACS-30', note: '' },
  {
    key: 'quantity',
    en: 'Quantity',
    zh: '被测量',
    aliases: ['测量参数'],
    pointer: '/quantity',
    required: 'yes',
    example: 'mass',
    note: 'mass, length, temperature, pressure, electrical_energy, volume, flow, … (or 质量, 长度, 温度, 压力, 电能, 容量, 流量, …)',
    values: QUANTITIES_ZH,
  },
  { key: 'range.min', en: 'Range min', zh: '测量范围下限', pointer: '/range/min', required: 'no', example: '0.04', note: 'a decimal' },
  { key: 'range.max', en: 'Range max', zh: '测量范围上限', pointer: '/range/max', required: 'no', example: '30', note: 'a decimal' },
  { key: 'range.unit', en: 'Range unit', zh: '测量范围单位', pointer: '/range/unit', required: 'yes', example: 'kg', note: '' },
  {
    key: 'accuracy.kind',
    en: 'Accuracy kind',
    zh: '准确度表示方式',
    pointer: '/accuracy/kind',
    required: 'see note',
    example: 'class',
    note: 'mpe, class or expanded (最大允许误差, 准确度等级, 扩展不确定度); may be left out when exactly the one of accuracy class, MPE or expanded uncertainty is given',
    values: ACCURACY_KINDS_ZH,
  },
  {
    key: 'accuracy.accuracyClass',
    en: 'Accuracy class',
    zh: '准确度等级',
    pointer: '/accuracy/accuracyClass',
    required: 'see note',
    example: 'III',
    note: 'for kind class',
  },
  {
    key: 'accuracy.mpe',
    en: 'MPE',
    zh: '最大允许误差',
    pointer: '/accuracy/mpe',
    required: 'see note',
    example: '0.5',
    note: 'for kind mpe: its magnitude, a positive decimal',
  },
  {
    key: 'accuracy.expandedUncertainty',
    en: 'Expanded uncertainty',
    zh: '扩展不确定度',
    pointer: '/accuracy/expandedUncertainty',
    required: 'see note',
    example: '0.002',
    note: 'for kind expanded',
  },
  {
    key: 'accuracy.coverageFactor',
    en: 'Coverage factor',
    zh: '包含因子',
    pointer: '/accuracy/coverageFactor',
    required: 'see note',
    example: '2',
    note: 'for kind expanded: k',
  },
  {
    key: 'accuracy.unit',
    en: 'Accuracy unit',
    zh: '准确度单位',
    pointer: '/accuracy/unit',
    required: 'see note',
    example: 'g',
    note: 'the unit of the MPE or of the expanded uncertainty',
  },
  {
    key: 'level',
    en: 'Level',
    zh: '计量器具层级',
    pointer: '/level',
    required: 'yes',
    example: 'working_instrument',
    note: 'national_primary_standard, public_highest_standard, department_highest_standard, enterprise_highest_standard, working_standard, working_instrument (or 国家计量基准, 社会公用计量标准, 部门最高计量标准, 企事业单位最高计量标准, 工作计量标准, 工作计量器具)',
    values: LEVELS_ZH,
  },
  {
    key: 'category',
    en: 'Category',
    zh: '强制管理目录编号',
    aliases: ['目录编号'],
    pointer: '/category',
    required: 'see note',
    example: 'MV016',
    note: 'the catalogue category (GET /v1/catalogue); required of a working instrument used for trade settlement, safety, medical care or environmental monitoring',
  },
  {
    key: 'usage',
    en: 'Usage',
    zh: '用途',
    pointer: '/usage',
    required: 'no',
    example: 'trade_settlement',
    note: 'trade_settlement, safety_protection, medical, environmental_monitoring, energy_metering, other (or 贸易结算, 安全防护, 医疗卫生, 环境监测, 能源计量, 其他); default other',
    values: USAGES_ZH,
  },
  {
    key: 'status',
    en: 'Status',
    zh: '状态',
    pointer: '/status',
    required: 'no',
    example: 'in_service',
    note: 'in_service, suspended, retired (or 在用, 暂停使用, 停用); default in_service',
    values: STATUSES_ZH,
  },
  {
    key: 'assessment.certificateNo',
    en: 'Assessment certificate no',
    zh: '计量标准考核证书编号',
    pointer: '/assessment/certificateNo',
    required: 'no',
    example: '[2024]沪徐量标证字第0031号',
    note: 'a measurement standard only; with its two dates',
  },
  {
    key: 'assessment.validFrom',
    en: 'Assessment valid from',
    zh: '考核证书有效期起',
    pointer: '/assessment/validFrom',
    required: 'no',
    example: '2024-12-01',
    note: 'YYYY-MM-DD',
  },
  {
    key: 'assessment.validUntil',
    en: 'Assessment valid until',
    zh: '考核证书有效期至',
    pointer: '/assessment/validUntil',
    required: 'no',
    example: '2028-11-30',
    note: 'YYYY-MM-DD',
  },
  {
    key: 'realisation',
    en: 'Realisation',
    zh: '基准复现说明',
    pointer: '/realisation',
    required: 'no',
    example: '',
    note: 'a national primary standard only (an admin imports those)',
  },
  {
    key: 'patternApprovalNo',
    en: 'Pattern approval no',
    zh: '型式批准编号',
    aliases: ['型式批准证书编号'],
    pointer: '/patternApprovalNo',
    required: 'no',
    example: '2019F123-31',
    note: '型式批准编号',
  },
];

/** The equipment register as a table. */
export const EQUIPMENT_TABLE: RegisterTable = {
  kind: 'equipment',
  columns: EQUIPMENT_COLUMNS,
  enclosing: { '/range': '/range/unit', '/accuracy': '/accuracy/kind', '/assessment': '/assessment/certificateNo' },
};

/** Reads an equipment register's header row (see matchTableHeader). */
export const matchHeader = (cells: readonly string[]): HeaderMatch => matchTableHeader(EQUIPMENT_TABLE, cells);

/**
 * A row as the equipment API's JSON (see cellsJson), the owner given for the
 * whole file filled in, and the accuracy kind implied by the one accuracy
 * figure given when the kind is left blank.
 */
export function equipmentRowJson(cells: ReadonlyMap<RegisterColumn, string>, defaults: { readonly ownerId?: string | null } = {}): Record<string, unknown> {
  const out = cellsJson(cells);
  if (out['ownerId'] === undefined && defaults.ownerId) out['ownerId'] = defaults.ownerId;
  const accuracy = out['accuracy'] as Record<string, unknown> | undefined;
  if (accuracy && accuracy['kind'] === undefined) {
    const given = (['accuracyClass', 'mpe', 'expandedUncertainty'] as const).filter((k) => accuracy[k] !== undefined);
    if (given.length === 1) accuracy['kind'] = { accuracyClass: 'class', mpe: 'mpe', expandedUncertainty: 'expanded' }[given[0]!];
  }
  return out;
}

/** The column a problem's JSON pointer belongs to. */
export const columnOfPointer = (pointer: string): RegisterColumn | null => columnOfTablePointer(EQUIPMENT_TABLE, pointer);

/** An equipment as the cells of its register row (the API's wire form, flattened; '' for what it has not). */
export const equipmentCells = (e: Equipment): Record<string, string> => wireCells(EQUIPMENT_TABLE, writeEquipment(e) as unknown as Record<string, unknown>);
