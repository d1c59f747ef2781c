/**
 * Lots of meters in service (issue #22): registration, sampling plans drawn
 * reproducibly by GB/T 2828.1 with the switching rules, results and the
 * decision, rotation. The tables, the draw, the OC and the decision are the
 * core's (core/sampling/); this layer gathers the facts, checks who may act
 * and writes.
 *
 * Who may do what: an owner (a utility) registers its own lots and records
 * their rotation; drawing a sampling plan and recording the results that
 * decide a lot belong to the regulator (an inspector's key, in its region):
 * the decision on a lot in service is an act of the market regulator or of a
 * verification body it authorises, not of the owner whose meters are judged.
 * A lab key is not admitted yet (docs/lots.md says why).
 */
import type { Caller } from '../core/access/roles.ts';
import { type Role, requireOwnOrganisation, requireRole } from '../core/access/roles.ts';
import { compareDates, type CalendarDate, horizonEnd } from '../core/dates.ts';
import { fail } from '../core/errors.ts';
import { catalogueAt, type Catalogue } from '../core/verification/catalogue.ts';
import type { HmacSha256 } from '../core/supervision/draw.ts';
import { TABLE_SOURCES } from '../core/sampling/iso2859-tables.ts';
import {
  compareSamples,
  drawLotSample,
  judgeMeter,
  LOT_STATE_NAMES,
  lotEvents,
  lotLifeEndsOn,
  lotPopulation,
  lotStateAt,
  memberExtension,
  sampledNonconforming,
  memberRotation,
  populationDigestText,
  type LotFacts,
  type LotStatus,
  type MemberExtension,
  type MeterFinding,
  type MemberRotation,
} from '../core/sampling/lot.ts';
import { lotPopulationBy, type Population, type PopulationGrouping } from '../core/sampling/population.ts';
import { planRotation, type RotationItem, type RotationPlan } from '../core/sampling/rotation.ts';
import { policyFor, regionPrefix, type PolicyOverride } from '../core/verification/policy.ts';
import type { DueItem } from '../codecs/verification.ts';
import { decide, lotPlan, tighterAcceptance, type Severity } from '../core/sampling/plans.ts';
import { schemeState } from '../core/sampling/switching.ts';
import { decideVariables, variablesPlan } from '../core/sampling/variables.ts';
import { Decimal } from '../core/numeric/decimal.ts';
import type { LotRequest, ResultsRequest, RotationRequest as RotationRecord, SamplingPlanRequest } from '../codecs/lots.ts';
import type { LotHistory } from '../codecs/lot-reports.ts';
import type { NewId } from '../codecs/registry.ts';
import type { LotFactsRow, LotPlanRow, LotResultRow, LotRow, LotStore, RegistryStore } from './ports.ts';

export interface LotDeps {
  readonly store: LotStore;
  readonly registry: RegistryStore;
  readonly catalogues: readonly Catalogue[];
  readonly newId: NewId;
  readonly today: () => CalendarDate;
  readonly hmac: HmacSha256;
  readonly sha256: (text: string) => string;
  /** The region prefix an inspector's key covers (its regulator's); null for a key that sees everything. */
  readonly regionOf: (caller: Caller) => Promise<string | null>;
  /** The local verification policies (a regulator may shorten a category's service life); omitted: the catalogue's alone. */
  readonly policies?: (asKnownAt?: string | null) => Promise<readonly PolicyOverride[]>;
  /** The due list of registered instruments (app/verification.ts), for the rotation plan's meters outside lots; omitted: lots only. */
  readonly due?: (f: {
    from: CalendarDate;
    to: CalendarDate;
    regionCode?: string | undefined;
    ownerId?: string | undefined;
    category?: string | undefined;
  }) => Promise<DueItem[]>;
}

/** What a rotation plan is asked for. */
export interface RotationRequest {
  readonly from: CalendarDate;
  readonly months: number;
  /** A GB/T 2260 code: the region it stands for (310000: all of 31…). */
  readonly regionCode?: string | undefined;
  readonly ownerId?: string | undefined;
  readonly capacityPerMonth?: number | null | undefined;
}

/** What a population report is asked for. */
export interface PopulationRequest {
  readonly at: CalendarDate;
  readonly by: PopulationGrouping;
  readonly regionCode?: string | undefined;
  readonly ownerId?: string | undefined;
}

/** A plan as published: everything needed to draw its sample again. */
export interface PublishedLotPlan {
  readonly lot: { readonly id: string; readonly ownerId: string; readonly region: string; readonly size: number };
  readonly plan: LotPlanRow;
  /** The members' serial numbers, in byte order. */
  readonly members: readonly string[];
  readonly howToRedraw: string;
}

