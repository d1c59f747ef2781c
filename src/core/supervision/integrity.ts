/**
 * Integrity grading (诚信计量分级): a grade A–D for an organisation at a date,
 * from what the registry knows of it then, by a rule table that is data.
 *
 * Each rule names a fact, a threshold and the grade it sets; an organisation
 * gets the worst grade any of its rules sets (A when none does, and only with
 * an integrity commitment on record; without one it is at best B). The grade
 * carries every rule that set it, with the fact's value: a grade is never
 * given without its reasons.
 */
import { addMonths, type CalendarDate, compareDates } from '../dates.ts';
import { fail } from '../errors.ts';
import { Decimal } from '../numeric/decimal.ts';
import { GRADES, type Grade } from './draw.ts';

/** What grading reads of an organisation at a date. */
export interface IntegrityFacts {
  readonly organisationId: string;
  readonly at: CalendarDate;
  /** Its instruments under mandatory verification, in service on the date. */
  readonly mandatoryInstruments: number;
  /** Of those, the ones that may not be used (overdue, never verified, failed, prohibited…). */
  readonly notUsable: number;
  /** Of those, the ones whose verification is in doubt because a standard behind it was found out of tolerance. */
  readonly suspect: number;
  /** Verifications of its instruments that failed, in the look-back window. */
  readonly failedVerifications: number;
  /** In-use inspections of its instruments in the look-back window, by outcome. */
  readonly inspections: { readonly compliant: number; readonly rectify: number; readonly prohibited: number };
  /** Rectifications whose date passed without a later compliant inspection of the instrument. */
  readonly rectificationsOverdue: number;
  /** Whether an integrity commitment (诚信计量自我承诺) is on record and in force. */
  readonly commitment: boolean;
  /** Whether it is under a dishonesty measure (失信惩戒) on the date. */
  readonly dishonest: boolean;
}

export type IntegrityFact =
  | 'notUsableShare'
  | 'suspect'
  | 'failedVerifications'
  | 'prohibited'
  | 'rectify'
  | 'rectificationsOverdue'
  | 'dishonest'
  | 'noCommitment';

export interface IntegrityRule {
  readonly fact: IntegrityFact;
  /** The rule applies when the fact is at least this (a share as a decimal string, a count, 1 for a yes/no fact). */
  readonly atLeast: string;
  readonly grade: Grade;
  readonly text: { readonly zh: string; readonly en: string };
}

export interface IntegrityRuleTable {
  readonly version: string;
  readonly effectiveFrom: CalendarDate;
  /** Months looked back for failures and inspections. */
  readonly lookBackMonths: number;
  readonly source: string;
  readonly rules: readonly IntegrityRule[];
}

export interface IntegrityReason {
  readonly fact: IntegrityFact;
  readonly value: string;
  readonly atLeast: string;
  readonly grade: Grade;
  readonly text: { readonly zh: string; readonly en: string };
}

export interface IntegrityGrade {
  readonly organisationId: string;
  readonly at: CalendarDate;
  readonly grade: Grade;
  readonly rulesVersion: string;
  readonly reasons: readonly IntegrityReason[];
  readonly facts: IntegrityFacts;
}

/** The window the counted facts come from: (at − lookBackMonths, at]. */
export function lookBackFrom(table: IntegrityRuleTable, at: CalendarDate): CalendarDate {
  return addMonths(at, -table.lookBackMonths);
}

function factValue(facts: IntegrityFacts, fact: IntegrityFact): Decimal {
  switch (fact) {
    case 'notUsableShare':
      return facts.mandatoryInstruments === 0 ? new Decimal(0) : new Decimal(facts.notUsable).div(facts.mandatoryInstruments);
    case 'suspect':
      return new Decimal(facts.suspect);
    case 'failedVerifications':
      return new Decimal(facts.failedVerifications);
    case 'prohibited':
      return new Decimal(facts.inspections.prohibited);
    case 'rectify':
      return new Decimal(facts.inspections.rectify);
    case 'rectificationsOverdue':
      return new Decimal(facts.rectificationsOverdue);
    case 'dishonest':
      return new Decimal(facts.dishonest ? 1 : 0);
    case 'noCommitment':
      return new Decimal(facts.commitment ? 0 : 1);
  }
}

const RANK: Readonly<Record<Grade, number>> = { A: 0, B: 1, C: 2, D: 3 };

