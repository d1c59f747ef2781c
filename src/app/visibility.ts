/**
 * Reads scoped by role (core/access/roles.ts ReadScope): which instruments,
 * records, energy data and plans a key may read. A refusal names what the key
 * reads instead; what does not exist stays a plain "not found" from the use
 * case that looks it up.
 */
import { type Caller, describeScope, withArticle, type ReadScope, readScopeOf } from '../core/access/roles.ts';
import { fail } from '../core/errors.ts';
import { regionPrefix } from '../core/verification/policy.ts';
import type { Dependent } from '../core/traceability/impact.ts';
import type { EnergyStore, RegistryStore, VerificationStore } from './ports.ts';
import type { DueFilter } from './verification.ts';

type KeyCaller = Extract<Caller, { kind: 'key' }>;

export class VisibilityService {
  constructor(
    private readonly deps: {
      readonly registry: RegistryStore;
      readonly energy: EnergyStore;
      readonly verification: VerificationStore;
    },
  ) {}

  /** The read scope of a caller (routes that reach here admit only keys). */
  async scopeOf(caller: Caller): Promise<ReadScope> {
    if (caller.kind !== 'key') return fail('UNAUTHORISED', 'authorization', 'this needs an API key');
    if (caller.role !== 'inspector' && caller.role !== 'auditor') return readScopeOf(caller, null);
    const org = await this.deps.registry.getOrganisation(caller.organisationId ?? '');
    return readScopeOf(caller, org ? regionPrefix(org.regionCode) : null);
  }

  /** May the caller read this equipment (and what is derived from it: history, status, chain, charts)? */
  async equipment(caller: Caller, ids: readonly string[], path = ':id'): Promise<void> {
    const scope = await this.scopeOf(caller);
    if (scope.kind === 'all') return;
    const seen = await this.deps.registry.visibleEquipment(ids, scope);
    const hidden = ids.filter((id) => !seen.has(id));
    if (hidden.length === 0) return;
    const existing = await this.deps.registry.getEquipmentMany(hidden);
    if (existing.size > 0) refuse(caller, scope, path, `equipment '${[...existing.keys()][0]}'`);
  }

  /** May the caller read this record (its certificate, DCC, conformity decisions)? */
  async records(caller: Caller, ids: readonly string[], path = ':id'): Promise<void> {
    const scope = await this.scopeOf(caller);
    if (scope.kind === 'all') return;
    const seen = await this.deps.registry.visibleRecords(ids, scope);
    for (const id of ids) {
      if (seen.has(id)) continue;
      if (await this.deps.registry.getRecord(id)) refuse(caller, scope, path, `record '${id}'`);
    }
  }

  /** May the caller read an organisation's energy data (inventory, audits)? */
  async organisationData(caller: Caller, organisationId: string, path = ':id'): Promise<void> {
    const scope = await this.scopeOf(caller);
    if (scope.kind === 'all') return;
    if ((scope.kind === 'organisation' || scope.kind === 'lab') && scope.organisationId === organisationId) return;
    const org = await this.deps.registry.getOrganisation(organisationId);
    if (!org) return; // the use case says it is not found
    if (scope.kind === 'region' && org.regionCode.startsWith(scope.regionPrefix)) return;
    refuse(caller, scope, path, `the data of '${organisationId}'`);
  }

  /** The dependents of an impact analysis the caller may read (the rest are someone else's business). */
  async dependents(caller: Caller, list: readonly Dependent[]): Promise<Dependent[]> {
    const scope = await this.scopeOf(caller);
    return list.filter((d) => sees(scope, d));
  }

  /**
   * A due list within the caller's reach: an owner's or a lab's own
   * instruments; a regulator's keys their region (by default all of it); an
   * admin as asked.
   */
  async dueFilter(caller: Caller, f: DueFilter): Promise<DueFilter> {
    const scope = await this.scopeOf(caller);
    switch (scope.kind) {
      case 'all':
        return f;
      case 'organisation':
      case 'lab':
        if (f.ownerId !== undefined && f.ownerId !== scope.organisationId) refuse(caller, scope, '?owner', `the due list of '${f.ownerId}'`);
        return { ...f, ownerId: scope.organisationId };
      case 'region': {
        if (f.regionCode === undefined) return { ...f, regionCode: `${scope.regionPrefix}${'0'.repeat(6 - scope.regionPrefix.length)}` };
        if (!regionPrefix(f.regionCode).startsWith(scope.regionPrefix)) refuse(caller, scope, '?region', `region ${f.regionCode}`);
        return f;
      }
    }
  }

  async audit(caller: Caller, auditId: string): Promise<void> {
    const audit = await this.deps.energy.getAudit(auditId);
    if (audit) await this.organisationData(caller, audit.organisationId);
  }

  /** A stored plan: for an inspector of the region it was made for (an admin for any). */
  async plan(caller: Caller, planId: string): Promise<void> {
    const scope = await this.scopeOf(caller);
    if (scope.kind === 'all') return;
    const plan = await this.deps.verification.getPlan(planId);
    if (!plan) return;
    const region = (plan.request as { regionCode?: string | null }).regionCode ?? null;
    if (scope.kind === 'region' && region !== null && region.startsWith(scope.regionPrefix)) return;
    refuse(caller, scope, ':id', `plan '${planId}'${region ? ` (region ${region})` : ' (all regions)'}`);
  }
}

/** What a dependent of an impact analysis shows of itself to a read scope. */
function sees(scope: ReadScope, d: Dependent): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'organisation':
      return d.equipment.ownerId === scope.organisationId;
    case 'lab':
      return d.equipment.ownerId === scope.organisationId || d.record.labId === scope.organisationId;
    case 'region':
      return d.owner?.regionCode.startsWith(scope.regionPrefix) ?? false;
  }
}

function refuse(caller: Caller, scope: ReadScope, path: string, what: string): never {
  const c = caller as KeyCaller;
  return fail(
    'FORBIDDEN',
    path,
    `${withArticle(c.role)} key of '${c.organisationId ?? 'no organisation'}' reads ${describeScope(scope)}; ${what} is outside it`,
  );
}
