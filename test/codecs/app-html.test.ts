/** The /app pages' pieces: the status buckets, the layout (navigation by role, language switch, sign-out form), tables, form fields, the label's facts, messages; every value escaped. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  bucketOf,
  cell,
  csrfInput,
  field,
  homeOf,
  input,
  labelTable,
  layout,
  link,
  message,
  select,
  statusBadge,
  table,
  TEXT,
} from '../../src/codecs/app-html.ts';
import type { Label } from '../../src/codecs/label.ts';

const it = suite('app pages');

it('the four words of a status: a state into its bucket', () => {
  assert.equal(
    ['in_force', 'due_soon', 'overdue', 'expired_in_grace', 'failed', 'suspect', 'to_rotate', 'withdrawn'].map((s) => bucketOf(s, false)),
    ['in_force', 'due_soon', 'overdue', 'overdue', 'prohibited', 'prohibited', 'prohibited', 'prohibited'],
  );
  assert.is(bucketOf('not_mandatory', true), 'not_mandatory');
  assert.is(bucketOf('not_mandatory', false), 'prohibited');
  assert.is(
    statusBadge('zh', 'expired_in_grace', false),
    '<span class="badge overdue" data-state="expired_in_grace">逾期</span> <small>expired_in_grace</small>',
  );
  assert.is(statusBadge('en', 'in_force', true), '<span class="badge in_force" data-state="in_force">In force</span> <small>in_force</small>');
});

it('each role lands on its first page', () => {
  assert.equal((['owner', 'lab', 'inspector', 'auditor', 'admin'] as const).map(homeOf), [
    '/app/instruments',
    '/app/standards',
    '/app/search',
    '/app/audits',
    '/app/search',
  ]);
});

it("the layout signed in: the role's navigation with the current page, who, the sign-out form with its token, the idle note", () => {
  const html = layout(
    {
      lang: 'zh',
      title: '到期 <清单>',
      path: '/app/due',
      query: { lang: 'zh', from: '2026-12-01', empty: undefined },
      viewer: { role: 'owner', organisation: 'City & Market', csrfToken: 't"1' },
      active: 'due',
      idleMinutes: 30,
    },
    '<p>body</p>',
  );
  assert.match(html, '<html lang="zh-CN">');
  assert.match(html, '<title>到期 &lt;清单&gt; · metrotrace</title>');
  assert.match(
    html,
    '<nav class="main"><a href="/app/instruments">计量器具</a><a href="/app/due" aria-current="page">到期清单</a><a href="/app/import">导入台账</a><a href="/app/energy">能源计量</a></nav>',
  );
  assert.match(html, '<a id="switch-lang" href="/app/due?from=2026-12-01&amp;lang=en" hreflang="en">English</a>');
  assert.match(html, '<input type="hidden" name="_csrf" value="t&quot;1"><span id="who">使用单位 · City &amp; Market</span>');
  assert.match(html, '<h1>到期 &lt;清单&gt;</h1>\n<p>body</p>');
  assert.match(html, '<footer>30 分钟无操作自动退出。</footer>');
  assert.match(html, '<script src="/app/app.js" defer></script>');
});

it('the layout signed out, in English: no navigation, no sign-out, no footer', () => {
  const html = layout({ lang: 'en', title: 'Sign in', path: '/app/sign-in', viewer: null, idleMinutes: 30 }, '');
  assert.match(html, '<html lang="en">');
  assert.not.match(html, '<nav class="main">');
  assert.not.match(html, 'sign-out');
  assert.not.match(html, '<footer>');
  assert.match(html, 'href="/app/sign-in?lang=zh" hreflang="zh">中文</a>');
  assert.equal(Object.keys(TEXT.zh.nav).sort(), Object.keys(TEXT.en.nav).sort());
});

it('tables, cells and links: headers escaped, cells as given, row attributes, blanks as a dash', () => {
  assert.is(
    table(
      't<1>',
      ['a&b', 'c'],
      [
        ['<b>x</b>', cell(null)],
        [cell('<y>'), cell(0)],
      ],
      ['class="stop"'],
    ),
    '<table id="t&lt;1&gt;"><thead><tr><th scope="col">a&amp;b</th><th scope="col">c</th></tr></thead><tbody><tr class="stop"><td><b>x</b></td><td>—</td></tr><tr><td>&lt;y&gt;</td><td>0</td></tr></tbody></table>',
  );
  assert.equal([cell(undefined), cell(''), cell(12)], ['—', '—', '12']);
  assert.is(link('/app/x?a=1&b="2"', '<A>'), '<a href="/app/x?a=1&amp;b=&quot;2&quot;">&lt;A&gt;</a>');
});

it('form pieces: a field with its problem, inputs, selects with the chosen option, the CSRF token', () => {
  assert.is(
    field('range.max', 'Max', input('range.max', '3"0', 'required'), 'not a <decimal>'),
    '<div class="field invalid" data-field="range.max"><label for="f-range.max">Max</label><input id="f-range.max" name="range.max" value="3&quot;0" required><p class="error" id="err-range.max">not a &lt;decimal&gt;</p></div>',
  );
  assert.is(field('a', 'A', input('a', '')), '<div class="field" data-field="a"><label for="f-a">A</label><input id="f-a" name="a" value=""></div>');
  assert.is(
    select('kind', 'b', { a: 'A', b: 'B<' }),
    '<select id="f-kind" name="kind"><option value="a">A</option><option value="b" selected>B&lt;</option></select>',
  );
  assert.is(csrfInput('<t>'), '<input type="hidden" name="_csrf" value="&lt;t&gt;">');
  assert.is(message('error', 'bad <x>'), '<p class="msg error" id="message" role="alert">bad &lt;x&gt;</p>');
  assert.is(message('ok', 'saved', 'done'), '<p class="msg ok" id="done" role="status">saved</p>');
});

it("the label's facts on an instrument page, in the page language", () => {
  const l: Label = {
    instrument: 'Scale <17>',
    model: null,
    serialNumber: null,
    assetCode: null,
    location: 'stall 17',
    category: { id: 'MV016', zh: '电子计价秤', en: 'price-computing scale' },
    state: 'overdue',
    usable: false,
    verdict: { zh: '检定已过有效期，不得使用，须重新检定。', en: 'lapsed' },
    certificateNo: 'XH-1',
    lab: null,
    verifiedOn: '2025-01-01',
    validUntil: '2025-12-31',
    at: '2026-11-25',
    asked: null,
  };
  const zh = labelTable('zh', l);
  assert.match(zh, '<section id="status" class="result stop" data-state="overdue"><p class="verdict"><span class="badge overdue"');
  assert.match(zh, ' — 检定已过有效期，不得使用，须重新检定。</p>');
  assert.match(zh, '<td>Scale &lt;17&gt;</td>');
  assert.match(zh, '<td>电子计价秤</td>');
  assert.match(zh, '<th scope="row">检定机构</th><td>—</td>');
  assert.match(labelTable('en', { ...l, usable: true, state: 'in_force' }), 'class="result ok"');
  assert.match(labelTable('en', l), '<td>price-computing scale</td>');
});

it.run();
