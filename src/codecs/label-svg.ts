/**
 * The label stuck on a verified instrument (合格证), or on a calibrated one
 * (校准标识), as an SVG to print at 80 × 50 mm: certificate number, valid
 * until, the lab, and a QR code that opens the public lookup for that
 * certificate. The QR matrix comes from `qrcode` (error correction M), drawn
 * here as rectangles, so the label is one self-contained vector image with no
 * script, no style sheet and no font file. Pure: a view in, a string out.
 */
import QRCode from 'qrcode';
import type { RecordKind } from '../core/registry/vocabulary.ts';
import { esc } from './svg.ts';

/** `s` cut to `units` half-width columns (a CJK or full-width character takes two), with an ellipsis when cut. */
export function fit(s: string, units: number): string {
  let used = 0;
  let out = '';
  for (const ch of s) {
    const w = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]|[\u{20000}-\u{3FFFD}]/u.test(ch) ? 2 : 1;
    if (used + w > units) return out + '…';
    used += w;
    out += ch;
  }
  return out;
}

export interface LabelSvgView {
  readonly recordKind: RecordKind;
  readonly certificateNo: string;
  readonly performedOn: string;
  readonly validUntil: string | null;
  readonly lab: string;
  readonly labelNo?: string | null;
  /** What the QR code holds: the lookup address of this certificate. */
  readonly lookupUrl: string;
}

/** `s` in at most `lines` lines of `units` columns, broken at spaces where it can; the last line cut with an ellipsis. */
export function wrap(s: string, units: number, lines: number): string[] {
  const out: string[] = [];
  let rest = s.trim();
  while (rest !== '' && out.length < lines - 1) {
    const head = fit(rest, units);
    if (!head.endsWith('…') || head.length > rest.length) {
      out.push(rest);
      return out;
    }
    const room = head.slice(0, -1);
    const space = room.lastIndexOf(' ');
    const cut = space > room.length / 2 ? space : room.length;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest !== '') out.push(fit(rest, units));
  return out;
}

/** The lookup address a label's QR code opens: `{origin}/lookup?q=<certificate number>`. */
export function lookupUrl(origin: string, certificateNo: string): string {
  return `${origin.replace(/\/+$/, '')}/lookup?q=${encodeURIComponent(certificateNo)}`;
}

/** The QR code of `text` as SVG rectangles in a square of `side` at (x, y), quiet zone included. */
export function qrRects(text: string, x: number, y: number, side: number): string {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const quiet = 4;
  const m = side / (n + 2 * quiet);
  const f = (v: number) => String(Math.round(v * 1000) / 1000);
  const out: string[] = [`<rect x="${f(x)}" y="${f(y)}" width="${f(side)}" height="${f(side)}" fill="#fff"/>`];
  for (let r = 0; r < n; r++) {
    // one rectangle per run of dark modules in a row
    for (let c = 0; c < n; ) {
      if (!modules.get(r, c)) {
        c++;
        continue;
      }
      let end = c;
      while (end < n && modules.get(r, end)) end++;
      out.push(`<rect x="${f(x + (quiet + c) * m)}" y="${f(y + (quiet + r) * m)}" width="${f((end - c) * m)}" height="${f(m)}"/>`);
      c = end;
    }
  }
  return `<g id="qr" fill="#000" shape-rendering="crispEdges" data-modules="${n}">${out.join('')}</g>`;
}

export function renderLabelSvg(v: LabelSvgView): string {
  const calibration = v.recordKind === 'calibration';
  const title = calibration ? '校准' : '合格证';
  const subtitle = calibration ? 'CALIBRATED' : 'VERIFIED · 检定合格';
  const rows: Array<[string, string]> = [
    ['证书编号 No.', v.certificateNo],
    [calibration ? '校准日期 Date' : '检定日期 Date', v.performedOn],
    [calibration ? '复校日期 Due' : '有效期至 Valid until', v.validUntil ?? '—'],
    ...(v.labelNo ? ([['编号 Label No.', v.labelNo]] as Array<[string, string]>) : []),
  ];
  const rowText = (k: string, lines: readonly string[], i: number, size: number) =>
    `<text x="40" y="${190 + i * 56}" font-size="20" fill="#444">${esc(k)}</text>` +
    lines.map((line, j) => `<text x="40" y="${216 + i * 56 + j * 24}" font-size="${size}" font-weight="700" fill="#000">${esc(line)}</text>`).join('');
  // the lab, last, in full where two lines hold it
  const text =
    rows.map(([k, val], i) => rowText(k, [fit(val, 26)], i, 26)).join('') +
    rowText(calibration ? '校准机构 Lab' : '检定机构 Lab', wrap(v.lab, 34, 2), rows.length, 20);
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="80mm" height="50mm" viewBox="0 0 800 500" font-family="'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif" role="img" aria-label="${esc(`${title} ${v.certificateNo}`)}">
<title>${esc(`${title} ${v.certificateNo} — ${v.lab}`)}</title>
<rect x="0" y="0" width="800" height="500" fill="#fff"/>
<rect x="8" y="8" width="784" height="484" rx="18" fill="none" stroke="${calibration ? '#1f4fa0' : '#1e7a3c'}" stroke-width="8"/>
<text x="40" y="100" font-size="64" font-weight="700" fill="${calibration ? '#1f4fa0' : '#1e7a3c'}">${title}</text>
<text x="40" y="142" font-size="24" fill="#333">${esc(subtitle)}</text>
${text}
${qrRects(v.lookupUrl, 450, 50, 320)}
<text x="610" y="410" font-size="22" fill="#333" text-anchor="middle">扫码查询 Scan to check</text>
<text x="610" y="445" font-size="18" fill="#555" text-anchor="middle">${esc(fit(v.certificateNo, 30))}</text>
</svg>
`;
}