const OWNER_KINDS = ['enterprise', 'energy_using_unit'];
const HOW_TO_REDRAW =
  'SHA-256 of the members digest text (one line per serial: serial TAB TAB TAB owner TAB region LF, sorted by serial) is populationHash; each serial s has the key = the first 16 hex digits of HMAC-SHA-256(key = seed, message = "target|" + s + "|0"); the sample is the sampleSize serials with the largest keys (ties by serial). `metrotrace lot verify plan.json` does this.';

/** Draws a published plan's sample again and says where it differs (empty: the same). Pure: the CLI runs it on a file. */
export function redrawLotPlan(p: PublishedLotPlan, hmac: HmacSha256, sha256: (text: string) => string): string[] {
  const differences: string[] = [];
  const hash = sha256(populationDigestText(lotPopulation(p.members, p.lot.ownerId, p.lot.region)));
  if (hash !== p.plan.populationHash) differences.push(`the members' hash is ${hash}, the plan published ${p.plan.populationHash}: the members were changed`);
  const sample = drawLotSample(p.members, p.plan.seed, p.plan.sampleSize, hmac);
  return [...differences, ...compareSamples(p.plan.sample, sample)];
}

/**
 * A variables plan's readings: each sampled meter's error at the one test
 * point measured, against one in-service MPE (the limits ±MPE). A meter given
 * as conforming with a reason, several test points, or differing test points
 * or MPEs cannot be read as one variable, and is refused.
 */
function variablesReadings(findings: readonly MeterFinding[], plan: { readonly id: string; readonly mpe: string | null }): { errors: Decimal[]; mpe: Decimal } {
  // the MPE fixed when the plan was drawn; a plan drawn before it was fixed takes the results' own, the same for all
  const fixed = plan.mpe === null ? null : new Decimal(plan.mpe);
  let first: { testPoint: string; mpe: Decimal } | null = null;
  const errors = findings.map((f, i) => {
    if (!('points' in f))
      fail(
        'INVALID_FIELD',
        `/meters/${i}`,
        "a variables plan takes each meter's measured error: {serial, points: [{testPoint, error, mpe}]}, not conforming with a reason",
      );
    if (f.points.length !== 1)
      fail('INVALID_FIELD', `/meters/${i}/points`, `a variables plan takes one test point per meter (the variable sampled), got ${f.points.length}`);
    const p = f.points[0]!;
    if (fixed !== null && !p.mpe.equals(fixed))
      fail(
        'INVALID_FIELD',
        `/meters/${i}/points/0/mpe`,
        `plan '${plan.id}' fixed the in-service MPE at ${plan.mpe} when it was drawn; this result gives ${p.mpe.toString()}. Judge every meter against ±${plan.mpe}, or draw a new plan for another MPE`,
      );
    first ??= { testPoint: p.testPoint, mpe: p.mpe };
    if (p.testPoint !== first.testPoint)
      fail('INVALID_FIELD', `/meters/${i}/points/0/testPoint`, `every meter is measured at the same test point ('${first.testPoint}'), got '${p.testPoint}'`);
    if (!p.mpe.equals(first.mpe))
      fail('INVALID_FIELD', `/meters/${i}/points/0/mpe`, `every meter is judged against the same MPE (${first.mpe.toString()}), got ${p.mpe.toString()}`);
    return p.error;
  });
  if (first === null) fail('MISSING_FIELD', '/meters', "give the sampled meters' errors");
  return { errors, mpe: (first as { mpe: Decimal }).mpe };
}

/** Who draws a lot's sampling plan and records its results (the regulator's inspectors; an admin always): the HTTP routes admit the same. */
export const LOT_SAMPLING_ROLES: readonly Role[] = ['inspector'];

export class LotService {
  constructor(private readonly deps: LotDeps) {}

  private async inRegion(caller: Caller, lot: LotRow, what: string): Promise<void> {
    const prefix = await this.deps.regionOf(caller);
    if (prefix !== null && !lot.region.startsWith(prefix))
      fail('FORBIDDEN', ':id', `this key acts in the region ${prefix}… only; lot '${lot.id}' is in ${lot.region}, so ${what} is for its own regulator`);
  }

  /** The ids of lots and plans not given one. */
  get newId(): NewId {
    return this.deps.newId;
  }

