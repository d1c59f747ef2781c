/**
 * Whether a failure means the database is out of reach (the request is not at
 * fault: the API answers 503 and the client tries again). Read off the error
 * and its causes (drizzle wraps the driver's error): socket errors, the
 * postgres.js connection codes, SQLSTATE classes 08 and 57P01–57P03, and a
 * closed PGlite.
 */
const UNREACHABLE =
  /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|CONNECTION_CLOSED|CONNECTION_ENDED|CONNECTION_DESTROYED|CONNECT_TIMEOUT|08[0-9A-Z]{3}|57P0[1-3])$/;

export function isDatabaseUnreachable(e: unknown): boolean {
  let cur: unknown = e;
  for (let i = 0; i < 6 && cur !== null && typeof cur === 'object'; i++) {
    const { code, message, cause } = cur as { code?: unknown; message?: unknown; cause?: unknown };
    if ((typeof code === 'string' && UNREACHABLE.test(code)) || (typeof message === 'string' && /PGlite is closed/.test(message))) return true;
    cur = cause;
  }
  return false;
}
