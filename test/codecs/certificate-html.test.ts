/** The printed certificate: its kind from the record, the facts each kind shows (a result notice no validity, no label), standards, conditions and results, signatures, banners, both languages, every value escaped. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type CertificateView, formatAccuracy, formatRange, renderCertificateHtml } from '../../src/codecs/certificate-html.ts';
import type { DecimalText } from '../../src/core/numeric/decimal.ts';

const n = (s: string) => s as DecimalText;
const view = (over: Partial<CertificateView> = {}): CertificateView => ({
  recordId: 'r-1',
  certificateNo: 'XH-JD2026-00317',
  recordKind: 'verification',
  conformity: 'pass',
  performedOn: '2026-11-20',
  validUntil: '2027-11-19',
  lab: { name: 'District <Station>', accreditation: '(沪)法计(2020)01001号' },
  customer: 'City Market',
  instrument: {
    name: '电子计价秤',
    manufacturer: null,
    model: 'ACS-30',
    serialNumber: 'SN-1',
    assetCode: null,
    range: { min: n('0.04'), max: n('30'), unit: 'kg' },
    accuracy: { kind: 'class', accuracyClass: 'III' },
  },
  procedure: 'JJG 539-2016',
  standards: [
    {
      id: 'f1',
      name: 'F1 weights',
      model: null,
      serialNumber: 'W-9',
      range: { min: null, max: n('20'), unit: 'kg' },
      accuracy: { kind: 'mpe', mpe: n('0.001'), unit: 'kg' },
      certificate: { certificateNo: 'JZ-1', validUntil: '2027-01-01' },
      assessment: null,
    },
  ],
  externalReferences: [],
  conditions: [{ name: 'temperature', value: n('20.5'), unit: 'degC', expandedUncertainty: n('0.2'), coverageFactor: n('2') }],
  points: [{ nominal: n('10'), asFound: n('10.005'), asLeft: null, expandedUncertainty: n('0.002'), coverageFactor: n('2'), unit: 'kg' }],
  verifier: '陈静',
  checker: '刘洋',
  approver: null,
  labelNo: 'XH-HG2026-00317',
  sealNo: null,
  remarks: null,
  supersedes: null,
  supersededBy: null,
  ...over,
});
const rowOf = (html: string, th: string) => new RegExp(`<tr[^>]*><th scope="row">${th}</th><td>([^<]*)</td></tr>`).exec(html)?.[1] ?? null;

const formats = suite('ranges and accuracies');

formats('a range with either bound open, an accuracy of each kind in each language', () => {
  assert.is(formatRange({ min: n('0.04'), max: n('30'), unit: 'kg' }), '0.04–30 kg');
  assert.is(formatRange({ min: null, max: n('30'), unit: 'kg' }), '–30 kg');
  assert.is(formatRange({ min: n('0'), max: null, unit: 'kg' }), '0– kg');
  assert.is(formatRange({ min: null, max: null, unit: 'kg' }), 'kg');
  assert.is(formatAccuracy({ kind: 'class', accuracyClass: 'III' }, 'zh'), 'III 级');
  assert.is(formatAccuracy({ kind: 'class', accuracyClass: 'III' }, 'en'), 'class III');
  assert.is(formatAccuracy({ kind: 'mpe', mpe: n('0.5'), unit: 'g' }, 'zh'), '最大允许误差 ±0.5 g');
  assert.is(formatAccuracy({ kind: 'mpe', mpe: n('0.5'), unit: 'g' }, 'en'), 'MPE ±0.5 g');
  assert.is(formatAccuracy({ kind: 'expanded', expandedUncertainty: n('0.1'), coverageFactor: n('2'), unit: 'g' } as never, 'en'), 'U = 0.1 g (k = 2)');
});

const page = suite('certificate page');

page('a passed verification: 检定证书 with its conclusion, validity and label number', () => {
  const html = renderCertificateHtml(view(), 'zh', '/v1/x?lang=en');
  assert.match(html, '<html lang="zh-CN">');
  assert.match(html, '<title>检定证书 XH-JD2026-00317</title>');
  assert.match(html, '<article class="certificate verification_certificate" data-kind="verification_certificate">');
  assert.match(html, '<p class="subtitle">Verification Certificate</p>');
  assert.match(html, '<p class="issuer">District &lt;Station&gt;</p>');
  assert.match(html, '<tr class="conclusion pass"><th scope="row">检定结论</th><td>合格</td></tr>');
  assert.equal(
    [
      rowOf(html, '送检单位'),
      rowOf(html, '制造单位'),
      rowOf(html, '测量范围'),
      rowOf(html, '准确度等级'),
      rowOf(html, '检定依据'),
      rowOf(html, '有效期至'),
      rowOf(html, '合格证编号'),
    ],
    ['City Market', '—', '0.04–30 kg', 'III 级', 'JJG 539-2016', '2027-11-19', 'XH-HG2026-00317'],
  );
  assert.is(rowOf(html, '封印编号'), null);
  assert.is(rowOf(renderCertificateHtml(view({ customer: '  ' }), 'zh', '#'), '送检单位'), '—', 'a blank value prints a dash');
  assert.is(rowOf(html, '型式批准证书编号'), null);
  assert.match(html, '<a id="switch-lang" href="/v1/x?lang=en" hreflang="en">English</a>');
  assert.match(html, '<div class="signature"><span class="role">检定员</span><span class="line">陈静</span></div>');
  assert.match(html, '<div class="signature"><span class="role">批准人</span><span class="line"></span></div>');
  assert.match(html, '<span>发证机构：District &lt;Station&gt; · 授权证书号：(沪)法计(2020)01001号</span>');
  assert.not.match(html, 'id="notice"');
  assert.not.match(html, '<script');
});

page('a failed verification: a result notice, its banner, no validity and no label', () => {
  const html = renderCertificateHtml(view({ conformity: 'fail', validUntil: null }), 'zh', '#');
  assert.match(html, '<title>检定结果通知书 XH-JD2026-00317</title>');
  assert.match(html, '<p class="banner void" id="notice">经检定，该计量器具不符合要求，不得使用，须修理并重新检定。本通知书不是检定证书。</p>');
  assert.match(html, '<tr class="conclusion fail"><th scope="row">检定结论</th><td>不合格</td></tr>');
  assert.is(rowOf(html, '有效期至'), null);
  assert.is(rowOf(html, '合格证编号'), null);
});

page('a calibration in English: its own words, no conclusion, the recalibration date, a stated kind kept', () => {
  const html = renderCertificateHtml(view({ recordKind: 'calibration', conformity: null, validUntil: null }), 'en', '#');
  assert.match(html, '<html lang="en">');
  assert.match(html, '<h1>Calibration Certificate</h1>');
  assert.match(html, '<p class="subtitle">校准证书</p>');
  assert.is(rowOf(html, 'Conclusion'), null);
  assert.equal(
    [rowOf(html, 'Recommended recalibration by'), rowOf(html, 'Calibration method'), rowOf(html, 'Accuracy class')],
    ['—', 'JJG 539-2016', 'class III'],
  );
  assert.match(html, '<span class="role">Calibrated by</span>');
  assert.match(html, '<h2>Calibration results</h2>');
  assert.match(html, 'hreflang="zh">中文</a>');
  const stated = renderCertificateHtml(view({ certificateKind: 'calibration_certificate' }), 'zh', '#');
  assert.match(stated, '<title>校准证书 XH-JD2026-00317</title>');
  assert.is(rowOf(stated, '委托单位'), 'City Market');
});

page('standards with their certificates, external ones, conditions and results', () => {
  const html = renderCertificateHtml(view({ externalReferences: ['PTB <1 kg>', 'NIM 2'] }), 'en', '#');
  assert.match(
    html,
    '<tr><td>F1 weights</td><td>W-9</td><td>–20 kg</td><td>MPE ±0.001 kg</td><td>JZ-1</td><td class="date">2027-01-01</td><td>—</td><td class="date">—</td></tr>',
  );
  assert.match(html, '<p class="external">Standards outside the registry：PTB &lt;1 kg&gt;；NIM 2</p>');
  assert.match(html, '<tr><td>temperature</td><td>20.5 degC ± 0.2 (k = 2)</td></tr>');
  assert.match(html, '<tr><td>10</td><td>10.005</td><td>—</td><td>0.002</td><td>2</td><td>kg</td></tr>');
  const bare = renderCertificateHtml(view({ standards: [], conditions: [], points: [] }), 'en', '#');
  assert.match(bare, '<h2>Measurement standards used</h2>\n<p>—</p>');
  assert.match(bare, '<p id="conditions">—</p>');
  assert.match(bare, '<p id="results">The record lists no measured points.</p>');
  assert.not.match(bare, 'class="external"');
});

page('corrections: the banners of a superseded and a superseding record; remarks; escaping in the optional rows', () => {
  const html = renderCertificateHtml(
    view({
      supersedes: 'r-0',
      supersededBy: 'r-2',
      remarks: 'a <b>note</b>',
      sealNo: 'S&1',
      instrument: { ...view().instrument, patternApprovalNo: '2019C<1>' },
    }),
    'en',
    '#',
  );
  assert.match(html, '<p class="banner void" id="superseded">This certificate was replaced by the correction r-2 and is no longer valid.</p>');
  assert.match(html, '<p class="banner" id="supersedes">This certificate corrects and replaces record r-0.</p>');
  assert.match(html, '<h2>Remarks</h2>\n<p class="remarks">a &lt;b&gt;note&lt;/b&gt;</p>');
  assert.is(rowOf(html, 'Seal No.'), 'S&amp;1');
  assert.is(rowOf(html, 'Pattern approval No.'), '2019C&lt;1&gt;');
});

formats.run();
page.run();
