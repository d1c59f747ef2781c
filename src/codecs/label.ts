/**
 * The public face of a verification: what a verification label shows, and the
 * lookup page that shows it, in Chinese and English. Nothing about the owner
 * beyond the label (no owner name, no other equipment, no measured values).
 */
import type { Equipment, Organisation } from '../core/registry/types.ts';
import { type CertificateKind, documentOf } from '../core/registry/vocabulary.ts';
import type { AskedDocument, AskedStanding } from '../core/verification/asked-document.ts';
import { isUsable, type VerificationState, type VerificationStatus } from '../core/verification/status.ts';
import { esc } from './svg.ts';

export type Lang = 'zh' | 'en';

export interface Label {
  readonly instrument: string;
  /** The instrument's identity as the label promises it (not the owner's register): model, serial and asset numbers, where it is. */
  readonly model: string | null;
  readonly serialNumber: string | null;
  readonly assetCode: string | null;
  readonly location: string | null;
  readonly category: { readonly id: string; readonly zh: string; readonly en: string } | null;
  readonly state: VerificationState;
  /** May the instrument be used at the date? */
  readonly usable: boolean;
  readonly verdict: { readonly zh: string; readonly en: string };
  readonly certificateNo: string | null;
  readonly lab: string | null;
  readonly verifiedOn: string | null;
  readonly validUntil: string | null;
  readonly at: string;
  /**
   * The document looked up by its number (a certificate or label number),
   * with a sentence when the status does not rest on it; null for a lookup by
   * instrument code.
   */
  readonly asked: AskedLabel | null;
}

export interface AskedLabel {
  readonly number: string;
  /** Which number it is: a certificate's, or the one printed on a label (合格证号). */
  readonly by: AskedDocument['by'];
  readonly certificateNo: string;
  readonly document: CertificateKind;
  readonly performedOn: string;
  readonly standing: AskedStanding;
  readonly supersededBy: string | null;
  /** Said when the status does not rest on this document (standing other than current). */
  readonly note: { readonly zh: string; readonly en: string } | null;
}

const DOCUMENT = {
  verification_certificate: { zh: '检定证书', en: 'verification certificate' },
  result_notice: { zh: '检定结果通知书（检定不合格）', en: 'verification result notice (a failed verification)' },
  calibration_certificate: { zh: '校准证书', en: 'calibration certificate' },
} as const;

/** What the label says of the document looked up: nothing more when the status rests on it. */
function askedLabel(a: AskedDocument, basis: { readonly certificateNo: string; readonly document: CertificateKind } | null): AskedLabel {
  const doc = DOCUMENT[a.certificateKind];
  const day = a.certificateKind === 'calibration_certificate' ? { zh: '校准日期', en: 'calibrated' } : { zh: '检定日期', en: 'verified' };
  // a label's number is not a certificate's: say whose document it belongs to
  const which =
    a.by === 'labelNo'
      ? {
          zh: `您查询的合格证号「${a.number}」属于${day.zh}为 ${a.performedOn} 的${doc.zh} ${a.certificateNo}`,
          en: `Label no. “${a.number}” belongs to the ${doc.en} ${a.certificateNo} (${day.en} ${a.performedOn})`,
        }
      : { zh: `您查询的「${a.number}」是${day.zh}为 ${a.performedOn} 的${doc.zh}`, en: `“${a.number}” is the ${doc.en} of ${a.performedOn}` };
  const now = { zh: '以下是该器具现在的状态。', en: 'Below is the instrument’s status now.' };
  const on = basis ? { zh: `${DOCUMENT[basis.document].zh} ${basis.certificateNo}`, en: `the ${DOCUMENT[basis.document].en} ${basis.certificateNo}` } : null;
  const note = ((): AskedLabel['note'] => {
    switch (a.standing) {
      case 'current':
        return null;
      case 'superseded':
        return {
          zh: `${which.zh}，已作废，由更正后的证书 ${a.supersededBy} 代替。${now.zh}`,
          en: `${which.en}, superseded by its correction ${a.supersededBy}: it no longer stands. ${now.en}`,
        };
      case 'replaced':
        return {
          zh: `${which.zh}，并非该器具现行有效的证书；当前状态依据其后的${on ? on.zh : '记录'}。${now.zh}`,
          en: `${which.en}, not the instrument’s current certificate: its status now rests on ${on ? `${on.en}, issued later` : 'a later record'}. ${now.en}`,
        };
      case 'not_the_basis':
        return {
          zh: `${which.zh}；以下状态并非依据该文件判定${on ? `，而是依据${on.zh}` : ''}。`,
          en: `${which.en}; the status below does not rest on it${on ? `, but on ${on.en}` : ''}.`,
        };
    }
  })();
  return {
    number: a.number,
    by: a.by,
    certificateNo: a.certificateNo,
    document: a.certificateKind,
    performedOn: a.performedOn,
    standing: a.standing,
    supersededBy: a.supersededBy,
    note,
  };
}

