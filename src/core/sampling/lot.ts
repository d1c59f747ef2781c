/**
 * A lot of meters in service (运行中计量器具): its state at a date, the
 * reproducible draw of its sample, and the judgement of a sampled meter.
 *
 * The sample is drawn with the keyed draw of the spot checks
 * (core/supervision/draw.ts), not a second generator: each member (by serial
 * number) gets `unitKey(hmac, seed, serial, 1)` — the first 16 hex digits of
 * HMAC-SHA-256(seed, "target|<serial>|0") — and the n members with the largest
 * keys are the sample (ties by serial). The members are fixed by the digest
 * text of the spot checks (`populationDigestText`): one line per member with
 * its serial as the id, no stratum, no grade, the owner and the region.
 */
import { addDays, addMonths, compareDates, type CalendarDate } from '../dates.ts';
import { fail } from '../errors.ts';
import type { Decimal } from '../numeric/decimal.ts';
import { populationDigestText, unitKey, type DrawUnit, type HmacSha256 } from '../supervision/draw.ts';
import type { LotDecision } from './plans.ts';

export const LOT_STATES = ['in_service', 'under_sampling', 'extended', 'to_rotate', 'rotated'] as const;
export type LotState = (typeof LOT_STATES)[number];

export const LOT_STATE_NAMES: Readonly<Record<LotState, { zh: string; en: string }>> = {
  in_service: { zh: '在用', en: 'in service' },
  under_sampling: { zh: '抽样中', en: 'under sampling' },
  extended: { zh: '延长使用', en: 'extended (sample accepted)' },
  to_rotate: { zh: '到期轮换', en: 'to rotate (sample not accepted, or extension or service life ended)' },
  rotated: { zh: '已轮换', en: 'rotated' },
};

export interface LotFacts {
  readonly registeredOn: CalendarDate;
  /** Sampling plans, each with the day it was drawn and, once recorded, the decision and its day. */
  readonly plans: ReadonlyArray<{
    readonly id: string;
    readonly plannedOn: CalendarDate;
    readonly result: { readonly recordedOn: CalendarDate; readonly decision: LotDecision } | null;
  }>;
  readonly rotatedOn: CalendarDate | null;
  /**
   * The last day of the lot's legal service life (首次强制检定，限期使用): the
   * catalogue's (or a local policy's) life counted from the first day of the
   * installation period (lotLifeEndsOn); omitted or null: no limited life.
   */
  readonly lifeEndsOn?: CalendarDate | null;
}

/**
 * How long the owner of a lot whose sample was not accepted has to replace it:
 * three months from the decision, the last day of which is the lot's rotation
 * date. metrotrace's policy, not a figure of GB/T 2828.1 or a JJG; a lot whose
 * extension or life ends has no such time, its end having been known in
 * advance (its rotation date is its last day covered).
 * Confidence: a policy choice, to be replaced by the regulator's own.
 */
export const ROTATION_MONTHS = 3;

/** The last day of a lot's service life: `months` from the first day it was installed, less a day. */
export function lotLifeEndsOn(installedFrom: CalendarDate, months: number | null): CalendarDate | null {
  return months === null ? null : addDays(addMonths(installedFrom, months), -1);
}

/**
 * How long an accepted sample keeps a lot in service: one year from the
 * decision, after which the lot must be sampled again (and accepted) or
 * rotated. This is metrotrace's conservative rule, not a figure of GB/T 2828.1
 * or of a JJG (which set no extension period we could confirm); a lot past its
 * catalogue service life stays in service only on such a renewed decision.
 * Confidence: a policy choice, to be replaced by the regulator's own.
 */
export const EXTENSION_MONTHS = 12;

export interface LotStatus {
  readonly state: LotState;
  /** The plan that set the state; null for in service and rotated. */
  readonly planId: string | null;
  readonly since: CalendarDate;
  /** For an extension: the last day it covers (EXTENSION_MONTHS after the decision, less a day); null otherwise. */
  readonly until: CalendarDate | null;
  /** For a lot to rotate: the last day its meters may stay in service (see ROTATION_MONTHS); null otherwise. */
  readonly rotateBy: CalendarDate | null;
  /**
   * Why a lot is to rotate: its sample was not accepted, its extension ended,
   * or its service life ended with no sample drawn (a plan may still be drawn
   * then, to extend it: the lot is under sampling from that day); null otherwise.
   */
  readonly cause: 'rejected' | 'extension_ended' | 'life_ended' | null;
  readonly reason: string;
}

/**
 * The state of a lot on a date, from its plans, decisions, rotation and
 * service life known on that date. A lot in service (never sampled, or back in
 * service after an extension ended within its life) whose life has ended is to
 * rotate; a lot under sampling stays so until its decision (the sample is how
 * a lot past its life may be extended).
 */
