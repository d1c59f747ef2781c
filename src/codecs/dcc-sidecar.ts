/**
 * The DCC sidecar (format "metrotrace.dcc-sidecar/1"): a JSON document handed
 * over with a DCC that carries the result's relative standard uncertainty and
 * its signed components keyed by the influences behind it (each calibration
 * of each standard of its chain), so that a downstream lab keeps the
 * correlation with other results that share those standards. Its structure
 * is its contract (contracts/dcc.ts).
 */
import { fail } from '../core/errors.ts';
import { type Decimal, parseDecimal, toText } from '../core/numeric/decimal.ts';
import type { ComponentSet } from '../core/uncertainty/shared-components.ts';
import { readContract } from './contracts/read.ts';
import { SIDECAR_FORMAT, SidecarInput, type SidecarInputShape } from './contracts/dcc.ts';

export { SIDECAR_FORMAT } from './contracts/dcc.ts';

export interface Sidecar {
  readonly certificateNo: string;
  readonly relativeStandardUncertainty: Decimal;
  readonly components: ReadonlyArray<{ readonly influence: string; readonly equipmentId: string; readonly level: string | null; readonly component: Decimal }>;
}

export function writeSidecar(s: Sidecar) {
  return {
    format: SIDECAR_FORMAT,
    certificateNo: s.certificateNo,
    relativeStandardUncertainty: toText(s.relativeStandardUncertainty),
    components: s.components.map((c) => ({ influence: c.influence, equipmentId: c.equipmentId, level: c.level, component: toText(c.component) })),
  };
}

/** A sidecar that kept its contract: no influence twice, the uncertainty not negative. */
export function toSidecar(i: SidecarInputShape, path: string): Sidecar {
  const seen = new Set<string>();
  const components = i.components.map((c, n) => {
    if (seen.has(c.influence)) fail('DUPLICATE', `${path}/components/${n}/influence`, `influence '${c.influence}' appears twice`);
    seen.add(c.influence);
    return {
      influence: c.influence,
      equipmentId: c.equipmentId,
      level: c.level ?? null,
      component: parseDecimal(c.component, `${path}/components/${n}/component`),
    };
  });
  const relativeStandardUncertainty = parseDecimal(i.relativeStandardUncertainty, `${path}/relativeStandardUncertainty`);
  if (relativeStandardUncertainty.isNegative()) fail('NEGATIVE_UNCERTAINTY', `${path}/relativeStandardUncertainty`, 'an uncertainty is never negative');
  return { certificateNo: i.certificateNo, relativeStandardUncertainty, components };
}

/** A sidecar from JSON no validator has seen (a stored one, a file given to the command line), its pointers under `path`. */
export const readSidecar = (raw: unknown, path: string): Sidecar => toSidecar(readContract(SidecarInput, raw, path), path);

export function componentSet(s: Sidecar): ComponentSet {
  return { u: s.relativeStandardUncertainty, components: new Map(s.components.map((c) => [c.influence, c.component])) };
}
