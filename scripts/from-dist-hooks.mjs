// The module hooks of scripts/from-dist.mjs (they run on Node's loader thread).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SRC = new URL('../src/', import.meta.url).href;
const DIST = new URL('../dist/', import.meta.url).href;

/** A module under src/ written in TypeScript resolves to its build, when the build has it. */
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (!resolved.url.startsWith(SRC) || !resolved.url.endsWith('.ts')) return resolved;
  const built = `${DIST}${resolved.url.slice(SRC.length, -'.ts'.length)}.js`;
  return existsSync(fileURLToPath(built)) ? { url: built, format: 'module', shortCircuit: true } : resolved;
}
