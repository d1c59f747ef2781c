/**
 * Supervision use cases: in-use inspections, spot-check plans drawn by the
 * double-random rule, integrity grades and measures (core/supervision/).
 * The findings' judgement, the draw and the grade are the core's; this layer
 * gathers the facts, checks who may act, and writes in one transaction.
 */
import { requireOwnOrganisation, type Caller } from '../core/access/roles.ts';
import { addMonths, type CalendarDate } from '../core/dates.ts';
import { fail } from '../core/errors.ts';
import { checkEvent, type EquipmentEvent } from '../core/registry/events.ts';
import {
  compareDraws,
  drawSpotCheck,
  type DrawResult,
  type DrawRules,
  type DrawUnit,
  type Grade,
  type HmacSha256,
  type Inspector,
  type PastInspection,
  populationDigestText,
  populationFromDigestText,
} from '../core/supervision/draw.ts';
import {
  INSPECTION_REASONS,
  type InUseInspection,
  judgeInspection,
  recordedPoint,
  rectificationsOverdue,
  settleOutcome,
} from '../core/supervision/inspection.ts';
import {
  checkMeasure,
  gradeOf,
  type IntegrityGrade,
  type IntegrityMeasure,
  type IntegrityRuleTable,
  lookBackFrom,
  measuresAt,
  ruleTableAt,
} from '../core/supervision/integrity.ts';
import { isUsable } from '../core/verification/status.ts';
import { regionPrefix } from '../core/verification/policy.ts';
import type { NewId } from '../codecs/registry.ts';
import { type InspectionRequest, latestInspectionOf, type PlanRequest, type PublishedPlan, readSampleJson, writeSample } from '../codecs/supervision.ts';
import type { PlanRow, SupervisionStore, UnitOfWork } from './ports.ts';
import type { RegistryService } from './registry.ts';
import type { ComplianceCounts, VerificationService } from './verification.ts';

export interface SupervisionDeps {
  readonly store: SupervisionStore;
  readonly unitOfWork: UnitOfWork;
  readonly registry: RegistryService;
  readonly verification: VerificationService;
  readonly newId: NewId;
  readonly today: () => CalendarDate;
  /** HMAC-SHA-256 (hex) and SHA-256 (hex): the draw's randomness and the population's digest. */
  readonly hmac: HmacSha256;
  readonly sha256: (text: string) => string;
  readonly integrityRules: readonly IntegrityRuleTable[];
}

export type { PublishedPlan };

function drawRulesOf(p: Pick<PublishedPlan, 'seed' | 'drawDate' | 'rules'>): DrawRules {
  const strata: Record<string, ReturnType<typeof readSampleJson>> = {};
  for (const [k, v] of Object.entries(p.rules.strata)) strata[k] = readSampleJson(v);
  return {
    seed: p.seed,
    drawDate: p.drawDate,
    weights: p.rules.weights,
    sample: readSampleJson(p.rules.sample),
    strata,
    inspectorsPerTarget: p.rules.inspectorsPerTarget,
    coolingOffMonths: p.rules.coolingOffMonths,
  };
}

/**
 * Draws a published plan again from its seed and population and says where
 * the result differs (empty: it is the same draw). Pure: the CLI's
 * `spot-check verify` runs it on a downloaded plan file.
 */
export function redraw(plan: PublishedPlan, hmac: HmacSha256, sha256: (text: string) => string): { result: DrawResult; differences: string[] } {
  const result = drawSpotCheck({
    rules: drawRulesOf(plan),
    population: plan.population,
    populationHash: sha256(populationDigestText(plan.population)),
    inspectors: plan.inspectors,
    pastInspections: plan.pastInspections,
    hmac,
  });
  return { result, differences: compareDraws(plan.result, result) };
}

/** Everyone whose grade can be asked: not regulators. */
const GRADED_KINDS = ['enterprise', 'energy_using_unit', 'calibration_lab', 'legal_metrology_institute'];

export class SupervisionService {
  constructor(private readonly deps: SupervisionDeps) {}

  /** The ids of inspections, plans and measures not given one. */
  get newId(): NewId {
    return this.deps.newId;
  }

  // ---- in-use inspections ----

