/**
 * Energy-metering inventories and audits on the wire. An inventory states its
 * consumptions in the unit of the threshold they are compared with, so that no
 * conversion is ever guessed; a wrong unit is an error naming the field and
 * the unit expected.
 */
import type { EnergyRules } from '../core/energy/rules.ts';
import type { EnergyAudit, Inventory, MeteringPoint } from '../core/energy/audit.ts';
import type { CalendarDate } from '../core/dates.ts';
import { parseDate } from '../core/dates.ts';
import { fail } from '../core/errors.ts';
import { parseDecimal, toText } from '../core/numeric/decimal.ts';
import { readContract } from './contracts/read.ts';
import { AuditInput, type AuditInputShape, InventoryInput, type InventoryInputShape } from './contracts/energy.ts';
import type { NewId } from './registry.ts';

/**
 * An inventory that passed its contract as the domain's: metering point ids
 * unique, a consumption for every sub-unit and equipment, not negative, in the
 * unit of the threshold it is compared with.
 */
export function toInventory(i: InventoryInputShape, organisationId: string, rules: EnergyRules): Inventory {
  const ids = new Set<string>();
  const points = i.points.map((p, n): MeteringPoint => {
    const path = `/points/${n}`;
    if (ids.has(p.id)) fail('DUPLICATE', `${path}/id`, `metering point '${p.id}' appears twice`);
    ids.add(p.id);
    const { level, energyType } = p;
    let consumption: MeteringPoint['consumption'] = null;
    if (p.consumption != null) {
      const value = parseDecimal(p.consumption.value, `${path}/consumption/value`);
      if (value.isNegative()) fail('INVALID_FIELD', `${path}/consumption/value`, 'a consumption is not negative');
      const unit = p.consumption.unit;
      const limit = (level === 'sub_unit' ? rules.majorSubUnit : level === 'equipment' ? rules.majorEquipment : undefined)?.get(energyType);
      if (limit && unit !== limit.value.unit)
        fail(
          'INVALID_FIELD',
          `${path}/consumption/unit`,
          `${energyType} at the ${level} level is compared with a threshold in ${limit.value.unit}; give the consumption in ${limit.value.unit}, not ${unit}`,
        );
      consumption = { value, unit };
    } else if (level !== 'organisation') {
      fail('MISSING_FIELD', `${path}/consumption`, 'a sub-unit or equipment gives its consumption or rated power, which decides whether it must be metered');
    }
    return {
      id: p.id,
      level,
      energyType,
      name: p.name,
      consumption,
      equipmentId: p.equipmentId ?? null,
      weighing: p.weighing ?? null,
      pipeDn: p.pipeDn ?? null,
    };
  });
  return { organisationId, electricityUserClass: i.electricityUserClass ?? null, points };
}

/** An inventory from untrusted JSON (the CLI's file, a data set, a stored version). */
export const readInventory = (raw: unknown, organisationId: string, rules: EnergyRules): Inventory =>
  toInventory(readContract(InventoryInput, raw), organisationId, rules);

/** What an audit is asked for: the organisation, the day, and the audit's id. */
export interface AuditRequest {
  readonly id: string;
  readonly organisationId: string;
  readonly at: CalendarDate;
}

export function toAuditRequest(i: AuditInputShape, newId: NewId): AuditRequest {
  return { id: i.id ?? newId(), organisationId: i.organisationId, at: parseDate(i.at, '/at') };
}

export const readAuditRequest = (raw: unknown, newId: NewId): AuditRequest => toAuditRequest(readContract(AuditInput, raw), newId);

export function writeInventory(inv: Inventory) {
  return {
    organisationId: inv.organisationId,
    electricityUserClass: inv.electricityUserClass,
    points: inv.points.map((p) => ({
      id: p.id,
      level: p.level,
      energyType: p.energyType,
      name: p.name,
      consumption: p.consumption && { value: toText(p.consumption.value), unit: p.consumption.unit },
      equipmentId: p.equipmentId,
      weighing: p.weighing,
      pipeDn: p.pipeDn,
    })),
  };
}

export function writeAudit(id: string, inventoryVersion: number, a: EnergyAudit) {
  return {
    id,
    organisationId: a.organisationId,
    at: a.at,
    rulesVersion: a.rulesVersion,
    inventoryVersion,
    verdict: a.verdict,
    rates: a.rates.map((r) => ({ ...r, rate: r.rate && toText(r.rate.toDecimalPlaces(4)), requiredRate: r.requiredRate && toText(r.requiredRate) })),
    points: a.points.map((p) => ({ ...p })),
    findings: a.findings.map((f) => ({ ...f })),
  };
}
export type WireAudit = ReturnType<typeof writeAudit>;
