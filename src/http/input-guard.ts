/**
 * What a body may not carry, refused before validation with the JSON pointer
 * of the field:
 * - the NUL character (U+0000): PostgreSQL text cannot hold it, so a string
 *   carrying one would fail at the database, far from its field (found by the
 *   fuzz suite);
 * - a property named `__proto__`, or `constructor` holding `prototype`:
 *   fastify's JSON parser (secure-json-parse) refuses them against prototype
 *   poisoning, but reports a body that is valid JSON as "not valid JSON".
 */
import type { FastifyInstance } from 'fastify';
import { problem, sendProblem } from './errors.ts';
import { MetrologyError, pointer } from '../core/errors.ts';

/**
 * A parsed value walked depth first, in document order, each node linked to
 * its parent, so that a large or deeply nested body costs linear work (no
 * path copied per node: copying it made the NUL check quadratic, and 5 % of
 * the CPU of the HTTP suites). `problemAt` looks at one node (its value, and
 * its key in its parent) and answers the keys below it that are at fault, or
 * null; the first answer's whole path is returned, or null when no node has one.
 */
function firstProblem(
  value: unknown,
  problemAt: (v: unknown, key: string | number | null) => ReadonlyArray<string | number> | null,
): Array<string | number> | null {
  interface Step {
    readonly value: unknown;
    readonly key: string | number | null;
    readonly parent: Step | null;
  }
  const stack: Step[] = [{ value, key: null, parent: null }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    const v = step.value;
    const tail = problemAt(v, step.key);
    if (tail !== null) {
      const up: Array<string | number> = [];
      for (let p: Step | null = step; p !== null && p.key !== null; p = p.parent) up.push(p.key);
      return [...up.reverse(), ...tail];
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], key: i, parent: step });
    } else if (v && typeof v === 'object' && !ArrayBuffer.isView(v)) {
      // bytes (an uploaded file's Buffer) hold numbers only: walking them key by key (one
      // string per byte) cost seconds for a 2 MB upload, and found nothing
      // entries, not v[key]: an own property named __proto__ reads as the prototype through v[key]
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], key: entries[i]![0], parent: step });
    }
  }
  return null;
}

/** The pointer of the first string containing NUL (in keys too), or null. */
export function findNul(value: unknown): Array<string | number> | null {
  return firstProblem(value, (v, key) => ((typeof key === 'string' && key.includes('\u0000')) || (typeof v === 'string' && v.includes('\u0000')) ? [] : null));
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

/**
 * The pointer of the first property that would poison a prototype — a key
 * `__proto__`, or a key `constructor` whose object holds a key `prototype`
 * (what secure-json-parse refuses) — in a value parsed by JSON.parse (which
 * makes them own properties, harmless until copied), or null.
 */
export function findPrototypeKey(value: unknown): Array<string | number> | null {
  const own = (o: object, k: string) => Object.hasOwn(o, k);
  return firstProblem(value, (v) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
    if (own(v, '__proto__')) return ['__proto__'];
    const c = (v as Record<string, unknown>)['constructor'];
    return own(v, 'constructor') && c !== null && typeof c === 'object' && own(c, 'prototype') ? ['constructor', 'prototype'] : null;
  });
}

/**
 * Replaces fastify's JSON parser by the same parser (secure-json-parse, which
 * refuses prototype keys) whose one misleading answer is put right: a body that
 * is valid JSON but holds `__proto__` (or `constructor.prototype`) is an
 * INVALID_FIELD problem at that property, not INVALID_JSON. Only a refused body
 * is parsed a second time. Body limits stay fastify's (per route, or the
 * server's).
 */
export function refusePrototypeKeys(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    parse(req, body as string, (err, value) => {
      if (!err) return done(null, value);
      let at: Array<string | number> | null = null;
      try {
        at = findPrototypeKey(JSON.parse(body as string));
      } catch {
        // not JSON at all: fastify's own error stands
      }
      if (at === null) return done(err, undefined);
      done(
        new MetrologyError(
          'INVALID_FIELD',
          pointer(...at),
          `a property named ${at.at(-1) === 'prototype' ? 'constructor.prototype' : '__proto__'} is not accepted: it could change the prototype of the objects built from the body. Rename or remove it`,
        ),
        undefined,
      );
    });
  });
}
