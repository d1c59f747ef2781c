/**
 * The rotation plan (到期轮换计划): the meters to be replaced over a horizon,
 * by month and region. A lot to rotate is one item of all its meters (its
 * members are mostly serial numbers with no registry entry); a registered
 * meter outside such a lot whose limited service life ends is an item of one.
 * Each item is due in the month of its rotation date (one already past it in
 * the first month, counted as overdue).
 *
 * With a monthly capacity (meters its owners can replace in a month, over the
 * plan's scope), meters are scheduled earliest rotation date first, as early
 * as capacity allows, an item split across months when it must be; a meter
 * scheduled after its rotation date's month is late, one not placed within the
 * horizon unplaced. Without one, every meter is scheduled in its due month.
 */
import { type CalendarDate, compareDates, horizonEnd, monthIndex, monthKey } from '../dates.ts';

import { fail } from '../errors.ts';

export interface RotationItem {
  readonly kind: 'lot' | 'instrument';
  /** The lot's id, or the equipment's. */
  readonly id: string;
  readonly ownerId: string;
  readonly regionCode: string;
  readonly meters: number;
  /** The last day its meters may stay in service. */
  readonly rotateBy: CalendarDate;
  readonly reason: string;
}

export interface RotationMonthRegion {
  readonly month: string;
  readonly regionCode: string;
  /** Meters whose rotation date falls in the month (for the first month: on or before its end, overdue ones included). */
  readonly due: number;
  /** Of those, meters already past their rotation date on the first day of the plan. */
  readonly overdue: number;
  readonly lots: readonly string[];
  readonly instruments: number;
  /** Meters scheduled for replacement in the month (capacity permitting), whatever month they were due. */
  readonly scheduled: number;
  /** Of those scheduled, meters replaced after the month of their rotation date. */
  readonly late: number;
}

export interface RotationPlan {
  readonly from: CalendarDate;
  readonly to: CalendarDate;
  readonly months: number;
  readonly capacityPerMonth: number | null;
  readonly rows: readonly RotationMonthRegion[];
  readonly items: readonly (RotationItem & { readonly dueMonth: string })[];
  readonly summary: {
    readonly lots: number;
    readonly instruments: number;
    readonly meters: number;
    readonly overdue: number;
    readonly late: number;
    readonly unplaced: number;
  };
}

export function planRotation(input: {
  readonly from: CalendarDate;
  readonly months: number;
  readonly items: readonly RotationItem[];
  readonly capacityPerMonth?: number | null;
}): RotationPlan {
  const { from, months } = input;
  if (!Number.isInteger(months) || months < 1 || months > 120)
    fail('INVALID_FIELD', '?months', `a rotation plan covers 1 to 120 months, got ${String(months)}`);
  const capacity = input.capacityPerMonth ?? null;
  if (capacity !== null && (!Number.isInteger(capacity) || capacity < 0))
    fail('INVALID_FIELD', '?capacityPerMonth', `the capacity is a whole number of meters a month, got ${String(capacity)}`);
  const to = horizonEnd(from, months);
  const first = monthIndex(from);
  const monthList = Array.from({ length: months }, (_, i) => monthKey(first + i));
  const items = input.items
    .filter((i) => compareDates(i.rotateBy, to) <= 0 && i.meters > 0)
    .map((i) => ({ ...i, dueMonth: monthKey(Math.max(monthIndex(i.rotateBy), first)) }))
    .sort((a, b) => compareDates(a.rotateBy, b.rotateBy) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  type Acc = { due: number; overdue: number; lots: string[]; instruments: number; scheduled: number; late: number };
  const cells = new Map<string, Acc>();
  const cell = (month: string, region: string) => {
    const k = `${month}|${region}`;
    let c = cells.get(k);
    if (!c) cells.set(k, (c = { due: 0, overdue: 0, lots: [], instruments: 0, scheduled: 0, late: 0 }));
    return c;
  };
  let overdue = 0;
  for (const i of items) {
    const c = cell(i.dueMonth, i.regionCode);
    c.due += i.meters;
    if (compareDates(i.rotateBy, from) < 0) (c.overdue += i.meters), (overdue += i.meters);
    if (i.kind === 'lot') c.lots.push(i.id);
    else c.instruments++;
  }
  let late = 0;
  let unplaced = 0;
  if (capacity === null) {
    for (const i of items) cell(i.dueMonth, i.regionCode).scheduled += i.meters;
  } else {
    // earliest rotation date first, each month filled up to its capacity
    let m = 0;
    let left = capacity;
    for (const i of items) {
      let rest = i.meters;
      while (rest > 0 && m < monthList.length) {
        if (left === 0) {
          m++;
          left = capacity;
          continue;
        }
        const n = Math.min(rest, left);
        const c = cell(monthList[m]!, i.regionCode);
        c.scheduled += n;
        if (monthList[m]! > i.dueMonth) (c.late += n), (late += n);
        rest -= n;
        left -= n;
      }
      unplaced += rest;
    }
  }
  const rows = [...cells.entries()]
    .map(([k, c]) => {
      const [month, regionCode] = k.split('|') as [string, string];
      return { month, regionCode, ...c };
    })
    .sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : a.regionCode < b.regionCode ? -1 : 1));
  return {
    from,
    to,
    months,
    capacityPerMonth: capacity,
    rows,
    items,
    summary: {
      lots: items.filter((i) => i.kind === 'lot').length,
      instruments: items.filter((i) => i.kind === 'instrument').length,
      meters: items.reduce((s, i) => s + i.meters, 0),
      overdue,
      late,
      unplaced,
    },
  };
}
