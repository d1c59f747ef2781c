/**
 * Energy-metering inventories and audits on the wire. An inventory states its
 * consumptions in the unit of the threshold they are compared with, so that no
 * conversion is ever guessed; a wrong unit is an error naming the field and
 * the unit expected.
 */
import { ELECTRICITY_USER_CLASSES, ENERGY_TYPES, type EnergyRules, METERING_LEVELS } from '../core/energy/rules.ts';
import type { EnergyAudit, Inventory, MeteringPoint } from '../core/energy/audit.ts';
import { fail } from '../core/errors.ts';
import { toText } from '../core/numeric/decimal.ts';
import { ObjectReader } from './reader.ts';
import { ID_HINT, ID_PATTERN } from './registry.ts';

export function readInventory(raw: unknown, organisationId: string, rules: EnergyRules): Inventory {
  const r = ObjectReader.of(raw, '', 'an inventory object');
  const electricityUserClass = r.optionalOneOf('electricityUserClass', ELECTRICITY_USER_CLASSES);
  const list = r.array('points', { max: 100_000 });
  r.done();
  const ids = new Set<string>();
  const points = list.map((item, i): MeteringPoint => {
    const p = ObjectReader.of(item, `/points/${i}`, 'a metering point');
    const id = p.string('id', { pattern: ID_PATTERN, hint: ID_HINT });
    if (ids.has(id)) fail('DUPLICATE', `/points/${i}/id`, `metering point '${id}' appears twice`);
    ids.add(id);
    const level = p.oneOf('level', METERING_LEVELS);
    const energyType = p.oneOf('energyType', ENERGY_TYPES);
    const name = p.string('name', { max: 300 });
    const c = p.optionalObject('consumption');
    let consumption: MeteringPoint['consumption'] = null;
    if (c) {
      const value = c.decimal('value');
      if (value.isNegative()) fail('INVALID_FIELD', c.at('value'), 'a consumption is not negative');
      const unit = c.string('unit', { max: 16 });
      c.done();
      const limit = (level === 'sub_unit' ? rules.majorSubUnit : level === 'equipment' ? rules.majorEquipment : undefined)?.get(energyType);
      if (limit && unit !== limit.value.unit)
        fail(
          'INVALID_FIELD',
          c.at('unit'),
          `${energyType} at the ${level} level is compared with a threshold in ${limit.value.unit}; give the consumption in ${limit.value.unit}, not ${unit}`,
        );
      consumption = { value, unit };
    } else if (level !== 'organisation') {
      fail(
        'MISSING_FIELD',
        `/points/${i}/consumption`,
        'a sub-unit or equipment gives its consumption or rated power, which decides whether it must be metered',
      );
    }
    const equipmentId = p.optionalString('equipmentId', { pattern: ID_PATTERN, hint: ID_HINT });
    const weighing = p.optionalOneOf('weighing', ['static', 'dynamic'] as const);
    const pipeDn = p.optionalInteger('pipeDn', { min: 1, max: 5000 });
    p.done();
    return { id, level, energyType, name, consumption, equipmentId, weighing, pipeDn };
  });
  return { organisationId, electricityUserClass, points };
}

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
