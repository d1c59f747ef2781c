/**
 * A lab's authorised scope and its CMCs as tables (the 授权项目一览表 and the
 * CMC table of an accreditation schedule, kept in a spreadsheet): the columns,
 * each with its English and Chinese header, and how a row becomes the JSON
 * the scope and CMC APIs read (`POST /v1/organisations/{id}/scopes`, `…/cmcs`,
 * and their `…/amendments`). Two registers, because the model has two: a
 * scope says what a lab may verify or calibrate (a quantity or catalogue
 * category, a range, mandatory-verification authority, an authorisation
 * certificate); a CMC the smallest uncertainty it may report over a range.
 * They share no field but the quantity, range and validity, and are
 * versioned apart. Every rule stays the API's: this module only moves cells
 * into fields.
 */
import type { Cmc, LabScope } from '../core/registry/types.ts';
import { QUANTITIES_ZH } from './equipment-register.ts';
import { cellsJson, type RegisterColumn, type RegisterTable, wireCells } from './register-table.ts';
import { writeCmc, writeScope } from './registry.ts';

const YES_NO_ZH: Record<string, string> = { 是: 'true', 否: 'false', 有: 'true', 无: 'false' };
const QUANTITY_NOTE = 'mass, length, temperature, pressure, electrical_energy, volume, flow, … (or 质量, 长度, 温度, 压力, 电能, 容量, 流量, …)';

/** The columns both registers have: the row's id, the lab, the quantity and range. */
const head = (what: 'scope' | 'CMC', idZh: string, example: string): RegisterColumn[] => [
  {
    key: 'id',
    en: `${what === 'scope' ? 'Scope' : 'CMC'} id`,
    zh: idZh,
    pointer: '/id',
    required: 'no',
    example,
    note: `the ${what}'s id in this registry (1–64 letters, digits, . _ -); drawn when left blank. Give it to change the ${what}'s range${what === 'scope' ? ' or category' : ''} by a later import`,
  },
  {
    key: 'labId',
    en: 'Lab id',
    zh: '检定/校准机构ID',
    aliases: ['机构ID'],
    pointer: '/labId',
    required: 'see note',
    example: 'city-institute',
    note: 'the lab or legal metrology institute; may be left out when labId (CLI --lab) is given for the whole file',
  },
  {
    key: 'quantity',
    en: 'Quantity',
    zh: '被测量',
    aliases: ['测量参数'],
    pointer: '/quantity',
    required: 'yes',
    example: 'mass',
    note: QUANTITY_NOTE,
    values: QUANTITIES_ZH,
  },
];

/** The columns that append a version to a declared scope or CMC whose row changed. */
const amendment = (what: 'scope' | 'CMC'): RegisterColumn[] => [
  {
    key: 'effectiveFrom',
    en: 'Change effective from',
    zh: '变更生效日期',
    pointer: '/effectiveFrom',
    required: 'see note',
    example: '',
    note: `YYYY-MM-DD: for a row that changes a ${what} already declared, the first day the change is in force (a new version, as POST …/amendments appends); without it a changed row is a conflict`,
  },
  {
    key: 'reason',
    en: 'Change reason',
    zh: '变更原因',
    pointer: '/reason',
    required: 'no',
    example: '',
    note: 'why the change, kept with the version (up to 2,000 characters)',
  },
];

const range = (required: 'yes' | 'no'): RegisterColumn[] => [
  { key: 'range.min', en: 'Range min', zh: '测量范围下限', pointer: '/range/min', required: 'no', example: '0', note: 'a decimal' },
  { key: 'range.max', en: 'Range max', zh: '测量范围上限', pointer: '/range/max', required: 'no', example: '30', note: 'a decimal' },
  {
    key: 'range.unit',
    en: 'Range unit',
    zh: '测量范围单位',
    pointer: '/range/unit',
    required: required === 'yes' ? 'yes' : 'see note',
    example: 'kg',
    note: required === 'yes' ? '' : 'with a range; the whole row blank for a scope over any range',
  },
];

