// The uvu entry for scripts/run-tests.mjs: queue every test/**/*.test.ts, run
// them in this one process (so one migrated database serves all suites), then
// close the shared databases so the process exits.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

declare global {
  // uvu's deferred-run globals
  var UVU_DEFER: number;
  var UVU_INDEX: number;
  var UVU_QUEUE: unknown[][];
}

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.ts') ? [p] : [];
    });
}

const pattern = process.argv[2];
const files = walk('test').filter((f) => !pattern || f.includes(pattern));
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
