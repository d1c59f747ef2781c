import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sharedSchemaCompilers } from '../../src/http/schema-compilers.ts';

const compilers = suite('http/schema-compilers');

// biome-ignore lint/suspicious/noExplicitAny: the factories' route argument is Fastify's internal shape
type Any = any;
const factories = sharedSchemaCompilers.compilersFactory as Any;
const opts = { customOptions: {}, plugins: [] };
const schema = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] };

compilers('a schema compiled for a second app is the same function, and validates', () => {
  const a = factories.buildValidator({}, opts)({ schema, httpPart: 'body', method: 'POST', url: '/x' });
  const b = factories.buildValidator({}, opts)({ schema: JSON.parse(JSON.stringify(schema)), httpPart: 'body', method: 'POST', url: '/y' });
  assert.is(a, b);
  assert.is(a({ n: 3 }), true);
  assert.is(a({ n: 'x' }), false);
});

compilers('another part, another schema or other options compile separately', () => {
  const base = factories.buildValidator({}, opts)({ schema, httpPart: 'body' });
  assert.is.not(factories.buildValidator({}, opts)({ schema: { ...schema, required: [] }, httpPart: 'body' }), base);
  assert.is.not(factories.buildValidator({}, { customOptions: { coerceTypes: false }, plugins: [] })({ schema, httpPart: 'body' }), base);
});

compilers('serializers are shared per status and content type', () => {
  const s = { type: 'object', properties: { n: { type: 'integer' } } };
  const a = factories.buildSerializer({}, {})({ schema: s, httpStatus: '200', method: 'GET', url: '/a' });
  const b = factories.buildSerializer({}, {})({ schema: s, httpStatus: '200', method: 'GET', url: '/b' });
  assert.is(a, b);
  assert.is(a({ n: 2, extra: 1 }), '{"n":2}');
  assert.is.not(factories.buildSerializer({}, {})({ schema: s, httpStatus: '201' }), a);
  assert.is.not(factories.buildSerializer({}, {})({ schema: s, httpStatus: '200', contentType: 'application/json' }), a);
});

compilers.run();