  /**
   * Records an in-use inspection. The verification state on the day is the
   * registry's, not the inspector's say; the outcome is the findings' own or a
   * stricter one. A prohibition is written with the inspection, in the same
   * transaction, as the equipment's `use_prohibited` event, so the status and
   * the public label show it at once.
   */
  async recordInspection(caller: Caller, req: InspectionRequest): Promise<InUseInspection> {
    const today = this.deps.today();
    if (req.inspectedOn > today)
      fail('DATE_IN_FUTURE', '/inspectedOn', `${req.inspectedOn} is after today (${today}); record an inspection once it has been made`);
    const life = await this.deps.registry.equipmentAt(req.equipmentId, req.inspectedOn).catch((e: unknown) => {
      if (e instanceof Error && 'code' in e && e.code === 'NOT_FOUND') fail('UNKNOWN_REFERENCE', '/equipmentId', `no equipment has id '${req.equipmentId}'`);
      throw e;
    });
    if (life.scrappedOn)
      fail('INVALID_TRANSITION', '/equipmentId', `'${req.equipmentId}' was scrapped on ${life.scrappedOn}; there is nothing in use to inspect`);
    const e = life.equipment;
    if (req.planId !== null) await this.checkPlanTarget(caller, req.planId, req.equipmentId, e.ownerId);
    const status = (await this.deps.verification.status(req.equipmentId, req.inspectedOn)).status;
    const judgement = judgeInspection(req.findings, isUsable(status), e.category, e.accuracy);
    const settled = settleOutcome(judgement, req.outcome, req.rectifyBy, req.inspectedOn, req.remarks);
    const inspection: InUseInspection = {
      id: req.id,
      equipmentId: req.equipmentId,
      organisationId: e.ownerId,
      regulatorId: caller.kind === 'key' && caller.role === 'inspector' ? caller.organisationId : null,
      planId: req.planId,
      inspectedOn: req.inspectedOn,
      inspectors: req.inspectors,
      labelPresent: req.findings.labelPresent,
      labelMatches: req.findings.labelMatches,
      sealIntact: req.findings.sealIntact,
      verificationState: status.state,
      points: judgement.points.map(recordedPoint),
      photos: req.photos,
      outcome: settled.outcome,
      reasons: judgement.reasons,
      rectifyBy: settled.rectifyBy,
      remarks: req.remarks,
    };
    const keyId = caller.kind === 'key' ? caller.keyId : null;
    await this.deps.unitOfWork.transaction(async (stores) => {
      await stores.supervision.insertInspection(inspection, keyId);
      if (inspection.outcome !== 'prohibited') return;
      const registered = (await stores.registry.getEquipment(req.equipmentId))!;
      const history = await stores.registry.listEvents(req.equipmentId);
      const why = inspection.reasons.map((r) => INSPECTION_REASONS[r].text).join('; ') || (inspection.remarks ?? 'stated by the inspectors');
      const event: EquipmentEvent = {
        id: this.deps.newId(),
        equipmentId: req.equipmentId,
        kind: 'use_prohibited',
        effectiveOn: req.inspectedOn,
        reason: `in-use inspection ${inspection.id}: ${why}`,
        assessment: null,
        newOwnerId: null,
        location: null,
      };
      checkEvent(registered, history, event, today, () => false);
      await stores.registry.insertEvent(event, { keyId, organisationId: caller.kind === 'key' ? caller.organisationId : null });
    });
    return inspection;
  }

  async listInspections(equipmentId: string): Promise<InUseInspection[]> {
    await this.deps.registry.getEquipment(equipmentId);
    return this.deps.store.listInspections({ equipmentId });
  }

  async getInspection(id: string): Promise<InUseInspection> {
    return (await this.deps.store.getInspection(id)) ?? fail('NOT_FOUND', '', `no in-use inspection has id '${id}'`);
  }

  private async checkPlanTarget(caller: Caller, planId: string, equipmentId: string, ownerId: string): Promise<void> {
    const plan = (await this.deps.store.getPlan(planId)) ?? fail('UNKNOWN_REFERENCE', '/planId', `no spot-check plan has id '${planId}'`);
    if (caller.kind === 'key' && caller.role !== 'admin' && caller.organisationId !== plan.regulatorId) {
      fail('FORBIDDEN', '/planId', `plan '${planId}' is '${plan.regulatorId}''s; an inspection under it is recorded by that regulator's inspectors`);
    }
    if (plan.closedOn !== null)
      fail('INVALID_TRANSITION', '/planId', `plan '${planId}' was closed on ${plan.closedOn}; its results are published and no inspection is added`);
    const targets = (plan.result as DrawResult).targets;
    const hit = plan.unit === 'instrument' ? targets.some((t) => t.unitId === equipmentId) : targets.some((t) => t.organisationId === ownerId);
    if (!hit) fail('INVALID_FIELD', '/planId', `'${equipmentId}' is not among the targets plan '${planId}' drew`);
  }