/** The columns of a lab's authorised scope, in template order. */
export const SCOPE_COLUMNS: readonly RegisterColumn[] = [
  ...head('scope', '授权项目ID', 'ci-scope-scales'),
  {
    key: 'category',
    en: 'Category',
    zh: '强制管理目录编号',
    aliases: ['目录编号', '强检类别'],
    pointer: '/category',
    required: 'no',
    example: 'MV016',
    note: 'the catalogue category (GET /v1/catalogue) the scope is for; blank: the whole quantity',
  },
  ...range('no'),
  {
    key: 'mandatoryVerification',
    en: 'Mandatory verification',
    zh: '强制检定授权',
    aliases: ['强制检定'],
    pointer: '/mandatoryVerification',
    required: 'no',
    example: 'true',
    note: 'true or false (or 是, 否): whether the scope authorises mandatory verification (强制检定); default false',
    values: YES_NO_ZH,
  },
  {
    key: 'validFrom',
    en: 'Valid from',
    zh: '有效期起',
    aliases: ['授权有效期起'],
    pointer: '/validFrom',
    required: 'yes',
    example: '2024-01-01',
    note: 'YYYY-MM-DD',
  },
  {
    key: 'validUntil',
    en: 'Valid until',
    zh: '有效期至',
    aliases: ['授权有效期至'],
    pointer: '/validUntil',
    required: 'yes',
    example: '2028-12-31',
    note: 'YYYY-MM-DD',
  },
  {
    key: 'authorisationNo',
    en: 'Authorisation no',
    zh: '授权证书编号',
    aliases: ['授权证书号'],
    pointer: '/authorisationNo',
    required: 'no',
    example: '(沪)法计(2024)01001号',
    note: '授权证书编号: the number of the authorisation certificate',
  },
  {
    key: 'issuedBy',
    en: 'Issued by',
    zh: '发证机关ID',
    pointer: '/issuedBy',
    required: 'no',
    example: 'city-samr',
    note: 'the regulator (市场监督管理局) that issued the authorisation, by its organisation id',
  },
  ...amendment('scope'),
];

/** The columns of a lab's CMCs, in template order. */
export const CMC_COLUMNS: readonly RegisterColumn[] = [
  ...head('CMC', 'CMC ID', 'ci-cmc-mass-1'),
  ...range('yes'),
  {
    key: 'expandedUncertainty',
    en: 'Expanded uncertainty',
    zh: '扩展不确定度',
    pointer: '/expandedUncertainty',
    required: 'see note',
    example: '0.002',
    note: 'U in the range unit; give it or the relative one, not both',
  },
  {
    key: 'relativeExpandedUncertainty',
    en: 'Relative expanded uncertainty',
    zh: '相对扩展不确定度',
    aliases: ['Urel'],
    pointer: '/relativeExpandedUncertainty',
    required: 'see note',
    example: '',
    note: 'U relative to the value (0.0005 for 5×10⁻⁴); give it or the absolute one, not both',
  },
  {
    key: 'coverageFactor',
    en: 'Coverage factor',
    zh: '包含因子',
    aliases: ['k'],
    pointer: '/coverageFactor',
    required: 'yes',
    example: '2',
    note: 'k, greater than zero',
  },
  { key: 'validFrom', en: 'Valid from', zh: '有效期起', pointer: '/validFrom', required: 'yes', example: '2024-01-01', note: 'YYYY-MM-DD' },
  { key: 'validUntil', en: 'Valid until', zh: '有效期至', pointer: '/validUntil', required: 'yes', example: '2028-12-31', note: 'YYYY-MM-DD' },
  ...amendment('CMC'),
];

/** The scope register as a table. */
export const SCOPE_TABLE: RegisterTable = { kind: 'scopes', columns: SCOPE_COLUMNS, enclosing: { '/range': '/range/unit', '/kind': '/effectiveFrom' } };
/** The CMC register as a table. */
export const CMC_TABLE: RegisterTable = { kind: 'cmcs', columns: CMC_COLUMNS, enclosing: { '/range': '/range/unit', '/kind': '/effectiveFrom' } };

/** A row of either register, parted as the API takes it: the lab (a path parameter there), the change's date and reason, and the body. */
export interface DeclarationRow {
  readonly labId: string | null;
  readonly effectiveFrom: string | null;
  readonly reason: string | null;
  readonly body: Record<string, unknown>;
}

/**
 * A row as the API's JSON (see cellsJson), the lab given for the whole file
 * filled in, a yes/no cell as the boolean the API reads (any other text left
 * as written, for the API to refuse).
 */
export function declarationRowJson(cells: ReadonlyMap<RegisterColumn, string>, defaults: { readonly labId?: string | null } = {}): DeclarationRow {
  const body = cellsJson(cells);
  const take = (k: string): string | null => {
    const v = body[k];
    delete body[k];
    return typeof v === 'string' ? v : null;
  };
  const labId = take('labId') ?? defaults.labId ?? null;
  const effectiveFrom = take('effectiveFrom');
  const reason = take('reason');
  const flag = body['mandatoryVerification'];
  if (typeof flag === 'string' && /^(true|false)$/i.test(flag)) body['mandatoryVerification'] = flag.toLowerCase() === 'true';
  return { labId, effectiveFrom, reason, body };
}

/** A scope as the cells of its register row ('' for what it has not; the change's columns apart). */
export const scopeCells = (s: LabScope): Record<string, string> => wireCells(SCOPE_TABLE, writeScope(s) as unknown as Record<string, unknown>);
/** A CMC as the cells of its register row. */
export const cmcCells = (c: Cmc): Record<string, string> => wireCells(CMC_TABLE, writeCmc(c) as unknown as Record<string, unknown>);