  async register(caller: Caller, req: LotRequest): Promise<LotRow & { members: number }> {
    const today = this.deps.today();
    const ownerId = req.ownerId ?? (caller.kind === 'key' ? caller.organisationId : null);
    if (ownerId === null) fail('MISSING_FIELD', '/ownerId', 'name the owner of the lot (an admin key is bound to no organisation)');
    requireOwnOrganisation(caller, ownerId, '/ownerId', 'register a lot');
    const owner = await this.deps.registry.getOrganisation(ownerId);
    if (!owner) fail('UNKNOWN_REFERENCE', '/ownerId', `no organisation has id '${ownerId}'`);
    if (!OWNER_KINDS.includes(owner.kind))
      fail(
        'WRONG_ORGANISATION_KIND',
        '/ownerId',
        `a lot of meters in service belongs to an enterprise or an energy-using unit; '${ownerId}' is a ${owner.kind.replace(/_/g, ' ')}`,
      );
    const registeredOn = req.registeredOn ?? today;
    if (compareDates(registeredOn, today) > 0) fail('DATE_IN_FUTURE', '/registeredOn', `${registeredOn} is after today (${today})`);
    if (compareDates(req.installedFrom, registeredOn) > 0)
      fail(
        'INVALID_RANGE',
        '/installedFrom',
        `a lot is registered once it is installed; installation starts ${req.installedFrom}, after the registration on ${registeredOn}`,
      );
    const catalogue = catalogueAt(this.deps.catalogues, registeredOn);
    const entry = catalogue?.entries.find((e) => e.id === req.category);
    if (!entry) fail('UNKNOWN_REFERENCE', '/category', `'${req.category}' is no entry of the mandatory-verification catalogue in force on ${registeredOn}`);

    const members: Array<{ serial: string; equipmentId: string | null }> = req.serials.map((s) => ({ serial: s, equipmentId: null }));
    if (req.equipmentIds.length > 0) {
      const found = await this.deps.registry.getEquipmentMany(req.equipmentIds);
      req.equipmentIds.forEach((id, i) => {
        const e = found.get(id);
        const path = `/members/equipmentIds/${i}`;
        if (!e) fail('UNKNOWN_REFERENCE', path, `no equipment has id '${id}'`);
        if (e.ownerId !== ownerId) fail('FORBIDDEN', path, `'${id}' belongs to '${e.ownerId}', not to the lot's owner '${ownerId}'`);
        if (e.category !== req.category)
          fail('CATEGORY_MISMATCH', path, `'${id}' is of catalogue category ${e.category ?? 'none'}, the lot of ${req.category}`);
        members.push({ serial: e.serialNumber ?? e.id, equipmentId: e.id });
      });
      const taken = await this.deps.store.equipmentInLots(req.equipmentIds);
      if (taken.length > 0) fail('DUPLICATE', '/members/equipmentIds', `'${taken[0]}' is already a member of a lot; a meter belongs to one lot`);
    }
    if (members.length < 2) fail('INVALID_FIELD', '/members', `a lot for sampling holds at least 2 meters, got ${members.length}`);
    const seen = new Set<string>();
    for (const m of members) {
      if (seen.has(m.serial)) fail('DUPLICATE', '/members', `serial number '${m.serial}' appears twice in the lot`);
      seen.add(m.serial);
    }
    if (await this.deps.store.getLot(req.id)) fail('DUPLICATE', '/id', `a lot with id '${req.id}' exists`);
    const lot: LotRow = {
      id: req.id,
      ownerId,
      category: req.category,
      model: req.model,
      patternApprovalNo: req.patternApprovalNo,
      manufacturer: req.manufacturer,
      batch: req.batch,
      installedFrom: req.installedFrom,
      installedTo: req.installedTo,
      region: req.region,
      size: members.length,
      registeredOn,
    };
    await this.deps.store.insertLot(lot, members, caller.kind === 'key' ? caller.keyId : null);
    return { ...lot, members: members.length };
  }

  async getLot(id: string): Promise<LotRow> {
    return (await this.deps.store.getLot(id)) ?? fail('NOT_FOUND', ':id', `no lot has id '${id}'`);
  }

  /** The lot with its state on a date, its plans and decisions known on that date. */
  async lotAt(
    id: string,
    at: CalendarDate,
  ): Promise<{
    lot: LotRow;
    at: CalendarDate;
    status: (LotStatus & { name: { zh: string; en: string } }) | null;
    plans: Array<LotPlanRow & { result: LotResultRow | null }>;
  }> {
    const lot = await this.getLot(id);
    const { status, plans } = await this.statusOf(lot, at);
    return { lot, at, status: status && { ...status, name: LOT_STATE_NAMES[status.state] }, plans };
  }

