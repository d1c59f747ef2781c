/** The SVG helpers: text escaped for element and attribute content, and long text clipped with an ellipsis. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { clip, esc } from '../../src/codecs/svg.ts';

const it = suite('svg helpers');

it('esc escapes &, <, > and double quotes, & first', () => {
  assert.is(esc('<script>alert("x")</script>'), '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  assert.is(esc('a & b'), 'a &amp; b');
  assert.is(esc('&lt;'), '&amp;lt;');
  assert.is(esc("it's 器具"), "it's 器具");
  assert.is(esc(''), '');
});

it('clip keeps text of n characters and cuts longer text to n with an ellipsis', () => {
  assert.is(clip('abcdef', 6), 'abcdef');
  assert.is(clip('abcdefg', 6), 'abcde…');
  assert.is(clip('abcdefg', 6).length, 6);
  assert.is(clip('电子计价秤电子计价秤', 5), '电子计价…');
  assert.is(clip('', 3), '');
});

it.run();
