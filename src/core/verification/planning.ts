/**
 * Capacity planning of mandatory verifications: assign every due verification
 * to an authorised institution in a month up to its due date, within each
 * institution's monthly capacity per category, and say plainly what cannot be
 * met.
 *
 * The method, deterministic and explained in the plan itself:
 * 1. On time, latest first. Verifications are taken by due date, latest first,
 *    and each goes to the latest month up to its due month that still has
 *    capacity, so that instruments are verified close to their due date and
 *    early months stay free for the verifications that need them. For one
 *    institution this greedy order meets as many due dates as any plan can
 *    (it mirrors earliest-deadline-first); with several institutions of
 *    different scopes it is a good heuristic, not a proven optimum.
 * 2. Within a month the institution is chosen among those authorised for the
 *    category: one in the owner's region first, then the one with the most
 *    capacity left that month, then by id.
 * 3. What cannot be met on time is overflow, counted by due month and
 *    category. It is then scheduled late, earliest due first, in the earliest
 *    month after its due month that has capacity; what still finds no month in
 *    the horizon is left unplaced. Overdue instruments count as due in the
 *    first month.
 * Counts are integers; nothing here needs decimals.
 */
import { type CalendarDate, compareDates, firstDayOfMonth, lastDayOfMonth, monthIndex, monthKey } from '../dates.ts';
import { fail } from '../errors.ts';
import { regionContains } from './policy.ts';

export interface DueVerification {
  readonly equipmentId: string;
  readonly category: string;
  readonly regionCode: string;
  /** The last day it may be verified on time; null when it is already overdue or never verified. */
  readonly dueOn: CalendarDate | null;
}

/** A declared monthly verification capacity of an institution for a category. */
export interface LabCapacity {
  readonly id: string;
  readonly labId: string;
  readonly category: string;
  readonly monthly: number;
  readonly validFrom: CalendarDate;
  readonly validUntil: CalendarDate;
}

export interface CategoryCapacity {
  readonly category: string;
  /** Verifications per month. */
  readonly monthly: number;
  /** The authorisation's validity; months outside it have no capacity. */
  readonly validFrom: CalendarDate;
  readonly validUntil: CalendarDate;
}

export interface Institution {
  readonly labId: string;
  readonly regionCode: string;
  readonly capacities: readonly CategoryCapacity[];
}

export interface PlanInput {
  /** The first month of the plan is the month of this date. */
  readonly from: CalendarDate;
  readonly months: number;
  readonly items: readonly DueVerification[];
  readonly institutions: readonly Institution[];
}

export interface Assignment {
  readonly equipmentId: string;
  readonly category: string;
  readonly labId: string;
  /** YYYY-MM */
  readonly month: string;
  readonly dueOn: CalendarDate | null;
  /** True when the month is after the due month (or the instrument was already overdue). */
  readonly late: boolean;
}

export interface Unplaced {
  readonly equipmentId: string;
  readonly category: string;
  readonly dueOn: CalendarDate | null;
  readonly reason: 'no_authorised_institution' | 'no_capacity_in_horizon';
}

export interface OverflowCell {
  /** The month the verifications were due in (YYYY-MM). */
  readonly month: string;
  readonly category: string;
  /** How many cannot be verified by their due date. */
  readonly count: number;
  /** Of those, how many could not be placed in the horizon at all. */
  readonly unplaced: number;
}

export interface LoadCell {
  readonly labId: string;
  readonly month: string;
  readonly category: string;
  readonly assigned: number;
  readonly capacity: number;
}

export interface Plan {
  readonly from: string;
  readonly months: number;
  readonly assignments: readonly Assignment[];
  readonly unplaced: readonly Unplaced[];
  readonly overflow: readonly OverflowCell[];
  readonly load: readonly LoadCell[];
  readonly summary: { readonly due: number; readonly onTime: number; readonly late: number; readonly unplaced: number; readonly alreadyOverdue: number };
  readonly method: readonly string[];
}

export const PLAN_METHOD = [
  'verifications are taken by due date, latest first, and each goes to the latest month up to its due month with capacity left',
  "within a month, an institution authorised for the category in the owner's region is preferred, then the one with the most capacity left, then by id",
  'what cannot be verified by its due date is overflow (by due month and category); it is then scheduled late in the earliest month with capacity, or left unplaced',
  'instruments already overdue or never verified are due in the first month',
] as const;

const MAX_MONTHS = 120;

/** Due dates in order, the overdue or never verified (null) first. */
function compareDue(a: CalendarDate | null, b: CalendarDate | null): number {
  return a === b ? 0 : a === null ? -1 : b === null ? 1 : compareDates(a, b);
}

