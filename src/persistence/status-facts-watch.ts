/**
 * Listening for migration 0044's notifications: a commit, by any process,
 * that wrote the ledger or the verification policies, so that what a status
 * is worked out from may have changed. On the PostgreSQL server, a connection
 * of its own that LISTENs, told to the listener as each notification arrives,
 * with `watching(false)` as soon as postgres.js sees that connection closed
 * and a new LISTEN every second until one succeeds (a connection that hangs
 * without closing is not seen: the label cache bounds its answers in time
 * too); embedded, PGlite's own listen (its one process is the only writer,
 * and it tells after the committing statement).
 *
 * @impure opens a connection.
 */
import type { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import type { StatusFactsListener } from '../app/ports.ts';

/** The channel migration 0044's trigger function notifies. */
export const STATUS_FACTS_CHANNEL = 'metrotrace_status_facts';

/** Stops listening; the listener is then told `watching(false)`. */
export type StopWatching = () => Promise<void>;

/** Listens on the PostgreSQL server at `url`; resolves once the first LISTEN succeeded or failed (a failed one is retried every `retryMs` after that). */
export async function watchPostgres(url: string, listener: StatusFactsListener, retryMs = 1000): Promise<StopWatching> {
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const client = postgres(url, {
    max: 1,
    // never closed for idleness or age, as postgres.js's own listen() has it (hence the cast below)
    idle_timeout: null,
    max_lifetime: null,
    fetch_types: false,
    onnotice: () => {},
    connection: { application_name: 'metrotrace status facts' },
    // postgres.js hands every notification of this client's connection to `onnotify` (what its own listen() uses)
    onnotify: (channel: string) => {
      if (channel === STATUS_FACTS_CHANNEL) listener.changed();
    },
    onclose: () => {
      listener.watching(false);
      schedule();
    },
  } as unknown as postgres.Options<Record<string, never>>);
  function schedule(): void {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void listen();
    }, retryMs);
    retry.unref();
  }
  async function listen(): Promise<void> {
    if (stopped) return;
    try {
      await client.unsafe(`listen ${STATUS_FACTS_CHANNEL}`);
      if (!stopped) listener.watching(true);
    } catch {
      listener.watching(false);
      schedule();
    }
  }
  await listen();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    listener.watching(false);
    await client.end({ timeout: 1 });
  };
}

/** Listens on an embedded database. */
export async function watchPglite(client: PGlite, listener: StatusFactsListener): Promise<StopWatching> {
  const unlisten = await client.listen(STATUS_FACTS_CHANNEL, () => listener.changed());
  listener.watching(true);
  return async () => {
    listener.watching(false);
    await unlisten();
  };
}
