/**
 * Verification policies: what the catalogue and its regulation fix for a
 * category (interval, service life), with the local overrides a market
 * regulator may issue for its region (a shorter interval, a grace period, how
 * early "due soon" starts). An override may shorten a legal period, never
 * lengthen it; neither may an interval-adjustment method (interval.ts).
 */
import { type CalendarDate, compareDates } from '../dates.ts';
import { fail } from '../errors.ts';
import type { CatalogueEntry, VerificationForm } from './catalogue.ts';

/** Days before the due date from which an instrument counts as due soon, unless a policy says otherwise. */
export const DEFAULT_DUE_SOON_DAYS = 30;

export interface PolicyOverride {
  readonly id: string;
  readonly regulatorId: string;
  /** GB/T 2260 code of the regulator's region; the override applies to owners inside it. */
  readonly regionCode: string;
  readonly category: string;
  readonly intervalMonths: number | null;
  readonly serviceLifeMonths: number | null;
  readonly graceDays: number | null;
  readonly dueSoonDays: number | null;
  readonly validFrom: CalendarDate;
  readonly validUntil: CalendarDate;
  readonly remarks: string | null;
}

export interface VerificationPolicy {
  readonly category: string;
  readonly form: VerificationForm;
  readonly intervalMonths: number | null;
  readonly serviceLifeMonths: number | null;
  /** Days after the due date during which an instrument is not yet overdue. */
  readonly graceDays: number;
  readonly dueSoonDays: number;
  /** Where each number came from, in words. */
  readonly basis: readonly string[];
}

/**
 * The prefix of a GB/T 2260 code that identifies the region it names:
 * 310000 (a province) → "31", 310100 (a city) → "3101", 310104 (a district) → "310104".
 */
export function regionPrefix(code: string): string {
  let p = code;
  while (p.length > 2 && p.endsWith('00')) p = p.slice(0, -2);
  return p;
}

export function regionContains(regionCode: string, inner: string): boolean {
  return inner.startsWith(regionPrefix(regionCode));
}

/**
 * Rejects an override that would lengthen the legal interval or service life.
 * @throws LEGAL_INTERVAL_EXCEEDED naming the field
 */
export function checkOverride(entry: CatalogueEntry, o: PolicyOverride): void {
  if (o.intervalMonths !== null && entry.intervalMonths !== null && o.intervalMonths > entry.intervalMonths) {
    fail(
      'LEGAL_INTERVAL_EXCEEDED',
      '/intervalMonths',
      `${entry.id} has a legal interval of ${entry.intervalMonths} months (${entry.regulation ?? 'catalogue'}); a local policy may shorten it but not lengthen it to ${o.intervalMonths}`,
    );
  }
  if (o.serviceLifeMonths !== null && entry.serviceLifeMonths !== null && o.serviceLifeMonths > entry.serviceLifeMonths) {
    fail(
      'LEGAL_INTERVAL_EXCEEDED',
      '/serviceLifeMonths',
      `${entry.id} has a maximum service life of ${entry.serviceLifeMonths} months; a local policy may not lengthen it to ${o.serviceLifeMonths}`,
    );
  }
  if (o.serviceLifeMonths !== null && entry.form !== 'initial_then_replace') {
    fail('INVALID_FIELD', '/serviceLifeMonths', `${entry.id} is not verified once and replaced (its form is ${entry.form}); a service life does not apply`);
  }
  if (o.intervalMonths !== null && entry.form !== 'periodic') {
    fail('INVALID_FIELD', '/intervalMonths', `${entry.id} is not periodically verified (its form is ${entry.form}); an interval does not apply`);
  }
  if (o.validUntil < o.validFrom) fail('INVALID_RANGE', '/validUntil', `the policy ends (${o.validUntil}) before it starts (${o.validFrom})`);
}

/**
 * An existing policy that a new one would tie with: of the same category and
 * region, taking effect on the same day, their periods overlapping. policyFor
 * prefers the most local policy, then the latest start; two such policies
 * would leave the choice to the order they were read in, so a new one is
 * refused instead (it may take effect on a later day, and take over then).
 */
export function tiedPolicy(existing: readonly PolicyOverride[], o: PolicyOverride): PolicyOverride | undefined {
  return existing.find(
    (e) =>
      e.category === o.category && e.regionCode === o.regionCode && e.validFrom === o.validFrom && e.validFrom <= o.validUntil && o.validFrom <= e.validUntil,
  );
}

/** A new policy that would tie with an existing one (tiedPolicy) is refused. @throws DUPLICATE at /validFrom */
export function checkNoTie(existing: readonly PolicyOverride[], o: PolicyOverride): void {
  const tie = tiedPolicy(existing, o);
  if (!tie) return;
  fail(
    'DUPLICATE',
    '/validFrom',
    `policy '${tie.id}' of ${tie.regulatorId} already sets ${o.category} for region ${o.regionCode} from ${o.validFrom}; two policies of one region taking effect on the same day would leave the status to chance — give this one a later validFrom, from which it takes over`,
  );
}

/**
 * The policy for an instrument of a catalogue entry owned in a region, at a
 * date: the catalogue's numbers, overridden field by field by the applicable
 * override of the most local regulator (longest region prefix, then latest start).
 */
export function policyFor(entry: CatalogueEntry, overrides: readonly PolicyOverride[], ownerRegion: string, at: CalendarDate): VerificationPolicy {
  const applicable = overrides
    .filter((o) => o.category === entry.id && o.validFrom <= at && at <= o.validUntil && regionContains(o.regionCode, ownerRegion))
    // ties (which createPolicy refuses; a data-set load may hold one) go by id, never by the order read
    .sort(
      (a, b) =>
        regionPrefix(b.regionCode).length - regionPrefix(a.regionCode).length ||
        compareDates(b.validFrom, a.validFrom) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
  const o = applicable[0];
  const basis: string[] = [];
  const legal = entry.regulation ?? 'the catalogue';
  let intervalMonths = entry.form === 'periodic' ? entry.intervalMonths : null;
  let serviceLifeMonths = entry.form === 'initial_then_replace' ? entry.serviceLifeMonths : null;
  if (intervalMonths !== null) basis.push(`interval ${intervalMonths} months from ${legal}`);
  if (serviceLifeMonths !== null) basis.push(`service life ${serviceLifeMonths} months from ${legal}`);
  let graceDays = 0;
  let dueSoonDays = DEFAULT_DUE_SOON_DAYS;
  if (o) {
    const by = `local policy ${o.id} of ${o.regulatorId}`;
    if (o.intervalMonths !== null) (intervalMonths = o.intervalMonths), basis.push(`interval ${o.intervalMonths} months from ${by}`);
    if (o.serviceLifeMonths !== null) (serviceLifeMonths = o.serviceLifeMonths), basis.push(`service life ${o.serviceLifeMonths} months from ${by}`);
    if (o.graceDays !== null) (graceDays = o.graceDays), basis.push(`grace ${o.graceDays} days from ${by}`);
    if (o.dueSoonDays !== null) (dueSoonDays = o.dueSoonDays), basis.push(`due soon from ${o.dueSoonDays} days before from ${by}`);
  }
  if (entry.form === 'periodic' && intervalMonths === null) basis.push('no legal interval on record: the certificate validity decides');
  return { category: entry.id, form: entry.form, intervalMonths, serviceLifeMonths, graceDays, dueSoonDays, basis };
}
