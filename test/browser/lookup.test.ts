/**
 * The public lookup page and the API documentation in a real headless browser
 * (Debian's chromium driven by playwright-core): a visitor without a key goes
 * from / to /lookup, types a certificate number, reads the verdict, switches
 * language, and the /docs UI renders under the security headers' CSP.
 * scripts/ensure-test-tools.sh (run by `npm test` and CI) installs chromium where
 * it can; set CHROMIUM_PATH to use another binary. Without a browser the
 * tests are reported skipped, with the reason.
 */
import { existsSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withApp } from '../helpers/app.ts';
import { executablePath, withBrowser } from '../helpers/browser.ts';
import { testDatabases } from '../helpers/db.ts';

const available = existsSync(executablePath);
if (!available)
  console.log(`browser tests skipped: no browser at ${executablePath} (scripts/ensure-test-tools.sh installs Debian's chromium as root; or set CHROMIUM_PATH)`);
const suiteOf = suite('lookup page in a browser');
const page = available ? suiteOf : suiteOf.skip;

page('a visitor finds the lookup from /, reads the verdict in English and in Chinese, and a wrong number is explained', () =>
  withApp(testDatabases()[0]!, ({ app }) =>
    withBrowser(async (browser) => {
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      const context = await browser.newContext({ locale: 'en-GB' });
      const tab = await context.newPage();
      const errors: string[] = [];
      tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      tab.on('pageerror', (e) => errors.push(String(e)));

      await tab.goto(base + '/');
      await tab.click('#lookup-link');
      assert.match(tab.url(), /\/lookup$/);
      assert.is(await tab.textContent('h1'), 'Verification status lookup');

      await tab.fill('#q', 'XH-JD2026-00317');
      await tab.click('button[type=submit]');
      await tab.waitForSelector('#result');
      assert.is(await tab.getAttribute('#result', 'data-state'), 'in_force');
      const verdict = (await tab.textContent('#result .verdict')) ?? '';
      assert.match(verdict, /May be used/);
      const table = (await tab.textContent('#result table')) ?? '';
      assert.match(table, /Xuhui District Metrology Verification Station/);
      assert.match(table, /2027-03-11/);
      assert.not.ok(table.includes('city-market'), 'no owner data');

      await tab.click('#switch-lang');
      await tab.waitForSelector('html[lang="zh-CN"]');
      assert.is(await tab.textContent('h1'), '计量器具检定状态查询');
      assert.match((await tab.textContent('#result .verdict')) ?? '', /可以使用/);

      assert.equal(errors, [], `no console errors: ${errors.join('; ')}`);
      await tab.fill('#q', 'NO-SUCH-CERT');
      await tab.click('button[type=submit]');
      await tab.waitForSelector('#result[data-state="not_found"]');
      assert.match((await tab.textContent('#result')) ?? '', /没有找到/);
      await context.close();
    }),
  ),
);

page('the /docs UI renders the OpenAPI document under the CSP', () =>
  withApp(
    testDatabases()[0]!,
    ({ app }) =>
      withBrowser(async (browser) => {
        const base = await app.listen({ port: 0, host: '127.0.0.1' });
        const tab = await browser.newPage();
        const violations: string[] = [];
        tab.on('console', (m) => /Content Security Policy/i.test(m.text()) && violations.push(m.text()));
        await tab.goto(base + '/docs');
        await tab.waitForSelector('.swagger-ui .info .title', { timeout: 30_000 });
        assert.match((await tab.textContent('.swagger-ui .info .title')) ?? '', /metrotrace API/);
        await tab.waitForSelector('.opblock-summary-path');
        const paths = await tab.$$eval('.opblock-summary-path', (els) => els.map((e) => e.textContent ?? ''));
        assert.ok(
          paths.some((p) => p.includes('/v1/label')),
          'the public lookup is listed',
        );
        assert.equal(violations, []);
      }),
    { demo: false },
  ),
);

suiteOf.run();