export function lotStateAt(facts: LotFacts, at: CalendarDate): LotStatus | null {
  const none = { planId: null, until: null, rotateBy: null, cause: null };
  if (compareDates(at, facts.registeredOn) < 0) return null;
  if (facts.rotatedOn !== null && compareDates(facts.rotatedOn, at) <= 0)
    return { ...none, state: 'rotated', since: facts.rotatedOn, reason: `the lot was rotated (replaced) on ${facts.rotatedOn}` };
  const life = facts.lifeEndsOn ?? null;
  let latest: LotStatus = { ...none, state: 'in_service', since: facts.registeredOn, reason: `registered on ${facts.registeredOn}; not sampled yet` };
  const events: Array<{ on: CalendarDate; order: number; status: LotStatus }> = [];
  for (const p of facts.plans) {
    if (compareDates(p.plannedOn, at) <= 0)
      events.push({
        on: p.plannedOn,
        order: 0,
        status: {
          ...none,
          state: 'under_sampling',
          planId: p.id,
          since: p.plannedOn,
          reason: `sampling plan ${p.id} drawn on ${p.plannedOn}; no decision yet`,
        },
      });
    if (p.result && compareDates(p.result.recordedOn, at) <= 0) {
      const accept = p.result.decision === 'accept';
      const on = p.result.recordedOn;
      const until = addDays(addMonths(on, EXTENSION_MONTHS), -1);
      const rotateBy = addDays(addMonths(on, ROTATION_MONTHS), -1);
      events.push({
        on,
        order: 1,
        status: accept
          ? {
              state: 'extended',
              planId: p.id,
              since: on,
              until,
              rotateBy: null,
              cause: null,
              reason: `the sample of plan ${p.id} was accepted on ${on}: the lot stays in service until ${until}, then it is sampled again or rotated`,
            }
          : {
              state: 'to_rotate',
              planId: p.id,
              since: on,
              until: null,
              rotateBy,
              cause: 'rejected',
              reason: `the sample of plan ${p.id} was not accepted on ${on}: the whole lot is to be rotated by ${rotateBy}`,
            },
      });
      // an extension ends: without a new sample drawn by then, the lot is to be rotated (or, within its life, back in service)
      const resampled = facts.plans.some((q) => q !== p && compareDates(q.plannedOn, on) > 0 && compareDates(q.plannedOn, until) <= 0);
      if (accept && !resampled) {
        const after = addDays(until, 1);
        const withinLife = life !== null && compareDates(until, life) < 0;
        events.push({
          on: after,
          order: 2,
          status: withinLife
            ? {
                ...none,
                state: 'in_service',
                planId: p.id,
                since: after,
                reason: `the extension given by plan ${p.id} on ${on} ended on ${until}, within the lot's service life (to ${life})`,
              }
            : {
                state: 'to_rotate',
                planId: p.id,
                since: after,
                until: null,
                rotateBy: until,
                cause: 'extension_ended',
                reason: `the extension given by plan ${p.id} on ${on} ended on ${until} with no newer accepted sample: the whole lot is to be rotated (by ${until}, the last day the extension covered)`,
              },
        });
      }
    }
  }
  events.sort((a, b) => compareDates(a.on, b.on) || a.order - b.order);
  for (const e of events) if (compareDates(e.on, at) <= 0) latest = e.status;
  if (latest.state === 'in_service' && life !== null && compareDates(at, life) > 0) {
    const since = addDays(life, 1);
    return {
      ...none,
      state: 'to_rotate',
      planId: latest.planId,
      since: compareDates(latest.since, since) > 0 ? latest.since : since,
      rotateBy: life,
      cause: 'life_ended',
      reason: `the lot's service life ended on ${life} and no accepted sample extends it: the whole lot is to be rotated (by ${life}, the last day of its life) unless a sample drawn now is accepted`,
    };
  }
  return latest;
}

/** What a lot to rotate, or rotated, means for each of its members: replace it by the rotation date; once rotated, it is out of service. */
export interface MemberRotation {
  readonly lotId: string;
  readonly since: CalendarDate;
  readonly rotateBy: CalendarDate;
  /** The day the lot was recorded as rotated (its meters replaced); null while it is still to rotate. */
  readonly rotatedOn: CalendarDate | null;
  readonly reason: string;
}

