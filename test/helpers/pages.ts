/** Signing in to the web pages at /app in tests, as a browser does. */
import type { FastifyInstance } from 'fastify';
import * as assert from 'uvu/assert';
import { ANONYMOUS } from './app.ts';

/** Signs in at /app/sign-in as a browser does: the form's CSRF cookie and token, then the key. */
export async function signIn(app: FastifyInstance, key: string): Promise<{ cookie: string; csrf: string }> {
  const form = await app.inject({ method: 'GET', url: '/app/sign-in', headers: ANONYMOUS });
  const pre = String(form.headers['set-cookie']).split(';')[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  const res = await app.inject({
    method: 'POST',
    url: '/app/sign-in',
    headers: { ...ANONYMOUS, cookie: pre, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: token, key }).toString(),
  });
  assert.is(res.statusCode, 303, res.body.slice(0, 300));
  const set = ([] as string[]).concat(res.headers['set-cookie'] as string | string[]);
  const cookie = set.find((c) => c.startsWith('mt_session='))!.split(';')[0]!;
  const page = await app.inject({ method: 'GET', url: '/app/instruments', headers: { ...ANONYMOUS, cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  return { cookie, csrf };
}