/** The grade of one organisation: the worst grade its rules set, with the rule that applied to each fact (the strictest it met). */
export function gradeOf(facts: IntegrityFacts, table: IntegrityRuleTable): IntegrityGrade {
  // of the rules a fact meets, the one that sets the worst grade speaks for it
  const byFact = new Map<IntegrityFact, IntegrityReason>();
  for (const rule of table.rules) {
    const value = factValue(facts, rule.fact);
    if (!value.gte(rule.atLeast)) continue;
    const held = byFact.get(rule.fact);
    if (!held || RANK[rule.grade] > RANK[held.grade])
      byFact.set(rule.fact, { fact: rule.fact, value: value.toSignificantDigits(4).toString(), atLeast: rule.atLeast, grade: rule.grade, text: rule.text });
  }
  const reasons = [...byFact.values()];
  const grade = reasons.reduce<Grade>((worst, r) => (RANK[r.grade] > RANK[worst] ? r.grade : worst), 'A');
  reasons.sort((a, b) => RANK[b.grade] - RANK[a.grade]);
  return { organisationId: facts.organisationId, at: facts.at, grade, rulesVersion: table.version, reasons, facts };
}

/** Checks a rule table read from data. */
export function checkRuleTable(table: IntegrityRuleTable): void {
  if (!Number.isInteger(table.lookBackMonths) || table.lookBackMonths < 1)
    fail('INVALID_REFERENCE_DATA', '/lookBackMonths', 'the look-back must be a whole number of months');
  table.rules.forEach((r, i) => {
    if (!(GRADES as readonly string[]).includes(r.grade)) fail('INVALID_REFERENCE_DATA', `/rules/${i}/grade`, `unknown grade '${r.grade}'`);
    if (!/^\d+(\.\d+)?$/.test(r.atLeast)) fail('INVALID_REFERENCE_DATA', `/rules/${i}/atLeast`, `'${r.atLeast}' is not a non-negative decimal`);
  });
}

/**
 * The rule table in force at a date: the latest whose effectiveFrom is on or
 * before it. Tables are versioned data; an old grade is re-computed under the
 * table of its own date.
 */
export function ruleTableAt(tables: readonly IntegrityRuleTable[], at: CalendarDate): IntegrityRuleTable {
  let found: IntegrityRuleTable | null = null;
  for (const t of tables) if (t.effectiveFrom <= at && (!found || t.effectiveFrom > found.effectiveFrom)) found = t;
  return (
    found ??
    fail(
      'NOT_APPLICABLE',
      '?at',
      `no integrity rule table is in force on ${at}; the first takes effect on ${tables.map((t) => t.effectiveFrom).sort()[0] ?? '(none)'}`,
    )
  );
}

/**
 * The default rule table. There is no national table of thresholds: the
 * grades follow the four credit-risk classes A–D of SAMR's risk-based
 * supervision; the thresholds are metrotrace's defaults for a regulator to
 * replace (a new version with its own effective date).
 */
export const INTEGRITY_RULES: readonly IntegrityRuleTable[] = [
  {
    version: 'metrotrace-2026.1',
    effectiveFrom: '2020-01-01' as CalendarDate,
    lookBackMonths: 24,
    source:
      'Grades A–D after the four credit-risk classes of 市场监管总局《关于推进企业信用风险分类管理进一步提升监管效能的意见》(国市监信发〔2022〕6号); the facts after the 诚信计量 practice of 计量器具管理、检定、使用中检查与整改; thresholds are metrotrace defaults (confidence: low — set by the regulator)',
    rules: [
      { fact: 'dishonest', atLeast: '1', grade: 'D', text: { zh: '列入计量失信惩戒名单', en: 'under a dishonesty measure (失信惩戒)' } },
      {
        fact: 'notUsableShare',
        atLeast: '0.3',
        grade: 'D',
        text: { zh: '30% 及以上强检计量器具未检或超期', en: '30% or more of its mandatory instruments may not be used' },
      },
      {
        fact: 'prohibited',
        atLeast: '2',
        grade: 'D',
        text: { zh: '两次及以上使用中检查被责令停止使用', en: 'use prohibited by two or more in-use inspections' },
      },
      { fact: 'rectificationsOverdue', atLeast: '1', grade: 'C', text: { zh: '限期整改逾期未改', en: 'a rectification not made by its date' } },
      {
        fact: 'notUsableShare',
        atLeast: '0.1',
        grade: 'C',
        text: { zh: '10% 及以上强检计量器具未检或超期', en: '10% or more of its mandatory instruments may not be used' },
      },
      { fact: 'prohibited', atLeast: '1', grade: 'C', text: { zh: '使用中检查被责令停止使用', en: 'use prohibited by an in-use inspection' } },
      { fact: 'failedVerifications', atLeast: '3', grade: 'C', text: { zh: '三次及以上检定不合格', en: 'three or more failed verifications' } },
      { fact: 'notUsableShare', atLeast: '0.0001', grade: 'B', text: { zh: '有强检计量器具未检或超期', en: 'some mandatory instruments may not be used' } },
      { fact: 'rectify', atLeast: '1', grade: 'B', text: { zh: '使用中检查被要求限期整改', en: 'a rectification ordered by an in-use inspection' } },
      { fact: 'failedVerifications', atLeast: '1', grade: 'B', text: { zh: '有检定不合格', en: 'a failed verification' } },
      {
        fact: 'suspect',
        atLeast: '1',
        grade: 'B',
        text: { zh: '有计量器具因标准超差须重新检定', en: 'instruments to re-verify after a standard was found out of tolerance' },
      },
      { fact: 'noCommitment', atLeast: '1', grade: 'B', text: { zh: '未作诚信计量自我承诺', en: 'no integrity commitment (诚信计量自我承诺) on record' } },
    ],
  },
];