  // ---- spot-check plans ----

  /** Draws and stores a plan over the registry as it is on the draw date. */
  async drawPlan(caller: Caller, req: PlanRequest): Promise<PublishedPlan> {
    const today = this.deps.today();
    if (req.drawDate > today) fail('DATE_IN_FUTURE', '/drawDate', `${req.drawDate} is after today (${today}); draw on the announced day`);
    const regulatorId = await this.regulatorOf(caller, req);
    const regulator = await this.deps.registry.getOrganisation(regulatorId);
    const prefix = regionPrefix(regulator.regionCode);
    if (!req.filter.region.startsWith(prefix))
      fail('FORBIDDEN', '/filter/region', `'${regulatorId}' supervises region ${prefix}…; it cannot draw in ${req.filter.region}`);

    const units = await this.population(req);
    const populationText = populationDigestText(units);
    const populationHash = this.deps.sha256(populationText);
    const since = addMonths(req.drawDate, -req.coolingOffMonths);
    const recent = await this.deps.store.listInspections({ organisationIds: [...new Set(units.map((u) => u.organisationId))], from: since, to: req.drawDate });
    const pastInspections: PastInspection[] = recent.flatMap((i) =>
      i.inspectors.map((inspectorId) => ({ inspectorId, organisationId: i.organisationId, on: i.inspectedOn })),
    );
    const rules = {
      filter: req.filter,
      stratifyBy: req.stratifyBy,
      weights: req.weights,
      sample: writeSample(req.sample),
      strata: Object.fromEntries(Object.entries(req.strata).map(([k, v]) => [k, writeSample(v)])),
      inspectorsPerTarget: req.inspectorsPerTarget,
      coolingOffMonths: req.coolingOffMonths,
    };
    const published: Omit<PublishedPlan, 'result'> = {
      id: req.id,
      regulatorId,
      title: req.title,
      unit: req.unit,
      drawDate: req.drawDate,
      seed: req.seed,
      rules,
      inspectors: req.inspectors,
      pastInspections,
      population: units,
      populationHash,
    };
    const result = drawSpotCheck({
      rules: drawRulesOf(published),
      population: units,
      populationHash,
      inspectors: req.inspectors,
      pastInspections,
      hmac: this.deps.hmac,
    });
    // stored as published, the population as its digest text (what the hash is of)
    await this.deps.store.insertPlan({
      ...published,
      population: populationText,
      populationSize: units.length,
      result,
      drawnByKey: caller.kind === 'key' ? caller.keyId : null,
    });
    return { ...published, result };
  }

  private async regulatorOf(caller: Caller, req: PlanRequest): Promise<string> {
    if (caller.kind === 'key' && caller.role === 'admin') {
      return req.regulatorId ?? fail('MISSING_FIELD', '/regulatorId', "an admin draws a plan in a regulator's name: give regulatorId");
    }
    const own = caller.kind === 'key' ? caller.organisationId : null;
    if (own === null) fail('FORBIDDEN', '', 'only an inspector draws a spot-check plan');
    if (req.regulatorId !== null && req.regulatorId !== own)
      fail('FORBIDDEN', '/regulatorId', `an inspector of '${own}' draws plans in its own regulator's name only`);
    return own;
  }

