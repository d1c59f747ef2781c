/**
 * Printed identifiers (certificate numbers, asset codes) as people type them
 * back. A certificate number is printed once and then read off a label, typed
 * on a phone or copied from a scan: "xh-jd2026-00317", " XH-JD2026-00317 " and
 * "ＸＨ－ＪＤ２０２６－００３１７" (full-width) are the same certificate. The
 * registry stores the number as it was written and compares, and enforces
 * uniqueness, on its key: Unicode NFKC (full-width forms become ASCII), every
 * white-space character removed, the Cyrillic and Greek letters drawn like a
 * Latin one read as that Latin letter, ASCII letters upper-cased.
 *
 * A number that only looks like another is refused where it is written
 * (checkIdentifier, Unicode TR 39): invisible and bidirectional-control
 * characters, and letters of two of the scripts whose letters pass for each
 * other (Latin, Cyrillic, Greek). "[2022]沪徐量标证字第0014号" (Chinese with
 * Latin-script digits) is one script plus common characters and is fine. A
 * number written wholly in Cyrillic or Greek look-alikes ("ХН-1" in Cyrillic)
 * passes that check, so the key reads it as Latin: it is the same number as
 * "XH-1", and a registry holding one cannot take the other.
 *
 * The database computes the same key with `metrotrace_identifier_key(text)`
 * (migrations 0020 and 0022) for its unique indexes and lookups; a test holds
 * the two to the same answers.
 */
import { fail } from '../errors.ts';

/**
 * White space removed from a key: ASCII space and controls \t \n \v \f \r,
 * and every Unicode White_Space character NFKC leaves standing
 * (U+0085, U+1680, U+2028, U+2029) plus U+FEFF. The other Unicode spaces
 * (U+00A0, U+2000–U+200A, U+202F, U+205F, U+3000) become U+0020 under NFKC.
 */
const SPACE = /[\t\n\v\f\r \u0085\u1680\u2028\u2029\ufeff]/g;

/**
 * Cyrillic and Greek letters whose TR 39 prototype (confusables.txt) is one
 * Latin letter, with the capital the key reads them as, and their names. Only
 * letters NFKC leaves as they are (the key normalises first). Where the
 * prototype is "l" (І, Ι, Ӏ, drawn like a capital I) the key reads I: it keeps
 * I and l apart, as ASCII does.
 */
