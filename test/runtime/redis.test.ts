import { once } from 'node:events';
import { createServer } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openRateLimitRedis } from '../../src/runtime/redis.ts';

const it = suite('the rate-limit Redis client');

/** A local port that nothing listens on: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

it('fails fast rather than holding a request: short timeouts, one retry, no offline queue', async () => {
  const client = openRateLimitRedis(`redis://127.0.0.1:${await closedPort()}`, () => {});
  try {
    const o = client.options;
    assert.equal([o.connectTimeout, o.commandTimeout, o.maxRetriesPerRequest, o.enableOfflineQueue, o.keepAlive], [1000, 200, 1, false, 10_000]);
    // not connected and no offline queue: a command is refused at once, not queued until Redis answers
    await client.ping().then(
      () => assert.unreachable('no Redis answers'),
      (e: Error) => assert.match(e.message, /enableOfflineQueue/),
    );
  } finally {
    client.disconnect();
  }
});

it('a Redis that is down is reported once, not at every reconnection attempt', async () => {
  const warnings: string[] = [];
  const client = openRateLimitRedis(`redis://127.0.0.1:${await closedPort()}`, (m) => warnings.push(m));
  try {
    // ioredis retries after 50, 100, 150 ms…: wait for three refused connections
    let errors = 0;
    await new Promise<void>((resolve) =>
      client.on('error', () => {
        if (++errors === 3) resolve();
      }),
    );
    assert.is(warnings.length, 1);
    assert.match(warnings[0]!, /^Redis \(rate limits\): connect ECONNREFUSED 127\.0\.0\.1:\d+; requests are let through uncounted until it answers$/);
  } finally {
    client.disconnect();
  }
});

it.run();
