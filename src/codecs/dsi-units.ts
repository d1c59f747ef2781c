/**
 * Units between the registry's unit strings and the D-SI unit strings of a
 * Digital Calibration Certificate (e.g. "kg" ⇄ "\kilogram", "degC" ⇄
 * "\degreeCelsius"), and the D-SI unit grammar: one or more
 * backslash-prefixed SI units, prefixes and \tothe{n} exponents.
 */
import { fail } from '../core/errors.ts';

const TO_DSI: Readonly<Record<string, string>> = {
  kg: '\\kilogram',
  g: '\\gram',
  mg: '\\milli\\gram',
  m: '\\metre',
  mm: '\\milli\\metre',
  um: '\\micro\\metre',
  degC: '\\degreeCelsius',
  '°C': '\\degreeCelsius',
  K: '\\kelvin',
  Pa: '\\pascal',
  kPa: '\\kilo\\pascal',
  MPa: '\\mega\\pascal',
  W: '\\watt',
  kW: '\\kilo\\watt',
  kWh: '\\kilo\\watt\\hour',
  A: '\\ampere',
  V: '\\volt',
  ohm: '\\ohm',
  Hz: '\\hertz',
  s: '\\second',
  N: '\\newton',
  L: '\\litre',
  m3: '\\metre\\tothe{3}',
  'm3/h': '\\metre\\tothe{3}\\hour\\tothe{-1}',
  '1': '\\one',
  '%': '\\percent',
};

const FROM_DSI: ReadonlyMap<string, string> = new Map(
  Object.entries(TO_DSI)
    .filter(([k]) => k !== '°C')
    .map(([k, v]) => [v, k]),
);

/** One D-SI unit term: a prefix and/or unit name, optionally raised to a power. */
const DSI_GRAMMAR = /^(\\[a-zA-Z]+(\\tothe\{-?\d+(\.\d+)?\})?)+$/;

export function isDsiUnit(text: string): boolean {
  return DSI_GRAMMAR.test(text);
}

/** The D-SI string of a registry unit. @throws INVALID_FIELD naming the path */
export function toDsi(unit: string, path: string): string {
  return TO_DSI[unit] ?? fail('INVALID_FIELD', path, `unit '${unit}' has no D-SI form here; use one of ${Object.keys(TO_DSI).join(', ')}`);
}

/** The registry unit of a D-SI string, or null when it is valid D-SI but not one the registry uses. */
export function fromDsi(dsi: string): string | null {
  return FROM_DSI.get(dsi) ?? null;
}
