/** The printed label: CJK-aware fitting and wrapping, the lookup address, the QR code as rectangles, and the label's facts for a verification and a calibration. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fit, lookupUrl, qrRects, renderLabelSvg, wrap } from '../../src/codecs/label-svg.ts';

const text = suite('fit and wrap');

text('fit counts a CJK character as two columns and cuts with an ellipsis', () => {
  assert.is(fit('abcdef', 6), 'abcdef');
  assert.is(fit('abcdefg', 6), 'abcdef…');
  assert.is(fit('上海市计量测试', 6), '上海市…');
  assert.is(fit('a上海', 4), 'a上…');
  assert.is(fit('ＡＢ', 3), 'Ａ…');
  assert.is(fit('', 3), '');
});

text('wrap breaks at a space past the middle, else anywhere; the last line cut', () => {
  assert.equal(wrap('District Metrology Station', 34, 2), ['District Metrology Station']);
  assert.equal(wrap('Shanghai Institute of Measurement and Testing Technology', 34, 2), ['Shanghai Institute of Measurement', 'and Testing Technology']);
  assert.equal(wrap('上海市计量测试技术研究院华东国家计量测试中心', 20, 2), ['上海市计量测试技术研', '究院华东国家计量测试…']);
  assert.equal(wrap('  padded  ', 34, 2), ['padded']);
  assert.equal(wrap('', 10, 2), []);
  assert.equal(wrap('one two three four', 8, 1), ['one two …']);
});

text('the lookup address: trailing slashes dropped, the number encoded', () => {
  assert.is(lookupUrl('https://m.example/', 'XH-JD2026-00317'), 'https://m.example/lookup?q=XH-JD2026-00317');
  assert.is(lookupUrl('https://m.example//', '检 A&B'), 'https://m.example/lookup?q=%E6%A3%80%20A%26B');
});

const qr = suite('QR code');

qr('a version-1 code is 21 modules, its finder patterns runs of seven dark modules, inside a four-module quiet zone', () => {
  const g = qrRects('HELLO', 0, 0, 290);
  assert.match(g, 'data-modules="21"');
  // 290 / (21 + 8) = 10 per module: the first row starts with a run of 7 at x = 40, and another at column 14
  assert.match(g, '<rect x="0" y="0" width="290" height="290" fill="#fff"/><rect x="40" y="40" width="70" height="10"/>');
  assert.match(g, '<rect x="180" y="40" width="70" height="10"/><rect x="40" y="50" width="10" height="10"/>');
  // 50 bytes at level M need version 4 (33 modules); level L would hold them in version 3
  assert.is(qrRects('x'.repeat(50), 0, 0, 100).match(/data-modules="(\d+)"/)![1], '33');
});

const label = suite('label SVG');

const view = {
  recordKind: 'verification' as const,
  certificateNo: 'XH-JD2026-00317',
  performedOn: '2026-11-20',
  validUntil: '2027-11-19',
  lab: 'District <Metrology> & Testing Station',
  labelNo: 'XH-HG2026-00317',
  lookupUrl: 'https://m.example/lookup?q=XH-JD2026-00317',
};

label('a verification: 合格证, green, the dates and label number, the lab escaped', () => {
  const s = renderLabelSvg(view);
  assert.match(s, 'width="80mm" height="50mm"');
  assert.match(s, 'aria-label="合格证 XH-JD2026-00317"');
  assert.match(s, 'fill="#1e7a3c">合格证</text>');
  assert.match(s, '>VERIFIED · 检定合格</text>');
  for (const t of ['>有效期至 Valid until<', '>2027-11-19<', '>检定日期 Date<', '>编号 Label No.<', '>XH-HG2026-00317<', '>检定机构 Lab<']) assert.match(s, t);
  assert.match(s, '>District &lt;Metrology&gt; &amp; Testing</text><text x="40" y="464" font-size="20" font-weight="700" fill="#000">Station</text>');
  assert.match(s, '<title>合格证 XH-JD2026-00317 — District &lt;Metrology&gt; &amp; Testing Station</title>');
  assert.not.match(s, '<Metrology>');
  assert.not.match(s, '<script');
  assert.match(s, '<g id="qr"');
});

label('a calibration: 校准, blue, due date; no validity is a dash; no label number, no row', () => {
  const s = renderLabelSvg({ ...view, recordKind: 'calibration', validUntil: null, labelNo: null });
  assert.match(s, 'fill="#1f4fa0">校准</text>');
  assert.match(s, '>CALIBRATED</text>');
  assert.match(s, '>复校日期 Due<');
  assert.match(s, '>—</text>');
  assert.match(s, '>校准机构 Lab<');
  assert.not.match(s, 'Label No.');
  assert.not.match(s, '合格证');
});

text.run();
qr.run();
label.run();
