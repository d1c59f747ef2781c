/** Printed identifiers compared as people type them, and look-alikes refused where they are written. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MetrologyError } from '../../../src/core/errors.ts';
import { checkIdentifier, identifierKey, LOOKALIKE_LETTERS } from '../../../src/core/registry/identifier.ts';

/** Typed forms of one certificate number, and look-alikes that are other numbers. */
const SAME = [
  'XH-JD2026-00317',
  'xh-jd2026-00317',
  ' XH-JD2026-00317 ',
  'XH-JD 2026-00317',
  'ＸＨ－ＪＤ２０２６－００３１７',
  'XH-JD2026-00317\u3000',
  '\u00a0XH-JD2026-00317',
  'Xh-Jd2026\t-00317\n',
  '\ufeffXH-JD2026-00317',
];
const CHINESE = ['[2022]沪徐量标证字第0014号', '［２０２２］沪徐量标证字第００１４号', '[2022] 沪徐量标证字 第0014号'];
const OTHER = ['XH-JD2026-00318', 'XH_JD2026-00317', 'XH-JD2026-0317'];

const it = suite('identifier key');

it('case, surrounding and inner spaces and full-width forms do not make another number', () => {
  for (const s of SAME) assert.is(identifierKey(s), 'XH-JD2026-00317', JSON.stringify(s));
  for (const s of CHINESE) assert.is(identifierKey(s), '[2022]沪徐量标证字第0014号', s);
  for (const s of OTHER) assert.is.not(identifierKey(s), 'XH-JD2026-00317', s);
});

it('a number written in Cyrillic or Greek letters drawn like Latin ones is the Latin number', () => {
  // Cyrillic Х, Н, Ј, Д is not a look-alike (Д): only the letters of the table are read as Latin
  assert.is(identifierKey('\u0425\u041d-JD2026-00317'), 'XH-JD2026-00317', 'Cyrillic ХН');
  assert.is(identifierKey('\u03a7\u0397-JD2026-00317'), 'XH-JD2026-00317', 'Greek ΧΗ');
  assert.is(identifierKey('\u0445\u04bb-jd2026-00317'), 'XH-JD2026-00317', 'Cyrillic small х һ');
  assert.is.not(identifierKey('\u0425\u0414-1'), identifierKey('XD-1'), 'Д does not look like D');
  for (const [letter, latin, name] of LOOKALIKE_LETTERS) {
    assert.is(identifierKey(letter), latin, name);
    assert.is(letter.normalize('NFKC'), letter, `${name} is NFKC-stable, so the key meets it`);
    assert.ok(/^[A-Z]$/.test(latin), name);
  }
});

const check = suite('refusing look-alike identifiers (Unicode TR 39)');

function refused(text: string): MetrologyError {
  try {
    checkIdentifier(text, '/certificateNo', 'the certificate number');
  } catch (e) {
    assert.instance(e, MetrologyError);
    const err = e as MetrologyError;
    assert.is(err.code, 'CONFUSABLE_IDENTIFIER', err.message);
    assert.is(err.path, '/certificateNo');
    return err;
  }
  throw new assert.Assertion({ message: `${JSON.stringify(text)} was accepted`, generated: false, operator: 'throws', expects: 'refused', actual: 'accepted' });
}

check('invisible and bidirectional-control characters are refused, named by code point and name', () => {
  const cases: Array<[string, RegExp]> = [
    ['XH-JD2026\u200b-00317', /U\+200B ZERO WIDTH SPACE \(an invisible character\) at character 10/],
    ['XH-JD2026-\u202e71300', /U\+202E RIGHT-TO-LEFT OVERRIDE \(a bidirectional-control character/],
    ['XH-JD2026-0031\u20667', /U\+2066 LEFT-TO-RIGHT ISOLATE \(a bidirectional-control/],
    ['\u200fXH-JD2026-00317', /U\+200F RIGHT-TO-LEFT MARK/],
    ['XH-JD2026\u00ad-00317', /U\+00AD SOFT HYPHEN/],
    ['XH-JD2026\u2060-00317', /U\+2060 WORD JOINER/],
    ['\ufeffXH-JD2026-00317', /U\+FEFF ZERO WIDTH NO-BREAK SPACE/],
    ['XH-JD2026-00317\t', /U\+0009 CHARACTER TABULATION \(a control character\)/],
    ['XH-JD2026-00317\n', /U\+000A LINE FEED/],
    ['XH-JD2026\u2028-00317', /U\+2028 LINE SEPARATOR \(a line break\)/],
    ['XH-JD2026\u2029-00317', /U\+2029 PARAGRAPH SEPARATOR/],
    ['XH-JD2026\u3164-00317', /U\+3164 HANGUL FILLER/],
    ['XH-JD2026\ue000-00317', /U\+E000 \(a private-use character/],
    ['XH-JD2026\u{e0041}-00317', /U\+E0041 \(an invisible character\)/],
  ];
  for (const [text, message] of cases) {
    const err = refused(text);
    assert.match(err.message, message, JSON.stringify(text));
    assert.not.match(
      err.message,
      /[\u200b\u202e\u2066\u200f\u00ad\u2060\ufeff\t\n\u2028\u2029\u3164]/,
      'the message shows the character as <U+…>, never the character itself',
    );
  }
  assert.match(refused('XH\u200bJD').message, /"XH<U\+200B>JD"/);
});

check('Latin mixed with Cyrillic or Greek is refused, naming the intruding letter', () => {
  assert.match(
    refused('\u0425H-JD2026-00317').message,
    /mixes Latin letters with Cyrillic ones, which look alike: U\+0425 CYRILLIC CAPITAL LETTER HA, drawn like Latin X, at character 1/,
  );
  assert.match(refused('XH-JD2026-00317\u0391').message, /U\+0391 GREEK CAPITAL LETTER ALPHA, drawn like Latin A, at character 16/);
  assert.match(refused('ＸＨ-JD2026-\u041e0317').message, /Cyrillic/, 'full-width Latin is Latin');
  assert.match(
    refused('\u0425\u041d\u0414-J').message,
    /mixes Cyrillic letters with Latin ones, which look alike: U\+004A "J", a Latin letter, at character 5/,
    'the fewer letters are the intruders',
  );
  assert.match(
    refused('\u0425\u0397-1').message,
    /mixes Cyrillic letters with Greek ones, which look alike: U\+0397 GREEK CAPITAL LETTER ETA, drawn like Latin H, at character 2/,
    'on a tie, the later script',
  );
  assert.match(refused('R-10\u2126').message, /U\+2126 "\u2126", a Greek letter, at character 5/, 'the ohm sign is a Greek letter: write "ohm"');
});

check('what is normal stays accepted', () => {
  for (const ok of [
    'XH-JD2026-00317',
    '[2022]沪徐量标证字第0014号',
    '［２０２２］沪徐量标证字第００１４号',
    '[2022] 沪徐量标证字 第0014号',
    'SIMT-LL2026-0310',
    'XH JD2026 00317',
    'XH\u00a0JD2026\u300000317',
    'C-10µF', // the micro sign is common to all scripts
    '\u0425\u041d-2026-1', // wholly Cyrillic: accepted, and the key reads it as XH-2026-1
    'ΑΒΓ-1',
    '沪计量 A-17 号',
  ]) {
    assert.is(checkIdentifier(ok, '/certificateNo', 'the certificate number'), ok, ok);
  }
});

it.run();
check.run();
