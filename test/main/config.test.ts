/**
 * main/config.ts: the configuration read from an environment, every setting's
 * default, and each refusal with the variable it names (secrets never echoed).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { resolve } from 'node:path';
import { readConfig } from '../../src/main/config.ts';
import { DEFAULT_PROTECTION, DEFAULT_READS } from '../../src/http/protection.ts';
import { DEFAULT_COMPUTE_LIMITS } from '../../src/runtime/compute-pool.ts';

const it = suite('main/config');

it('an empty environment: the embedded database in ./data, the demo, port 3000 on loopback, the published defaults', () => {
  const c = readConfig({});
  assert.equal(
    [c.port, c.host, c.databaseUrl, c.dataDir, c.seedDemo, c.logger, c.publicUrl, c.redisUrl, c.trustProxy, c.ledgerAnchorIntervalS],
    [3000, '127.0.0.1', undefined, resolve('data'), true, true, undefined, undefined, false, 3600],
  );
  assert.equal(c.reads, { urls: [], ...DEFAULT_READS });
  assert.equal(c.protection, DEFAULT_PROTECTION);
  assert.equal(c.compute, DEFAULT_COMPUTE_LIMITS);
});

it('every setting read from its variable, trimmed where an address is given', () => {
  const c = readConfig({
    PORT: '8080',
    HOST: '0.0.0.0',
    DATABASE_URL: ' postgresql://u@db:5432/metro ',
    METROTRACE_DATA: '/var/lib/metrotrace',
    METROTRACE_DEMO: '0',
    LOG: '0',
    METROTRACE_PUBLIC_URL: 'https://metrology.example.gov.cn/app/',
    REDIS_URL: 'rediss://cache:6380',
    METROTRACE_TRUST_PROXY: ' 10.0.0.0/8 , loopback ',
    METROTRACE_RATE_PUBLIC: '30',
    METROTRACE_RATE_KEY: '0',
    METROTRACE_BODY_LIMIT: '2048',
    METROTRACE_REQUEST_TIMEOUT_MS: '1500',
    METROTRACE_COMPUTE_DEADLINE_MS: '900',
    METROTRACE_COMPUTE_MEMORY_MB: '64',
    METROTRACE_COMPUTE_THREADS: '0',
    METROTRACE_LEDGER_ANCHOR_INTERVAL_S: '',
  });
  assert.equal(
    [c.port, c.host, c.databaseUrl, c.dataDir, c.seedDemo, c.logger, c.publicUrl, c.redisUrl, c.trustProxy],
    [
      8080,
      '0.0.0.0',
      'postgresql://u@db:5432/metro',
      '/var/lib/metrotrace',
      false,
      false,
      'https://metrology.example.gov.cn/app',
      'rediss://cache:6380',
      '10.0.0.0/8,loopback',
    ],
  );
  assert.equal(c.protection, { publicPerMinute: 30, keyPerMinute: 0, bodyLimit: 2048, requestTimeoutMs: 1500 });
  assert.equal(c.compute, { deadlineMs: 900, memoryMb: 64, threads: 1 }, 'at least one compute thread');
  assert.is(c.ledgerAnchorIntervalS, 3600, 'an empty value is the default');
  assert.is(readConfig({ METROTRACE_TRUST_PROXY: 'false' }).trustProxy, false);
  assert.is(readConfig({ DATABASE_URL: '   ' }).databaseUrl, undefined, 'a blank DATABASE_URL is the embedded database');
  assert.equal(
    [readConfig({}).databasePrepare, readConfig({ DATABASE_PREPARE: '0' }).databasePrepare],
    [true, false],
    'statements prepared unless DATABASE_PREPARE=0',
  );
});

it('each refusal names its variable, and never echoes a password', () => {
  const refused = (env: NodeJS.ProcessEnv, message: RegExp) =>
    assert.throws(
      () => readConfig(env),
      (e: Error) => message.test(e.message) && !e.message.includes('s3cret'),
      JSON.stringify(env),
    );
  refused({ PORT: '65536' }, /^PORT must be a port number/);
  refused({ PORT: 'http' }, /^PORT must be a port number/);
  refused({ DATABASE_URL: 'mysql://u:s3cret@db/x' }, /^DATABASE_URL must start with postgres:\/\//);
  refused({ REDIS_URL: 'http://u:s3cret@cache' }, /^REDIS_URL must start with redis:\/\/ or rediss:\/\/, got 'http:\/\/…@cache'/);
  refused({ METROTRACE_TRUST_PROXY: 'everyone' }, /^METROTRACE_TRUST_PROXY must be the proxies' addresses/);
  refused({ METROTRACE_PUBLIC_URL: 'metrology.example.gov.cn' }, /^METROTRACE_PUBLIC_URL must be an http:\/\/ or https:\/\/ address/);
  refused({ METROTRACE_PUBLIC_URL: 'https://x.example/?q=1' }, /^METROTRACE_PUBLIC_URL/);
  refused({ METROTRACE_PUBLIC_URL: 'https://u:s3cret@x.example' }, /^METROTRACE_PUBLIC_URL/);
  refused({ METROTRACE_RATE_PUBLIC: '-1' }, /^METROTRACE_RATE_PUBLIC must be a whole number ≥ 0, got '-1'/);
  refused({ METROTRACE_BODY_LIMIT: '1.5' }, /^METROTRACE_BODY_LIMIT must be a whole number/);
  refused(
    { DATABASE_URL: 'postgres://p/db', DATABASE_READ_URL: 'postgres://r/db', DATABASE_READ_CHECK_MS: '10' },
    /^DATABASE_READ_CHECK_MS must be at least 50/,
  );
});

it.run();
