/**
 * Reading untrusted JSON against a resource's contract (a TypeBox schema),
 * and the one mapping from a failed schema keyword to an error code, a field
 * and a sentence. The HTTP transport validates bodies with its own JSON
 * Schema validator and hands its failure to `contractProblem`; every other
 * edge (CSV and data-set rows, DCC imports, the CLI) calls `readContract`,
 * which walks the same schema. Either way the code comes from the keyword
 * and the schema's `x-error-code` annotation, never from a pattern's text.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import { type ErrorCode, fail } from '../../core/errors.ts';
import { ERROR_CODE, HINT } from './common.ts';

type Schema = Readonly<Record<string, unknown>>;

/** The first keyword of a schema a value fails (the shape of a JSON Schema validator's error). */
export interface ContractFailure {
  readonly keyword: string;
  /** JSON pointer of the value that failed (for `required` and `additionalProperties`, of the object). */
  readonly path: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly data: unknown;
  /** The schema holding the failed keyword. */
  readonly schema: Schema | undefined;
  readonly message?: string | undefined;
}

export interface ContractProblem {
  readonly code: ErrorCode;
  readonly path: string;
  readonly detail: string;
}

/**
 * A failed keyword as a problem. `where` turns the JSON pointer of the
 * instance into the path the caller reports (a query parameter is `?name`);
 * `what` names an unknown property ('field' or 'query parameter').
 */
export function contractProblem(f: ContractFailure, where: (pointer: string) => string = (p) => p, what = 'field'): ContractProblem {
  const code = f.schema?.[ERROR_CODE] as ErrorCode | undefined;
  switch (f.keyword) {
    case 'required': {
      const missing = String(f.params.missingProperty);
      return { code: 'MISSING_FIELD', path: where(`${f.path}/${missing}`), detail: `'${missing}' is required` };
    }
    case 'additionalProperties': {
      const extra = String(f.params.additionalProperty);
      return {
        code: 'UNKNOWN_FIELD',
        path: where(`${f.path}/${extra}`),
        detail: `unknown ${what} '${extra}'; check its spelling against the documentation (/docs)`,
      };
    }
    case 'type':
      if (code === 'INVALID_DECIMAL' && typeof f.data === 'number')
        return {
          code: 'JSON_NUMBER',
          path: where(f.path),
          detail: `send this decimal as a string ("${String(f.data)}"), not as a JSON number, so that no binary rounding happens`,
        };
      return { code: 'INVALID_FIELD', path: where(f.path), detail: `must be ${String(f.params.type)}` };
    case 'enum':
      return {
        code: 'INVALID_FIELD',
        path: where(f.path),
        detail:
          typeof f.schema?.[HINT] === 'string'
            ? `${f.schema[HINT]}, not "${String(f.data).slice(0, 40)}"`
            : `must be one of ${(f.params.allowedValues as string[]).map((v) => `'${v}'`).join(', ')}`,
      };
    case 'minLength':
      // an empty text where one is required: said as such, not as a count of characters
      if (f.params.limit === 1) return { code: 'INVALID_FIELD', path: where(f.path), detail: 'must not be empty' };
      return { code: 'INVALID_FIELD', path: where(f.path), detail: f.message ?? 'is too short' };
    case 'pattern':
      if (code === 'INVALID_DATE') return { code, path: where(f.path), detail: `"${String(f.data)}" is not a date; write it as YYYY-MM-DD` };
      if (code === 'INVALID_DECIMAL')
        return { code, path: where(f.path), detail: `"${String(f.data)}" is not a finite decimal number; write it like "50.000623" or "1e-6"` };
      return {
        code: 'INVALID_FIELD',
        path: where(f.path),
        detail: typeof f.schema?.[HINT] === 'string' ? f.schema[HINT] : `"${String(f.data).slice(0, 40)}" has the wrong format`,
      };
    default:
      return { code: 'INVALID_FIELD', path: where(f.path), detail: f.message ?? 'is invalid' };
  }
}

/**
 * The value, checked against the contract: the first failure is thrown as a
 * MetrologyError at its JSON pointer under `path`. An optional property given
 * null counts as absent (a data-set or CSV row writes null for a cell left
 * empty); the codecs read it so.
 */
export function readContract<T extends TSchema>(schema: T, raw: unknown, path = ''): Static<T> {
  const failure = firstFailure(schema as unknown as Schema, raw, path);
  if (failure) {
    const p = contractProblem(failure);
    fail(p.code, p.path, p.detail);
  }
  return raw as Static<T>;
}

