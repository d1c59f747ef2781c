/**
 * The units the registry meets in measuring ranges, and exact conversion
 * between units of one dimension: enough to tell whether a lab's authorised
 * range (say 0–50 m³) covers an instrument's range (say 0–20 L), and to refuse
 * to compare a range in kg with one in m³.
 *
 * A unit is a dimension and an exact rational factor to the dimension's
 * coherent SI unit (num/den, both exact decimals, so 1 m³/h = 1/3600 m³/s is
 * never rounded), plus an offset for the temperature scales. A unit this table
 * does not know is comparable only with itself.
 *
 * @see SI Brochure, 9th edition (2019), tables 2, 4, 5 and 8 (non-SI units accepted for use with the SI)
 */
import { Decimal } from '../numeric/decimal.ts';

interface UnitDef {
  readonly dimension: string;
  /** value in the coherent unit = value × num / den + offset */
  readonly num: string;
  readonly den: string;
  readonly offset?: string;
}

const D = (dimension: string, num: string, den = '1', offset?: string): UnitDef => ({ dimension, num, den, ...(offset ? { offset } : {}) });

/** SI prefixes used with the units below (case matters: m milli, M mega). */
const PREFIXES: Readonly<Record<string, string>> = { n: '1e-9', u: '1e-6', µ: '1e-6', μ: '1e-6', m: '1e-3', c: '1e-2', h: '1e2', k: '1e3', M: '1e6', G: '1e9' };

/** Base spellings, each combinable with the prefixes unless listed in NO_PREFIX. */
const BASE: Readonly<Record<string, UnitDef>> = {
  g: D('mass', '1e-3'),
  t: D('mass', '1e3'),
  m: D('length', '1'),
  m3: D('volume', '1'),
  'm³': D('volume', '1'),
  L: D('volume', '1e-3'),
  l: D('volume', '1e-3'),
  'm3/h': D('volume_flow', '1', '3600'),
  'm³/h': D('volume_flow', '1', '3600'),
  'm3/s': D('volume_flow', '1'),
  'L/min': D('volume_flow', '1e-3', '60'),
  'L/h': D('volume_flow', '1e-3', '3600'),
  'L/s': D('volume_flow', '1e-3'),
  'kg/h': D('mass_flow', '1', '3600'),
  't/h': D('mass_flow', '1e3', '3600'),
  Pa: D('pressure', '1'),
  bar: D('pressure', '1e5'),
  J: D('energy', '1'),
  Wh: D('energy', '3600'),
  W: D('power', '1'),
  var: D('reactive_power', '1'),
  A: D('current', '1'),
  V: D('voltage', '1'),
  ohm: D('resistance', '1'),
  Ω: D('resistance', '1'),
  Hz: D('frequency', '1'),
  s: D('time', '1'),
  min: D('time', '60'),
  h: D('time', '3600'),
  N: D('force', '1'),
  'N.m': D('torque', '1'),
  N·m: D('torque', '1'),
  Nm: D('torque', '1'),
  K: D('temperature', '1'),
  degC: D('temperature', '1', '1', '273.15'),
  '°C': D('temperature', '1', '1', '273.15'),
  'm/s': D('velocity', '1'),
  'km/h': D('velocity', '1000', '3600'),
  dB: D('sound_level', '1'),
  '1': D('ratio', '1'),
  '%': D('ratio', '1', '100'),
  '%RH': D('relative_humidity', '1'),
  '%LEL': D('lel_fraction', '1'),
  lx: D('illuminance', '1'),
  'kg/m3': D('density', '1'),
  'g/cm3': D('density', '1000'),
};

const NO_PREFIX = new Set([
  't',
  'm3',
  'm³',
  'm3/h',
  'm³/h',
  'm3/s',
  'L/min',
  'L/h',
  'L/s',
  'kg/h',
  't/h',
  'bar',
  'min',
  'h',
  'N.m',
  'N·m',
  'Nm',
  'K',
  'degC',
  '°C',
  'm/s',
  'km/h',
  'dB',
  '1',
  '%',
  '%RH',
  '%LEL',
  'lx',
  'kg/m3',
  'g/cm3',
  'Wh',
]);

