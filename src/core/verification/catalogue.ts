/**
 * The State catalogue of measuring instruments under compulsory administration
 * (实施强制管理的计量器具目录), and the question an inspector asks first: is
 * verification of this instrument mandatory, and why?
 *
 * Verification is mandatory only for a working instrument of a category the
 * catalogue lists with 强制检定, used in one of the usages the catalogue names
 * for it (trade settlement, safety protection, medical care, environmental
 * monitoring), once the entry is in effect.
 */
import type { CalendarDate } from '../dates.ts';
import { fail } from '../errors.ts';
import { STATUTORY_USAGES, type HierarchyLevel, type QuantityKind, type Usage } from '../registry/vocabulary.ts';

/**
 * How the catalogue prescribes verification:
 * - periodic: verified before first use and then at the legal interval (周期检定);
 * - initial_then_replace: verified once, used for a limited service life, then replaced (首次强制检定，限期使用，到期轮换);
 * - initial_until_inaccurate: verified once, used until found inaccurate, then scrapped (首次强制检定，失准报废);
 * - initial_only: verified once before use; the catalogue sets no further rule (首次强制检定);
 * - none: the entry is under pattern approval only, no mandatory verification.
 */
export const VERIFICATION_FORMS = ['periodic', 'initial_then_replace', 'initial_until_inaccurate', 'initial_only', 'none'] as const;
export type VerificationForm = (typeof VERIFICATION_FORMS)[number];

export interface CatalogueEntry {
  /** Our stable key (MV001 …); the official item numbers are not used. */
  readonly id: string;
  readonly categoryZh: string;
  readonly instrumentZh: string;
  readonly instrumentEn: string;
  /** The usages for which verification is mandatory. */
  readonly usages: readonly Usage[];
  /** The registry quantity kinds an instrument of this entry measures (our mapping, not the catalogue's). */
  readonly quantities: readonly QuantityKind[];
  readonly patternApproval: boolean;
  readonly mandatoryVerification: boolean;
  readonly form: VerificationForm;
  readonly regulation: string | null;
  /** The legal interval of periodic verification, in months, when known. */
  readonly intervalMonths: number | null;
  /** The maximum service life from first verification, for initial_then_replace. */
  readonly serviceLifeMonths: number | null;
  /** Compulsory verification starts on this date, when the catalogue deferred it. */
  readonly mandatoryFrom: CalendarDate | null;
  readonly confidence: string;
  readonly source: string;
  readonly notes: string;
}

export interface Catalogue {
  /** A version key, e.g. "samr-2020-42". */
  readonly id: string;
  readonly title: string;
  /** The day the announcement was published; it governs from then on. */
  readonly publishedOn: CalendarDate;
  readonly source: string;
  readonly entries: readonly CatalogueEntry[];
}

/** Whether verification is mandatory, with the entry and the reason in a sentence. */
export interface Classification {
  readonly mandatory: boolean;
  readonly entry: CatalogueEntry | null;
  readonly catalogueId: string | null;
  readonly reason: string;
}

export const USAGE_WORDS: Readonly<Record<Usage, string>> = {
  trade_settlement: 'trade settlement (贸易结算)',
  safety_protection: 'safety protection (安全防护)',
  medical: 'medical care (医疗卫生)',
  environmental_monitoring: 'environmental monitoring (环境监测)',
  energy_metering: 'internal energy metering (能源计量)',
  other: 'other use',
};

/** The catalogue version in force at a date: the latest published on or before it. */
export function catalogueAt(catalogues: readonly Catalogue[], at: CalendarDate): Catalogue | null {
  let best: Catalogue | null = null;
  for (const c of catalogues) if (c.publishedOn <= at && (!best || c.publishedOn > best.publishedOn)) best = c;
  return best;
}

export interface Classifiable {
  readonly category: string | null;
  readonly usage: Usage;
  readonly level: HierarchyLevel;
}