export function planVerifications(input: PlanInput): Plan {
  const { months } = input;
  if (!Number.isInteger(months) || months < 1 || months > MAX_MONTHS) fail('INVALID_FIELD', '/months', `a plan covers 1 to ${MAX_MONTHS} whole months`);
  const base = monthIndex(input.from);
  const keys = Array.from({ length: months }, (_, i) => monthKey(base + i));
  const indexOf = (d: CalendarDate) => monthIndex(d) - base;
  const monthStart = keys.map((_, i) => firstDayOfMonth(base + i));
  const monthEnd = keys.map((_, i) => lastDayOfMonth(base + i));

  // remaining[category] → per institution slot → per month capacity left; totals per month for quick skips
  interface Slot {
    readonly labId: string;
    readonly regionCode: string;
    readonly left: Int32Array;
    readonly capacity: Int32Array;
    readonly used: Int32Array;
  }
  const slots = new Map<string, Slot[]>();
  const totals = new Map<string, Int32Array>();
  const institutions = [...input.institutions].sort((a, b) => (a.labId < b.labId ? -1 : a.labId > b.labId ? 1 : 0));
  for (const inst of institutions) {
    for (const c of inst.capacities) {
      if (!Number.isInteger(c.monthly) || c.monthly < 0)
        fail('INVALID_FIELD', '/capacities', `capacity of ${inst.labId} for ${c.category} is a whole number of verifications per month`);
      const capacity = new Int32Array(months);
      for (let i = 0; i < months; i++)
        if (compareDates(c.validFrom, monthEnd[i]!) <= 0 && compareDates(monthStart[i]!, c.validUntil) <= 0) capacity[i] = c.monthly;
      const slot: Slot = { labId: inst.labId, regionCode: inst.regionCode, left: capacity.slice(), capacity, used: new Int32Array(months) };
      const list = slots.get(c.category);
      if (list) list.push(slot);
      else slots.set(c.category, [slot]);
      let t = totals.get(c.category);
      if (!t) totals.set(c.category, (t = new Int32Array(months)));
      for (let i = 0; i < months; i++) t[i]! += capacity[i]!;
    }
  }

  const n = input.items.length;
  const deadline = new Int32Array(n);
  let alreadyOverdue = 0;
  for (let i = 0; i < n; i++) {
    const d = input.items[i]!.dueOn;
    const idx = d === null ? -1 : indexOf(d);
    if (idx < 0) alreadyOverdue++;
    deadline[i] = Math.min(Math.max(idx, 0), months - 1);
  }
  const byDue = (a: number, b: number) => {
    const x = input.items[a]!;
    const y = input.items[b]!;
    return compareDue(x.dueOn, y.dueOn) || (x.equipmentId < y.equipmentId ? -1 : x.equipmentId > y.equipmentId ? 1 : 0);
  };
  // latest due first; among equal due dates, by id
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => compareDue(input.items[b]!.dueOn, input.items[a]!.dueOn) || byDue(a, b));

  const month = new Int32Array(n).fill(-1);
  const lab = new Array<Slot | undefined>(n);
  const pick = (item: DueVerification, m: number): Slot | undefined => {
    let best: Slot | undefined;
    let bestLocal = false;
    for (const s of slots.get(item.category) ?? []) {
      if (s.left[m]! <= 0) continue;
      const local = regionContains(s.regionCode, item.regionCode);
      if (!best || (local && !bestLocal) || (local === bestLocal && s.left[m]! > best.left[m]!)) {
        best = s;
        bestLocal = local;
      }
    }
    return best;
  };
  const take = (i: number, m: number) => {
    const s = pick(input.items[i]!, m)!;
    s.left[m]!--;
    s.used[m]!++;
    totals.get(input.items[i]!.category)![m]!--;
    month[i] = m;
    lab[i] = s;
  };

  // 1. on time, latest first
  for (const i of order) {
    const t = totals.get(input.items[i]!.category);
    if (!t) continue;
    for (let m = deadline[i]!; m >= 0; m--) {
      if (t[m]! > 0) {
        take(i, m);
        break;
      }
    }
  }
  const isLate = (i: number) => input.items[i]!.dueOn === null || indexOf(input.items[i]!.dueOn!) < 0;
  // 2. late, earliest due first
  const unplaced: Unplaced[] = [];
  const overflow = new Map<string, { month: string; category: string; count: number; unplaced: number }>();
  for (const i of Array.from({ length: n }, (_, k) => k).sort(byDue)) {
    const item = input.items[i]!;
    const t = totals.get(item.category);
    const onTime = month[i]! >= 0 && !isLate(i);
    if (onTime) continue;
    let placed = month[i]! >= 0;
    if (!placed && t) {
      for (let m = deadline[i]! + (isLate(i) ? 0 : 1); m < months; m++) {
        if (t[m]! > 0) {
          take(i, m);
          placed = true;
          break;
        }
      }
    }
    if (isLate(i) && placed) continue; // already overdue and scheduled: late by definition, not overflow of the plan
    const key = `${keys[deadline[i]!]}|${item.category}`;
    const cell = overflow.get(key) ?? { month: keys[deadline[i]!]!, category: item.category, count: 0, unplaced: 0 };
    overflow.set(key, cell);
    cell.count++;
    if (!placed) {
      cell.unplaced++;
      unplaced.push({
        equipmentId: item.equipmentId,
        category: item.category,
        dueOn: item.dueOn,
        reason: t ? 'no_capacity_in_horizon' : 'no_authorised_institution',
      });
    }
  }

  const assignments: Assignment[] = [];
  let late = 0;
  const chronological = Array.from({ length: n }, (_, i) => i).sort(byDue);
  for (const i of chronological) {
    if (month[i]! < 0) continue;
    const item = input.items[i]!;
    const wasLate = isLate(i) || month[i]! > deadline[i]!;
    if (wasLate) late++;
    assignments.push({
      equipmentId: item.equipmentId,
      category: item.category,
      labId: lab[i]!.labId,
      month: keys[month[i]!]!,
      dueOn: item.dueOn,
      late: wasLate,
    });
  }
  const load: LoadCell[] = [];
  for (const [category, list] of [...slots].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const s of list)
      for (let m = 0; m < months; m++)
        if (s.capacity[m]! > 0 || s.used[m]! > 0) load.push({ labId: s.labId, month: keys[m]!, category, assigned: s.used[m]!, capacity: s.capacity[m]! });
  }
  return {
    from: keys[0]!,
    months,
    assignments,
    unplaced,
    overflow: [...overflow.values()].sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : a.category < b.category ? -1 : 1)),
    load,
    summary: { due: n, onTime: assignments.length - late, late, unplaced: unplaced.length, alreadyOverdue },
    method: PLAN_METHOD,
  };
}