function verdict(s: VerificationStatus): { zh: string; en: string } {
  const days = s.daysToDue ?? 0;
  switch (s.state) {
    case 'in_force':
      return { zh: '检定合格，在有效期内，可以使用。', en: 'Verified and within its validity: it may be used.' };
    case 'due_soon':
      return {
        zh: `检定合格，在有效期内，可以使用；${days} 天后到期，应及时送检。`,
        en: `Verified and within its validity: it may be used. It is due for re-verification in ${days} day${days === 1 ? '' : 's'}.`,
      };
    case 'expired_in_grace':
      return {
        zh: `检定有效期已于 ${s.dueOn} 届满，不得使用，须重新检定（当地宽限期至 ${s.graceEndsOn}，仅推迟列为逾期）。`,
        en: `Its verification expired after ${s.dueOn}: it must not be used until verified again (a local grace period until ${s.graceEndsOn} only delays its listing as overdue).`,
      };
    case 'overdue':
      return { zh: '检定已过有效期，不得使用，须重新检定。', en: 'Its verification has lapsed: it must not be used until verified again.' };
    case 'suspect':
      return suspectVerdict(s);
    case 'never_verified':
      return { zh: '没有检定记录，不得使用。', en: 'There is no verification on record: it must not be used.' };
    case 'failed':
      return {
        zh: '最近一次检定不合格，禁止使用，须修理并重新检定。',
        en: 'It failed its latest verification: use is prohibited until it is repaired and verified again.',
      };
    case 'service_life_ended':
      return { zh: '已到规定的使用期限，应予更换。', en: 'Its limited service life has ended: it must be replaced.' };
    case 'to_rotate':
      return s.daysToDue !== null && s.daysToDue >= 0
        ? {
            zh: `所在批次运行中抽样检验不合格或已到使用期限，已不视为合格，须于 ${s.dueOn} 前轮换更换，逾期不得继续使用。`,
            en: `Its lot of meters in service is to be rotated (its sample was not accepted, or its extension or service life ended): it no longer counts as conforming and must be replaced by ${s.dueOn}, after which it may not stay in service.`,
          }
        : {
            zh: `所在批次应于 ${s.dueOn} 前轮换更换，已逾期，不得继续使用。`,
            en: `Its lot of meters in service was to be rotated by ${s.dueOn}: it may not stay in service.`,
          };
    case 'withdrawn':
      return { zh: '已停用或报废，不得使用。', en: 'It has been withdrawn from use (suspended, retired or scrapped): it must not be used.' };
    case 'use_prohibited':
      return {
        zh: '使用中检查已责令停止使用，不得使用，须重新检定合格后方可使用。',
        en: `An in-use inspection prohibited its use: it must not be used until it passes a new verification.`,
      };
    case 'reverification_required':
      return {
        zh: '检定后经过修理或封印已损坏，须重新检定后方可使用。',
        en: 'It was repaired, or its seal broken, after its verification: it must be verified again before use.',
      };
    case 'not_mandatory':
      return isUsable(s)
        ? { zh: '不属于强制检定的计量器具。', en: 'It is not under mandatory verification.' }
        : {
            zh: '不属于强制检定的计量器具；但最近一次检定结论为不合格，不应使用。',
            en: 'It is not under mandatory verification, but its latest verification found it out of tolerance: it should not be used.',
          };
  }
}

