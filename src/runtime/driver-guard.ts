/**
 * A guard against one known defect of postgres.js 3.4.9 (porsager/postgres
 * #1154, #1208; fixes proposed in #1168, #1209): when the server drops a
 * connection while a small write is queued, the queued write runs on a null
 * socket and throws from a setImmediate callback — an uncaught exception that
 * would end the process. The query itself has already been rejected with
 * CONNECTION_CLOSED by then, so the throw is moot: this guard recognises
 * exactly that throw, logs it and keeps the process alive; anything else
 * still ends the process as before. Remove it once the driver is fixed
 * (test/reliability/faults.test.ts drops a connection mid-write to check).
 *
 * @impure installs a process-wide handler.
 */
let installed = false;

export function isDroppedSocketWrite(err: unknown): boolean {
  return (
    err instanceof TypeError &&
    /reading 'write'/.test(err.message) &&
    /postgres\/src\/connection\.js/.test(err.stack ?? '') &&
    /nextWrite/.test(err.stack ?? '')
  );
}

export function installDriverGuard(log: (message: string) => void = (m) => console.error(m)): void {
  if (installed) return;
  installed = true;
  process.on('uncaughtException', (err, origin) => {
    if (isDroppedSocketWrite(err)) {
      log('metrotrace: a database connection was dropped while a write was queued (postgres.js #1208); the query failed and the service continues');
      return;
    }
    // What Node would have done without a handler: report and end the process.
    console.error(origin === 'unhandledRejection' ? 'unhandled rejection:' : 'uncaught exception:', err);
    process.exit(1);
  });
}
