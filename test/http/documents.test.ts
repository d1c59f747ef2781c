/**
 * The printable documents of a record: the certificate page (检定证书 /
 * 检定结果通知书 / 校准证书, zh and en), the label with its QR code (decoded
 * back with jsqr from the SVG's own rectangles), who may read them, and the
 * public lookup a scanned label opens — on PGlite and (with DATABASE_URL)
 * PostgreSQL.
 */
import jsqr from 'jsqr';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { codeFromScan } from '../../src/codecs/label.ts';
import { readConfig } from '../../src/main/config.ts';
import { ANONYMOUS, withApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';

/** jsqr is CommonJS: its function is the module's `default`. */
const jsQR = jsqr.default;

/** Rasterises the label's QR group (its rectangles, in label units) and decodes it as a phone would. */
export function decodeLabelQr(svg: string): string | null {
  const group = /<g id="qr"[^>]*>([\s\S]*?)<\/g>/.exec(svg)?.[1] ?? '';
  const rects = [...group.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)].map(
    (m) => m.slice(1, 5).map(Number) as [number, number, number, number],
  );
  const [bx, by, side] = rects[0]!; // the white square, quiet zone included
  const scale = 2;
  const n = Math.ceil(side * scale);
  const rgba = new Uint8ClampedArray(n * n * 4).fill(255);
  for (const [x, y, w, h] of rects.slice(1)) {
    for (let py = Math.round((y - by) * scale); py < Math.round((y - by + h) * scale); py++) {
      for (let px = Math.round((x - bx) * scale); px < Math.round((x - bx + w) * scale); px++) {
        const i = (py * n + px) * 4;
        rgba[i] = rgba[i + 1] = rgba[i + 2] = 0;
      }
    }
  }
  return jsQR(rgba, n, n)?.data ?? null;
}

const STALL17 = 'rec-stall17-2026';

