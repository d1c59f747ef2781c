/**
 * A region's meters in service by age and state (issue #22, item 5): the lots
 * counted by the year they were installed, or by their age in whole years at
 * a date, and by their state then (lotStateAt's). Pure: the states are given.
 */
import { type CalendarDate, wholeYears, yearOf } from '../dates.ts';
import { LOT_STATES, type LotState } from './lot.ts';

export const POPULATION_GROUPINGS = ['installation_year', 'age'] as const;
export type PopulationGrouping = (typeof POPULATION_GROUPINGS)[number];

export interface PopulationLot {
  readonly id: string;
  readonly size: number;
  /** The first day of the lot's installation period: its year, and the day its age is counted from. */
  readonly installedFrom: CalendarDate;
  /** The lot's state at the date; null when it was not registered yet (it is not counted). */
  readonly state: LotState | null;
}

export interface PopulationCount {
  readonly meters: number;
  readonly lots: number;
}

export interface PopulationGroup {
  /** The installation year, or the age in whole years at the date. */
  readonly key: number;
  readonly meters: number;
  readonly lots: number;
  /** Every state, zeros included, in LOT_STATES order. */
  readonly byState: Readonly<Record<LotState, PopulationCount>>;
}

export interface Population {
  readonly at: CalendarDate;
  readonly by: PopulationGrouping;
  /** One group per installation year (or age) that has a lot, ascending; the years between without lots are not listed. */
  readonly groups: readonly PopulationGroup[];
  readonly totals: PopulationCount & { readonly byState: Readonly<Record<LotState, PopulationCount>> };
}

const zeros = (): Record<LotState, { meters: number; lots: number }> =>
  Object.fromEntries(LOT_STATES.map((s) => [s, { meters: 0, lots: 0 }])) as Record<LotState, { meters: number; lots: number }>;

/** Counts the lots (and their meters) by installation year or age, and state, at a date. */
export function lotPopulationBy(lots: readonly PopulationLot[], at: CalendarDate, by: PopulationGrouping): Population {
  const groups = new Map<number, { meters: number; lots: number; byState: Record<LotState, { meters: number; lots: number }> }>();
  const totals = { meters: 0, lots: 0, byState: zeros() };
  for (const l of lots) {
    if (l.state === null) continue;
    const key = by === 'age' ? wholeYears(l.installedFrom, at) : yearOf(l.installedFrom);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { meters: 0, lots: 0, byState: zeros() }));
    for (const c of [g, totals]) {
      c.meters += l.size;
      c.lots += 1;
      c.byState[l.state].meters += l.size;
      c.byState[l.state].lots += 1;
    }
  }
  return { at, by, groups: [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([key, g]) => ({ key, ...g })), totals };
}
