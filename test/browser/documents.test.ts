/**
 * The printable documents in a real headless browser (Debian's chromium
 * driven by playwright-core, as test/browser/lookup.test.ts): the certificate
 * pages render under the app's CSP with their stylesheet and print on A4, the
 * label renders, and its QR code — read from a screenshot with jsqr, as a
 * phone would — opens the public lookup, which shows the instrument the label
 * promises. Skipped, with the reason, where there is no browser.
 */
import { existsSync } from 'node:fs';
import jsqr from 'jsqr';
import type { Page } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withApp } from '../helpers/app.ts';
import { executablePath, withBrowser } from '../helpers/browser.ts';
import { testDatabases } from '../helpers/db.ts';

/** jsqr is CommonJS: its function is the module's `default`. */
const jsQR = jsqr.default;

/** Collects what the page reports as errors: console errors (CSP violations among them), uncaught exceptions, failed requests. */
function watch(tab: Page): string[] {
  const errors: string[] = [];
  tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  tab.on('pageerror', (e) => errors.push(String(e)));
  tab.on('requestfailed', (r) => errors.push(`${r.url()}: ${r.failure()?.errorText}`));
  tab.on('response', (r) => r.status() >= 400 && errors.push(`${r.url()}: ${r.status()}`));
  return errors;
}

/** Runs in the page (as source text: the page has the DOM, this program does not): a base64 PNG → its RGBA pixels, base64. */
const DECODE_PNG_IN_PAGE = `async (b64) => {
  const img = new Image();
  img.src = 'data:image/png;base64,' + b64;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let s = '';
  for (let i = 0; i < data.length; i += 0x8000) s += String.fromCharCode(...data.subarray(i, i + 0x8000));
  return { width: canvas.width, height: canvas.height, pixels: btoa(s) };
}`;

const available = existsSync(executablePath);
if (!available)
  console.log(`browser tests skipped: no browser at ${executablePath} (scripts/ensure-test-tools.sh installs Debian's chromium as root; or set CHROMIUM_PATH)`);
const suiteOf = suite('printable documents in a browser');
const page = available ? suiteOf : suiteOf.skip;

page('the certificate pages render under the CSP with their A4 stylesheet, in Chinese and English, and print as A4', () =>
  withApp(testDatabases()[0]!, async ({ app, keyFor }) => {
    const key = await keyFor('lab', 'district-station'); // the lab that performed both verifications
    await withBrowser(async (browser) => {
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      const context = await browser.newContext({ extraHTTPHeaders: { authorization: `Bearer ${key}` } });
      const tab = await context.newPage();
      const errors = watch(tab);
      for (const [record, lang, title] of [
        ['rec-stall17-2026', 'zh', '检定证书'],
        ['rec-stall17-2026', 'en', 'Verification Certificate'],
        ['rec-infant-2026', 'zh', '检定结果通知书'],
      ] as const) {
        const res = await tab.goto(`${base}/v1/calibrations/${record}/certificate.html?lang=${lang}`);
        assert.is(res?.status(), 200);
        assert.is(await tab.textContent('h1'), title);
        // the stylesheet applied (a CSP that blocked it would leave the page at the browser's defaults)
        const width = await tab.evaluate<string>("getComputedStyle(document.querySelector('article.certificate')).width");
        assert.ok(Math.abs(parseFloat(width) - (210 * 96) / 25.4) < 1, `A4 width, got ${width}`);
        assert.is(await tab.textContent('#certificate-no'), record === 'rec-stall17-2026' ? 'XH-JD2026-00317' : 'XH-JD2026-01288');
      }
      await tab.goto(`${base}/v1/calibrations/rec-stall17-2026/certificate.html`);
      await tab.click('#switch-lang');
      await tab.waitForSelector('html[lang="en"]');
      assert.is(await tab.textContent('h1'), 'Verification Certificate');
      await tab.emulateMedia({ media: 'print' });
      assert.is(await tab.evaluate<string>("getComputedStyle(document.querySelector('nav')).display"), 'none', 'the language link is not printed');
      const pdf = (await tab.pdf({ preferCSSPageSize: true, printBackground: true })).toString('latin1');
      const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf);
      assert.ok(box, 'the PDF has a page');
      assert.ok(Math.abs(Number(box![1]) - 595.28) < 1 && Math.abs(Number(box![2]) - 841.89) < 1, `an A4 page, got ${box![1]} × ${box![2]}`);
      assert.equal(errors, [], `no console errors: ${errors.join('; ')}`);
      await context.close();
    });
  }),
);

page('the label renders, its QR code read from a screenshot opens the lookup, and the lookup shows the instrument the label promises', () =>
  withApp(testDatabases()[0]!, async ({ app, keyFor }) => {
    const key = await keyFor('lab', 'district-station');
    await withBrowser(async (browser) => {
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      const context = await browser.newContext({ extraHTTPHeaders: { authorization: `Bearer ${key}` }, deviceScaleFactor: 2 });
      const tab = await context.newPage();
      const errors = watch(tab);
      const res = await tab.goto(`${base}/v1/calibrations/rec-stall17-2026/label.svg`);
      assert.is(res?.status(), 200);
      assert.match(String(res?.headers()['content-type']), /image\/svg\+xml/);
      const png = await tab.locator('svg').screenshot({ type: 'png' });
      assert.equal(errors, [], `no console errors: ${errors.join('; ')}`);

      // the PNG's pixels, decoded by the browser's own image decoder on a blank page
      const blank = await context.newPage();
      const { width, height, pixels } = await blank.evaluate<{ width: number; height: number; pixels: string }>(
        `(${DECODE_PNG_IN_PAGE})(${JSON.stringify(png.toString('base64'))})`,
      );
      assert.ok(width >= 500, `screenshot ${width} × ${height}`);
      const qr = jsQR(new Uint8ClampedArray(Buffer.from(pixels, 'base64')), width, height);
      assert.ok(qr, 'a QR code is found in the screenshot');
      const url = `${base}/lookup?q=XH-JD2026-00317`;
      assert.is(qr!.data, url);

      // a phone opens it: no key
      const phone = await browser.newContext({ locale: 'en-GB' });
      const visitor = await phone.newPage();
      const visitorErrors = watch(visitor);
      await visitor.goto(qr!.data);
      await visitor.waitForSelector('#result');
      assert.is(await visitor.getAttribute('#result', 'data-state'), 'in_force');
      const table = (await visitor.textContent('#result table')) ?? '';
      for (const shown of ['Electronic price-computing scale, stall 17', 'TCS-30', 'TS-30-88172', 'LH-17', 'XH-JD2026-00317', '2027-03-11'])
        assert.ok(table.includes(shown), `${shown} in ${table}`);
      assert.not.ok(/Longhua Wet Market|city-market/.test(table), "no owner's register");
      // a scanner app that pastes the whole address into the form is understood too
      await visitor.fill('#q', url);
      await visitor.click('button[type=submit]');
      await visitor.waitForSelector('#result[data-state="in_force"]');
      assert.is(await visitor.inputValue('#q'), 'XH-JD2026-00317');
      assert.equal(visitorErrors, [], `no console errors: ${visitorErrors.join('; ')}`);
      await phone.close();
      await context.close();
    });
  }),
);

suiteOf.run();