export const LOOKALIKE_LETTERS: ReadonlyArray<readonly [letter: string, latin: string, name: string]> = [
  ['\u037f', 'J', 'GREEK CAPITAL LETTER YOT'],
  ['\u0391', 'A', 'GREEK CAPITAL LETTER ALPHA'],
  ['\u0392', 'B', 'GREEK CAPITAL LETTER BETA'],
  ['\u0395', 'E', 'GREEK CAPITAL LETTER EPSILON'],
  ['\u0396', 'Z', 'GREEK CAPITAL LETTER ZETA'],
  ['\u0397', 'H', 'GREEK CAPITAL LETTER ETA'],
  ['\u0399', 'I', 'GREEK CAPITAL LETTER IOTA'],
  ['\u039a', 'K', 'GREEK CAPITAL LETTER KAPPA'],
  ['\u039c', 'M', 'GREEK CAPITAL LETTER MU'],
  ['\u039d', 'N', 'GREEK CAPITAL LETTER NU'],
  ['\u039f', 'O', 'GREEK CAPITAL LETTER OMICRON'],
  ['\u03a1', 'P', 'GREEK CAPITAL LETTER RHO'],
  ['\u03a4', 'T', 'GREEK CAPITAL LETTER TAU'],
  ['\u03a5', 'Y', 'GREEK CAPITAL LETTER UPSILON'],
  ['\u03a7', 'X', 'GREEK CAPITAL LETTER CHI'],
  ['\u03b1', 'A', 'GREEK SMALL LETTER ALPHA'],
  ['\u03b3', 'Y', 'GREEK SMALL LETTER GAMMA'],
  ['\u03b9', 'I', 'GREEK SMALL LETTER IOTA'],
  ['\u03bd', 'V', 'GREEK SMALL LETTER NU'],
  ['\u03bf', 'O', 'GREEK SMALL LETTER OMICRON'],
  ['\u03c1', 'P', 'GREEK SMALL LETTER RHO'],
  ['\u03c3', 'O', 'GREEK SMALL LETTER SIGMA'],
  ['\u03c5', 'U', 'GREEK SMALL LETTER UPSILON'],
  ['\u03dc', 'F', 'GREEK LETTER DIGAMMA'],
  ['\u03f3', 'J', 'GREEK LETTER YOT'],
  ['\u03fa', 'M', 'GREEK CAPITAL LETTER SAN'],
  ['\u0405', 'S', 'CYRILLIC CAPITAL LETTER DZE'],
  ['\u0406', 'I', 'CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I'],
  ['\u0408', 'J', 'CYRILLIC CAPITAL LETTER JE'],
  ['\u0410', 'A', 'CYRILLIC CAPITAL LETTER A'],
  ['\u0412', 'B', 'CYRILLIC CAPITAL LETTER VE'],
  ['\u0415', 'E', 'CYRILLIC CAPITAL LETTER IE'],
  ['\u041a', 'K', 'CYRILLIC CAPITAL LETTER KA'],
  ['\u041c', 'M', 'CYRILLIC CAPITAL LETTER EM'],
  ['\u041d', 'H', 'CYRILLIC CAPITAL LETTER EN'],
  ['\u041e', 'O', 'CYRILLIC CAPITAL LETTER O'],
  ['\u0420', 'P', 'CYRILLIC CAPITAL LETTER ER'],
  ['\u0421', 'C', 'CYRILLIC CAPITAL LETTER ES'],
  ['\u0422', 'T', 'CYRILLIC CAPITAL LETTER TE'],
  ['\u0423', 'Y', 'CYRILLIC CAPITAL LETTER U'],
  ['\u0425', 'X', 'CYRILLIC CAPITAL LETTER HA'],
  ['\u0430', 'A', 'CYRILLIC SMALL LETTER A'],
  ['\u0433', 'R', 'CYRILLIC SMALL LETTER GHE'],
  ['\u0435', 'E', 'CYRILLIC SMALL LETTER IE'],
  ['\u043e', 'O', 'CYRILLIC SMALL LETTER O'],
  ['\u0440', 'P', 'CYRILLIC SMALL LETTER ER'],
  ['\u0441', 'C', 'CYRILLIC SMALL LETTER ES'],
  ['\u0443', 'Y', 'CYRILLIC SMALL LETTER U'],
  ['\u0445', 'X', 'CYRILLIC SMALL LETTER HA'],
  ['\u0455', 'S', 'CYRILLIC SMALL LETTER DZE'],
  ['\u0456', 'I', 'CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I'],
  ['\u0458', 'J', 'CYRILLIC SMALL LETTER JE'],
  ['\u0461', 'W', 'CYRILLIC SMALL LETTER OMEGA'],
  ['\u0474', 'V', 'CYRILLIC CAPITAL LETTER IZHITSA'],
  ['\u0475', 'V', 'CYRILLIC SMALL LETTER IZHITSA'],
  ['\u04ae', 'Y', 'CYRILLIC CAPITAL LETTER STRAIGHT U'],
  ['\u04af', 'Y', 'CYRILLIC SMALL LETTER STRAIGHT U'],
  ['\u04bb', 'H', 'CYRILLIC SMALL LETTER SHHA'],
  ['\u04bd', 'E', 'CYRILLIC SMALL LETTER ABKHASIAN CHE'],
  ['\u04c0', 'I', 'CYRILLIC LETTER PALOCHKA'],
  ['\u04cf', 'I', 'CYRILLIC SMALL LETTER PALOCHKA'],
  ['\u0501', 'D', 'CYRILLIC SMALL LETTER KOMI DE'],
  ['\u050c', 'G', 'CYRILLIC CAPITAL LETTER KOMI SJE'],
  ['\u051b', 'Q', 'CYRILLIC SMALL LETTER QA'],
  ['\u051c', 'W', 'CYRILLIC CAPITAL LETTER WE'],
  ['\u051d', 'W', 'CYRILLIC SMALL LETTER WE'],
];

const AS_LATIN = new Map(LOOKALIKE_LETTERS.map(([letter, latin]) => [letter, latin]));
const LOOKALIKE = new RegExp(`[${LOOKALIKE_LETTERS.map(([l]) => l).join('')}]`, 'gu');

/** The comparison key of a printed identifier (see the module note). */
export function identifierKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(SPACE, '')
    .replace(LOOKALIKE, (c) => AS_LATIN.get(c)!)
    .replace(/[a-z]+/g, (s) => s.toUpperCase());
}

// ---- refusing look-alikes ---------------------------------------------------

/**
 * Characters that change a number without being seen: every code point of
 * general category C (Cc controls such as tab and line feed, Cf format
 * characters — the zero-width space and joiners, U+FEFF, and all the bidi
 * controls (Bidi_Control ⊂ Cf) —, Cs lone surrogates, Co private use, Cn
 * unassigned), the line and paragraph separators (Zl, Zp) and the other
 * Default_Ignorable_Code_Point characters (soft hyphen, Hangul fillers,
 * variation selectors, the combining grapheme joiner).
 */