const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

function failure(keyword: string, path: string, data: unknown, schema: Schema, params: Record<string, unknown>, message?: string): ContractFailure {
  return { keyword, path, params, data, schema, message };
}

function typeFailure(type: string, path: string, data: unknown, schema: Schema): ContractFailure {
  return failure('type', path, data, schema, { type }, `must be ${type}`);
}

/** The first keyword of `schema` that `v` fails, or null: the subset of JSON Schema the contracts use. */
export function firstFailure(schema: Schema, v: unknown, path: string): ContractFailure | null {
  const anyOf = schema.anyOf as Schema[] | undefined;
  if (anyOf) {
    if (v === null && anyOf.some((b) => b.type === 'null')) return null;
    const others = anyOf.filter((b) => b.type !== 'null');
    if (others.length === 1) return firstFailure(others[0]!, v, path);
    if (others.some((b) => firstFailure(b, v, path) === null)) return null;
    return failure('anyOf', path, v, schema, {}, 'must match a schema in anyOf');
  }
  switch (schema.type) {
    case 'object':
      return objectFailure(schema, v, path);
    case 'array': {
      if (!Array.isArray(v)) return typeFailure('array', path, v, schema);
      const max = schema.maxItems as number | undefined;
      if (max !== undefined && v.length > max) return failure('maxItems', path, v, schema, { limit: max }, `must NOT have more than ${max} items`);
      const items = schema.items as Schema | undefined;
      if (items)
        for (const [i, item] of v.entries()) {
          const f = firstFailure(items, item, `${path}/${i}`);
          if (f) return f;
        }
      return null;
    }
    case 'string': {
      if (typeof v !== 'string') return typeFailure('string', path, v, schema);
      const max = schema.maxLength as number | undefined;
      const min = schema.minLength as number | undefined;
      // lengths are in characters (code points), which lie between half the UTF-16 units and all of them:
      // counted only when the units cannot tell (a DCC document of megabytes is not spread into an array)
      const units = v.length;
      const length = (max !== undefined && units > max) || (min !== undefined && units < 2 * min) ? [...v].length : units;
      if (max !== undefined && length > max) return failure('maxLength', path, v, schema, { limit: max }, `must NOT have more than ${max} characters`);
      if (min !== undefined && length < min) return failure('minLength', path, v, schema, { limit: min }, `must NOT have fewer than ${min} characters`);
      const pattern = schema.pattern as string | undefined;
      if (pattern !== undefined && !new RegExp(pattern, 'u').test(v)) return failure('pattern', path, v, schema, { pattern });
      return enumFailure(schema, v, path);
    }
    case 'boolean':
      return typeof v === 'boolean' ? null : typeFailure('boolean', path, v, schema);
    case 'integer':
    case 'number': {
      if (typeof v !== 'number' || (schema.type === 'integer' && !Number.isInteger(v))) return typeFailure(schema.type, path, v, schema);
      const min = schema.minimum as number | undefined;
      const max = schema.maximum as number | undefined;
      if (min !== undefined && v < min) return failure('minimum', path, v, schema, { limit: min }, `must be >= ${min}`);
      if (max !== undefined && v > max) return failure('maximum', path, v, schema, { limit: max }, `must be <= ${max}`);
      return null;
    }
    case 'null':
      return v === null ? null : typeFailure('null', path, v, schema);
    default:
      throw new Error(`a contract uses a schema the contract reader does not know: ${JSON.stringify(schema).slice(0, 100)}`);
  }
}

function enumFailure(schema: Schema, v: unknown, path: string): ContractFailure | null {
  const allowed = schema.enum as unknown[] | undefined;
  return allowed && !allowed.includes(v) ? failure('enum', path, v, schema, { allowedValues: allowed }) : null;
}

function objectFailure(schema: Schema, v: unknown, path: string): ContractFailure | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return typeFailure('object', path, v, schema);
  const o = v as Record<string, unknown>;
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  for (const key of required) if (o[key] === undefined) return failure('required', path, v, schema, { missingProperty: key });
  if (schema.additionalProperties === false)
    for (const key of Object.keys(o)) if (!Object.hasOwn(properties, key)) return failure('additionalProperties', path, v, schema, { additionalProperty: key });
  for (const [key, sub] of Object.entries(properties)) {
    const value = o[key];
    if (value === undefined || (value === null && !required.has(key))) continue;
    const f = firstFailure(sub, value, `${path}/${escape(key)}`);
    if (f) return f;
  }
  return null;
}
