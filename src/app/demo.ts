/**
 * Loading a registry data set (the demo in fixtures/demo, or any file of the
 * same shape) in one transaction: it all lands, or nothing does.
 */
import { fail } from '../core/errors.ts';
import { ObjectReader } from '../codecs/reader.ts';
import { readEvent } from '../codecs/events.ts';
import { readCapacity, readPolicy } from '../codecs/verification.ts';
import { readInventory } from '../codecs/energy.ts';
import { type NewId, readEquipment, readOrganisation, readRecord, readScope, readScopeAmendment } from '../codecs/registry.ts';
import type { EnergyRules } from '../core/energy/rules.ts';
import { EnergyAuditService } from './energy.ts';
import type { RegistryStore, UnitOfWork } from './ports.ts';
import { RegistryService, type RegistryRules } from './registry.ts';
import { TraceabilityService } from './traceability.ts';
import { VerificationService } from './verification.ts';

export interface LoadSummary {
  organisations: number;
  scopes: number;
  scopeAmendments: number;
  equipment: number;
  events: number;
  records: number;
  policies: number;
  capacities: number;
  energyInventories: number;
}

/** The reference data and calendar a data set is checked against (the registry's, and the energy rules). */
export interface DataSetRules extends RegistryRules {
  readonly energyRules: EnergyRules;
}

/** True when the registry has no organisation yet (a fresh database). */
export async function isEmpty(store: RegistryStore): Promise<boolean> {
  const page = await store.listOrganisations({}, { limit: 1, after: null });
  return page.items.length === 0;
}

/**
 * Loads `{ organisations, scopes, scopeAmendments, equipment, events, records, policies, capacities }`.
 * Records are appended in file order, so a correction follows the record it
 * supersedes; equipment events come before the records, so a record may rely on
 * a renewal and precede a scrapping (every rule is judged at its own date). Everything lands in one transaction, or nothing does.
 */
export async function loadRegistryData(work: UnitOfWork, data: unknown, newId: NewId, rules: DataSetRules): Promise<LoadSummary> {
  const r = ObjectReader.of(data, '', 'a registry data set');
  r.value('$comment');
  const organisations = r.array('organisations', { optional: true });
  const scopes = r.array('scopes', { optional: true });
  const scopeAmendments = r.array('scopeAmendments', { optional: true });
  const equipment = r.array('equipment', { optional: true });
  const events = r.array('events', { optional: true });
  const records = r.array('records', { optional: true });
  const policies = r.array('policies', { optional: true });
  const capacities = r.array('capacities', { optional: true });
  const inventories = r.array('energyInventories', { optional: true });
  r.done();
  return work.transaction(async ({ registry: tx, verification: vs, energy: es }) => {
    const registry = new RegistryService({ store: tx, newId, catalogues: rules.catalogues, charts: rules.charts, today: rules.today });
    for (const [i, o] of organisations.entries()) await at(`/organisations/${i}`, () => registry.createOrganisation(readOrganisation(o, newId)));
    for (const [i, s] of scopes.entries()) {
      const labId = ObjectReader.of(s, `/scopes/${i}`).raw.labId;
      if (typeof labId !== 'string') fail('MISSING_FIELD', `/scopes/${i}/labId`, 'a scope in a data set names its labId');
      const { labId: _omit, ...rest } = s as Record<string, unknown>;
      await at(`/scopes/${i}`, () => registry.createScope(readScope(rest, labId, newId)));
    }
    // amendments after the scopes and before the records, which are judged against the version in force on their day
    for (const [i, a] of scopeAmendments.entries()) {
      const ar = ObjectReader.of(a, `/scopeAmendments/${i}`);
      const labId = ar.raw.labId;
      const scopeId = ar.raw.scopeId;
      if (typeof labId !== 'string' || typeof scopeId !== 'string')
        fail('MISSING_FIELD', `/scopeAmendments/${i}/scopeId`, 'an amendment in a data set names its labId and scopeId');
      const { labId: _lab, scopeId: _scope, ...rest } = a as Record<string, unknown>;
      await at(`/scopeAmendments/${i}`, () => registry.amendScope(labId, scopeId, readScopeAmendment(rest, newId)));
    }
    for (const [i, e] of equipment.entries()) await at(`/equipment/${i}`, () => registry.createEquipment(readEquipment(e, newId)));
    for (const [i, ev] of events.entries()) {
      const equipmentId = ObjectReader.of(ev, `/events/${i}`).raw.equipmentId;
      if (typeof equipmentId !== 'string') fail('MISSING_FIELD', `/events/${i}/equipmentId`, 'an event in a data set names its equipmentId');
      const { equipmentId: _omit, ...rest } = ev as Record<string, unknown>;
      await at(`/events/${i}`, () => registry.loadEvent(readEvent(rest, equipmentId, newId)));
    }
    for (const [i, rec] of records.entries()) await at(`/records/${i}`, () => registry.createRecord(readRecord(rec, newId)));
    const traceability = new TraceabilityService({
      store: tx,
      charts: rules.charts,
      newId,
      mandatory: (e, at) => registry.mandatory(e, at),
      intervalMonths: (e, at) => registry.intervalMonths(e, at),
      today: rules.today,
    });
    const verification = new VerificationService({ registry: tx, store: vs, traceability, catalogues: rules.catalogues, newId });
    for (const [i, p] of policies.entries()) await at(`/policies/${i}`, () => verification.createPolicy(readPolicy(p, newId)));
    for (const [i, c] of capacities.entries()) await at(`/capacities/${i}`, () => verification.createCapacity(readCapacity(c, newId)));
    const energy = new EnergyAuditService({ store: es, verification, rules: rules.energyRules, newId });
    for (const [i, inv] of inventories.entries()) {
      const ir = ObjectReader.of(inv, `/energyInventories/${i}`, 'an inventory of a data set');
      const organisationId = ir.string('organisationId');
      ir.value('inventory');
      ir.done();
      await at(`/energyInventories/${i}/inventory`, () => energy.submitInventory(readInventory(ir.raw['inventory'], organisationId, energy.rules)));
    }
    return {
      organisations: organisations.length,
      scopes: scopes.length,
      scopeAmendments: scopeAmendments.length,
      equipment: equipment.length,
      events: events.length,
      records: records.length,
      policies: policies.length,
      capacities: capacities.length,
      energyInventories: inventories.length,
    };
  });
}

/** Re-throws an error with the item's position prefixed to its path. */
async function at<T>(prefix: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e && typeof e === 'object' && 'path' in e && typeof (e as { path: unknown }).path === 'string') {
      (e as { path: string }).path = prefix + (e as { path: string }).path;
    }
    throw e;
  }
}