  /**
   * A lot's history through a date: registration, plans drawn, decisions, the
   * ends of extensions and of the service life, the rotation (core lotEvents,
   * from the same state machine as the lot's state), with the plans' figures.
   */
  async history(id: string, through: CalendarDate): Promise<LotHistory & { lot: LotRow }> {
    const lot = await this.getLot(id);
    const plans = await this.deps.store.plansOf(lot.id);
    const rotation = await this.deps.store.rotation(lot.id);
    const lifeEndsOn = this.lifeEndsOn(lot, through, (await this.deps.policies?.()) ?? []);
    const facts: LotFacts = {
      registeredOn: lot.registeredOn,
      plans: plans.map((p) => ({ id: p.id, plannedOn: p.plannedOn, result: p.result && { recordedOn: p.result.recordedOn, decision: p.result.decision } })),
      rotatedOn: rotation?.rotatedOn ?? null,
      lifeEndsOn,
    };
    const byId = new Map(plans.map((p) => [p.id, p]));
    const events = lotEvents(facts, through).map((e) => {
      const plan = e.kind === 'plan_drawn' || e.kind === 'decision' ? (byId.get(e.planId!) ?? null) : null;
      return { ...e, plan, result: e.kind === 'decision' ? (plan?.result ?? null) : null, remarks: e.kind === 'rotated' ? (rotation?.remarks ?? null) : null };
    });
    return { lot, through, lifeEndsOn, events };
  }

  /**
   * The lots of a scope (a region by prefix, an owner) counted by installation
   * year or age and by their state at a date, with their meters. A lot
   * registered after the date is not counted; a rotated lot is, as rotated.
   */
  async population(q: PopulationRequest): Promise<Population & { regionCode: string | null; ownerId: string | null }> {
    const policies = (await this.deps.policies?.()) ?? [];
    const rows = await this.deps.store.lotFacts({ regionPrefix: q.regionCode === undefined ? undefined : regionPrefix(q.regionCode), ownerId: q.ownerId });
    const lots = rows.map((row) => ({
      id: row.lot.id,
      size: row.lot.size,
      installedFrom: row.lot.installedFrom,
      state: lotStateAt(this.factsOf(row, q.at, policies), q.at)?.state ?? null,
    }));
    return { ...lotPopulationBy(lots, q.at, q.by), regionCode: q.regionCode ?? null, ownerId: q.ownerId ?? null };
  }

  private async statusOf(lot: LotRow, at: CalendarDate): Promise<{ status: LotStatus | null; plans: Array<LotPlanRow & { result: LotResultRow | null }> }> {
    const plans = (await this.deps.store.plansOf(lot.id))
      .filter((p) => compareDates(p.plannedOn, at) <= 0)
      .map((p) => ({ ...p, result: p.result && compareDates(p.result.recordedOn, at) <= 0 ? p.result : null }));
    const rotation = await this.deps.store.rotation(lot.id);
    const policies = (await this.deps.policies?.()) ?? [];
    const status = lotStateAt(
      {
        registeredOn: lot.registeredOn,
        plans: plans.map((p) => ({ id: p.id, plannedOn: p.plannedOn, result: p.result && { recordedOn: p.result.recordedOn, decision: p.result.decision } })),
        rotatedOn: rotation?.rotatedOn ?? null,
        lifeEndsOn: this.lifeEndsOn(lot, at, policies),
      },
      at,
    );
    return { status, plans };
  }

  /**
   * The last day of a lot's service life: the catalogue's life for its
   * category (as a local policy of its region in force when the lot was
   * installed may shorten it; a later one does not reach back) from the first
   * day of its installation period. The meters were verified before they were
   * installed, so a meter's own life may end a little earlier; the lot has no
   * other date common to all its members. Null for a category verified
   * periodically or without a limited life.
   */
  private lifeEndsOn(lot: LotRow, at: CalendarDate, policies: readonly PolicyOverride[]): CalendarDate | null {
    const catalogue = catalogueAt(this.deps.catalogues, at) ?? catalogueAt(this.deps.catalogues, lot.registeredOn);
    const entry = catalogue?.entries.find((e) => e.id === lot.category);
    if (entry?.form !== 'initial_then_replace') return null;
    return lotLifeEndsOn(lot.installedFrom, policyFor(entry, policies, lot.region, lot.installedFrom).serviceLifeMonths);
  }

  private factsOf(row: LotFactsRow, at: CalendarDate, policies: readonly PolicyOverride[]): LotFacts {
    const plans = row.plans
      .filter((p) => compareDates(p.plannedOn, at) <= 0)
      .map((p) => ({ ...p, result: p.result && compareDates(p.result.recordedOn, at) <= 0 ? p.result : null }));
    return { registeredOn: row.lot.registeredOn, plans, rotatedOn: row.rotatedOn, lifeEndsOn: this.lifeEndsOn(row.lot, at, policies) };
  }