for (const database of testDatabases()) {
  const it = suite(`printable certificates and labels on ${database.name}`);

  it('the 检定证书 of a passing verification, in Chinese: title, number, customer, instrument, conclusion, validity, the standard with its certificates as they stood that day, results, signatures', () =>
    withApp(database, async ({ app }) => {
      const res = await app.inject({ method: 'GET', url: `/v1/calibrations/${STALL17}/certificate.html` });
      assert.is(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-type']), /^text\/html; charset=utf-8/);
      const html = res.body;
      assert.match(html, /<html lang="zh-CN">/);
      assert.match(html, /<h1>检定证书<\/h1>/);
      assert.match(html, /<span id="certificate-no">XH-JD2026-00317<\/span>/);
      for (const [k, v] of [
        ['送检单位', 'Longhua Wet Market Management Co. (demo)'],
        ['计量器具名称', 'Electronic price-computing scale, stall 17'],
        ['型号/规格', 'TCS-30'],
        ['出厂编号', 'TS-30-88172'],
        ['器具编号', 'LH-17'],
        ['测量范围', '0.04–30 kg'],
        ['准确度等级', 'III 级'],
        ['检定结论', '合格'],
        ['检定日期', '2026-03-12'],
        ['有效期至', '2027-03-11'],
      ])
        assert.match(html, new RegExp(`<th scope="row">${k}</th><td>${v!.replace(/[().]/g, '\\$&')}</td>`), k);
      // the F1 set as it stood on 2026-03-12: its 2025 certificate and its assessment certificate
      const standards = /<table class="grid" id="standards">[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
      assert.match(standards, /F1 weight set 1 g – 20 kg/);
      assert.match(standards, /<td>SIMT-JD2025-1107<\/td><td class="date">2026-11-02<\/td>/);
      assert.match(standards, /<td>\[2021\]沪徐量标证字第0014号<\/td><td class="date">2026-11-24<\/td>/);
      assert.not.match(standards, /SIMT-JD2026-1021/, 'not the certificate issued after the verification');
      assert.match(html, /<table class="grid" id="results">[\s\S]*<td>15<\/td><td>15\.005<\/td>/);
      for (const who of ['检定员', '核验员', '批准人']) assert.match(html, new RegExp(`<span class="role">${who}</span>`));
      // the record's own document fields (issue #18 item 3): procedure, signatories, label and seal numbers
      for (const v of ['JJG 539-2016', '陈静', '刘洋', '周建国', 'XH-HG2026-00317', 'XH-FY2026-0317'])
        assert.ok(html.includes(v), `the certificate prints ${v}`);
      assert.match(html, /<footer>[\s\S]*Xuhui District Metrology Verification Station/);
      assert.match(html, /<link rel="stylesheet" href="\/certificate.css">/);
      assert.not.match(html, /<script|<style| style=/i, 'no script and no inline style (the CSP allows neither)');
      assert.match(html, /href="\/v1\/calibrations\/rec-stall17-2026\/certificate.html\?lang=en"/);

      const css = await app.inject({ method: 'GET', url: '/certificate.css', headers: ANONYMOUS });
      assert.is(css.statusCode, 200);
      assert.match(String(css.headers['content-type']), /text\/css/);
      assert.match(css.body, /@page\{size:A4/);
    }));

  it('?lang=en gives the same certificate in English; a calibration is a 校准证书 with its environmental conditions', () =>
    withApp(database, async ({ app }) => {
      const en = (await app.inject({ method: 'GET', url: `/v1/calibrations/${STALL17}/certificate.html?lang=en` })).body;
      assert.match(en, /<html lang="en">/);
      assert.match(en, /<h1>Verification Certificate<\/h1>/);
      assert.match(en, /<th scope="row">Customer<\/th><td>Longhua Wet Market Management Co\. \(demo\)<\/td>/);
      assert.match(en, /<th scope="row">Valid until<\/th><td>2027-03-11<\/td>/);
      assert.match(en, /<th scope="row">Accuracy class<\/th><td>class III<\/td>/);
      assert.match(en, /<span class="role">Verified by<\/span>/);

      const cal = (await app.inject({ method: 'GET', url: '/v1/calibrations/rec-city-e1-2025/certificate.html' })).body;
      assert.match(cal, /<h1>校准证书<\/h1>/);
      assert.match(cal, /<th scope="row">委托单位<\/th>/);
      assert.match(cal, /<th scope="row">建议复校日期<\/th><td>2027-04-09<\/td>/);
      assert.not.match(cal, /检定结论/, 'a calibration states no conformity');
      assert.match(cal, /<table class="grid" id="conditions">[\s\S]*<td>air temperature<\/td><td>20\.2 degC ± 0\.10 \(k = 2\)<\/td>/);
      assert.match(cal, /<span class="role">校准员<\/span>/);

      const bad = await app.inject({ method: 'GET', url: `/v1/calibrations/${STALL17}/certificate.html?lang=fr` });
      assert.is(bad.statusCode, 400);
    }));

  it('a failed verification is a 检定结果通知书 with no validity, and gets no label (422 LABEL_NOT_ISSUED); nor does a corrected record', () =>
    withApp(database, async ({ app }) => {
      const html = (await app.inject({ method: 'GET', url: '/v1/calibrations/rec-infant-2026/certificate.html' })).body;
      assert.match(html, /<h1>检定结果通知书<\/h1>/);
      assert.match(html, /<tr class="conclusion fail"><th scope="row">检定结论<\/th><td>不合格<\/td>/);
      const identity = /<table class="fields" id="identity">[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
      assert.match(identity, /检定日期/);
      assert.not.match(identity, /有效期至/, 'a result notice prints no validity');
      assert.not.match(html, /2027-06-01/);
      assert.match(html, /id="notice"/);

      const label = await app.inject({ method: 'GET', url: '/v1/calibrations/rec-infant-2026/label.svg' });
      assert.is(label.statusCode, 422, label.body);
      assert.is(label.json().code, 'LABEL_NOT_ISSUED');
      assert.match(label.json().detail, /failed verification: it gets a result notice/);

      const corrected = await app.inject({ method: 'GET', url: '/v1/calibrations/rec-steel-2026/label.svg' });
      assert.is(corrected.statusCode, 422, corrected.body);
      assert.is(corrected.json().code, 'LABEL_NOT_ISSUED');
      assert.match(corrected.json().detail, /corrected by record 'rec-steel-2026-corr'/);
      const page = (await app.inject({ method: 'GET', url: '/v1/calibrations/rec-steel-2026/certificate.html' })).body;
      assert.match(page, /id="superseded">本证书已被更正记录 rec-steel-2026-corr 替代/);
      assert.is((await app.inject({ method: 'GET', url: '/v1/calibrations/rec-steel-2026-corr/label.svg' })).statusCode, 200);

      const missing = await app.inject({ method: 'GET', url: '/v1/calibrations/no-such-record/label.svg' });
      assert.is(missing.statusCode, 404);
    }));

  it('the label: certificate number, validity, lab, and a QR code that decodes to the lookup address (METROTRACE_PUBLIC_URL, else the request’s own)', async () => {
    await withApp(database, async ({ app }) => {
      const res = await app.inject({ method: 'GET', url: `/v1/calibrations/${STALL17}/label.svg`, headers: { host: 'metrology.test:8080' } });
      assert.is(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-type']), /^image\/svg\+xml/);
      assert.match(res.body, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="80mm" height="50mm"/);
      assert.match(res.body, />合格证</);
      assert.match(res.body, />XH-JD2026-00317</);
      assert.match(res.body, />2027-03-11</);
      assert.match(res.body, />Xuhui District Metrology<\/text><text [^>]*>Verification Station \(demo\)</, 'the lab in full, on two lines');
      assert.not.match(res.body, /<script|style=/i);
      assert.is(decodeLabelQr(res.body), 'http://metrology.test:8080/lookup?q=XH-JD2026-00317');
    });
    await withApp(
      database,
      async ({ app }) => {
        const res = await app.inject({ method: 'GET', url: `/v1/calibrations/${STALL17}/label.svg` });
        assert.is(decodeLabelQr(res.body), 'https://metrology.example.gov.cn/lookup?q=XH-JD2026-00317');
        const calibration = await app.inject({ method: 'GET', url: '/v1/calibrations/rec-city-e1-2025/label.svg' });
        assert.match(calibration.body, />校准</);
        assert.is(decodeLabelQr(calibration.body), 'https://metrology.example.gov.cn/lookup?q=NIM-ZL2025-0412');
      },
      { publicUrl: 'https://metrology.example.gov.cn' },
    );
  });

  it('hostile names and numbers are printed as text, never as markup', () =>
    withApp(database, async ({ app }) => {
      const evil = '<script>alert(1)</script>"&\'';
      const eq = await app.inject({
        method: 'POST',
        url: '/v1/equipment',
        payload: {
          id: 'scale-evil',
          ownerId: 'city-market',
          name: `Scale ${evil}`,
          model: '<img src=x onerror=alert(2)>',
          serialNumber: '"><b>x</b>',
          quantity: 'mass',
          range: { min: '0.04', max: '30', unit: 'kg' },
          accuracy: { kind: 'class', accuracyClass: 'III' },
          level: 'working_instrument',
          category: 'MV016',
          usage: 'trade_settlement',
        },
      });
      assert.is(eq.statusCode, 201, eq.body);
      const rec = await app.inject({
        method: 'POST',
        url: '/v1/calibrations',
        payload: {
          id: 'rec-evil',
          kind: 'verification',
          subjectId: 'scale-evil',
          labId: 'district-station',
          referenceIds: ['district-f1-set'],
          certificateNo: 'XH-<i>9</i>',
          performedOn: '2026-11-20',
          validUntil: '2027-11-19',
          conformity: 'pass',
          remarks: `remark ${evil}`,
          points: [{ nominal: '15', asFound: '15.004', unit: 'kg' }],
        },
      });
      assert.is(rec.statusCode, 201, rec.body);
      for (const lang of ['zh', 'en']) {
        const html = (await app.inject({ method: 'GET', url: `/v1/calibrations/rec-evil/certificate.html?lang=${lang}` })).body;
        assert.not.match(html, /<script|<img|<b>|<i>/);
        assert.match(html, /Scale &lt;script&gt;alert\(1\)&lt;\/script&gt;&quot;&amp;'/);
        assert.match(html, /&lt;img src=x onerror=alert\(2\)&gt;/);
        assert.match(html, /XH-&lt;i&gt;9&lt;\/i&gt;/);
      }
      const svg = (await app.inject({ method: 'GET', url: '/v1/calibrations/rec-evil/label.svg' })).body;
      assert.not.match(svg, /<i>/);
      assert.match(svg, /XH-&lt;i&gt;9&lt;\/i&gt;/);
      assert.is(decodeLabelQr(svg), `http://localhost/lookup?q=${encodeURIComponent('XH-<i>9</i>')}`);
    }));

  it('only a key that may read the record may print it: an unrelated owner is refused as on the record itself', () =>
    withApp(database, async ({ app, keyFor }) => {
      const owner = await keyFor('owner', 'city-market');
      const stranger = await keyFor('owner', 'city-hospital');
      const as = (token: string | undefined, url: string) =>
        app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : ANONYMOUS });
      for (const doc of ['certificate.html', 'label.svg']) {
        const url = `/v1/calibrations/${STALL17}/${doc}`;
        assert.is((await as(owner, url)).statusCode, 200, doc);
        const refused = await as(stranger, url);
        const onRecord = await as(stranger, `/v1/calibrations/${STALL17}`);
        assert.equal([refused.statusCode, refused.json().code], [403, 'FORBIDDEN'], doc);
        assert.equal([onRecord.statusCode, onRecord.json().code], [403, 'FORBIDDEN']);
        assert.is((await as(undefined, url)).statusCode, 401, doc);
      }
    }));

  it('the lookup takes the address a scanned label holds and shows the identity the label promises, with where the instrument is', () =>
    withApp(database, async ({ app, keyFor }) => {
      const owner = await keyFor('owner', 'city-market');
      const moved = await app.inject({
        method: 'POST',
        url: '/v1/equipment/scale-stall-17/events',
        headers: { authorization: `Bearer ${owner}` },
        payload: { kind: 'relocated', effectiveOn: '2026-11-20', location: 'Longhua market, hall B, stall 17' },
      });
      assert.is(moved.statusCode, 201, moved.body);
      const scanned = 'https://metrology.example.gov.cn/lookup?q=XH-JD2026-00317';
      const json = await app.inject({ method: 'GET', url: `/v1/label?q=${encodeURIComponent(scanned)}`, headers: ANONYMOUS });
      assert.is(json.statusCode, 200, json.body);
      const l = json.json();
      assert.equal(
        [l.certificateNo, l.instrument, l.model, l.serialNumber, l.assetCode, l.location],
        ['XH-JD2026-00317', 'Electronic price-computing scale, stall 17', 'TCS-30', 'TS-30-88172', 'LH-17', 'Longhua market, hall B, stall 17'],
      );
      const before = (await app.inject({ method: 'GET', url: `/v1/label?q=XH-JD2026-00317&at=2026-11-19`, headers: ANONYMOUS })).json();
      assert.is(before.location, null, 'not moved yet on 2026-11-19');

      const page = await app.inject({ method: 'GET', url: `/lookup?lang=en&q=${encodeURIComponent(scanned)}`, headers: ANONYMOUS });
      assert.is(page.statusCode, 200);
      for (const [k, v] of [
        ['Model', 'TCS-30'],
        ['Serial No.', 'TS-30-88172'],
        ['Asset No.', 'LH-17'],
        ['Location', 'Longhua market, hall B, stall 17'],
      ]) {
        assert.match(page.body, new RegExp(`<th scope="row">${k!.replace('.', '\\.')}</th><td>${v}</td>`), k);
      }
      assert.match(page.body, /value="XH-JD2026-00317"/, 'the form shows the certificate number, not the address');
      assert.not.match(page.body, /Longhua Wet Market Management|city-market/, "no owner's register");
      const both = await app.inject({ method: 'GET', url: `/v1/label?q=LH-17&certificateNo=XH-JD2026-00317`, headers: ANONYMOUS });
      assert.equal([both.statusCode, both.json().code, both.json().path], [400, 'INVALID_FIELD', '?q']);
    }));

  it.run();
}

const unit = suite('reading a scanned label');
unit('a lookup address gives its q; anything else is the code itself', () => {
  assert.is(codeFromScan(' https://x.example/lookup?q=XH-JD2026-00317 '), 'XH-JD2026-00317');
  assert.is(codeFromScan('http://127.0.0.1:3000/lookup?lang=en&q=%5B2026%5D%E6%B2%AA-1'), '[2026]沪-1');
  assert.is(codeFromScan('https://x.example/other?q=A'), 'https://x.example/other?q=A');
  assert.is(codeFromScan('https://x.example/lookup'), 'https://x.example/lookup');
  assert.is(codeFromScan('LH-17'), 'LH-17');
});
unit('METROTRACE_PUBLIC_URL is an http(s) address, kept without its trailing slash; anything else stops the start with a reason', () => {
  assert.is(readConfig({}).publicUrl, undefined);
  assert.is(readConfig({ METROTRACE_PUBLIC_URL: 'https://metrology.example.gov.cn/' }).publicUrl, 'https://metrology.example.gov.cn');
  assert.is(readConfig({ METROTRACE_PUBLIC_URL: 'https://example.gov.cn/metrotrace' }).publicUrl, 'https://example.gov.cn/metrotrace');
  for (const bad of ['metrology.example.gov.cn', 'ftp://x.example', 'https://x.example/?a=1', 'https://user:pw@x.example']) {
    assert.throws(() => readConfig({ METROTRACE_PUBLIC_URL: bad }), /METROTRACE_PUBLIC_URL must be an http:\/\/ or https:\/\/ address/, bad);
  }
});
unit.run();
