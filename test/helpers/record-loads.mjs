// Module-resolution hooks for tests that check what a command loads:
//   node --import ./test/helpers/record-loads.mjs …  (LOADED_LOG=file)
// appends every module URL the process imports (its own or a package's entry)
// to LOADED_LOG, one a line.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
      import { appendFileSync } from 'node:fs';
      export async function resolve(specifier, context, next) {
        const r = await next(specifier, context);
        if (process.env.LOADED_LOG) appendFileSync(process.env.LOADED_LOG, r.url + '\\n');
        return r;
      }
    `),
);
