/**
 * Versions of a lab's authorised scope and of its CMCs (issue #18, item 2).
 * Nothing written is overwritten: amending a scope (adding a category or range,
 * narrowing it, extending its validity, a new authorisation certificate) or
 * withdrawing it appends a version with the date it takes effect. The version
 * in force on a day is the latest whose `effectiveFrom` is on or before it
 * (the scope as created takes effect on its `validFrom`); a withdrawal means
 * no scope from its date. Every check that asks what a lab held on a day (its
 * authority for a verification, the CMC a claimed uncertainty is held to)
 * reads the version in force on that day.
 */
import { addDays, type CalendarDate } from '../dates.ts';
import { fail } from '../errors.ts';
import { valueOf } from '../numeric/decimal.ts';
import type { Cmc, LabScope, MeasuringRange } from './types.ts';
import { checkRange } from './rules.ts';
import { AMENDMENT_KINDS, type AmendmentKind } from './vocabulary.ts';

export { AMENDMENT_KINDS, type AmendmentKind };

/** One version of a scope or CMC: version 1 is the one created; later ones are amendments. */
export interface Version<T> {
  /** The version's id: the scope's (or CMC's) own id for version 1, the amendment's id after. */
  readonly id: string;
  /** The scope or CMC it is a version of. */
  readonly subjectId: string;
  readonly version: number;
  readonly kind: 'original' | AmendmentKind;
  /** The first day this version is in force. */
  readonly effectiveFrom: CalendarDate;
  readonly reason: string | null;
  /** The scope or CMC as this version has it; null once withdrawn. */
  readonly state: T | null;
}

export type ScopeVersion = Version<LabScope>;
export type CmcVersion = Version<Cmc>;

interface Dated {
  readonly id: string;
  readonly validFrom: CalendarDate;
  readonly validUntil: CalendarDate;
}

/** The version a scope or CMC has as created: in force from its `validFrom`. */
export function originalVersion<T extends Dated>(created: T): Version<T> {
  return { id: created.id, subjectId: created.id, version: 1, kind: 'original', effectiveFrom: created.validFrom, reason: null, state: created };
}

/** A history in version order (the store's order is trusted no further than this). */
function ordered<T>(history: readonly Version<T>[]): Version<T>[] {
  return [...history].sort((a, b) => a.version - b.version);
}

/** The version in force on `at`: the latest whose effectiveFrom is on or before it (undefined before the first). */
export function versionAt<T>(history: readonly Version<T>[], at: CalendarDate): Version<T> | undefined {
  let found: Version<T> | undefined;
  for (const v of ordered(history)) if (v.effectiveFrom <= at) found = v;
  return found;
}

/** The scope or CMC in force on `at`: the version then, unless withdrawn, and only if its validity covers the day. */
export function inForceAt<T extends Dated>(history: readonly Version<T>[], at: CalendarDate): T | null {
  const state = versionAt(history, at)?.state ?? null;
  return state && state.validFrom <= at && at <= state.validUntil ? state : null;
}

/**
 * The history as periods: each version's content, its validity clipped to the
 * days that version is in force (withdrawn periods and empty ones left out).
 * A day d lies within a period's validFrom…validUntil exactly when
 * `inForceAt(history, d)` is that content, so every check that filters by
 * validity on a day reads the version in force on it.
 */
export function periods<T extends Dated>(history: readonly Version<T>[]): T[] {
  const versions = ordered(history);
  const out: T[] = [];
  versions.forEach((v, i) => {
    if (!v.state) return;
    const next = versions[i + 1];
    const from = v.state.validFrom > v.effectiveFrom ? v.state.validFrom : v.effectiveFrom;
    const lastDay = next ? addDays(next.effectiveFrom, -1) : null;
    const until = lastDay !== null && lastDay < v.state.validUntil ? lastDay : v.state.validUntil;
    if (from <= until) out.push(from === v.state.validFrom && until === v.state.validUntil ? v.state : { ...v.state, validFrom: from, validUntil: until });
  });
  return out;
}

/** What an amendment asks for, before it is checked against the history. */
export interface AmendmentHead {
  readonly id: string;
  readonly kind: AmendmentKind;
  readonly effectiveFrom: CalendarDate;
  readonly reason: string | null;
}

/** The fields of a scope an amendment may change; a field left out is carried over. */
export interface ScopeChanges {
  readonly category?: string | null;
  readonly range?: MeasuringRange | null;
  readonly mandatoryVerification?: boolean;
  readonly validUntil?: CalendarDate;
  readonly authorisationNo?: string | null;
  readonly issuedBy?: string | null;
}

/** The fields of a CMC an amendment may change. */
export interface CmcChanges {
  readonly range?: MeasuringRange;
  readonly expandedUncertainty?: string | null;
  readonly relativeExpandedUncertainty?: string | null;
  readonly coverageFactor?: string;
  readonly validUntil?: CalendarDate;
}

/**
 * May this amendment follow the history? It takes effect after the version
 * before it (so the history reads in one order) and not before the scope
 * itself; nothing follows a withdrawal.
 * @throws AMENDMENT_OUT_OF_ORDER at /effectiveFrom
 * @throws INVALID_TRANSITION at /kind
 */
