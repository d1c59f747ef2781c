/**
 * A verification scheme chart (检定系统表) as data: the hierarchy levels of one
 * quantity from the national primary standard down to working instruments, a
 * typical accuracy per level, how values are transferred between levels, and
 * the minimum accuracy ratio between a reference and what it calibrates.
 */
import type { Decimal } from '../numeric/decimal.ts';
import type { HierarchyLevel, QuantityKind } from '../registry/vocabulary.ts';

export type TypicalAccuracy =
  | { readonly kind: 'class'; readonly accuracyClass: string }
  | { readonly kind: 'mpe'; readonly mpe: Decimal; readonly unit: string }
  | { readonly kind: 'relative-mpe'; readonly relativeMpe: Decimal }
  | { readonly kind: 'expanded'; readonly expandedUncertainty: Decimal; readonly k: Decimal; readonly unit: string }
  | { readonly kind: 'relative-expanded'; readonly relativeExpandedUncertainty: Decimal; readonly k: Decimal };

export interface ChartLevel {
  readonly level: HierarchyLevel;
  readonly name: string;
  readonly typical: TypicalAccuracy;
}

export interface ChartTransfer {
  readonly from: HierarchyLevel;
  readonly to: HierarchyLevel;
  readonly method: string;
}

export interface VerificationChart {
  readonly quantity: QuantityKind;
  readonly alsoCovers: readonly QuantityKind[];
  readonly title: string;
  readonly titleZh: string | null;
  readonly modelledOn: string | null;
  readonly unit: string;
  readonly minimumAccuracyRatio: Decimal;
  readonly levels: readonly ChartLevel[];
  readonly transfers: readonly ChartTransfer[];
}

/** The chart that governs a quantity (its own, or one that also covers it). */
export function chartFor(charts: readonly VerificationChart[], quantity: QuantityKind): VerificationChart | undefined {
  return charts.find((c) => c.quantity === quantity) ?? charts.find((c) => c.alsoCovers.includes(quantity));
}
