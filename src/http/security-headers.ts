/**
 * The security headers of every response (helmet's: a content security
 * policy, no sniffing, no framing by other sites, …), worked out once.
 *
 * @fastify/helmet builds helmet's middleware again on every request, which
 * parses the policy's directives each time (about 7 % of a label lookup's
 * CPU, measured); our policy has no per-request part (no nonces), so the
 * headers helmet sets are the same for every response. They are taken from
 * helmet itself, by running its middleware once against a recorder.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** What helmet's middleware sets and removes on a response, for these options. */
export function helmetHeaders(options: Readonly<HelmetOptions>): { set: Record<string, string>; removed: string[] } {
  // a directive given as a function (a nonce) is worked out per request: it cannot be frozen
  const csp = options.contentSecurityPolicy;
  const directives = typeof csp === 'object' && csp !== null ? Object.values(csp.directives ?? {}) : [];
  if (directives.some((d) => typeof d === 'function' || (Array.isArray(d) && d.some((v) => typeof v === 'function'))))
    throw new Error('a content security policy directive is a function (per-request, e.g. a nonce): its headers cannot be worked out once');
  const set: Record<string, string> = {};
  const removed: string[] = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      set[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      removed.push(name.toLowerCase());
    },
  };
  let finished = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  if (!finished) throw new Error('helmet did not finish at once: its headers cannot be worked out once');
  return { set, removed };
}

/** Every response gets the headers (routes may still override one, as the docs UI does its policy). */
export function securityHeaders(app: FastifyInstance, options: Readonly<HelmetOptions>): void {
  const { set, removed } = helmetHeaders(options);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(set);
    for (const name of removed) reply.removeHeader(name);
    done();
  });
}