  /** The units a plan draws from, as they are on the draw date (events applied: scrapped and retired ones out, owners as transferred). */
  private async population(req: PlanRequest): Promise<DrawUnit[]> {
    const candidates = await this.deps.store.drawCandidates({
      unit: req.unit,
      regionPrefix: req.filter.region,
      organisationKinds: req.filter.organisationKinds.length > 0 ? req.filter.organisationKinds : GRADED_KINDS,
      ...(req.filter.category !== null ? { category: req.filter.category } : {}),
      ...(req.filter.usage !== null ? { usage: req.filter.usage } : {}),
    });
    const withEvents = req.unit === 'instrument' ? await this.deps.registry.store.equipmentWithEvents() : new Set<string>();
    const units: Array<{ id: string; organisationId: string; region: string }> = [];
    for (const c of candidates) {
      if (!withEvents.has(c.id)) {
        if (c.status === 'in_service') units.push(c);
        continue;
      }
      const state = await this.deps.registry.equipmentAt(c.id, req.drawDate);
      if (state.equipment.status !== 'in_service') continue;
      if (state.equipment.ownerId === c.organisationId) units.push(c);
      else {
        const owner = await this.deps.registry.getOrganisation(state.equipment.ownerId);
        if (owner.regionCode.startsWith(req.filter.region)) units.push({ id: c.id, organisationId: owner.id, region: owner.regionCode });
      }
    }
    const grades = await this.gradesOf([...new Set(units.map((u) => u.organisationId))], req.drawDate, req.filter.region);
    return units.map((u) => ({
      id: u.id,
      stratum: req.stratifyBy === 'region' ? u.region : '',
      grade: grades.get(u.organisationId)?.grade ?? null,
      organisationId: u.organisationId,
      region: u.region,
    }));
  }

  /** A plan; with a caller, only its own regulator's inspectors (and admins) may read it before it is published. */
  async getPlan(id: string, caller?: Caller): Promise<PublishedPlan & { closedOn: CalendarDate | null }> {
    const row = (await this.deps.store.getPlan(id)) ?? fail('NOT_FOUND', '', `no spot-check plan has id '${id}'`);
    if (caller) requireOwnOrganisation(caller, row.regulatorId, ':id', 'read a spot-check plan');
    return { ...publishedOf(row), closedOn: row.closedOn };
  }

  async listPlans(
    caller: Caller,
  ): Promise<
    Array<{ id: string; title: string; drawDate: CalendarDate; regulatorId: string; populationSize: number; targets: number; closedOn: CalendarDate | null }>
  > {
    const regulator = caller.kind === 'key' && caller.role === 'inspector' ? caller.organisationId : null;
    return (await this.deps.store.listPlans(regulator)).map((p) => ({
      id: p.id,
      title: p.title,
      drawDate: p.drawDate,
      regulatorId: p.regulatorId,
      populationSize: p.populationSize,
      targets: (p.result as DrawResult).targets.length,
      closedOn: p.closedOn,
    }));
  }

  async closePlan(caller: Caller, id: string, closedOn: CalendarDate): Promise<void> {
    const plan = await this.getPlan(id);
    requireOwnOrganisation(caller, plan.regulatorId, ':id', 'close a spot-check plan');
    if (plan.closedOn !== null) fail('INVALID_TRANSITION', '', `plan '${id}' was closed on ${plan.closedOn}`);
    if (closedOn < plan.drawDate) fail('INVALID_RANGE', '/closedOn', `a plan drawn on ${plan.drawDate} cannot close on ${closedOn}`);
    if (closedOn > this.deps.today()) fail('DATE_IN_FUTURE', '/closedOn', `${closedOn} is after today`);
    await this.deps.store.closePlan(id, closedOn, caller.kind === 'key' ? caller.keyId : null);
  }

  /**
   * The public results of a closed plan (一公开): each target with the
   * outcome of its inspection and its rectification, the seed and the
   * population's hash, without inspectors or other personal data.
   */
  async disclosure(id: string) {
    const plan = await this.getPlan(id);
    if (plan.closedOn === null) fail('NOT_FOUND', '', `plan '${id}' has not been closed: its results are published once it is`);
    const inspections = await this.deps.store.listInspections({ planId: id });
    const orgs = await this.deps.registry.store.getOrganisationsMany([...new Set(plan.result.targets.map((t) => t.organisationId))]);
    const overdue = new Set(
      rectificationsOverdue(await this.deps.store.listInspections({ organisationIds: [...orgs.keys()] }), plan.closedOn).map((i) => i.id),
    );
    return {
      id: plan.id,
      title: plan.title,
      regulatorId: plan.regulatorId,
      drawDate: plan.drawDate,
      closedOn: plan.closedOn,
      seed: plan.seed,
      populationHash: plan.populationHash,
      populationSize: plan.population.length,
      weights: plan.rules.weights,
      sample: plan.rules.sample,
      targets: plan.result.targets.map((t) => {
        const last = latestInspectionOf(plan.unit, t, inspections);
        return {
          unitId: t.unitId,
          organisationId: t.organisationId,
          organisationName: orgs.get(t.organisationId)?.name ?? null,
          region: t.region,
          inspectedOn: last?.inspectedOn ?? null,
          outcome: last?.outcome ?? 'not_inspected',
          rectifyBy: last?.rectifyBy ?? null,
          rectification: last?.outcome !== 'rectify' ? null : overdue.has(last.id) ? 'overdue' : last.rectifyBy! < plan.closedOn! ? 'made' : 'pending',
        };
      }),
      redraw:
        'GET /v1/public/spot-checks/{id}/population.tsv gives the population as digested (its SHA-256 is populationHash); docs/spot-checks.md gives the algorithm. Draw again with the seed, the weights and the sample; the targets must be the same, in the same order.',
    };
  }