  /** The rotation a registered equipment is under at a date as a member of a lot to rotate or rotated (as known at an instant, when given); null when it is in none. */
  async memberRotation(equipmentId: string, at: CalendarDate, asKnownAt: string | null = null): Promise<MemberRotation | null> {
    return (await this.memberLot(equipmentId, at, asKnownAt)).rotation;
  }

  /**
   * What a registered equipment's lot means for it at a date (as known at an
   * instant, when given): the rotation of a lot to rotate or rotated, or the
   * extension of a lot whose sample was accepted; both null outside a lot.
   */
  async memberLot(
    equipmentId: string,
    at: CalendarDate,
    asKnownAt: string | null = null,
  ): Promise<{ rotation: MemberRotation | null; extension: MemberExtension | null }> {
    const none = { rotation: null, extension: null };
    const member = await this.deps.store.lotOfEquipment(equipmentId, asKnownAt);
    if (member === undefined) return none;
    const { lotId, serial } = member;
    const [row] = await this.deps.store.lotFacts({ ids: [lotId], asKnownAt });
    if (!row) return none;
    const status = lotStateAt(this.factsOf(row, at, (await this.deps.policies?.(asKnownAt)) ?? []), at);
    const extension = memberExtension(lotId, status);
    if (extension !== null) {
      // the accepted sample extends the lot, not a meter of it that the sample itself found nonconforming
      const plan = (await this.deps.store.plansOf(lotId)).find((p) => p.id === extension.planId);
      const found = plan?.result ? sampledNonconforming(lotId, plan.id, plan.result.recordedOn, plan.result.meters, serial) : null;
      if (found !== null) return { rotation: found, extension: null };
    }
    return { rotation: memberRotation(lotId, status), extension };
  }

  /**
   * The registered equipment that are members of lots to rotate, rotated or
   * extended at a date: the due list works each of them out one by one (the
   * lot's decision overrides what the bulk query would say of the meter alone).
   */
  async equipmentToRotate(at: CalendarDate): Promise<string[]> {
    const policies = (await this.deps.policies?.()) ?? [];
    const decided = (await this.deps.store.lotFacts({}))
      .filter((row) => {
        const status = lotStateAt(this.factsOf(row, at, policies), at);
        return memberRotation(row.lot.id, status) !== null || memberExtension(row.lot.id, status) !== null;
      })
      .map((row) => row.lot.id);
    return decided.length === 0 ? [] : (await this.deps.store.equipmentMembers(decided)).map((m) => m.equipmentId);
  }

  /**
   * An inspector's (or auditor's) key plans in its regulator's region, an
   * owner's for its own lots and meters; an admin anywhere.
   */
  async scopeRotation<Q extends { readonly regionCode?: string | undefined; readonly ownerId?: string | undefined }>(caller: Caller, q: Q): Promise<Q> {
    if (caller.kind === 'key' && caller.role === 'owner') {
      if (q.ownerId !== undefined) requireOwnOrganisation(caller, q.ownerId, '?ownerId', 'plan the rotation of meters');
      return { ...q, ownerId: caller.organisationId ?? '\u0000' };
    }
    const prefix = await this.deps.regionOf(caller);
    if (prefix === null) return q;
    if (q.regionCode === undefined) return { ...q, regionCode: prefix.padEnd(6, '0') };
    if (!regionPrefix(q.regionCode).startsWith(prefix))
      fail('FORBIDDEN', '?regionCode', `this key plans in the region ${prefix}… only; ${q.regionCode} is for its own regulator`);
    return q;
  }

