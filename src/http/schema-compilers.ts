/**
 * The route schemas' validators (Ajv) and serializers (fast-json-stringify),
 * compiled once per process and shared by every app the process builds.
 *
 * Fastify compiles each route's schemas into code when an app is built, and by
 * default keeps nothing between two apps: building the whole API costs about
 * half a second of CPU, most of it there. One process builds many apps — the
 * tests build one per case, the benches several, a worker pool one per
 * thread — so a compiled function is kept under the text of its schema, the
 * part of the request or the status it is for, the shared schemas it may
 * refer to and the compiler's options. A schema with the same text compiles
 * to the same function, and Ajv's and fast-json-stringify's functions keep no
 * state between calls that one app could see of another's (Ajv's `errors` is
 * set and read within one synchronous validation).
 */
import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type Factories = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type ValidatorFactory = NonNullable<Factories['buildValidator']>;
type SerializerFactory = NonNullable<Factories['buildSerializer']>;

const validators = AjvCompiler() as unknown as ValidatorFactory;
const serializers = SerializerSelector() as unknown as SerializerFactory;
const compiled = new Map<string, unknown>();

function once<T>(key: string, build: () => T): T {
  let fn = compiled.get(key) as T | undefined;
  if (fn === undefined) {
    fn = build();
    compiled.set(key, fn);
  }
  return fn;
}

const buildValidator: ValidatorFactory = (externalSchemas, options) => {
  const compile = validators(externalSchemas, options);
  const setting = `v${JSON.stringify(externalSchemas)}${JSON.stringify(options ?? {})}`;
  return (route) => once(`${setting}|${route.httpPart}|${JSON.stringify(route.schema)}`, () => compile(route));
};

const buildSerializer: SerializerFactory = (externalSchemas, options) => {
  const compile = serializers(externalSchemas, options);
  const setting = `s${JSON.stringify(externalSchemas)}${JSON.stringify(options ?? {})}`;
  return (route) =>
    once(`${setting}|${route.httpStatus}|${(route as { contentType?: string }).contentType ?? ''}|${JSON.stringify(route.schema)}`, () => compile(route));
};

/** The `schemaController` option of every app this process builds. */
export const sharedSchemaCompilers: NonNullable<FastifyServerOptions['schemaController']> = {
  compilersFactory: { buildValidator, buildSerializer },
};
