/**
 * Small shared pieces of the unit tests of src/app and src/persistence: an
 * assertion on a MetrologyError's code and path, an in-memory key store and
 * deterministic key material (for the access and session use cases without a
 * database).
 */
import * as assert from 'uvu/assert';
import type { KeyMaterial } from '../../src/app/access.ts';
import type { AccessStore, AuditEntry, AuditQuery, StoredAuditEntry, StoredKey } from '../../src/app/ports.ts';
import { MetrologyError } from '../../src/core/errors.ts';

/** Awaits `work` and asserts it failed with a MetrologyError of this code (and path, when given). */
export async function rejects(work: Promise<unknown> | (() => Promise<unknown>), code: string, path?: string): Promise<MetrologyError> {
  let caught: unknown;
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (e) {
    caught = e;
  }
  assert.instance(caught, MetrologyError, `expected ${code}, got ${String(caught)}`);
  const err = caught as MetrologyError;
  assert.is(err.code, code, err.message);
  if (path !== undefined) assert.is(err.path, path, err.message);
  return err;
}

/** Synchronous counterpart of rejects. */
export function throwsCode(work: () => unknown, code: string, path?: string): MetrologyError {
  let caught: unknown;
  try {
    work();
  } catch (e) {
    caught = e;
  }
  assert.instance(caught, MetrologyError, `expected ${code}, got ${String(caught)}`);
  const err = caught as MetrologyError;
  assert.is(err.code, code, err.message);
  if (path !== undefined) assert.is(err.path, path, err.message);
  return err;
}

/** Key material whose ids and secrets are counted (16 and 43 characters, as the real ones) and whose hash is readable. */
export function countedMaterial(): KeyMaterial {
  let n = 0;
  let s = 0;
  return {
    newKeyId: () => `key${String(++n).padStart(13, '0')}`,
    newSecret: () => `s${String(++s).padStart(42, '0')}`,
    hash: (secret) => `h(${secret})`,
    matches: (secret, hash) => hash === `h(${secret})`,
  };
}

/** An access store in memory; `createdAt` and `revokedAt` read from `clock`. */
export class MemoryAccessStore implements AccessStore {
  readonly keys = new Map<string, StoredKey>();
  readonly audit: StoredAuditEntry[] = [];
  constructor(private readonly clock: () => string = () => '2026-11-25T02:00:00.000Z') {}
  async insertKey(key: Omit<StoredKey, 'createdAt' | 'revokedAt'>): Promise<void> {
    this.keys.set(key.id, { ...key, createdAt: this.clock(), revokedAt: null });
  }
  async getKey(id: string): Promise<StoredKey | undefined> {
    return this.keys.get(id);
  }
  async listKeys(): Promise<StoredKey[]> {
    return [...this.keys.values()];
  }
  async revokeKey(id: string): Promise<boolean> {
    const key = this.keys.get(id);
    if (!key || key.revokedAt !== null) return false;
    this.keys.set(id, { ...key, revokedAt: this.clock() });
    return true;
  }
  async appendAudit(entry: AuditEntry): Promise<void> {
    this.audit.push({ ...entry, seq: this.audit.length + 1, at: this.clock() } as unknown as StoredAuditEntry);
  }
  async queryAudit(_q: AuditQuery): Promise<StoredAuditEntry[]> {
    return [...this.audit];
  }
}