/** Why a verification is in doubt, in the words of its first finding. */
function suspectVerdict(s: VerificationStatus): { zh: string; en: string } {
  const tail = { zh: '检定结果不能确认，须重新检定后方可使用。', en: 'the result cannot be relied on, and it must be verified again before use.' };
  switch (s.findings[0]?.code) {
    case 'OUT_OF_TOLERANCE':
      return { zh: `检定所用的计量标准事后被发现超差，${tail.zh}`, en: `The standard it was verified with was later found out of tolerance: ${tail.en}` };
    case 'LAB_NOT_AUTHORISED':
      return {
        zh: `检定机构当日没有相应的强制检定授权，${tail.zh}`,
        en: `The institution that verified it held no authority for this verification on that day: ${tail.en}`,
      };
    default:
      return {
        zh: `检定所依据的量值溯源链在检定当日不完整（溯源存疑），${tail.zh}`,
        en: `The traceability chain behind its verification was broken on the day it was performed: ${tail.en}`,
      };
  }
}

/** What the label is made from (a full status view will do). */
export interface LabelSource {
  readonly status: VerificationStatus;
  readonly equipment: Equipment;
  readonly lab: Organisation | null;
  /** Where the instrument is at the date (its latest relocation), when known. */
  readonly location?: string | null;
  /** The document looked up by its number, when it was. */
  readonly asked?: AskedDocument | null;
}

export function labelOf(v: LabelSource): Label {
  const s = v.status;
  const e = s.classification.entry;
  const rec = s.record;
  return {
    instrument: v.equipment.name,
    model: v.equipment.model,
    serialNumber: v.equipment.serialNumber,
    assetCode: v.equipment.assetCode,
    location: v.location ?? null,
    category: e ? { id: e.id, zh: e.instrumentZh, en: e.instrumentEn } : null,
    state: s.state,
    usable: isUsable(s),
    verdict: verdict(s),
    certificateNo: rec?.certificateNo ?? null,
    lab: v.lab?.name ?? null,
    verifiedOn: rec?.performedOn ?? null,
    validUntil: s.dueOn ?? rec?.validUntil ?? null,
    at: s.at,
    asked: v.asked ? askedLabel(v.asked, rec ? { certificateNo: rec.certificateNo, document: documentOf(rec) } : null) : null,
  };
}

const TEXT = {
  zh: {
    title: '计量器具检定状态查询',
    intro: '输入检定证书编号或器具编号，查询该计量器具是否经检定合格、能否使用。',
    field: '证书编号或器具编号',
    submit: '查询',
    instrument: '器具',
    model: '型号/规格',
    serial: '出厂编号',
    asset: '器具编号',
    location: '所在位置',
    category: '类别',
    certificate: '证书编号',
    lab: '检定机构',
    verifiedOn: '检定日期',
    validUntil: '有效期至',
    asOf: '查询日期',
    notFound: (q: string) => `没有找到证书编号或器具编号为「${q}」的计量器具。请核对标签上的编号。`,
    other: 'English',
    usable: '可以使用',
    notUsable: '不得使用',
  },
  en: {
    title: 'Verification status lookup',
    intro: 'Type the certificate number or the instrument code from the label to see whether the instrument is verified and may be used.',
    field: 'Certificate number or instrument code',
    submit: 'Look up',
    instrument: 'Instrument',
    model: 'Model',
    serial: 'Serial No.',
    asset: 'Asset No.',
    location: 'Location',
    category: 'Category',
    certificate: 'Certificate',
    lab: 'Verified by',
    verifiedOn: 'Verified on',
    validUntil: 'Valid until',
    asOf: 'As of',
    notFound: (q: string) => `No instrument has the certificate number or instrument code “${q}”. Check the number on the label.`,
    other: '中文',
    usable: 'May be used',
    notUsable: 'Must not be used',
  },
} as const;

/**
 * The code to look up from what was typed or scanned: a label's QR code holds
 * the lookup address itself (`https://…/lookup?q=<certificate number>`), which
 * a scanner app may paste whole; that gives its `q`. Anything else is the code.
 */
export function codeFromScan(text: string): string {
  const s = text.trim();
  if (!/^https?:\/\//i.test(s)) return s;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return s;
  }
  const q = url.searchParams.get('q')?.trim();
  return /\/lookup\/?$/.test(url.pathname) && q ? q : s;
}