  /**
   * The rotation plan over a horizon, by month and region: every lot of the
   * scope that is to rotate by the horizon's end (its sample not accepted, its
   * extension or its service life ended — as its state on that day says),
   * with all its meters, and every registered meter outside those lots whose
   * limited service life ends by then (from the due list). A lot accepted and
   * extended past the horizon is not in it.
   */
  async rotationPlan(
    q: RotationRequest,
  ): Promise<
    RotationPlan & { lots: Array<{ id: string; ownerId: string; region: string; size: number; state: string; rotateBy: CalendarDate; reason: string }> }
  > {
    const to = horizonEnd(q.from, q.months);
    const prefix = q.regionCode === undefined ? undefined : regionPrefix(q.regionCode);
    const policies = (await this.deps.policies?.()) ?? [];
    const rows = await this.deps.store.lotFacts({ regionPrefix: prefix, ownerId: q.ownerId });
    const items: RotationItem[] = [];
    const lots: Array<{ id: string; ownerId: string; region: string; size: number; state: string; rotateBy: CalendarDate; reason: string }> = [];
    for (const row of rows) {
      // the state at the horizon's end: a lot to rotate then was to rotate earlier or becomes so within it
      const status = lotStateAt(this.factsOf(row, to, policies), to);
      if (status?.state !== 'to_rotate' || status.rotateBy === null) continue;
      const l = row.lot;
      items.push({ kind: 'lot', id: l.id, ownerId: l.ownerId, regionCode: l.region, meters: l.size, rotateBy: status.rotateBy, reason: status.reason });
      lots.push({ id: l.id, ownerId: l.ownerId, region: l.region, size: l.size, state: status.state, rotateBy: status.rotateBy, reason: status.reason });
    }
    if (this.deps.due) {
      // registered meters in the lots above are counted with their lot
      const inLots = new Set((await this.deps.store.equipmentMembers(lots.map((l) => l.id))).map((m) => m.equipmentId));
      // only the categories verified once for a limited life have a life to end: the due list of each, not of all
      const limited = (catalogueAt(this.deps.catalogues, q.from)?.entries ?? []).filter((e) => e.form === 'initial_then_replace').map((e) => e.id);
      const due: DueItem[] = [];
      for (const category of limited) due.push(...(await this.deps.due({ from: q.from, to, regionCode: q.regionCode, ownerId: q.ownerId, category })));
      for (const d of due) {
        const s = d.status;
        if (inLots.has(s.equipmentId) || s.state === 'to_rotate') continue;
        const lifeEnds =
          s.state === 'service_life_ended' ||
          (s.policy?.form === 'initial_then_replace' &&
            s.serviceLifeEndsOn !== null &&
            s.serviceLifeEndsOn <= to &&
            (s.state === 'in_force' || s.state === 'due_soon'));
        if (!lifeEnds || s.serviceLifeEndsOn === null) continue;
        items.push({
          kind: 'instrument',
          id: s.equipmentId,
          ownerId: d.ownerId,
          regionCode: d.regionCode,
          meters: 1,
          rotateBy: s.serviceLifeEndsOn,
          reason: s.message,
        });
      }
    }
    const plan = planRotation({ from: q.from, months: q.months, items, capacityPerMonth: q.capacityPerMonth ?? null });
    return { ...plan, lots: lots.sort((a, b) => (a.rotateBy < b.rotateBy ? -1 : a.rotateBy > b.rotateBy ? 1 : a.id < b.id ? -1 : 1)) };
  }

