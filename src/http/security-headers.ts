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
  // helmet's middleware is synchronous unless a directive is a function (a nonce): refuse those here
  if (!finished) throw new Error('helmet did not finish synchronously: per-request directives need @fastify/helmet');
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