/** Classification by the catalogue in force at the date. */
export function classifyAt(catalogues: readonly Catalogue[], instrument: Classifiable, at: CalendarDate): Classification {
  return classify(catalogueAt(catalogues, at), instrument, at);
}

export function classify(catalogue: Catalogue | null, instrument: Classifiable, at: CalendarDate): Classification {
  const no = (entry: CatalogueEntry | null, reason: string): Classification => ({ mandatory: false, entry, catalogueId: catalogue?.id ?? null, reason });
  if (!catalogue) return no(null, `no catalogue of instruments under compulsory administration was in force on ${at}`);
  if (instrument.level !== 'working_instrument') {
    return no(
      null,
      'a measurement standard is not under mandatory verification; it is calibrated or verified along the traceability chain and assessed under JJF 1033',
    );
  }
  if (!instrument.category) return no(null, 'the instrument has no catalogue category, so the catalogue does not cover it');
  const entry = catalogue.entries.find((e) => e.id === instrument.category) ?? null;
  if (!entry) return no(null, `category '${instrument.category}' is not in the catalogue ${catalogue.id}`);
  const name = `${entry.id} ${entry.instrumentZh} (${entry.instrumentEn})`;
  if (!entry.mandatoryVerification) return no(entry, `${name} is under pattern approval only; the catalogue does not make its verification mandatory`);
  if (!entry.usages.includes(instrument.usage)) {
    const listed = entry.usages.map((u) => USAGE_WORDS[u]).join(', ');
    return no(entry, `${name} is mandatory only when used for ${listed}; this instrument is used for ${USAGE_WORDS[instrument.usage]}`);
  }
  if (entry.mandatoryFrom && at < entry.mandatoryFrom) return no(entry, `compulsory verification of ${name} starts on ${entry.mandatoryFrom}`);
  return {
    mandatory: true,
    entry,
    catalogueId: catalogue.id,
    reason: `${name} used for ${USAGE_WORDS[instrument.usage]} is under mandatory verification (${catalogue.id}${entry.regulation ? `; ${entry.regulation}` : ''})`,
  };
}

/** What registration checks of an instrument against the catalogue. */
export interface Registrable extends Classifiable {
  readonly quantity: QuantityKind;
}

/**
 * An instrument's category must be one of the catalogue in force, and the
 * category must be one that measures the instrument's quantity; a working
 * instrument used in one of the four statutory usages (trade settlement,
 * safety protection, medical care, environmental monitoring) must name its
 * category, or nobody could tell whether its verification is mandatory.
 * @throws UNKNOWN_REFERENCE at /category, CATEGORY_MISMATCH at /quantity, MISSING_FIELD at /category
 */
export function checkCategory(catalogue: Catalogue | null, instrument: Registrable): void {
  if (instrument.category !== null) {
    const entry = catalogue?.entries.find((e) => e.id === instrument.category);
    if (!entry)
      fail(
        'UNKNOWN_REFERENCE',
        '/category',
        `category '${instrument.category}' is not in the catalogue in force${catalogue ? ` (${catalogue.id})` : ''}; see GET /v1/catalogue for the categories, or leave it out for an instrument the catalogue does not list`,
      );
    if (!entry.quantities.includes(instrument.quantity)) {
      fail(
        'CATEGORY_MISMATCH',
        '/quantity',
        `category ${entry.id} (${entry.instrumentZh}, ${entry.instrumentEn}) measures ${entry.quantities.join(' or ')}, not ${instrument.quantity}`,
      );
    }
    return;
  }
  if (instrument.level === 'working_instrument' && STATUTORY_USAGES.includes(instrument.usage)) {
    fail(
      'MISSING_FIELD',
      '/category',
      `an instrument used for ${USAGE_WORDS[instrument.usage]} names its catalogue category (GET /v1/catalogue), so that its mandatory verification can be decided`,
    );
  }
}