  /**
   * Draws a sampling plan: the switching state over the owner's earlier
   * decided lots of the same category and model sets the severity; Table 1 and
   * the master table give n, Ac and Re; the keyed draw picks the sample.
   */
  async plan(caller: Caller, lotId: string, req: SamplingPlanRequest): Promise<LotPlanRow & { note: string | null }> {
    requireRole(caller, LOT_SAMPLING_ROLES, 'draw a sampling plan on a lot');
    const lot = await this.getLot(lotId);
    await this.inRegion(caller, lot, 'drawing a sampling plan');
    const today = this.deps.today();
    if (compareDates(req.plannedOn, today) > 0) fail('DATE_IN_FUTURE', '/plannedOn', `${req.plannedOn} is after today (${today}); draw a plan on its day`);
    // plans follow each other: none is drawn before the latest plan's decision, nor while it awaits one
    const latest = (await this.deps.store.plansOf(lot.id)).at(-1);
    if (latest && (latest.result === null || compareDates(req.plannedOn, latest.result.recordedOn) < 0)) {
      fail(
        'INVALID_TRANSITION',
        '/plannedOn',
        latest.result === null
          ? `plan '${latest.id}' of ${latest.plannedOn} awaits its results; a lot is sampled by one plan at a time`
          : `plan '${latest.id}' was decided on ${latest.result.recordedOn}; a new plan is drawn on or after that day`,
      );
    }
    const { status } = await this.statusOf(lot, req.plannedOn);
    if (status === null) fail('INVALID_TRANSITION', '/plannedOn', `lot '${lot.id}' was registered on ${lot.registeredOn}, after ${req.plannedOn}`);
    // a lot whose life ended unsampled may be sampled to extend it; one rejected, or whose extension ended, may not
    if (status.state === 'under_sampling' || (status.state === 'to_rotate' && status.cause !== 'life_ended') || status.state === 'rotated') {
      fail(
        'INVALID_TRANSITION',
        '/plannedOn',
        `lot '${lot.id}' is ${LOT_STATE_NAMES[status.state].en} on ${req.plannedOn} (${status.reason}); a new plan is drawn on a lot in service or extended, or on one whose service life ended unsampled`,
      );
    }
    if (await this.deps.store.getPlan(req.id)) fail('DUPLICATE', '/id', `a sampling plan with id '${req.id}' exists`);

    const history = await this.deps.store.decidedHistory(lot.ownerId, lot.category, lot.model, req.plannedOn);
    const scheme = schemeState(
      history.map((h) =>
        h.method === 'variables'
          ? // a lot decided by variables counts as a plan with Ac 0 or 1 does: +2 to the score when accepted, else back to 0
            { accepted: h.result.decision === 'accept', acceptance: 0, nonconforming: h.result.nonconforming, tighterAcceptance: null }
          : {
              accepted: h.result.decision === 'accept',
              acceptance: h.acceptance!,
              nonconforming: h.result.nonconforming,
              tighterAcceptance: tighterAcceptance({ severity: h.severity, planLetter: h.planLetter, aql: h.aql as never, tableSampleSize: h.tableSampleSize }),
            },
      ),
      { productionSteady: req.productionSteady, authorityApprovesReduced: req.authorityApprovesReduced },
    );
    if (scheme.state === 'discontinued')
      fail(
        'NOT_APPLICABLE',
        '/plannedOn',
        `acceptance by sampling is discontinued for ${lot.ownerId}'s ${lot.category} ${lot.model} lots (${scheme.reason}); it resumes at tightened inspection once the owner has acted`,
      );
    let severity: Severity = scheme.state;
    let note: string | null = null;
    if (severity === 'reduced') {
      severity = 'normal';
      note =
        req.method === 'variables'
          ? 'the switching rules allow reduced inspection, but no reduced variables table is carried; normal inspection is used, which protects at least as well'
          : `the switching rules allow reduced inspection, but Table 2-C is not applied (${TABLE_SOURCES.confidence.reduced}); normal inspection is used, which protects at least as well`;
    }
    const plan =
      req.method === 'variables'
        ? (() => {
            const v = variablesPlan({ lotSize: lot.size, level: req.level as never, aql: req.aql as never, severity: severity as 'normal' | 'tightened' });
            return {
              codeLetter: v.codeLetter as string,
              planLetter: v.planLetter as string,
              tableSampleSize: v.sampleSize,
              sampleSize: v.sampleSize,
              acceptance: null,
              rejection: null,
              acceptabilityConstant: v.k,
              hundredPercent: false,
            };
          })()
        : { ...lotPlan({ lotSize: lot.size, level: req.level, aql: req.aql, severity }), acceptabilityConstant: null };
    const serials = (await this.deps.store.members(lot.id)).map((m) => m.serial);
    const populationHash = this.deps.sha256(populationDigestText(lotPopulation(serials, lot.ownerId, lot.region)));
    const sample = drawLotSample(serials, req.seed, plan.sampleSize, this.deps.hmac);
    const row: LotPlanRow = {
      id: req.id,
      lotId: lot.id,
      plannedOn: req.plannedOn,
      seed: req.seed,
      level: req.level,
      aql: req.aql,
      severity,
      scheme: { state: scheme.state, switchingScore: scheme.switchingScore, reason: scheme.reason, lotsInHistory: history.length },
      method: req.method,
      codeLetter: plan.codeLetter,
      planLetter: plan.planLetter,
      tableSampleSize: plan.tableSampleSize,
      sampleSize: plan.sampleSize,
      acceptance: plan.acceptance,
      rejection: plan.rejection,
      acceptabilityConstant: plan.acceptabilityConstant,
      mpe: req.mpe,
      hundredPercent: plan.hundredPercent,
      populationHash,
      sample,
      regulatorId: caller.kind === 'key' && caller.role === 'inspector' ? caller.organisationId : null,
    };
    await this.deps.store.insertPlan(row, caller.kind === 'key' ? caller.keyId : null);
    return { ...row, note };
  }

  async getPlan(lotId: string, planId: string): Promise<LotPlanRow> {
    const p = await this.deps.store.getPlan(planId);
    if (!p || p.lotId !== lotId) fail('NOT_FOUND', ':planId', `lot '${lotId}' has no sampling plan '${planId}'`);
    return p;
  }

  async published(lotId: string, planId: string): Promise<PublishedLotPlan> {
    const lot = await this.getLot(lotId);
    const plan = await this.getPlan(lotId, planId);
    const members = (await this.deps.store.members(lotId)).map((m) => m.serial);
    return { lot: { id: lot.id, ownerId: lot.ownerId, region: lot.region, size: lot.size }, plan, members, howToRedraw: HOW_TO_REDRAW };
  }