export type LookupOutcome =
  | { readonly kind: 'form' }
  | { readonly kind: 'found'; readonly label: Label }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'invalid'; readonly message: string };

/** The whole lookup page: a plain form (no script) and, after a lookup, the label. */
export function renderLookupPage(lang: Lang, query: string, outcome: LookupOutcome): string {
  const t = TEXT[lang];
  const other: Lang = lang === 'zh' ? 'en' : 'zh';
  const otherHref = `/lookup?lang=${other}${query ? `&q=${encodeURIComponent(query)}` : ''}`;
  const rows = (l: Label) =>
    [
      [t.instrument, l.instrument],
      [t.model, l.model ?? '—'],
      [t.serial, l.serialNumber ?? '—'],
      [t.asset, l.assetCode ?? '—'],
      [t.location, l.location ?? '—'],
      [t.category, l.category ? (lang === 'zh' ? l.category.zh : l.category.en) : '—'],
      [t.certificate, l.certificateNo ?? '—'],
      [t.lab, l.lab ?? '—'],
      [t.verifiedOn, l.verifiedOn ?? '—'],
      [t.validUntil, l.validUntil ?? '—'],
      [t.asOf, l.at],
    ]
      .map(([k, v]) => `<tr><th scope="row">${esc(k!)}</th><td>${esc(v!)}</td></tr>`)
      .join('');
  let result = '';
  if (outcome.kind === 'found') {
    const l = outcome.label;
    result = `<section id="result" class="result ${l.usable ? 'ok' : 'stop'}" data-state="${l.state}" aria-live="polite">
${l.asked?.note ? `<p class="asked" role="note">${esc(l.asked.note[lang])}</p>\n` : ''}<p class="verdict"><strong>${esc(l.usable ? t.usable : t.notUsable)}</strong> — ${esc(l.verdict[lang])}</p>
<table>${rows(l)}</table>
</section>`;
  } else if (outcome.kind === 'not_found') {
    result = `<section id="result" class="result missing" data-state="not_found" aria-live="polite"><p>${esc(t.notFound(query))}</p></section>`;
  } else if (outcome.kind === 'invalid') {
    result = `<section id="result" class="result missing" data-state="invalid" aria-live="polite"><p>${esc(outcome.message)}</p></section>`;
  }
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(t.title)} · metrotrace</title>
<link rel="stylesheet" href="/lookup.css">
</head>
<body>
<main>
<nav><a id="switch-lang" href="${esc(otherHref)}" hreflang="${other}">${esc(t.other)}</a></nav>
<h1>${esc(t.title)}</h1>
<p>${esc(t.intro)}</p>
<form method="get" action="/lookup">
<input type="hidden" name="lang" value="${lang}">
<label for="q">${esc(t.field)}</label>
<input id="q" name="q" type="text" maxlength="1000" required value="${esc(query)}" autocomplete="off">
<button type="submit">${esc(t.submit)}</button>
</form>
${result}
</main>
</body>
</html>
`;
}

export const LOOKUP_CSS = `body{font:16px/1.5 system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:0;background:#f6f7f9;color:#1d2430}
main{max-width:40rem;margin:2rem auto;padding:0 1rem}
nav{text-align:right}
h1{font-size:1.5rem}
form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
label{flex-basis:100%;font-weight:600}
input[type=text]{flex:1;min-width:12rem;padding:.5rem;font-size:1rem;border:1px solid #8a94a6;border-radius:4px}
button{padding:.5rem 1.2rem;font-size:1rem;border:0;border-radius:4px;background:#1f5fbf;color:#fff;cursor:pointer}
.result{margin-top:1.5rem;padding:1rem;border-radius:6px;background:#fff;border-left:6px solid #8a94a6}
.result.ok{border-color:#1e8a4a}
.result.stop{border-color:#c0392b}
.verdict{font-size:1.1rem}
.asked{margin:0 0 .8rem;padding:.5rem .7rem;background:#fff7e0;border:1px solid #e0b84c;border-radius:4px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.3rem .5rem;border-top:1px solid #e3e6eb}
th{width:35%;font-weight:500;color:#4a5568}
`;
