/** A CSV file's bytes: UTF-8 with or without BOM, GB18030 when not UTF-8, then RFC 4180 rows numbered as a spreadsheet numbers them. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { csvRows, decodeText } from '../../src/codecs/text-table.ts';
import { MetrologyError } from '../../src/core/errors.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);
/** 器具,质量\n in GB18030 (as iconv writes it). */
const GB = Uint8Array.from([0xc6, 0xf7, 0xbe, 0xdf, 0x2c, 0xd6, 0xca, 0xc1, 0xbf, 0x0a]);

const decode = suite('decodeText');

decode('UTF-8 without a BOM', () => {
  assert.equal(decodeText(utf8('器具,质量\n')), { text: '器具,质量\n', encoding: 'utf-8' });
  assert.equal(decodeText(new Uint8Array()), { text: '', encoding: 'utf-8' });
});

decode('a UTF-8 byte-order mark is dropped and named', () => {
  assert.equal(decodeText(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8('id\n')])), { text: 'id\n', encoding: 'utf-8-bom' });
  assert.equal(decodeText(utf8('\ufeffid\n')).encoding, 'utf-8-bom');
  assert.equal(decodeText(utf8('i\ufeffd')), { text: 'i\ufeffd', encoding: 'utf-8' });
});

decode('bytes that are not UTF-8 are read as GB18030', () => {
  assert.equal(decodeText(GB), { text: '器具,质量\n', encoding: 'gb18030' });
});

const rows = suite('csvRows');

rows('rows numbered from 1, quoted fields as RFC 4180 reads them', () => {
  assert.equal(csvRows(utf8('id,name\r\ns-1,"Scale, ""A"""\r\n')), [
    { number: 1, cells: ['id', 'name'] },
    { number: 2, cells: ['s-1', 'Scale, "A"'] },
  ]);
  assert.equal(csvRows(GB), [{ number: 1, cells: ['器具', '质量'] }]);
});

rows('an unclosed quote is INVALID_FIELD at /file', () => {
  try {
    csvRows(utf8('id,name\ns-1,"open\n'));
    assert.unreachable('accepted');
  } catch (e) {
    assert.instance(e, MetrologyError);
    assert.is((e as MetrologyError).code, 'INVALID_FIELD');
    assert.is((e as MetrologyError).path, '/file');
  }
});

decode.run();
rows.run();
