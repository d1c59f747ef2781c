/**
 * A CSV file's bytes as rows: its text encoding found (UTF-8 with or without a
 * byte-order mark; GB18030, the superset of GBK that Excel in Chinese saves,
 * when the bytes are not valid UTF-8), then RFC 4180. Row numbers are those a
 * spreadsheet shows (the first record is row 1).
 */
import { fail } from '../core/errors.ts';
import { parseCsv } from './csv.ts';

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030';

export function decodeText(bytes: Uint8Array): { readonly text: string; readonly encoding: TextEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}

/** @throws INVALID_FIELD at /file when a quoted field is not closed */
export function csvRows(bytes: Uint8Array): Array<{ number: number; cells: string[] }> {
  let rows: string[][];
  try {
    rows = parseCsv(decodeText(bytes).text);
  } catch (e) {
    fail('INVALID_FIELD', '/file', `the file is not CSV as RFC 4180 writes it: ${(e as Error).message}`);
  }
  return rows.map((cells, i) => ({ number: i + 1, cells }));
}
