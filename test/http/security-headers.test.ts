import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Fastify from 'fastify';
import { helmetHeaders, securityHeaders } from '../../src/http/security-headers.ts';

const options = {
  contentSecurityPolicy: { useDefaults: true, directives: { imgSrc: ["'self'", 'data:'], upgradeInsecureRequests: null } },
  hsts: false,
} as const;

test('helmet run once gives its headers: the policy as configured, no HSTS, X-Powered-By removed', () => {
  const { set, removed } = helmetHeaders(options);
  assert.match(set['content-security-policy']!, /default-src 'self'/);
  assert.match(set['content-security-policy']!, /img-src 'self' data:/);
  assert.not.match(set['content-security-policy']!, /upgrade-insecure-requests/);
  assert.is(set['x-content-type-options'], 'nosniff');
  assert.is(set['x-frame-options'], 'SAMEORIGIN');
  assert.is(set['strict-transport-security'], undefined);
  assert.equal(removed, ['x-powered-by']);
});

test('every response carries them, a route may still set its own policy', async () => {
  const app = Fastify();
  securityHeaders(app, options);
  app.get('/a', async () => ({ ok: true }));
  app.get('/b', async (_req, reply) => reply.header('content-security-policy', "default-src 'none'").send('b'));
  const { set } = helmetHeaders(options);
  const a = await app.inject({ url: '/a' });
  for (const [name, value] of Object.entries(set)) assert.is(a.headers[name], value, name);
  const missing = await app.inject({ url: '/nowhere' });
  assert.is(missing.statusCode, 404);
  assert.is(missing.headers['content-security-policy'], set['content-security-policy']);
  const b = await app.inject({ url: '/b' });
  assert.is(b.headers['content-security-policy'], "default-src 'none'");
  assert.is(b.headers['x-content-type-options'], 'nosniff');
  await app.close();
});

test('a policy with a per-request part (a nonce function) is refused, not frozen', () => {
  assert.throws(
    () => helmetHeaders({ contentSecurityPolicy: { directives: { scriptSrc: ["'self'", (_req: unknown, _res: unknown) => "'nonce-x'"] } } }),
    /per-request/,
  );
});

test.run();
