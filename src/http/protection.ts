/**
 * The HTTP layer's limits and read-routing defaults, as plain data: the
 * configuration (main/config.ts) reads them from the environment, and the app
 * (http/app.ts) falls back to them when built without one (tests).
 */
/** The defaults: a label read from a replica misses at most the last 5 s of writes; positions checked every second. */
export const DEFAULT_READS = { maxLagMs: 5000, checkMs: 1000 } as const;

/** Limits against abuse; every one can be set from the environment (main/config.ts). */
export interface Protection {
  /** Requests per minute per address without a key (0: no limit). */
  readonly publicPerMinute: number;
  /** Requests per minute per API key (0: no limit). */
  readonly keyPerMinute: number;
  /** Largest accepted body, bytes. */
  readonly bodyLimit: number;
  /** A request that takes longer is cut off, ms. */
  readonly requestTimeoutMs: number;
}

export const DEFAULT_PROTECTION: Protection = { publicPerMinute: 120, keyPerMinute: 1200, bodyLimit: 1024 * 1024, requestTimeoutMs: 30_000 };
