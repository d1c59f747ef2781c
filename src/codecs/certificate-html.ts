/**
 * The printable certificate of a record, as such documents are laid out:
 * 检定证书 (a passing verification), 检定结果通知书 (a failed one: no validity,
 * no label) or 校准证书 (a calibration) — title, number, customer,
 * instrument, procedure, conclusion, validity, the standards used with their
 * certificates, environmental conditions, the results with their uncertainty,
 * the three signatures and a page footer. Chinese by default, English on
 * request. Pure: a view in, an HTML string out, every value escaped.
 *
 * The page carries no script and no inline style: the app's CSP allows
 * stylesheets from its own origin only, so the A4 print CSS is served beside
 * the page at /certificate.css (CERTIFICATE_CSS).
 */
import type { Accuracy, InfluenceCondition, MeasuredPoint, MeasuringRange } from '../core/registry/types.ts';
import { certificateKindOf, type CertificateKind, type Conformity, type RecordKind } from '../core/registry/vocabulary.ts';
import { esc } from './svg.ts';

export type Lang = 'zh' | 'en';

// the rule lives in the core (registry/vocabulary.ts), which also checks a stated kind against it
export { certificateKindOf, type CertificateKind };

/** A certificate (or a standard's assessment certificate) as it stood on the performance date. */
export interface CertificateRef {
  readonly certificateNo: string;
  readonly validUntil: string | null;
}

/** A reference standard the record was performed with, as it was on the performance date. */
export interface StandardUsed {
  readonly id: string;
  readonly name: string;
  readonly model: string | null;
  readonly serialNumber: string | null;
  readonly range: MeasuringRange | null;
  readonly accuracy: Accuracy | null;
  /** Its own calibration or verification certificate in force on the performance date. */
  readonly certificate: CertificateRef | null;
  /** Its 计量标准考核证书 on the performance date, when it holds one. */
  readonly assessment: CertificateRef | null;
}

/**
 * What a printed certificate shows. The optional fields are those a record
 * may not carry (yet): the document prints a blank line or "—" for them.
 */
export interface CertificateView {
  readonly recordId: string;
  readonly certificateNo: string;
  readonly recordKind: RecordKind;
  readonly conformity: Conformity | null;
  /** When absent, derived from the record kind and its conformity. */
  readonly certificateKind?: CertificateKind | null;
  readonly performedOn: string;
  /** Null for a failed verification (it has none). */
  readonly validUntil: string | null;
  readonly lab: { readonly name: string; readonly accreditation: string | null };
  readonly customer: string | null;
  readonly instrument: {
    readonly name: string;
    readonly manufacturer: string | null;
    readonly model: string | null;
    readonly serialNumber: string | null;
    readonly assetCode: string | null;
    readonly range: MeasuringRange;
    readonly accuracy: Accuracy;
    readonly patternApprovalNo?: string | null;
  };
  readonly verificationType?: string | null;
  readonly procedure?: string | null;
  readonly standards: readonly StandardUsed[];
  /** Standards outside the registry, as the record names them. */
  readonly externalReferences: readonly string[];
  readonly conditions: readonly InfluenceCondition[];
  readonly points: readonly MeasuredPoint[];
  readonly verifier?: string | null;
  readonly checker?: string | null;
  readonly approver?: string | null;
  readonly labelNo?: string | null;
  readonly sealNo?: string | null;
  readonly remarks: string | null;
  /** The record this one corrects, and the correction that replaced this one. */
  readonly supersedes: string | null;
  readonly supersededBy: string | null;
}

