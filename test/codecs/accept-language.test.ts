/** Which language a request asks for: the Accept-Language tag of the highest q (RFC 9110 §12.5.4), and ?lang before it. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { preferredLanguage, wantsChinese } from '../../src/codecs/accept-language.ts';

const preferred = suite('preferredLanguage');

preferred('the tag of the highest q, lower-cased; no q means q=1', () => {
  assert.is(preferredLanguage('en-US,zh-CN;q=0.9'), 'en-us');
  assert.is(preferredLanguage('en;q=0.5, ZH-cn;q=0.8'), 'zh-cn');
  assert.is(preferredLanguage('fr;q=0.3, de'), 'de');
  assert.is(preferredLanguage(' zh-Hans-CN;q=0.7 , en;q=0.2'), 'zh-hans-cn');
  assert.is(preferredLanguage('zh ;q=0.9, en;q=0.5'), 'zh', 'optional whitespace before the parameters');
  assert.ok(wantsChinese(undefined, 'zh ;q=0.9, en;q=0.5'));
});

preferred('the first of equal q wins', () => {
  assert.is(preferredLanguage('en;q=0.8,zh;q=0.8'), 'en');
  assert.is(preferredLanguage('zh,en'), 'zh');
});

preferred('q=0 refuses, a q that is not a number is ignored, none is the empty tag', () => {
  assert.is(preferredLanguage('zh;q=0'), '');
  assert.is(preferredLanguage('zh;q=0,en;q=0.1'), 'en');
  assert.is(preferredLanguage('zh;q=abc,en;q=0.1'), 'en');
  assert.is(preferredLanguage(undefined), '');
  assert.is(preferredLanguage(''), '');
  assert.is(preferredLanguage(' , ;q=1'), '');
});

const chinese = suite('wantsChinese');

chinese('?lang decides before the header', () => {
  assert.is(wantsChinese('zh', 'en'), true);
  assert.is(wantsChinese('en', 'zh-CN'), false);
});

chinese('otherwise the preferred tag is zh or a zh- subtag', () => {
  assert.is(wantsChinese(undefined, 'zh-CN,en;q=0.5'), true);
  assert.is(wantsChinese(undefined, 'zh'), true);
  assert.is(wantsChinese(undefined, 'en,zh;q=0.9'), false);
  assert.is(wantsChinese(undefined, 'zhx'), false);
  assert.is(wantsChinese('fr', 'zh-TW'), true);
  assert.is(wantsChinese(undefined, undefined), false);
});

preferred.run();
chinese.run();
