/** The public face of a verification: the label's facts and verdict in both languages for each state, a scanned QR address, and the lookup page. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { codeFromScan, type Label, labelOf, renderLookupPage } from '../../src/codecs/label.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import type { CalibrationRecord, Equipment, Organisation } from '../../src/core/registry/types.ts';
import type { VerificationStatus } from '../../src/core/verification/status.ts';

const record = {
  certificateNo: 'XH-JD2026-00317',
  performedOn: '2026-03-01',
  validUntil: '2027-02-28',
  kind: 'verification',
  conformity: 'pass',
} as CalibrationRecord;
const status = (state: VerificationStatus['state'], over: Partial<VerificationStatus> = {}): VerificationStatus =>
  ({
    equipmentId: 'scale-1',
    at: '2026-11-25' as CalendarDate,
    state,
    classification: {
      mandatory: true,
      reason: 'r',
      catalogueId: 'c',
      entry: { id: 'MV016', instrumentZh: '电子计价秤', instrumentEn: 'price-computing scale' },
    },
    policy: null,
    record,
    firstVerifiedOn: null,
    dueOn: '2027-02-28',
    daysToDue: 95,
    serviceLifeEndsOn: null,
    graceEndsOn: null,
    findings: [],
    message: '',
    ...over,
  }) as VerificationStatus;
const equipment = { name: 'Scale, stall 17', model: 'ACS-30', serialNumber: 'SN-1', assetCode: null, ownerId: 'secret-owner' } as unknown as Equipment;
const label = (s: VerificationStatus, lab: Organisation | null = { name: 'District Station' } as Organisation) =>
  labelOf({ status: s, equipment, lab, location: 'stall 17' });

const labels = suite('labelOf');

labels('an instrument in force: its identity, category, certificate and due date; nothing of the owner', () => {
  const l = label(status('in_force'));
  assert.equal(l, {
    instrument: 'Scale, stall 17',
    model: 'ACS-30',
    serialNumber: 'SN-1',
    assetCode: null,
    location: 'stall 17',
    category: { id: 'MV016', zh: '电子计价秤', en: 'price-computing scale' },
    state: 'in_force',
    usable: true,
    verdict: { zh: '检定合格，在有效期内，可以使用。', en: 'Verified and within its validity: it may be used.' },
    certificateNo: 'XH-JD2026-00317',
    lab: 'District Station',
    verifiedOn: '2026-03-01',
    validUntil: '2027-02-28',
    at: '2026-11-25',
    asked: null,
  });
  assert.not.match(JSON.stringify(l), 'secret-owner');
});

labels('no record, no lab, no entry: nulls; validity from the record when no due date', () => {
  const l = labelOf({
    status: status('never_verified', { record: null, dueOn: null, classification: { mandatory: true, reason: '', catalogueId: null, entry: null } as never }),
    equipment,
    lab: null,
  });
  assert.equal([l.category, l.certificateNo, l.lab, l.verifiedOn, l.validUntil, l.location, l.usable], [null, null, null, null, null, null, false]);
  assert.equal(l.verdict.en, 'There is no verification on record: it must not be used.');
  assert.is(label(status('in_force', { dueOn: null })).validUntil, '2027-02-28');
});

labels('a calibration certificate looked up for an instrument whose status rests on its verification: said not to be the basis', () => {
  const asked = {
    number: 'CAL-9',
    by: 'certificateNo',
    certificateNo: 'CAL-9',
    certificateKind: 'calibration_certificate',
    performedOn: '2026-06-01' as CalendarDate,
    standing: 'not_the_basis',
    supersededBy: null,
  } as const;
  const l = labelOf({ status: status('in_force'), equipment, lab: null, asked });
  assert.equal(l.asked?.note, {
    zh: '您查询的「CAL-9」是校准日期为 2026-06-01 的校准证书；以下状态并非依据该文件判定，而是依据检定证书 XH-JD2026-00317。',
    en: '“CAL-9” is the calibration certificate of 2026-06-01; the status below does not rest on it, but on the verification certificate XH-JD2026-00317.',
  });
  // a label's number belongs to a document; it is not one
  const byLabel = labelOf({ status: status('in_force'), equipment, lab: null, asked: { ...asked, number: 'HG-1', by: 'labelNo', standing: 'replaced' } });
  assert.equal(byLabel.asked?.note, {
    zh: '您查询的合格证号「HG-1」属于校准日期为 2026-06-01 的校准证书 CAL-9，并非该器具现行有效的证书；当前状态依据其后的检定证书 XH-JD2026-00317。以下是该器具现在的状态。',
    en: 'Label no. “HG-1” belongs to the calibration certificate CAL-9 (calibrated 2026-06-01), not the instrument’s current certificate: its status now rests on the verification certificate XH-JD2026-00317, issued later. Below is the instrument’s status now.',
  });
  const never = labelOf({ status: status('never_verified', { record: null }), equipment, lab: null, asked });
  assert.is(never.asked?.note?.en, '“CAL-9” is the calibration certificate of 2026-06-01; the status below does not rest on it.');
  const page = renderLookupPage('en', 'CAL-9', { kind: 'found', label: never });
  assert.ok(page.indexOf('class="asked"') < page.indexOf('class="verdict"'), 'the note comes before the verdict');
});

labels('the verdict of each state, with days and dates filled in', () => {
  const en = (s: VerificationStatus) => label(s).verdict.en;
  assert.is(en(status('due_soon', { daysToDue: 1 })), 'Verified and within its validity: it may be used. It is due for re-verification in 1 day.');
  assert.is(label(status('due_soon', { daysToDue: 12 })).verdict.zh, '检定合格，在有效期内，可以使用；12 天后到期，应及时送检。');
  assert.match(en(status('due_soon', { daysToDue: 12 })), 'in 12 days.');
  assert.is(
    en(status('expired_in_grace', { dueOn: '2026-11-20' as CalendarDate, graceEndsOn: '2026-12-20' as CalendarDate })),
    'Its verification expired after 2026-11-20: it must not be used until verified again (a local grace period until 2026-12-20 only delays its listing as overdue).',
  );
  assert.match(en(status('overdue')), 'has lapsed');
  assert.match(en(status('failed')), 'failed its latest verification');
  assert.match(en(status('service_life_ended')), 'service life has ended');
  assert.match(en(status('to_rotate', { daysToDue: 0, dueOn: '2026-11-25' as CalendarDate })), 'must be replaced by 2026-11-25, after which');
  assert.is(
    en(status('to_rotate', { daysToDue: -1, dueOn: '2026-11-24' as CalendarDate })),
    'Its lot of meters in service was to be rotated by 2026-11-24: it may not stay in service.',
  );
  assert.match(en(status('withdrawn')), 'withdrawn from use');
  assert.match(en(status('use_prohibited')), 'prohibited its use');
  assert.match(en(status('reverification_required')), 'seal broken');
  assert.is(en(status('not_mandatory')), 'It is not under mandatory verification.');
  const failedOptional = status('not_mandatory', { record: { ...record, conformity: 'fail' } as CalibrationRecord });
  assert.is(label(failedOptional).usable, false);
  assert.match(en(failedOptional), 'out of tolerance: it should not be used');
});

labels('a suspect verification in the words of its first finding', () => {
  const suspect = (code: string) => label(status('suspect', { findings: [{ code } as never] })).verdict;
  assert.match(suspect('OUT_OF_TOLERANCE').en, /^The standard it was verified with was later found out of tolerance: the result cannot be relied on/);
  assert.match(suspect('LAB_NOT_AUTHORISED').zh, /^检定机构当日没有相应的强制检定授权，检定结果不能确认/);
  assert.match(suspect('CHAIN_BROKEN').en, /^The traceability chain behind its verification was broken/);
  assert.is(label(status('suspect')).usable, false);
});

const scans = suite('codeFromScan');

scans('a lookup address gives its q; anything else is the code, trimmed', () => {
  assert.is(codeFromScan('https://m.example/lookup?q=XH-JD2026-00317'), 'XH-JD2026-00317');
  assert.is(codeFromScan(' HTTP://m.example/app/lookup/?lang=zh&q=%E6%A3%80%201 '), '检 1');
  assert.is(codeFromScan('  XH-JD2026-00317 '), 'XH-JD2026-00317');
  assert.is(codeFromScan('https://m.example/other?q=X'), 'https://m.example/other?q=X');
  assert.is(codeFromScan('https://m.example/lookup?q=%20'), 'https://m.example/lookup?q=%20');
  assert.is(codeFromScan('https://m.example/lookup'), 'https://m.example/lookup');
  assert.is(codeFromScan('http://[bad'), 'http://[bad');
});

const pages = suite('lookup page');

pages('the form alone, in Chinese, with the switch to English keeping the query', () => {
  const html = renderLookupPage('zh', 'A&B', { kind: 'form' });
  assert.match(html, '<html lang="zh-CN">');
  assert.match(html, '<title>计量器具检定状态查询 · metrotrace</title>');
  assert.match(html, '<a id="switch-lang" href="/lookup?lang=en&amp;q=A%26B" hreflang="en">English</a>');
  assert.match(html, '<input type="hidden" name="lang" value="zh">');
  assert.match(html, 'value="A&amp;B"');
  assert.not.match(html, 'id="result"');
  assert.not.match(html, '<script');
  assert.match(renderLookupPage('en', '', { kind: 'form' }), 'href="/lookup?lang=zh" hreflang="zh">中文</a>');
});

pages('a label found: may or must not be used, the verdict and the facts in the page language', () => {
  const ok = renderLookupPage('en', 'XH-JD2026-00317', { kind: 'found', label: label(status('in_force')) });
  assert.match(ok, '<section id="result" class="result ok" data-state="in_force" aria-live="polite">');
  assert.match(ok, '<p class="verdict"><strong>May be used</strong> — Verified and within its validity: it may be used.</p>');
  assert.match(ok, '<tr><th scope="row">Category</th><td>price-computing scale</td></tr>');
  assert.match(ok, '<tr><th scope="row">Asset No.</th><td>—</td></tr>');
  const stop = renderLookupPage('zh', 'x', { kind: 'found', label: { ...label(status('overdue')), instrument: '<b>秤</b>' } as Label });
  assert.match(stop, 'class="result stop" data-state="overdue"');
  assert.match(stop, '<strong>不得使用</strong> — 检定已过有效期');
  assert.match(stop, '<tr><th scope="row">类别</th><td>电子计价秤</td></tr>');
  assert.match(stop, '<td>&lt;b&gt;秤&lt;/b&gt;</td>');
});

pages('not found and invalid: the query or message escaped', () => {
  assert.match(
    renderLookupPage('en', '<x>', { kind: 'not_found' }),
    'data-state="not_found" aria-live="polite"><p>No instrument has the certificate number or instrument code “&lt;x&gt;”.',
  );
  assert.match(renderLookupPage('zh', 'q', { kind: 'not_found' }), '没有找到证书编号或器具编号为「q」的计量器具。');
  assert.match(renderLookupPage('en', 'q', { kind: 'invalid', message: 'too <long>' }), 'data-state="invalid" aria-live="polite"><p>too &lt;long&gt;</p>');
});

labels.run();
scans.run();
pages.run();