  /** The plan with its inspections and the names of the organisations it drew, for the team's page. */
  async planReport(
    id: string,
    caller: Caller,
  ): Promise<{ plan: PublishedPlan & { closedOn: CalendarDate | null }; inspections: InUseInspection[]; names: Map<string, string> }> {
    const plan = await this.getPlan(id, caller);
    const inspections = await this.deps.store.listInspections({ planId: id });
    const orgs = await this.deps.registry.store.getOrganisationsMany([...new Set(plan.result.targets.map((t) => t.organisationId))]);
    return { plan, inspections, names: new Map([...orgs].map(([k, o]) => [k, o.name])) };
  }

  async populationText(id: string): Promise<string> {
    const row = (await this.deps.store.getPlan(id)) ?? fail('NOT_FOUND', '', `no spot-check plan has id '${id}'`);
    if (row.closedOn === null) fail('NOT_FOUND', '', `plan '${id}' has not been closed`);
    return row.population;
  }

  // ---- integrity ----

  /** The grades of organisations at a date, each with its facts and reasons. */
  async gradesOf(organisationIds: readonly string[], at: CalendarDate, region?: string): Promise<Map<string, IntegrityGrade>> {
    const out = new Map<string, IntegrityGrade>();
    if (organisationIds.length === 0) return out;
    const table = ruleTableAt(this.deps.integrityRules, at);
    const from = lookBackFrom(table, at);
    const ids = [...organisationIds];
    const [failed, inspections, measures] = await Promise.all([
      this.deps.store.failedVerifications(ids, from, at),
      this.deps.store.listInspections({ organisationIds: ids, to: at }),
      this.deps.store.listMeasures(ids),
    ]);
    const counts = await this.instrumentCounts(ids, at, region);
    const inspectionsOf = byOrganisation(inspections);
    const measuresOf = byOrganisation(measures);
    for (const id of ids) {
      const mine = inspectionsOf.get(id) ?? [];
      const inWindow = mine.filter((i) => i.inspectedOn > from);
      const m = measuresAt(measuresOf.get(id) ?? [], at);
      const c = counts.get(id) ?? { mandatory: 0, notUsable: 0, suspect: 0 };
      out.set(
        id,
        gradeOf(
          {
            organisationId: id,
            at,
            mandatoryInstruments: c.mandatory,
            notUsable: c.notUsable,
            suspect: c.suspect,
            failedVerifications: failed.get(id) ?? 0,
            inspections: {
              compliant: inWindow.filter((i) => i.outcome === 'compliant').length,
              rectify: inWindow.filter((i) => i.outcome === 'rectify').length,
              prohibited: inWindow.filter((i) => i.outcome === 'prohibited').length,
            },
            rectificationsOverdue: rectificationsOverdue(mine, at).filter((i) => i.inspectedOn > from).length,
            commitment: m.commitmentOn !== null,
            dishonest: m.listing !== null,
          },
          table,
        ),
      );
    }
    return out;
  }

  /** Each organisation's mandatory instruments on the date and those that may not be used; one owner: its own, several: their region's. */
  private async instrumentCounts(ids: readonly string[], at: CalendarDate, region?: string): Promise<Map<string, ComplianceCounts>> {
    const scope = ids.length === 1 ? { ownerId: ids[0]! } : region !== undefined ? { regionCode: region.padEnd(6, '0') } : {};
    return this.deps.verification.complianceCounts({ at, ...scope });
  }

