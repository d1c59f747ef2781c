/**
 * A body that is valid JSON but carries `__proto__` (or constructor.prototype)
 * is refused as what it is — INVALID_FIELD at that property — not as
 * "not valid JSON" (issue 16, item 8); nothing is stored and no prototype changes.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { findNul, findPrototypeKey } from '../../src/http/input-guard.ts';
import { rowCounts, withApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';

const json = { 'content-type': 'application/json' };

const unit = suite('finding prototype keys');

unit('the pointer of __proto__ or constructor.prototype, at any depth; none in ordinary JSON', () => {
  assert.equal(findPrototypeKey(JSON.parse('{"a":1,"__proto__":{"x":1}}')), ['__proto__']);
  assert.equal(findPrototypeKey(JSON.parse('{"points":[{"nominal":"1"},{"__proto__":{}}]}')), ['points', 1, '__proto__']);
  assert.equal(findPrototypeKey(JSON.parse('{"a":{"constructor":{"prototype":{"x":1}}}}')), ['a', 'constructor', 'prototype']);
  assert.is(
    findPrototypeKey(JSON.parse('{"constructor":"Acme Ltd","prototype":"P1","proto":{}}')),
    null,
    'a constructor that is a string, or a key named prototype alone, is harmless',
  );
  assert.is(findPrototypeKey(JSON.parse('[1,"__proto__",{"a":null}]')), null);
  // a deep body costs linear work (a path copied per level would be 5·10⁹ copies here: the suite would not end)
  const depth = 100_000;
  const deep = JSON.parse(`${'{"a":'.repeat(depth)}{"__proto__":1}${'}'.repeat(depth)}`);
  const at = findPrototypeKey(deep)!;
  assert.is(at.length, depth + 1);
});

unit('the pointer of the first string or key holding NUL, in document order, at any depth; none without', () => {
  assert.equal(findNul(JSON.parse('{"a":"x","b":["y","z\\u0000"],"c":"\\u0000"}')), ['b', 1]);
  assert.equal(findNul(JSON.parse('{"points":[{"nominal":"1"},{"unit\\u0000":"kg"}]}')), ['points', 1, 'unit\u0000']);
  assert.equal(findNul('\u0000'), []);
  assert.is(findNul(JSON.parse('{"a":[1,true,null,{"b":"text"}],"c":{}}')), null);
  assert.is(findNul(undefined), null);
  const depth = 100_000;
  const deep = JSON.parse(`${'["x",'.repeat(depth)}"\\u0000"${']'.repeat(depth)}`);
  assert.equal(findNul(deep), Array(depth).fill(1));
});

unit.run();

for (const database of testDatabases()) {
  const it = suite(`prototype keys in a body on ${database.name}`);

  it('__proto__ in a body is INVALID_FIELD at its path, not INVALID_JSON', () =>
    withApp(database, async ({ app, db }) => {
      const before = await rowCounts(db);
      const cases: Array<[string, string, string]> = [
        ['/v1/organisations', '{"id":"acme","name":"Acme","kind":"enterprise","regionCode":"310000","__proto__":{"isAdmin":true}}', '/__proto__'],
        [
          '/v1/calibrations',
          '{"kind":"verification","points":[{"nominal":"1","unit":"kg"},{"nominal":"2","unit":"kg","__proto__":{"x":1}}]}',
          '/points/1/__proto__',
        ],
        [
          '/v1/uncertainty/evaluate',
          '{"measurand":"y","model":"x","quantities":{"x":{"constructor":{"prototype":{"polluted":true}}}}}',
          '/quantities/x/constructor/prototype',
        ],
        ['/v1/equipment', '{"\\u005f_proto__":{}}', '/__proto__'],
      ];
      for (const [url, payload, path] of cases) {
        const res = await app.inject({ method: 'POST', url, headers: json, payload });
        assert.equal([res.statusCode, res.json().code, res.json().path], [400, 'INVALID_FIELD', path], `${url}: ${res.body}`);
        assert.match(res.json().detail, /a property named (__proto__|constructor\.prototype) is not accepted/);
      }
      assert.equal(await rowCounts(db), before, 'nothing stored');
      assert.is(({} as Record<string, unknown>)['isAdmin'], undefined, 'no prototype polluted');
      assert.is(({} as Record<string, unknown>)['polluted'], undefined);
    }));

  it('a body that is not JSON is still INVALID_JSON, and ordinary bodies still parse', () =>
    withApp(database, async ({ app }) => {
      for (const payload of ['{"a":', '{"__proto__":', 'nul']) {
        const res = await app.inject({ method: 'POST', url: '/v1/organisations', headers: json, payload });
        assert.equal([res.statusCode, res.json().code], [400, 'INVALID_JSON'], payload);
      }
      const ok = await app.inject({
        method: 'POST',
        url: '/v1/organisations',
        headers: json,
        payload: '{"id":"acme","name":"Acme constructor","kind":"enterprise","regionCode":"310000"}',
      });
      assert.is(ok.statusCode, 201, ok.body);
      const big = await app.inject({ method: 'POST', url: '/v1/calibrations', headers: json, payload: `{"remarks":"${'x'.repeat(2 * 1024 * 1024)}"}` });
      assert.equal([big.statusCode, big.json().code], [413, 'PAYLOAD_TOO_LARGE'], 'the body limit still holds');
    }));

  it.run();
}
