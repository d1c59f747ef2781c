/**
 * Energy-metering audits: keep an organisation's metering inventory (each
 * submission a new version), and audit it at a date against GB 17167 with the
 * verification status and traceability of every meter. The audit is stored
 * with the exact input it was computed from, so anyone can recompute it.
 */
import { parseDate } from '../core/dates.ts';
import { auditEnergyMetering, type Inventory, type MeterFacts } from '../core/energy/audit.ts';
import type { EnergyRules } from '../core/energy/rules.ts';
import { fail } from '../core/errors.ts';
import type { NewId } from '../codecs/registry.ts';
import { type AuditRequest, readInventory, type WireAudit, writeAudit, writeInventory } from '../codecs/energy.ts';
import type { EnergyStore, StoredAudit } from './ports.ts';
import type { VerificationService } from './verification.ts';

export interface EnergyDeps {
  readonly store: EnergyStore;
  readonly verification: VerificationService;
  readonly rules: EnergyRules;
  readonly newId: NewId;
}

/** The organisation kinds whose energy metering is audited. */
const AUDITED_KINDS = new Set(['energy_using_unit', 'enterprise']);

export interface AuditRecord {
  readonly id: string;
  readonly inventoryVersion: number;
  /** The audit as stored and published (decimals as strings). */
  readonly audit: WireAudit;
}

export class EnergyAuditService {
  constructor(private readonly deps: EnergyDeps) {}

  get rules(): EnergyRules {
    return this.deps.rules;
  }

  /** The ids of audits not given one. */
  get newId(): NewId {
    return this.deps.newId;
  }

  /** Stores a new version of an organisation's metering inventory (read by codecs/energy.ts against the rules loaded). */
  async submitInventory(inventory: Inventory): Promise<{ id: string; version: number; inventory: Inventory }> {
    const { organisationId } = inventory;
    return this.deps.store.transaction(async (store, registry) => {
      const org = (await registry.getOrganisation(organisationId)) ?? fail('NOT_FOUND', '', `no organisation has id '${organisationId}'`);
      if (!AUDITED_KINDS.has(org.kind))
        fail('WRONG_ORGANISATION_KIND', '', `'${org.id}' is a ${org.kind}; energy-metering inventories belong to energy-using units and enterprises`);
      const meters = await registry.getEquipmentMany(meterIds(inventory));
      inventory.points.forEach((p, i) => {
        if (!p.equipmentId) return;
        const e = meters.get(p.equipmentId) ?? fail('UNKNOWN_REFERENCE', `/points/${i}/equipmentId`, `no equipment has id '${p.equipmentId}'`);
        if (e.ownerId !== organisationId)
          fail(
            'INVALID_FIELD',
            `/points/${i}/equipmentId`,
            `'${e.id}' belongs to '${e.ownerId}', not to '${organisationId}'; a metering point names the organisation's own meter`,
          );
      });
      const latest = await store.latestInventory(organisationId);
      const version = (latest?.version ?? 0) + 1;
      const id = `${organisationId}-inventory-${version}`;
      await store.insertInventory({ id, organisationId, version, document: writeInventory(inventory) });
      return { id, version, inventory };
    });
  }

  async latestInventory(organisationId: string): Promise<{ id: string; version: number; inventory: Inventory }> {
    const stored =
      (await this.deps.store.latestInventory(organisationId)) ??
      fail('NOT_FOUND', '', `'${organisationId}' has no energy-metering inventory yet; submit one first`);
    return { id: stored.id, version: stored.version, inventory: readInventory(withoutOwner(stored.document), organisationId, this.deps.rules) };
  }

  /** Audits the latest inventory of an organisation at a date and stores the audit with its input. */
  async audit({ id, organisationId, at }: AuditRequest): Promise<AuditRecord> {
    const { id: inventoryId, version, inventory } = await this.latestInventory(organisationId);
    const meters = new Map<string, MeterFacts>();
    for (const meterId of meterIds(inventory)) {
      const v = await this.deps.verification.status(meterId, at);
      const e = v.equipment;
      const findings = v.trace.findings;
      meters.set(meterId, {
        equipmentId: meterId,
        name: e.name,
        accuracyClass: e.accuracy.kind === 'class' ? e.accuracy.accuracyClass : null,
        mandatory: v.status.classification.mandatory,
        verificationState: v.status.state,
        statusMessage: v.status.message,
        ownFindings: findings.filter((f) => f.equipmentId === meterId).map((f) => ({ code: f.code, message: f.message })),
        chainFindings: findings.filter((f) => f.equipmentId !== meterId).map((f) => ({ code: f.code, equipmentId: f.equipmentId, message: f.message })),
      });
    }
    const audit = auditEnergyMetering(this.deps.rules, inventory, meters, at);
    const input = { at, inventoryId, inventoryVersion: version, inventory: writeInventory(inventory), meters: [...meters.values()] };
    const wire = writeAudit(id, version, audit);
    await this.deps.store.transaction(async (store) =>
      store.insertAudit({ id, organisationId, at, inventoryId, rulesVersion: this.deps.rules.version, input, result: wire }),
    );
    return { id, inventoryVersion: version, audit: wire };
  }

  async getAudit(id: string): Promise<AuditRecord & { stored: StoredAudit }> {
    const stored = (await this.deps.store.getAudit(id)) ?? fail('NOT_FOUND', '', `no energy audit has id '${id}'`);
    return { id, inventoryVersion: (stored.input as { inventoryVersion: number }).inventoryVersion, audit: stored.result as WireAudit, stored };
  }

  /** The audits of an organisation, as stored (oldest first, as the store keeps them). */
  async listAudits(organisationId: string): Promise<Array<AuditRecord & { stored: StoredAudit }>> {
    return (await this.deps.store.listAudits(organisationId)).map((stored) => ({
      id: stored.id,
      inventoryVersion: (stored.input as { inventoryVersion: number }).inventoryVersion,
      audit: stored.result as WireAudit,
      stored,
    }));
  }

  /** Recomputes a stored audit from its stored input (and the rules now loaded), in its published form. */
  recompute(stored: StoredAudit): WireAudit {
    const input = stored.input as { at: string; inventory: unknown; inventoryVersion: number; meters: MeterFacts[] };
    const inventory = readInventory(withoutOwner(input.inventory), stored.organisationId, this.deps.rules);
    return writeAudit(
      stored.id,
      input.inventoryVersion,
      auditEnergyMetering(this.deps.rules, inventory, new Map(input.meters.map((m) => [m.equipmentId, m])), parseDate(input.at, '/at')),
    );
  }
}

/** The distinct meters an inventory names. */
function meterIds(inventory: Inventory): string[] {
  return [...new Set(inventory.points.flatMap((p) => (p.equipmentId ? [p.equipmentId] : [])))];
}

function withoutOwner(doc: unknown): unknown {
  const { organisationId: _o, ...rest } = doc as Record<string, unknown>;
  return rest;
}