/**
 * Integrity measures on record for an organisation: its own commitment
 * (诚信计量自我承诺), and a regulator's listing under a dishonesty measure
 * (失信惩戒), the organisation's appeal, and the removal from the list.
 */
export const MEASURE_KINDS = ['commitment', 'listed', 'appealed', 'removed'] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

export interface IntegrityMeasure {
  readonly id: string;
  readonly organisationId: string;
  readonly kind: MeasureKind;
  readonly decidedOn: CalendarDate;
  readonly reason: string | null;
  /** The regulator that listed or removed; null for the organisation's own commitment or appeal. */
  readonly regulatorId: string | null;
}

export interface MeasuresAt {
  readonly commitmentOn: CalendarDate | null;
  /** The listing in force on the date, with any appeals against it. */
  readonly listing: IntegrityMeasure | null;
  readonly appeals: readonly IntegrityMeasure[];
}

/** The measures in force at `at` (measures in the order recorded). */
export function measuresAt(measures: readonly IntegrityMeasure[], at: CalendarDate): MeasuresAt {
  let commitmentOn: CalendarDate | null = null;
  let listing: IntegrityMeasure | null = null;
  let appeals: IntegrityMeasure[] = [];
  const ordered = [...measures].sort((a, b) => compareDates(a.decidedOn, b.decidedOn));
  for (const m of ordered) {
    if (m.decidedOn > at) break;
    if (m.kind === 'commitment') commitmentOn = m.decidedOn;
    else if (m.kind === 'listed') (listing = m), (appeals = []);
    else if (m.kind === 'appealed') appeals.push(m);
    else if (m.kind === 'removed') (listing = null), (appeals = []);
  }
  return { commitmentOn, listing, appeals };
}

/** May this measure follow the history? */
export function checkMeasure(history: readonly IntegrityMeasure[], m: IntegrityMeasure, today: CalendarDate): void {
  if (m.decidedOn > today) fail('DATE_IN_FUTURE', '/decidedOn', `${m.decidedOn} is after today (${today})`);
  const last = [...history].sort((a, b) => compareDates(a.decidedOn, b.decidedOn)).at(-1);
  if (last && m.decidedOn < last.decidedOn)
    fail('EVENT_OUT_OF_ORDER', '/decidedOn', `'${m.organisationId}' has a measure of ${last.decidedOn}; a new one cannot take effect before it`);
  if ((m.kind === 'listed' || m.kind === 'removed' || m.kind === 'appealed') && !m.reason)
    fail('MISSING_FIELD', '/reason', `a ${m.kind} measure states its reason`);
  const now = measuresAt(history, m.decidedOn);
  if (m.kind === 'listed' && now.listing) fail('INVALID_TRANSITION', '/kind', `'${m.organisationId}' is already listed since ${now.listing.decidedOn}`);
  if ((m.kind === 'removed' || m.kind === 'appealed') && !now.listing)
    fail(
      'INVALID_TRANSITION',
      '/kind',
      `'${m.organisationId}' is not listed on ${m.decidedOn}: there is nothing to ${m.kind === 'removed' ? 'remove' : 'appeal'}`,
    );
}