const INVISIBLE = /[\p{C}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;
const BIDI_CONTROL = /\p{Bidi_Control}/u;

/** Names of the invisible characters people actually meet (Unicode names; a control's name alias). */
const INVISIBLE_NAMES: Readonly<Record<number, string>> = {
  0x00: 'NULL',
  0x09: 'CHARACTER TABULATION',
  0x0a: 'LINE FEED',
  0x0b: 'LINE TABULATION',
  0x0c: 'FORM FEED',
  0x0d: 'CARRIAGE RETURN',
  0x7f: 'DELETE',
  0x85: 'NEXT LINE',
  0xad: 'SOFT HYPHEN',
  0x34f: 'COMBINING GRAPHEME JOINER',
  0x61c: 'ARABIC LETTER MARK',
  0x115f: 'HANGUL CHOSEONG FILLER',
  0x1160: 'HANGUL JUNGSEONG FILLER',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2061: 'FUNCTION APPLICATION',
  0x2062: 'INVISIBLE TIMES',
  0x2063: 'INVISIBLE SEPARATOR',
  0x2064: 'INVISIBLE PLUS',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0x3164: 'HANGUL FILLER',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
  0xffa0: 'HALFWIDTH HANGUL FILLER',
};

/** The scripts whose letters pass for each other; an identifier's letters come from one of them at most. */
const CONFUSABLE_SCRIPTS = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
] as const;
type ConfusableScript = (typeof CONFUSABLE_SCRIPTS)[number][0];

const LETTER_NAMES = new Map(LOOKALIKE_LETTERS.map(([letter, latin, name]) => [letter, `${name}, drawn like Latin ${latin}`]));

function codePoint(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** What an invisible character is, for a person: its code point, name and kind. */
function describeInvisible(c: string): string {
  const cp = c.codePointAt(0)!;
  const name = INVISIBLE_NAMES[cp];
  const kind = BIDI_CONTROL.test(c)
    ? 'a bidirectional-control character, which changes the order the text around it is shown in'
    : /\p{Cc}/u.test(c)
      ? 'a control character'
      : /[\p{Zl}\p{Zp}]/u.test(c)
        ? 'a line break'
        : /\p{Co}/u.test(c)
          ? 'a private-use character, which has no agreed glyph'
          : /\p{Cn}/u.test(c)
            ? 'a code point Unicode has not assigned'
            : /\p{Cs}/u.test(c)
              ? 'half of a surrogate pair, which is not a character'
              : 'an invisible character';
  return `${codePoint(c)}${name ? ` ${name}` : ''} (${kind})`;
}

/** The text with each invisible character shown as <U+XXXX>, so a message can quote it. */
function visible(text: string): string {
  return [...text].map((c) => (INVISIBLE.test(c) ? `<${codePoint(c)}>` : c)).join('');
}

/**
 * Refuses a printed identifier that could pass for another (see the module
 * note) and returns it unchanged. `what` names it in the message ("the
 * certificate number"); `path` is the field's JSON pointer.
 * @throws MetrologyError CONFUSABLE_IDENTIFIER naming the character, its code point and name, and where it is
 */
export function checkIdentifier(text: string, path: string, what: string): string {
  const chars = [...text];
  const hidden = chars.findIndex((c) => INVISIBLE.test(c));
  if (hidden >= 0) {
    fail(
      'CONFUSABLE_IDENTIFIER',
      path,
      `${what} "${visible(text)}" holds ${describeInvisible(chars[hidden]!)} at character ${hidden + 1}; a printed number holds no invisible characters: type it again without it`,
    );
  }
  const letters = new Map<ConfusableScript, number[]>();
  chars.forEach((c, i) => {
    for (const [script, re] of CONFUSABLE_SCRIPTS) {
      if (re.test(c)) letters.set(script, [...(letters.get(script) ?? []), i]);
    }
  });
  if (letters.size > 1) {
    // the intruder: the script with fewer letters (on a tie, the one that comes in later)
    const [major, minor] = [...letters].sort((a, b) => b[1].length - a[1].length || a[1][0]! - b[1][0]!);
    const at = minor![1][0]!;
    const c = chars[at]!;
    const name = LETTER_NAMES.get(c) ?? `"${c}", a ${minor![0]} letter`;
    fail(
      'CONFUSABLE_IDENTIFIER',
      path,
      `${what} "${text}" mixes ${major![0]} letters with ${minor![0]} ones, which look alike: ${codePoint(c)} ${name}, at character ${at + 1}; write all its letters in one script`,
    );
  }
  return text;
}
