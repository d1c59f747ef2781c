/**
 * PostgreSQL text cannot hold the NUL character (U+0000): a string carrying
 * one fails at the database, far from its field. Refused here, before
 * validation, with the JSON pointer of the field (found by the fuzz suite).
 */
import type { FastifyInstance } from 'fastify';
import { problem, sendProblem } from './errors.ts';
import { pointer } from '../core/errors.ts';

/** The pointer of the first string containing NUL (in keys too), or null. */
export function findNul(value: unknown, prefix: Array<string | number> = []): Array<string | number> | null {
  const stack: Array<[unknown, Array<string | number>]> = [[value, prefix]];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return at;
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push([x, [...at, i]]));
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k.includes('\u0000')) return [...at, k];
        stack.push([x, [...at, k]]);
      }
    }
  }
  return null;
}

export function refuseNul(app: FastifyInstance): void {
  app.addHook('preValidation', async (req, reply) => {
    const where: Array<[unknown, string]> = [
      [req.params, ':'],
      [req.query, '?'],
      [req.body, ''],
    ];
    for (const [value, prefix] of where) {
      const at = findNul(value);
      if (at === null) continue;
      const path = prefix === '' ? pointer(...at) : `${prefix}${at.join('/')}`;
      await sendProblem(reply, problem('INVALID_FIELD', path, 'contains the NUL character (U+0000), which cannot be stored; remove it'));
      return reply;
    }
  });
}
