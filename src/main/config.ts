/**
 * The configuration from the environment, validated at boot, for the server
 * and the CLI's database commands. Reads only the environment and loads no
 * HTTP framework (the HTTP defaults it names are plain data in
 * http/protection.ts).
 */
import { resolve } from 'node:path';
import { type ComputeLimits, DEFAULT_COMPUTE_LIMITS } from '../runtime/compute-pool.ts';
import { DEFAULT_PROTECTION, DEFAULT_READS, type Protection } from '../http/protection.ts';

export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | undefined;
  /** Prepare statements on PostgreSQL (persistence/db.ts preparing) (DATABASE_PREPARE, default on; 0 for a transaction-mode pooler that does not carry them). */
  readonly databasePrepare: boolean;
  /**
   * Streaming replicas of DATABASE_URL (DATABASE_READ_URL, comma-separated)
   * that the read-only routes may read from (http/replica-reads.ts), with the
   * staleness bound and how often each replica's position is checked.
   */
  readonly reads: ReadConfig;
  readonly dataDir: string;
  readonly seedDemo: boolean;
  readonly logger: boolean;
  readonly protection: Protection;
  readonly compute: ComputeLimits;
  /** The public address of this service (METROTRACE_PUBLIC_URL), which a label's QR code opens; undefined: the address each request came to. */
  readonly publicUrl: string | undefined;
  /**
   * Redis (REDIS_URL) shared by several API processes for their rate limits,
   * so that a client is counted once across them; undefined: each process
   * counts its own (enough for one process).
   */
  readonly redisUrl: string | undefined;
  /**
   * Which proxies in front of the API to believe about the client's address
   * (X-Forwarded-For), for rate limits and the audit log: false (none: the
   * default; a client could otherwise claim any address), or the proxies'
   * addresses and CIDR ranges (METROTRACE_TRUST_PROXY).
   */
  readonly trustProxy: false | string;
  /** Seconds between the server's anchors of the ledger head (taken only when it moved); 0: none. */
  readonly ledgerAnchorIntervalS: number;
}

export interface ReadConfig {
  readonly urls: readonly string[];
  /** DATABASE_READ_MAX_LAG_MS: a replica not shown to hold every commit older than this is not read. */
  readonly maxLagMs: number;
  /** DATABASE_READ_CHECK_MS: how often each replica's replayed position is checked. */
  readonly checkMs: number;
}

function count(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number ≥ 0, got '${raw}'`);
  return n;
}

/** METROTRACE_TRUST_PROXY: unset or empty → false; else the proxies' addresses and CIDR ranges, comma-separated. */
function readTrustProxy(raw: string | undefined): false | string {
  const v = raw?.trim() ?? '';
  if (v === '' || v === 'false') return false;
  const parts = v.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^(?:[0-9.]+|[0-9a-fA-F:]+)(?:\/[0-9]{1,3})?$|^(?:loopback|linklocal|uniquelocal)$/.test(p))) {
    throw new Error(
      `METROTRACE_TRUST_PROXY must be the proxies' addresses and CIDR ranges, comma-separated (e.g. 127.0.0.1 or 10.0.0.0/8,loopback), got '${v}'`,
    );
  }
  return parts.join(',');
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = env.PORT === undefined ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number (0–65535), got '${env.PORT}'`);
  }
  const url = env.DATABASE_URL?.trim() || undefined;
  if (url && !/^postgres(ql)?:\/\//.test(url)) {
    throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const readUrls = (env.DATABASE_READ_URL ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  for (const u of readUrls) {
    if (!/^postgres(ql)?:\/\//.test(u))
      throw new Error(
        `DATABASE_READ_URL must be one or more postgres:// or postgresql:// addresses, comma-separated; got '${u.replace(/\/\/[^@/]*@/, '//…@')}'`,
      );
  }
  if (readUrls.length > 0 && !url)
    throw new Error('DATABASE_READ_URL names replicas of a PostgreSQL server: set DATABASE_URL to its primary (the embedded database has no replicas)');
  const reads: ReadConfig = {
    urls: readUrls,
    maxLagMs: count(env, 'DATABASE_READ_MAX_LAG_MS', DEFAULT_READS.maxLagMs),
    checkMs: count(env, 'DATABASE_READ_CHECK_MS', DEFAULT_READS.checkMs),
  };
  if (readUrls.length > 0 && reads.checkMs < 50) throw new Error(`DATABASE_READ_CHECK_MS must be at least 50, got ${reads.checkMs}`);
  if (readUrls.length > 0 && reads.checkMs >= reads.maxLagMs) {
    throw new Error(
      `DATABASE_READ_CHECK_MS (${reads.checkMs}) must be below DATABASE_READ_MAX_LAG_MS (${reads.maxLagMs}): a replica is shown fresh only at a check, so with checks that far apart it would never be read`,
    );
  }
  const redisUrl = env.REDIS_URL?.trim() || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) {
    throw new Error(`REDIS_URL must start with redis:// or rediss://, got '${redisUrl.replace(/\/\/[^@/]*@/, '//…@')}'`);
  }
  const trustProxy = readTrustProxy(env.METROTRACE_TRUST_PROXY);
  const publicUrl = env.METROTRACE_PUBLIC_URL?.trim() || undefined;
  if (publicUrl !== undefined && !isOrigin(publicUrl)) {
    throw new Error(
      `METROTRACE_PUBLIC_URL must be an http:// or https:// address such as https://metrology.example.gov.cn (a path prefix is allowed; no user, query or fragment), got '${publicUrl.replace(/\/\/[^@/]*@/, '//…@')}'`,
    );
  }
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    publicUrl: publicUrl?.replace(/\/+$/, ''),
    databaseUrl: url,
    databasePrepare: env.DATABASE_PREPARE?.trim() !== '0',
    reads,
    redisUrl,
    trustProxy,
    dataDir: resolve(env.METROTRACE_DATA ?? 'data'),
    seedDemo: env.METROTRACE_DEMO !== '0',
    logger: env.LOG !== '0',
    protection: {
      publicPerMinute: count(env, 'METROTRACE_RATE_PUBLIC', DEFAULT_PROTECTION.publicPerMinute),
      keyPerMinute: count(env, 'METROTRACE_RATE_KEY', DEFAULT_PROTECTION.keyPerMinute),
      bodyLimit: count(env, 'METROTRACE_BODY_LIMIT', DEFAULT_PROTECTION.bodyLimit),
      requestTimeoutMs: count(env, 'METROTRACE_REQUEST_TIMEOUT_MS', DEFAULT_PROTECTION.requestTimeoutMs),
    },
    compute: {
      deadlineMs: count(env, 'METROTRACE_COMPUTE_DEADLINE_MS', DEFAULT_COMPUTE_LIMITS.deadlineMs),
      memoryMb: count(env, 'METROTRACE_COMPUTE_MEMORY_MB', DEFAULT_COMPUTE_LIMITS.memoryMb),
      threads: Math.max(1, count(env, 'METROTRACE_COMPUTE_THREADS', DEFAULT_COMPUTE_LIMITS.threads)),
    },
    ledgerAnchorIntervalS: count(env, 'METROTRACE_LEDGER_ANCHOR_INTERVAL_S', 3600),
  };
}

/** An http(s) address without query or fragment (a path prefix is allowed: a proxy may serve the app below one). */
function isOrigin(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.search === '' && u.hash === '' && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}