const T = {
  zh: {
    titles: { verification_certificate: '检定证书', result_notice: '检定结果通知书', calibration_certificate: '校准证书' },
    subtitles: {
      verification_certificate: 'Verification Certificate',
      result_notice: 'Notification of Verification Result',
      calibration_certificate: 'Calibration Certificate',
    },
    certificateNo: '证书编号',
    customer: (k: CertificateKind) => (k === 'calibration_certificate' ? '委托单位' : '送检单位'),
    instrument: '计量器具名称',
    model: '型号/规格',
    serial: '出厂编号',
    manufacturer: '制造单位',
    asset: '器具编号',
    range: '测量范围',
    accuracy: '准确度等级',
    pattern: '型式批准证书编号',
    verificationType: '检定类别',
    procedure: (k: CertificateKind) => (k === 'calibration_certificate' ? '校准依据' : '检定依据'),
    conclusion: '检定结论',
    pass: '合格',
    fail: '不合格',
    performedOn: (k: CertificateKind) => (k === 'calibration_certificate' ? '校准日期' : '检定日期'),
    validUntil: (k: CertificateKind) => (k === 'calibration_certificate' ? '建议复校日期' : '有效期至'),
    labelNo: '合格证编号',
    sealNo: '封印编号',
    standards: '本次检定/校准所使用的计量标准',
    stdName: '名称',
    stdModel: '型号/编号',
    stdRange: '测量范围',
    stdAccuracy: '准确度等级/不确定度',
    stdCertificate: '检定/校准证书编号',
    stdAssessment: '计量标准考核证书编号',
    stdValid: '有效期至',
    external: '注册表外的计量标准',
    conditions: '环境条件',
    condName: '项目',
    condValue: '数值',
    results: (k: CertificateKind) => (k === 'calibration_certificate' ? '校准结果' : '检定结果'),
    nominal: '标称值',
    asFound: '测得值',
    asLeft: '调整后测得值',
    uncertainty: '扩展不确定度 U',
    k: '包含因子 k',
    unit: '单位',
    noPoints: '本记录未列出测量点。',
    signatures: (k: CertificateKind) => (k === 'calibration_certificate' ? ['校准员', '核验员', '批准人'] : ['检定员', '核验员', '批准人']),
    remarks: '备注',
    notice: '经检定，该计量器具不符合要求，不得使用，须修理并重新检定。本通知书不是检定证书。',
    supersedes: (id: string) => `本证书更正并替代记录 ${id}。`,
    supersededBy: (id: string) => `本证书已被更正记录 ${id} 替代，不再有效。`,
    issuer: '发证机构',
    accreditation: '授权证书号',
    other: 'English',
  },
  en: {
    titles: {
      verification_certificate: 'Verification Certificate',
      result_notice: 'Notification of Verification Result',
      calibration_certificate: 'Calibration Certificate',
    },
    subtitles: { verification_certificate: '检定证书', result_notice: '检定结果通知书', calibration_certificate: '校准证书' },
    certificateNo: 'Certificate No.',
    customer: (_k: CertificateKind) => 'Customer',
    instrument: 'Instrument',
    model: 'Model / type',
    serial: 'Serial No.',
    manufacturer: 'Manufacturer',
    asset: 'Asset No.',
    range: 'Measuring range',
    accuracy: 'Accuracy class',
    pattern: 'Pattern approval No.',
    verificationType: 'Type of verification',
    procedure: (k: CertificateKind) => (k === 'calibration_certificate' ? 'Calibration method' : 'Verification regulation'),
    conclusion: 'Conclusion',
    pass: 'Pass',
    fail: 'Fail',
    performedOn: (k: CertificateKind) => (k === 'calibration_certificate' ? 'Date of calibration' : 'Date of verification'),
    validUntil: (k: CertificateKind) => (k === 'calibration_certificate' ? 'Recommended recalibration by' : 'Valid until'),
    labelNo: 'Label No.',
    sealNo: 'Seal No.',
    standards: 'Measurement standards used',
    stdName: 'Standard',
    stdModel: 'Model / serial',
    stdRange: 'Range',
    stdAccuracy: 'Accuracy / uncertainty',
    stdCertificate: 'Certificate No.',
    stdAssessment: 'Standard assessment certificate No.',
    stdValid: 'Valid until',
    external: 'Standards outside the registry',
    conditions: 'Environmental conditions',
    condName: 'Quantity',
    condValue: 'Value',
    results: (k: CertificateKind) => (k === 'calibration_certificate' ? 'Calibration results' : 'Verification results'),
    nominal: 'Nominal',
    asFound: 'As found',
    asLeft: 'As left',
    uncertainty: 'Expanded uncertainty U',
    k: 'Coverage factor k',
    unit: 'Unit',
    noPoints: 'The record lists no measured points.',
    signatures: (k: CertificateKind) =>
      k === 'calibration_certificate' ? ['Calibrated by', 'Checked by', 'Approved by'] : ['Verified by', 'Checked by', 'Approved by'],
    remarks: 'Remarks',
    notice: 'The instrument was found not to conform: it must not be used until repaired and verified again. This notice is not a verification certificate.',
    supersedes: (id: string) => `This certificate corrects and replaces record ${id}.`,
    supersededBy: (id: string) => `This certificate was replaced by the correction ${id} and is no longer valid.`,
    issuer: 'Issued by',
    accreditation: 'Authorisation No.',
    other: '中文',
  },
} as const;

