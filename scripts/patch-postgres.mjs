// postgres.js 3.4.x writes a query's bytes on the next turn of the event loop
// (setImmediate) when they are short, and does not look whether the
// connection closed in between: the write then reads `socket.write` of null
// and throws from a timer, where no caller can catch it, and the whole process
// ends (porsager/postgres#1154, #1208; the guard proposed in #1168 and #1209 is
// not released as of 3.4.10). A PostgreSQL backend that ends under a reserved
// or busy connection (a restart, pg_terminate_backend, a dropped database) so
// took down an API server, and the test process of a CI run.
//
// `npm run build` (so every `npm install`) applies the guard to the installed
// package, in its ES module and CommonJS copies: when the socket is gone, the
// pending queries are rejected with CONNECTION_CLOSED (what postgres.js does
// for a connection that closes while they wait), which their callers handle,
// and nothing is written; the write reports itself done (true), since `false`
// would leave the connection waiting for a drain that a closed socket never
// gives, and every later query on it unanswered. Applied once (the marker); when the package's text
// is not the one expected (another version), it is left as it is and the build
// says so. test/persistence/postgres-closed-socket.test.ts proves the guard.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MARKER = '/* metrotrace: nextWrite guarded against a closed socket */';
const UNGUARDED = '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)\n';
const GUARDED = [
  '  function nextWrite(fn) {',
  `    ${MARKER}`,
  '    if (socket === null) {',
  '      nextWriteTimer !== null && clearImmediate(nextWriteTimer)',
  '      chunk = nextWriteTimer = null',
  "      error(Errors.connection('CONNECTION_CLOSED', options))",
  '      return true',
  '    }',
  '    const x = socket.write(chunk, fn)',
  '',
].join('\n');

/** Guards the installed postgres.js; returns what was done to each copy. */
export function patchPostgres(root) {
  const outcomes = [];
  for (const file of ['node_modules/postgres/src/connection.js', 'node_modules/postgres/cjs/src/connection.js']) {
    const path = join(root, file);
    if (!existsSync(path)) continue;
    const text = readFileSync(path, 'utf8');
    if (text.includes(MARKER)) outcomes.push(`${file}: guarded already`);
    else if (text.includes(UNGUARDED)) {
      writeFileSync(path, text.replace(UNGUARDED, GUARDED));
      outcomes.push(`${file}: guarded`);
    } else outcomes.push(`${file}: not as expected (another postgres.js?), left as it is: a closed socket may end the process`);
  }
  return outcomes;
}