/** The rotation a lot's state imposes on its members at the date; null unless the lot is to rotate or rotated. */
export function memberRotation(lotId: string, status: LotStatus | null): MemberRotation | null {
  if (status?.state === 'rotated')
    return { lotId, since: status.since, rotateBy: status.since, rotatedOn: status.since, reason: `lot ${lotId}: ${status.reason}` };
  if (status === null || status.state !== 'to_rotate' || status.rotateBy === null) return null;
  return { lotId, since: status.since, rotateBy: status.rotateBy, rotatedOn: null, reason: `lot ${lotId}: ${status.reason}` };
}

/**
 * A meter that a lot's sample found nonconforming is to be replaced from the
 * day of that result, whatever the lot's decision: an accepted lot stays in
 * service, not the meter whose own test failed (its error beyond the MPE).
 * Null when the meter was not in the sample or passed.
 */
export function sampledNonconforming(
  lotId: string,
  planId: string,
  recordedOn: CalendarDate,
  meters: ReadonlyArray<{ readonly serial: string; readonly conforming: boolean; readonly reason: string }>,
  serial: string,
): MemberRotation | null {
  const m = meters.find((x) => x.serial === serial);
  if (m === undefined || m.conforming) return null;
  return {
    lotId,
    since: recordedOn,
    rotateBy: recordedOn,
    rotatedOn: null,
    reason: `lot ${lotId}, plan ${planId}: this meter was in the sample and found nonconforming on ${recordedOn} (${m.reason}); it is to be replaced, whatever the lot's decision`,
  };
}

/** What an accepted sample means for each member of the lot: it stays in service to the extension's last day, whatever its own service life says. */
export interface MemberExtension {
  readonly lotId: string;
  readonly planId: string;
  /** The day the sample was accepted. */
  readonly since: CalendarDate;
  /** The last day the extension covers. */
  readonly until: CalendarDate;
  readonly reason: string;
}

/** The extension a lot's state gives its members at the date; null unless the lot is extended (its last sample accepted, the extension running). */
export function memberExtension(lotId: string, status: LotStatus | null): MemberExtension | null {
  if (status?.state !== 'extended' || status.until === null || status.planId === null) return null;
  return { lotId, planId: status.planId, since: status.since, until: status.until, reason: `lot ${lotId}: ${status.reason}` };
}

/** The lot's members as the draw's population (see the module comment). */
export function lotPopulation(serials: readonly string[], ownerId: string, region: string): DrawUnit[] {
  return serials.map((s) => ({ id: s, stratum: '', grade: null, organisationId: ownerId, region }));
}

export { populationDigestText };

export interface DrawnMember {
  readonly serial: string;
  /** The member's key (16 hex digits): the larger, the earlier drawn. */
  readonly key: string;
}

/** Draws n members by the keyed draw; all of them (in key order) when n is the lot size. */
export function drawLotSample(serials: readonly string[], seed: string, n: number, hmac: HmacSha256): DrawnMember[] {
  if (!Number.isInteger(n) || n < 1 || n > serials.length)
    fail('INVALID_FIELD', '/sampleSize', `a sample of ${String(n)} cannot be drawn from ${serials.length} members`);
  if (seed.trim() === '') fail('MISSING_FIELD', '/seed', 'a public seed is needed so that anyone can draw the sample again');
  const keyed = serials.map((serial) => ({ serial, key: unitKey(hmac, seed, serial, 1) }));
  keyed.sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0));
  return keyed.slice(0, n);
}

/** Where a re-drawn sample differs from the published one; empty when it is the same. */
export function compareSamples(published: readonly DrawnMember[], redrawn: readonly DrawnMember[]): string[] {
  const out: string[] = [];
  const n = Math.max(published.length, redrawn.length);
  for (let i = 0; i < n && out.length < 20; i++) {
    if (published[i]?.serial !== redrawn[i]?.serial)
      out.push(`sample ${i + 1}: published ${published[i]?.serial ?? 'none'}, re-drawn ${redrawn[i]?.serial ?? 'none'}`);
  }
  return out;
}

/** A sampled meter's test: errors at the test points against the in-service MPE, or a stated pass/fail with its reason. */
export type MeterFinding =
  | { readonly serial: string; readonly points: ReadonlyArray<{ readonly testPoint: string; readonly error: Decimal; readonly mpe: Decimal }> }
  | { readonly serial: string; readonly conforming: boolean; readonly reason: string };

export interface MeterJudgement {
  readonly serial: string;
  readonly conforming: boolean;
  readonly reason: string;
}