const DASH = '—';
const or = (s: string | null | undefined): string => (s === null || s === undefined || s.trim() === '' ? DASH : s);

export function formatRange(r: MeasuringRange): string {
  const min = r.min ?? '';
  const max = r.max ?? '';
  return `${min}${min || max ? '–' : ''}${max} ${r.unit}`.trim();
}

export function formatAccuracy(a: Accuracy, lang: Lang): string {
  switch (a.kind) {
    case 'class':
      return lang === 'zh' ? `${a.accuracyClass} 级` : `class ${a.accuracyClass}`;
    case 'mpe':
      return lang === 'zh' ? `最大允许误差 ±${a.mpe} ${a.unit}` : `MPE ±${a.mpe} ${a.unit}`;
    case 'expanded':
      return `U = ${a.expandedUncertainty} ${a.unit} (k = ${a.coverageFactor})`;
  }
}

const row = (k: string, v: string, cls = '') => `<tr${cls ? ` class="${cls}"` : ''}><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`;

/** The whole certificate page; `langHref` is the address of the same page in the other language. */
export function renderCertificateHtml(v: CertificateView, lang: Lang, langHref: string): string {
  const t = T[lang];
  const kind = v.certificateKind ?? certificateKindOf(v.recordKind, v.conformity);
  const i = v.instrument;
  const notice = kind === 'result_notice';

  const identity = [
    row(t.customer(kind), or(v.customer)),
    row(t.instrument, i.name),
    row(t.model, or(i.model)),
    row(t.serial, or(i.serialNumber)),
    row(t.manufacturer, or(i.manufacturer)),
    row(t.asset, or(i.assetCode)),
    row(t.range, formatRange(i.range)),
    row(t.accuracy, formatAccuracy(i.accuracy, lang)),
    ...(i.patternApprovalNo ? [row(t.pattern, i.patternApprovalNo)] : []),
    ...(v.verificationType ? [row(t.verificationType, v.verificationType)] : []),
    row(t.procedure(kind), or(v.procedure)),
    ...(v.recordKind === 'verification' && v.conformity ? [row(t.conclusion, v.conformity === 'pass' ? t.pass : t.fail, `conclusion ${v.conformity}`)] : []),
    row(t.performedOn(kind), v.performedOn),
    // a result notice states no validity: the instrument may not be used
    ...(notice ? [] : [row(t.validUntil(kind), or(v.validUntil))]),
    ...(v.labelNo && !notice ? [row(t.labelNo, v.labelNo)] : []),
    ...(v.sealNo ? [row(t.sealNo, v.sealNo)] : []),
  ].join('\n');

  const standards =
    v.standards.length === 0
      ? ''
      : `<table class="grid" id="standards">
<thead><tr><th>${esc(t.stdName)}</th><th>${esc(t.stdModel)}</th><th>${esc(t.stdRange)}</th><th>${esc(t.stdAccuracy)}</th><th>${esc(t.stdCertificate)}</th><th>${esc(t.stdValid)}</th><th>${esc(t.stdAssessment)}</th><th>${esc(t.stdValid)}</th></tr></thead>
<tbody>
${v.standards
  .map(
    (s) =>
      `<tr><td>${esc(s.name)}</td><td>${esc([s.model, s.serialNumber].filter((x) => x).join(' / ') || DASH)}</td><td>${esc(s.range ? formatRange(s.range) : DASH)}</td><td>${esc(s.accuracy ? formatAccuracy(s.accuracy, lang) : DASH)}</td><td>${esc(or(s.certificate?.certificateNo))}</td><td class="date">${esc(or(s.certificate?.validUntil))}</td><td>${esc(or(s.assessment?.certificateNo))}</td><td class="date">${esc(or(s.assessment?.validUntil))}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`;
  const external = v.externalReferences.length === 0 ? '' : `<p class="external">${esc(t.external)}：${v.externalReferences.map(esc).join('；')}</p>`;

  const conditions =
    v.conditions.length === 0
      ? `<p id="conditions">${DASH}</p>`
      : `<table class="grid" id="conditions"><thead><tr><th>${esc(t.condName)}</th><th>${esc(t.condValue)}</th></tr></thead><tbody>
${v.conditions.map((c) => `<tr><td>${esc(c.name)}</td><td>${esc(`${c.value} ${c.unit}${c.expandedUncertainty ? ` ± ${c.expandedUncertainty}${c.coverageFactor ? ` (k = ${c.coverageFactor})` : ''}` : ''}`)}</td></tr>`).join('\n')}
</tbody></table>`;

  const results =
    v.points.length === 0
      ? `<p id="results">${esc(t.noPoints)}</p>`
      : `<table class="grid" id="results"><thead><tr><th>${esc(t.nominal)}</th><th>${esc(t.asFound)}</th><th>${esc(t.asLeft)}</th><th>${esc(t.uncertainty)}</th><th>${esc(t.k)}</th><th>${esc(t.unit)}</th></tr></thead><tbody>
${v.points.map((p) => `<tr><td>${esc(p.nominal)}</td><td>${esc(or(p.asFound))}</td><td>${esc(or(p.asLeft))}</td><td>${esc(or(p.expandedUncertainty))}</td><td>${esc(or(p.coverageFactor))}</td><td>${esc(p.unit)}</td></tr>`).join('\n')}
</tbody></table>`;

  const [s1, s2, s3] = t.signatures(kind);
  const sign = (label: string, who: string | null | undefined) =>
    `<div class="signature"><span class="role">${esc(label)}</span><span class="line">${esc(who ?? '')}</span></div>`;
  const banners = [
    ...(v.supersededBy ? [`<p class="banner void" id="superseded">${esc(t.supersededBy(v.supersededBy))}</p>`] : []),
    ...(v.supersedes ? [`<p class="banner" id="supersedes">${esc(t.supersedes(v.supersedes))}</p>`] : []),
    ...(notice ? [`<p class="banner void" id="notice">${esc(t.notice)}</p>`] : []),
  ].join('\n');

  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(t.titles[kind])} ${esc(v.certificateNo)}</title>
<link rel="stylesheet" href="/certificate.css">
</head>
<body>
<nav class="screen-only"><a id="switch-lang" href="${esc(langHref)}" hreflang="${lang === 'zh' ? 'en' : 'zh'}">${esc(t.other)}</a></nav>
<article class="certificate ${kind}" data-kind="${kind}">
<header>
<p class="issuer">${esc(v.lab.name)}</p>
<h1>${esc(t.titles[kind])}</h1>
<p class="subtitle">${esc(t.subtitles[kind])}</p>
<p class="number">${esc(t.certificateNo)}：<span id="certificate-no">${esc(v.certificateNo)}</span></p>
</header>
${banners}
<table class="fields" id="identity">
${identity}
</table>
<section class="signatures">
${sign(s1!, v.verifier)}
${sign(s2!, v.checker)}
${sign(s3!, v.approver)}
</section>
<h2>${esc(t.standards)}</h2>
${standards || `<p>${DASH}</p>`}
${external}
<h2>${esc(t.conditions)}</h2>
${conditions}
<h2>${esc(t.results(kind))}</h2>
${results}
${v.remarks ? `<h2>${esc(t.remarks)}</h2>\n<p class="remarks">${esc(v.remarks)}</p>` : ''}
<footer>
<span>${esc(t.issuer)}：${esc(v.lab.name)}${v.lab.accreditation ? ` · ${esc(t.accreditation)}：${esc(v.lab.accreditation)}` : ''}</span>
<span>${esc(t.certificateNo)}：${esc(v.certificateNo)}</span>
</footer>
</article>
</body>
</html>
`;
}

