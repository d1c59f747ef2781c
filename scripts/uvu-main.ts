// The uvu entry for scripts/run-tests.mjs: queue the test files it is given
// (paths from the project root), run them in this one process (so one
// migrated database serves all of them), then close the shared databases so
// the process exits.
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

declare global {
  // uvu's deferred-run globals
  var UVU_DEFER: number;
  var UVU_INDEX: number;
  var UVU_QUEUE: unknown[][];
}

const files = process.argv.slice(2);
globalThis.UVU_DEFER = 1;
const uvu = await import('uvu');
let index = 0;
for (const file of files) {
  globalThis.UVU_INDEX = index++;
  globalThis.UVU_QUEUE.push([relative('test', file)]);
  await import(pathToFileURL(join(process.cwd(), file)).href);
}
await uvu.exec(false);
const { closeTestDatabases } = await import('../test/helpers/db.ts');
await closeTestDatabases();