function follow<T>(history: readonly Version<T>[], head: AmendmentHead, what: string): Version<T> {
  const versions = ordered(history);
  const first = versions[0] ?? fail('NOT_FOUND', '', `the ${what} has no version to amend`);
  const last = versions.at(-1)!;
  if (last.state === null) {
    fail(
      'INVALID_TRANSITION',
      '/kind',
      `${what} '${first.subjectId}' was withdrawn from ${last.effectiveFrom}; a withdrawn ${what} is not amended — create a new one`,
    );
  }
  if (head.effectiveFrom < first.effectiveFrom) {
    fail(
      'AMENDMENT_OUT_OF_ORDER',
      '/effectiveFrom',
      `${what} '${first.subjectId}' takes effect on ${first.effectiveFrom}; an amendment cannot take effect before it (${head.effectiveFrom})`,
    );
  }
  if (head.effectiveFrom <= last.effectiveFrom) {
    fail(
      'AMENDMENT_OUT_OF_ORDER',
      '/effectiveFrom',
      `${what} '${first.subjectId}' already has version ${last.version} in force from ${last.effectiveFrom}; an amendment takes effect after it (${head.effectiveFrom} is not)`,
    );
  }
  return last;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Refuses an amendment that changes nothing, or a withdrawal that tries to change something. */
function checkChanges(head: AmendmentHead, changes: object, before: object, what: string): void {
  const given = Object.entries(changes).filter(([, v]) => v !== undefined);
  if (head.kind === 'withdraw') {
    if (given.length > 0)
      fail('INVALID_FIELD', `/${given[0]![0]}`, `a withdrawal ends the ${what}; it changes nothing else (leave out '${given[0]![0]}', or amend first)`);
    return;
  }
  if (!given.some(([k, v]) => !same(v, (before as Record<string, unknown>)[k]))) {
    fail(
      'INVALID_FIELD',
      '',
      `an amendment changes at least one field of the ${what} in force (category, range, mandatoryVerification, validUntil, …); this one changes none`,
    );
  }
}

function stillValid(state: { validFrom: CalendarDate; validUntil: CalendarDate }, head: AmendmentHead, what: string): void {
  if (state.validUntil < state.validFrom)
    fail('INVALID_RANGE', '/validUntil', `the ${what} would end (${state.validUntil}) before it starts (${state.validFrom})`);
  if (state.validUntil < head.effectiveFrom) {
    fail(
      'INVALID_RANGE',
      '/validUntil',
      `the amended ${what} would end (${state.validUntil}) before the amendment takes effect (${head.effectiveFrom}); to end it then, withdraw it`,
    );
  }
}

/**
 * The version an amendment of a scope appends: the version before with the
 * changed fields, or nothing once withdrawn. The issuing authority, when it
 * changes, is checked by the caller against the registry.
 */
export function amendScope(history: readonly ScopeVersion[], head: AmendmentHead, changes: ScopeChanges): ScopeVersion {
  const before = follow(history, head, 'scope');
  checkChanges(head, changes, before.state!, 'scope');
  let state: LabScope | null = null;
  if (head.kind === 'amend') {
    const b = before.state!;
    state = {
      ...b,
      category: changes.category !== undefined ? changes.category : b.category,
      range: changes.range !== undefined ? changes.range : b.range,
      mandatoryVerification: changes.mandatoryVerification ?? b.mandatoryVerification,
      validUntil: changes.validUntil ?? b.validUntil,
      authorisationNo: changes.authorisationNo !== undefined ? changes.authorisationNo : (b.authorisationNo ?? null),
      issuedBy: changes.issuedBy !== undefined ? changes.issuedBy : (b.issuedBy ?? null),
    };
    checkRange(state.range, '/range');
    stillValid(state, head, 'scope');
  }
  return {
    id: head.id,
    subjectId: before.subjectId,
    version: before.version + 1,
    kind: head.kind,
    effectiveFrom: head.effectiveFrom,
    reason: head.reason,
    state,
  };
}

/**
 * The version an amendment of a CMC appends. Giving one form of the
 * uncertainty (absolute or relative) replaces the other.
 */
export function amendCmc(history: readonly CmcVersion[], head: AmendmentHead, changes: CmcChanges): CmcVersion {
  const before = follow(history, head, 'CMC');
  checkChanges(head, changes, before.state!, 'CMC');
  let state: Cmc | null = null;
  if (head.kind === 'amend') {
    const b = before.state!;
    const absolute = changes.expandedUncertainty != null;
    const relative = changes.relativeExpandedUncertainty != null;
    if (absolute && relative)
      fail(
        'AMBIGUOUS_QUANTITY_FORM',
        '/expandedUncertainty',
        'a CMC gives either expandedUncertainty (in the range unit) or relativeExpandedUncertainty, not both',
      );
    state = {
      ...b,
      range: changes.range ?? b.range,
      expandedUncertainty: (absolute ? changes.expandedUncertainty : relative ? null : b.expandedUncertainty) as Cmc['expandedUncertainty'],
      relativeExpandedUncertainty: (relative
        ? changes.relativeExpandedUncertainty
        : absolute
          ? null
          : b.relativeExpandedUncertainty) as Cmc['relativeExpandedUncertainty'],
      coverageFactor: (changes.coverageFactor ?? b.coverageFactor) as Cmc['coverageFactor'],
      validUntil: changes.validUntil ?? b.validUntil,
    };
    checkRange(state.range, '/range');
    for (const [k, v] of [
      ['expandedUncertainty', state.expandedUncertainty],
      ['relativeExpandedUncertainty', state.relativeExpandedUncertainty],
      ['coverageFactor', state.coverageFactor],
    ] as const) {
      if (v !== null && !valueOf(v).greaterThan(0)) fail('INVALID_FIELD', `/${k}`, `${k} is greater than zero`);
    }
    stillValid(state, head, 'CMC');
  }
  return {
    id: head.id,
    subjectId: before.subjectId,
    version: before.version + 1,
    kind: head.kind,
    effectiveFrom: head.effectiveFrom,
    reason: head.reason,
    state,
  };
}
