/**
 * The DCC sidecar (format "metrotrace.dcc-sidecar/1"): a JSON document handed
 * over with a DCC that carries the result's relative standard uncertainty and
 * its signed components keyed by the influences behind it (each calibration
 * of each standard of its chain), so that a downstream lab keeps the
 * correlation with other results that share those standards.
 */
import { fail } from '../core/errors.ts';
import { type Decimal, parseDecimal, toText } from '../core/numeric/decimal.ts';
import type { ComponentSet } from '../core/uncertainty/shared-components.ts';
import { ObjectReader } from './reader.ts';

export const SIDECAR_FORMAT = 'metrotrace.dcc-sidecar/1';

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

export function readSidecar(raw: unknown, path: string): Sidecar {
  const r = ObjectReader.of(raw, path, 'a DCC sidecar');
  const format = r.string('format');
  if (format !== SIDECAR_FORMAT) fail('INVALID_FIELD', r.at('format'), `the sidecar format is "${SIDECAR_FORMAT}", got "${format}"`);
  const certificateNo = r.string('certificateNo', { max: 100 });
  const relativeStandardUncertainty = r.decimal('relativeStandardUncertainty');
  const seen = new Set<string>();
  const components = r.array('components', { max: 1000 }).map((c, i) => {
    const cr = ObjectReader.of(c, `${path}/components/${i}`, 'a component');
    const influence = cr.string('influence', { max: 300 });
    if (seen.has(influence)) fail('DUPLICATE', cr.at('influence'), `influence '${influence}' appears twice`);
    seen.add(influence);
    const item = {
      influence,
      equipmentId: cr.string('equipmentId', { max: 64 }),
      level: cr.optionalString('level', { max: 64 }),
      component: parseDecimal(cr.value('component'), cr.at('component')),
    };
    cr.done();
    return item;
  });
  r.done();
  if (relativeStandardUncertainty.isNegative()) fail('NEGATIVE_UNCERTAINTY', `${path}/relativeStandardUncertainty`, 'an uncertainty is never negative');
  return { certificateNo, relativeStandardUncertainty, components };
}

export function componentSet(s: Sidecar): ComponentSet {
  return { u: s.relativeStandardUncertainty, components: new Map(s.components.map((c) => [c.influence, c.component])) };
}
