import Fastify from 'fastify';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { VisibilityService } from '../../src/app/visibility.ts';
import { ROUTE_READS, scopeReads } from '../../src/http/visibility.ts';

const visibility = suite('http/visibility');

function recorder() {
  const calls: string[] = [];
  const fake = {
    equipment: async (_c: unknown, ids: string[]) => void calls.push(`equipment ${ids.join(',')}`),
    records: async (_c: unknown, ids: string[]) => void calls.push(`records ${ids.join(',')}`),
    organisationData: async (_c: unknown, id: string) => void calls.push(`organisationData ${id}`),
    audit: async (_c: unknown, id: string) => void calls.push(`audit ${id}`),
    plan: async (_c: unknown, id: string) => void calls.push(`plan ${id}`),
  } as unknown as VisibilityService;
  return { calls, fake };
}

async function appWith(fake: VisibilityService) {
  const app = Fastify();
  scopeReads(app, fake);
  for (const url of [
    '/v1/equipment/:id',
    '/v1/calibrations/:id/label.svg',
    '/v1/organisations/:id/energy-inventory',
    '/v1/energy-audits/:id',
    '/v1/verification-plans/:id',
    '/v1/other/:id',
  ]) {
    app.get(url, async () => 'ok');
  }
  app.post('/v1/equipment/:id', async () => 'ok');
  await app.ready();
  return app;
}

visibility('every scoped route is a GET on an :id path', () => {
  for (const key of Object.keys(ROUTE_READS)) assert.match(key, /^GET \/v1\/.*:id/);
});

visibility('each rule calls its own check with the :id of the path', async () => {
  const { calls, fake } = recorder();
  const app = await appWith(fake);
  for (const url of [
    '/v1/equipment/E1',
    '/v1/calibrations/C2/label.svg',
    '/v1/organisations/O3/energy-inventory',
    '/v1/energy-audits/A4',
    '/v1/verification-plans/P5',
  ]) {
    assert.is((await app.inject({ method: 'GET', url })).statusCode, 200);
  }
  assert.equal(calls, ['equipment E1', 'records C2', 'organisationData O3', 'audit A4', 'plan P5']);
  await app.close();
});

visibility('HEAD is scoped as GET; other methods and unlisted routes are not checked', async () => {
  const { calls, fake } = recorder();
  const app = await appWith(fake);
  await app.inject({ method: 'HEAD', url: '/v1/equipment/E9' });
  await app.inject({ method: 'POST', url: '/v1/equipment/E8' });
  await app.inject({ method: 'GET', url: '/v1/other/X7' });
  assert.equal(calls, ['equipment E9']);
  await app.close();
});

visibility('a refusal from the check stops the handler', async () => {
  const { fake } = recorder();
  (fake as unknown as { plan: () => Promise<void> }).plan = async () => {
    throw Object.assign(new Error('no'), { statusCode: 404 });
  };
  const app = await appWith(fake);
  assert.is((await app.inject({ method: 'GET', url: '/v1/verification-plans/P1' })).statusCode, 404);
  await app.close();
});

visibility.run();