/** A meter conforms when |error| ≤ MPE at every test point (or as stated, with the reason). */
export function judgeMeter(f: MeterFinding, path: string): MeterJudgement {
  if ('conforming' in f) return { serial: f.serial, conforming: f.conforming, reason: f.reason };
  if (f.points.length === 0) fail('MISSING_FIELD', `${path}/points`, 'give the errors at the test points, or conforming with a reason');
  const over = f.points.filter((p, i) => {
    if (p.mpe.isNegative() || p.mpe.isZero()) fail('INVALID_FIELD', `${path}/points/${i}/mpe`, 'the in-service MPE is a positive half-width');
    return p.error.abs().greaterThan(p.mpe);
  });
  return over.length === 0
    ? { serial: f.serial, conforming: true, reason: `|error| ≤ MPE at all ${f.points.length} test points` }
    : { serial: f.serial, conforming: false, reason: over.map((p) => `${p.testPoint}: |${p.error.toString()}| > ${p.mpe.toString()}`).join('; ') };
}

/** Serial numbers of a range: a prefix and whole numbers from..to, zero-padded to `width` digits. */
export function serialRange(prefix: string, from: number, to: number, width: number, path: string, max: number): string[] {
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < from)
    fail('INVALID_RANGE', path, `a serial range runs from a whole number up to a larger one, got ${String(from)}..${String(to)}`);
  if (to - from + 1 > max) fail('INVALID_FIELD', path, `a range of ${to - from + 1} serials is more than the ${max} a lot may hold`);
  if (String(to).length > width) fail('INVALID_FIELD', `${path}/width`, `${to} has more than ${width} digits`);
  const out: string[] = new Array(to - from + 1);
  for (let i = from; i <= to; i++) out[i - from] = prefix + String(i).padStart(width, '0');
  return out;
}

/** What happened to a lot on a day: a fact recorded, or a change of state that follows from the dates. */
export const LOT_EVENT_KINDS = ['registered', 'plan_drawn', 'decision', 'extension_ended', 'life_ended', 'rotated'] as const;
export type LotEventKind = (typeof LOT_EVENT_KINDS)[number];

export interface LotEvent {
  readonly on: CalendarDate;
  readonly kind: LotEventKind;
  /** The plan drawn or decided; for an extension that ended, the plan that gave it; null otherwise. */
  readonly planId: string | null;
  /** The lot's state at the end of that day, as lotStateAt gives it. */
  readonly status: LotStatus;
}

const FACT_ORDER: Record<LotEventKind, number> = { registered: 0, plan_drawn: 1, decision: 2, extension_ended: 3, life_ended: 3, rotated: 4 };

/**
 * A lot's history through a date, in date order: the facts recorded
 * (registration, each plan drawn, each decision, the rotation) and the changes
 * of state that follow from the dates alone (an extension ended, the service
 * life ended). Each event carries the state at the end of its day. The states
 * are lotStateAt's, asked on each day something may change — the days of the
 * facts, the day after an extension's last day and the day after the life's
 * last day — so the rules live there only: a change of state on a day with no
 * fact is an extension or a life that ended.
 */
export function lotEvents(facts: LotFacts, through: CalendarDate): LotEvent[] {
  const fact: Array<{ on: CalendarDate; kind: LotEventKind; planId: string | null }> = [{ on: facts.registeredOn, kind: 'registered', planId: null }];
  for (const p of facts.plans) {
    fact.push({ on: p.plannedOn, kind: 'plan_drawn', planId: p.id });
    if (p.result) fact.push({ on: p.result.recordedOn, kind: 'decision', planId: p.id });
  }
  if (facts.rotatedOn !== null) fact.push({ on: facts.rotatedOn, kind: 'rotated', planId: null });
  const days = new Set(fact.map((f) => f.on));
  if (facts.lifeEndsOn) days.add(addDays(facts.lifeEndsOn, 1));
  const out: LotEvent[] = [];
  let prev: LotStatus | null = null;
  const done = new Set<CalendarDate>();
  for (;;) {
    // the next day not yet looked at (days are added as extensions are found)
    let day: CalendarDate | null = null;
    for (const d of days) if (!done.has(d) && compareDates(d, through) <= 0 && (day === null || compareDates(d, day) < 0)) day = d;
    if (day === null) break;
    done.add(day);
    const status = lotStateAt(facts, day);
    if (status === null) continue;
    if (status.until !== null) days.add(addDays(status.until, 1));
    const today = fact.filter((f) => f.on === day).sort((a, b) => FACT_ORDER[a.kind] - FACT_ORDER[b.kind]);
    for (const f of today) out.push({ ...f, status });
    const changed = prev === null || prev.state !== status.state || prev.planId !== status.planId || prev.cause !== status.cause;
    if (today.length === 0 && changed && prev?.state !== 'rotated') {
      out.push({ on: day, kind: status.cause === 'life_ended' ? 'life_ended' : 'extension_ended', planId: status.planId, status });
    }
    prev = status;
  }
  return out;
}
