/**
 * The web pages at /app in a real headless browser (Debian's chromium driven
 * by playwright-core), one person per role walking the flow of issue #21:
 * the owner signs in, imports a 50-row XLSX with 3 bad rows (sees the 3
 * problems), fixes it and imports it; the lab records a verification of one
 * of the imported scales through the form (sees the API's problem at its
 * field, then succeeds); the inspector finds it by its certificate number and
 * opens its chain and makes a capacity plan; the auditor runs an energy audit
 * and reads the report; the lab records its weight set out of tolerance and
 * reads the finding's impact list, which names the scale it verified.
 * No console errors on any page (the strict CSP would report inline script or
 * style). With SCREENSHOTS=docs/screenshots the pages are photographed there
 * (the PNGs the README shows). Without a browser the test is reported skipped.
 */
import { existsSync, mkdirSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withApp } from '../helpers/app.ts';
import { executablePath, withBrowser } from '../helpers/browser.ts';
import { countOf, testDatabases } from '../helpers/db.ts';

const SHOTS = process.env.SCREENSHOTS;

const HEADERS_ZH = [
  '器具ID',
  '使用单位ID',
  '计量器具名称',
  '器具编号',
  '出厂编号',
  '被测量',
  '测量范围下限',
  '测量范围上限',
  '测量范围单位',
  '准确度等级',
  '计量器具层级',
  '强制管理目录编号',
  '用途',
];
const scaleRow = (n: number): Array<string | number> => {
  const nn = String(n).padStart(3, '0');
  return [
    `web-scale-${nn}`,
    'city-market',
    `电子计价秤 ${nn} 号摊位`,
    `WS-${nn}`,
    `2025${nn}`,
    '质量',
    0.04,
    30,
    'kg',
    'III',
    '工作计量器具',
    'MV016',
    '贸易结算',
  ];
};
async function xlsxOf(rows: Array<Array<string | number>>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('台账');
  sheet.addRow(HEADERS_ZH);
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function shot(tab: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await tab.screenshot({ path: `${SHOTS}/${name}.png` });
}

const available = existsSync(executablePath);
if (!available)
  console.log(`browser tests skipped: no browser at ${executablePath} (scripts/ensure-test-tools.sh installs Debian's chromium as root; or set CHROMIUM_PATH)`);
const suiteOf = suite('web pages at /app in a browser');
const page = available ? suiteOf : suiteOf.skip;

page('owner imports, lab records, inspector finds the chain, auditor audits — signed in by key, no console errors', () =>
  withApp(testDatabases()[0]!, ({ app, keyFor, db }) =>
    withBrowser(async (browser) => {
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      const errors: string[] = [];
      const keys = {
        owner: await keyFor('owner', 'city-market'),
        lab: await keyFor('lab', 'district-station'),
        inspector: await keyFor('inspector', 'city-samr'),
        auditor: await keyFor('auditor', 'city-samr'),
      };
      const html: string[] = [];

      /** A fresh browser for a person: signs in at /app with the key, lands on the role's first page. */
      async function person(key: string, lang: 'zh' | 'en') {
        const context = await browser.newContext({ viewport: { width: 1100, height: 760 }, locale: lang === 'zh' ? 'zh-CN' : 'en-GB' });
        const tab = await context.newPage();
        tab.on('console', (m) => m.type() === 'error' && errors.push(`${tab.url()}: ${m.text()}`));
        tab.on('pageerror', (e) => errors.push(`${tab.url()}: ${String(e)}`));
        tab.on('response', async (r) => {
          if ((r.headers()['content-type'] ?? '').startsWith('text/html')) html.push(await r.text().catch(() => ''));
        });
        await tab.goto(`${base}/app${lang === 'en' ? '?lang=en' : ''}`);
        assert.match(tab.url(), /\/app\/sign-in/, 'not signed in: the sign-in form');
        await tab.fill('#f-key', key);
        await tab.click('#sign-in');
        await tab.waitForSelector('#who');
        const cookie = (await context.cookies()).find((c) => c.name === 'mt_session')!;
        assert.equal([cookie.httpOnly, cookie.sameSite, cookie.path], [true, 'Strict', '/app'], 'the session cookie');
        return { context, tab };
      }

      // ---- the owner: its instruments, then the import ----
      const owner = await person(keys.owner, 'zh');
      let tab = owner.tab;
      assert.match(tab.url(), /\/app\/instruments$/);
      assert.is(await tab.textContent('h1'), '计量器具及检定状态');
      assert.ok((await tab.locator('#instruments tbody tr').count()) >= 3, 'the market sees its instruments');
      assert.is(await tab.getAttribute('#instruments tr[data-id="scale-stall-17"]', 'data-state'), 'in_force');
      await shot(tab, 'app-owner-instruments');

      const rows = Array.from({ length: 50 }, (_, i) => scaleRow(i + 1));
      const bad = rows.map((r) => [...r]);
      bad[6]![6] = 40; // row 8: lower bound above the upper
      bad[19]![11] = 'MV999'; // row 21: no such category
      bad[40]![7] = '三十'; // row 42: not a decimal
      await tab.click('nav.main a[href="/app/import"]');
      await tab.setInputFiles('#f-file', { name: '台账.xlsx', mimeType: XLSX, buffer: await xlsxOf(bad) });
      await tab.click('#dry-run');
      await tab.waitForSelector('#job[data-dry-run="true"]');
      assert.is(await tab.getAttribute('#job', 'data-problems'), '3');
      const problems = await tab.$$eval('#problems tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent)));
      assert.equal(problems, [
        ['8', '测量范围下限', 'INVALID_RANGE'],
        ['21', '强制管理目录编号', 'UNKNOWN_REFERENCE'],
        ['42', '测量范围上限', 'INVALID_DECIMAL'],
      ]);
      assert.match((await tab.textContent('#problems')) ?? '', /MV999/, 'the sentence names the value');
      assert.is(await countOf(db, "select count(*)::int as n from equipment where id like 'web-scale-%'"), 0, 'a check writes nothing');
      await shot(tab, 'app-owner-import-errors');
      await tab.setInputFiles('#f-file', { name: '台账.xlsx', mimeType: XLSX, buffer: await xlsxOf(rows) });
      await tab.click('#commit');
      await tab.waitForSelector('#job[data-dry-run="false"]');
      assert.is(await tab.getAttribute('#job', 'data-problems'), '0');
      assert.match((await tab.textContent('#job-counts')) ?? '', /已登记: 50/);
      await shot(tab, 'app-owner-import-done');
      await tab.click('#sign-out');
      await tab.waitForSelector('#sign-in');
      await owner.context.close();

      // ---- the lab: its standards, then a verification through the form ----
      const lab = await person(keys.lab, 'en');
      tab = lab.tab;
      assert.match(tab.url(), /\/app\/standards/);
      const standards = await tab.$$eval('#standards tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-id')));
      assert.ok(standards.includes('district-f1-set'), standards.join());
      await shot(tab, 'app-lab-standards');
      await tab.click('nav.main a[href="/app/record"]');
      await tab.selectOption('#f-kind', 'verification');
      await tab.fill('#f-subjectId', 'web-scale-007');
      await tab.fill('#f-certificateNo', 'XH-JD2026-05007');
      await tab.fill('#f-performedOn', '2026-11-25'); // the weight set's assessment certificate ended the day before
      await tab.fill('#f-validUntil', '2027-11-24');
      await tab.selectOption('#f-conformity', 'pass');
      await tab.fill('#f-referenceIds', 'district-f1-set');
      await tab.selectOption('#f-verificationType', 'initial');
      await tab.fill('#f-procedure', 'JJG 539-2016');
      await tab.fill('#f-nominal', '15');
      await tab.fill('#f-asFound', '15.004');
      await tab.fill('#f-unit', 'kg');
      await tab.click('#record-submit');
      await tab.waitForSelector('#err-referenceIds');
      assert.match((await tab.textContent('#err-referenceIds')) ?? '', /REFERENCE_NOT_VALID.*ASSESSMENT_EXPIRED/);
      assert.is(await tab.inputValue('#f-certificateNo'), 'XH-JD2026-05007', 'the form keeps what was typed');
      await shot(tab, 'app-lab-record-error');
      await tab.fill('#f-performedOn', '2026-11-20');
      await tab.fill('#f-validUntil', '2027-11-19');
      await tab.click('#record-submit');
      await tab.waitForSelector('#message.ok');
      assert.match((await tab.textContent('#message')) ?? '', /XH-JD2026-05007/);
      await shot(tab, 'app-lab-record-done');
      await lab.context.close();

      // ---- the inspector: finds it by certificate number, opens its chain ----
      const inspector = await person(keys.inspector, 'zh');
      tab = inspector.tab;
      assert.match(tab.url(), /\/app\/search/);
      await tab.fill('#f-q', 'XH-JD2026-05007');
      await tab.click('#search');
      await tab.waitForSelector('#results tr[data-id="web-scale-007"]');
      await tab.click('#results tr[data-id="web-scale-007"] a');
      await tab.waitForSelector('#status');
      assert.is(await tab.getAttribute('#status', 'data-state'), 'in_force');
      // the chain diagram (the API's SVG, from the session) has loaded
      await tab.waitForFunction("(() => { const img = document.querySelector('#chain'); return img !== null && img.complete && img.naturalWidth > 0; })()");
      assert.match((await tab.textContent('#history')) ?? '', /XH-JD2026-05007/);
      await shot(tab, 'app-inspector-instrument');
      await tab.click('nav.main a[href="/app/due"]');
      await tab.waitForSelector('#due');
      const csv = await tab.request.get(base + ((await tab.getAttribute('#due-csv', 'href')) ?? ''));
      assert.is(csv.status(), 200);
      assert.match(await csv.text(), /^\uFEFF器具ID/, 'the due list as CSV for Excel, Chinese headers');
      // a verification capacity plan for the year ahead
      await tab.click('nav.main a[href="/app/plans"]');
      await tab.fill('#f-from', '2026-12-01');
      await tab.fill('#f-months', '12');
      await tab.click('#run-plan');
      await tab.waitForSelector('#plan-summary');
      assert.match(tab.url(), /\/app\/plans\/[^/]+$/);
      await shot(tab, 'app-inspector-plan');
      await inspector.context.close();

      // ---- the auditor: runs an audit, reads the report ----
      const auditor = await person(keys.auditor, 'en');
      tab = auditor.tab;
      assert.match(tab.url(), /\/app\/audits/);
      await tab.selectOption('#f-organisationId', 'steel-works');
      await tab.fill('#f-at', '2026-11-25');
      await shot(tab, 'app-auditor-form');
      await tab.click('#run-audit');
      await tab.waitForSelector('h1');
      assert.match(tab.url(), /\/app\/audits\/[^/]+$/);
      assert.match((await tab.textContent('h1')) ?? '', /Energy-metering audit/);
      await shot(tab, 'app-auditor-report');
      await auditor.context.close();

      // ---- the lab again: its weight set found out of tolerance; the finding's impact list names the scale it verified ----
      const labAgain = await person(keys.lab, 'en');
      tab = labAgain.tab;
      await tab.click('nav.main a[href="/app/findings"]');
      await tab.selectOption('#f-equipmentId', 'district-f1-set');
      await tab.fill('#f-foundOn', '2026-11-25');
      await tab.fill('#f-lastKnownGood', '2026-11-01');
      await tab.fill('#f-remarks', 'intermediate check: the 20 kg weight 35 mg heavy');
      await tab.click('#finding-submit');
      await tab.waitForSelector('#message.ok');
      assert.ok(await tab.$('#impact tr[data-id="web-scale-007"]'), 'the scale verified with the set since its last known good day');
      await shot(tab, 'app-lab-finding');
      await labAgain.context.close();

      assert.equal(errors, [], `no console errors: ${errors.join('\n')}`);
      for (const [role, key] of Object.entries(keys))
        assert.not.ok(
          html.some((h) => h.includes(key)),
          `the ${role}'s key appears in no page`,
        );
    }),
  ),
);

suiteOf.run();
