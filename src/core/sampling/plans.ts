/**
 * Single sampling plans of GB/T 2828.1 / ISO 2859-1 read from the tables of
 * iso2859-tables.ts: the code letter for a lot size and inspection level, the
 * plan (n, Ac, Re) for a code letter, an AQL and a severity with the arrows
 * followed, and the decision on a lot from the count of nonconforming items.
 */
import { fail } from '../errors.ts';
import {
  AQLS,
  CODE_LETTERS,
  INSPECTION_LEVELS,
  SAMPLE_SIZES,
  TABLE_1,
  TABLE_2A,
  TABLE_2B,
  TABLE_2C,
  type Aql,
  type CodeLetter,
  type InspectionLevel,
  type MasterTable,
} from './iso2859-tables.ts';

export const SEVERITIES = ['normal', 'tightened', 'reduced'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface TablePlan {
  readonly severity: Severity;
  /** The code letter Table 1 gives. */
  readonly codeLetter: CodeLetter;
  /** The row whose plan is used once the arrows are followed (tightened may reach S). */
  readonly planLetter: string;
  readonly aql: Aql;
  /** The sample size as printed for the plan's row. */
  readonly tableSampleSize: number;
  readonly acceptance: number;
  readonly rejection: number;
  /** The arrows followed, e.g. ["↓ from F to H"]; empty when the cell holds the plan. */
  readonly arrows: readonly string[];
}

export interface LotPlan extends TablePlan {
  readonly lotSize: number;
  readonly level: InspectionLevel;
  /** Items to inspect: the table's sample size, or the whole lot when that is not larger (100 % inspection). */
  readonly sampleSize: number;
  readonly hundredPercent: boolean;
}

const MASTER: Record<Severity, { table: MasterTable; rows: readonly string[] }> = {
  normal: { table: TABLE_2A, rows: CODE_LETTERS },
  tightened: { table: TABLE_2B, rows: [...CODE_LETTERS, 'S'] },
  reduced: { table: TABLE_2C, rows: CODE_LETTERS },
};

export function isInspectionLevel(v: unknown): v is InspectionLevel {
  return typeof v === 'string' && (INSPECTION_LEVELS as readonly string[]).includes(v);
}

export function isAql(v: unknown): v is Aql {
  return typeof v === 'string' && (AQLS as readonly string[]).includes(v);
}

/** Table 1: the sample size code letter of a lot. */
export function codeLetterFor(lotSize: number, level: InspectionLevel, path = '/lotSize'): CodeLetter {
  if (!Number.isInteger(lotSize) || lotSize < 2)
    fail('INVALID_FIELD', path, `a lot holds at least 2 items for sampling by GB/T 2828.1, got ${String(lotSize)}`);
  const row = TABLE_1.find((r) => lotSize >= r.from && (r.to === null || lotSize <= r.to))!;
  return row.letters[INSPECTION_LEVELS.indexOf(level)]!;
}

/** The plan of a code letter and AQL in a master table, arrows followed to the first plan below (↓) or above (↑). */
export function tablePlan(severity: Severity, codeLetter: CodeLetter, aql: Aql): TablePlan {
  const { table, rows } = MASTER[severity];
  const column = AQLS.indexOf(aql);
  let row = rows.indexOf(codeLetter);
  const arrows: string[] = [];
  for (let steps = 0; ; steps++) {
    const cell = table[rows[row]!]![column]!;
    if (cell === '↓' || cell === '↑') {
      const next = row + (cell === '↓' ? 1 : -1);
      let to = next;
      while (table[rows[to]!]![column] === '') to += cell === '↓' ? 1 : -1;
      // one arrow of the table spans every row down (or up) to the first plan: report it once
      const last = arrows[arrows.length - 1];
      if (last?.startsWith(cell) && last.endsWith(` to ${rows[row]}`)) arrows[arrows.length - 1] = last.replace(/ to \S+$/, ` to ${rows[to]}`);
      else arrows.push(`${cell} from ${rows[row]} to ${rows[to]}`);
      row = to;
      if (steps > rows.length) throw new Error(`table ${severity} loops at ${codeLetter}/${aql}`);
      continue;
    }
    const [ac, re] = cell.split(' ').map(Number) as [number, number];
    const planLetter = rows[row]!;
    return {
      severity,
      codeLetter,
      planLetter,
      aql,
      tableSampleSize: (SAMPLE_SIZES[severity] as Record<string, number>)[planLetter]!,
      acceptance: ac,
      rejection: re,
      arrows,
    };
  }
}

/** The plan for a lot: Table 1, then the master table; 100 % inspection when the sample would not be smaller than the lot. */
export function lotPlan(input: { lotSize: number; level: InspectionLevel; aql: Aql; severity: Severity }): LotPlan {
  const codeLetter = codeLetterFor(input.lotSize, input.level);
  const plan = tablePlan(input.severity, codeLetter, input.aql);
  const hundredPercent = plan.tableSampleSize >= input.lotSize;
  return { ...plan, lotSize: input.lotSize, level: input.level, sampleSize: hundredPercent ? input.lotSize : plan.tableSampleSize, hundredPercent };
}

/**
 * The acceptance number of the same row one AQL step tighter (the column to the
 * left), for the switching score; null when that cell holds no plan of the
 * same sample size.
 */
export function tighterAcceptance(plan: Pick<TablePlan, 'severity' | 'planLetter' | 'aql' | 'tableSampleSize'>): number | null {
  const column = AQLS.indexOf(plan.aql);
  if (column === 0) return null;
  const cell = MASTER[plan.severity].table[plan.planLetter]![column - 1]!;
  if (!/^\d+ \d+$/.test(cell)) return null;
  return Number(cell.split(' ')[0]);
}

export type LotDecision = 'accept' | 'reject';

export interface DecisionOutcome {
  readonly decision: LotDecision;
  readonly nonconforming: number;
  readonly inspected: number;
  readonly acceptance: number;
  readonly rejection: number;
  /** The rule applied, in words. */
  readonly rule: string;
}

/**
 * The decision on a lot: accepted when the nonconforming items found are at
 * most Ac, not accepted when they reach Re. Single sampling with Re = Ac + 1
 * (2-A, 2-B) always decides.
 */
export function decide(plan: Pick<LotPlan, 'acceptance' | 'rejection' | 'sampleSize'>, inspected: number, nonconforming: number): DecisionOutcome {
  if (inspected !== plan.sampleSize) fail('INVALID_FIELD', '/results', `the plan inspects ${plan.sampleSize} items; results were given for ${inspected}`);
  if (plan.rejection !== plan.acceptance + 1)
    fail(
      'NOT_APPLICABLE',
      '/severity',
      `a plan with Ac ${plan.acceptance} and Re ${plan.rejection} does not always decide; only single plans with Re = Ac + 1 are applied`,
    );
  const accept = nonconforming <= plan.acceptance;
  return {
    decision: accept ? 'accept' : 'reject',
    nonconforming,
    inspected,
    acceptance: plan.acceptance,
    rejection: plan.rejection,
    rule: accept
      ? `${nonconforming} nonconforming of ${inspected} inspected ≤ Ac ${plan.acceptance}: the lot is accepted`
      : `${nonconforming} nonconforming of ${inspected} inspected ≥ Re ${plan.rejection}: the lot is not accepted`,
  };
}