  async grade(
    organisationId: string,
    at: CalendarDate,
  ): Promise<IntegrityGrade & { history: Array<{ at: CalendarDate; grade: Grade }>; measures: IntegrityMeasure[] }> {
    const org = await this.deps.registry.getOrganisation(organisationId);
    if (org.kind === 'regulator')
      fail('NOT_APPLICABLE', ':id', `'${organisationId}' is a regulator; integrity grades are given to the organisations it supervises`);
    const g = (await this.gradesOf([organisationId], at)).get(organisationId)!;
    // the grade at the end of each of the four quarters before
    const history: Array<{ at: CalendarDate; grade: Grade }> = [];
    for (let q = 4; q >= 1; q--) {
      const d = addMonths(at, -3 * q);
      history.push({ at: d, grade: (await this.gradesOf([organisationId], d)).get(organisationId)!.grade });
    }
    return { ...g, history, measures: await this.deps.store.listMeasures([organisationId]) };
  }

  /** The grades of the organisations of a region (a GB/T 2260 code or prefix), optionally of one grade. */
  async gradesInRegion(region: string, at: CalendarDate, grade: Grade | null): Promise<IntegrityGrade[]> {
    const orgs = await this.deps.store.drawCandidates({ unit: 'organisation', regionPrefix: region, organisationKinds: GRADED_KINDS });
    const grades = await this.gradesOf(
      orgs.map((o) => o.id),
      at,
      region,
    );
    return [...grades.values()].filter((g) => grade === null || g.grade === grade);
  }

  /** Records a commitment, appeal (by the organisation), listing or removal (by its regulator's inspectors). */
  async recordMeasure(caller: Caller, m0: IntegrityMeasure): Promise<IntegrityMeasure> {
    const { organisationId } = m0;
    const org = await this.deps.registry.getOrganisation(organisationId);
    let regulatorId: string | null = null;
    if (m0.kind === 'commitment' || m0.kind === 'appealed') {
      requireOwnOrganisation(caller, organisationId, ':id', m0.kind === 'commitment' ? 'make an integrity commitment' : 'appeal a listing');
    } else {
      if (caller.kind !== 'key' || (caller.role !== 'inspector' && caller.role !== 'admin'))
        fail('FORBIDDEN', '/kind', `a ${m0.kind === 'listed' ? 'listing' : 'removal'} is decided by a regulator: an inspector's key`);
      if (caller.role === 'inspector') {
        regulatorId = caller.organisationId;
        const regulator = await this.deps.registry.getOrganisation(regulatorId!);
        if (!org.regionCode.startsWith(regionPrefix(regulator.regionCode)))
          fail('FORBIDDEN', ':id', `'${organisationId}' is outside the region of '${regulatorId}'`);
      }
    }
    const m = { ...m0, regulatorId };
    const history = await this.deps.store.listMeasures([organisationId]);
    checkMeasure(history, m, this.deps.today());
    await this.deps.store.insertMeasure(m, caller.kind === 'key' ? caller.keyId : null);
    return m;
  }

  /** Organisations under a dishonesty measure on the date, with the reason, the decision and any appeal. */
  async listed(region: string, at: CalendarDate) {
    const orgs = await this.deps.store.drawCandidates({ unit: 'organisation', regionPrefix: region, organisationKinds: GRADED_KINDS });
    const measuresOf = byOrganisation(await this.deps.store.listMeasures(orgs.map((o) => o.id)));
    const out = [];
    for (const o of orgs) {
      const m = measuresAt(measuresOf.get(o.id) ?? [], at);
      if (m.listing)
        out.push({
          organisationId: o.id,
          region: o.region,
          listedOn: m.listing.decidedOn,
          reason: m.listing.reason,
          regulatorId: m.listing.regulatorId,
          appeals: m.appeals.map((a) => ({ on: a.decidedOn, reason: a.reason })),
        });
    }
    return out;
  }
}

/** Items by their organisation, each list in the order given (one pass, for grading many organisations). */
function byOrganisation<T extends { readonly organisationId: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.organisationId);
    if (list) list.push(item);
    else out.set(item.organisationId, [item]);
  }
  return out;
}

function publishedOf(row: PlanRow): PublishedPlan {
  return {
    id: row.id,
    regulatorId: row.regulatorId,
    title: row.title,
    unit: row.unit,
    drawDate: row.drawDate,
    seed: row.seed,
    rules: row.rules as PublishedPlan['rules'],
    inspectors: row.inspectors as Inspector[],
    pastInspections: row.pastInspections as PastInspection[],
    population: populationFromDigestText(row.population),
    populationHash: row.populationHash,
    result: row.result as DrawResult,
  };
}
