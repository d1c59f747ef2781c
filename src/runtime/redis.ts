/**
 * The Redis client the API's rate limits share across processes (REDIS_URL).
 * A command that gets no answer in 200 ms fails, and the limiter lets the
 * request through (skipOnError): a Redis that stops answering — paused, or
 * its packets dropped — must not hold every request, the public label lookup
 * included, until the request timeout. Reconnection is ioredis's own.
 * @impure opens a network connection.
 */
import { Redis } from 'ioredis';

export function openRateLimitRedis(url: string, warn: (message: string) => void): Redis {
  const client = new Redis(url, { connectTimeout: 1000, commandTimeout: 200, maxRetriesPerRequest: 1, enableOfflineQueue: false, keepAlive: 10_000 });
  let last = 0;
  client.on('error', (err: Error) => {
    // once a minute at most: a Redis that is down reports on every reconnection attempt
    if (Date.now() - last < 60_000) return;
    last = Date.now();
    warn(`Redis (rate limits): ${err.message}; requests are let through uncounted until it answers`);
  });
  return client;
}
