/**
 * The contracts of energy metering (GB 17167): an organisation's metering
 * inventory, an audit request and the audit as published. One description for
 * the HTTP bodies and responses (and so the OpenAPI document), the CLI's
 * inventory file and the data sets' inventories; the codec (../energy.ts)
 * turns a shape that passed it into domain values and back.
 */
import { type Static, Type } from '@sinclair/typebox';
import { AUDIT_FINDINGS } from '../../core/energy/audit.ts';
import { ELECTRICITY_USER_CLASSES, ENERGY_TYPES, METERING_LEVELS } from '../../core/energy/rules.ts';
import { CalendarDateString, DecimalString, Enum, Id, Nullable, Text } from './common.ts';

export const MeteringLevel = Enum(METERING_LEVELS, 'organisation (entry/exit), sub_unit (secondary unit), equipment (energy-using equipment)');
export const EnergyType = Enum(ENERGY_TYPES);
const Weighing = Enum(['static', 'dynamic'] as const, 'for coal and coke at the boundary: static or dynamic weighing');

const ConsumptionInput = Type.Object(
  { value: DecimalString, unit: Text(16, 'the unit of the threshold it is compared with (e.g. kW, tce/a)') },
  { additionalProperties: false, description: 'the consumption or rated power that decides whether a sub-unit or equipment is major' },
);

export const MeteringPointInput = Type.Object(
  {
    id: Id,
    level: MeteringLevel,
    energyType: EnergyType,
    name: Text(300),
    consumption: Type.Optional(Nullable(ConsumptionInput)),
    equipmentId: Type.Optional(Nullable(Id)),
    weighing: Type.Optional(Nullable(Weighing)),
    pipeDn: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 5000, description: 'for water at the boundary: the nominal pipe size (DN, mm)' }))),
  },
  { additionalProperties: false },
);

export const InventoryInput = Type.Object(
  {
    electricityUserClass: Type.Optional(Nullable(Enum(ELECTRICITY_USER_CLASSES, 'DL/T 448 user class of the electricity supply'))),
    points: Type.Array(MeteringPointInput, { maxItems: 100_000 }),
  },
  { additionalProperties: false },
);

/** A version of an inventory as answered (codecs/energy.ts writeInventory). */
export const Inventory = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  organisationId: Type.String(),
  electricityUserClass: Nullable(Type.String()),
  points: Type.Array(
    Type.Object({
      id: Type.String(),
      level: Type.String(),
      energyType: Type.String(),
      name: Type.String(),
      consumption: Nullable(Type.Object({ value: Type.String(), unit: Type.String() })),
      equipmentId: Nullable(Type.String()),
      weighing: Nullable(Type.String()),
      pipeDn: Nullable(Type.Integer()),
    }),
  ),
});

export const AuditInput = Type.Object({ id: Type.Optional(Id), organisationId: Id, at: CalendarDateString }, { additionalProperties: false });

const FINDING_CODES = Object.keys(AUDIT_FINDINGS) as Array<keyof typeof AUDIT_FINDINGS>;

/** An audit as stored and published (codecs/energy.ts writeAudit): decimals as strings. */
export const Audit = Type.Object({
  id: Type.String(),
  organisationId: Type.String(),
  at: Type.String(),
  rulesVersion: Type.String(),
  inventoryVersion: Type.Integer(),
  verdict: Enum(['compliant', 'non_compliant'] as const, 'compliant only without a nonconformity'),
  rates: Type.Array(
    Type.Object({
      level: MeteringLevel,
      energyType: EnergyType,
      required: Type.Integer({ description: 'metering points the rules require (Nl)' }),
      installed: Type.Integer({ description: 'of those, points with a meter (Ns)' }),
      rate: Nullable(Type.String({ description: 'Ns / Nl × 100 in percent; null when nothing is required' })),
      requiredRate: Nullable(Type.String()),
      meets: Nullable(Type.Boolean()),
      rule: Type.String(),
    }),
  ),
  points: Type.Array(Type.Object({ pointId: Type.String(), required: Type.Boolean(), reason: Type.String() })),
  findings: Type.Array(
    Type.Object({
      code: Enum(FINDING_CODES, FINDING_CODES.map((c) => `${c}: ${AUDIT_FINDINGS[c]}`).join('; ')),
      severity: Enum(['nonconformity', 'observation'] as const),
      level: MeteringLevel,
      energyType: EnergyType,
      pointId: Nullable(Type.String()),
      equipmentId: Nullable(Type.String()),
      rule: Type.String(),
      message: Type.String(),
    }),
  ),
});

export type InventoryInputShape = Static<typeof InventoryInput>;
export type AuditInputShape = Static<typeof AuditInput>;
