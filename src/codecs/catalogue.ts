/**
 * Reading the State catalogue from its CSV (fixtures/reference/, copied from the
 * compiled reference with its sources and confidence flags) into typed entries.
 * The Chinese wording of the management and verification forms is mapped to
 * the closed vocabulary of core/verification; a row that does not map is an
 * error naming the file, the line and the column.
 */
import { parseDate } from '../core/dates.ts';
import { MetrologyError } from '../core/errors.ts';
import { QUANTITIES, type QuantityKind, type Usage } from '../core/registry/vocabulary.ts';
import type { Catalogue, CatalogueEntry, VerificationForm } from '../core/verification/catalogue.ts';
import { csvRecords } from './csv.ts';

export interface CatalogueManifest {
  readonly id: string;
  readonly title: string;
  readonly publishedOn: string;
  readonly file: string;
  readonly source: string;
  /** Entries whose compulsory verification the announcement deferred: id → first day. */
  readonly mandatoryFrom?: Readonly<Record<string, string>>;
}

const USAGE_ZH: Readonly<Record<string, Usage>> = {
  贸易结算: 'trade_settlement',
  安全防护: 'safety_protection',
  医疗卫生: 'medical',
  环境监测: 'environmental_monitoring',
};

function formOf(text: string, mandatory: boolean): VerificationForm | null {
  if (!mandatory) return text === '' ? 'none' : null;
  if (text.startsWith('周期检定')) return 'periodic';
  if (text.includes('限期使用') && text.includes('到期轮换')) return 'initial_then_replace';
  if (text.includes('失准报废')) return 'initial_until_inaccurate';
  if (text.startsWith('首次强制检定')) return 'initial_only';
  return null;
}

export function readCatalogue(text: string, manifest: CatalogueManifest): Catalogue {
  const bad = (line: number, column: string, why: string): never => {
    throw new MetrologyError('INVALID_REFERENCE_DATA', '', `${manifest.file} line ${line}, column ${column}: ${why}`);
  };
  let rows: ReturnType<typeof csvRecords>;
  try {
    rows = csvRecords(text);
  } catch (e) {
    throw new MetrologyError('INVALID_REFERENCE_DATA', '', `${manifest.file} ${(e as Error).message}`);
  }
  const seen = new Set<string>();
  const entries = rows.map((row, i): CatalogueEntry => {
    const line = i + 2;
    const id = row['local_id'] ?? '';
    if (!/^MV\d{3}$/.test(id)) bad(line, 'local_id', `'${id}' is not a key of the form MV001`);
    if (seen.has(id)) bad(line, 'local_id', `'${id}' appears twice`);
    seen.add(id);
    const management = row['management'] ?? '';
    const patternApproval = management.includes('型式批准');
    const mandatoryVerification = management.includes('强制检定');
    if (!patternApproval && !mandatoryVerification) bad(line, 'management', `'${management}' names neither 型式批准 nor 强制检定`);
    const form =
      formOf(row['verification_form'] ?? '', mandatoryVerification) ??
      bad(line, 'verification_form', `'${row['verification_form']}' is not a known verification form`);
    const usages = (row['usage_scope_zh'] ?? '')
      .split(/[、,，]/)
      .map((w) => w.trim())
      .filter((w) => w !== '')
      .map((w) => USAGE_ZH[w] ?? bad(line, 'usage_scope_zh', `'${w}' is not one of ${Object.keys(USAGE_ZH).join('、')}`));
    if (mandatoryVerification && usages.length === 0) bad(line, 'usage_scope_zh', 'a mandatory entry names the usages that make it mandatory');
    const quantities = (row['quantities'] ?? '')
      .split(';')
      .map((w) => w.trim())
      .filter((w) => w !== '')
      .map((w) => ((QUANTITIES as readonly string[]).includes(w) ? (w as QuantityKind) : bad(line, 'quantities', `'${w}' is not a registry quantity kind`)));
    if (quantities.length === 0) bad(line, 'quantities', 'an entry names the quantity kinds its instruments measure (e.g. mass, or volume;flow)');
    const period = row['typical_period_months'] ?? '';
    if (period !== '' && !/^[1-9]\d{0,3}$/.test(period)) bad(line, 'typical_period_months', `'${period}' is not a whole number of months`);
    const months = period === '' ? null : Number(period);
    const from = manifest.mandatoryFrom?.[id];
    return {
      id,
      categoryZh: row['category_zh'] ?? '',
      instrumentZh: row['instrument_zh'] ?? '',
      instrumentEn: row['instrument_en'] ?? '',
      usages,
      quantities,
      patternApproval,
      mandatoryVerification,
      form,
      regulation: row['regulation'] ? row['regulation'] : null,
      intervalMonths: form === 'periodic' ? months : null,
      serviceLifeMonths: form === 'initial_then_replace' ? months : null,
      mandatoryFrom: from ? parseDate(from, `/mandatoryFrom/${id}`) : null,
      confidence: row['confidence'] ?? '',
      source: row['source'] ?? '',
      notes: row['notes'] ?? '',
    };
  });
  return { id: manifest.id, title: manifest.title, publishedOn: parseDate(manifest.publishedOn, '/publishedOn'), source: manifest.source, entries };
}

/** An entry on the wire. */
export function writeCatalogueEntry(e: CatalogueEntry) {
  return {
    id: e.id,
    categoryZh: e.categoryZh,
    instrumentZh: e.instrumentZh,
    instrumentEn: e.instrumentEn,
    usages: [...e.usages],
    quantities: [...e.quantities],
    patternApproval: e.patternApproval,
    mandatoryVerification: e.mandatoryVerification,
    form: e.form,
    regulation: e.regulation,
    intervalMonths: e.intervalMonths,
    serviceLifeMonths: e.serviceLifeMonths,
    mandatoryFrom: e.mandatoryFrom,
    confidence: e.confidence,
    notes: e.notes,
  };
}
