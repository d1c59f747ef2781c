/**
 * The national rules for equipping energy-using organisations with energy
 * meters (GB 17167-2006) as values: required equipping rates per metering
 * level and energy type, the thresholds that make a sub-unit or a piece of
 * equipment "major", and the required accuracy grades. codecs/energy-rules.ts
 * reads them from fixtures/reference/, where each number keeps its source and
 * confidence flag.
 */
import type { Decimal } from '../numeric/decimal.ts';

/** The energy types of the equipping-rate table, one per row. */
export const ENERGY_TYPES = [
  'electricity',
  'coal',
  'coke',
  'crude_oil',
  'refined_oil',
  'heavy_oil',
  'residual_oil',
  'natural_gas',
  'lpg',
  'coal_gas',
  'steam',
  'water',
  'waste_energy',
] as const;
export type EnergyType = (typeof ENERGY_TYPES)[number];

/**
 * The three metering levels: energy entering or leaving the organisation (一级),
 * a major secondary energy-using unit (二级), a major energy-using equipment (三级).
 */
export const METERING_LEVELS = ['organisation', 'sub_unit', 'equipment'] as const;
export type MeteringLevel = (typeof METERING_LEVELS)[number];

export const ELECTRICITY_USER_CLASSES = ['I', 'II', 'III', 'IV', 'V'] as const;
export type ElectricityUserClass = (typeof ELECTRICITY_USER_CLASSES)[number];

/** A number of the rules with where it comes from. */
export interface Sourced<T> {
  readonly value: T;
  /** The table or clause of the standard, in words. */
  readonly clause: string;
  readonly confidence: string;
}

export interface Threshold {
  readonly value: Decimal;
  readonly unit: string;
}

/** What decides the required accuracy grade of a meter at the organisation's boundary. */
export type AccuracyRule =
  | { readonly kind: 'fixed'; readonly grade: string }
  | { readonly kind: 'by_user_class'; readonly grades: Readonly<Record<ElectricityUserClass, string>> }
  | { readonly kind: 'by_weighing'; readonly static: string; readonly dynamic: string }
  | { readonly kind: 'by_pipe_size'; readonly upTo250: string; readonly above250: string };

export interface EnergyRules {
  /** e.g. "GB 17167-2006". */
  readonly version: string;
  readonly title: string;
  /** Required equipping rate in percent, per energy type and level; null where the standard sets none. */
  readonly rates: ReadonlyMap<EnergyType, Readonly<Record<MeteringLevel, Sourced<Decimal | null>>>>;
  readonly majorSubUnit: ReadonlyMap<EnergyType, Sourced<Threshold>>;
  readonly majorEquipment: ReadonlyMap<EnergyType, Sourced<Threshold>>;
  /** Required accuracy of meters at the organisation's boundary, where the standard sets one. */
  readonly accuracy: ReadonlyMap<EnergyType, Sourced<AccuracyRule>>;
}