/** The A4 print stylesheet of the certificate pages (served at /certificate.css). */
export const CERTIFICATE_CSS = `@page{size:A4;margin:18mm 16mm 20mm 16mm;@bottom-center{content:counter(page) " / " counter(pages);font-size:9pt;color:#444}}
html{background:#e9ebef}
body{font:10.5pt/1.45 "Noto Serif CJK SC","Source Han Serif SC","SimSun",serif;color:#111;margin:0}
.certificate{box-sizing:border-box;width:210mm;min-height:297mm;margin:1rem auto;padding:18mm 16mm 20mm;background:#fff;box-shadow:0 0 4px rgba(0,0,0,.25);position:relative}
nav{max-width:210mm;margin:.5rem auto 0;text-align:right;font-family:system-ui,sans-serif}
header{text-align:center;border-bottom:2px solid #111;padding-bottom:4mm;margin-bottom:5mm}
.issuer{font-size:13pt;margin:0}
h1{font-size:24pt;letter-spacing:.4em;margin:3mm 0 0}
.subtitle{margin:0;font-size:11pt;color:#333}
.number{margin:2mm 0 0;text-align:right}
h2{font-size:11.5pt;margin:6mm 0 2mm;border-left:3px solid #111;padding-left:2mm}
table{border-collapse:collapse;width:100%}
.fields th{width:32%;text-align:left;font-weight:600;padding:1.2mm 2mm;vertical-align:top}
.fields td{padding:1.2mm 2mm;border-bottom:1px dotted #777}
.fields .conclusion td{font-weight:700;font-size:12pt}
.fields .conclusion.fail td{color:#a00}
.grid th,.grid td{border:1px solid #333;padding:1mm 1.5mm;text-align:center;font-size:9.5pt}
.grid thead th{background:#f0f0f0}
.grid td.date,footer span:last-child{white-space:nowrap}
.banner{border:1px solid #111;padding:2mm 3mm;margin:0 0 4mm}
.banner.void{border-color:#a00;color:#a00;font-weight:600}
.signatures{display:flex;justify-content:space-between;gap:6mm;margin:6mm 0 2mm}
.signature{flex:1;display:flex;align-items:flex-end;gap:2mm}
.signature .role{white-space:nowrap}
.signature .line{flex:1;border-bottom:1px solid #111;min-height:7mm;text-align:center}
footer{position:absolute;left:16mm;right:16mm;bottom:8mm;display:flex;justify-content:space-between;font-size:8.5pt;color:#444;border-top:1px solid #999;padding-top:1.5mm}
@media print{html{background:none}nav,.screen-only{display:none}.certificate{margin:0;width:auto;min-height:auto;padding:0;box-shadow:none}footer{position:static;margin-top:8mm}thead{display:table-header-group}tr{break-inside:avoid}h2{break-after:avoid}}
`;
