/**
 * Behind a reverse proxy (docs/deploy.md) every request comes from the proxy:
 * METROTRACE_TRUST_PROXY names the proxies whose X-Forwarded-For is believed,
 * so that each client gets its own rate limit and its own address in the
 * audit log. Unset, the header is ignored: a client cannot claim an address.
 */
import { sql } from 'drizzle-orm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readConfig } from '../../src/main/config.ts';
import { rowsOf } from '../../src/persistence/db.ts';
import { ANONYMOUS, withApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';

const it = suite('trusted proxies');
const database = testDatabases()[0]!;
const protection = { publicPerMinute: 2, keyPerMinute: 0 };

it('METROTRACE_TRUST_PROXY: unset, addresses and ranges, or refused at boot', () => {
  assert.is(readConfig({}).trustProxy, false);
  assert.is(readConfig({ METROTRACE_TRUST_PROXY: ' 127.0.0.1, 10.0.0.0/8,loopback ' }).trustProxy, '127.0.0.1,10.0.0.0/8,loopback');
  assert.is(readConfig({ METROTRACE_TRUST_PROXY: '::1' }).trustProxy, '::1');
  assert.throws(() => readConfig({ METROTRACE_TRUST_PROXY: 'everyone' }), /addresses and CIDR ranges/);
});

it('behind a trusted proxy each client has its own limit and its own address in the audit log', () =>
  withApp(
    database,
    async ({ app, db }) => {
      const from = (ip: string) => app.inject({ method: 'GET', url: '/health', headers: { ...ANONYMOUS, 'x-forwarded-for': ip } });
      assert.equal([(await from('203.0.113.7')).statusCode, (await from('203.0.113.7')).statusCode, (await from('203.0.113.7')).statusCode], [200, 200, 429]);
      assert.is((await from('198.51.100.4')).statusCode, 200, 'another client behind the same proxy is not refused');
      const refused = await app.inject({ method: 'POST', url: '/v1/equipment', headers: { ...ANONYMOUS, 'x-forwarded-for': '198.51.100.9' }, payload: {} });
      assert.is(refused.statusCode, 401);
      const rows = rowsOf<{ address: string }>(await db.execute(sql`select address from audit_log where status = 401 order by seq desc limit 1`));
      assert.is(rows[0]!.address, '198.51.100.9');
    },
    { demo: false, protection, trustProxy: '127.0.0.1' },
  ));

it('without a trusted proxy the header is ignored: a client cannot claim another address', () =>
  withApp(
    database,
    async ({ app }) => {
      const from = (ip: string) => app.inject({ method: 'GET', url: '/health', headers: { ...ANONYMOUS, 'x-forwarded-for': ip } });
      assert.equal([(await from('203.0.113.7')).statusCode, (await from('203.0.113.8')).statusCode, (await from('203.0.113.9')).statusCode], [200, 200, 429]);
    },
    { demo: false, protection },
  ));

it.run();
