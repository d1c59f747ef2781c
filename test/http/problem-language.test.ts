/**
 * A problem's title comes in Chinese to a client that asks for it
 * (Accept-Language zh…, or ?lang=zh on a route that takes it), with Content-Language: zh; the code, the
 * path and the detail stay as they are, and English stays the default.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ERROR_CODES, type ErrorCode } from '../../src/core/errors.ts';
import { wantsChinese } from '../../src/codecs/accept-language.ts';
import { PROBLEM_TITLES_ZH } from '../../src/codecs/problem-titles.ts';
import { ANONYMOUS, withApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';

test('the language asked for: ?lang first, else the first language of Accept-Language', () => {
  assert.ok(wantsChinese(undefined, 'zh-CN,zh;q=0.9,en;q=0.8'));
  assert.ok(wantsChinese(undefined, 'zh'));
  assert.ok(wantsChinese('zh', 'en-GB'));
  assert.not.ok(wantsChinese('en', 'zh-CN'));
  assert.not.ok(wantsChinese(undefined, 'en-US,zh;q=0.5'));
  assert.not.ok(wantsChinese(undefined, undefined));
  assert.not.ok(wantsChinese(undefined, 'zhx'));
  assert.ok(wantsChinese(undefined, 'en;q=0.5, zh-CN;q=0.9'), 'the highest q, not the first');
  assert.not.ok(wantsChinese(undefined, 'zh;q=0, en'), 'q=0 refuses');
});

test('every code has a Chinese title of its own', () => {
  const codes = Object.keys(ERROR_CODES) as ErrorCode[];
  assert.equal(Object.keys(PROBLEM_TITLES_ZH).sort(), [...codes].sort());
  for (const c of codes) assert.match(PROBLEM_TITLES_ZH[c], /[\u4e00-\u9fff]/, `${c} is written in Chinese`);
  assert.is(new Set(Object.values(PROBLEM_TITLES_ZH)).size, codes.length, 'no two codes share a title');
});

test('over HTTP: the title in Chinese when asked, everything else unchanged', () =>
  withApp(testDatabases()[0]!, async ({ app }) => {
    const url = '/v1/label?certificateNo=NO-SUCH-CERT&at=2026-11-25';
    const en = await app.inject({ method: 'GET', url, headers: ANONYMOUS });
    const zh = await app.inject({ method: 'GET', url, headers: { ...ANONYMOUS, 'accept-language': 'zh-CN,zh;q=0.9' } });
    assert.is(en.statusCode, 404);
    assert.is(en.json().title, ERROR_CODES.NOT_FOUND);
    assert.is(en.headers['content-language'], undefined);
    assert.match(String(en.headers.vary), /Accept-Language/i, 'a cache keeps the two languages apart');
    for (const res of [zh]) {
      assert.is(res.statusCode, 404);
      assert.is(res.headers['content-language'], 'zh');
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
      assert.equal({ ...res.json(), title: ERROR_CODES.NOT_FOUND }, en.json(), 'only the title changes');
      assert.is(res.json().title, PROBLEM_TITLES_ZH.NOT_FOUND);
    }
    // a body the schema refuses, in Chinese too
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/conformity/decisions',
      headers: { 'accept-language': 'zh', 'content-type': 'application/json' },
      payload: '{"rule":',
    });
    assert.is(bad.statusCode, 400);
    assert.is(bad.json().code, 'INVALID_JSON');
    assert.is(bad.json().title, PROBLEM_TITLES_ZH.INVALID_JSON);
  }));

test.run();
