/**
 * The web pages' session at the edge: the cookies (session, sign-in CSRF,
 * language), reading them from a request, and what a page answers instead of
 * a JSON problem when the caller is not signed in or not admitted.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { layout, TEXT, type Lang } from '../codecs/app-html.ts';
import { esc } from '../codecs/svg.ts';

/** The session cookie: HttpOnly, SameSite=Strict, Path=/app, Secure when the request came over TLS. */
export const SESSION_COOKIE = 'mt_session';
/** The sign-in form's CSRF token (a double-submit cookie: there is no session yet). */
export const SIGN_IN_COOKIE = 'mt_signin';
export const LANG_COOKIE = 'mt_lang';

export const isAppPath = (url: string): boolean => url === '/app' || url.startsWith('/app/') || url.startsWith('/app?');

export function cookieOf(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    if (part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** A Set-Cookie value for a cookie of the pages. `maxAge` 0 deletes it. */
export function cookie(
  req: FastifyRequest,
  name: string,
  value: string,
  opts: { maxAge?: number; httpOnly?: boolean; sameSite?: 'Strict' | 'Lax' } = {},
): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/app', `SameSite=${opts.sameSite ?? 'Strict'}`];
  if (opts.httpOnly !== false) parts.push('HttpOnly');
  if (req.protocol === 'https') parts.push('Secure');
  if (opts.maxAge !== undefined) parts.push(`Max-Age=${opts.maxAge}`);
  return parts.join('; ');
}

/** The page language: ?lang, else the cookie it set, else Chinese. */
export function pageLang(req: FastifyRequest): Lang {
  const asked = (req.query as { lang?: unknown } | undefined)?.lang;
  if (asked === 'en' || asked === 'zh') return asked;
  return cookieOf(req, LANG_COOKIE) === 'en' ? 'en' : 'zh';
}

/** Constant-time comparison of two tokens (false when either is missing). */
export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A page for someone not signed in: to the sign-in form (the page asked for comes back after). */
export async function toSignIn(req: FastifyRequest, reply: FastifyReply, ended: boolean): Promise<void> {
  const next = req.method === 'GET' ? req.url : '/app';
  const q = new URLSearchParams({ next });
  if (ended) q.set('ended', '1');
  await reply.status(303).header('location', `/app/sign-in?${q.toString()}`).header('cache-control', 'no-store').send();
}

/** A page refused (a role not admitted, a form without its CSRF token): a 403 page that says why, in the page language. */
export async function refusedPage(req: FastifyRequest, reply: FastifyReply, kind: 'role' | 'csrf', detail: string): Promise<void> {
  const lang = pageLang(req);
  const t = TEXT[lang];
  const [title, text] = kind === 'role' ? [t.refused, t.refusedText] : [t.csrfTitle, t.csrfText];
  const html = layout(
    { lang, title, path: req.url.split('?')[0]!, viewer: null, idleMinutes: 0 },
    `<p id="refusal" data-code="FORBIDDEN" data-reason="${kind}">${esc(text)}</p><p><small>${esc(detail)}</small></p><p><a href="/app">${esc(t.back)}</a></p>`,
  );
  await reply.status(403).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}
