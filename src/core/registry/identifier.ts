/**
 * Printed identifiers (certificate numbers, asset codes) as people type them
 * back. A certificate number is printed once and then read off a label, typed
 * on a phone or copied from a scan: "xh-jd2026-00317", " XH-JD2026-00317 " and
 * "ＸＨ－ＪＤ２０２６－００３１７" (full-width) are the same certificate. The
 * registry stores the number as it was written and compares, and enforces
 * uniqueness, on its key: Unicode NFKC (full-width forms become ASCII), every
 * white-space character removed, ASCII letters upper-cased.
 *
 * The database computes the same key with `metrotrace_identifier_key(text)`
 * (migration 0020) for its unique indexes and lookups; a test holds the two to
 * the same answers.
 */

/**
 * White space removed from a key: ASCII space and controls \t \n \v \f \r,
 * and every Unicode White_Space character NFKC leaves standing
 * (U+0085, U+1680, U+2028, U+2029) plus U+FEFF. The other Unicode spaces
 * (U+00A0, U+2000–U+200A, U+202F, U+205F, U+3000) become U+0020 under NFKC.
 */
const SPACE = /[\t\n\v\f\r \u0085\u1680\u2028\u2029\ufeff]/g;

/** The comparison key of a printed identifier (see the module note). */
export function identifierKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(SPACE, '')
    .replace(/[a-z]+/g, (s) => s.toUpperCase());
}