/** Prefixed energy units in use on meters (kWh, MWh) are spelled out: "Wh" takes no generic prefix above. */
const EXTRA: Readonly<Record<string, UnitDef>> = {
  kWh: D('energy', '3.6e6'),
  MWh: D('energy', '3.6e9'),
  kvarh: D('reactive_energy', '3.6e6'),
  varh: D('reactive_energy', '3600'),
  mbar: D('pressure', '100'),
  kgf: D('force', '9.80665'),
  'mL/min': D('volume_flow', '1e-6', '60'),
  'mL/h': D('volume_flow', '1e-6', '3600'),
};

/** Other spellings of the same unit, after NFKC (which already turns ℃ into °C and Ω into Ω). */
const ALIASES: Readonly<Record<string, string>> = { kW·h: 'kWh', 'kW.h': 'kWh', W·h: 'Wh', MW·h: 'MWh', Ω: 'ohm', Ohm: 'ohm', 'm^3': 'm3', 'm^3/h': 'm3/h' };

function spelled(unit: string): string {
  const u = unit.normalize('NFKC').trim();
  return ALIASES[u] ?? u;
}

function lookup(unit: string): UnitDef | null {
  const u = spelled(unit);
  const direct = BASE[u] ?? EXTRA[u];
  if (direct) return direct;
  for (const [p, factor] of Object.entries(PREFIXES)) {
    if (!u.startsWith(p)) continue;
    const base = BASE[u.slice(p.length)];
    if (base && !NO_PREFIX.has(u.slice(p.length))) return { ...base, num: new Decimal(base.num).times(factor).toString() };
  }
  return null;
}

/** The dimension of a unit, or null when this table does not know it. */
export function dimensionOf(unit: string): string | null {
  return lookup(unit)?.dimension ?? null;
}

/** Whether values in unit `a` and in unit `b` can be compared (the same unit, or convertible). */
export function comparableUnits(a: string, b: string): boolean {
  if (spelled(a) === spelled(b)) return true;
  const x = lookup(a);
  const y = lookup(b);
  return x !== null && y !== null && x.dimension === y.dimension;
}

/** Whether a unit is an interval scale with an offset (°C): a value in it is not a magnitude, so no ratio of it means anything. */
export function hasOffset(unit: string): boolean {
  return lookup(unit)?.offset !== undefined;
}

/**
 * Compares `a` (in unit `ua`) with `b` (in unit `ub`) exactly: −1, 0 or 1.
 * A `difference` (an uncertainty, an error, a tolerance) converts without the
 * scale's offset: 1 °C of uncertainty is 1 K, while 25 °C is 298.15 K. Only for
 * comparable units (see comparableUnits); throws otherwise, as a caller that
 * compares kg with m³ has a bug.
 */
export function compareQuantities(a: Decimal, ua: string, b: Decimal, ub: string, opts: { readonly difference?: boolean } = {}): -1 | 0 | 1 {
  if (spelled(ua) === spelled(ub)) return a.comparedTo(b) as -1 | 0 | 1;
  const x = lookup(ua);
  const y = lookup(ub);
  if (!x || !y || x.dimension !== y.dimension) throw new Error(`internal: '${ua}' and '${ub}' are not comparable`);
  const offset = (d: UnitDef) => (opts.difference ? new Decimal(0) : new Decimal(d.offset ?? '0'));
  // a·nx/dx + ox  vs  b·ny/dy + oy, multiplied through by dx·dy (> 0): exact
  const left = a.times(x.num).times(y.den).plus(offset(x).times(x.den).times(y.den));
  const right = b.times(y.num).times(x.den).plus(offset(y).times(x.den).times(y.den));
  return left.comparedTo(right) as -1 | 0 | 1;
}
