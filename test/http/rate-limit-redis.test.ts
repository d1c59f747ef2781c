/**
 * Rate limits shared through Redis (#23 item 2): with REDIS_URL, every API
 * process counts a client in the same place, so a second process refuses what
 * the first one already admitted; without Redis each process counts alone.
 * Runs where a Redis answers at REDIS_URL (.ci/run sets it when one does);
 * skipped with the reason elsewhere.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { openRateLimitRedis } from '../../src/runtime/redis.ts';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ANONYMOUS, withApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';

const it = suite('rate limits across processes (Redis)');
const url = process.env.REDIS_URL;

async function health(app: Parameters<Parameters<typeof withApp>[1]>[0]['app'], times: number): Promise<number[]> {
  const codes: number[] = [];
  for (let i = 0; i < times; i++) codes.push((await app.inject({ method: 'GET', url: '/health', headers: ANONYMOUS })).statusCode);
  return codes;
}

if (url === undefined) {
  it('skipped: no REDIS_URL (set it to a Redis, e.g. redis://127.0.0.1:6379, to run these)', () => {});
} else {
  const database = testDatabases()[0]!;
  const protection = { publicPerMinute: 3, keyPerMinute: 0 };

  it('a second process refuses the client the first one already counted', async () => {
    const client = new Redis(url, { maxRetriesPerRequest: 1 });
    const prefix = `metrotrace-test-${randomUUID()}-`;
    try {
      await withApp(database, async ({ app }) => assert.equal(await health(app, 2), [200, 200]), {
        demo: false,
        protection,
        rateLimitRedis: { client, prefix },
      });
      await withApp(
        database,
        async ({ app }) =>
          assert.equal(await health(app, 2), [200, 429], 'the third request of the minute is admitted, the fourth refused: the count crossed processes'),
        { demo: false, protection, rateLimitRedis: { client, prefix } },
      );
      assert.ok((await client.keys(`${prefix}*`)).length > 0, 'the count lives in Redis under the prefix');
      // the control: counted in process, the second process starts again from zero
      await withApp(database, async ({ app }) => assert.equal(await health(app, 2), [200, 200]), { demo: false, protection });
      await withApp(database, async ({ app }) => assert.equal(await health(app, 2), [200, 200]), { demo: false, protection });
    } finally {
      const keys = await client.keys(`${prefix}*`);
      if (keys.length > 0) await client.del(...keys);
      client.disconnect();
    }
  });

  it('a Redis that stops answering holds no request: each is let through after the command timeout, while Redis is still paused', async () => {
    const client = openRateLimitRedis(url, () => {});
    const probe = new Redis(url);
    try {
      if (client.status !== 'ready') await new Promise((r) => client.once('ready', r)); // connected before the pause
      await probe.ping();
      await withApp(
        database,
        async ({ app }) => {
          await probe.call('CLIENT', 'PAUSE', '8000', 'ALL'); // Redis answers nobody for 8 s
          const redisAgain = probe.ping().then(() => 'redis answered again');
          const first = await Promise.race([health(app, 3), redisAgain]);
          assert.equal(first, [200, 200, 200], 'the requests were served while Redis was still paused');
          await redisAgain;
        },
        { demo: false, protection, rateLimitRedis: { client } },
      );
    } finally {
      client.disconnect();
      probe.disconnect();
    }
  });

  it('when Redis stops answering, requests are let through rather than the API refusing everyone', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
    dead.on('error', () => {});
    try {
      await withApp(database, async ({ app }) => assert.equal(await health(app, 5), [200, 200, 200, 200, 200]), {
        demo: false,
        protection,
        rateLimitRedis: { client: dead },
      });
    } finally {
      dead.disconnect();
    }
  });
}

it.run();