  /** Records the results of a plan's sample; the decision follows from the count against Ac and Re. */
  async recordResults(caller: Caller, lotId: string, planId: string, req: ResultsRequest): Promise<LotResultRow> {
    requireRole(caller, LOT_SAMPLING_ROLES, "record the results of a lot's sample");
    const lot = await this.getLot(lotId);
    await this.inRegion(caller, lot, 'deciding on the lot');
    const plan = await this.getPlan(lotId, planId);
    const today = this.deps.today();
    if (compareDates(req.recordedOn, today) > 0) fail('DATE_IN_FUTURE', '/recordedOn', `${req.recordedOn} is after today (${today})`);
    if (compareDates(req.recordedOn, plan.plannedOn) < 0)
      fail('INVALID_RANGE', '/recordedOn', `results are recorded on or after the plan was drawn (${plan.plannedOn})`);
    if ((await this.deps.store.plansOf(lotId)).find((p) => p.id === planId)?.result)
      fail('ALREADY_DECIDED', ':planId', `plan '${planId}' has its results and decision; they are final`);
    const drawn = new Set(plan.sample.map((s) => s.serial));
    const given = new Set<string>();
    req.meters.forEach((m, i) => {
      if (!drawn.has(m.finding.serial))
        fail('INVALID_FIELD', `/meters/${i}/serial`, `'${m.finding.serial}' was not drawn in plan '${planId}'; record results for the drawn meters only`);
      if (given.has(m.finding.serial)) fail('DUPLICATE', `/meters/${i}/serial`, `'${m.finding.serial}' is given twice`);
      given.add(m.finding.serial);
    });
    const missing = plan.sample.filter((s) => !given.has(s.serial));
    if (missing.length > 0)
      fail('MISSING_FIELD', '/meters', `${missing.length} drawn meters have no result, e.g. '${missing[0]!.serial}'; the plan inspects all ${plan.sampleSize}`);
    const judged = req.meters.map((m, i) => ({ ...m.written, ...judgeMeter(m.finding, `/meters/${i}`) }));
    const nonconforming = judged.filter((j) => !j.conforming).length;
    let row: LotResultRow;
    if (plan.method === 'variables') {
      const { errors, mpe } = variablesReadings(
        req.meters.map((m) => m.finding),
        plan,
      );
      const v = decideVariables({ sampleSize: plan.sampleSize, k: plan.acceptabilityConstant! }, errors, mpe);
      const text = (d: Decimal | null) => (d === null ? null : d.toString());
      const statistics = {
        mean: v.mean.toString(),
        standardDeviation: v.standardDeviation.toString(),
        qUpper: text(v.qUpper),
        qLower: text(v.qLower),
        k: plan.acceptabilityConstant!,
        lower: v.lower.toString(),
        upper: v.upper.toString(),
        outside: v.outside,
      };
      row = { planId, recordedOn: req.recordedOn, meters: judged, inspected: v.inspected, nonconforming, decision: v.decision, rule: v.rule, statistics };
    } else {
      const d = decide({ sampleSize: plan.sampleSize, acceptance: plan.acceptance!, rejection: plan.rejection! }, judged.length, nonconforming);
      row = { planId, recordedOn: req.recordedOn, meters: judged, inspected: d.inspected, nonconforming, decision: d.decision, rule: d.rule, statistics: null };
    }
    await this.deps.store.insertResult(row, caller.kind === 'key' ? caller.keyId : null);
    return row;
  }

  /** Records that the lot was replaced (rotated): by its owner, or by the regulator. */
  async recordRotation(
    caller: Caller,
    lotId: string,
    { rotatedOn, remarks }: RotationRecord,
  ): Promise<{ lotId: string; rotatedOn: CalendarDate; remarks: string | null }> {
    const lot = await this.getLot(lotId);
    if (caller.kind === 'key' && caller.role === 'owner') requireOwnOrganisation(caller, lot.ownerId, ':id', 'record the rotation of a lot');
    else await this.inRegion(caller, lot, 'recording a rotation');
    if (compareDates(rotatedOn, this.deps.today()) > 0) fail('DATE_IN_FUTURE', '/rotatedOn', `${rotatedOn} is after today (${this.deps.today()})`);
    if (compareDates(rotatedOn, lot.registeredOn) < 0) fail('INVALID_RANGE', '/rotatedOn', `the lot was registered on ${lot.registeredOn}`);
    if (await this.deps.store.rotation(lotId)) fail('ALREADY_DECIDED', ':id', `lot '${lotId}' was already rotated`);
    await this.deps.store.insertRotation(lotId, rotatedOn, remarks, caller.kind === 'key' ? caller.keyId : null);
    return { lotId, rotatedOn, remarks };
  }
}
